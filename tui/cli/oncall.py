"""``gameday oncall``: dry-run, check and test on-call schedules and escalation policies.

A thin front end: parsing options, printing and exit codes live here; every
computation is in :mod:`simulator.oncall`, which is also what the drill engine uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from simulator.durations import format_duration, parse_duration
from simulator.errors import InputError
from simulator.oncall.alertmanager import Alert
from simulator.oncall.coverage import all_gaps, double_booked, fairness, oncall_hours
from simulator.oncall.findings import build_findings
from simulator.oncall.importers import SYSTEMS, import_paths
from simulator.oncall.loader import OnCall, load_oncall
from simulator.oncall.markdown import render_markdown
from simulator.oncall.model import OnCallConfig
from simulator.oncall.paging import escalation_plan
from simulator.oncall.report import render_html
from simulator.oncall.schedule import render_all
from simulator.oncall.streams import (
    alerts_from_csv,
    alerts_from_scenario,
    missing_services,
)
from simulator.oncall.testrun import (
    PolicySummary,
    TrialOutcome,
    TrialSetup,
    format_signed,
    run_test,
)
from simulator.oncall.thresholds import check_limits, parse_per_week, parse_share
from simulator.oncall.timezones import aware_epoch, zone

DEFAULT_START = "2026-01-05"
"""Policy tests start on a fixed Monday so results never depend on today's date (a
CI gate must give the same verdict tomorrow); `gaps` looks ahead from today."""

EXIT_LIMITS_BROKEN = 1


def _moment(text: str, config: OnCallConfig, option: str) -> float:
    """Parse a date or date-time; naive ones are in the config's zone."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"'{text}' is not a date or time: write it like 2026-12-24 03:00", param_hint=option
        ) from None
    return aware_epoch(value, zone(config.time_zone))


def _local(epoch: float, tz_name: str) -> str:
    return datetime.fromtimestamp(epoch, zone(tz_name)).strftime("%a %Y-%m-%d %H:%M %Z")


config_option = click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="On-call config (YAML, kind: OnCall).",
)


@click.group()
def oncall() -> None:
    """Dry-run, check, import and test on-call schedules and escalation policies."""


@oncall.command()
@config_option
@click.option("--at", "at", required=True, help='When the alert triggers, e.g. "2026-12-24 03:00".')
@click.option("--service", help="Only this service (default: every service).")
def who(config_path: str, at: str, service: str | None) -> None:
    """Who is paged at each step, and when, for an alert at a given time."""
    config = load_oncall(config_path).config
    trigger = _moment(at, config, "--at")
    names = [s.name for s in config.services]
    if service is not None and service not in names:
        from simulator.validation import did_you_mean

        raise click.BadParameter(
            f"no service '{service}' ({did_you_mean(service, names)})", param_hint="--service"
        )
    zones = {p.name: p.time_zone or config.time_zone for p in config.people}
    for name in [service] if service else names:
        when = datetime.fromtimestamp(trigger, zone(config.time_zone))
        plan = escalation_plan(config, name, when)
        click.echo(f"{name} (policy {plan.policy}), triggered {_local(trigger, config.time_zone)}")
        for step in plan.steps:
            moment = trigger + step.offset
            local = {
                p: datetime.fromtimestamp(moment, zone(zones[p])).strftime("%H:%M %Z")
                for p in step.people
            }
            empty = "skipped" if config.semantics.empty_step == "skip" else "waited out"
            notified = ", ".join(f"{p} ({t})" for p, t in local.items())
            click.echo(
                f"  +{format_duration(step.offset):>8}  step {step.step + 1}"
                f" (pass {step.loop + 1})  {notified or 'nobody on call: ' + empty}"
            )


def _print_gaps(oncall_: OnCall, start: float, end: float, limit: int) -> None:
    config = oncall_.config
    timelines = render_all(config, start, end)
    sched, pol = all_gaps(config, timelines, start, end)
    click.echo(
        f"Coverage of {config.name} from {_local(start, config.time_zone)} "
        f"to {_local(end, config.time_zone)}"
    )
    click.echo(f"\nPolicy gaps (nobody reachable at any step): {len(pol)}")
    for gap in pol[:limit]:
        click.echo(
            f"  {gap.owner}: {_local(gap.start, config.time_zone)} → "
            f"{_local(gap.end, config.time_zone)} ({format_duration(gap.seconds)})"
        )
    click.echo(f"\nSchedule holes (nobody on call in the schedule): {len(sched)}")
    for gap in sched[:limit]:
        click.echo(
            f"  {gap.owner}: {_local(gap.start, config.time_zone)} → "
            f"{_local(gap.end, config.time_zone)} ({format_duration(gap.seconds)})"
        )
    if len(sched) > limit:
        click.echo(f"  ... and {len(sched) - limit} more")
    doubles = [d for t in timelines.values() for d in double_booked(t, start, end)]
    click.echo(f"\nDouble-booked handoffs: {len(doubles)}")
    for d in doubles[:limit]:
        click.echo(
            f"  schedule:{d.schedule}: {_local(d.start, config.time_zone)} "
            f"({format_duration(d.end - d.start)}) {', '.join(sorted(d.people))}"
        )
    hours = oncall_hours(config, timelines, start, end)
    click.echo(f"\nOn-call hours per person (fairness {fairness(hours.values()):.3f}):")
    for person, h in hours.items():
        click.echo(f"  {person:<16} {h:8.1f} h")


