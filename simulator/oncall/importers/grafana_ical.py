"""A Grafana OnCall iCal schedule as layers, read with ``icalendar`` and ``recurring-ical-events``.

Grafana reads who is on call from each event's SUMMARY (usernames, optionally after a
``[L2]`` level prefix). An event whose RRULE is a plain FREQ/INTERVAL/BYDAY/UNTIL rule
becomes the same kind of layer as a web shift, so it repeats for ever; anything richer
(COUNT, EXDATE, RDATE, moved occurrences, BYMONTHDAY...) is expanded by
``recurring-ical-events`` over a year from its start, with a warning saying so.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from simulator.oncall.importers.common import Export, Loc
from simulator.oncall.importers.grafana_shifts import ShiftSpec, shift_layers


class CalendarReader(Protocol):
    """What reading a calendar needs from the Grafana importer (not the importer itself:
    that module imports this one)."""

    x: Export

    def person_named(self, username: str, loc: Loc) -> str:
        """The config name of the user an event names."""
        ...

    def warn(self, loc: Loc, message: str) -> None:
        """Record an approximation."""
        ...


_LEVEL = re.compile(r"^\s*\[L(\d+)\]\s*")
_PLAIN_RULE = {"FREQ", "INTERVAL", "BYDAY", "WKST", "UNTIL"}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
HORIZON_DAYS = 366
"""How far an irregular recurrence is expanded."""


def _local(value: Any, zone: str | None) -> tuple[datetime, str | None]:
    """A DTSTART/DTEND value as naive wall-clock time plus the zone it is in."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value, zone
        name = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None)
        if name is None:
            return value.astimezone(UTC).replace(tzinfo=None), "UTC"
        return value.replace(tzinfo=None), str(name)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time()), zone
    raise ValueError(f"not a date or date-time: {value!r}")


def ical_layers(
    imp: CalendarReader, text: str, loc: Loc, base_level: int, zone: str | None
) -> list[dict[str, Any]]:
    """Layers for every event of the calendar ``text``."""
    try:
        calendar = icalendar.Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except ValueError as exc:
        raise imp.x.fail(loc, f"the calendar is not valid iCalendar ({exc})") from None
    moved = {str(e.get("UID")) for e in events if e.get("RECURRENCE-ID") is not None}
    layers: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        if event.get("RECURRENCE-ID") is not None:
            continue  # expanded with its series below
        try:
            layers += _event_layers(imp, calendar, event, loc, base_level, zone, moved)
        except (ValueError, TypeError, KeyError) as exc:
            raise imp.x.fail(
                loc, f"calendar event {index + 1} ({event.get('SUMMARY')}) cannot be read: {exc}"
            ) from None
    return layers


def _people(imp: CalendarReader, summary: str, loc: Loc) -> tuple[int, list[str]]:
    level = 0
    match = _LEVEL.match(summary)
    if match:
        level, summary = int(match.group(1)), summary[match.end() :]
    names = [t for t in re.split(r"[\s,]+", summary) if t]
    if not names:
        raise imp.x.fail(loc, "a calendar event has no user in its SUMMARY")
    return level, [imp.person_named(n, loc) for n in names]


def _event_layers(
    imp: CalendarReader,
    calendar: icalendar.Calendar,
    event: icalendar.cal.Component,
    loc: Loc,
    base_level: int,
    zone: str | None,
    moved: set[str],
) -> list[dict[str, Any]]:
    level, people = _people(imp, str(event.get("SUMMARY") or ""), loc)
    level = max(level, base_level)
    start, tz = _local(event.decoded("DTSTART"), zone)
    if event.get("DTEND") is not None:
        end, _ = _local(event.decoded("DTEND"), tz)
    else:
        duration = event.decoded("DURATION") if event.get("DURATION") else timedelta(days=1)
        end = start + duration
    seconds = int((end - start).total_seconds())
    if seconds <= 0:
        return []
    rule = event.get("RRULE")
    name = f"ical {event.get('SUMMARY')}".strip()
    spec_args: dict[str, Any] = {
        "name": name,
        "level": level,
        "start": start,
        "duration": seconds,
        "groups": [people],
        "rolling": False,
        "time_zone": tz,
    }
    if rule is None:
        return shift_layers(ShiftSpec(**spec_args), lambda m: imp.warn(loc, m))
    plain = (
        set(rule) <= _PLAIN_RULE
        and rule["FREQ"][0] in ("HOURLY", "DAILY", "WEEKLY", "MONTHLY")
        and all(str(d) in _DAYS for d in rule.get("BYDAY", []))
        and not (rule["FREQ"][0] == "MONTHLY" and rule.get("BYDAY"))
        and event.get("EXDATE") is None
        and event.get("RDATE") is None
        and str(event.get("UID")) not in moved
    )
    if plain:
        until = rule.get("UNTIL", [None])[0]
        spec = ShiftSpec(
            **spec_args,
            frequency=str(rule["FREQ"][0]).lower(),
            interval=int(rule.get("INTERVAL", [1])[0]),
            by_day=[_DAYS[str(d)] for d in rule.get("BYDAY", [])],
            week_start=_DAYS[str(rule.get("WKST", ["MO"])[0])],
            until=_local(until, tz)[0] if until is not None else None,
        )
        return shift_layers(spec, lambda m: imp.warn(loc, m))
    return _expanded(imp, calendar, event, loc, level, people, tz, start)


def _expanded(
    imp: CalendarReader,
    calendar: icalendar.Calendar,
    event: icalendar.cal.Component,
    loc: Loc,
    level: int,
    people: list[str],
    tz: str | None,
    start: datetime,
) -> list[dict[str, Any]]:
    uid = str(event.get("UID"))
    horizon = start + timedelta(days=HORIZON_DAYS)
    imp.warn(
        loc,
        f"calendar event '{event.get('SUMMARY')}' has an irregular recurrence; its "
        f"occurrences until {horizon.date()} are imported one by one",
    )
    layers: list[dict[str, Any]] = []
    for occurrence in recurring_ical_events.of(calendar).between(start, horizon):
        if str(occurrence.get("UID")) != uid:
            continue
        lo, _ = _local(occurrence.decoded("DTSTART"), tz)
        hi, _ = _local(occurrence.decoded("DTEND"), tz)
        for person in people:
            layer: dict[str, Any] = {
                "name": f"ical {occurrence.get('SUMMARY')} {lo.isoformat()}",
                "level": level,
                "users": [person],
                "rotation_virtual_start": lo,
                "turn_length": max(int((hi - lo).total_seconds()), 1),
                "start": lo,
                "end": hi,
            }
            if tz:
                layer["time_zone"] = tz
            layers.append(layer)
    return layers
