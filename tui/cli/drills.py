"""``gameday list | validate | schema | run``: the headless commands of the engine."""

from __future__ import annotations

import json
from typing import Any

import click

from simulator.drill.commands import read_script
from simulator.drill.session import DrillSession
from simulator.durations import format_clock, format_duration
from simulator.errors import InputError, Problem
from simulator.practice import ROLES
from simulator.scenario.loader import load_scenario, load_scenario_file, shipped_scenario_paths
from simulator.scenario.model import DIFFICULTIES
from simulator.scenario.schema import scenario_json_schema
from tui.cli.errors import EXIT_BAD_INPUT, report_input_error, warn


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_scenarios(as_json: bool) -> None:
    """List the shipped scenarios: id, title, difficulty, duration."""
    rows = []
    for path in shipped_scenario_paths():
        meta = load_scenario_file(path).scenario.metadata
        rows.append(
            {
                "id": meta.id,
                "title": meta.title,
                "difficulty": meta.difficulty,
                "duration": format_duration(meta.duration),
                "tags": list(meta.tags),
            }
        )
    rows.sort(key=lambda r: (DIFFICULTIES.index(r["difficulty"]), r["id"]))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    click.echo(f"{'ID':<{width}}  {'DIFFICULTY':<12}  {'DURATION':<8}  TITLE")
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['difficulty']:<12}  {r['duration']:<8}  {r['title']}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario files; print file:line:column errors and exit 2 if any is broken."""
    broken = 0
    for name in files:
        try:
            loaded = load_scenario_file(name)
        except InputError as err:
            broken += 1
            report_input_error(err)
            continue
        meta = loaded.scenario.metadata
        click.echo(
            f"{name}: ok ({meta.id}, {len(loaded.scenario.faults)} fault(s), "
            f"{len(loaded.scenario.services)} service(s))"
        )
    if broken:
        click.echo(f"{broken} of {len(files)} file(s) have errors", err=True)
        raise SystemExit(2)


@click.command()
def schema() -> None:
    """Print the scenario format's JSON Schema (save it for your editor)."""
    click.echo(json.dumps(scenario_json_schema(), indent=2))


def _clock(value: float | None) -> str:
    return format_clock(value) if value is not None else "—"


def format_summary(summary: dict[str, Any], log: str | None) -> str:
    """The human-readable run summary."""
    s = summary
    lines = [
        f"{s['scenario']} (seed {s['seed']}, role {s['role']}): {s['ended']} "
        f"at {_clock(s['ended_at'])}",
        f"  impact    began {_clock(s['impact_started_at'])}, mitigated "
        f"{_clock(s['impact_mitigated_at'])}"
        + (f" by {s['mitigated_by']}" if s["mitigated_by"] else "")
        + f", ended {_clock(s['impact_ended_at'])}"
        + ("  (still ongoing when the drill ended)" if s["impact_ongoing_at_end"] else ""),
        f"  paging    first page {_clock(s['first_page_at'])}, first ack "
        f"{_clock(s['first_ack_at'])}, severity "
        + (f"SEV{s['severity']}" if s["severity"] else "never declared"),
        f"  alerts    {s['alerts_fired']} fired, {s['noise_alerts']} of them noise "
        f"({s['noise_share']:.0%}), {s['pages']} page(s)",
        f"  commands  {s['commands_accepted']} accepted, {s['commands_rejected']} rejected",
    ]
    lines += [
        f"            rejected at {_clock(r['t'])}: {r['text']}  -> {r['error']}"
        for r in s["rejected"]
    ]
    if log:
        lines.append(f"  log       {log}")
    return "\n".join(lines)


@click.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed of the drill.")
@click.option(
    "--script",
    type=click.Path(dir_okay=False),
    help='YAML list of timed commands: - {at: 2m, do: "/ack"}.',
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="Write the session log (JSON Lines) here.",
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="ic",
    show_default=True,
    help="The trainee's role; the simulator plays the others.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--score", is_flag=True, help="Also print the scorecard.")
@click.option("--coach", is_flag=True, help="Log the coach's hints (see gameday play --coach).")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 2 if the script has a command the drill rejects (for CI).",
)
def run(
    scenario: str,
    seed: int,
    script: str | None,
    log_path: str | None,
    role: str,
    as_json: bool,
    score: bool,
    coach: bool,
    strict: bool,
) -> None:
    """Play a drill headless, as fast as the CPU allows, and print a summary.

    SCENARIO is a shipped scenario id (see `gameday list`) or a path to a YAML file.
    Without --script nobody responds and the drill runs to its duration limit.
    """
    loaded = load_scenario(scenario)
    lines = read_script(script) if script else ()
    entries = [line.entry for line in lines]
    humans = {e.as_ for e in entries if e.as_}
    session = DrillSession(
        loaded.scenario,
        seed=seed,
        role=role,
        log_path=log_path,
        scenario_hash=loaded.content_hash,
        humans=humans,
        coach=coach,
    )
    try:
        results = session.run_script(entries)
    finally:
        session.close()
    rejected = [
        Problem(line.file, line.line, None, f"{line.entry.do!r} at {format_clock(line.entry.at)}"
                f" was rejected: {result.message}")
        for line, result in zip(lines, results, strict=True)
        if result is not None and not result.accepted
    ]  # fmt: skip
    for problem in rejected:
        (report_input_error(InputError([problem])) if strict else warn(problem))
    summary = session.summary()
    card = None
    if score:
        from scoring import score_log

        card = score_log(session.header, session.events)
    if as_json:
        out: dict[str, Any] = {"summary": summary}
        if card is not None:
            out["score"] = card.to_json()
        click.echo(json.dumps(out, indent=2))
    else:
        click.echo(format_summary(summary, log_path))
        if card is not None:
            click.echo()
            click.echo(card.to_text())
    if strict and rejected:
        raise SystemExit(EXIT_BAD_INPUT)
