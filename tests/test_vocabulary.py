"""The event vocabulary is the one schema of the log: producers follow it, the docs show it."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from simulator.drill.commands import load_script
from simulator.drill.session import DrillSession
from simulator.log.events import EVENT_TYPES, GROUND_TRUTH_EVENTS
from simulator.log.vocabulary import PAYLOADS, EventType, markdown_table, payload_problem
from simulator.scenario.loader import load_scenario
from tests.conftest import ROOT, SCRIPTS


def _drills() -> list[tuple[str, str, str]]:
    return [
        (path.stem.rsplit("-", 1)[0], path.name, role)
        for path in sorted(SCRIPTS.glob("*.yaml"))
        for role in ("ic", "tech", "comms", "scribe")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("scenario", "script", "role"), _drills())
def test_every_event_a_drill_emits_has_the_fields_its_type_declares(
    scenario: str, script: str, role: str
) -> None:
    """Every shipped scenario with its scripts, in every role, with the coach, a
    facilitator inject and a rejected command: each event's fields match the vocabulary."""
    session = DrillSession(
        load_scenario(scenario).scenario,
        seed=7,
        role=role,
        coach=True,
        players={"scribe": "Sam"} if role != "scribe" else None,
    )
    session.advance(60)
    session.submit("/frobnicate now")
    session.facilitate("/inject exec Are we losing orders?")
    session.run_script(load_script(SCRIPTS / script))
    problems = [
        f"{e.seq} {problem}" for e in session.events if (problem := payload_problem(e.type, e.data))
    ]
    assert problems == []
    seen = {e.type for e in session.events}
    assert {"drill.started", "command.rejected", "inject.applied", "drill.ended"} <= seen


def test_payload_problem_names_the_missing_unknown_or_mistyped_field() -> None:
    """The reader's check says what is wrong in the author's terms."""
    good = {"severity": 2, "previous": None, "by": "Dana"}
    assert payload_problem("severity.declared", good) is None
    assert payload_problem("severity.declared", {"severity": 2, "by": "Dana"}) == (
        "severity.declared is missing previous"
    )
    assert payload_problem("severity.declared", {**good, "sev": 2}) == (
        "severity.declared has unknown field(s) sev"
    )
    assert payload_problem("severity.declared", {**good, "severity": "2"}) == (
        "severity.declared field 'severity' should be a whole number, not text"
    )
    assert payload_problem("alert.exploded", {}) == "unknown event type 'alert.exploded'"
    # JSON has one number type: a whole number is a valid float field.
    assert (
        payload_problem("page.acknowledged", {"page": "P1", "alert": "A1", "by": "x", "after": 3})
        is None
    )


def test_one_list_of_types() -> None:
    """EVENT_TYPES, the payloads and the ground truth all come from the one Literal."""
    assert set(get_args(EventType)) == set(PAYLOADS) == EVENT_TYPES
    assert GROUND_TRUTH_EVENTS < EVENT_TYPES


def test_log_format_doc_shows_the_generated_table() -> None:
    """docs/log-format.md's event table is the vocabulary's, byte for byte."""
    doc = (ROOT / "docs" / "log-format.md").read_text(encoding="utf-8")
    assert markdown_table() in doc


def test_golden_logs_follow_the_vocabulary() -> None:
    """The checked-in logs (written before the vocabulary was typed) conform to it."""
    from simulator.log.jsonl import read_log

    for path in sorted(Path(ROOT / "tests" / "data").glob("*.jsonl")):
        log = read_log(path)
        assert log.events
        assert [
            payload_problem(e.type, e.data) for e in log.events if payload_problem(e.type, e.data)
        ] == []
