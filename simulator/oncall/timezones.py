"""Time zones and local wall-clock arithmetic shared by schedules, responders and routing.

Times inside the on-call simulator are UTC epoch seconds (floats), because SimPy
clocks and bisect work on numbers. Conversions to and from local wall-clock time
happen here, with one rule for DST: a wall-clock time that does not exist (spring
forward) moves forward by the gap, and an ambiguous one (fall back) means its
first occurrence, as GoAlert documents.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@functools.lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; raises ValueError when the zone does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone '{name}'") from exc


def is_zone(name: str) -> bool:
    """Whether ``name`` is a known IANA zone."""
    try:
        zone(name)
    except ValueError:
        return False
    return True


def local_to_epoch(naive: datetime, tz: ZoneInfo) -> float:
    """Epoch seconds of a local wall-clock time (fold=0: first occurrence, gaps move forward)."""
    return naive.replace(tzinfo=tz, fold=0).timestamp()


def epoch_to_local(epoch: float, tz: ZoneInfo) -> datetime:
    """The naive local wall-clock time of an epoch instant."""
    return datetime.fromtimestamp(epoch, tz).replace(tzinfo=None)


def aware_epoch(moment: datetime, tz: ZoneInfo) -> float:
    """Epoch seconds of ``moment``; a naive datetime is read as wall-clock time in ``tz``."""
    if moment.tzinfo is None:
        return local_to_epoch(moment, tz)
    return moment.timestamp()


def local_dates(start: float, end: float, tz: ZoneInfo, *, margin_days: int = 8) -> list[date]:
    """Every local calendar date touching [start, end), widened by ``margin_days`` before."""
    first = epoch_to_local(start, tz).date() - timedelta(days=margin_days)
    last = epoch_to_local(end, tz).date() + timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
