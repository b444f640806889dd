"""Pass or fail per limit, for every configuration of a test, with the figure's interval.

A manager decides from a verdict, not from a table: each configuration gets one
line (passes every limit, or which it breaks), and each limit says how sure the
verdict is (a figure whose interval straddles the limit is marked borderline). The
current configuration is judged too: a proposal that fails may still beat it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.oncall.estimates import Estimate
from simulator.oncall.testrun import PolicySummary
from simulator.oncall.thresholds import LIMITS

ESTIMATE_OF = {
    "max_p50_ack": "ack_p50",
    "max_p95_ack": "ack_p95",
    "max_p99_ack": "ack_p99",
    "max_never_acked": "never_acked",
    "max_reached_last": "reached_last_step",
    "max_sleep_pages": "max_sleep_pages_per_week",
    "min_fairness": "fairness",
}
"""Which summary figure (see :data:`simulator.oncall.estimates.HEADLINE`) each limit reads."""


@dataclass(frozen=True)
class Check:
    """One limit applied to one configuration."""

    key: str
    flag: str
    bound: float
    estimate: Estimate
    passed: bool
    borderline: bool
    """The 95% interval reaches the other side of the limit: more runs would tell."""

    def bound_text(self) -> str:
        """``--max-p95-ack 10m``."""
        return f"{self.flag} {LIMITS[self.key].show(self.bound)}"

    def value_text(self) -> str:
        """``8m12s [7m50s, 8m40s]``."""
        show = LIMITS[self.key].show
        est = self.estimate
        if est.value is None:
            return "no incident acknowledged"
        if est.low is None or est.high is None or est.exact:
            return show(est.value)
        return f"{show(est.value)} [{show(est.low)}, {show(est.high)}]"


def check(estimates: Mapping[str, Estimate], limits: Mapping[str, float]) -> list[Check]:
    """Every limit against one configuration's figures."""
    out = []
    for key, bound in limits.items():
        limit = LIMITS[key]
        est = estimates[ESTIMATE_OF[key]]
        if est.value is None:
            out.append(Check(key, limit.flag, bound, est, False, False))
            continue
        low = est.low if est.low is not None else est.value
        high = est.high if est.high is not None else est.value
        if limit.upper:
            ok = est.value <= bound
            crosses = high > bound if ok else low <= bound
        else:
            ok = est.value >= bound
            crosses = low < bound if ok else high >= bound
        out.append(Check(key, limit.flag, bound, est, ok, crosses and not est.exact))
    return out


def verdict_line(summary: PolicySummary, checks: list[Check]) -> str:
    """``proposed: FAIL, breaks 1 of 3 limits (--max-p95-ack)`` and the like."""
    if not checks:
        return f"{summary.name}: no limits given, so no verdict (add --max-p95-ack and others)"
    broken = [c for c in checks if not c.passed]
    close = [c for c in checks if c.borderline]
    tail = f"; {len(close)} borderline" if close else ""
    if broken:
        names = ", ".join(c.flag for c in broken)
        return f"{summary.name}: FAIL, breaks {len(broken)} of {len(checks)} limits ({names}){tail}"
    return f"{summary.name}: PASS, meets all {len(checks)} limits{tail}"
