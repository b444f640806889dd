"""How policy-test figures read in reports: durations, shares, rates, with intervals."""

from __future__ import annotations

from collections.abc import Callable

from simulator.durations import format_duration
from simulator.oncall.estimates import Estimate


def _share(x: float) -> str:
    return f"{x * 100:.1f}%"


def _rate(x: float) -> str:
    return f"{x:.2f}"


def _count(x: float) -> str:
    return f"{x:.1f}"


FORMATS: dict[str, Callable[[float], str]] = {
    "incidents_per_run": _count,
    "alerts_per_run": _count,
    "alerts_per_incident": lambda x: f"{x:.2f}",
    "ack_p50": format_duration,
    "ack_p90": format_duration,
    "ack_p95": format_duration,
    "ack_p99": format_duration,
    "reached_last_step": _share,
    "never_acked": _share,
    "missed_by_all": _share,
    "resolved_first": _share,
    "escalations_per_incident": lambda x: f"{x:.3f}",
    "pages_per_week": _rate,
    "repages_per_week": _rate,
    "max_sleep_pages_per_week": _rate,
    "fairness": lambda x: f"{x:.3f}",
    "per_week": _rate,
    "count": _count,
    "nights": lambda x: f"{x:.1f}",
    "share": _share,
    "duration": format_duration,
    "signed": lambda x: f"{x:+.2f}",
}
"""Formatter per figure key (see ``estimates.HEADLINE``) and per kind of figure."""


def show_estimate(est: Estimate, fmt: Callable[[float], str]) -> tuple[str, str]:
    """(value, ``[low, high]``): empty interval text for exact figures, a dash for none."""
    if est.value is None:
        return "–", ""
    if est.exact:
        return fmt(est.value), "exact"
    if est.low is None or est.high is None:
        return fmt(est.value), ""
    return fmt(est.value), f"[{fmt(est.low)}, {fmt(est.high)}]"
