"""Grafana OnCall import: shifts as Grafana's own recurrence makes them, iCal, levels.

Fixtures follow the public API's documented lists (grafana/oncall@3666186a9
docs/sources/oncall-api-reference/{schedules,on_call_shifts}.md) and the shifts
Grafana's PagerDuty migrator writes (tools/migrators/lib/tests/pagerduty/resources/
test_schedules.py); the recurrence rules are those of engine/apps/schedules/models/
custom_on_call_shift.py (convert_to_ical, _daily_by_day_to_ical).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from simulator.errors import InputError
from simulator.oncall.coverage import oncall_hours
from simulator.oncall.importers import import_paths
from simulator.oncall.importers.common import Imported
from simulator.oncall.loader import load_oncall_text
from simulator.oncall.model import OnCallConfig
from simulator.oncall.schedule import render_all

USERS = [{"id": f"U{n}", "username": n, "timezone": "UTC"} for n in ("ana", "ben", "cleo")]


def shift(sid: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": sid,
        "name": sid,
        "type": "rolling_users",
        "level": 1,
        "start": "2026-01-05T09:00:00",
        "rotation_start": "2026-01-05T09:00:00",
        "duration": 8 * 3600,
        "frequency": "weekly",
        "interval": 1,
        "week_start": "MO",
        "time_zone": "UTC",
        "source": 0,
        "rolling_users": [["Uana"], ["Uben"]],
    }
    return {**base, **fields}


def bundle(*shifts: dict[str, Any], zone: str = "UTC", **schedule: Any) -> dict[str, Any]:
    return {
        "users": USERS,
        "schedules": [
            {
                "id": "S1",
                "name": "Primary",
                "type": "web",
                "time_zone": zone,
                "shifts": [s["id"] for s in shifts],
                **schedule,
            }
        ],
        "on_call_shifts": list(shifts),
        "escalation_chains": [{"id": "F1", "name": "Chain"}],
        "escalation_policies": [
            {
                "id": "E1",
                "escalation_chain_id": "F1",
                "position": 0,
                "type": "notify_on_call_from_schedule",
                "notify_on_call_from_schedule": "S1",
            }
        ],
        "integrations": [
            {"id": "C1", "name": "Alerts", "default_route": {"escalation_chain_id": "F1"}}
        ],
    }


def run(tmp_path: Path, data: dict[str, Any]) -> tuple[OnCallConfig, Imported]:
    path = tmp_path / "grafana.json"
    path.write_text(json.dumps(data, indent=1))
    imported = import_paths("grafana", [path])
    return load_oncall_text(imported.text, "x.yaml").config, imported


def t(moment: str) -> float:
    return datetime.fromisoformat(moment).timestamp()


def who(config: OnCallConfig, moment: str) -> set[str]:
    return set(render_all(config, t(moment) - 86400 * 30, t(moment) + 1)["primary"].at(t(moment)))


def hours(config: OnCallConfig, start: str, end: str) -> dict[str, float]:
    lo, hi = t(start), t(end)
    return oncall_hours(config, render_all(config, lo, hi), lo, hi)


def test_handoffs_follow_the_shift_start_in_its_own_zone(tmp_path: Path) -> None:
    """Grafana's migrator 'time zone' case: daily from Sat 18 Feb 2023 00:00 UTC, made at
    17:39:43 on the 21st, in a Paris schedule. Handoffs are at 00:00 UTC = 01:00 Paris, not
    at 17:39. Day 3 (21 Feb UTC) is Ana's, day 4 (22nd) Ben's, day 5 (23rd) Cleo's."""
    data = bundle(
        shift(
            "O1",
            frequency="daily",
            start="2023-02-18T00:00:00",
            rotation_start="2023-02-21T17:39:43",
            duration=86400,
            rolling_users=[["Uana"], ["Uben"], ["Ucleo"]],
        ),
        zone="Europe/Paris",
    )
    config, _ = run(tmp_path, data)
    assert who(config, "2023-02-22T00:30:00+01:00") == {"ana"}
    assert who(config, "2023-02-22T01:30:00+01:00") == {"ben"}
    assert who(config, "2023-02-22T18:00:00+01:00") == {"ben"}
    assert who(config, "2023-02-23T01:30:00+01:00") == {"cleo"}


def test_start_rotation_from_user_index_and_shift_zone(tmp_path: Path) -> None:
    """Weekly Mon 09:00 New York (the shift's zone, not the London schedule's), starting
    from the second group: Ben holds the first week, Ana the next."""
    data = bundle(
        shift(
            "O1",
            start_rotation_from_user_index=1,
            time_zone="America/New_York",
            duration=7 * 86400,
        ),
        zone="Europe/London",
    )
    config, _ = run(tmp_path, data)
    assert who(config, "2026-01-12T08:59:00-05:00") == {"ben"}
    assert who(config, "2026-01-12T09:00:00-05:00") == {"ana"}


