"""The grade a scenario check keeps of each drill: outcome figures and the rating.

``gameday check`` plays thousands of drills in worker processes; each worker calls
:func:`grade_drill` on the drill it just played and sends back only the
:class:`~simulator.runs.facts.Grade`, never the log. Pure, like the rest of scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scoring import score_log
from simulator.log.events import Event
from simulator.runs.facts import Grade


def grade_drill(header: Mapping[str, Any], events: Sequence[Event]) -> Grade:
    """Score a drill against the scenario in its header and keep the headline figures."""
    card = score_log(header, events)
    metrics = card.metrics
    return Grade(
        time_to_mitigate=metrics.time_to_mitigate,
        user_minutes=round(sum(s.user_minutes for s in metrics.services), 1),
        rating=card.overall_rating,
        percent=card.overall_percent,
    )
