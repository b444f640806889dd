"""Old scenario files play exactly as before: a frozen v1 copy of a shipped scenario gives
the checked-in log, event for event, whatever v2 added to the engine."""

from __future__ import annotations

import json

from simulator.drill.commands import load_script
from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario_file
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"


def test_a_v1_file_plays_byte_identically_to_its_checked_in_log() -> None:
    """tests/data/checkout-bad-deploy-v1.yaml (the scenario as shipped before v2) with the
    good script at seed 7 logs the same events as the engine before v2 did
    (tests/data/checkout-bad-deploy-v1-good-seed7.events). Regenerated once since, when
    each stakeholder title got one person per drill (there were two VPs of Engineering):
    the Faker-drawn names moved, no time, type or fact did."""
    loaded = load_scenario_file(DATA / "checkout-bad-deploy-v1.yaml")
    assert not loaded.scenario.v2
    session = DrillSession(loaded.scenario, seed=7, scenario_hash=loaded.content_hash)
    session.run_script(load_script(DATA / "checkout-bad-deploy-v1-good.yaml"))
    lines = (DATA / "checkout-bad-deploy-v1-good-seed7.events").read_text().splitlines()
    # The hash of the v1 meaning is unchanged by the keys v2 added (old logs still resume).
    assert loaded.content_hash == "sha256:222f053ac2a1a4c9"
    got = [json.dumps(e.to_json(), separators=(",", ":")) for e in session.events]
    assert got == lines
