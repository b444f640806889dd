"""Pilot tests: whole drills played through the UI, asserted on the resulting log."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Markdown, OptionList, Static

from simulator.drill.resume import resume_session
from simulator.log.jsonl import read_log
from simulator.scenario.loader import SHIPPED_DIR, shipped_scenario_paths
from tests.tui.helpers import advance_to, command, console_app, console_of, footer_keys, sync
from tui.app import PlayOptions, make_app
from tui.screens.console import ConsoleScreen
from tui.screens.debrief import DebriefScreen
from tui.screens.forms import AssignRoleForm, ConfirmResolve, StatusPostForm
from tui.screens.setup import BriefingScreen, RoleScreen, ScenarioChoice, ScenarioPicker
from tui.widgets.alerts import AlertList
from tui.widgets.channel import IncidentChannel
from tui.widgets.commandline import CommandLine
from tui.widgets.header import ConsoleHeader


def _commands(log: Path) -> list[tuple[str, str]]:
    return [
        (e["command"], e["by"])
        for e in read_log(log).of_type("command.accepted")
        if not e.get("simulated")
    ]


@pytest.mark.slow
@sync
async def test_whole_drill_from_picker_to_debrief(tmp_path: Path) -> None:
    """Pick, choose a role, read the briefing, run the incident, see the debrief, save it."""
    log = tmp_path / "drill.jsonl"
    choices = [ScenarioChoice.read(p) for p in shipped_scenario_paths()]
    checkout = next(i for i, c in enumerate(choices) if c.path.stem == "checkout-bad-deploy")
    app = make_app(PlayOptions(seed=7, log_path=log, choices=choices), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, ScenarioPicker)
        app.screen.query_one(OptionList).highlighted = checkout
        await pilot.press("enter")
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("enter")  # Incident Commander, the first role
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ConsoleScreen)

        await advance_to(pilot, app, 270)
        await command(pilot, "/ack")
        await command(pilot, "/sev 2 -- customer-visible errors at peak")
        await pilot.press("f6")  # the role form: first unfilled role is tech
        assert isinstance(app.screen, AssignRoleForm)
        from textual.widgets import Select

        app.screen.query_one("#assign-person", Select).value = "Priya N."
        await pilot.click("#assign")
        await pilot.pause()
        await command(pilot, "/investigate deploys @tech")
        await advance_to(pilot, app, 540)
        await command(pilot, "/flag new-pricing-engine off @tech")
        await pilot.press("f5")
        assert isinstance(app.screen, StatusPostForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await advance_to(pilot, app, 1200)
        await command(pilot, "/resolve")
        assert isinstance(app.screen, ConfirmResolve)  # the IC confirms, seeing the impact
        await pilot.click("#resolve")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.debrief.card is not None, app.screen.debrief.scoring_error
        assert "Mobiliz" in app.screen.debrief.scorecard_md
        await pilot.press("ctrl+s")
        assert (tmp_path / "drill.postmortem.md").exists()

    assert [name for name, _ in _commands(log)] == [
        "ack",
        "sev",
        "assign",
        "investigate",
        "flag",
        "status",
        "resolve",
    ]
    events = read_log(log)
    assert events.complete
    assert events.of_type("status.posted")[0]["state"] == "investigating"
    assert events.of_type("role.assigned")[0]["person"] == "Priya N."
    assert events.of_type("impact.mitigated")


@sync
async def test_malformed_command_shows_what_was_expected_inline(tmp_path: Path) -> None:
    """A bad command is answered under the channel with the engine's message and usage."""
    app = console_app(tmp_path / "d.jsonl")
    async with app.run_test(size=(100, 30)) as pilot:
        await command(pilot, "/sev 7")
        feedback = str(app.screen.query_one("#feedback", Static).render())
        assert "severity must be 1, 2, 3 or 4" in feedback
        assert "/sev 1|2|3|4" in feedback
    assert read_log(tmp_path / "d.jsonl").of_type("command.rejected")[0]["text"] == "/sev 7"


