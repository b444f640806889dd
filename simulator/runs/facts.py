"""What one checked drill comes down to, and the grader that produces it.

Kept apart from the engine on purpose: ``scoring`` builds :class:`Grade` values
(``scoring.check.grade_drill``) and may not import the engine, even indirectly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.log.events import Event


@dataclass(frozen=True)
class Grade:
    """The scorer's verdict on one drill: outcome figures and the overall rating."""

    time_to_mitigate: float | None
    """Seconds from impact start to mitigation; None when never mitigated."""
    user_minutes: float
    """Customer impact: users affected, integrated over time, over every service."""
    rating: str
    """Overall P/S/M/U rating."""
    percent: float
    """Overall score, 0-100."""


Grader = Callable[[Mapping[str, Any], Sequence[Event]], Grade]
"""Grades a drill from its log header and events (a pure function, run in workers)."""


@dataclass(frozen=True)
class RunFacts:
    """One (script, seed) run of a check, as plain, small data."""

    seed: int
    solved: bool
    """The impact ended before the drill did."""
    grade: Grade
    rejected: int
    """Commands of the script the engine refused (a stale script, a renamed service)."""
