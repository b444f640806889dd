"""Property tests: whatever players type, whenever, the engine neither crashes nor drifts."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.drill.commands import CommandError
from simulator.drill.session import DrillSession
from simulator.log.events import EVENT_TYPES
from simulator.log.jsonl import encode
from simulator.log.vocabulary import payload_problem
from simulator.scenario.loader import load_scenario

# The v2 ones exercise knowledge, approval, preconditions, data loss, tooling, `when:` injects.
LOADED = {
    ref: load_scenario(ref)
    for ref in (
        "checkout-bad-deploy",
        "region-outage",
        "orders-db-deleted",
        "dns-tooling-outage",
        str(Path(__file__).parent / "data" / "v2-mechanics.yaml"),
    )
}

WORDS = [
    "checkout",
    "web",
    "pricing",
    "api-use1",
    "api-usw2",
    "us-east-1",
    "us-west-2",
    "nope",
    "new-pricing-engine",
    "off",
    "on",
    "2",
    "1",
    "5",
    "tech",
    "comms",
    "scribe",
    "ic",
    "Priya N.",
    "@tech",
    "@comms",
    "@nobody",
    "deploys",
    "logs",
    "metrics",
    "flags",
    "deps",
    "30m",
    "A3",
    "CheckoutHighErrorRate",
    '"customers see errors"',
    "--",
    "because",
]
COMMANDS = [
    "/ack",
    "/sev",
    "/assign",
    "/investigate",
    "/rollback",
    "/flag",
    "/restart",
    "/scale",
    "/failover",
    "/shift-traffic",
    "/mitigate",
    "/silence",
    "/page",
    "/status",
    "/update",
    "/note",
    "/resolve",
    "/nonsense",
    "ack",
    "",
]
command_text = st.builds(
    lambda head, tail: " ".join([head, *tail]),
    st.sampled_from(COMMANDS),
    st.lists(st.sampled_from(WORDS), max_size=4),
)
inject_text = st.builds(
    lambda kind, tail: " ".join(["/inject", kind, *tail]),
    st.sampled_from(["exec", "customer", "surge", "drop", "fault", "ceo", ""]),
    st.lists(st.sampled_from([*WORDS, "80", "0", "-3", "10m", "replica-lag"]), max_size=4),
)
script = st.lists(
    st.one_of(
        st.tuples(
            st.floats(0, 3600, allow_nan=False),
            command_text,
            st.sampled_from([None, "ic", "tech", "comms", "scribe"]),
        ),
        st.tuples(st.floats(0, 3600, allow_nan=False), inject_text, st.just("facilitator")),
    ),
    max_size=25,
)


def _play(ref: str, seed: int, entries: list[tuple[float, str, str | None]]) -> list[str]:
    loaded = LOADED[ref]
    session = DrillSession(loaded.scenario, seed=seed, scenario_hash=loaded.content_hash)
    for at, text, role in sorted(entries, key=lambda e: e[0]):
        session.advance(at)
        if session.ended:
            break
        if role == "facilitator":
            with contextlib.suppress(CommandError):  # a refused inject logs nothing
                assert session.facilitate(text).type == "inject.applied"
            continue
        result = session.submit(text, role=role)
        assert result.event.type in ("command.accepted", "command.rejected")
    session.advance(10**9)
    assert session.ended
    assert [p for e in session.events if (p := payload_problem(e.type, e.data))] == []
    return [encode(e.to_json()) for e in session.events]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=st.sampled_from(sorted(LOADED)), seed=st.integers(0, 2**31), entries=script)
def test_random_commands_never_crash_and_replay_identically(
    ref: str, seed: int, entries: list[tuple[float, str, str | None]]
) -> None:
    """Any command or facilitator inject at any time is applied or refused, and the log
    is reproducible."""
    first = _play(ref, seed, entries)
    assert first == _play(ref, seed, entries)
    times = [float(line.split('"t":')[1].split(",")[0]) for line in first]
    assert times == sorted(times)
    assert '"type":"drill.ended"' in first[-1]


def test_update_at_an_awkward_float_time_does_not_stall_the_clock() -> None:
    """Regression (found by the property test): an update at this time made a stakeholder
    wait a few ulps, which no longer advanced the clock, and the drill spun forever."""
    lines = _play(
        "region-outage",
        1184533024,
        [(1744.3550840812834, '/update "api degraded, next update 14:45"', None)],
    )
    assert '"type":"drill.ended"' in lines[-1]


def _variant(event: str, delay: float, onset: float, then: str, to: float) -> Any:
    """The checkout drill with triggered injects, a symptom onset and a settling relief."""
    import yaml

    from simulator.log.vocabulary import fields_of
    from simulator.scenario.loader import parse_scenario

    data = LOADED["checkout-bad-deploy"].scenario.model_dump(mode="json", by_alias=True)
    # `match` may only name fields the event has (checked at validation).
    match = {"severity": 1} if "severity" in fields_of(event)[0] else {}  # type: ignore[arg-type]
    data["injects"] += [
        {"kind": "support_surge", "after": {"event": event, "delay": delay}},
        {"kind": "executive_ask", "after": {"event": event, "match": match}},
    ]
    fault = data["faults"][0]
    fault["impact"]["onset"] = {"error_rate": onset, "saturation": onset / 2}
    fault["responses"]["restart-checkout"] = {"relieves": "2m", "to": to, "then": then}
    return parse_scenario(yaml.safe_dump(data), "variant.yaml").scenario


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
@given(
    event=st.sampled_from(sorted(EVENT_TYPES)),
    delay=st.floats(0, 1200, allow_nan=False),
    onset=st.floats(0, 0.95),
    then=st.sampled_from(["fixes", "escalates"]),
    to=st.floats(0, 1),
    seed=st.integers(0, 2**31),
    entries=script,
)
def test_triggered_injects_onsets_and_settling_reliefs_never_crash(
    event: str,
    delay: float,
    onset: float,
    then: str,
    to: float,
    seed: int,
    entries: list[tuple[float, str, str | None]],
) -> None:
    """`after:` on any event type, any onset, a relief that may end the fault, the coach
    on: any commands still give a finished drill, and the same one twice."""
    scenario = _variant(event, delay, onset, then, to)

    def play() -> list[str]:
        session = DrillSession(scenario, seed=seed, coach=True)
        for at, text, role in sorted(entries, key=lambda e: e[0]):
            session.advance(at)
            if session.ended:
                break
            if role == "facilitator":
                with contextlib.suppress(CommandError):
                    session.facilitate(text)
            else:
                session.submit(text, role=role)
        session.advance(10**9)
        assert session.ended
        assert [p for e in session.events if (p := payload_problem(e.type, e.data))] == []
        return [encode(e.to_json()) for e in session.events]

    assert play() == play()
