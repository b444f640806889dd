"""Schedule rendering: rotations, restrictions, precedence, overrides and DST."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from simulator.oncall.loader import OnCall
from simulator.oncall.schedule import Timeline, render_all

NY = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=NY).timestamp()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def timeline(oncall: OnCall, name: str, start: float, end: float) -> Timeline:
    return render_all(oncall.config, start, end)[name]


POLICY = """
policies:
  - name: p
    steps: [{targets: [{schedule: s}], delay: 5m}]
services:
  - {name: svc, policy: p}
"""


def test_weekly_rotation_hands_off_at_the_anchor_time(load: Callable[[str], OnCall]) -> None:
    """Turns follow the users' order from rotation_virtual_start, one turn length each."""
    oncall = load(
        """
schedules:
  - name: s
    layers:
      - users: [alice, bob, carol]
        rotation_virtual_start: "2026-01-05T09:00:00"
        turn_length: 1w
"""
        + POLICY
    )
    t = timeline(oncall, "s", ny(2026, 1, 1), ny(2026, 2, 1))
    assert t.at(ny(2026, 1, 5, 8, 59)) == {"carol"}  # the turn before the anchor
    assert t.at(ny(2026, 1, 5, 9, 0)) == {"alice"}
    assert t.at(ny(2026, 1, 12, 8, 59)) == {"alice"}
    assert t.at(ny(2026, 1, 12, 9, 0)) == {"bob"}
    assert t.at(ny(2026, 1, 19, 9, 0)) == {"carol"}
    assert t.at(ny(2026, 1, 26, 9, 0)) == {"alice"}


DAILY_AT = (
    """
schedules:
  - name: s
    layers:
      - users: [alice, bob]
        rotation_virtual_start: "2026-03-01T{clock}"
        turn_length: 1d
        handoff: {handoff}
"""
    + POLICY
)


def daily_at(clock: str, handoff: str) -> str:
    return DAILY_AT.replace("{clock}", clock).replace("{handoff}", handoff)


def test_spring_forward_keeps_the_local_handoff_time(load: Callable[[str], OnCall]) -> None:
    """America/New_York 2026-03-08: the 09:00 handoff stays at 09:00 local (23h turn)."""
    oncall = load(daily_at("09:00:00", "wall_clock"))
    t = timeline(oncall, "s", ny(2026, 3, 1), ny(2026, 3, 15))
    handoffs = [s.start for s in t.segments(ny(2026, 3, 6), ny(2026, 3, 11))][1:]
    local = [datetime.fromtimestamp(h, NY).strftime("%m-%d %H:%M") for h in handoffs]
    assert local == ["03-06 09:00", "03-07 09:00", "03-08 09:00", "03-09 09:00", "03-10 09:00"]
    assert handoffs[2] - handoffs[1] == 23 * 3600  # the turn across the switch
    assert handoffs[3] - handoffs[2] == 24 * 3600


def test_fall_back_handoff_at_an_ambiguous_time_uses_the_first_occurrence(
    load: Callable[[str], OnCall],
) -> None:
    """2026-11-01 01:30 happens twice in New York; the handoff is at the first (EDT, 05:30Z)."""
    oncall = load(daily_at("01:30:00", "wall_clock"))
    t = timeline(oncall, "s", ny(2026, 10, 25), ny(2026, 11, 5))
    starts = [s.start for s in t.segments(ny(2026, 10, 31), ny(2026, 11, 3))]
    assert utc(2026, 11, 1, 5, 30) in starts
    assert utc(2026, 11, 1, 6, 30) not in starts
    # That turn is 25 hours long: the repeated hour belongs to it.
    assert utc(2026, 11, 2, 6, 30) - utc(2026, 11, 1, 5, 30) == 25 * 3600
    assert utc(2026, 11, 2, 6, 30) in starts


def test_spring_forward_handoff_in_the_gap_moves_forward(load: Callable[[str], OnCall]) -> None:
    """02:30 does not exist on 2026-03-08 in New York; that handoff happens at 03:30 EDT."""
    oncall = load(daily_at("02:30:00", "wall_clock"))
    t = timeline(oncall, "s", ny(2026, 3, 1), ny(2026, 3, 15))
    starts = {s.start for s in t.segments(ny(2026, 3, 7), ny(2026, 3, 10))}
    assert utc(2026, 3, 8, 7, 30) in starts  # 03:30 EDT
    assert utc(2026, 3, 9, 6, 30) in starts  # 02:30 EDT the next day


def test_elapsed_handoffs_drift_by_the_dst_hour(load: Callable[[str], OnCall]) -> None:
    """handoff: elapsed counts exact seconds, so a 09:00 handoff becomes 10:00 after DST."""
    oncall = load(daily_at("09:00:00", "elapsed"))
    t = timeline(oncall, "s", ny(2026, 3, 1), ny(2026, 3, 15))
    starts = [s.start for s in t.segments(ny(2026, 3, 9), ny(2026, 3, 11))][1:]
    assert {datetime.fromtimestamp(h, NY).hour for h in starts} == {10}


