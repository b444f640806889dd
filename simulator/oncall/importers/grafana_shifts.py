"""Grafana OnCall shifts as layers: the recurrence Grafana builds, expressed in gameday terms.

Grafana turns a ``rolling_users`` shift into iCal events (``CustomOnCallShift.convert_to_ical``
in grafana/oncall): each user group gets an event that starts on its *slot* and repeats
every ``interval × groups`` periods, so group k holds slot k. Slots are counted from the
shift's ``start`` (not from ``rotation_start``, which only says from when events exist);
a weekly slot with ``by_day`` covers the listed days of one week (weeks begin on
``week_start``); a daily shift with ``by_day`` rotates on every *listed* day. This
module reproduces those rules as layers (turns, ``active_for``, restrictions), one
layer per person when a group holds several people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from simulator.oncall.model import WEEKDAYS
from simulator.oncall.schedule import add_months

PERIOD = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}
DAY = 86400


@dataclass(frozen=True)
class ShiftSpec:
    """A recurrence in a shift's own wall-clock time (naive datetimes, zone ``time_zone``)."""

    name: str
    level: int
    start: datetime
    duration: int
    groups: list[list[str]]
    frequency: str | None = None
    interval: int = 1
    by_day: list[int] = field(default_factory=list)
    week_start: int = 6
    until: datetime | None = None
    rotation_start: datetime | None = None
    from_web: bool = True
    rolling: bool = True
    time_zone: str | None = None


def _week_first(moment: datetime, week_start: int) -> datetime:
    """Midnight starting the week (beginning on ``week_start``, 0 = Monday) of ``moment``."""
    back = (moment.weekday() - week_start) % 7
    return datetime.combine(moment.date() - timedelta(days=back), datetime.min.time())


def _ordered_days(spec: ShiftSpec) -> list[int]:
    return [d % 7 for d in range(spec.week_start, spec.week_start + 7) if d % 7 in spec.by_day]


def _shift(moment: datetime, spec: ShiftSpec, periods: int) -> datetime:
    if spec.frequency == "monthly":
        return add_months(moment, periods * spec.interval)
    assert spec.frequency is not None
    return moment + timedelta(seconds=PERIOD[spec.frequency] * spec.interval * periods)


def _first_slot(spec: ShiftSpec) -> datetime:
    """Grafana's first rotation date: for weekly shifts, the first event of the start's week
    that is still on (web) or starts (API) after ``rotation_start``; then moved onto a
    listed day."""
    slot = spec.start
    rs = spec.rotation_start
    if rs is not None and rs != spec.start and spec.frequency == "weekly":
        week_end = _week_first(spec.start, spec.week_start) + timedelta(days=7)
        days = spec.by_day or [spec.start.weekday()]
        candidates = [spec.start] + [
            spec.start + timedelta(days=i)
            for i in range(1, 7)
            if (spec.start + timedelta(days=i)).weekday() in days
            and spec.start + timedelta(days=i) < week_end
        ]
        slot = next((c for c in candidates if _qualifies(spec, c)), spec.start)
    if spec.by_day and slot.weekday() not in spec.by_day:
        slot += timedelta(days=(_ordered_days(spec)[0] - slot.weekday()) % 7)
    return slot


def _qualifies(spec: ShiftSpec, slot: datetime) -> bool:
    if spec.rotation_start is None:
        return True
    if spec.from_web:
        return slot + timedelta(seconds=spec.duration) > spec.rotation_start
    return slot >= spec.rotation_start


def _restrictions(spec: ShiftSpec, at: datetime) -> list[dict[str, Any]]:
    """Windows on the listed days, opening at the start's time of day."""
    days = [WEEKDAYS[d] for d in sorted(spec.by_day)]
    if spec.frequency == "hourly":
        return [{"type": "daily", "start": "00:00", "duration": DAY, "days": days}]
    start = at.strftime("%H:%M:%S")
    if spec.duration <= DAY:
        return [{"type": "daily", "start": start, "duration": spec.duration, "days": days}]
    return [
        {"type": "weekly", "start_day": d, "start": start, "duration": min(spec.duration, 7 * DAY)}
        for d in days
    ]


def shift_layers(spec: ShiftSpec, warn: Any) -> list[dict[str, Any]]:
    """The layers standing for one shift; ``warn(message)`` records approximations."""
    groups = [g for g in spec.groups if g]
    if not groups:
        warn(f"shift '{spec.name}' has nobody in it")
        return []
    if spec.frequency is None:
        return _bounded(spec, spec.start, spec.start + timedelta(seconds=spec.duration), groups[0])
    if spec.frequency == "daily" and spec.by_day and spec.rolling:
        return _per_listed_day(spec, groups, warn)
    return _grid(spec, groups, warn)


def _base(spec: ShiftSpec, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "level": spec.level}
    if spec.time_zone:
        out["time_zone"] = spec.time_zone
    if spec.until is not None:
        out["end"] = spec.until
    return out


def _bounded(
    spec: ShiftSpec, start: datetime, end: datetime, people: list[str]
) -> list[dict[str, Any]]:
    seconds = int((end - start).total_seconds())
    return [
        {
            **_base(spec, spec.name),
            "users": [person],
            "rotation_virtual_start": start,
            "turn_length": max(seconds, 1),
            "start": start,
            "end": end,
        }
        for person in people
    ]


