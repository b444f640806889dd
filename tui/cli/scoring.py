"""``gameday score`` and ``gameday postmortem``: scoring and the practice postmortem on the CLI.

Both read only the session log (and optionally a scenario file to score against),
so any old drill can be re-scored. A damaged log is scored as far as it goes with
a warning per damaged line on stderr; a log that cannot be scored at all is
refused with a one-line reason and exit code 2 (via :class:`tui.cli.errors.GamedayGroup`).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from scoring import score_drill, score_log
from scoring.postmortem import postmortem_html, postmortem_markdown
from simulator.errors import InputError
from simulator.log.jsonl import SessionLog, read_log
from simulator.scenario.loader import scenario_for_log
from simulator.scenario.model import Scenario
from tui.cli.errors import warn


def _load(log_file: str, scenario_ref: str | None) -> tuple[SessionLog, Scenario]:
    """Read the log (warning about damaged lines) and pick the scenario to score against."""
    log = read_log(log_file)
    for problem in log.warnings:
        warn(problem)
    scenario, warnings = scenario_for_log(log.header, log_file, scenario_ref)
    for warning in warnings:
        warn(warning)
    return log, scenario


def _header_with(log: SessionLog, scenario: Scenario, start: str | None) -> dict[str, Any]:
    """The header the postmortem reads: the scenario scored against, the clock start."""
    header = dict(log.header)
    header["scenario"] = scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if start is not None:
        header["drill_start"] = start
    return header


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError.single(path, f"cannot write: {exc.strerror}") from None


SCENARIO_HELP = (
    "Score against this scenario (a file or shipped id) instead of the one embedded in the log."
)


@click.command()
@click.argument("log_file", type=click.Path(dir_okay=False))
@click.option("--scenario", "scenario_ref", help=SCENARIO_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the scorecard as JSON.")
@click.option(
    "--role",
    type=click.Choice(["ic", "tech", "comms", "scribe", "team"]),
    help="Only the scorecard for this role (default: one per player, plus the team's).",
)
def score(log_file: str, scenario_ref: str | None, as_json: bool, role: str | None) -> None:
    """Score a drill from its session log: each dimension rated P/S/M/U with its evidence.

    A drill played alone gets one card, for the trainee's role; a team drill gets one
    per player, each for their role, plus one for the team (JSON: ``scorecards``).
    """
    log, scenario = _load(log_file, scenario_ref)
    cards = (
        (score_log(log.header, log.events, scenario, role),)
        if role
        else score_drill(log.header, log.events, scenario)
    )
    for warning in cards[0].warnings:
        warn(warning)
    if as_json:
        out: Any = (
            cards[0].to_json()
            if len(cards) == 1
            else {"scorecards": [card.to_json() for card in cards]}
        )
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(card.to_text() for card in cards))


@click.command()
@click.argument("log_file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the Markdown postmortem here (default: standard output).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write it as a self-contained HTML page with an impact chart.",
)
@click.option("--scenario", "scenario_ref", help=SCENARIO_HELP)
@click.option(
    "--start",
    help="UTC date and time the drill started, e.g. 2026-11-24T14:00 "
    "(the timeline's clock; the scenario's metadata.starts_at when omitted).",
)
def postmortem(
    log_file: str,
    output: str | None,
    html_path: str | None,
    scenario_ref: str | None,
    start: str | None,
) -> None:
    """Write a practice blameless postmortem (Markdown, optionally HTML) from a drill's log."""
    if start is not None:
        try:
            datetime.fromisoformat(start.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(
                f"{start!r} is not an ISO 8601 date and time (e.g. 2026-11-24T14:00)",
                param_hint="--start",
            ) from None
    log, scenario = _load(log_file, scenario_ref)
    card = score_log(log.header, log.events, scenario)
    for warning in card.warnings:
        warn(warning)
    header = _header_with(log, scenario, start)
    markdown = postmortem_markdown(header, log.events, card)
    if output:
        _write(output, markdown)
        click.echo(f"postmortem written to {output}", err=True)
    else:
        click.echo(markdown, nl=False)
    if html_path:
        _write(html_path, postmortem_html(header, log.events, card))
        click.echo(f"HTML postmortem written to {html_path}", err=True)
