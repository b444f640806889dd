"""Alertmanager semantics checked against its own code, with counts worked out by hand.

Each test names the Alertmanager source it follows. Times are seconds after T0
(Monday 2026-01-05 12:00 UTC); the flush ticks of a group born at t are t + group_wait,
then every group_interval.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from simulator.errors import InputError
from simulator.oncall.alertmanager import Alert, Router, ignored_fields, parse_matchers
from simulator.oncall.amtime import TimeSpec, spec_matches
from simulator.oncall.loader import load_alertmanager

DATA = Path(__file__).resolve().parent / "data"
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=ZoneInfo("UTC")).timestamp()
M = 60.0


def router(tmp_path: Path, text: str) -> Router:
    path = tmp_path / "alertmanager.yml"
    path.write_text(textwrap.dedent(text))
    return Router(load_alertmanager(path))


def alert(start_min: float, end_min: float, **labels: str) -> Alert:
    return Alert(T0 + start_min * M, T0 + end_min * M, labels)


def test_two_alerts_on_both_sides_of_an_inhibit_rule_do_not_silence_each_other(
    tmp_path: Path,
) -> None:
    """inhibit.go: when the target also matches the source side, sources that match the
    target side too are ignored (excludeTwoSidedMatch). Two critical NodeDown alerts
    match both sides of 'critical inhibits NodeDown', so neither inhibits the other:
    one group (by alertname), notified once at group_wait = 30s. A NodeDown warning,
    target side only, is inhibited by them and adds nothing."""
    r = router(
        tmp_path,
        """
        route: {receiver: pager, group_by: [alertname], group_wait: 30s}
        receivers: [{name: pager}]
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['alertname="NodeDown"']
            equal: [cluster]
        """,
    )
    down = [
        alert(0, 60, alertname="NodeDown", severity="critical", cluster="a", instance="1"),
        alert(0.1, 60, alertname="NodeDown", severity="critical", cluster="a", instance="2"),
    ]
    notes = r.notifications(down)
    assert [(n.trigger - T0, n.alerts) for n in notes] == [(30.0, 2)]
    warning = alert(0, 60, alertname="NodeDown", severity="warning", cluster="a", instance="3")
    notes = r.notifications([*down, warning])
    assert len(notes) == 1 and notes[0].resends == ()  # the warning never joins a notification


def test_an_inhibited_alert_notifies_once_its_source_resolves(tmp_path: Path) -> None:
    """Only firing sources inhibit. Source fires 0-10m, target 0-60m (another group).
    Target's ticks: 30s and 5m30s inhibited (nothing sent); at 10m30s the source has
    resolved, so the first notification goes out then."""
    r = router(
        tmp_path,
        """
        route: {receiver: pager, group_by: [alertname], group_wait: 30s, group_interval: 5m}
        receivers: [{name: pager}]
        inhibit_rules:
          - {source_matchers: ['alertname="Down"'], target_matchers: ['alertname="Slow"']}
        """,
    )
    notes = r.notifications([alert(0, 10, alertname="Down"), alert(0, 60, alertname="Slow")])
    slow = [n for n in notes if "Slow" in n.group_key]
    assert [n.trigger - T0 for n in slow] == [10 * M + 30]


REPEAT = """
route:
  receiver: hook
  group_by: [alertname]
  group_wait: {wait}
  group_interval: {interval}
  repeat_interval: {repeat}
