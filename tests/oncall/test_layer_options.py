"""Layer options the importers rely on: monthly turns, active_for, a layer's own zone, levels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.oncall.loader import load_oncall
from simulator.oncall.schedule import add_months, render_all

POLICY = """
policies:
  - name: p
    steps: [{targets: [{schedule: s}], delay: 10m}]
services: [{name: svc, policy: p}]
"""


def who_at(path: Path, moment: str) -> set[str]:
    config = load_oncall(path).config
    t = datetime.fromisoformat(moment).timestamp()
    return set(render_all(config, t - 86400 * 62, t + 1)["s"].at(t))


def test_add_months_spills_past_the_month_end_like_go() -> None:
    """Go's AddDate: 31 Jan + 1 month = 3 Mar (2026 is not a leap year); - 1 = 31 Dec."""
    assert add_months(datetime(2026, 1, 31, 9), 1) == datetime(2026, 3, 3, 9)
    assert add_months(datetime(2026, 1, 31, 9), -1) == datetime(2025, 12, 31, 9)


def test_active_for_keeps_wall_clock_time_across_dst(write_config: Callable[..., Path]) -> None:
    """Weekly from Mon 2 March 09:00 New York, on call 104 h: to Fri 17:00 local. In the
    week of the 9th DST begins on the 8th, and the shift still ends Fri 13th 17:00 EDT."""
    path = write_config(
        """
        schedules:
          - name: s
            layers:
              - users: [alice]
                rotation_virtual_start: "2026-03-02T09:00:00"
                turn_length: 1w
                active_for: 104h
        """
        + POLICY
    )
    assert who_at(path, "2026-03-13T16:59:00-04:00") == {"alice"}
    assert who_at(path, "2026-03-13T17:01:00-04:00") == set()
    assert who_at(path, "2026-03-16T09:01:00-04:00") == {"alice"}


def test_levels_and_a_layer_zone(write_config: Callable[..., Path]) -> None:
    """Level 2 (Bob, daily 09:00-10:00 Berlin) beats level 1 (Alice always); Carol, also on
    level 1, is on call with Alice. The config zone is New York; Bob's hour is Berlin's."""
    path = write_config(
        """
        schedules:
          - name: s
            precedence: levels
            layers:
              - {users: [alice], rotation_virtual_start: "2026-01-05", turn_length: 1w, level: 1}
              - {users: [carol], rotation_virtual_start: "2026-01-05", turn_length: 1w, level: 1}
              - users: [bob]
                level: 2
                time_zone: Europe/Berlin
                rotation_virtual_start: "2026-01-05T09:00:00"
                turn_length: 1d
                active_for: 1h
        """
        + POLICY
    )
    assert who_at(path, "2026-01-07T09:30:00+01:00") == {"bob"}
    assert who_at(path, "2026-01-07T10:30:00+01:00") == {"alice", "carol"}


def test_a_layer_needs_exactly_one_turn_kind(write_config: Callable[..., Path]) -> None:
    """turn_length and turn_months together are refused with a clear message."""
    path = write_config(
        """
        schedules:
          - name: s
            layers:
              - users: [alice]
                rotation_virtual_start: "2026-01-05"
                turn_length: 1w
                turn_months: 1
        """
        + POLICY
    )
    with pytest.raises(InputError, match="exactly one of turn_length or turn_months"):
        load_oncall(path)
