"""Render a schedule (layers, restrictions, overrides) into who is on call when.

Evaluating rotation rules for every page would dominate a months-long simulation,
so each schedule is rendered once over a horizon into contiguous segments and
looked up with ``bisect``. Rendering works in the schedule's local wall-clock time,
which keeps handoffs and restriction windows at their local times across DST.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from simulator.oncall.model import WEEKDAYS, Layer, OnCallConfig, Restriction, Schedule
from simulator.oncall.timezones import (
    aware_epoch,
    epoch_to_local,
    local_dates,
    local_to_epoch,
    zone,
)

Interval = tuple[float, float, str]


@dataclass(frozen=True)
class Segment:
    """A stretch of time during which the same people are on call."""

    start: float
    end: float
    people: frozenset[str]


@dataclass(frozen=True)
class Timeline:
    """A rendered schedule: contiguous segments covering ``[start, end)``."""

    name: str
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    people: tuple[frozenset[str], ...]

    @property
    def start(self) -> float:
        """Start of the rendered horizon."""
        return self.starts[0]

    @property
    def end(self) -> float:
        """End of the rendered horizon (exclusive)."""
        return self.ends[-1]

    def at(self, moment: float) -> frozenset[str]:
        """Who is on call at ``moment``; raises ValueError outside the rendered horizon."""
        if not self.starts[0] <= moment < self.ends[-1]:
            raise ValueError(f"schedule '{self.name}' was not rendered for time {moment}")
        return self.people[bisect.bisect_right(self.starts, moment) - 1]

    def segments(self, start: float | None = None, end: float | None = None) -> Iterator[Segment]:
        """Segments overlapping [start, end), clipped to it."""
        lo = self.start if start is None else max(start, self.start)
        hi = self.end if end is None else min(end, self.end)
        first = max(bisect.bisect_right(self.starts, lo) - 1, 0)
        for i in range(first, len(self.starts)):
            if self.starts[i] >= hi:
                break
            yield Segment(max(self.starts[i], lo), min(self.ends[i], hi), self.people[i])


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months, a day past the month's end spilling over (Go's AddDate)."""
    index = moment.year * 12 + moment.month - 1 + months
    first = moment.replace(year=index // 12, month=index % 12 + 1, day=1)
    return first + timedelta(days=moment.day - 1)


def _month_turns(layer: Layer, tz: ZoneInfo, start: float, end: float) -> list[Interval]:
    """Turns of ``turn_months`` calendar months, each handoff computed from the anchor."""
    months = layer.turn_months or 1
    anchor = aware_epoch(layer.rotation_virtual_start, tz)
    naive = epoch_to_local(anchor, tz)
    lo, hi = epoch_to_local(start, tz), epoch_to_local(end, tz)
    first = ((lo.year - naive.year) * 12 + lo.month - naive.month) // months - 2
    last = ((hi.year - naive.year) * 12 + hi.month - naive.month) // months + 2
    out: list[Interval] = []
    for k in range(first, last + 1):
        begin = local_to_epoch(add_months(naive, k * months), tz)
        finish = local_to_epoch(add_months(naive, (k + 1) * months), tz)
        if finish > begin and finish > start and begin < end:
            active = _active_end(layer, tz, begin, finish)
            out.append((begin, active, layer.users[k % len(layer.users)]))
    return out


def _active_end(layer: Layer, tz: ZoneInfo, begin: float, finish: float) -> float:
    """Where a turn stops being on call: its end, or ``active_for`` after its start."""
    if layer.active_for is None:
        return finish
    if layer.handoff == "elapsed":
        return min(finish, begin + layer.active_for)
    local = epoch_to_local(begin, tz) + timedelta(seconds=layer.active_for)
    return min(finish, local_to_epoch(local, tz))


def _turns(layer: Layer, tz: ZoneInfo, start: float, end: float) -> list[Interval]:
    """The layer's turns overlapping [start, end), before restrictions."""
    if layer.turn_length is None:
        return _month_turns(layer, tz, start, end)
    users = layer.users
    anchor = aware_epoch(layer.rotation_virtual_start, tz)
    turn = layer.turn_length
    # The index estimate uses elapsed time; a DST shift moves wall-clock turns by an
    # hour at most, so one turn of margin on each side is enough.
    first = math.floor((start - anchor) / turn) - 1
    last = math.ceil((end - anchor) / turn) + 1
    if layer.handoff == "elapsed":

        def turn_start(k: int) -> float:
            return anchor + k * turn
    else:
        naive = datetime.fromtimestamp(anchor, tz).replace(tzinfo=None)

        def turn_start(k: int) -> float:
            return local_to_epoch(naive + timedelta(seconds=k * turn), tz)

    out: list[Interval] = []
    begin = turn_start(first)
    for k in range(first, last + 1):
        finish = turn_start(k + 1)
        # A wall-clock turn can collapse to nothing at a spring-forward gap.
        if finish > begin and finish > start and begin < end:
            active = _active_end(layer, tz, begin, finish)
            if active > begin:
                out.append((begin, active, users[k % len(users)]))
        begin = finish
    return out


def restriction_windows(
    restrictions: Sequence[Restriction], tz: ZoneInfo, start: float, end: float
) -> list[tuple[float, float]]:
    """Merged windows, in epoch seconds, during which any of ``restrictions`` is open."""
    windows: list[tuple[float, float]] = []
    for day in local_dates(start, end, tz):
        weekday = WEEKDAYS[day.weekday()]
        for rule in restrictions:
            opens_today = (
                (rule.days is None or weekday in rule.days)
                if rule.type == "daily"
                else rule.start_day == weekday
            )
            if not opens_today:
                continue
            naive = datetime.combine(day, rule.start)
            lo = local_to_epoch(naive, tz)
            hi = local_to_epoch(naive + timedelta(seconds=rule.duration), tz)
            if hi > start and lo < end:
                windows.append((lo, hi))
    return merge_windows(windows)


def merge_windows(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of possibly overlapping windows, sorted."""
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _clip(intervals: list[Interval], windows: list[tuple[float, float]]) -> list[Interval]:
    """Intersect turns with restriction windows (both sorted, non-overlapping)."""
    out: list[Interval] = []
    j = 0
    for lo, hi, who in intervals:
        while j < len(windows) and windows[j][1] <= lo:
            j += 1
        k = j
        while k < len(windows) and windows[k][0] < hi:
            a, b = max(lo, windows[k][0]), min(hi, windows[k][1])
            if b > a:
                out.append((a, b, who))
            k += 1
    return out


def render_layer(layer: Layer, tz: ZoneInfo, start: float, end: float) -> list[Interval]:
    """The layer's on-call intervals within [start, end): turns, bounds and restrictions."""
    if layer.time_zone is not None:
        tz = zone(layer.time_zone)
    turns = _turns(layer, tz, start, end)
    lo = start if layer.start is None else max(start, aware_epoch(layer.start, tz))
    hi = end if layer.end is None else min(end, aware_epoch(layer.end, tz))
    turns = [(max(a, lo), min(b, hi), who) for a, b, who in turns if b > lo and a < hi]
    if layer.restrictions:
        turns = _clip(turns, restriction_windows(layer.restrictions, tz, start, end))
    return turns


class _Cursor:
    """Walks one sorted, non-overlapping interval list forward in time."""

    def __init__(self, intervals: list[Interval]) -> None:
        self.intervals = intervals
        self.i = 0

    def at(self, moment: float) -> str | None:
        while self.i < len(self.intervals) and self.intervals[self.i][1] <= moment:
            self.i += 1
        if self.i < len(self.intervals) and self.intervals[self.i][0] <= moment:
            return self.intervals[self.i][2]
        return None


def render_schedule(schedule: Schedule, default_zone: str, start: float, end: float) -> Timeline:
    """Render ``schedule`` over [start, end) into a :class:`Timeline`."""
    tz = zone(schedule.time_zone or default_zone)
    layers = [render_layer(layer, tz, start, end) for layer in schedule.layers]
    overrides: list[Interval] = sorted(
        (aware_epoch(o.start, tz), aware_epoch(o.end, tz), o.user) for o in schedule.overrides
    )
    bounds = {start, end}
    for intervals in [*layers, overrides]:
        for lo, hi, _ in intervals:
            bounds.update(b for b in (lo, hi) if start < b < end)
    edges = sorted(bounds)
    cursors = [_Cursor(intervals) for intervals in layers]
    levels = [layer.level for layer in schedule.layers]
    override = _Cursor(overrides)
    starts: list[float] = []
    ends: list[float] = []
    people: list[frozenset[str]] = []
    for lo, hi in itertools.pairwise(edges):
        active = [c.at(lo) for c in cursors]
        covering = override.at(lo)
        if covering is not None:
            who = frozenset({covering})
        elif schedule.precedence == "all_on_call":
            who = frozenset(a for a in active if a is not None)
        elif schedule.precedence == "levels":
            who = _top_level(active, levels)
        else:
            who = next((frozenset({a}) for a in reversed(active) if a is not None), frozenset())
        if people and people[-1] == who:
            ends[-1] = hi
        else:
            starts.append(lo)
            ends.append(hi)
            people.append(who)
    return Timeline(schedule.name, tuple(starts), tuple(ends), tuple(people))


def _top_level(active: list[str | None], levels: list[int]) -> frozenset[str]:
    """Everyone active on the highest level that has anyone active (Grafana OnCall)."""
    on = [(level, who) for level, who in zip(levels, active, strict=True) if who is not None]
    if not on:
        return frozenset()
    top = max(level for level, _ in on)
    return frozenset(who for level, who in on if level == top)


def render_all(config: OnCallConfig, start: float, end: float) -> dict[str, Timeline]:
    """Every schedule of ``config`` rendered over [start, end)."""
    return {s.name: render_schedule(s, config.time_zone, start, end) for s in config.schedules}
