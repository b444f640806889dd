"""``gameday oncall sweep``: parameter paths, the Pareto front, the report, any executor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.oncall.loader import load_oncall
from simulator.oncall.sweep import Vary, apply_settings, grid, pareto_front
from tui.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "oncall"
PROPOSED = str(EXAMPLES / "proposed.yaml")


def _sweep(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["oncall", "sweep", "--config", PROPOSED, *args])
    return result.exit_code, result.output


def test_documented_paths_change_the_fields_they_name() -> None:
    """Delays, repeat, turn length, rotation size and alert rate each land where meant."""
    config = load_oncall(PROPOSED).config
    varied = apply_settings(
        config,
        [
            ("policies.payments.steps.1.delay", "5m"),
            ("policies.*.repeat", "0"),
            ("schedules.secondary.layers.weekly.turn_length", "1d"),
            ("schedules.follow-the-sun.layers.new-york.size", "7"),
            ("services.checkout.alerts.per_day", "4"),
        ],
    )
    assert varied.policies[0].steps[0].delay == 300
    assert varied.policies[0].steps[1].delay == config.policies[0].steps[1].delay
    assert varied.policies[0].repeat == 0
    assert varied.schedules[1].layers[0].turn_length == 86400
    new_york = varied.schedules[0].layers[0].users
    assert new_york[:5] == config.schedules[0].layers[0].users and len(new_york) == 7
    assert {p.name for p in varied.people} >= set(new_york)
    assert varied.services[0].alerts is not None and varied.services[0].alerts.per_day == 4
    smaller = apply_settings(config, [("schedules.follow-the-sun.layers.1.size", "2")])
    assert smaller.schedules[0].layers[0].users == ["ana", "ben"]


def test_grid_is_every_combination_last_varying_fastest() -> None:
    """Two values by three: six variants in a stable order."""
    combos = grid([Vary("a", ("1", "2")), Vary("b", ("x", "y", "z"))])
    assert len(combos) == 6
    assert combos[0] == (("a", "1"), ("b", "x")) and combos[1] == (("a", "1"), ("b", "y"))


def test_pareto_front_keeps_only_undominated_points() -> None:
    """A point worse on both axes than another is off the front; ties on one axis stay."""

    def point(ack: float, sleep: float) -> dict[str, object]:
        return {"p95_ack": {"mean": ack}, "sleep_pages": {"mean": sleep}}

    points = [point(600, 1.0), point(900, 0.5), point(700, 1.2), point(300, 2.0)]
    points.append({"p95_ack": None, "sleep_pages": {"mean": 0.1}})
    assert pareto_front(points) == [1, 0, 3]


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ("policies.paymnts.repeat=1", "did you mean 'payments'"),
        ("policies.payments.repeet=1", "did you mean 'repeat'"),
        ("policies.payments.repeat=x", "policies.payments.repeat=x"),
        ("policies.payments.steps.9.delay=5m", "counts from 1"),
        ("policies.payments.steps.1.delay=soon", "not a duration"),
        ("schedules.follow-the-sun.layers.1.size=0", "at least 1 person"),
        ("policies.payments", "is not PATH=V1,V2"),
    ],
)
def test_bad_vary_is_one_clear_message_and_exit_2(vary: str, message: str) -> None:
    """Unknown paths and bad values are refused before anything runs."""
    code, out = _sweep("--vary", vary, "--runs", "1", "--days", "1")
    assert code == 2
    assert message in out and "Traceback" not in out


def test_sweep_reports_front_table_and_self_contained_html(tmp_path: Path) -> None:
    """A longer first escalation delay trades ack time for sleep: the report shows each
    variant with intervals, and the HTML chart fetches nothing."""
    report = tmp_path / "sweep.html"
    code, out = _sweep(
        "--vary",
        "policies.payments.steps.1.delay=2m,20m",
        "--runs",
        "6",
        "--days",
        "14",
        "--workers",
        "1",
        "--json",
        "--report",
        str(report),
    )
    assert code == 0, out
    data = json.loads(out)
    fast, slow = data["points"]
    assert fast["settings"] == {"policies.payments.steps.1.delay": "2m"}
    assert fast["p95_ack"]["mean"] < slow["p95_ack"]["mean"]
    for p in data["points"]:
        assert p["p95_ack"]["low"] <= p["p95_ack"]["mean"] <= p["p95_ack"]["high"]
    assert data["front"]
    html = report.read_text()
    assert "<svg" in html and "Pareto front" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


@pytest.mark.slow
def test_same_json_byte_for_byte_on_a_dask_cluster(dask_address: str) -> None:
    """Local processes and a Dask cluster give the identical --json report."""
    args = (
        "--vary",
        "policies.payments.repeat=0,1",
        "--vary",
        "services.ledger.alerts.per_day=0.5,2",
        "--runs",
        "4",
        "--days",
        "14",
        "--json",
    )
    local = _sweep(*args, "--workers", "2")
    cluster = _sweep(*args, "--cluster", dask_address)
    assert local[0] == cluster[0] == 0
    assert cluster[1] == local[1]
