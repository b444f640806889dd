"""Importers turn each system's export into a config that escalates as that system does."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.oncall.importers import import_file
from simulator.oncall.loader import OnCall, load_oncall_text
from simulator.oncall.paging import escalation_plan

DATA = Path(__file__).resolve().parent / "data"


def imported(system: str) -> OnCall:
    return load_oncall_text(import_file(system, DATA / f"{system}.json"), f"{system}.yaml")


def offsets_and_people(oncall: OnCall, service: str, at: datetime) -> list[tuple[float, tuple]]:
    return [(s.offset, s.people) for s in escalation_plan(oncall.config, service, at).steps]


def test_pagerduty_keeps_rules_loops_layers_and_services() -> None:
    """num_loops 2 → repeat 2; delays per rule; GET's layer order reversed so Layer 2 wins."""
    oncall = imported("pagerduty")
    config = oncall.config
    assert config.semantics.delay == "per_step" and config.semantics.empty_step == "skip"
    policy = config.policies[0]
    assert policy.repeat == 2
    assert [s.delay for s in policy.steps] == [900, 600, 1800]
    assert policy.steps[1].assign == "round_robin"
    layers = config.schedules[0].layers
    assert [layer.name for layer in layers] == ["Layer 1", "Layer 2"]
    assert layers[1].restrictions[0].start_day == "mon"
    services = {s.name: s for s in config.services}
    assert services["checkout-api"].ack_timeout == 1800
    assert services["payout-batch"].urgency == "low"
    # Monday 10:00: the business-hours layer (Chloe) wins over the weekly one.
    monday = offsets_and_people(oncall, "checkout-api", datetime(2026, 1, 12, 10))
    assert monday[0] == (0.0, ("chloe-martin",))
    assert monday[1] == (900.0, ("ana-lopez",))
    # Tuesday: only the weekly layer; week two is Ben's.
    assert offsets_and_people(oncall, "checkout-api", datetime(2026, 1, 13, 10))[0][1] == (
        "ben-okafor",
    )
    # The override on the 14th.
    assert offsets_and_people(oncall, "checkout-api", datetime(2026, 1, 14, 10))[0][1] == (
        "dev-patel",
    )
    assert len(escalation_plan(config, "checkout-api", datetime(2026, 1, 13, 10)).steps) == 9


def test_opsgenie_delays_count_from_creation_and_rotations_are_all_on_call() -> None:
    """Opsgenie rules at 0/5/15 minutes from creation; repeat count 1 after waitInterval 10."""
    oncall = imported("opsgenie")
    config = oncall.config
    assert config.semantics.delay == "from_trigger"
    assert config.schedules[0].precedence == "all_on_call"
    assert config.policies[0].repeat == 1 and config.policies[0].repeat_wait == 600
    office = config.schedules[0].layers[1]
    # [hugo, none] daily: Hugo holds every other day, the 'none' turns are nobody's.
    assert office.users == ["hugo-schmidt"]
    assert (office.turn_length, office.active_for) == (2 * 86400, 86400)
    assert office.restrictions[0].start_day == "mon"
    assert office.restrictions[0].duration == 4 * 86400 + 8 * 3600
    plan = offsets_and_people(oncall, "platform-escalation", datetime(2026, 1, 6, 10))
    assert [p[0] for p in plan] == [0.0, 300.0, 900.0, 1500.0, 1800.0, 2400.0]
    assert set(plan[0][1]) == {"felix-braun"}  # Tuesday is the 'none' turn
    monday = offsets_and_people(oncall, "platform-escalation", datetime(2026, 1, 5, 10))
    assert set(monday[0][1]) == {"felix-braun", "hugo-schmidt"}


def test_goalert_empty_steps_wait_and_rules_cross_midnight() -> None:
    """GoAlert: empty steps wait; a 22:00-06:00 rule is an 8h window; repeat kept."""
    oncall = imported("goalert")
    config = oncall.config
    assert config.semantics.empty_step == "wait"
    assert config.policies[0].repeat == 2
    nights = config.schedules[0].layers[1]
    assert nights.restrictions[0].duration == 8 * 3600
    # Saturday 12:00: no rule is active, step one is empty and is waited out (5 min).
    plan = offsets_and_people(oncall, "ledger", datetime(2026, 1, 10, 12))
    assert plan[0] == (0.0, ())
    assert plan[1][0] == 300.0 and "jonas-weber" in plan[1][1]
    # Tuesday 23:00: Kai's night rotation is on call.
    assert offsets_and_people(oncall, "ledger", datetime(2026, 1, 6, 23))[0][1] == ("kai-tanaka",)


def test_grafana_wait_steps_levels_round_robin_and_repeat() -> None:
    """Grafana: only waits take time (5 s between others), level 1 wins, repeat_escalation = 5."""
    oncall = imported("grafana")
    config = oncall.config
    assert config.semantics.delay == "wait_steps"
    assert config.policies[0].repeat == 5
    plan = offsets_and_people(oncall, "grafana-alerting", datetime(2026, 1, 6, 10, 30))
    assert [p[0] for p in plan[:3]] == [0.0, 605.0, 910.0]
    assert plan[0][1] == ("nadia",)  # config zone is Berlin: Tuesday 10:30, office hours
    assert plan[1][1] == ("lena",)  # round robin, first turn
    assert plan[2][1] == ("nadia",)


def test_malformed_export_is_reported_at_its_line(tmp_path: Path) -> None:
    """An export the importer cannot understand names the file, line and field."""
    data = json.loads((DATA / "pagerduty.json").read_text())
    data["escalation_policies"][0]["escalation_rules"][0]["targets"][0]["type"] = "team_reference"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(InputError) as err:
        import_file("pagerduty", path)
    text = str(err.value)
    assert "bad.json:" in text and "unknown target type 'team_reference'" in text
    line = int(text.split(":")[1])
    assert "team_reference" in path.read_text().splitlines()[line - 1]
