"""Who carries the load: on-call share, night pages, worst weeks and broken nights per
person, and where incidents come from (service, escalation step, local hour).

A policy that meets every latency limit can still burn people out, and the averages
hide it: one person paged three nights in a row, or a manager named as the last
escalation step who is in effect on call around the clock. These figures put that on
the page, each with its interval over runs (:mod:`simulator.oncall.estimates`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from simulator.oncall.estimates import SLEEP, Estimate, Intervals, percentile_interval
from simulator.oncall.loader import OnCall
from simulator.oncall.simulate import RunResult
from simulator.oncall.testrun import WEEK, PolicySummary
from simulator.oncall.timezones import zone

HEAVY_SHARE = 0.30
"""On-call share above which load is commonly considered heavy."""
MAX_SHARE = 0.50
"""On-call share above which the common guidance is broken outright."""


@dataclass(frozen=True)
class PersonLoad:
    """One person's load under one configuration."""

    name: str
    oncall_share: float
    """Share of the period the person is on call in some schedule."""
    named_in: tuple[str, ...]
    """Policy steps naming the person directly (reachable around the clock)."""
    pages_per_week: Estimate
    sleep_pages_per_week: Estimate
    worst_week: Estimate
    """Pages in the person's busiest week of a run, mean over runs."""
    longest_broken_streak: Estimate
    """Longest run of consecutive nights with a sleep-hour page, mean over runs."""
    broken_nights_per_week: Estimate


def named_targets(oncall: OnCall) -> dict[str, list[str]]:
    """Person → the policy steps that page them by name, e.g. ``payments step 3``."""
    out: dict[str, list[str]] = {}
    for policy in oncall.config.policies:
        for i, step in enumerate(policy.steps):
            for target in step.targets:
                if target.user is not None:
                    out.setdefault(target.user, []).append(f"{policy.name} step {i + 1}")
    return out


def _longest_streak(nights: set[int]) -> int:
    best = run = 0
    previous = None
    for night in sorted(nights):
        run = run + 1 if previous is not None and night == previous + 1 else 1
        best = max(best, run)
        previous = night
    return best


def _night(moment: float, tz_name: str) -> int:
    # Sleep hours run 22:00-08:00; twelve hours earlier both ends fall on the same date,
    # which names the night.
    return datetime.fromtimestamp(moment - 43200, zone(tz_name)).toordinal()


