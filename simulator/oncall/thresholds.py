"""Pass/fail limits on a policy test, so a policy change can be gated in CI."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simulator.durations import format_duration
from simulator.oncall.testrun import PolicySummary

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(day|week|month))?\s*$")
_PER_WEEK = {"day": 7.0, "week": 1.0, "month": 7 / 30}


def parse_per_week(text: str) -> float:
    """``2/week``, ``0.5/day``, ``8/month`` (30 days) or a bare number (per week) → per week."""
    match = _RATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a rate: write it like 2/week or 0.5/day")
    return float(match.group(1)) * _PER_WEEK[match.group(2) or "week"]


def parse_share(text: str) -> float:
    """``1%`` or ``0.01`` → 0.01."""
    value = text.strip()
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise ValueError(f"'{text}' is not a share: write it like 1% or 0.01") from None
    if not 0 <= share <= 1:
        raise ValueError(f"'{text}' is not between 0% and 100%")
    return share


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


@dataclass(frozen=True)
class Limit:
    """One limit: which figure, upper or lower bound, and how to print it."""

    flag: str
    figure: Callable[[PolicySummary], float | None]
    upper: bool
    show: Callable[[float], str]


LIMITS: dict[str, Limit] = {
    "max_p50_ack": Limit(
        "--max-p50-ack", lambda s: s.ack_percentiles["p50"], True, format_duration
    ),
    "max_p95_ack": Limit(
        "--max-p95-ack", lambda s: s.ack_percentiles["p95"], True, format_duration
    ),
    "max_p99_ack": Limit(
        "--max-p99-ack", lambda s: s.ack_percentiles["p99"], True, format_duration
    ),
    "max_never_acked": Limit("--max-never-acked", lambda s: s.never_acked, True, _pct),
    "max_reached_last": Limit("--max-reached-last", lambda s: s.reached_last_step, True, _pct),
    "max_sleep_pages": Limit(
        "--max-sleep-pages", lambda s: s.max_sleep_pages_per_week, True, lambda x: f"{x:.2f}/week"
    ),
    "min_fairness": Limit("--min-fairness", lambda s: s.fairness, False, lambda x: f"{x:.3f}"),
}


def check_limits(summary: PolicySummary, limits: dict[str, float]) -> list[str]:
    """A message for each limit ``summary`` breaks (empty when it passes)."""
    broken = []
    for key, bound in limits.items():
        limit = LIMITS[key]
        value = limit.figure(summary)
        if value is None:
            broken.append(f"{limit.flag}: no incident was acknowledged, so it cannot be met")
            continue
        if (value > bound) if limit.upper else (value < bound):
            relation = "above" if limit.upper else "below"
            broken.append(
                f"{limit.flag}: {limit.show(value)} is {relation} the limit {limit.show(bound)}"
            )
    return broken
