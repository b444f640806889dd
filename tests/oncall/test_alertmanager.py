"""Alertmanager routing, grouping, inhibition and time intervals from a native config."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from simulator.errors import InputError
from simulator.oncall.alertmanager import Alert, Router, parse_matcher
from simulator.oncall.loader import load_alertmanager

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=ZoneInfo("UTC")).timestamp()

CONFIG = """
route:
  receiver: default
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  routes:
    - receiver: db
      matchers: ['team="db"']
      continue: true
    - receiver: db-copy
      match: {team: db}
    - receiver: web
      match_re: {service: "web-.*"}
      group_by: ['...']
    - receiver: night
      matchers: ['team="ops"']
      active_time_intervals: [nights]
receivers: [{name: default}, {name: db}, {name: db-copy}, {name: web}, {name: night}]
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [cluster]
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: "22:00", end_time: "24:00"}]
"""


def router(tmp_path: Path, text: str = CONFIG) -> Router:
    path = tmp_path / "alertmanager.yml"
    path.write_text(textwrap.dedent(text))
    return Router(load_alertmanager(path))


def alert(start: float, minutes: float, **labels: str) -> Alert:
    return Alert(T0 + start, T0 + start + minutes * 60, labels)


def test_matchers_parse_like_alertmanager() -> None:
    """Quoted and unquoted values, all four operators, anchored regexes."""
    assert parse_matcher('severity="critical"').matches({"severity": "critical"})
    assert parse_matcher("team=~db|web").matches({"team": "web"})
    assert not parse_matcher("team=~db").matches({"team": "dbx"})
    assert parse_matcher('env!="prod"').matches({})
    assert parse_matcher("env!~prod.*").matches({"env": "dev"})
    with pytest.raises(ValueError):
        parse_matcher("not a matcher")


def test_continue_delivers_to_later_siblings(tmp_path: Path) -> None:
    """continue: true on the first match lets the next sibling match too; then it stops."""
    notes = router(tmp_path).notifications([alert(0, 10, alertname="Lag", team="db")])
    assert sorted(n.receiver for n in notes) == ["db", "db-copy"]


def test_unmatched_alerts_go_to_the_root_receiver(tmp_path: Path) -> None:
    """An alert no child matches is delivered by the root route."""
    notes = router(tmp_path).notifications([alert(0, 10, alertname="X")])
    assert [n.receiver for n in notes] == ["default"]


def test_a_burst_in_one_group_opens_one_incident_after_group_wait(tmp_path: Path) -> None:
    """Alerts grouped by alertname notify once, group_wait after the first; the incident
    resolves at the first flush after the last alert resolved."""
    burst = [alert(i * 20, 10, alertname="Lag", team="db", instance=str(i)) for i in range(4)]
    notes = [n for n in router(tmp_path).notifications(burst) if n.receiver == "db"]
    assert len(notes) == 1
    assert notes[0].trigger == T0 + 30
    assert notes[0].resolve == T0 + 30 + 3 * 300  # last alert ends at 70s + 10m


def test_group_by_all_labels_splits_every_alert(tmp_path: Path) -> None:
    """group_by: ['...'] makes one group per distinct label set."""
    burst = [alert(i, 10, alertname="Down", service="web-a", instance=str(i)) for i in range(3)]
    notes = router(tmp_path).notifications(burst)
    assert len([n for n in notes if n.receiver == "web"]) == 3


def test_alert_resolved_within_group_wait_is_never_sent(tmp_path: Path) -> None:
    """An alert that resolves before group_wait ends pages nobody."""
    assert router(tmp_path).notifications([alert(0, 0.25, alertname="Blip")]) == []


def test_inhibition_needs_a_firing_source_with_equal_labels(tmp_path: Path) -> None:
    """A warning is muted while a critical alert fires in the same cluster, not another."""
    r = router(tmp_path)
    source = alert(0, 60, alertname="Down", severity="critical", cluster="a")
    muted = alert(0, 10, alertname="Slow", severity="warning", cluster="a")
    other = alert(0, 10, alertname="Slow2", severity="warning", cluster="b")
    names = {n.group_key for n in r.notifications([source, muted, other])}
    assert any("Down" in k for k in names)
    assert any("Slow2" in k for k in names)
    assert not any("'Slow'" in k for k in names)


def test_active_time_interval_holds_notifications_until_it_opens(tmp_path: Path) -> None:
    """A route active only 22:00-24:00 UTC sends a 12:00 alert's page at 22:00."""
    notes = router(tmp_path).notifications([alert(0, 12 * 60, alertname="Disk", team="ops")])
    assert [n.receiver for n in notes] == ["night"]
    assert datetime.fromtimestamp(notes[0].trigger, ZoneInfo("UTC")).hour == 22


def test_unknown_receiver_is_an_error_with_a_line(tmp_path: Path) -> None:
    """A route naming a receiver that does not exist is reported with its line."""
    path = tmp_path / "alertmanager.yml"
    path.write_text("route:\n  receiver: defualt\nreceivers:\n  - name: default\n")
    with pytest.raises(InputError) as err:
        load_alertmanager(path)
    assert "alertmanager.yml:2" in str(err.value)
    assert "did you mean 'default'" in str(err.value)
