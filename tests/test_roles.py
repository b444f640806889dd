"""Every role is a real job: drills played as Tech Lead, Comms Lead or Scribe end cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill.session import DrillSession
from simulator.log.jsonl import read_log
from simulator.scenario.loader import LoadedScenario, load_scenario


@pytest.fixture(scope="module")
def region() -> LoadedScenario:
    return load_scenario("region-outage")


@pytest.mark.parametrize(("role", "seed", "step"), [("comms", 11, 6.0), ("tech", 7, 2.0)])
def test_a_simulated_ic_resolving_mid_advance_ends_the_log_cleanly(
    region: LoadedScenario, tmp_path: Path, role: str, seed: int, step: float
) -> None:
    """The simulated IC resolves inside a SimPy run: nothing is written after the end.

    It crashed with "I/O operation on closed file" when processes due at the same
    instant went on emitting after ``drill.ended`` closed the log.
    """
    log = tmp_path / "drill.jsonl"
    session = DrillSession(region.scenario, seed=seed, role=role, log_path=log)
    t = 0.0
    while not session.ended and t < session.duration + step:
        t += step
        session.advance(t)
    assert session.ended
    logged = read_log(log).events
    assert logged[-1].type == "drill.ended"
    assert session.events[-1].type == "drill.ended"
    assert session.advance(t + 600) == []


def _session(loaded: LoadedScenario, role: str, seed: int = 7) -> DrillSession:
    return DrillSession(loaded.scenario, seed=seed, role=role)


def test_an_out_of_role_command_is_refused_logged_and_says_how_to_ask(
    region: LoadedScenario,
) -> None:
    """As Comms Lead, /sev, /failover and /resolve are refused with the /ask to use."""
    session = _session(region, "comms", seed=11)
    session.advance(600)
    for text, usage in (
        ("/sev 2", "/ask ic sev 2"),
        ("/failover us-east-1", "/ask tech failover us-east-1"),
        ("/resolve", "/ask ic resolve"),
    ):
        result = session.submit(text)
        assert not result.accepted
        assert result.event.type == "command.rejected"
        assert result.event["usage"] == usage
        assert "call, not the Communications Lead's" in result.event["error"]
    assert not session.ended


def test_a_risky_lever_waits_for_the_ics_approval(region: LoadedScenario) -> None:
    """The Tech Lead's failover is refused until the IC approves it on evidence."""
    session = _session(region, "tech")
    session.advance(420)
    refused = session.submit("/failover us-east-1")
    assert not refused.accepted
    assert refused.event["usage"] == "/ask ic approve failover us-east-1"
    assert session.submit("/ask ic approve failover us-east-1").accepted
    session.advance(session.now + 40)
    answer = [e for e in session.events if e.type == "request.answered"][-1]
    assert answer["approved"] is False  # nothing found yet
    for query in ("db-activity", "runbook", "deploys"):
        session.submit(f"/investigate {query}")
    session.advance(session.now + 300)
    session.submit("/ask ic approve failover us-east-1")
    session.advance(session.now + 40)
    answer = [e for e in session.events if e.type == "request.answered"][-1]
    assert answer["approved"] is True
    assert session.submit("/failover us-east-1").accepted


def test_the_simulated_ic_leaves_the_technical_work_to_a_human_tech_lead(
    region: LoadedScenario,
) -> None:
    """With a human Tech Lead, the IC investigates and fixes nothing itself; it asks."""
    session = _session(region, "tech")
    session.advance(1800)
    by_ic = [
        e["command"] for e in session.events if e.type == "command.accepted" and e["role"] == "ic"
    ]
    assert by_ic and not {"investigate", "failover", "shift-traffic", "scale"} & set(by_ic)
    chats = [e["text"] for e in session.events if e.type == "chat.posted"]
    assert any("you have the technical lead" in t for t in chats)
    assert any("where are we" in t for t in chats)


def test_simulated_teammates_act_at_a_human_pace(region: LoadedScenario) -> None:
    """No simulated person fires a batch of commands in the same second."""
    for role in ("comms", "scribe"):
        session = _session(region, role)
        session.advance(3000)
        times = [
            e.t
            for e in session.events
            if e.type == "command.accepted" and e["role"] == "ic" and e.get("simulated")
        ]
        assert len(times) == len(set(times)), role


def test_a_human_comms_lead_is_prompted_and_a_reply_answers_the_stakeholder(
    region: LoadedScenario,
) -> None:
    """A stakeholder's question goes to the human Comms Lead; /reply answers that person."""
    session = _session(region, "comms", seed=11)
    session.advance(700)
    prompts = [e["text"] for e in session.events if e.type == "chat.posted"]
    assert any("is asking for news" in t for t in prompts)
    result = session.submit("/reply Sandra No, it's not a data breach -- we know that much")
    assert result.accepted, result.message
    replied = [e for e in session.events if e.type == "stakeholder.replied"][-1]
    assert replied.data == {
        "stakeholder": "Sandra O.",
        "text": "No, it's not a data breach -- we know that much",
        "by": "trainee",
    }


def test_free_text_is_chat_with_author_and_role(region: LoadedScenario) -> None:
    """Text typed without a slash is said in the channel, not rejected."""
    session = _session(region, "scribe")
    result = session.submit("is anyone looking at the db?")
    assert result.accepted
    chat = [e for e in session.events if e.type == "chat.posted"][-1]
    assert chat.data == {"text": "is anyone looking at the db?", "by": "trainee", "role": "scribe"}


def test_a_human_scribe_is_asked_to_record_decisions(region: LoadedScenario) -> None:
    """The simulated IC calls out decisions for the human Scribe to note."""
    session = _session(region, "scribe")
    session.advance(900)
    assert any(e.type == "chat.posted" and "please note" in e["text"] for e in session.events)
