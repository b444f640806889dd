"""PagerDuty import: single API responses, several files, overrides wherever they are, urgency.

Fixtures are shaped after the REST API's own examples (PagerDuty/api-schema@91a06fb,
reference/REST/openapiv3.json: GET /schedules/{id}, GET /escalation_policies/{id},
GET /schedules/{id}/overrides, GET /services/{id}), cut down to the fields read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.errors import InputError
from simulator.oncall.importers import import_paths
from simulator.oncall.loader import load_oncall_text
from simulator.oncall.model import OnCallConfig
from simulator.oncall.paging import escalation_plan
from simulator.oncall.schedule import render_all
from tui.cli.main import main


def ref(kind: str, rid: str, summary: str) -> dict[str, str]:
    return {"id": rid, "type": f"{kind}_reference", "summary": summary}


SCHEDULE: dict[str, Any] = {
    "schedule": {
        "id": "PSCHED1",
        "type": "schedule",
        "name": "Checkout Primary",
        "time_zone": "America/New_York",
        "schedule_layers": [
            {
                "id": "PLAYER1",
                "name": "Layer 1",
                "start": "2026-03-02T09:00:00-05:00",
                "end": None,
                "rotation_virtual_start": "2026-03-02T09:00:00-05:00",
                "rotation_turn_length_seconds": 86400,
                "users": [
                    {"user": ref("user", "PANA", "Ana Lopez")},
                    {"user": ref("user", "PBEN", "Ben Okafor")},
                ],
                "restrictions": [],
            }
        ],
        "overrides_subschedule": {"name": "Overrides", "rendered_schedule_entries": []},
    }
}
POLICY: dict[str, Any] = {
    "escalation_policy": {
        "id": "PEP1",
        "type": "escalation_policy",
        "name": "Checkout",
        "num_loops": 1,
        "escalation_rules": [
            {
                "id": "PR1",
                "escalation_delay_in_minutes": 30,
                "targets": [ref("schedule", "PSCHED1", "Checkout Primary")],
            },
            {
                "id": "PR2",
                "escalation_delay_in_minutes": 15,
                "targets": [ref("user", "PCHLOE", "Chloe Martin")],
            },
        ],
    }
}
OVERRIDES: dict[str, Any] = {
    "overrides": [
        {
            "id": "PQ47DCP",
            "start": "2026-03-04T00:00:00-05:00",
            "end": "2026-03-05T00:00:00-05:00",
            "user": ref("user", "PCHLOE", "Chloe Martin"),
        }
    ]
}
SERVICE: dict[str, Any] = {
    "service": {
        "id": "PSVC1",
        "name": "Checkout API",
        "escalation_policy": ref("escalation_policy", "PEP1", "Checkout"),
        "acknowledgement_timeout": 600,
        "auto_resolve_timeout": None,
        "incident_urgency_rule": {
            "type": "use_support_hours",
            "during_support_hours": {"type": "constant", "urgency": "high"},
            "outside_support_hours": {"type": "constant", "urgency": "low"},
        },
        "support_hours": {
            "type": "fixed_time_per_day",
            "time_zone": "America/New_York",
            "start_time": "09:00:00",
            "end_time": "17:00:00",
            "days_of_week": [1, 2, 3, 4, 5],
        },
    }
}


def write(tmp_path: Path, **files: dict[str, Any]) -> list[Path]:
    paths = []
    for name, data in files.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data, indent=1))
        paths.append(path)
    return paths


def load(tmp_path: Path, **files: dict[str, Any]) -> OnCallConfig:
    imported = import_paths("pagerduty", write(tmp_path, **files))
    return load_oncall_text(imported.text, "imported.yaml").config


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def who(config: OnCallConfig, moment: str) -> set[str]:
    t = at(moment)
    return set(render_all(config, t - 86400, t + 86400)["checkout-primary"].at(t))


def test_single_responses_in_several_files_import_together(tmp_path: Path) -> None:
    """GET schedule + GET policy + GET overrides + GET service, each as PagerDuty returns it."""
    config = load(tmp_path, schedule=SCHEDULE, policy=POLICY, overrides=OVERRIDES, svc=SERVICE)
    assert [s.name for s in config.services] == ["checkout-api"]
    # Daily turns from Mon 2 March 09:00 New York: Ana, Ben, Ana... Tue 3rd 10:00 is Ben's.
    assert who(config, "2026-03-03T10:00:00-05:00") == {"ben-okafor"}
    # The loose overrides file names no schedule; with one schedule it is that one's.
    assert who(config, "2026-03-04T12:00:00-05:00") == {"chloe-martin"}
    policy = config.policies[0]
    assert policy.repeat == 1 and [s.delay for s in policy.steps] == [1800, 900]


def test_handoffs_keep_their_wall_clock_time_across_dst(tmp_path: Path) -> None:
    """US DST starts Sun 8 March 2026: the 09:00 handoff stays at 09:00 EDT.

    Turn k starts 2 March + k days at 09:00 local; users alternate Ana (even k), Ben (odd).
    Mon 9 March is k=7 (Ben) from 09:00 EDT = 13:00Z; at 12:30Z (08:30 EDT) it is still
    k=6 (Ana). Counting elapsed seconds would have moved the handoff to 08:00 EDT.
    """
    config = load(tmp_path, schedule=SCHEDULE, policy=POLICY)
    assert who(config, "2026-03-09T12:30:00+00:00") == {"ana-lopez"}
    assert who(config, "2026-03-09T13:30:00+00:00") == {"ben-okafor"}


def test_support_hours_urgency_is_approximated_with_a_stated_warning(tmp_path: Path) -> None:
    """Support-hours urgency becomes high, and says so on stderr and in assumptions."""
    paths = write(tmp_path, schedule=SCHEDULE, policy=POLICY, svc=SERVICE)
    imported = import_paths("pagerduty", paths)
    assert any("support-hours urgency" in w for w in imported.warnings)
    config = load_oncall_text(imported.text, "x.yaml").config
    assert config.services[0].urgency == "high"
    assert any("support-hours urgency" in a for a in config.assumptions)
    assert any("Response behaviour" in a for a in config.assumptions)
    header = imported.text.split("apiVersion")[0]
    assert "support-hours urgency" in header  # a comment an editor sees
    result = CliRunner().invoke(main, ["oncall", "import", "pagerduty", *map(str, paths)])
    assert result.exit_code == 0
    assert "gameday: warning:" in result.stderr and "support-hours" in result.stderr


def test_list_responses_and_overrides_attached_or_rendered(tmp_path: Path) -> None:
    """A list response with the override in overrides_subschedule's rendered entries."""
    listed = {"schedules": [SCHEDULE["schedule"]], "limit": 25, "offset": 0, "more": False}
    sub = listed["schedules"][0] = json.loads(json.dumps(SCHEDULE["schedule"]))
    sub["overrides_subschedule"]["rendered_schedule_entries"] = OVERRIDES["overrides"]
    eps = {"escalation_policies": [POLICY["escalation_policy"]], "limit": 25, "more": False}
    config = load(tmp_path, schedules=listed, eps=eps)
    assert who(config, "2026-03-04T12:00:00-05:00") == {"chloe-martin"}


