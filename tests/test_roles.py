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
