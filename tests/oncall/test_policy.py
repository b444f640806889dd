"""Escalation walks under each system's semantics, through the public dry-run API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from simulator.oncall.loader import OnCall
from simulator.oncall.paging import escalation_plan, replan

SCHEDULES = """
schedules:
  - name: day
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: daily, start: "09:00", duration: 8h}]
  - name: all
    layers:
      - users: [bob, carol]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1d
"""
NIGHT = datetime(2026, 1, 6, 23, 0)  # nobody on the 'day' schedule


def plan_rows(oncall: OnCall, at: datetime = NIGHT, service: str = "svc") -> list[tuple]:
    return [
        (s.offset, s.step, s.loop, s.people)
        for s in escalation_plan(oncall.config, service, at).steps
    ]


def test_pagerduty_delays_per_step_and_num_loops(load: Callable[[str], OnCall]) -> None:
    """Per-step delays add up; repeat N (PagerDuty num_loops) gives N+1 passes, then stops."""
    oncall = load(
        SCHEDULES
        + """
policies:
  - name: p
    repeat: 1
    steps:
      - {targets: [{user: alice}], delay: 10m}
      - {targets: [{user: dave}], delay: 20m}
services: [{name: svc, policy: p}]
"""
    )
    assert plan_rows(oncall) == [
        (0.0, 0, 0, ("alice",)),
        (600.0, 1, 0, ("dave",)),
        (1800.0, 0, 1, ("alice",)),
        (2400.0, 1, 1, ("dave",)),
    ]


EMPTY_FIRST = (
    SCHEDULES
    + """
policies:
  - name: p
    steps:
      - {targets: [{schedule: day}], delay: 15m}
      - {targets: [{user: dave}], delay: 10m}
services: [{name: svc, policy: p}]
"""
)


def test_empty_step_is_skipped_at_once_pagerduty(load: Callable[[str], OnCall]) -> None:
    """PagerDuty: a level with nobody on call is skipped; the next fires at the same moment."""
    oncall = load(EMPTY_FIRST)
    assert plan_rows(oncall) == [(0.0, 0, 0, ()), (0.0, 1, 0, ("dave",))]


def test_empty_step_is_waited_out_goalert(load: Callable[[str], OnCall]) -> None:
    """GoAlert: an empty step still waits its full delay before the next step."""
    oncall = load("semantics: {empty_step: wait}\n" + EMPTY_FIRST)
    assert plan_rows(oncall) == [(0.0, 0, 0, ()), (900.0, 1, 0, ("dave",))]


def test_step_resolves_schedule_when_reached(load: Callable[[str], OnCall]) -> None:
    """A schedule target is resolved at the moment its step fires, not at the trigger."""
    oncall = load(
        SCHEDULES
        + """
policies:
  - name: p
    steps:
      - {targets: [{user: dave}], delay: 2h}
      - {targets: [{schedule: day}], delay: 10m}
services: [{name: svc, policy: p}]
"""
    )
    rows = plan_rows(oncall, datetime(2026, 1, 6, 7, 30))
    assert rows == [(0.0, 0, 0, ("dave",)), (7200.0, 1, 0, ("alice",))]


def test_opsgenie_delays_count_from_creation(load: Callable[[str], OnCall]) -> None:
    """Opsgenie: rule delays are offsets from alert creation; repeats follow repeat_wait."""
    oncall = load(
        "semantics: {delay: from_trigger}\n"
        + SCHEDULES
        + """
policies:
  - name: p
    repeat: 1
    repeat_wait: 10m
    steps:
      - {targets: [{user: alice}], delay: 0m}
      - {targets: [{user: bob}], delay: 5m}
      - {targets: [{user: carol}], delay: 15m}
services: [{name: svc, policy: p}]
"""
    )
    assert [r[0] for r in plan_rows(oncall)] == [0.0, 300.0, 900.0, 1500.0, 1800.0, 2400.0]


def test_grafana_only_wait_steps_take_time(load: Callable[[str], OnCall]) -> None:
    """Grafana OnCall: notify steps are 5 s apart; only wait steps add their duration."""
    oncall = load(
        "semantics: {delay: wait_steps}\n"
        + SCHEDULES
        + """
policies:
  - name: p
    steps:
      - {targets: [{user: alice}]}
      - {targets: [{user: bob}]}
      - {delay: 5m}
      - {targets: [{user: carol}]}
services: [{name: svc, policy: p}]
"""
    )
    assert [(r[0], r[1]) for r in plan_rows(oncall)] == [(0.0, 0), (5.0, 1), (310.0, 3)]


def test_low_urgency_never_escalates(load: Callable[[str], OnCall]) -> None:
    """Low urgency (PagerDuty) notifies the first step only."""
    oncall = load(
        SCHEDULES
        + """
policies:
  - name: p
    repeat: 3
    steps:
      - {targets: [{user: alice}], delay: 10m}
      - {targets: [{user: bob}], delay: 10m}
services: [{name: svc, policy: p, urgency: low}]
"""
    )
    assert plan_rows(oncall) == [(0.0, 0, 0, ("alice",))]


def test_round_robin_picks_one_target_per_turn(load: Callable[[str], OnCall]) -> None:
    """Round robin notifies one of the step's people, the next one for the next incident."""
    oncall = load(
        SCHEDULES
        + """
policies:
  - name: p
    steps:
      - {targets: [{user: alice}, {user: bob}, {user: carol}], delay: 10m, assign: round_robin}
services: [{name: svc, policy: p}]
"""
    )
    picked = [
        escalation_plan(oncall.config, "svc", NIGHT, round_robin_turn=i).steps[0].people
        for i in range(4)
    ]
    assert picked == [("alice",), ("bob",), ("carol",), ("alice",)]


def test_every_plan_is_finite_even_when_all_steps_are_empty(
    load: Callable[[str], OnCall],
) -> None:
    """Skipping empty steps cannot loop forever: the walk stops after repeat + 1 passes."""
    oncall = load(
        SCHEDULES
        + """
policies:
  - name: p
    repeat: 4
    steps: [{targets: [{schedule: day}], delay: 10m}]
services: [{name: svc, policy: p}]
"""
    )
    rows = plan_rows(oncall)
    assert len(rows) == 5
    assert all(r[3] == () and r[0] == 0.0 for r in rows)


REPLAN = (
    SCHEDULES
    + """
policies:
  - name: p
    steps:
      - {targets: [{user: alice}], delay: 10m}
      - {targets: [{user: bob}], delay: 10m}
      - {targets: [{user: carol}], delay: 10m}
services: [{name: svc, policy: p}]
"""
)


def test_frozen_policy_ignores_a_config_change(load: Callable[[str], OnCall]) -> None:
    """freeze_policy (PagerDuty): an incident keeps the plan it triggered with."""
    old = load(REPLAN)
    new = load(REPLAN.replace("{user: bob}", "{user: dave}"))
    plan = escalation_plan(old.config, "svc", NIGHT)
    assert replan(plan, new.config, old.config, 300.0) is plan


def test_unfrozen_policy_replans_the_remaining_steps(load: Callable[[str], OnCall]) -> None:
    """Without freezing, steps not yet fired come from the new config."""
    old = load("semantics: {freeze_policy: false}\n" + REPLAN)
    new = load(REPLAN.replace("{user: bob}", "{user: dave}"))
    plan = escalation_plan(old.config, "svc", NIGHT)
    later = replan(plan, new.config, old.config, 300.0)
    assert [(s.offset, s.people) for s in later.steps] == [
        (0.0, ("alice",)),
        (300.0, ("dave",)),
        (900.0, ("carol",)),
    ]