def test_a_policy_without_its_schedule_is_refused_with_the_fix(tmp_path: Path) -> None:
    """The rule names a schedule the import lacks: say which, and how to add it."""
    with pytest.raises(InputError) as err:
        import_paths("pagerduty", write(tmp_path, policy=POLICY))
    text = str(err.value)
    assert "policy.json" in text and "PSCHED1" in text and "GET /schedules/PSCHED1" in text


def test_loose_overrides_with_two_schedules_are_refused(tmp_path: Path) -> None:
    """GET .../overrides names no schedule: with two schedules it is ambiguous."""
    other = json.loads(json.dumps(SCHEDULE))
    other["schedule"]["id"] = "PSCHED2"
    with pytest.raises(InputError, match="name no schedule"):
        import_paths("pagerduty", write(tmp_path, a=SCHEDULE, b=other, o=OVERRIDES))


def test_a_schedule_alone_gets_a_stated_made_up_policy(tmp_path: Path) -> None:
    """GET /schedules/{id} alone is accepted: gaps and fairness need no policy."""
    imported = import_paths("pagerduty", write(tmp_path, schedule=SCHEDULE))
    assert any("made up" in w for w in imported.warnings)
    config = load_oncall_text(imported.text, "x.yaml").config
    plan = escalation_plan(config, config.services[0].name, datetime(2026, 3, 3, 10, tzinfo=UTC))
    assert plan.steps[0].people


def test_malformed_response_fails_with_file_line_and_field(tmp_path: Path) -> None:
    """A rule without a delay: one clear message naming the file, the line and the field."""
    bad = json.loads(json.dumps(POLICY))
    del bad["escalation_policy"]["escalation_rules"][0]["escalation_delay_in_minutes"]
    paths = write(tmp_path, schedule=SCHEDULE, policy=bad)
    result = CliRunner().invoke(main, ["oncall", "import", "pagerduty", *map(str, paths)])
    assert result.exit_code == 2
    assert "policy.json:" in result.stderr and "escalation_delay_in_minutes" in result.stderr
    assert "Traceback" not in result.stderr
