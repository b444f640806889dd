"""Alertmanager's time intervals (``time_intervals``), as ``timeinterval/timeinterval.go``.

Separate from the rest of the config because the calendar rules are their own small
language: weekdays count from Sunday = 0, days of the month may count back from its
end (and are clamped to it), clock ranges end exclusively and may end at ``24:00``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator, model_validator

from simulator.fielddocs import describe_fields
from simulator.oncall.timezones import is_zone, zone


class _AMModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=describe_fields)


def _go_text(value: object) -> object:
    # Go's YAML decoder hands a number to a string field as its text: days_of_month: [1].
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


def _string_list(value: object) -> object:
    return [_go_text(v) for v in value] if isinstance(value, list) else value


TextList = Annotated[list[str], BeforeValidator(_string_list)]


def _clock_text(value: object) -> object:
    # YAML 1.1 reads an unquoted 17:00 as the base-60 number 1020 (minutes).
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1440:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


ClockText = Annotated[str, BeforeValidator(_clock_text)]
_CLOCK = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")


class TimeRange(_AMModel):
    """A clock range within a day, end exclusive."""

    start_time: ClockText
    """``HH:MM``."""
    end_time: ClockText
    """``HH:MM``; ``24:00`` is allowed."""

    @field_validator("start_time", "end_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(f"'{value}' is not a time of day: write it like 08:00 (or 24:00)")
        return value

    @model_validator(mode="after")
    def _order(self) -> TimeRange:
        if _clock(self.start_time) >= _clock(self.end_time):
            raise ValueError("start_time must be before end_time (a range cannot wrap midnight)")
        return self


class TimeSpec(_AMModel):
    """One ``time_intervals`` entry: all listed fields must match."""

    times: list[TimeRange] = []
    """Clock ranges."""
    weekdays: TextList = []
    """Days or ranges like ``monday:friday`` (the week starts on Sunday)."""
    days_of_month: TextList = []
    """Days or ranges, negative from month end, like ``1:5`` or ``-1``."""
    months: TextList = []
    """Months by name or number, or ranges like ``january:march``."""
    years: TextList = []
    """Years or ranges like ``2026:2027``."""
    location: str = "UTC"
    """IANA zone the times are read in."""

    @field_validator("location")
    @classmethod
    def _zone(cls, value: str) -> str:
        if not is_zone(value):
            raise ValueError(f"unknown time zone '{value}': use an IANA name such as Europe/Berlin")
        return value

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        _check_ranges(value, _WEEKDAYS, 0, (0, 6), "weekday")
        return value

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        _check_ranges(value, _MONTHS, 1, (1, 12), "month")
        return value

    @field_validator("days_of_month")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        for lo, hi in _check_ranges(value, None, 0, (-31, 31), "day of the month"):
            for day in (lo, hi):
                if day == 0 or not -31 <= day <= 31:
                    raise ValueError(f"{day} is not a day of the month (1 to 31, or -1 to -31)")
            if lo < 0 < hi:
                raise ValueError("a range starting from the month's end must end there too")
            if (lo if lo > 0 else 28 + lo) > (hi if hi > 0 else 28 + hi):
                raise ValueError(f"end day {hi} is always before start day {lo}")
        return value

    @field_validator("years")
    @classmethod
    def _years(cls, value: list[str]) -> list[str]:
        _check_ranges(value, None, 0, (0, 1 << 31), "year")
        return value


class TimeInterval(_AMModel):
    """A named set of time specs."""

    name: str
    """Name used by routes."""
    time_intervals: list[TimeSpec] = []
    """Specs; the interval is active when any matches."""


_WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _ranges(
    items: Sequence[str], names: Sequence[str] | None = None, first: int = 1
) -> list[tuple[int, int]]:
    def value(text: str) -> int:
        text = text.strip().lower()
        if names is not None and text in names:
            return names.index(text) + first
        return int(text)

    out = []
    for item in items:
        lo, _, hi = item.partition(":")
        out.append((value(lo), value(hi or lo)))
    return out


def _check_ranges(
    items: list[str],
    names: Sequence[str] | None,
    first: int,
    bounds: tuple[int, int],
    what: str,
) -> list[tuple[int, int]]:
    """Reject what Alertmanager rejects: unknown names, out-of-range or reversed ranges."""
    try:
        pairs = _ranges(items, names, first)
    except ValueError:
        raise ValueError(
            f"{items} holds something that is not a {what}"
            + (f" (names: {', '.join(names)})" if names else "")
        ) from None
    for lo, hi in pairs:
        if not (bounds[0] <= lo <= bounds[1] and bounds[0] <= hi <= bounds[1]):
            raise ValueError(f"{lo}:{hi} is out of range for a {what}")
        if lo > hi and what != "day of the month":
            raise ValueError(f"the {what} range {lo}:{hi} ends before it starts")
    return pairs


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - datetime(year, month, 1)).days


def _day_of_month_matches(spec: TimeSpec, local: datetime) -> bool:
    last = _days_in_month(local.year, local.month)
    for lo, hi in _ranges(spec.days_of_month):
        begin = lo if lo > 0 else last + lo + 1
        end = hi if hi > 0 else last + hi + 1
        if begin > last:
            continue  # as Alertmanager: a range starting past the month's end never matches
        if max(begin, -last) <= local.day <= min(end, last):
            return True
    return False


def spec_matches(spec: TimeSpec, moment: float) -> bool:
    """Whether ``moment`` (UTC epoch) falls in ``spec``, as ``timeinterval.ContainsTime``."""
    local = datetime.fromtimestamp(moment, zone(spec.location))
    if spec.times:
        minute = local.hour * 60 + local.minute
        if not any(_clock(t.start_time) <= minute < _clock(t.end_time) for t in spec.times):
            return False
    if spec.days_of_month and not _day_of_month_matches(spec, local):
        return False
    if spec.months and not any(lo <= local.month <= hi for lo, hi in _ranges(spec.months, _MONTHS)):
        return False
    # Alertmanager numbers weekdays from Sunday = 0 (Go's time.Weekday).
    weekday = local.isoweekday() % 7
    if spec.weekdays and not any(
        lo <= weekday <= hi for lo, hi in _ranges(spec.weekdays, _WEEKDAYS, first=0)
    ):
        return False
    return not spec.years or any(lo <= local.year <= hi for lo, hi in _ranges(spec.years))
