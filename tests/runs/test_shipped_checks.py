"""Every shipped scenario passes ``gameday check`` at a modest seed count.

Some fail today because pulling every lever blindly (the shotgun) ends the impact
sooner than diagnosing first; the world-model issue fixes the game design. Those cases
are strict xfails that catch only that failure: any other broken claim fails the test,
and the day a scenario starts passing, the strict xfail tells us to drop the mark.
"""

from __future__ import annotations

import pytest

from scoring.check import grade_drill
from simulator.executors import LocalExecutor
from simulator.runs.check import run_check
from simulator.runs.scripts import responses
from simulator.scenario.loader import load_scenario, shipped_scenario_paths

SEEDS = list(range(1, 31))
SHOTGUN_WINS_TODAY = {"cache-stampede", "checkout-bad-deploy", "db-pool-exhaustion"}


class ShotgunBeatsGood(AssertionError):
    """The one known failure: the shotgun beats the good script on too many seeds."""


def _case(scenario_id: str) -> object:
    if scenario_id not in SHOTGUN_WINS_TODAY:
        return scenario_id
    mark = pytest.mark.xfail(
        strict=True,
        raises=ShotgunBeatsGood,
        reason="shotgun beats diagnosis until the world-model issue lands",
    )
    return pytest.param(scenario_id, marks=mark)


@pytest.mark.slow
@pytest.mark.parametrize("scenario_id", [_case(p.stem) for p in shipped_scenario_paths()])
def test_shipped_scenario_passes_check(scenario_id: str) -> None:
    """Solvable on every seed; good beats idle and shotgun on at least 90% of seeds."""
    loaded = load_scenario(scenario_id)
    with LocalExecutor(1) as executor:
        report = run_check(loaded, responses(loaded), SEEDS, executor, grade_drill)
    failed = [c["claim"] for c in report["claims"] if not c["passed"]]
    others = [c for c in failed if "beats shotgun" not in c]
    assert not others, others
    if failed:
        raise ShotgunBeatsGood(failed[0])
    assert report["passed"]
