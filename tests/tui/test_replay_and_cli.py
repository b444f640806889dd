"""Replay feeds logged events to the same widgets; the play/replay commands' bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.drill.resume import read_replay
from tests.tui.helpers import DATA, advance_to, command, console_of, sync
from tui.app import make_replay_app
from tui.cli.main import main
from tui.screens.debrief import DebriefScreen
from tui.widgets.alerts import AlertList
from tui.widgets.channel import IncidentChannel

GOOD_LOG = DATA / "checkout-good-seed7.jsonl"


@pytest.mark.slow
@sync
async def test_replay_shows_the_logged_drill_by_time_and_is_read_only() -> None:
    """Replaying to T+5:00 shows that moment's alerts and channel; commands are refused."""
    header, events, _ = read_replay(GOOD_LOG)
    app = make_replay_app(header, events, path=str(GOOD_LOG), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await advance_to(pilot, app, 300)
        assert app.screen.query_one(AlertList).row_count >= 1
        lines = [line.text for line in app.screen.query_one(IncidentChannel).lines]
        assert any("/sev 2" in line for line in lines)
        assert not any("/resolve" in line for line in lines)
        console = console_of(app)
        console.run_command("/ack")
        assert console.feed.submit("/ack") is None
        await advance_to(pilot, app, 10_000)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
    assert app.return_value is None


@sync
async def test_replay_reveals_ground_truth_that_play_hides() -> None:
    """The replay channel marks impact start (truth); the live console never shows it."""
    header, events, _ = read_replay(GOOD_LOG)
    app = make_replay_app(header, events, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await advance_to(pilot, app, 200)
        lines = [line.text for line in app.screen.query_one(IncidentChannel).lines]
        assert any("impact begins" in line for line in lines)


@pytest.mark.slow
@sync
async def test_live_console_hides_ground_truth(tmp_path: Path) -> None:
    """While playing, fault and impact events stay out of the channel."""
    from tests.tui.helpers import console_app

    app = console_app(tmp_path / "d.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await advance_to(pilot, app, 400)
        await command(pilot, "/note looking")
        lines = [line.text for line in app.screen.query_one(IncidentChannel).lines]
        assert not any("impact" in line or "fault" in line for line in lines)


def test_play_rejects_bad_flags_with_exit_2(tmp_path: Path) -> None:
    """Bad --speed, an unknown scenario, or --resume with --seed exit 2 with a clear message."""
    runner = CliRunner()
    speed = runner.invoke(main, ["play", "checkout-bad-deploy", "--speed", "3"])
    assert speed.exit_code == 2
    assert "'3' is not one of" in speed.output
    missing = runner.invoke(main, ["play", "no-such-drill"])
    assert missing.exit_code == 2
    assert "no shipped scenario" in missing.output
    mixed = runner.invoke(main, ["play", "--resume", str(GOOD_LOG), "--seed", "3"])
    assert mixed.exit_code == 2
    assert "--resume continues a logged drill" in mixed.output
    role = runner.invoke(main, ["play", "--role", "boss"])
    assert role.exit_code == 2


def test_resuming_a_finished_drill_or_replaying_garbage_exits_2(tmp_path: Path) -> None:
    """--resume on an ended drill and replay of a non-log are clean errors, not tracebacks."""
    runner = CliRunner()
    finished = runner.invoke(main, ["play", "--resume", str(GOOD_LOG)])
    assert finished.exit_code == 2
    assert "already ended" in finished.output
    garbage = tmp_path / "x.jsonl"
    garbage.write_text("not a log\n")
    replayed = runner.invoke(main, ["replay", str(garbage)])
    assert replayed.exit_code == 2
    assert "header" in replayed.output


def test_gameday_run_does_not_import_textual() -> None:
    """The CLI module loads play/replay lazily, so headless commands stay fast."""
    import subprocess
    import sys

    code = "import sys, tui.cli.main; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