def people_load(
    oncall: OnCall, summary: PolicySummary, start: float, resampler: Intervals
) -> list[PersonLoad]:
    """Burnout figures for everyone who is on call or was paged, named targets included."""
    config = oncall.config
    runs: list[RunResult] = summary.results
    weeks = summary.days / 7
    period_hours = summary.days * 24
    named = named_targets(oncall)
    zones = {p.name: p.time_zone or config.time_zone for p in config.people}
    out = []
    for person in (p.name for p in config.people):
        logs = [r.page_log[person] for r in runs if person in r.page_log]
        per_week = [len(log.times) / weeks for log in logs]
        sleep = [log.periods.count(SLEEP) / weeks for log in logs]
        worst, streaks, broken = [], [], []
        for log in logs:
            counts: dict[int, int] = {}
            for moment in log.times:
                week = int((moment - start) // WEEK)
                counts[week] = counts.get(week, 0) + 1
            worst.append(float(max(counts.values(), default=0)))
            nights = {
                _night(m, zones[person])
                for m, period in zip(log.times, log.periods, strict=True)
                if period == SLEEP
            }
            streaks.append(float(_longest_streak(nights)))
            broken.append(len(nights) / weeks)
        out.append(
            PersonLoad(
                name=person,
                oncall_share=summary.oncall_hours.get(person, 0.0) / period_hours,
                named_in=tuple(named.get(person, [])),
                pages_per_week=resampler.mean(per_week),
                sleep_pages_per_week=resampler.mean(sleep),
                worst_week=resampler.mean(worst),
                longest_broken_streak=resampler.mean(streaks),
                broken_nights_per_week=resampler.mean(broken),
            )
        )
    return out


@dataclass(frozen=True)
class Breakdown:
    """Incidents of one slice (a service, a step, an hour) with their outcomes."""

    label: str
    incidents_per_run: Estimate
    never_acked: Estimate
    ack_p50: Estimate
    pages_per_week: Estimate | None = None


def _slices(
    runs: Sequence[RunResult], keys: list[list[str]], labels: Sequence[str], intervals: Intervals
) -> list[Breakdown]:
    """One pass over the records: per key and run, incidents, unacknowledged and acks."""
    count = {k: [0.0] * len(runs) for k in labels}
    unacked = {k: [0.0] * len(runs) for k in labels}
    acks: dict[str, list[float]] = {k: [] for k in labels}
    for i, (run, row) in enumerate(zip(runs, keys, strict=True)):
        log = run.records
        for outcome, ack, key in zip(log.outcomes, log.acks, row, strict=True):
            count[key][i] += 1
            if outcome == 0:
                acks[key].append(ack)
            else:
                unacked[key][i] += 1
    return [
        Breakdown(
            k,
            intervals.mean(count[k]),
            intervals.ratio(unacked[k], count[k]),
            percentile_interval(acks[k], 50),
        )
        for k in labels
    ]


def by_service(summary: PolicySummary, resampler: Intervals) -> list[Breakdown]:
    """Incidents, never-acknowledged share and median ack per service."""
    runs = summary.results
    keys = [r.records.services for r in runs]
    return _slices(runs, keys, sorted({k for row in keys for k in row}), resampler)


def by_hour(summary: PolicySummary, tz_name: str, resampler: Intervals) -> list[Breakdown]:
    """The same per local hour of the trigger (the team's zone), 00-23."""
    runs = summary.results
    tz = zone(tz_name)
    keys = [
        [f"{datetime.fromtimestamp(t, tz).hour:02d}:00" for t in r.records.triggers] for r in runs
    ]
    return _slices(runs, keys, [f"{h:02d}:00" for h in range(24)], resampler)


@dataclass(frozen=True)
class StepLoad:
    """One escalation step: how often it ended the escalation and how many pages it sent."""

    step: int
    acked_here: Estimate
    """Share of incidents acknowledged while this step was current."""
    pages_per_week: Estimate


def by_step(summary: PolicySummary, resampler: Intervals) -> list[StepLoad]:
    """Per escalation step (1-based), acknowledgements and pages."""
    runs = summary.results
    weeks = summary.days / 7
    incidents = [float(r.incidents) for r in runs]
    steps = sorted(
        {s for r in runs for s in r.step_pages} | {s for r in runs for s in r.acked_at_step}
    )
    return [
        StepLoad(
            s + 1,
            resampler.ratio([float(r.acked_at_step.get(s, 0)) for r in runs], incidents),
            resampler.mean([r.step_pages.get(s, 0) / weeks for r in runs]),
        )
        for s in steps
        if s >= 0
    ]


def grouping_note(oncall: OnCall, summary: PolicySummary) -> str:
    """Why this configuration has as many incidents as it does."""
    name, alerts, incidents = summary.name, summary.alerts_per_run, summary.incidents_per_run
    if oncall.alertmanager is None:
        return (
            f"{name}: no Alertmanager routing, so every alert pages as its own incident "
            f"({alerts:.1f} alerts → {incidents:.1f} incidents a run)."
        )
    merged = summary.alerts_per_incident * incidents
    unpaged = max(alerts - merged, 0.0)
    root = oncall.alertmanager.route.group_by
    grouping = "all labels" if root and "..." in root else ", ".join(root or []) or "nothing"
    return (
        f"{name}: Alertmanager routing turns {alerts:.1f} alerts a run into "
        f"{incidents:.1f} incidents. Grouping (root group_by: {grouping}) merges "
        f"{summary.alerts_per_incident:.2f} alerts into each incident on average; "
        f"{unpaged:.1f} alerts a run page nobody (sent to receivers that stand for no "
        f"service, inhibited, muted, or resolved within group_wait)."
    )
