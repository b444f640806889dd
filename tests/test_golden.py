"""Golden runs: each shipped scenario with its scripted responses at a fixed seed.

A change in engine behaviour shows up here as a diff of a small JSON summary, to
review rather than to discover later. After an intended change, regenerate with
``GAMEDAY_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator.drill.commands import load_script
from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario, shipped_scenario_paths
from tests.conftest import ROOT, SCRIPTS

GOLDEN = ROOT / "tests" / "golden"
CASES = [
    (path.stem, kind)
    for path in shipped_scenario_paths()
    for kind in ("good", "poor")
    if (SCRIPTS / f"{path.stem}-{kind}.yaml").exists()
]


@pytest.mark.parametrize(("scenario", "kind"), CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_scripted_run_matches_golden_summary(scenario: str, kind: str) -> None:
    """Seed 7 plus the scripted response gives the checked-in summary, field for field."""
    loaded = load_scenario(scenario)
    session = DrillSession(loaded.scenario, seed=7, scenario_hash=loaded.content_hash)
    session.run_script(load_script(SCRIPTS / f"{scenario}-{kind}.yaml"))
    summary = json.dumps(session.summary(), indent=2, sort_keys=True) + "\n"
    golden = GOLDEN / f"{scenario}-{kind}-seed7.json"
    if os.environ.get("GAMEDAY_UPDATE_GOLDEN"):
        golden.write_text(summary)
    assert golden.exists(), f"no golden file; run with GAMEDAY_UPDATE_GOLDEN=1 to create {golden}"
    assert json.loads(summary) == json.loads(Path(golden).read_text())
