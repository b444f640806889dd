"""Metrics from a real drill, and the communication text heuristics."""

from __future__ import annotations

import itertools

import pytest

from scoring import score_log
from scoring.comms import promises_resolution, states_impact, states_next_update
from tests.scoring.conftest import Drill


def test_response_times_follow_their_formulas(good_checkout: Drill) -> None:
    """Each time metric is the documented difference of two logged instants."""
    events = good_checkout.events

    def first(type_: str) -> float:
        return next(e.t for e in events if e.type == type_)

    m = score_log(good_checkout.header, events).metrics
    impact = first("impact.started")
    real_alert = next(e.t for e in events if e.type == "alert.fired" and e["noise"] is False)
    real_page = next(e.t for e in events if e.type == "page.sent" and e["noise"] is False)
    assert m.time_to_detect == real_alert - impact
    assert m.time_to_acknowledge == first("page.acknowledged") - real_page
    assert m.time_to_declare == first("severity.declared") - real_page
    assert m.time_to_mitigate == first("impact.mitigated") - impact
    assert m.time_to_restore == first("impact.ended") - impact
    assert m.incident_duration == first("incident.resolved") - first("severity.declared")
    assert dict(m.time_at_severity) == {2: m.incident_duration}


def test_user_minutes_integrate_users_affected_at_the_entry_point(good_checkout: Drill) -> None:
    """User-minutes are users affected per minute held until the next sample, counted at the
    entry point only (web): checkout's failures reach customers through web, once."""
    samples = [e for e in good_checkout.events if e.type == "metrics.sample"]
    expected = sum(
        s["services"]["web"]["users_affected"] * (n.t - s.t) / 60.0
        for s, n in itertools.pairwise(samples)
    )
    m = score_log(good_checkout.header, good_checkout.events).metrics
    assert [s.service for s in m.services] == ["web"]
    assert m.user_minutes == pytest.approx(expected, rel=1e-3)
    assert m.user_minutes > 0


def test_error_budget_is_failed_requests_over_the_slo_budget(good_checkout: Drill) -> None:
    """Budget consumed = failed requests above baseline / ((1 − SLO) × rpm × window minutes)."""
    m = score_log(good_checkout.header, good_checkout.events).metrics
    checkout = next(s for s in m.services if s.service == "web")
    assert checkout.error_budget == pytest.approx(0.001 * 60000 * 30 * 24 * 60)
    assert checkout.budget_consumed == pytest.approx(
        checkout.failed_requests / (0.001 * 60000 * 43200)
    )
    consumed = checkout.budget_consumed
    assert consumed is not None and 0.0 < consumed < 0.1


def test_poor_response_costs_more_customer_impact(
    good_checkout: Drill, poor_checkout: Drill
) -> None:
    """A slower mitigation shows up as more user-minutes and more budget burned."""
    good = score_log(good_checkout.header, good_checkout.events).metrics
    poor = score_log(poor_checkout.header, poor_checkout.events).metrics
    assert poor.user_minutes > 3 * good.user_minutes
    assert poor.failed_requests > good.failed_requests


def test_noise_metrics_count_silences_and_red_herrings(
    good_checkout: Drill, poor_checkout: Drill
) -> None:
    """Noise silenced by name is counted; red-herring-only investigations are counted."""
    good = score_log(good_checkout.header, good_checkout.events).metrics.noise
    poor = score_log(poor_checkout.header, poor_checkout.events).metrics.noise
    assert len(good.noise_silenced) == 1 and not good.real_silenced
    assert not poor.noise_silenced
    assert [e["query"] for e in poor.red_herring_investigations] == ["logs payments-gateway"]
    assert poor.red_herring_seconds == 60.0


@pytest.mark.parametrize(
    ("text", "promise"),
    [
        ("We are investigating errors. Next update in 15m.", False),
        ("We expect this to be fixed in 10 minutes.", True),
        ("ETA 15:00 for a fix.", True),
        ("Service will be restored by noon.", True),
        ("A fix has been applied; we are monitoring.", False),
    ],
)
def test_resolution_promises_are_spotted(text: str, promise: bool) -> None:
    """ "Next update in 15m" is not a promise of resolution; "fixed in 10 minutes" is."""
    assert promises_resolution(text) is promise


def test_impact_and_next_update_heuristics() -> None:
    """Updates must say what customers see and when the next update comes."""
    assert states_impact("Some customers may be unable to complete checkout.")
    assert not states_impact("We are looking into it.")
    assert states_next_update("Next update in 30 minutes.")
    assert not states_next_update("We are looking into it.")
