"""Guessing does not beat diagnosis: a "shotgun" response, generated from each shipped
scenario, ends the impact no sooner than the good script, and the good script still
mitigates within the scenario's own target.

The shotgun acknowledges when the good script first does (same reaction time), then
applies every mitigation the scenario defines, in file order, one after the other (each
once the previous one has taken effect, as one responder would), with no investigation.
A targeted fix the team has no evidence for is refused; generic levers still run.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.drill.commands import load_script
from simulator.drill.knowledge import command_for
from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario, shipped_scenario_paths
from tests.conftest import SCRIPTS

SHIPPED = [p.stem for p in shipped_scenario_paths() if (SCRIPTS / f"{p.stem}-good.yaml").exists()]


def _impact_end(summary: dict[str, Any]) -> float:
    if summary["impact_ongoing_at_end"] or summary["impact_ended_at"] is None:
        return math.inf
    return float(summary["impact_ended_at"])


def shotgun_script(scenario_id: str) -> list[dict[str, Any]]:
    """The shotgun response for a shipped scenario, as script entries."""
    scenario = load_scenario(scenario_id).scenario
    good = load_script(SCRIPTS / f"{scenario_id}-good.yaml")
    t = next(e.at for e in good if e.do.startswith("/ack"))
    entries: list[dict[str, Any]] = [{"at": t, "do": "/ack"}]
    for mit in scenario.mitigations:
        t += 5.0
        entries.append({"at": t, "do": command_for(mit)})
        t += mit.takes
    return entries


def _run(scenario_id: str, script: Path) -> dict[str, Any]:
    loaded = load_scenario(scenario_id)
    session = DrillSession(loaded.scenario, seed=7, scenario_hash=loaded.content_hash)
    session.run_script(load_script(script))
    return session.summary()


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_shotgun_does_not_end_the_impact_faster_than_the_good_script(
    scenario_id: str, tmp_path: Path
) -> None:
    """Firing every lever blind is no faster than the good, evidence-led response."""
    path = tmp_path / "shotgun.yaml"
    path.write_text(yaml.safe_dump(shotgun_script(scenario_id)))
    shotgun = _run(scenario_id, path)
    good = _run(scenario_id, SCRIPTS / f"{scenario_id}-good.yaml")
    assert _impact_end(good) < math.inf
    assert _impact_end(shotgun) >= _impact_end(good), (shotgun, good)


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_good_script_mitigates_within_the_scenario_target(scenario_id: str) -> None:
    """The good script's time to mitigate is within `truth.targets.mitigate`."""
    good = _run(scenario_id, SCRIPTS / f"{scenario_id}-good.yaml")
    target = load_scenario(scenario_id).scenario.truth.targets.mitigate
    assert good["impact_mitigated_at"] - good["impact_started_at"] <= target
