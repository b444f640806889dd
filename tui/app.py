"""The Textual app: a small composition root wiring the screens of a drill together.

Flow: scenario picker → role → briefing → console → debrief (picker and role are
skipped when given on the command line). ``gameday replay`` starts straight at a
read-only console. Build apps with :func:`make_app` / :func:`make_replay_app`;
the tests use the same factories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.log.events import Event
from simulator.scenario.loader import LoadedScenario, shipped_scenario_paths
from tui.feed import DrillFeed, LiveFeed, ReplayFeed
from tui.screens.console import ConsoleScreen

if TYPE_CHECKING:
    from tui.screens.seat import SeatAttempt
    from tui.screens.setup import ScenarioChoice

# The setup screens and the debrief (Markdown, tabs, the impact chart) are imported
# where they are shown: `gameday play --resume` and `gameday replay` go straight to
# the console, and the console's first frame should not wait for them.


def default_log_path(scenario_id: str, seed: int, log_dir: Path) -> Path:
    """``<dir>/<scenario>-<seed>-<YYYYmmdd-HHMMSS>.jsonl`` (wall clock in the name only)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return log_dir / f"{scenario_id}-{seed}-{stamp}.jsonl"


@dataclass
class PlayOptions:
    """What ``gameday play`` was asked for; unset fields are asked for on screen."""

    seed: int
    scenario: LoadedScenario | None = None
    role: str | None = None
    speed: int = 1
    log_path: Path | None = None
    log_dir: Path = Path("gameday-logs")
    trainee: str = "trainee"
    choices: list[ScenarioChoice] = field(default_factory=list)
    session: DrillSession | None = None
    """An already-running session (``--resume``): goes straight to the console."""
    coach: bool | None = None
    """Hints for late steps; None: on for beginner scenarios."""
    fast_forward: bool = True
    """Run the quiet minutes before the first page fast, then at ``speed``."""


class GamedayApp(App[str | None]):
    """Plays (or replays) one drill; returns the log path on exit."""

    CSS_PATH = "gameday.tcss"
    TITLE = "gameday"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        options: PlayOptions | None = None,
        *,
        feed: DrillFeed | None = None,
        speed: int = 1,
        clock: bool = True,
        paused: bool = False,
        seat_login: SeatAttempt | None = None,
    ) -> None:
        super().__init__()
        self.seat_login = seat_login
        self.options = options
        self.feed = feed
        self.speed = options.speed if options else speed
        self.clock = clock
        self.paused = paused
        self.loaded: LoadedScenario | None = options.scenario if options else None

    def on_mount(self) -> None:
        """Start wherever the command line left off."""
        opts = self.options
        if self.feed is not None:
            self._console()
        elif self.seat_login is not None:
            from tui.screens.seat import TokenScreen

            self.push_screen(TokenScreen(self.seat_login), self._seated)
        elif opts is None:
            self.exit(None)
        elif opts.session is not None:
            self.feed = LiveFeed(opts.session)
            self._console()
        elif self.loaded is None:
            from tui.screens.setup import ScenarioPicker

            self.push_screen(ScenarioPicker(opts.choices), self._picked)
        elif opts.role is None:
            self._ask_role()
        else:
            self._brief()

    def _seated(self, feed: DrillFeed | None) -> None:
        if feed is None:
            self.exit(None)
            return
        self.feed = feed
        self.paused = feed.pace() is None
        self._console()

    def _ask_role(self) -> None:
        from tui.screens.setup import RoleScreen

        self.push_screen(RoleScreen(), self._role_chosen)

    def _picked(self, loaded: LoadedScenario | None) -> None:
        self.loaded = loaded
        assert self.options is not None
        if self.options.role is None:
            self._ask_role()
        else:
            self._brief()

    def _role_chosen(self, role: str | None) -> None:
        assert self.options is not None
        self.options.role = role or "ic"
        self._brief()

    def _brief(self) -> None:
        from tui.screens.setup import BriefingScreen

        opts = self.options
        assert opts is not None and self.loaded is not None
        self.push_screen(
            BriefingScreen(self.loaded, opts.role or "ic", opts.seed, opts.trainee), self._start
        )

    def _start(self, _go: bool | None) -> None:
        opts = self.options
        assert opts is not None and self.loaded is not None
        meta = self.loaded.scenario.metadata
        log_path = opts.log_path or default_log_path(meta.id, opts.seed, opts.log_dir)
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            session = DrillSession(
                self.loaded.scenario,
                seed=opts.seed,
                role=opts.role or "ic",
                trainee=opts.trainee,
                log_path=log_path,
                scenario_hash=self.loaded.content_hash,
                coach=meta.difficulty == "beginner" if opts.coach is None else opts.coach,
                wall_speed=opts.speed,
            )
        except (InputError, OSError) as err:
            from tui.screens.setup import ErrorScreen

            self.push_screen(ErrorScreen(f"Cannot start the drill:\n{err}"))
            return
        self.feed = LiveFeed(session)
        self._console()

    def _console(self) -> None:
        assert self.feed is not None
        self.run_worker(self.feed.start(), name="feed", exit_on_error=False)
        # Solo play only: a replay keeps its own pace and a team host runs its clock.
        fast_forward = self.options is not None and self.options.fast_forward
        self.push_screen(
            ConsoleScreen(
                self.feed,
                speed=self.speed,
                clock=self.clock,
                paused=self.paused,
                fast_forward=fast_forward,
            )
        )

    def show_debrief(self, feed: DrillFeed) -> None:
        """Open the debrief over the console."""
        from tui.screens.debrief import DebriefScreen

        if isinstance(self.screen, DebriefScreen):
            return
        self.push_screen(DebriefScreen(feed.header, feed.events(), feed.log_path))

    @property
    def console_screen(self) -> ConsoleScreen | None:
        """The console screen, once the drill has started."""
        return next((s for s in self.screen_stack if isinstance(s, ConsoleScreen)), None)

    async def action_quit(self) -> None:
        """Close the log (a drill in progress can be resumed) and exit with its path."""
        log = None
        if self.feed is not None:
            self.feed.close()
            log = self.feed.log_path
        self.exit(log if self.feed is not None and not self.feed.replay else None)


def make_app(options: PlayOptions, *, clock: bool = True) -> GamedayApp:
    """The play app; ``clock=False`` keeps time still (tests advance it by hand)."""
    if options.scenario is None and not options.choices and options.session is None:
        from tui.screens.setup import ScenarioChoice

        choices = [ScenarioChoice.read(p) for p in shipped_scenario_paths()]
        options.choices = sorted(choices, key=ScenarioChoice.order)
    return GamedayApp(options, clock=clock)


def make_replay_app(
    header: dict[str, Any],
    events: list[Event],
    *,
    path: str | None = None,
    speed: int = 10,
    clock: bool = True,
) -> GamedayApp:
    """A read-only console that plays a logged drill back by simulated time."""
    return GamedayApp(feed=ReplayFeed(header, events, path), speed=speed, clock=clock)


def make_team_app(feed: DrillFeed, *, speed: int = 1, clock: bool = True) -> GamedayApp:
    """The console of a team drill: the host's (facilitator, clock paused until F2) or a
    player's (``gameday join``)."""
    return GamedayApp(feed=feed, speed=speed, clock=clock, paused=feed.pace() is None)


def make_token_app(attempt: SeatAttempt) -> GamedayApp:
    """A player's console that first asks for the seat's token (the browser seat)."""
    return GamedayApp(seat_login=attempt)
