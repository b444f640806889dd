"""GoAlert import: monthly rotations, the active user, rotation zones, actions, overrides.

GoAlert has no export file; fixtures are GraphQL query results with the field names of
target/goalert graphql2/schema.graphql (Rotation{start,timeZone,type,shiftLength,
activeUserIndex,userIDs,nextHandoffTimes}, Schedule{targets{rules}}, EscalationPolicy
{steps{delayMinutes,targets|actions}}), and the monthly handoff rule of
schedule/rotation/rotation.go (start + n months with Go's AddDate overflow).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.oncall.importers import import_paths
from simulator.oncall.importers.common import Imported
from simulator.oncall.loader import load_oncall_text
from simulator.oncall.model import OnCallConfig
from simulator.oncall.schedule import render_all

USERS = [{"id": f"u{i}", "name": n} for i, n in enumerate(["Ana", "Ben", "Cleo", "Dev"])]


def rotation(rid: str, kind: str, start: str, zone: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid,
        "type": kind,
        "shiftLength": 1,
        "start": start,
        "timeZone": zone,
        "activeUserIndex": 0,
        "userIDs": ["u0", "u1", "u2"],
        **extra,
    }


def policy(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"id": "ep", "name": "EP", "repeat": 0, "steps": list(steps)}


def run(tmp_path: Path, **data: Any) -> tuple[OnCallConfig, Imported]:
    path = tmp_path / "goalert.json"
    path.write_text(json.dumps({"users": USERS, **data}, indent=1))
    imported = import_paths("goalert", [path])
    return load_oncall_text(imported.text, "x.yaml").config, imported


def who(config: OnCallConfig, schedule: str, moment: str) -> set[str]:
    t = datetime.fromisoformat(moment).timestamp()
    return set(render_all(config, t - 86400 * 40, t + 86400)[schedule].at(t))


def test_monthly_rotation_hands_off_on_the_same_day_with_go_overflow(tmp_path: Path) -> None:
    """Start Sat 31 Jan 2026 09:00 New York, monthly, Ana/Ben/Cleo. Handoffs are start + n
    months: 'Feb 31' overflows to Tue 3 Mar 09:00, then 31 Mar 09:00 (EDT now)."""
    rot = rotation("r", "monthly", "2026-01-31T09:00:00-05:00", "America/New_York")
    step = {"delayMinutes": 5, "targets": [{"id": "r", "type": "rotation"}]}
    config, _ = run(tmp_path, rotations=[rot], escalationPolicies=[policy(step)])
    name = config.schedules[0].name
    assert who(config, name, "2026-03-03T08:59:00-05:00") == {"ana"}
    assert who(config, name, "2026-03-03T09:00:00-05:00") == {"ben"}
    assert who(config, name, "2026-03-31T08:59:00-04:00") == {"ben"}
    assert who(config, name, "2026-03-31T09:00:00-04:00") == {"cleo"}


def test_active_user_index_is_pinned_by_the_next_handoff(tmp_path: Path) -> None:
    """activeUserIndex 2 (Cleo) holds the weekly shift ending at nextHandoffTimes[0] (Wed 14
    Jan 09:00), so Cleo is on call Wed 7 to Wed 14 and Ana from then."""
    rot = rotation(
        "r",
        "weekly",
        "2026-01-05T09:00:00-05:00",
        "America/New_York",
        activeUserIndex=2,
        nextHandoffTimes=["2026-01-14T09:00:00-05:00"],
    )
    step = {"delayMinutes": 5, "targets": [{"id": "r", "type": "rotation"}]}
    config, imported = run(tmp_path, rotations=[rot], escalationPolicies=[policy(step)])
    name = config.schedules[0].name
    assert who(config, name, "2026-01-08T12:00:00-05:00") == {"cleo"}
    assert who(config, name, "2026-01-14T09:30:00-05:00") == {"ana"}
    assert not any("activeUserIndex" in w for w in imported.warnings)


def test_rotation_keeps_its_own_zone_across_dst(tmp_path: Path) -> None:
    """A daily Berlin rotation (08:00) in a config whose zone is New York: on Mon 30 March
    2026 (CEST) the handoff is 08:00 Berlin = 06:00Z; US time has nothing to do with it.
    Day 0 is 5 Jan (Ana); 30 March is day 84, 84 % 3 = 0: Ana from 06:00Z, Cleo before."""
    rot = rotation("r", "daily", "2026-01-05T08:00:00+01:00", "Europe/Berlin")
    step = {"delayMinutes": 5, "targets": [{"id": "r", "type": "rotation"}]}
    config, _ = run(tmp_path, rotations=[rot], escalationPolicies=[policy(step)])
    name = config.schedules[0].name
    assert who(config, name, "2026-03-30T05:59:00+00:00") == {"cleo"}
    assert who(config, name, "2026-03-30T06:00:00+00:00") == {"ana"}


def test_actions_steps_page_and_slack_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """Newer `actions` destinations: a schedule pages; a Slack channel pages nobody."""
    rot = rotation("r", "weekly", "2026-01-05T09:00:00-05:00", "America/New_York")
    sched = {
        "id": "s",
        "name": "Team",
        "timeZone": "America/New_York",
        "targets": [
            {
                "target": {"id": "r", "type": "rotation"},
                "rules": [{"start": "09:00:00", "end": "17:00:00", "weekdayFilter": [True] * 7}],
            }
        ],
    }
    step = {
        "delayMinutes": 5,
        "actions": [
            {"type": "builtin-schedule", "args": {"schedule_id": "s"}},
            {"type": "builtin-slack-channel", "args": {"slack_channel_id": "C0123"}},
        ],
    }
    config, imported = run(
        tmp_path, rotations=[rot], schedules=[sched], escalationPolicies=[policy(step)]
    )
    assert config.policies[0].steps[0].targets[0].schedule == "team"
    assert len(config.policies[0].steps[0].targets) == 1
    assert any("builtin-slack-channel" in w for w in imported.warnings)
    # A rule clock with seconds is read (09:00:00-17:00:00 is 8 hours).
    assert config.schedules[0].layers[0].restrictions[0].duration == 8 * 3600


def test_overrides_and_temporary_schedules_replace_the_rotation(tmp_path: Path) -> None:
    """A replace override (Ben for Ana) and a temporary schedule shift (Dev) win."""
    rot = rotation("r", "weekly", "2026-01-05T09:00:00-05:00", "America/New_York")
    sched = {
        "id": "s",
        "name": "Team",
        "timeZone": "America/New_York",
        "targets": [{"target": {"id": "r", "type": "rotation"}, "rules": []}],
        "temporarySchedules": [
            {
                "start": "2026-01-20T00:00:00-05:00",
                "end": "2026-01-21T00:00:00-05:00",
                "shifts": [
                    {
                        "userID": "u3",
                        "start": "2026-01-20T00:00:00-05:00",
                        "end": "2026-01-21T00:00:00-05:00",
                    }
                ],
            }
        ],
    }
    override = {
        "scheduleID": "s",
        "addUserID": "u1",
        "removeUserID": "u0",
        "start": "2026-01-06T00:00:00-05:00",
        "end": "2026-01-07T00:00:00-05:00",
    }
    step = {"delayMinutes": 5, "targets": [{"id": "s", "type": "schedule"}]}
    config, imported = run(
        tmp_path,
        rotations=[rot],
        schedules=[sched],
        userOverrides=[override],
        escalationPolicies=[policy(step)],
    )
    assert who(config, "team", "2026-01-06T12:00:00-05:00") == {"ben"}
    assert who(config, "team", "2026-01-08T12:00:00-05:00") == {"ana"}
    assert who(config, "team", "2026-01-20T12:00:00-05:00") == {"dev"}
    assert any("temporary schedule" in w for w in imported.warnings)