@sync
async def test_broken_scenario_shows_its_errors_in_the_picker(
    tmp_path: Path, checkout_text: str
) -> None:
    """A scenario that fails validation is listed with its errors and cannot be started."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(checkout_text.replace("target: checkout", "target: chekout", 1))
    choices = [
        ScenarioChoice.read(broken),
        ScenarioChoice.read(SHIPPED_DIR / "checkout-bad-deploy.yaml"),
    ]
    app = make_app(PlayOptions(seed=7, choices=choices), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        info = app.screen.query_one("#scenario-info", Markdown)
        assert "does not validate" in info.source
        assert "chekout" in info.source
        await pilot.press("enter")
        assert isinstance(app.screen, ScenarioPicker)


@sync
async def test_tab_completes_commands_and_scenario_names() -> None:
    """Tab completes the command name, then its arguments from the scenario."""
    app = console_app()
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = app.screen.query_one(CommandLine)
        prompt.value = "/invest"
        await pilot.press("tab")
        assert prompt.value == "/investigate"
        prompt.value = "/investigate logs che"
        await pilot.press("tab")
        assert prompt.value == "/investigate logs checkout"
        prompt.value = "/flag new"
        await pilot.press("tab")
        assert prompt.value == "/flag new-pricing-engine"


@sync
async def test_up_and_down_walk_the_command_history() -> None:
    """Up recalls earlier commands, down comes back to an empty prompt."""
    app = console_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await command(pilot, "/note first")
        await command(pilot, "/note second")
        prompt = app.screen.query_one(CommandLine)
        await pilot.press("up")
        assert prompt.value == "/note second"
        await pilot.press("up")
        assert prompt.value == "/note first"
        await pilot.press("down", "down")
        assert prompt.value == ""


@sync
async def test_pause_stops_simulated_time() -> None:
    """While paused, clock ticks do not advance the drill; resuming does."""
    app = console_app()
    async with app.run_test(size=(100, 30)) as pilot:
        console = console_of(app)
        await pilot.press("f2")
        console.tick()
        assert console.feed.now == 0.0
        await pilot.press("f2")
        console.tick()
        assert console.feed.now > 0.0


@sync
async def test_speed_keys_step_through_the_speeds() -> None:
    """F4 goes 1x → 2x → 5x; F3 steps back; the header shows it."""
    app = console_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "f4")
        console = console_of(app)
        assert console.speed == 5
        await pilot.press("f3")
        assert console.speed == 2
        assert "2x" in str(app.screen.query_one(ConsoleHeader).render())


@sync
async def test_alerts_show_state_and_keyboard_ack(tmp_path: Path) -> None:
    """Firing alerts are listed as new; 'a' on the highlighted one acknowledges its page."""
    app = console_app(tmp_path / "d.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await advance_to(pilot, app, 250)
        alerts = app.screen.query_one(AlertList)
        assert "new" in [row[5] for row in alerts.rows]
        alerts.focus()
        names = [row[3] for row in alerts.rows]
        await pilot.press(*["down"] * names.index("CheckoutHighErrorRate"))
        await pilot.press("a")
        await pilot.pause()
        assert "acked" in [row[5] for row in alerts.rows]
    assert read_log(tmp_path / "d.jsonl").of_type("page.acknowledged")


@sync
async def test_key_bar_follows_focus() -> None:
    """The prompt has focus at start; Esc moves to the alerts and their keys join the bar."""
    app = console_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, CommandLine)
        keys = lambda: footer_keys(app.screen)  # noqa: E731
        assert "Debrief" in keys() and "Ack" not in keys()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AlertList)
        assert {"Ack", "Silence", "Debrief"} <= keys()
        await pilot.press("slash")
        await pilot.pause()
        assert "Ack" not in keys()


@pytest.mark.slow
@sync
async def test_palette_runs_drill_actions(tmp_path: Path) -> None:
    """Ctrl+P finds 'Declare SEV2' and running it declares the severity."""
    app = console_app(tmp_path / "d.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "Declare SEV2":
            await pilot.press("space" if key == " " else key)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
    declared = read_log(tmp_path / "d.jsonl").of_type("severity.declared")
    assert [e["severity"] for e in declared] == [2]


@sync
async def test_quitting_mid_drill_keeps_a_resumable_log(tmp_path: Path) -> None:
    """Ctrl+Q mid-drill returns the log path; the log resumes where it stopped."""
    log = tmp_path / "d.jsonl"
    app = console_app(log)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance_to(pilot, app, 300)
        await command(pilot, "/ack")
        await pilot.press("ctrl+q")
    assert app.return_value == str(log)
    assert not read_log(log).complete
    session = resume_session(log)
    try:
        assert session.now >= 270
        resumed = make_app(PlayOptions(seed=7, session=session), clock=False)
        async with resumed.run_test(size=(100, 30)) as pilot:
            channel = resumed.screen.query_one(IncidentChannel)
            assert any("/ack" in line.text for line in channel.lines)
    finally:
        session.close()


@sync
async def test_playing_tech_lead_shows_the_simulated_ic() -> None:
    """As Technical Lead, the header names the simulated Incident Commander."""
    app = console_app(role="tech")
    async with app.run_test(size=(120, 40)):
        header = str(app.screen.query_one(ConsoleHeader).render())
        assert "as Technical Lead" in header
        assert "IC: Dana R." in header


@sync
async def test_a_burst_of_keys_keeps_every_enter(tmp_path: Path) -> None:
    """Commands typed in one burst (tmux send-keys, a fast typist) stay separate.

    The keys are posted at once, as the driver delivers a burst; an enter handled as
    an app binding ran after the characters behind it and merged two commands.
    """
    log = tmp_path / "burst.jsonl"
    app = console_app(log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst = ["/note first", "/sev 2", "/note third"]
        for line in burst:
            for char in line:
                app.post_message(events.Key(char, char))
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert app.screen.query_one(CommandLine).value == ""
    typed = [e["text"] for e in read_log(log).of_type("command.accepted") if not e.get("simulated")]
    assert typed == burst


def test_the_picker_lists_beginner_scenarios_first() -> None:
    """A new on-caller meets the beginner drill at the top, then intermediate, advanced."""
    app = make_app(PlayOptions(seed=7))
    assert app.options is not None
    levels = [c.loaded.scenario.metadata.difficulty for c in app.options.choices if c.loaded]
    assert levels == sorted(levels, key=["beginner", "intermediate", "advanced"].index)
    assert levels[0] == "beginner"
