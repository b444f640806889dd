"""``gameday check``: responses played over seeds, claims judged, the same on any executor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.runs.scripts import SHOTGUN_GAP, responses
from simulator.scenario.loader import load_scenario
from tui.cli.main import main

SCRIPTS = Path(__file__).resolve().parents[2] / "scenarios" / "scripts"


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_responses_are_good_idle_shotgun_poor_and_extra_scripts(tmp_path: Path) -> None:
    """The shipped scripts are found beside the scenario; the shotgun acks when the good
    script does, then pulls every defined lever in turn; extra scripts keep their names."""
    loaded = load_scenario("checkout-bad-deploy")
    extra = tmp_path / "mine.yaml"
    extra.write_text('- {at: 5m, do: "/ack"}\n')
    plays = responses(loaded, (str(extra),))
    assert [p.name for p in plays] == ["good", "idle", "shotgun", "poor", "mine"]
    assert plays[0].source == "scripts/checkout-bad-deploy-good.yaml"
    assert plays[1].entries == ()
    shotgun = plays[2].entries
    good_ack = next(e.at for e in plays[0].entries if e.do == "/ack")
    assert shotgun[0].at == good_ack and shotgun[0].do == "/ack"
    assert len(shotgun) == 1 + len(loaded.scenario.mitigations)
    assert [e.at - good_ack for e in shotgun[1:3]] == [SHOTGUN_GAP, 2 * SHOTGUN_GAP]
    assert not any(e.do.startswith("/investigate") for e in shotgun)


def test_region_outage_passes_its_claims() -> None:
    """A scenario where diagnosis pays off passes: exit 0, every seed solved, the good
    response beats idle and shotgun on every seed, a difficulty between 0 and 100."""
    code, out = _check("region-outage", "--seeds", "4", "--workers", "1", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["passed"] and report["unsolvable_seeds"] == []
    rows = {r["name"]: r for r in report["responses"]}
    assert rows["idle"]["solved"] == 0 and rows["idle"]["time_to_mitigate"]["never"] == 4
    assert rows["idle"]["good_beats"] == rows["shotgun"]["good_beats"] == 1.0
    assert rows["good"]["rating"]["counts"]["P"] == 4
    assert 0 <= report["difficulty"]["score"] <= 100
    assert report["difficulty"]["novice"] == "poor"


def test_a_good_script_that_is_not_good_fails_the_check() -> None:
    """Given the poor script as the expert's, the claims fail and check exits 1 (the
    criterion is not bent to pass)."""
    poor = str(SCRIPTS / "checkout-bad-deploy-poor.yaml")
    code, out = _check("checkout-bad-deploy", "--seeds", "3", "--workers", "1", "--good", poor)
    assert code == 1
    assert "FAIL  good beats shotgun on at least 90% of seeds" in out
    assert "verdict: FAIL" in out


def test_without_a_good_script_the_claims_cannot_pass(tmp_path: Path) -> None:
    """A scenario copied away from its scripts has no expert to vouch for it: exit 1."""
    scenario = tmp_path / "copy.yaml"
    scenario.write_text(Path(load_scenario("region-outage").source).read_text())
    code, out = _check(str(scenario), "--seeds", "2", "--workers", "1", "--json")
    assert code == 1
    report = json.loads(out)
    assert [r["name"] for r in report["responses"]] == ["idle", "shotgun"]
    assert report["claims"][-1]["passed"] is False
    assert "good response is given" in report["claims"][-1]["claim"]
    code, out = _check(
        str(scenario),
        "--seeds",
        "2",
        "--workers",
        "1",
        "--json",
        "--good",
        str(SCRIPTS / "region-outage-good.yaml"),
    )
    assert code == 0, out


def test_a_missing_script_is_bad_input() -> None:
    """A --script that is not there: exit 2 with a message, not a traceback."""
    code, out = _check("region-outage", "--script", "nope.yaml", "--seeds", "1")
    assert code == 2
    assert "nope.yaml" in out


def test_same_seeds_same_json_on_one_or_two_local_workers() -> None:
    """Batching and worker count never change the report."""
    one = _check("checkout-bad-deploy", "--seeds", "6", "--workers", "1", "--json")
    two = _check("checkout-bad-deploy", "--seeds", "6", "--workers", "2", "--json")
    assert one == two


@pytest.mark.slow
def test_same_json_byte_for_byte_on_a_dask_cluster(dask_address: str) -> None:
    """Local processes and a Dask cluster give the identical --json report."""
    args = ("region-outage", "--seeds", "8", "--json")
    local = _check(*args, "--workers", "2")
    cluster = _check(*args, "--cluster", dask_address)
    assert local[0] == cluster[0] == 0
    assert cluster[1] == local[1]
