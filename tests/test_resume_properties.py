"""Property test: a v2 drill stopped at any moment and resumed plays out as if never stopped.

Resuming replays the logged commands into a fresh session (simulator.drill.resume), so
every v2 mechanic (knowledge, approvals, preconditions, data loss, tooling, `when:`
injects, teammates) must be a pure function of scenario, seed and timed commands.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.drill.commands import CommandError
from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.log.jsonl import comparable_lines
from simulator.scenario.loader import load_scenario
from tests.test_engine_properties import script

V2 = {ref: load_scenario(ref) for ref in ("orders-db-deleted", "dns-tooling-outage")}

Entries = list[tuple[float, str, str | None]]


def _apply(session: DrillSession, entries: Entries) -> None:
    for at, text, role in entries:
        session.advance(at)
        if session.ended:
            return
        if role == "facilitator":
            with contextlib.suppress(CommandError):  # a refused inject logs nothing
                session.facilitate(text)
        else:
            session.submit(text, role=role)


def _lines(path: Path) -> list[str]:
    return comparable_lines(path.read_text(encoding="utf-8").splitlines())


def play_through(ref: str, seed: int, entries: Entries, log: Path) -> list[str]:
    """The drill played without a break."""
    loaded = V2[ref]
    session = DrillSession(
        loaded.scenario, seed=seed, log_path=log, scenario_hash=loaded.content_hash
    )
    _apply(session, entries)
    session.advance(10**9)
    session.close()
    return _lines(log)


def play_with_break(ref: str, seed: int, entries: Entries, stop: float, log: Path) -> list[str]:
    """The same drill left at ``stop`` and resumed from its log."""
    loaded = V2[ref]
    session = DrillSession(
        loaded.scenario, seed=seed, log_path=log, scenario_hash=loaded.content_hash
    )
    _apply(session, [e for e in entries if e[0] < stop])
    if not session.ended:
        session.advance(stop)
    session.close()
    if session.ended:
        return _lines(log)
    notes: list[str] = []
    resumed = resume_session(log, notify=notes.append)
    assert notes == [], notes  # the replay regenerated the log it found
    _apply(resumed, [e for e in entries if e[0] >= stop])
    resumed.advance(10**9)
    resumed.close()
    return _lines(log)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ref=st.sampled_from(sorted(V2)),
    seed=st.integers(0, 2**31),
    entries=script,
    stop=st.floats(0, 3600, allow_nan=False),
)
def test_a_v2_drill_resumed_mid_way_logs_what_an_unbroken_one_does(
    ref: str, seed: int, entries: Entries, stop: float
) -> None:
    """Stop anywhere, resume with resume_session, finish: the log equals the unbroken run."""
    entries = sorted(entries, key=lambda e: e[0])
    with tempfile.TemporaryDirectory() as tmp:
        whole = play_through(ref, seed, entries, Path(tmp) / "whole.jsonl")
        broken = play_with_break(ref, seed, entries, stop, Path(tmp) / "broken.jsonl")
    assert broken == whole