receivers: [{{name: hook, webhook_configs: [{{url: 'http://example.org', send_resolved: false}}]}}]
"""


def test_repeat_interval_equal_to_group_interval_resends_every_second_tick(
    tmp_path: Path,
) -> None:
    """notify.go DedupStage: resend only when the last notification is *more* than
    repeat_interval old; its timestamp is taken after sending, a moment past the tick.
    group_interval 5m, repeat 5m: ticks at 30s, 5m30s, 10m30s, ... The first is sent at
    30s; at 5m30s exactly 5m passed (not more), at 10m30s 10m did: resends every 10m,
    as users report (prometheus/alertmanager#676). The alert resolves at 30m, so the
    30m30s tick closes the incident: resends at 10m30s and 20m30s."""
    r = router(tmp_path, REPEAT.format(wait="30s", interval="5m", repeat="5m"))
    (note,) = r.notifications([alert(0, 30, alertname="Disk")])
    assert note.trigger - T0 == 30
    assert [t - T0 for t in note.resends] == [10 * M + 30, 20 * M + 30]
    assert note.resolve - T0 == 30 * M + 30


def test_repeat_interval_rounds_up_to_the_group_interval_tick(tmp_path: Path) -> None:
    """group_wait 15m, group_interval 15m, repeat 20m (prometheus/alertmanager#2647: mails
    every 30m). Ticks at 15m, 30m, 45m, ...: first at 15m; 30m is 15m later (too early),
    45m is 30m later (sent); then 1h15m and 1h45m. The alert ends at 2h: the 2h tick
    resolves it."""
    r = router(tmp_path, REPEAT.format(wait="15m", interval="15m", repeat="20m"))
    (note,) = r.notifications([alert(0, 120, alertname="Disk")])
    assert note.trigger - T0 == 15 * M
    assert [t - T0 for t in note.resends] == [45 * M, 75 * M, 105 * M]
    assert note.resolve - T0 == 120 * M


def test_new_alerts_in_a_notified_group_go_out_at_the_next_tick(tmp_path: Path) -> None:
    """dispatch.go: after the first flush, a new alert waits for the next group_interval
    tick, not a new group_wait. A at 0, B at 2m (same group), wait 30s, interval 5m,
    repeat 4h: first at 30s (A), then 5m30s (B is new). Both end at 20m: resolved at the
    20m30s tick. Two notifications, one incident of two alerts."""
    r = router(tmp_path, REPEAT.format(wait="30s", interval="5m", repeat="4h"))
    (note,) = r.notifications(
        [alert(0, 20, alertname="Lag", instance="a"), alert(2, 20, alertname="Lag", instance="b")]
    )
    assert (note.trigger - T0, note.alerts) == (30, 2)
    assert [t - T0 for t in note.resends] == [5 * M + 30]
    assert note.resolve - T0 == 20 * M + 30


def test_some_alerts_resolving_notify_only_receivers_that_send_resolved(tmp_path: Path) -> None:
    """DedupStage: with send_resolved, a resolved alert not in the last notification is a
    change. A 0-7m and B 0-30m in one group; ticks 30s, 5m30s, 10m30s: at 10m30s A has
    resolved, which a webhook (send_resolved defaults to true) is told; email (false) is
    not. Repeat 4h, so nothing else is resent before B resolves."""
    text = REPEAT.format(wait="30s", interval="5m", repeat="4h")
    burst = [
        alert(0, 7, alertname="Lag", instance="a"),
        alert(0, 30, alertname="Lag", instance="b"),
    ]
    told = router(tmp_path, text.replace(", send_resolved: false", ""))
    assert [t - T0 for t in told.notifications(burst)[0].resends] == [10 * M + 30]
    hook = "webhook_configs: [{url: 'http://example.org', send_resolved: false}]"
    quiet = router(tmp_path, text.replace(hook, "email_configs: [{to: a@example.org}]"))
    assert quiet.notifications(burst)[0].resends == ()


def test_receivers_that_deduplicate_by_group_key_are_known() -> None:
    """PagerDuty and Opsgenie fold a resend into the open incident; a webhook does not;
    a receiver mixing both kinds reaches people."""
    r = Router(load_alertmanager(DATA / "am-accepted.yml"))
    assert r.deduplicates("everything")
    assert not r.deduplicates("night-pager")
    assert not r.deduplicates("pager")  # pagerduty plus slack


def test_every_field_alertmanager_accepts_loads_and_is_noted() -> None:
    """Top-level global/templates/tracing, receiver integrations, named inhibit rules,
    numeric match values, multi-matcher and brace strings, '...' grouping, time
    intervals with numbers: all load; the unused ones are listed for the report."""
    config = load_alertmanager(DATA / "am-accepted.yml")
    notes = " ".join(ignored_fields(config))
    assert "'global'" in notes and "'templates'" in notes and "'tracing'" in notes
    r = Router(config)
    two = alert(0, 60, alertname="X", code="2", enabled="true")
    assert [n.receiver for n in r.notifications([two])] == ["code-two"]
    # continue: true on 'pager' lets 'night-pager' match too, but it is only active
    # 22:00-08:00 Berlin: from T0 (13:00 Berlin) the first tick inside is 21:00:30 UTC
    # (ticks fall at 30s past every 5m), 540.5 minutes later.
    both = alert(0, 12 * 60, alertname="Y", severity="critical", team="db")
    notes = {n.receiver: n.trigger - T0 for n in r.notifications([both])}
    assert notes == {"pager": 30.0, "night-pager": 540.5 * M}


def test_unknown_fields_are_still_rejected_with_the_line(tmp_path: Path) -> None:
    """Alertmanager decodes strictly, so a misspelt field is an error, not a silent no-op."""
    path = tmp_path / "alertmanager.yml"
    path.write_text("route:\n  receiver: a\n  group_wiat: 30s\nreceivers: [{name: a}]\n")
    with pytest.raises(InputError) as err:
        load_alertmanager(path)
    assert "alertmanager.yml:3" in str(err.value) and "group_wiat" in str(err.value)


def test_root_route_must_not_match(tmp_path: Path) -> None:
    """config.go: the root route is the fallback, so it may not have matchers."""
    path = tmp_path / "alertmanager.yml"
    path.write_text("route:\n  receiver: a\n  matchers: ['x=\"1\"']\nreceivers: [{name: a}]\n")
    with pytest.raises(InputError, match="root route must not have matchers"):
        load_alertmanager(path)


def test_matcher_strings_parse_as_pkg_labels_does() -> None:
    """parse.go: optional braces, commas outside quotes separate, trailing comma ok,
    escapes inside quotes, unquoted values."""
    assert [(m.name, m.op, m.value) for m in parse_matchers('a="1", b=~"x|y"')] == [
        ("a", "=", "1"),
        ("b", "=~", "x|y"),
    ]
    assert [m.value for m in parse_matchers('{quote="She said: \\"Hi, all\\"", }')] == [
        'She said: "Hi, all"'
    ]
    assert [(m.name, m.value) for m in parse_matchers("foo=bar,dings!=bums")] == [
        ("foo", "bar"),
        ("dings", "bums"),
    ]
    with pytest.raises(ValueError):
        parse_matchers('a="unterminated')


def test_weekdays_count_from_sunday() -> None:
    """timeinterval.go numbers weekdays Sunday = 0, so 'sunday:tuesday' covers Sunday to
    Tuesday; Monday 2026-01-05 is in it, Wednesday the 7th is not."""
    spec = TimeSpec(weekdays=["sunday:tuesday"])
    assert spec_matches(spec, T0)
    assert not spec_matches(spec, T0 + 2 * 86400)
    with pytest.raises(ValueError):
        TimeSpec(weekdays=["saturday:sunday"])  # Alertmanager rejects it: 6 > 0


def test_days_of_month_count_back_and_clamp() -> None:
    """'-1' is the month's last day; '30:31' never matches in February (starts past
    its end)."""
    jan31 = datetime(2026, 1, 31, 12, tzinfo=ZoneInfo("UTC")).timestamp()
    feb28 = datetime(2026, 2, 28, 12, tzinfo=ZoneInfo("UTC")).timestamp()
    assert spec_matches(TimeSpec(days_of_month=["-1"]), jan31)
    assert spec_matches(TimeSpec(days_of_month=["-1"]), feb28)
    assert not spec_matches(TimeSpec(days_of_month=["30:31"]), feb28)
