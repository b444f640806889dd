"""Every shipped scenario with scripted good and poor responses plays as its author intended.

For each scenario in ``scenarios/`` that has ``scenarios/scripts/<id>-good.yaml`` and
``<id>-poor.yaml``, the real engine runs both scripts headless for several seeds. The
good response must mitigate and end the impact, and sooner than the poor one; the poor
one must end the impact later or never. Every scripted command must be accepted, so a
renamed service or mitigation in a scenario breaks here rather than in a trainee's drill.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from simulator.drill.commands import load_script
from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario, shipped_scenario_paths

SCRIPTS = Path(__file__).resolve().parent.parent / "scenarios" / "scripts"
SEEDS = (1, 7, 42)


def _scripted_ids() -> list[str]:
    return [
        path.stem
        for path in shipped_scenario_paths()
        if (SCRIPTS / f"{path.stem}-good.yaml").exists()
        and (SCRIPTS / f"{path.stem}-poor.yaml").exists()
    ]


SCRIPTED = _scripted_ids()


@cache
def _summary(scenario_id: str, response: str, seed: int) -> dict[str, Any]:
    loaded = load_scenario(scenario_id)
    session = DrillSession(loaded.scenario, seed=seed, scenario_hash=loaded.content_hash)
    session.run_script(load_script(SCRIPTS / f"{scenario_id}-{response}.yaml"))
    return session.summary()


def _impact_end(summary: dict[str, Any]) -> float:
    """When the impact ended for good; infinity when it was still ongoing at the end."""
    if summary["impact_ongoing_at_end"] or summary["impact_ended_at"] is None:
        return math.inf
    return float(summary["impact_ended_at"])


def _mitigated(summary: dict[str, Any]) -> float:
    """When the impact was first mitigated; infinity when it never was."""
    at = summary["impact_mitigated_at"]
    return math.inf if at is None else float(at)


def test_the_new_scenarios_ship_with_both_scripts() -> None:
    """The intermediate and advanced shipped scenarios have good and poor scripted responses."""
    assert {"checkout-bad-deploy", "db-pool-exhaustion", "region-outage"} <= set(SCRIPTED)


def test_shipped_file_names_match_their_ids() -> None:
    """A shipped scenario's file stem equals its metadata.id, so `gameday run ID` finds it."""
    for path in shipped_scenario_paths():
        assert load_scenario(str(path)).scenario.metadata.id == path.stem


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("response", ["good", "poor"])
@pytest.mark.parametrize("scenario_id", SCRIPTED)
def test_every_scripted_command_is_accepted(scenario_id: str, response: str, seed: int) -> None:
    """Every command in a shipped script is accepted by the engine (none rejected)."""
    summary = _summary(scenario_id, response, seed)
    assert summary["commands_rejected"] == 0, summary["rejected"]
    assert summary["commands_accepted"] > 0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCRIPTED)
def test_good_response_mitigates_and_ends_the_impact(scenario_id: str, seed: int) -> None:
    """The good response mitigates the impact and it ends before the drill does."""
    summary = _summary(scenario_id, "good", seed)
    assert summary["impact_mitigated_at"] is not None
    assert summary["impact_ended_at"] is not None
    assert summary["impact_ongoing_at_end"] is False


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCRIPTED)
def test_good_response_mitigates_sooner_than_the_poor_one(scenario_id: str, seed: int) -> None:
    """The good response stops the bleeding sooner than the poor one (which may never)."""
    good = _summary(scenario_id, "good", seed)
    poor = _summary(scenario_id, "poor", seed)
    assert _mitigated(good) < _mitigated(poor)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCRIPTED)
def test_poor_response_ends_the_impact_later_or_never(scenario_id: str, seed: int) -> None:
    """The poor response's impact ends later than the good one's, or is still ongoing."""
    good = _summary(scenario_id, "good", seed)
    poor = _summary(scenario_id, "poor", seed)
    assert _impact_end(good) < _impact_end(poor)
