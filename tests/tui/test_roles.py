"""Pilot tests: each role plays region-outage through the UI until the debrief opens."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot

from simulator.drill.session import DrillSession
from simulator.log.jsonl import read_log
from simulator.practice import may_issue
from simulator.scenario.loader import load_scenario
from tests.tui.helpers import command, console_of, sync
from tui.app import GamedayApp, PlayOptions, make_app
from tui.screens.debrief import DebriefScreen
from tui.screens.forms import ConfirmResolve, HelpScreen
from tui.widgets.channel import IncidentChannel
from tui.widgets.commandline import CommandLine


def _app(log: Path, role: str, seed: int = 7) -> GamedayApp:
    loaded = load_scenario("region-outage")
    session = DrillSession(loaded.scenario, seed=seed, role=role, log_path=log)
    return make_app(PlayOptions(seed=seed, role=role, session=session), clock=False)


async def _run_until_over(pilot: Pilot[Any], app: GamedayApp, *, step: float = 30.0) -> None:
    console = console_of(app)
    while not console.feed.ended:
        console.advance_by(step)
        await pilot.pause()
    await pilot.pause()


def _trainee_commands_within_role(log: Path, role: str) -> None:
    """Every command the trainee got accepted is one the role may issue."""
    for e in read_log(log).of_type("command.accepted"):
        if e["by"] == "trainee":
            assert may_issue(role, e["command"]), e["text"]


@pytest.mark.slow
@pytest.mark.parametrize("role", ["comms", "scribe"])
@sync
async def test_comms_and_scribe_play_until_the_ic_resolves(tmp_path: Path, role: str) -> None:
    """The simulated IC resolves; the debrief opens; out-of-role tries are refused."""
    log = tmp_path / "drill.jsonl"
    app = _app(log, role, seed=11)
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        console.advance_by(700)
        await pilot.pause()
        await command(pilot, "/resolve")
        await command(pilot, "is anyone looking at the db?")
        if role == "comms":
            await command(pilot, '/update "Bookings are failing for many customers."')
            await command(pilot, "/reply Sandra No, this is not a data breach.")
        else:
            await command(pilot, '/note "SEV1 declared; IC is Dmitri"')
        await _run_until_over(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
    _trainee_commands_within_role(log, role)
    logged = read_log(log)
    refused = [e for e in logged.of_type("command.rejected") if e["text"] == "/resolve"]
    assert refused and refused[0]["usage"] == "/ask ic resolve"
    assert logged.of_type("chat.posted")
    assert logged.events[-1].type == "drill.ended"


@pytest.mark.slow
@sync
async def test_tech_lead_investigates_asks_approval_fixes_and_the_ic_resolves(
    tmp_path: Path,
) -> None:
    """The IC waits for the human Tech Lead's fix, approves the failover, then resolves."""
    log = tmp_path / "drill.jsonl"
    app = _app(log, "tech")
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        console.advance_by(420)
        await pilot.pause()
        for query in ("runbook", "db-activity", "metrics api-usw2"):
            await command(pilot, f"/investigate {query}")
        console.advance_by(200)
        await command(pilot, "/scale api-usw2 36")
        await command(pilot, "/failover us-east-1")  # refused: needs the IC's approval
        await command(pilot, "/ask ic approve failover us-east-1")
        console.advance_by(45)
        await pilot.pause()
        await command(pilot, "/failover us-east-1")
        await _run_until_over(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
    _trainee_commands_within_role(log, "tech")
    logged = read_log(log)
    mine = [e["action"] for e in logged.of_type("mitigation.started") if e["by"] == "trainee"]
    assert "failover" in mine
    assert logged.of_type("incident.resolved")[0]["by"] != "trainee"


@sync
async def test_resolve_asks_the_ic_to_confirm_showing_who_is_affected(tmp_path: Path) -> None:
    """As IC, /resolve with customers hurting opens a confirmation; 'Not yet' sends nothing."""
    log = tmp_path / "drill.jsonl"
    app = _app(log, "ic")
    async with app.run_test(size=(120, 40)) as pilot:
        console_of(app).advance_by(600)
        await pilot.pause()
        await command(pilot, "/resolve")
        assert isinstance(app.screen, ConfirmResolve)
        assert "still affected" in str(app.screen.query_one("#resolve-impact").render())
        await pilot.press("escape")
        assert not console_of(app).feed.ended
        await command(pilot, "/resolve")
        await pilot.click("#resolve")
        await pilot.pause()
        assert console_of(app).feed.ended
    assert read_log(log).of_type("incident.resolved")


@sync
async def test_keys_typed_as_a_command_never_fire_hotkeys(tmp_path: Path) -> None:
    """After Esc, a burst starting with '/' lands on the prompt: no ack, no speed change."""
    log = tmp_path / "drill.jsonl"
    app = _app(log, "ic")
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        console.advance_by(400)
        await pilot.pause()
        console.speed = 10
        await pilot.press("escape")
        text = "/flag load-shedding on -- a quick test"
        for char in text:
            # As the driver names them: "slash", "minus", "space", ...
            app.post_message(events.Key(_key_name(char), char))
        await pilot.pause()
        assert app.screen.query_one(CommandLine).value == text
        assert console.speed == 10
    typed = [e for e in read_log(log).of_type("command.accepted") if e["by"] == "trainee"]
    assert typed == []


def _key_name(char: str) -> str:
    """The key name a terminal driver gives a character ("slash", "minus", "a")."""
    if char.isalnum():
        return char
    name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


@sync
async def test_help_and_tab_show_what_the_team_can_look_at(tmp_path: Path) -> None:
    """The scenario's investigations are in help and Tab cycles through them."""
    app = _app(tmp_path / "d.jsonl", "tech")
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = app.screen.query_one(CommandLine)
        prompt.focus()
        prompt.value = "/investigate "
        seen = set()
        for _ in range(10):
            await pilot.press("tab")
            seen.add(prompt.value.split()[-1])
        assert {"deploys", "flags", "runbook"} <= seen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "runbook" in text and "failover-usw2" not in text
        await pilot.press("escape")
        channel = app.screen.query_one(IncidentChannel)
        assert channel is not None
