"""Pilot tests of the solo clock: the fast-forward to the first page, and the speed
a resumed drill comes back at."""

from __future__ import annotations

from pathlib import Path

from simulator.drill.resume import read_replay
from simulator.log.jsonl import comparable_lines, read_log
from simulator.scenario.loader import load_scenario_file
from tests.tui.helpers import CHECKOUT, DATA, checkout_session, command, console_of, sync
from tui.app import PlayOptions, make_app, make_replay_app
from tui.cli.play import resume_options
from tui.screens.clock import FAST_FORWARD, FAST_FORWARD_STEP, TICK
from tui.screens.forms import HelpScreen
from tui.screens.setup import BriefingScreen
from tui.widgets.channel import IncidentChannel
from tui.widgets.header import ConsoleHeader

FIRST_PAGE = 240.0
"""When checkout-bad-deploy at seed 7 first pages the on-call."""


def _header(app: object) -> str:
    console = console_of(app)  # type: ignore[arg-type]
    return str(console.query_one(ConsoleHeader).render())


@sync
async def test_the_drill_fast_forwards_to_the_first_page_then_runs_at_the_chosen_speed(
    tmp_path: Path,
) -> None:
    """Four quiet minutes pass in a few wall seconds, shown as such; the clock stops at
    the page itself and then runs at the speed asked for."""
    app = make_app(
        PlayOptions(seed=7, role="ic", speed=5, session=checkout_session(tmp_path / "d.jsonl")),
        clock=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        assert console.fast_forwarding
        assert "fast-forwarding to the first page" in _header(app)
        ticks = 0
        while console.picture.first_page_at is None and ticks < 1000:
            console.tick()
            ticks += 1
        await pilot.pause()
        # At 1x this would be 1200 ticks (four minutes of wall time).
        assert ticks <= FIRST_PAGE / (TICK * FAST_FORWARD) + 1
        assert console.picture.first_page_at == FIRST_PAGE
        # It stops within one step of the page (the engine runs events at t in the step after t).
        assert FIRST_PAGE <= console.feed.now <= FIRST_PAGE + FAST_FORWARD_STEP
        paged_at = console.feed.now
        assert not console.fast_forwarding
        assert "▶ 5x" in _header(app) and "fast-forwarding" not in _header(app)
        lines = [line.text for line in console.query_one(IncidentChannel).lines]
        assert any("first page" in line and "5x" in line for line in lines)
        console.tick()
        assert console.feed.now == paged_at + TICK * 5


@sync
async def test_fast_forward_changes_the_pacing_never_the_events(tmp_path: Path) -> None:
    """The log of a fast-forwarded start equals the engine run straight to the same time."""
    app = make_app(
        PlayOptions(seed=7, role="ic", session=checkout_session(tmp_path / "ff.jsonl")),
        clock=False,
    )
    async with app.run_test(size=(120, 40)):
        console = console_of(app)
        while console.fast_forwarding:
            console.tick()
        console.advance_by(600 - console.feed.now)
        await app.action_quit()
    straight = checkout_session(tmp_path / "straight.jsonl")
    straight.advance(600)
    straight.close()
    ff = (tmp_path / "ff.jsonl").read_text().splitlines()
    plain = (tmp_path / "straight.jsonl").read_text().splitlines()
    assert len(ff) == len(plain) > 10
    assert comparable_lines(ff) == comparable_lines(plain)


@sync
async def test_the_player_can_take_the_clock_during_the_fast_forward() -> None:
    """F4 ends the fast-forward at the next speed up; help holds it, closing resumes it;
    a command ends it too."""
    app = make_app(PlayOptions(seed=7, role="ic", session=checkout_session()), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        console.tick()
        assert console.feed.now == 0.0
        await pilot.press("escape")
        assert console.fast_forwarding and not console.paused
        console.tick()
        assert console.feed.now == TICK * FAST_FORWARD
        await pilot.press("f4")
        assert not console.fast_forwarding and console.speed == 2
        assert "▶ 2x" in _header(app)
        console.tick()
        assert console.feed.now == TICK * FAST_FORWARD + TICK * 2

    app = make_app(PlayOptions(seed=7, role="ic", session=checkout_session()), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        console = console_of(app)
        await command(pilot, "/note quiet so far")
        assert not console.fast_forwarding and "▶ 1x" in _header(app)


@sync
async def test_replays_do_not_fast_forward() -> None:
    """A replay keeps its own pace from the first second (team consoles are built the
    same way, from a feed, and keep the host's clock)."""
    header, events, _ = read_replay(DATA / "checkout-good-seed7.jsonl")
    app = make_replay_app(header, events, speed=10, clock=False)
    async with app.run_test(size=(120, 40)):
        assert not console_of(app).fast_forwarding
        assert "▶ 10x" in _header(app)


@sync
async def test_the_started_drill_logs_its_speed_and_resume_comes_back_at_it(
    tmp_path: Path,
) -> None:
    """`gameday play --speed 10` writes ``wall_speed``; `--resume` restores 10x, `--speed`
    overrides it, and the resumed log still matches the original byte for byte."""
    log = tmp_path / "d.jsonl"
    loaded = load_scenario_file(CHECKOUT)
    app = make_app(
        PlayOptions(seed=7, scenario=loaded, role="ic", speed=10, log_path=log), clock=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        console = console_of(app)
        console.advance_by(300)
        await command(pilot, "/ack")
        await pilot.press("f3")  # changes during play are not logged: the start speed is
        await pilot.press("ctrl+q")
    assert read_log(log).header["wall_speed"] == 10
    before = log.read_text().splitlines()

    options = resume_options(log)
    assert not log.with_name(log.name + ".before-resume").exists()
    assert options.session is not None and options.speed == 10
    resumed = make_app(options, clock=False)
    async with resumed.run_test(size=(120, 40)):
        console = console_of(resumed)
        assert console.speed == 10 and not console.fast_forwarding  # already paged
        assert "▶ 10x" in _header(resumed)
        start = console.feed.now
        console.tick()
        assert console.feed.now == start + TICK * 10
        await resumed.action_quit()
    after = log.read_text().splitlines()
    assert after[0] == before[0]  # the original header, wall fields included
    assert comparable_lines(after[: len(before)]) == comparable_lines(before)

    options = resume_options(log, speed=2)
    try:
        assert options.speed == 2
    finally:
        assert options.session is not None
        options.session.close()


def test_logs_from_before_wall_speed_resume_at_1x(tmp_path: Path) -> None:
    """A log without ``wall_speed`` (or with a hand-edited one) resumes at 1x."""
    log = tmp_path / "old.jsonl"
    session = checkout_session(log)
    session.advance(100)
    session.close()
    assert "wall_speed" not in read_log(log).header
    options = resume_options(log)
    assert options.session is not None
    options.session.close()
    assert options.speed == 1
