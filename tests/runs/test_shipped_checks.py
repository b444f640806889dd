"""Every shipped scenario passes ``gameday check`` at a modest seed count.

Solvable on every seed, and the good script beats both nobody answering and the
shotgun (every lever pulled blindly) on at least 90% of seeds: targeted fixes are
found by investigation, not known from the start.
"""

from __future__ import annotations

import pytest

from scoring.check import grade_drill
from simulator.executors import LocalExecutor
from simulator.runs.check import run_check
from simulator.runs.scripts import responses
from simulator.scenario.loader import load_scenario, shipped_scenario_paths

SEEDS = list(range(1, 31))


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", [p.stem for p in shipped_scenario_paths()])
def test_shipped_scenario_passes_check(scenario_id: str) -> None:
    """Solvable on every seed; good beats idle and shotgun on at least 90% of seeds."""
    loaded = load_scenario(scenario_id)
    with LocalExecutor(1) as executor:
        report = run_check(loaded, responses(loaded), SEEDS, executor, grade_drill)
    assert [c["claim"] for c in report["claims"] if not c["passed"]] == []
    assert report["passed"]
