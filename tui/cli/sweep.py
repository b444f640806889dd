"""``gameday oncall sweep``: the policy test over a grid, and its Pareto front.

A thin front end over :mod:`simulator.oncall.sweep`: parse the options, run, print a
table (or JSON), write the HTML report. Heavy modules load only when the command runs.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from tui.cli.runs import executor_options, progress_bar

DEFAULT_START = "2026-01-05"
"""The same fixed Monday as ``gameday oncall test``: results never depend on today."""


def _seconds(value: float | None) -> str:
    from simulator.durations import format_duration

    return "-" if value is None else format_duration(value)


def _interval(value: dict[str, float] | None, seconds: bool) -> str:
    if value is None:
        return "-"
    if seconds:
        return f"{_seconds(value['mean'])} [{_seconds(value['low'])}-{_seconds(value['high'])}]"
    return f"{value['mean']:.2f} [{value['low']:.2f}-{value['high']:.2f}]"


def report_text(report: dict[str, Any]) -> str:
    """Every variant in grid order, the front marked with *."""
    from simulator.oncall.sweepreport import label

    lines = [
        f"{report['config']}: {len(report['points'])} variants, {report['runs']} runs of "
        f"{report['days']:g} days each, seed {report['seed']}",
        "* = on the Pareto front (no other variant has both a lower p95 ack and fewer"
        " sleep pages); [95% intervals over runs]",
        "",
        f"  {'P95 ACK (MEAN PER RUN)':<26}{'SLEEP PAGES/WK (MAX)':<24}{'NEVER ACK':>10}"
        f"{'LAST STEP':>10}{'FAIRNESS':>9}  VARIANT",
    ]
    for i, p in enumerate(report["points"]):
        mark = "*" if i in report["front"] else " "
        lines.append(
            f"{mark} {_interval(p['p95_ack'], True):<26}{_interval(p['sleep_pages'], False):<24}"
            f"{p['never_acked']:>10.1%}{p['reached_last_step']:>10.1%}{p['fairness']:>9.3f}"
            f"  {label(p)}"
        )
    return "\n".join(lines)


@click.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="On-call config (YAML, kind: OnCall) the variants start from.",
)
@click.option(
    "--vary",
    "vary_texts",
    multiple=True,
    required=True,
    metavar="PATH=V1,V2,...",
    help="A field and its values, e.g. policies.payments.repeat=0,1,2 (repeatable).",
)
@click.option("--runs", default=100, show_default=True, type=click.IntRange(1, 100000))
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--start", default=DEFAULT_START, show_default=True, help="First simulated day.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write an HTML report here.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@executor_options
def sweep(
    config_path: str,
    vary_texts: tuple[str, ...],
    runs: int,
    days: int,
    seed: int,
    start: str,
    report: str | None,
    as_json: bool,
    workers: int | None,
    cluster: str | None,
) -> None:
    """Run the policy test for every combination of --vary values.

    Reports p95 time to acknowledge against sleep pages per person (the most-paged
    person) for each variant, with 95% intervals, and marks the Pareto front. Paths:
    policies.NAME.steps.N.delay, policies.NAME.repeat,
    schedules.NAME.layers.NAME.turn_length, schedules.NAME.layers.NAME.size,
    services.NAME.alerts.per_day (NAME may be * or a position from 1).
    """
    from simulator.executors import open_executor
    from simulator.oncall.loader import load_oncall
    from simulator.oncall.sweep import parse_vary, run_sweep
    from simulator.oncall.sweepreport import render_sweep_html
    from simulator.oncall.timezones import aware_epoch, zone

    varies = [parse_vary(text) for text in vary_texts]
    oncall = load_oncall(config_path)
    try:
        begin = aware_epoch(datetime.fromisoformat(start.strip()), zone(oncall.config.time_zone))
    except ValueError:
        raise click.BadParameter(
            f"'{start}' is not a date: write it like 2026-01-05", param_hint="--start"
        ) from None
    total = 1
    for vary in varies:
        total *= len(vary.values)
    with open_executor(cluster, workers) as executor, progress_bar(total, "variants") as progress:
        result = run_sweep(
            oncall,
            varies,
            start=begin,
            days=float(days),
            runs=runs,
            seed=seed,
            executor=executor,
            progress=progress,
        )
    if report:
        Path(report).write_text(render_sweep_html(result), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(report_text(result))
        if report:
            click.echo(f"\nreport written to {report}")
