"""Opsgenie import: 'none' turns, next/previous, time units, teams, conditions, restrictions.

Fixtures follow the REST API v2 shapes (opsgenie/opsgenie-oas definitions/schedule.yaml,
escalation.yaml, team.yaml) and the demisto/content OpsGenieV3 README's real listing
(Packs/OpsGenie/Integrations/OpsGenieV3/README.md: the auto-created team escalation).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.oncall.coverage import oncall_hours
from simulator.oncall.importers import import_paths
from simulator.oncall.importers.common import Imported
from simulator.oncall.loader import load_oncall_text
from simulator.oncall.model import OnCallConfig
from simulator.oncall.paging import escalation_plan
from simulator.oncall.schedule import render_all

USERS = [
    {"username": "alice@example.com", "fullName": "Alice"},
    {"username": "bob@example.com", "fullName": "Bob"},
    {"username": "carol@example.com", "fullName": "Carol"},
]


def participant(name: str) -> dict[str, str]:
    return {"type": "user", "username": f"{name}@example.com"}


def schedule(rotations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "Ops_schedule", "timezone": "UTC", "enabled": True, "rotations": rotations}


def rotation(participants: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "name": "Weekly",
        "startDate": "2026-01-05T09:00:00Z",
        "type": "weekly",
        "length": 1,
        "participants": participants,
        **extra,
    }


def rule(delay: float, recipient: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "condition": "if-not-acked",
        "notifyType": "default",
        "delay": {"timeAmount": delay, "timeUnit": "minutes"},
        "recipient": recipient,
        **extra,
    }


def run(tmp_path: Path, data: dict[str, Any]) -> tuple[OnCallConfig, Imported]:
    path = tmp_path / "opsgenie.json"
    path.write_text(json.dumps(data, indent=1))
    imported = import_paths("opsgenie", [path])
    return load_oncall_text(imported.text, "x.yaml").config, imported


SCHEDULE_RECIPIENT = {"type": "schedule", "name": "Ops_schedule"}


def test_a_none_turn_is_nobodys_so_alice_has_half_the_hours(tmp_path: Path) -> None:
    """[alice, none] weekly from Mon 5 Jan 09:00Z: over four weeks Alice holds weeks 1 and 3,
    2 x 168 = 336 h of 672 h; the 'none' weeks are holes, not Alice's."""
    data = {
        "users": USERS,
        "schedules": [schedule([rotation([participant("alice"), {"type": "none"}])])],
        "escalations": [{"name": "Ops", "rules": [rule(0, SCHEDULE_RECIPIENT)]}],
    }
    config, imported = run(tmp_path, data)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC).timestamp()
    end = start + 4 * 7 * 86400
    hours = oncall_hours(config, render_all(config, start, end), start, end)
    assert hours["alice"] == 336.0
    assert any("'none' turns" in w for w in imported.warnings)


def test_next_pages_the_following_turn_and_delays_honour_time_units(tmp_path: Path) -> None:
    """Rules at 0 min (default), 1.5 min (90 seconds, next), 2 h and 1 day, from creation.

    Week of 5 Jan: Alice is on call, so 'next' is Bob.
    """
    rules = [
        rule(0, SCHEDULE_RECIPIENT),
        rule(90, SCHEDULE_RECIPIENT, notifyType="next"),
        rule(2, {"type": "user", "username": "carol@example.com"}),
        rule(1, {"type": "user", "username": "alice@example.com"}),
    ]
    rules[1]["delay"]["timeUnit"] = "seconds"
    rules[2]["delay"]["timeUnit"] = "hours"
    rules[3]["delay"]["timeUnit"] = "days"
    rot = rotation([participant(n) for n in ("alice", "bob", "carol")])
    data = {
        "users": USERS,
        "schedules": [schedule([rot])],
        "escalations": [{"name": "Ops", "rules": rules}],
    }
    config, _ = run(tmp_path, data)
    plan = escalation_plan(config, "ops", datetime(2026, 1, 6, 12, tzinfo=UTC))
    assert [(s.offset, s.people) for s in plan.steps] == [
        (0.0, ("alice",)),
        (90.0, ("bob",)),
        (7200.0, ("carol",)),
        (86400.0, ("alice",)),
    ]


def test_if_not_closed_and_hourless_restrictions_are_read_with_warnings(tmp_path: Path) -> None:
    """A weekday restriction without hours (monday-friday) is Mon 00:00 + 4 days; no crash."""
    restriction = {
        "type": "weekday-and-time-of-day",
        "restrictions": [{"startDay": "monday", "endDay": "friday"}],
    }
    rot = rotation([participant("alice")], timeRestriction=restriction)
    data = {
        "users": USERS,
        "schedules": [schedule([rot])],
        "escalations": [
            {"name": "Ops", "rules": [rule(0, SCHEDULE_RECIPIENT, condition="if-not-closed")]}
        ],
    }
    config, imported = run(tmp_path, data)
    window = config.schedules[0].layers[0].restrictions[0]
    assert (window.start_day, window.duration) == ("mon", 4 * 86400)
    assert any("if-not-closed" in w for w in imported.warnings)
    assert any("without startHour" in w for w in imported.warnings)


def test_team_recipients_page_their_members_or_admins(tmp_path: Path) -> None:
    """A team with members (GET /v2/teams/{id}): users → all, admins → the admins only."""
    team = {
        "id": "t1",
        "name": "Platform",
        "members": [
            {"user": {"id": "u1", "username": "alice@example.com"}, "role": "admin"},
            {"user": {"id": "u2", "username": "bob@example.com"}, "role": "user"},
        ],
    }
    platform = {"type": "team", "name": "Platform"}
    data = {
        "users": USERS,
        "teams": [team],
        "escalations": [
            {
                "name": "Ops",
                "rules": [
                    rule(0, platform, notifyType="users"),
                    rule(5, platform, notifyType="admins"),
                ],
            }
        ],
    }
    config, _ = run(tmp_path, data)
    plan = escalation_plan(config, "ops", datetime(2026, 1, 6, 12, tzinfo=UTC))
    assert [set(s.people) for s in plan.steps] == [{"alice", "bob"}, {"alice"}]


def test_default_team_escalation_from_a_real_listing_imports(tmp_path: Path) -> None:
    """Opsgenie's auto-created team escalation (schedule default@0, next@5, team all@10, as
    listed in the demisto README) imports: what the export does not expand is a stand-in."""
    recipient = {"id": "7835", "name": "Engineering_schedule", "type": "schedule"}
    data = {
        "escalations": [
            {
                "name": "Engineering_escalation",
                "ownerTeam": {"name": "Engineering"},
                "rules": [
                    rule(0, recipient),
                    rule(5, recipient, notifyType="next"),
                    rule(
                        10, {"id": "51d6", "name": "Engineering", "type": "team"}, notifyType="all"
                    ),
                ],
            }
        ]
    }
    config, imported = run(tmp_path, data)
    assert [s.delay for s in config.policies[0].steps] == [0, 300, 600]
    assert any("stand-in" in w for w in imported.warnings)
    assert any("stand-in" in a for a in config.assumptions)