def test_daily_restriction_across_midnight(load: Callable[[str], OnCall]) -> None:
    """A 22:00 + 10h window covers 23:00 and 07:59 the next morning, not 08:00 or 21:59."""
    oncall = load(
        """
schedules:
  - name: s
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: daily, start: "22:00", duration: 10h}]
"""
        + POLICY
    )
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 20))
    assert t.at(ny(2026, 1, 7, 23, 0)) == {"alice"}
    assert t.at(ny(2026, 1, 8, 7, 59)) == {"alice"}
    assert t.at(ny(2026, 1, 8, 8, 0)) == frozenset()
    assert t.at(ny(2026, 1, 8, 21, 59)) == frozenset()


def test_restriction_across_midnight_on_a_dst_night(load: Callable[[str], OnCall]) -> None:
    """The night window keeps its local end (08:00) on the spring-forward night: 9h long."""
    oncall = load(
        """
schedules:
  - name: s
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: daily, start: "22:00", duration: 10h}]
"""
        + POLICY
    )
    t = timeline(oncall, "s", ny(2026, 3, 1), ny(2026, 3, 15))
    night = [s for s in t.segments(ny(2026, 3, 7, 12), ny(2026, 3, 8, 12)) if s.people]
    assert len(night) == 1
    assert night[0].end == ny(2026, 3, 8, 8, 0)
    assert night[0].end - night[0].start == 9 * 3600


def test_weekly_restriction_and_weekday_filter(load: Callable[[str], OnCall]) -> None:
    """A weekly window runs Mon 09:00 for 4d8h; a daily one with days only opens on those days."""
    oncall = load(
        """
schedules:
  - name: s
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: weekly, start_day: mon, start: "09:00", duration: 4d8h}]
      - users: [bob]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: daily, start: "10:00", duration: 2h, days: [sat]}]
"""
        + POLICY
    )
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 20))
    assert t.at(ny(2026, 1, 5, 8, 59)) == frozenset()
    assert t.at(ny(2026, 1, 5, 9, 0)) == {"alice"}
    assert t.at(ny(2026, 1, 9, 16, 59)) == {"alice"}
    assert t.at(ny(2026, 1, 9, 17, 0)) == frozenset()
    assert t.at(ny(2026, 1, 10, 11, 0)) == {"bob"}  # Saturday
    assert t.at(ny(2026, 1, 11, 11, 0)) == frozenset()  # Sunday


LAYERED = (
    """
schedules:
  - name: s
    precedence: {precedence}
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
      - users: [bob]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1w
        restrictions: [{type: daily, start: "09:00", duration: 8h}]
    overrides:
      - {user: carol, start: "2026-01-06T12:00:00", end: "2026-01-06T13:00:00"}
"""
    + POLICY
)


def test_last_layer_wins_like_pagerduty(load: Callable[[str], OnCall]) -> None:
    """Where layers overlap the later layer decides; elsewhere the lower one shows through."""
    oncall = load(LAYERED.replace("{precedence}", "last_layer_wins"))
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 12))
    assert t.at(ny(2026, 1, 6, 10)) == {"bob"}
    assert t.at(ny(2026, 1, 6, 20)) == {"alice"}


def test_all_on_call_unites_layers(load: Callable[[str], OnCall]) -> None:
    """With all_on_call semantics everyone active in any layer is on call."""
    oncall = load(LAYERED.replace("{precedence}", "all_on_call"))
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 12))
    assert t.at(ny(2026, 1, 6, 10)) == {"alice", "bob"}
    assert t.at(ny(2026, 1, 6, 20)) == {"alice"}


def test_override_replaces_everyone(load: Callable[[str], OnCall]) -> None:
    """An override wins over every layer for its exact span (end exclusive)."""
    oncall = load(LAYERED.replace("{precedence}", "all_on_call"))
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 12))
    assert t.at(ny(2026, 1, 6, 12)) == {"carol"}
    assert t.at(ny(2026, 1, 6, 12, 59)) == {"carol"}
    assert t.at(ny(2026, 1, 6, 13)) == {"alice", "bob"}


def test_layer_start_and_end_bound_it(load: Callable[[str], OnCall]) -> None:
    """A layer is only on call between its start and end."""
    oncall = load(
        """
schedules:
  - name: s
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T00:00:00"
        turn_length: 1d
        start: "2026-01-07T00:00:00"
        end: "2026-01-08T00:00:00"
"""
        + POLICY
    )
    t = timeline(oncall, "s", ny(2026, 1, 5), ny(2026, 1, 12))
    assert t.at(ny(2026, 1, 6, 12)) == frozenset()
    assert t.at(ny(2026, 1, 7, 12)) == {"alice"}
    assert t.at(ny(2026, 1, 8, 0)) == frozenset()
