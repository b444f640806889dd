"""Property tests: whatever the log holds, scores stay in bounds and impact is never negative."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import score_log
from scoring.postmortem import postmortem_html, postmortem_markdown
from scoring.rubric import DIMENSIONS
from scoring.scorecard import Scorecard, rating_for
from simulator.log.events import Event
from tests.scoring.conftest import play

GOOD = play("checkout-bad-deploy", "good")
POOR = play("checkout-bad-deploy", "poor")

TYPES = [
    "alert.fired",
    "page.sent",
    "page.acknowledged",
    "severity.declared",
    "role.assigned",
    "command.accepted",
    "task.assigned",
    "impact.started",
    "impact.mitigated",
    "impact.ended",
    "fault.worsened",
    "status.posted",
    "update.posted",
    "note.added",
    "alert.silenced",
    "investigation.started",
    "investigation.completed",
    "mitigation.started",
    "mitigation.applied",
    "incident.resolved",
    "metrics.sample",
    "message.posted",
    "drill.ended",
]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(-10, 1e4),
    st.text(max_size=12),
    st.sampled_from(["ic", "tech", "restart", "sev"]),
)
fields = st.dictionaries(
    st.sampled_from(
        [
            "noise",
            "page",
            "severity",
            "role",
            "command",
            "delegate",
            "by",
            "text",
            "reason",
            "message",
            "name",
            "query",
            "findings",
            "effects",
            "kind",
            "impact_ongoing",
            "services",
            "mitigation",
            "action",
        ]
    ),
    values,
    max_size=6,
)
samples = st.fixed_dictionaries(
    {
        "services": st.dictionaries(
            st.sampled_from(["web", "checkout", "ghost"]),
            st.fixed_dictionaries(
                {
                    "users_affected": st.floats(-100, 1e5),
                    "error_rate": st.floats(-1, 2),
                    "requests_per_minute": st.floats(-10, 1e5),
                }
            ),
            max_size=3,
        )
    }
)


@st.composite
def event_streams(draw: Any) -> list[Event]:
    """Random but well-ordered event streams with arbitrary (often wrong) fields."""
    n = draw(st.integers(0, 40))
    t = 0.0
    out = []
    for seq in range(1, n + 1):
        t += draw(st.floats(0, 600))
        type_ = draw(st.sampled_from(TYPES))
        data = draw(samples) if type_ == "metrics.sample" else draw(fields)
        out.append(Event(seq, round(t, 3), type_, data))
    return out


def _check_invariants(card: Scorecard) -> None:
    assert 0.0 <= card.overall_percent <= 100.0
    assert card.overall_rating == rating_for(card.overall_percent)
    assert [d.key for d in card.dimensions] == list(DIMENSIONS)
    for dim in card.dimensions:
        assert 0.0 <= dim.percent <= 100.0
        assert dim.rating == rating_for(dim.percent)
        assert not dim.capped or dim.rating in ("M", "U")
    assert card.metrics.user_minutes >= 0.0
    assert all(s.user_minutes >= 0 and s.failed_requests >= 0 for s in card.metrics.services)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(event_streams())
def test_arbitrary_events_score_within_bounds(events: list[Event]) -> None:
    """Any event stream scores and writes a postmortem without error; scores stay in bounds."""
    card = score_log(GOOD.header, events)
    _check_invariants(card)
    assert postmortem_markdown(GOOD.header, events, card).startswith("# Postmortem")
    assert "</svg>" in postmortem_html(GOOD.header, events, card)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(POOR.events)), st.sampled_from([GOOD, POOR]))
def test_any_truncation_of_a_real_log_scores_within_bounds(cut: int, drill: Any) -> None:
    """A real drill cut off at any event still scores within bounds."""
    _check_invariants(score_log(drill.header, drill.events[:cut]))


@pytest.mark.parametrize(
    ("percent", "rating"),
    [
        (100.0, "P"),
        (80.0, "P"),
        (79.999, "S"),
        (66.0, "S"),
        (65.999, "M"),
        (50.0, "M"),
        (49.999, "U"),
        (0.0, "U"),
    ],
)
def test_rating_bands_at_their_boundaries(percent: float, rating: str) -> None:
    """P from 80, S from 66, M from 50, U below: each boundary belongs to the band above."""
    assert rating_for(percent) == rating


@given(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False))
def test_a_higher_percent_never_rates_lower(a: float, b: float) -> None:
    """Ratings are monotonic in the percentage."""
    order = "UMSP"
    low, high = sorted((a, b))
    assert order.index(rating_for(low)) <= order.index(rating_for(high))
