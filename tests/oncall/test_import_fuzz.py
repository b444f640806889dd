"""Fuzz: random and mutated vendor exports never crash an importer.

Whatever the input, an import either yields a config the loader accepts or raises an
:class:`InputError` (one clear message, exit 2 in the CLI); any other exception is a
bug. Examples are few by default so CI stays quick; set GAMEDAY_FUZZ_EXAMPLES=500 to
dig deeper locally. Bases are shaped after each system's API (see the per-vendor tests).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.oncall.importers import import_paths

EXAMPLES = int(os.environ.get("GAMEDAY_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

USERS = [{"id": "u1", "name": "Ana", "username": "ana", "time_zone": "UTC"}]
BASES: dict[str, dict[str, Any]] = {
    "pagerduty": {
        "users": USERS,
        "schedules": [
            {
                "id": "S1",
                "name": "Primary",
                "time_zone": "Europe/Berlin",
                "schedule_layers": [
                    {
                        "start": "2026-01-05T09:00:00+01:00",
                        "end": None,
                        "rotation_virtual_start": "2026-01-05T09:00:00+01:00",
                        "rotation_turn_length_seconds": 604800,
                        "users": [{"user": {"id": "u1", "type": "user_reference"}}],
                        "restrictions": [
                            {
                                "type": "weekly_restriction",
                                "start_time_of_day": "08:00:00",
                                "duration_seconds": 36000,
                                "start_day_of_week": 1,
                            }
                        ],
                    }
                ],
                "overrides": [
                    {
                        "start": "2026-01-07T00:00:00Z",
                        "end": "2026-01-08T00:00:00Z",
                        "user": {"id": "u1"},
                    }
                ],
            }
        ],
        "escalation_policies": [
            {
                "id": "E1",
                "name": "EP",
                "num_loops": 2,
                "escalation_rules": [
                    {
                        "escalation_delay_in_minutes": 30,
                        "targets": [{"type": "schedule_reference", "id": "S1"}],
                        "escalation_rule_assignment_strategy": {"type": "round_robin"},
                    }
                ],
            }
        ],
        "services": [
            {
                "id": "P1",
                "name": "Svc",
                "escalation_policy": {"id": "E1"},
                "acknowledgement_timeout": 1800,
                "incident_urgency_rule": {"type": "constant", "urgency": "high"},
            }
        ],
    },
    "opsgenie": {
        "users": [{"username": "ana@example.com", "fullName": "Ana"}],
        "teams": [{"name": "T", "members": [{"user": {"username": "ana@example.com"}}]}],
        "schedules": [
            {
                "name": "Rota",
                "timezone": "UTC",
                "rotations": [
                    {
                        "name": "R",
                        "type": "daily",
                        "length": 2,
                        "startDate": "2026-01-05T08:00:00Z",
                        "participants": [
                            {"type": "user", "username": "ana@example.com"},
                            {"type": "none"},
                        ],
                        "timeRestriction": {
                            "type": "time-of-day",
                            "restriction": {"startHour": 8, "endHour": 18},
                        },
                    }
                ],
            }
        ],
        "escalations": [
            {
                "name": "EP",
                "rules": [
                    {
                        "condition": "if-not-acked",
                        "notifyType": "next",
                        "delay": {"timeAmount": 5, "timeUnit": "minutes"},
                        "recipient": {"type": "schedule", "name": "Rota"},
                    },
                    {
                        "condition": "if-not-closed",
                        "notifyType": "users",
                        "delay": {"timeAmount": 1, "timeUnit": "hours"},
                        "recipient": {"type": "team", "name": "T"},
                    },
                ],
                "repeat": {"waitInterval": 10, "count": 1},
            }
        ],
    },
    "goalert": {
        "users": [{"id": "u1", "name": "Ana"}],
        "rotations": [
            {
                "id": "R1",
                "name": "Rota",
                "type": "monthly",
                "shiftLength": 1,
                "start": "2026-01-31T09:00:00-05:00",
                "timeZone": "America/New_York",
                "activeUserIndex": 0,
                "userIDs": ["u1"],
            }
        ],
        "schedules": [
            {
                "id": "S1",
                "name": "Team",
                "timeZone": "America/New_York",
                "targets": [
                    {
                        "target": {"id": "R1", "type": "rotation"},
                        "rules": [
                            {"start": "17:00", "end": "09:00:00", "weekdayFilter": [True] * 7}
                        ],
                    }
                ],
            }
        ],
        "escalationPolicies": [
            {
                "id": "E1",
                "name": "EP",
                "repeat": 1,
                "steps": [
                    {
                        "delayMinutes": 5,
                        "actions": [{"type": "builtin-schedule", "args": {"schedule_id": "S1"}}],
                    }
                ],
            }
        ],
        "services": [{"id": "svc", "name": "Svc", "escalationPolicyID": "E1"}],
    },
    "grafana": {
        "users": [{"id": "U1", "username": "ana"}],
        "schedules": [
            {"id": "S1", "name": "Rota", "type": "web", "time_zone": "UTC", "shifts": ["O1"]}
        ],
        "on_call_shifts": [
            {
                "id": "O1",
                "type": "rolling_users",
                "level": 1,
                "start": "2026-01-05T09:00:00",
                "rotation_start": "2026-01-06T09:00:00",
                "duration": 28800,
                "frequency": "daily",
                "interval": 2,
                "by_day": ["MO", "WE"],
                "week_start": "MO",
                "source": 0,
                "rolling_users": [["U1"]],
            }
        ],
        "escalation_chains": [{"id": "F1", "name": "EP"}],
        "escalation_policies": [
            {"escalation_chain_id": "F1", "position": 0, "type": "wait", "duration": 60},
            {
                "escalation_chain_id": "F1",
                "position": 1,
                "type": "notify_on_call_from_schedule",
                "notify_on_call_from_schedule": "S1",
            },
        ],
        "integrations": [{"id": "C1", "name": "I", "default_route": {"escalation_chain_id": "F1"}}],
    },
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "2026-01-05T09:00:00Z",
            "9999-12-31T23:59:59",
            "0001-01-01",
            "09:00",
            "25:61",
            "weekly",
            "monthly",
            "u1",
            "S1",
            "none",
            "MO",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*here, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += paths(child, (*here, i))
    return found


def mutate(data: Any, draw: st.DataObject) -> Any:
    """Replace, delete or empty one value somewhere in a copy of ``data``."""
    copy = json.loads(json.dumps(data))
    target = draw.draw(st.sampled_from(paths(copy)[1:]))
    parent = copy
    for key in target[:-1]:
        parent = parent[key]
    last = target[-1]
    action = draw.draw(st.sampled_from(["replace", "delete", "null", "empty"]))
    if action == "delete":
        del parent[last]
    elif action == "null":
        parent[last] = None
    elif action == "empty":
        parent[last] = type(parent[last])() if isinstance(parent[last], list | dict | str) else 0
    else:
        parent[last] = draw.draw(values)
    return copy


def attempt(system: str, data: Any) -> None:
    """Import ``data``: a config or an InputError, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{system}.json"
        path.write_text(json.dumps(data))
        try:
            imported = import_paths(system, [path])
        except InputError as err:
            assert str(err).strip()
        else:
            assert "kind: OnCall" in imported.text


