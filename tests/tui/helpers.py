"""Shared helpers for the TUI tests: build apps through the same factories as the CLI."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from simulator.drill.session import DrillSession
from simulator.scenario.loader import SHIPPED_DIR, load_scenario_file
from tui.app import GamedayApp, PlayOptions, make_app
from tui.screens.console import ConsoleScreen
from tui.widgets.commandline import CommandLine
from tui.widgets.footer import KeyFooter

P = ParamSpec("P")
CHECKOUT = SHIPPED_DIR / "checkout-bad-deploy.yaml"
DATA = Path(__file__).resolve().parent.parent / "data"


def checkout_session(log_path: Path | None = None, *, role: str = "ic") -> DrillSession:
    """The bad-deploy drill at seed 7, as ``gameday play checkout-bad-deploy --seed 7``."""
    loaded = load_scenario_file(CHECKOUT)
    return DrillSession(
        loaded.scenario, seed=7, role=role, log_path=log_path, scenario_hash=loaded.content_hash
    )


def console_app(log_path: Path | None = None, *, role: str = "ic") -> GamedayApp:
    """An app already at the console, with the clock stopped (tests advance time)."""
    session = checkout_session(log_path, role=role)
    return make_app(PlayOptions(seed=7, role=role, session=session), clock=False)


def console_of(app: App[Any]) -> ConsoleScreen:
    """The console screen (fails the test if the drill has not started)."""
    assert isinstance(app, GamedayApp)
    console = app.console_screen
    assert console is not None, "the console is not open"
    return console


async def command(pilot: Pilot[Any], text: str) -> None:
    """Type a command at the prompt and press enter, as a trainee would."""
    prompt = pilot.app.screen.query_one(CommandLine)
    prompt.focus()
    prompt.value = text
    await pilot.press("enter")
    await pilot.pause()


async def advance_to(pilot: Pilot[Any], app: App[Any], t: float) -> None:
    """Run the drill up to simulated time ``t`` through the console's own clock path."""
    console = console_of(app)
    console.advance_by(max(0.0, t - console.feed.now))
    await pilot.pause()


def sync(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async Pilot test with asyncio.run (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def footer_keys(screen: Screen[Any]) -> set[str]:
    """The descriptions the key bar shows now, read from its rendered keys.

    Queried by CSS type (``FooterKey``): its class is private to Textual, so the
    test reads what the user sees rather than the widget's attributes.
    """
    footer = screen.query_one(KeyFooter)
    shown: set[str] = set()
    for key in footer.query("FooterKey"):
        text = str(key.render()).strip()
        shown.add(text.split(maxsplit=1)[-1] if " " in text else text)
    return shown
