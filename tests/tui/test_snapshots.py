"""SVG snapshots of every screen at a fixed seed and simulated time, fixed terminal sizes.

Nothing on screen comes from the wall clock: the console shows simulated time only,
the clock timer is off (time is advanced by hand), and logs are not written so no
path with a date appears. Update with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from simulator.drill.resume import read_replay
from simulator.scenario.loader import shipped_scenario_paths
from tests.tui.helpers import DATA, advance_to, command, console_app
from tui.app import PlayOptions, make_app, make_replay_app
from tui.screens.setup import ScenarioChoice
from tui.widgets.commandline import CommandLine

SnapCompare = Any


def _picker_app() -> Any:
    choices = [ScenarioChoice.read(p) for p in shipped_scenario_paths()]
    return make_app(PlayOptions(seed=7, choices=choices), clock=False)


def test_picker(snap_compare: SnapCompare) -> None:
    """The scenario picker lists title, difficulty, duration; objectives on the right."""
    assert snap_compare(_picker_app(), terminal_size=(120, 40))


@pytest.mark.slow
def test_role_and_briefing(snap_compare: SnapCompare) -> None:
    """After picking, the role list; after choosing IC, the briefing."""
    assert snap_compare(_picker_app(), press=["enter"], terminal_size=(100, 30))
    assert snap_compare(_picker_app(), press=["enter", "enter"], terminal_size=(100, 30))


async def _mid_incident(pilot: Pilot[Any]) -> None:
    app = pilot.app
    # A blinking cursor is drawn or not depending on how long the run took (flaky
    # under a loaded machine); a steady one is always drawn.
    app.screen.query_one(CommandLine).cursor_blink = False
    await advance_to(pilot, app, 300)
    await command(pilot, "/ack")
    await command(pilot, "/sev 2")
    await command(pilot, "/assign tech Priya N.")
    await command(pilot, "/investigate deploys @tech")
    await command(pilot, "/sev 9")
    await advance_to(pilot, app, 600)


def test_console_mid_incident_120x40(snap_compare: SnapCompare) -> None:
    """The console at T+10:00 with alerts, dashboard, channel and an inline error."""
    assert snap_compare(console_app(), run_before=_mid_incident, terminal_size=(120, 40))


@pytest.mark.slow
def test_console_mid_incident_100x30(snap_compare: SnapCompare) -> None:
    """The same moment at the smallest supported size: nothing overlaps or is cut."""
    assert snap_compare(console_app(), run_before=_mid_incident, terminal_size=(100, 30))


def test_status_form(snap_compare: SnapCompare) -> None:
    """The status-page form with the template for the first state."""

    async def open_form(pilot: Pilot[Any]) -> None:
        await advance_to(pilot, pilot.app, 300)
        await pilot.press("f5")

    assert snap_compare(console_app(), run_before=open_form, terminal_size=(100, 30))


def test_assign_form(snap_compare: SnapCompare) -> None:
    """The role-assignment form."""

    async def open_form(pilot: Pilot[Any]) -> None:
        await pilot.press("f6")
        await pilot.pause()
        pilot.app.screen.query_one("#assign-person", Select).value = "Priya N."

    assert snap_compare(console_app(), run_before=open_form, terminal_size=(100, 30))


@pytest.mark.slow
def test_debrief(snap_compare: SnapCompare) -> None:
    """The debrief after a resolved drill: the scorecard tab, then the impact chart."""

    async def finish(pilot: Pilot[Any]) -> None:
        await _mid_incident(pilot)
        await command(pilot, "/flag new-pricing-engine off @tech")
        await advance_to(pilot, pilot.app, 1500)
        await command(pilot, "/resolve")
        await pilot.pause()

    async def chart(pilot: Pilot[Any]) -> None:
        await finish(pilot)
        await pilot.press("2")

    assert snap_compare(console_app(), run_before=finish, terminal_size=(120, 40))
    assert snap_compare(console_app(), run_before=chart, terminal_size=(120, 40))


def test_replay_console(snap_compare: SnapCompare) -> None:
    """A replay at T+8:00 of the good checkout response, ground truth marked."""
    header, events, _ = read_replay(DATA / "checkout-good-seed7.jsonl")

    async def to_eight(pilot: Pilot[Any]) -> None:
        await advance_to(pilot, pilot.app, 480)

    app = make_replay_app(header, events, clock=False)
    assert snap_compare(app, run_before=to_eight, terminal_size=(120, 40))


def test_help(snap_compare: SnapCompare) -> None:
    """F1 lists every command's usage and every key."""
    assert snap_compare(console_app(), press=["f1"], terminal_size=(120, 40))