@pytest.mark.parametrize("system", sorted(BASES))
@FUZZ
@given(draw=st.data())
def test_mutated_exports_import_or_fail_clearly(system: str, draw: st.DataObject) -> None:
    """One to three mutations of a valid export."""
    data = BASES[system]
    for _ in range(draw.draw(st.integers(1, 3))):
        data = mutate(data, draw)
    attempt(system, data)


@pytest.mark.parametrize("system", sorted(BASES))
@FUZZ
@given(
    data=st.dictionaries(st.sampled_from(sorted({k for b in BASES.values() for k in b})), values)
)
def test_random_exports_import_or_fail_clearly(system: str, data: dict[str, Any]) -> None:
    """Random JSON under the vendors' top-level keys."""
    attempt(system, data)


TERRAFORM = """
resource "pagerduty_user" "ana" { name = "Ana" }
resource "pagerduty_schedule" "rota" {
  name      = "Rota"
  time_zone = "Europe/Berlin"
  layer {
    start                        = "2026-01-05T09:00:00+01:00"
    rotation_virtual_start       = "2026-01-05T09:00:00+01:00"
    rotation_turn_length_seconds = 604800
    users = [pagerduty_user.ana.id]
  }
}
resource "pagerduty_escalation_policy" "ep" {
  name = "EP"
  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.rota.id
    }
  }
}
"""


@FUZZ
@given(cut=st.integers(0, len(TERRAFORM)), size=st.integers(0, 12), insert=st.text(max_size=6))
def test_mangled_terraform_imports_or_fails_clearly(cut: int, size: int, insert: str) -> None:
    """A slice of the .tf text replaced by random characters."""
    text = TERRAFORM[:cut] + insert + TERRAFORM[cut + size :]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text(text)
        try:
            import_paths("terraform", [Path(folder)])
        except InputError as err:
            assert str(err).strip()
