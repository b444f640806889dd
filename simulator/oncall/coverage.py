"""Coverage of rendered schedules: holes, double-booked handoffs, hours and fairness.

A schedule with restrictions has intended holes (a business-hours layer is empty at
night by design), so the holes that matter are a policy's: moments when no step of
the policy would reach anybody. Both are reported; ``gameday oncall gaps`` shows
the difference.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from simulator.oncall.model import EscalationPolicy, OnCallConfig
from simulator.oncall.schedule import Timeline, merge_windows


@dataclass(frozen=True)
class Gap:
    """A stretch of time nobody covers."""

    owner: str
    """``schedule:<name>`` or ``policy:<name>``."""
    start: float
    end: float

    @property
    def seconds(self) -> float:
        """Length of the gap."""
        return self.end - self.start


def schedule_gaps(timeline: Timeline, start: float, end: float) -> list[Gap]:
    """Where nobody is on call in the schedule, within [start, end)."""
    return [
        Gap(f"schedule:{timeline.name}", s.start, s.end)
        for s in timeline.segments(start, end)
        if not s.people
    ]


def policy_gaps(
    policy: EscalationPolicy, timelines: Mapping[str, Timeline], start: float, end: float
) -> list[Gap]:
    """Where no step of ``policy`` would reach anybody (every target empty)."""
    if any(t.user is not None for step in policy.steps for t in step.targets):
        return []
    names = {t.schedule for step in policy.steps for t in step.targets if t.schedule}
    if not names:
        return [Gap(f"policy:{policy.name}", start, end)]
    holes = [
        [(g.start, g.end) for g in schedule_gaps(timelines[n], start, end)] for n in sorted(names)
    ]
    common = holes[0]
    for other in holes[1:]:
        common = _intersect(common, other)
    return [Gap(f"policy:{policy.name}", lo, hi) for lo, hi in common]


def _intersect(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


@dataclass(frozen=True)
class DoubleBooking:
    """A short stretch around a handoff where more people are on call than before and after."""

    schedule: str
    start: float
    end: float
    people: frozenset[str]


def double_booked(
    timeline: Timeline, start: float, end: float, *, longest: float = 12 * 3600
) -> list[DoubleBooking]:
    """Transient overlaps: a segment with more people than both neighbours, up to ``longest``.

    With ``all_on_call`` precedence, two rotations whose handoffs do not line up put
    both the outgoing and the incoming person on call for a while; intended
    double coverage lasts longer than ``longest`` and is not reported.
    """
    segments = list(timeline.segments(start, end))
    out = []
    for prev, cur, nxt in zip(segments, segments[1:], segments[2:], strict=False):
        if (
            len(cur.people) > 1
            and len(cur.people) > len(prev.people)
            and len(cur.people) > len(nxt.people)
            and cur.end - cur.start <= longest
        ):
            out.append(DoubleBooking(timeline.name, cur.start, cur.end, cur.people))
    return out


def oncall_hours(
    config: OnCallConfig, timelines: Mapping[str, Timeline], start: float, end: float
) -> dict[str, float]:
    """Hours each rotating person is on call in [start, end), in any schedule, counted once."""
    spans: dict[str, list[tuple[float, float]]] = {
        user: [] for s in config.schedules for layer in s.layers for user in layer.users
    }
    for timeline in timelines.values():
        for seg in timeline.segments(start, end):
            for person in seg.people:
                spans.setdefault(person, []).append((seg.start, seg.end))
    return {
        person: sum(hi - lo for lo, hi in merge_windows(windows)) / 3600
        for person, windows in sorted(spans.items())
    }


def fairness(hours: Iterable[float]) -> float:
    """Grafana OnCall's balance: mean over pairs of people of smaller / larger share (1 = even)."""
    values = list(hours)
    pairs = list(itertools.combinations(values, 2))
    if not pairs:
        return 1.0
    ratios = [min(a, b) / max(a, b) if max(a, b) > 0 else 1.0 for a, b in pairs]
    return sum(ratios) / len(ratios)


def all_gaps(
    config: OnCallConfig, timelines: Mapping[str, Timeline], start: float, end: float
) -> tuple[list[Gap], list[Gap]]:
    """(schedule gaps, policy gaps of policies that services use) within [start, end)."""
    used = {s.policy for s in config.services}
    sched = [g for t in timelines.values() for g in schedule_gaps(t, start, end)]
    pol = [
        g for p in config.policies if p.name in used for g in policy_gaps(p, timelines, start, end)
    ]
    return sched, pol