def test_daily_by_day_rotates_on_every_listed_day(tmp_path: Path) -> None:
    """Daily, Mon/Wed/Fri only, Ana and Ben, 09:00-17:00 from Mon 5 Jan: Mon Ana, Wed Ben,
    Fri Ana, next Mon Ben (a calendar-day rotation would give Ana, Ana, Ana)."""
    data = bundle(shift("O1", frequency="daily", by_day=["MO", "WE", "FR"]))
    config, _ = run(tmp_path, data)
    days = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14"]
    assert [who(config, f"{d}T12:00:00+00:00") for d in days] == [
        {"ana"},
        {"ben"},
        {"ana"},
        {"ben"},
        {"ana"},
    ]
    assert who(config, "2026-01-06T12:00:00+00:00") == set()


def test_interval_two_is_fortnightly_and_long_shifts_keep_their_length(tmp_path: Path) -> None:
    """Ana: a one-week event every two weeks → 336 h of four weeks (not 672).
    Ben: Mon 09:00 for 104 h (to Fri 17:00) weekly, on another level → 4 x 104 = 416 h."""
    ana = shift("O1", duration=7 * 86400, interval=2, rolling_users=[["Uana"]])
    ben = shift("O2", level=2, duration=104 * 3600, rolling_users=[["Uben"]])
    config, _ = run(tmp_path, bundle(ana, ben))
    h = hours(config, "2026-01-05T09:00:00+00:00", "2026-02-02T09:00:00+00:00")
    assert h["ben"] == 416.0
    # Ben's higher level hides Ana during his hours in both her weeks: 336 - 2 x 104 = 128 h.
    assert h["ana"] == 128.0
    assert who(config, "2026-01-09T16:59:00+00:00") == {"ben"}
    assert who(config, "2026-01-09T17:01:00+00:00") == {"ana"}
    assert who(config, "2026-01-16T17:01:00+00:00") == set()  # the off week


def test_weekly_by_day_covers_the_listed_days_of_one_week(tmp_path: Path) -> None:
    """Weekly Mon-Fri 09:00-17:00, weeks starting Monday: Ana's week, then Ben's."""
    data = bundle(shift("O1", by_day=["MO", "TU", "WE", "TH", "FR"]))
    config, _ = run(tmp_path, data)
    assert who(config, "2026-01-09T10:00:00+00:00") == {"ana"}
    assert who(config, "2026-01-10T10:00:00+00:00") == set()  # Saturday
    assert who(config, "2026-01-12T10:00:00+00:00") == {"ben"}


def test_overrides_beat_every_level(tmp_path: Path) -> None:
    """An override shift (Cleo, Mon 10:00-12:00) wins over Ana's Monday 09:00-17:00."""
    override = {
        "id": "O9",
        "type": "override",
        "start": "2026-01-05T10:00:00",
        "duration": 7200,
        "users": ["Ucleo"],
        "time_zone": "UTC",
    }
    config, _ = run(tmp_path, bundle(shift("O1"), override))
    assert who(config, "2026-01-05T11:00:00+00:00") == {"cleo"}
    assert who(config, "2026-01-05T12:30:00+00:00") == {"ana"}


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//gameday test//EN
BEGIN:VEVENT
UID:weekly-1
SUMMARY:[L1] ana
DTSTART;TZID=Europe/Paris:20260105T090000
DTEND;TZID=Europe/Paris:20260105T170000
RRULE:FREQ=WEEKLY;BYDAY=MO,TU
END:VEVENT
BEGIN:VEVENT
UID:weekly-2
SUMMARY:ben
DTSTART;TZID=Europe/Paris:20260107T090000
DTEND;TZID=Europe/Paris:20260107T170000
RRULE:FREQ=WEEKLY;COUNT=2
END:VEVENT
END:VCALENDAR
"""


def test_ical_schedules_are_read_with_their_recurrence(tmp_path: Path) -> None:
    """An iCal schedule (calendar text given in ical_file_primary): Ana Mon/Tue 09:00-17:00
    Paris for ever; Ben on two Wednesdays only (COUNT=2, expanded one by one, warned)."""
    (tmp_path / "team.ics").write_text(CALENDAR)
    data = bundle(type="ical", ical_file_primary="team.ics")
    data["schedules"][0]["shifts"] = []
    config, imported = run(tmp_path, data)
    assert who(config, "2026-03-02T10:00:00+01:00") == {"ana"}
    assert who(config, "2026-01-14T10:00:00+01:00") == {"ben"}
    assert who(config, "2026-01-21T10:00:00+01:00") == set()
    assert any("irregular recurrence" in w for w in imported.warnings)


def test_an_ical_schedule_only_at_a_url_is_refused_with_why_and_how(tmp_path: Path) -> None:
    """gameday fetches no URLs: say so, and how to give the calendar instead."""
    data = bundle(type="ical", ical_url_primary="https://example.com/team.ics")
    data["schedules"][0]["shifts"] = []
    with pytest.raises(InputError) as err:
        run(tmp_path, data)
    text = str(err.value)
    assert "https://example.com/team.ics" in text and "fetches no URLs" in text
    assert "ical_file_primary" in text
