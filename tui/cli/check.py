"""``gameday check``: can this scenario be solved, and does expertise pay off in it?

A thin front end over :mod:`simulator.runs.check`: it loads the scenario and the
responses, wires in the grader from ``scoring`` (the engine may not import scoring, so
the CLI, which may import both, hands it over), prints the report and exits 1 when the
scenario fails its own claims, so CI can gate a new scenario.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from simulator.durations import format_duration
from tui.cli.runs import executor_options, progress_bar

EXIT_CLAIMS_FAILED = 1


def _seconds(value: float | None) -> str:
    return "never" if value is None else format_duration(value)


def _figure(spread: dict[str, Any], fmt: Any = _seconds) -> str:
    return f"{fmt(spread['p50'])}/{fmt(spread['p90'])} [{fmt(spread['min'])}-{fmt(spread['max'])}]"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def report_text(report: dict[str, Any]) -> str:
    """The check report as a table and a verdict, for people."""
    seeds = report["seeds"]
    last = seeds["first"] + seeds["count"] - 1
    rows = [
        (
            row["name"],
            f"{row['solved']}/{row['runs']}",
            _figure(row["time_to_mitigate"]),
            _figure(row["user_minutes"], _number),
            "/".join(str(v) for v in row["rating"]["counts"].values()),
            "-" if row["good_beats"] is None else f"{row['good_beats']:.0%} of seeds",
        )
        for row in report["responses"]
    ]
    head = ("RESPONSE", "SOLVED", "TIME TO MITIGATE", "USER-MINUTES", "RATING (P/S/M/U)",
            "GOOD BEATS IT")  # fmt: skip
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    lines = [
        f"{report['scenario']}: {report['title']}",
        f"{seeds['count']} seeds ({seeds['first']}-{last}); figures are p50/p90 [min-max]",
        "",
        "  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip(),
    ]
    for row, cells in zip(report["responses"], rows, strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
        if row["rejected_commands"]:
            why = (
                "levers the team did not know of yet, refused (what a blind shotgun meets)"
                if row["name"] == "shotgun"
                else "stale script?"
            )
            lines.append(
                f"{'':<{widths[0] + 2}}{row['rejected_commands']} command(s) rejected: {why}"
            )
    d = report["difficulty"]
    lines.append("")
    if d["score"] is None:
        lines.append("difficulty: - (doing nothing hurts no more than the expert's response)")
    else:
        lines.append(
            f"difficulty {d['score']}/100 (declared {d['declared']}): the novice ({d['novice']})"
            f" still lets through {d['novice_lets_through']:.0%} of the customer impact the"
            f" expert avoids; the expert's own impact is {d['expert_cannot_avoid']:.0%} of"
            " doing nothing's"
        )
    if report["unsolvable_seeds"]:
        shown = ", ".join(str(s) for s in report["unsolvable_seeds"][:10])
        lines.append(f"no response ends the impact on seed(s): {shown}")
    lines.append("")
    for claim in report["claims"]:
        measured = "" if claim["measured"] is None else f" (measured {claim['measured']:.0%})"
        lines.append(f"  {'ok  ' if claim['passed'] else 'FAIL'}  {claim['claim']}{measured}")
    lines.append(f"verdict: {'PASS' if report['passed'] else 'FAIL'}")
    return "\n".join(lines)


@click.command()
@click.argument("scenario")
@click.option("--seeds", default=30, show_default=True, type=click.IntRange(1, 100000))
@click.option("--first-seed", default=1, show_default=True, type=int, help="Seeds run from here.")
@click.option(
    "--script",
    "scripts",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Another response to compare (repeatable).",
)
@click.option(
    "--good",
    type=click.Path(dir_okay=False),
    help="The expert response [default: scripts/<id>-good.yaml beside the scenario].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@executor_options
def check(
    scenario: str,
    seeds: int,
    first_seed: int,
    scripts: tuple[str, ...],
    good: str | None,
    as_json: bool,
    workers: int | None,
    cluster: str | None,
) -> None:
    """Play SCENARIO over many seeds with several responses and check its claims.

    Plays the good and poor scripts (scripts/<id>-good.yaml, -poor.yaml beside the
    scenario), generated ones (idle: nobody answers; shotgun: acknowledge, then every
    mitigation one after another, no investigation) and any --script. Exits 1 when a
    seed cannot be solved or the good response beats idle or shotgun on fewer than 90%
    of seeds.
    """
    from scoring.check import grade_drill
    from simulator.executors import open_executor
    from simulator.runs.check import run_check
    from simulator.runs.drill import load_scenario
    from simulator.runs.scripts import responses

    loaded = load_scenario(scenario)
    plays = responses(loaded, scripts, good)
    seed_list = list(range(first_seed, first_seed + seeds))
    with (
        open_executor(cluster, workers) as executor,
        progress_bar(len(plays) * seeds, "drills") as progress,
    ):
        report = run_check(loaded, plays, seed_list, executor, grade_drill, progress=progress)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(report_text(report))
    if not report["passed"]:
        sys.exit(EXIT_CLAIMS_FAILED)
