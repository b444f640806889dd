"""The coach: a hint when a usual step is late, once per step, only for the trainee's role."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill.commands import load_script
from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.log.jsonl import comparable_lines
from simulator.scenario.loader import load_scenario
from tests.conftest import SCRIPTS


def _hints(session: DrillSession) -> list[tuple[float, str]]:
    return [(e.t, e["rule"]) for e in session.events if e.type == "coach.hint"]


def _coached(ref: str = "checkout-bad-deploy", role: str = "ic", **kw: object) -> DrillSession:
    loaded = load_scenario(ref)
    return DrillSession(
        loaded.scenario,
        seed=7,
        role=role,
        coach=True,
        scenario_hash=loaded.content_hash,
        **kw,  # type: ignore[arg-type]
    )


def test_nobody_acting_gets_the_next_step_each_time() -> None:
    """An idle trainee is told to acknowledge, then to declare, then to answer the
    stakeholders: each hint once, the page's name in the first."""
    session = _coached()
    session.advance(3600)
    hints = _hints(session)
    assert [rule for _, rule in hints] == ["acknowledge", "severity", "answer"]
    first_page = next(e for e in session.events if e.type == "page.sent")
    assert hints[0][0] - first_page.t >= 120
    ack = next(e for e in session.events if e.type == "coach.hint")
    assert first_page["name"] in ack["text"] and "/ack" in ack["text"]


def test_hints_follow_progress_and_stop_when_the_step_is_done() -> None:
    """Acknowledging quickly means no ack hint; declaring without staffing earns the
    staffing hint with the scenario's own people in it."""
    session = _coached()
    page = None
    while page is None:
        session.advance(session.now + 15)
        page = next((e for e in session.events if e.type == "page.sent"), None)
    session.submit("/ack")
    session.submit("/sev 2")
    session.advance(session.now + 400)
    hints = {rule: t for t, rule in _hints(session)}
    assert "acknowledge" not in hints and "severity" not in hints
    staff = next(e for e in session.events if e.get("rule") == "staff")
    assert "/assign tech Priya N." in staff["text"]


@pytest.mark.parametrize("ref", ["checkout-bad-deploy", "db-pool-exhaustion"])
def test_an_expert_run_needs_no_hints(ref: str) -> None:
    """The good scripts do every step in time: the coach stays quiet; the poor ones
    get hints."""
    good, poor = _coached(ref), _coached(ref)
    good.run_script(load_script(SCRIPTS / f"{ref}-good.yaml"))
    poor.run_script(load_script(SCRIPTS / f"{ref}-poor.yaml"))
    assert _hints(good) == []
    assert len(_hints(poor)) >= 3


def test_hints_are_only_for_the_trainees_role() -> None:
    """A Comms Lead is never told to acknowledge pages or declare a severity."""
    session = _coached(role="comms")
    session.advance(3600)
    assert {rule for _, rule in _hints(session)} <= {"answer"}


def test_coach_is_off_unless_asked_and_survives_resume(tmp_path: Path) -> None:
    """Off by default; with it on, the header says so and a resumed drill hints alike."""
    loaded = load_scenario("checkout-bad-deploy")
    plain = DrillSession(loaded.scenario, seed=7)
    plain.advance(3600)
    assert _hints(plain) == [] and "coach" not in plain.header
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    for path, stop in ((full, 3600.0), (part, 420.0)):
        session = _coached(log_path=path)
        session.advance(stop)
        session.close()
    resumed = resume_session(part)
    assert resumed.header["coach"] is True
    resumed.advance(3600)
    resumed.close()
    assert comparable_lines(full.read_text().splitlines()) == comparable_lines(
        part.read_text().splitlines()
    )


def test_the_scorecard_counts_the_hints() -> None:
    """The debrief says how many hints the trainee needed, and which."""
    from scoring import score_log

    session = _coached()
    session.advance(3600)
    card = score_log(session.header, session.events)
    assert card.metrics.coach_hints == ("acknowledge", "severity", "answer")
    assert "coach hints: 3 (acknowledge, severity, answer)" in card.to_text()
    assert card.to_json()["metrics"]["coach_hints"] == ["acknowledge", "severity", "answer"]
