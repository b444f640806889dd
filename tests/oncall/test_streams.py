"""Alert streams: synthetic rates with seasonality, history CSVs, the scenario hook."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from simulator.errors import InputError
from simulator.oncall.loader import OnCall
from simulator.oncall.model import AlertTraffic
from simulator.oncall.streams import (
    alerts_from_csv,
    alerts_from_scenario,
    incidents_for,
    service_alerts,
)

NY = ZoneInfo("America/New_York")
START = datetime(2026, 1, 5, tzinfo=NY).timestamp()

BODY = """
policies:
  - name: p
    steps: [{targets: [{user: alice}], delay: 5m}]
services: [{name: svc, policy: p}]
"""


def test_rate_averages_per_day_with_daily_and_weekly_shape() -> None:
    """per_day is the long-run mean; the peak hour and weekdays get more alerts."""
    traffic = AlertTraffic(per_day=20, peak_hour=14, daily_amplitude=0.8, weekend_factor=0.3)
    alerts = service_alerts("svc", traffic, "America/New_York", START, 280, random.Random(5))
    assert abs(len(alerts) / 280 - 20) < 1.0
    hours = [datetime.fromtimestamp(a.start, NY) for a in alerts]
    afternoon = sum(1 for h in hours if 12 <= h.hour < 16)
    small_hours = sum(1 for h in hours if 0 <= h.hour < 4)
    assert afternoon > 3 * small_hours
    weekday = sum(1 for h in hours if h.weekday() < 5) / 5
    weekend = sum(1 for h in hours if h.weekday() >= 5) / 2
    assert 0.2 < weekend / weekday < 0.4


def test_bursts_add_related_alerts_within_the_spread() -> None:
    """With bursts on, extra alerts follow the first within burst_spread."""
    traffic = AlertTraffic(per_day=2, burst_chance=1.0, burst_size=3, burst_spread=600)
    alerts = service_alerts("svc", traffic, "UTC", START, 30, random.Random(1))
    firsts = [a for a in alerts if a.labels["instance"] == "svc-0"]
    assert len(alerts) > 2.5 * len(firsts)


def test_csv_history_is_read_with_zones_and_labels(
    tmp_path: Path, load: Callable[[str], OnCall]
) -> None:
    """Naive times are in the config's zone; labels and durations are kept."""
    oncall = load(BODY)
    path = tmp_path / "history.csv"
    path.write_text(
        "time,service,duration,labels\n"
        "2026-02-01 03:00,svc,10m,severity=page;team=db\n"
        "2026-02-01T09:00:00+00:00,svc,,\n"
    )
    alerts = alerts_from_csv(path, oncall.config)
    assert alerts[0].start == datetime(2026, 2, 1, 3, tzinfo=NY).timestamp()
    assert alerts[0].end - alerts[0].start == 600
    assert alerts[0].labels == {"severity": "page", "team": "db", "service": "svc"}
    assert len(incidents_for(oncall, alerts)) == 2


def test_malformed_csv_lines_are_reported_with_their_numbers(
    tmp_path: Path, load: Callable[[str], OnCall]
) -> None:
    """A bad time, an unknown service (with a hint) and a short row each name their line."""
    oncall = load(BODY)
    path = tmp_path / "history.csv"
    path.write_text(
        "time,service,duration\n"
        "2026-02-01 03:00,svc,10m\n"
        "yesterday,svc,10m\n"
        "2026-02-01 04:00,scv,10m\n"
        "2026-02-01 05:00\n"
    )
    with pytest.raises(InputError) as err:
        alerts_from_csv(path, oncall.config)
    text = str(err.value)
    assert "history.csv:3: bad alert line" in text
    assert "history.csv:4: unknown service 'scv' (did you mean 'svc'?)" in text
    assert "history.csv:5:" in text


def test_scenario_hook_turns_offsets_into_a_stream() -> None:
    """The engine's hook: (offset, service, labels) entries become alerts from ``start``."""
    alerts = alerts_from_scenario(
        [(120.0, "svc", {"alertname": "X"}), (0.0, "db", {})], START, durations=[60.0, 30.0]
    )
    assert [(a.start - START, a.end - START, a.labels["service"]) for a in alerts] == [
        (0.0, 30.0, "db"),
        (120.0, 180.0, "svc"),
    ]