@oncall.command()
@config_option
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660))
@click.option(
    "--start",
    help="First day checked, in the config's zone [default: today, so coming overrides count].",
)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="Most rows shown per list.",
)
def gaps(config_path: str, days: int, start: str | None, limit: int) -> None:
    """Coverage holes, double-booked handoffs and on-call hours over a period."""
    loaded = load_oncall(config_path)
    if start is None:
        start = datetime.now(zone(loaded.config.time_zone)).date().isoformat()
    begin = _moment(start, loaded.config, "--start")
    _print_gaps(loaded, begin, begin + days * 86400, limit)


def _fixed_alerts(
    alerts_csv: str | None, scenario: str | None, config: OnCallConfig
) -> tuple[tuple[Alert, ...] | None, bool]:
    if alerts_csv:
        return tuple(alerts_from_csv(alerts_csv, config)), False
    if scenario:
        from simulator.drill.unattended import unattended_alerts
        from simulator.scenario.loader import load_scenario

        entries, durations = unattended_alerts(load_scenario(scenario).scenario)
        if not entries:
            raise InputError.single(scenario, "the scenario fires no alerts to page with")
        return tuple(alerts_from_scenario(entries, durations=durations)), True
    return None, False


@contextmanager
def _progress(runs: int, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    if not enabled:
        yield None
        return
    with click.progressbar(length=runs, label="simulating", file=sys.stderr) as bar:
        yield bar.update


def _summary_text(s: PolicySummary) -> list[str]:
    pct = s.ack_percentiles
    lines = [
        f"{s.name}: {s.incidents_per_run:.1f} incidents per run",
        "  time to ack   "
        + "  ".join(f"{k} {format_duration(v) if v is not None else '-'}" for k, v in pct.items()),
        "  acked at step " + "  ".join(f"{k + 1}: {v:.1%}" for k, v in s.acked_at_step.items()),
        f"  reached last step {s.reached_last_step:.1%}   never acknowledged {s.never_acked:.1%}"
        f" (missed by everyone {s.missed_by_all:.1%}, resolved first {s.resolved_first:.1%})"
        f"   escalations per incident {s.escalations_per_incident:.2f}",
        "  pages a week    business  off-hours  sleep   on-call h",
    ]
    for person, pages in s.pages_per_week.items():
        hours = s.oncall_hours.get(person, 0.0)
        lines.append(
            f"    {person:<14}{pages['business']:8.2f}{pages['off_hours']:11.2f}"
            f"{pages['sleep']:7.2f}{hours:11.0f}"
        )
    gaps_h = sum(s.schedule_gaps_hours.values())
    policy_gap_h = sum(g.seconds for g in s.policy_gaps) / 3600
    lines.append(
        f"  fairness {s.fairness:.3f}   policy gaps {policy_gap_h:.1f} h   "
        f"schedule holes {gaps_h:.1f} h"
    )
    return lines


def _outcome_text(outcome: TrialOutcome) -> str:
    lines = _summary_text(outcome.proposed)
    if outcome.baseline:
        lines += [
            "",
            *_summary_text(outcome.baseline),
            "",
            "proposed - baseline (mean of paired runs, 95% bootstrap interval):",
        ]
        for d in outcome.deltas:
            lines.append(
                f"  {d.metric:<26}{format_signed(d.metric, d.delta):>12}   "
                f"[{format_signed(d.metric, d.low)}, {format_signed(d.metric, d.high)}]"
            )
    return "\n".join(lines)


def _limits(**given: str | None) -> dict[str, float]:
    parsers: dict[str, Callable[[str], float]] = {
        "max_p50_ack": parse_duration,
        "max_p95_ack": parse_duration,
        "max_p99_ack": parse_duration,
        "max_never_acked": parse_share,
        "max_reached_last": parse_share,
        "max_sleep_pages": parse_per_week,
        "min_fairness": float,
    }
    limits = {}
    for key, text in given.items():
        if text is None:
            continue
        try:
            limits[key] = parsers[key](text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--" + key.replace("_", "-")) from None
    return limits


@oncall.command()
@config_option
@click.option("--baseline", type=click.Path(dir_okay=False), help="Current config to compare.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660))
@click.option("--runs", default=200, show_default=True, type=click.IntRange(1, 100000))
@click.option("--workers", type=click.IntRange(1, 256), help="Processes (default: all cores).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--start", default=DEFAULT_START, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write an HTML report here.")
@click.option(
    "--markdown",
    "markdown_path",
    type=click.Path(dir_okay=False),
    help="Write a short markdown verdict here (for a pull-request comment).",
)
@click.option(
    "--alerts",
    "alerts_csv",
    type=click.Path(dir_okay=False),
    help="Alert history CSV: time,service[,resolved|duration][,labels].",
)
@click.option("--scenario", help="Use the alerts of a drill scenario (id or path).")
@click.option("--max-p50-ack", help="Limit, e.g. 5m.")
@click.option("--max-p95-ack", help="Limit, e.g. 10m.")
@click.option("--max-p99-ack", help="Limit, e.g. 30m.")
@click.option("--max-never-acked", help="Limit, e.g. 1%.")
@click.option("--max-reached-last", help="Limit, e.g. 5%.")
@click.option("--max-sleep-pages", help="Limit per person, e.g. 2/week.")
@click.option("--min-fairness", help="Lower limit, e.g. 0.8.")
def test(
    config_path: str,
    baseline: str | None,
    days: int,
    runs: int,
    workers: int | None,
    seed: int,
    start: str,
    as_json: bool,
    report: str | None,
    markdown_path: str | None,
    alerts_csv: str | None,
    scenario: str | None,
    **limit_texts: str | None,
) -> None:
    """Simulate months of alerts through a policy and report how paging goes.

    Exits 1 when the proposed config breaks a --max-*/--min-* limit, so it can gate a
    policy change in CI.
    """
    if alerts_csv and scenario:
        raise click.UsageError("give --alerts or --scenario, not both")
    limits = _limits(**limit_texts)
    proposed = load_oncall(config_path)
    base = load_oncall(baseline) if baseline else None
    alerts, scatter = _fixed_alerts(alerts_csv, scenario, proposed.config)
    begin = _moment(start, proposed.config, "--start")
    if alerts and not scatter:
        begin = min(a.start for a in alerts)
        days = max(1, int((max(a.end for a in alerts) - begin) // 86400) + 1)
    for other in (proposed, base):
        if other is not None and alerts is not None:
            lacking = missing_services(alerts, [s.name for s in other.config.services])
            if lacking:
                raise InputError.single(
                    other.file,
                    f"no service '{lacking[0]}', which the alerts name",
                    hint="both configs need every service",
                )
    if base is not None and alerts is None:
        lacking = sorted(
            {s.name for s in proposed.config.services if s.alerts}
            - {s.name for s in base.config.services}
        )
        if lacking:
            raise InputError.single(
                base.file,
                f"no service '{lacking[0]}', which the proposed config raises alerts for",
                hint="compare like with like",
            )
    detail = bool(report or markdown_path)
    setup = TrialSetup(proposed, base, begin, float(days), runs, seed, alerts, scatter, detail)
    show_bar = not as_json and sys.stderr.isatty() and runs > 1
    with _progress(runs, show_bar) as progress:
        outcome = run_test(setup, workers=workers, progress=progress)
    broken = check_limits(outcome.proposed, limits)
    if report or markdown_path:
        findings = build_findings(outcome, limits)
        if report:
            _write(report, render_html(findings), "--report")
        if markdown_path:
            _write(markdown_path, render_markdown(findings), "--markdown")
    if as_json:
        data = outcome.to_dict()
        data["limits_broken"] = broken
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(_outcome_text(outcome))
        for path in filter(None, (report, markdown_path)):
            click.echo(f"\nwritten: {path}")
    if broken:
        for message in broken:
            click.echo(f"gameday: limit broken: {message}", err=True)
        sys.exit(EXIT_LIMITS_BROKEN)


def _write(path: str, text: str, option: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write '{path}': {exc.strerror}", param_hint=option
        ) from None


@oncall.command("import")
@click.argument("system", type=click.Choice(SYSTEMS))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
def import_(system: str, paths: tuple[str, ...], output: str | None) -> None:
    """Convert PagerDuty, Opsgenie, GoAlert or Grafana OnCall exports, or a Terraform
    directory of PagerDuty resources, into an OnCall config.

    PagerDuty takes one or several API responses (GET /schedules/{id},
    /escalation_policies/{id}, /services/{id}, list responses, or a bundle). What the
    import had to approximate is printed here and kept under `assumptions:`.
    """
    imported = import_paths(system, paths)
    for note in imported.warnings:
        click.echo(f"gameday: warning: {note}", err=True)
    if output:
        Path(output).write_text(imported.text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(imported.text, nl=False)


@oncall.command()
def schema() -> None:
    """Print the JSON Schema of the OnCall format."""
    click.echo(json.dumps(OnCallConfig.model_json_schema(), indent=2))


from tui.cli.sweep import sweep  # noqa: E402

oncall.add_command(sweep)