def _grid(spec: ShiftSpec, groups: list[list[str]], warn: Any) -> list[dict[str, Any]]:
    slot0 = _first_slot(spec) if spec.rolling else spec.start
    weekly_days = spec.frequency == "weekly" and bool(spec.by_day)
    anchor = slot0
    restrictions: list[dict[str, Any]] = []
    active: int | None = None
    period = PERIOD.get(spec.frequency or "", 0) * spec.interval
    if weekly_days:
        first_day = _ordered_days(spec)[0]
        week = _week_first(slot0, spec.week_start)
        anchor = datetime.combine(
            week.date() + timedelta(days=(first_day - spec.week_start) % 7), slot0.time()
        )
        restrictions = _restrictions(spec, slot0)
        active = 7 * DAY if spec.interval > 1 else None
        last = max((d - first_day) % 7 for d in spec.by_day)
        if last * DAY + spec.duration > 7 * DAY:
            warn(
                f"shift '{spec.name}': an event running past the next week's first event is "
                "cut there (Grafana would have both on call)"
            )
    elif spec.by_day:
        restrictions = _restrictions(spec, slot0)
        active = spec.duration if spec.duration < period else None
    elif spec.frequency == "monthly":
        if spec.start.day > 28:
            warn(
                f"shift '{spec.name}': a monthly shift on day {spec.start.day} skips months "
                "without that day in Grafana; gameday spills into the next month"
            )
        active = spec.duration if spec.duration < 28 * DAY * spec.interval else None
    else:
        if spec.duration > period:
            warn(
                f"shift '{spec.name}': events last longer than their recurrence; each is cut "
                "where the next begins"
            )
        active = spec.duration if spec.duration < period else None
    start = _first_on(spec, slot0, anchor, len(groups))
    n = len(groups)
    if all(len(g) == 1 for g in groups):
        return [
            _layer(spec, spec.name, [g[0] for g in groups], anchor, 1, active, restrictions, start)
        ]
    layers = []
    for gi, group in enumerate(groups):
        for person in group:
            layers.append(
                _layer(
                    spec,
                    f"{spec.name} ({person})",
                    [person],
                    _shift(anchor, spec, gi),
                    n,
                    active or _period_seconds(spec),
                    restrictions,
                    start,
                )
            )
    return layers


def _period_seconds(spec: ShiftSpec) -> int:
    if spec.frequency == "monthly":
        return 28 * DAY * spec.interval  # the shortest month: an approximation, warned above
    return PERIOD[spec.frequency or "daily"] * spec.interval


def _layer(
    spec: ShiftSpec,
    name: str,
    users: list[str],
    anchor: datetime,
    every: int,
    active: int | None,
    restrictions: list[dict[str, Any]],
    start: datetime,
) -> dict[str, Any]:
    out = {**_base(spec, name), "users": users, "rotation_virtual_start": anchor, "start": start}
    if spec.frequency == "monthly":
        out["turn_months"] = spec.interval * every
    else:
        out["turn_length"] = _period_seconds(spec) * every
    if active is not None:
        out["active_for"] = active
    if restrictions:
        out["restrictions"] = restrictions
    return out


def _first_on(spec: ShiftSpec, slot0: datetime, anchor: datetime, groups: int) -> datetime:
    """Start of the first slot Grafana generates events for (earlier slots are skipped)."""
    if not spec.rolling or _qualifies(spec, slot0):
        return slot0
    assert spec.rotation_start is not None
    rough = (spec.rotation_start - anchor).total_seconds() / (_period_seconds(spec) * 1.2)
    k = max(1, math.floor(rough) - 2)
    while not _qualifies(spec, _shift(anchor, spec, k)) and k < 100000:
        k += 1
    return _shift(anchor, spec, k)


def _per_listed_day(spec: ShiftSpec, groups: list[list[str]], warn: Any) -> list[dict[str, Any]]:
    """Daily shifts limited to some weekdays rotate on each listed day: occurrence j belongs
    to group (j // interval) % groups, which repeats every lcm(groups × interval, days)
    occurrences, so each occurrence of one cycle becomes a weekly-repeating layer."""
    slot0 = _first_slot(spec)
    days = len(set(spec.by_day))
    cycle = math.lcm(len(groups) * spec.interval, days)
    weeks = cycle // days
    if spec.duration > DAY:
        warn(f"shift '{spec.name}': events longer than a day overlap the next listed day")
    layers = []
    moment = slot0
    for j in range(cycle):
        group = groups[(j // spec.interval) % len(groups)]
        for person in group:
            layers.append(
                {
                    **_base(spec, f"{spec.name} #{j + 1} ({person})"),
                    "users": [person],
                    "rotation_virtual_start": moment,
                    "turn_length": weeks * 7 * DAY,
                    "active_for": min(spec.duration, weeks * 7 * DAY),
                    "start": slot0,
                }
            )
        moment += timedelta(days=1)
        while moment.weekday() not in spec.by_day:
            moment += timedelta(days=1)
    return layers
