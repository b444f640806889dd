"""Impact is counted once, at the customer-facing entry points, in every kind the world has."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import score_log
from scoring.rubric import timeliness
from simulator.log.events import Event
from simulator.scenario.loader import load_scenario
from tests.scoring.conftest import play, play_commands, shipped_scenarios

COMMANDS = [
    "/ack",
    "/sev 2",
    "/rollback checkout",
    "/restart orders",
    "/failover us-east-1",
    "/mitigate kill-report-query",
    "/flag new-pricing-engine off",
]


def _integrated(events: tuple[Event, ...], service: str, key: str, hold: float = 15.0) -> float:
    """The documented integral, written out independently: each sample holds until the
    next, the last one for an evaluation interval at most to the drill's end."""
    samples = [e for e in events if e.type == "metrics.sample"]
    end = events[-1].t
    times = [n.t for n in samples[1:]] + [min(samples[-1].t + hold, end)] if samples else []
    return sum(
        max(0.0, float(s["services"].get(service, {}).get(key, 0.0))) * (u - s.t) / 60.0
        for s, u in zip(samples, times, strict=True)
    )


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(shipped_scenarios()),
    st.integers(0, 10_000),
    st.lists(st.tuples(st.integers(60, 1800), st.sampled_from(COMMANDS)), max_size=4),
)
def test_impact_reported_is_the_impact_at_the_entry_points(
    scenario_id: str, seed: int, commands: list[tuple[int, str]]
) -> None:
    """For any drill (scenario, seed, response), user-minutes are those of the entry points,
    never the sum over the dependency path behind them."""
    drill = play_commands(scenario_id, seed, tuple(sorted(commands)))
    scenario = load_scenario(scenario_id).scenario
    entries = list(scenario.entry_points())
    card = score_log(drill.header, drill.events)
    at_entries = sum(_integrated(drill.events, name, "users_affected") for name in entries)
    everywhere = sum(_integrated(drill.events, s.name, "users_affected") for s in scenario.services)
    assert [s.service for s in card.metrics.services] == entries
    assert abs(card.metrics.user_minutes - at_entries) <= 1e-6 * max(1.0, at_entries) + 0.1
    behind = everywhere - at_entries
    if behind > 1.0:
        assert card.metrics.user_minutes < everywhere


def test_db_pool_counts_the_gateway_not_core_db_too() -> None:
    """db-pool: core-db's failures reach customers through api-gateway and are counted there."""
    drill = play("db-pool-exhaustion", None)
    card = score_log(drill.header, drill.events)
    assert [s.service for s in card.metrics.services] == ["api-gateway"]
    gateway = _integrated(drill.events, "api-gateway", "users_affected")
    core = _integrated(drill.events, "core-db", "users_affected")
    assert core > 0 and abs(card.metrics.user_minutes - gateway) < 0.1


def _sample(t: float, **web: float) -> Event:
    values: dict[str, Any] = {"error_rate": 0.002, "requests_per_minute": 60000.0, **web}
    return Event(0, t, "metrics.sample", {"services": {"web": values, "checkout": dict(values)}})


def test_new_impact_kinds_are_counted_once_at_the_entry_point() -> None:
    """Degraded users, lost requests (cumulative) and lost data are read from the samples of
    the entry point and the ``data.lost`` events; a service behind it adds nothing."""
    drill = play("checkout-bad-deploy", None)
    events = [
        _sample(0.0, users_degraded=100.0, requests_lost=0.0),
        _sample(60.0, users_degraded=100.0, requests_lost=40.0, data_lost=3.0),
        _sample(120.0, users_degraded=0.0, requests_lost=90.0, data_lost=5.0),
        Event(4, 120.0, "data.lost", {"fault": "f", "service": "checkout", "amount": 12.0,
                                      "unit": "orders", "since": 30.0, "until": 90.0}),
        Event(5, 135.0, "drill.ended", {"reason": "limit", "impact_ongoing": False}),
    ]  # fmt: skip
    m = score_log(drill.header, events).metrics
    assert m.degraded_user_minutes == 200.0
    assert m.requests_lost == 90.0
    assert m.data_lost() == {"orders": 12.0}
    assert m.to_json()["requests_lost"] == 90


def test_timeliness_is_judged_in_absolute_minutes_too() -> None:
    """Past the target, a step loses credit by the minute: 44 minutes late on a two-hour
    target earns little, and two hours late earns nothing."""
    assert timeliness(600.0, 600.0) == 1.0
    assert timeliness(7200.0 + 44 * 60, 7200.0) < 0.1
    assert timeliness(7200.0 * 2, 7200.0) == 0.0
    assert timeliness(900.0, 600.0) == 0.5


_VALUE = st.one_of(
    st.floats(-1e6, 1e6),
    st.just(float("nan")),
    st.integers(-100, 10_000),
    st.booleans(),
    st.none(),
    st.sampled_from(["0.5", "12", "abc", ""]),
    st.just([1]),
)
_FIELDS = (
    "users_affected",
    "users_degraded",
    "error_rate",
    "requests_per_minute",
    "requests_lost",
    "data_lost",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 120.0),
            st.one_of(st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS, _VALUE)), _VALUE),
        ),
        max_size=8,
    )
)
def test_the_fast_integration_matches_the_field_by_field_reading(rows: list[Any]) -> None:
    """Damaged samples (strings, None, NaN, negatives, lists) count as the documented
    field-by-field reading says: malformed or negative as 0, numeric strings as numbers."""
    from scoring.metrics import _integrate, _number

    services = [{"web": values} for _, values in rows]
    spans = [minutes for minutes, _ in rows]
    got = _integrate(services, spans, "web", 0.01)
    want = [0.0] * 5
    for values, minutes in zip(services, spans, strict=True):
        v = values["web"]
        want[3] = max(want[3], _number(v, "requests_lost"))
        want[4] = max(want[4], _number(v, "data_lost"))
        if minutes:
            want[0] += _number(v, "users_affected") * minutes
            want[1] += _number(v, "users_degraded") * minutes
            excess = max(0.0, _number(v, "error_rate") - 0.01)
            want[2] += excess * _number(v, "requests_per_minute") * minutes
    assert got == pytest.approx(tuple(want))
