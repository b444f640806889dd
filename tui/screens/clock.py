"""The console's clock: how fast simulated time runs on the wall, pauses, and the fast
run to the first page.

Only wall pacing lives here: the engine's events depend on simulated time alone, so
a drill played at 30x, paused, or fast-forwarded logs what it would at 1x. When a
team host runs the clock, the console shows the host's pace and refuses to change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.log.events import Event
from tui.widgets.header import Pace

if TYPE_CHECKING:
    from tui.feed import DrillFeed
    from tui.screens.heap import HeapKeeper
    from tui.widgets.picture import IncidentPicture

SPEEDS = (1, 2, 5, 10, 30)
TICK = 0.2
"""Wall seconds between engine advances: smooth enough, cheap enough."""
FAST_FORWARD = 60
"""Simulated seconds per wall second before the first page (solo play): the quiet
minutes before the pager goes off pass in a few seconds."""
FAST_FORWARD_STEP = 1.0
"""Simulated seconds per engine advance while fast-forwarding, so it stops at the page."""


class ClockControls:
    """The clock half of the console screen (a mixin: the screen holds the state)."""

    feed: DrillFeed
    picture: IncidentPicture
    heap: HeapKeeper
    speed: int
    paused: bool
    fast_forward: bool
    _over_announced: bool

    if TYPE_CHECKING:  # what the screen provides

        def absorb(self, events: list[Event]) -> None: ...
        def show_answers(self) -> None: ...
        def refresh_widgets(self, *, force: bool = False) -> None: ...
        def say(self, text: str) -> None: ...
        def show_feedback(self, message: str, *, ok: bool) -> None: ...

    def tick(self) -> None:
        """One timer tick: advance simulated time unless paused or over."""
        if self.feed.pace() is not None:  # a remote host runs the clock: show what came
            self.advance_by(0.0)
        elif not self.paused and not self.feed.ended:
            if self.fast_forwarding:
                self.fast_forward_by(TICK * FAST_FORWARD)
            else:
                self.advance_by(TICK * self.speed)
            self.feed.share_clock(self.speed, self.paused)
        else:  # paused or over, yet a host's players act: keep showing what they do
            fresh = self.feed.take()
            if fresh:
                self.absorb(fresh)
                self.refresh_widgets()
            elif self.feed.ended and not self._over_announced:
                self.absorb([])  # a player's /resolve ended it between two ticks
            self.show_answers()
            self.heap.tick(quiet=True)

    @property
    def fast_forwarding(self) -> bool:
        """Running fast to the first page: nothing has paged yet and nobody took the clock."""
        return self.fast_forward and self.picture.first_page_at is None and not self.feed.ended

    def advance_by(self, seconds: float) -> None:
        """Advance the drill by ``seconds`` of simulated time and redraw (tests call this)."""
        self.feed.advance(self.feed.now + seconds)
        self._advanced(self.feed.take())

    def fast_forward_by(self, seconds: float) -> None:
        """Advance up to ``seconds``, in small steps, stopping at the first page."""
        fresh: list[Event] = []
        end = self.feed.now + seconds
        for _ in range(max(1, round(seconds / FAST_FORWARD_STEP))):
            self.feed.advance(min(end, self.feed.now + FAST_FORWARD_STEP))
            batch = self.feed.take()
            fresh.extend(batch)
            if self.feed.ended or any(e.type == "page.sent" and not e.get("manual") for e in batch):
                break
        self._advanced(fresh)
        if not self.fast_forwarding:
            self.fast_forward = False
            if not self.feed.ended:
                self.say(f"The first page: the clock now runs at {self.speed}x (F3/F4 change it).")

    def _advanced(self, events: list[Event]) -> None:
        """Show where the clock got to and what happened on the way."""
        self.picture.now = max(self.picture.now, self.feed.now)
        self.picture.header_changed = True
        self.absorb(events)
        self.show_answers()
        self.refresh_widgets()
        self.heap.tick()

    def pace(self) -> Pace:
        """The clock as the header shows it: the host's, when a host runs it."""
        remote = self.feed.pace()
        if remote is not None:
            return Pace(remote[0], remote[1])
        return Pace(self.speed, self.paused, self.feed.replay, self.fast_forwarding)

    def _take_the_clock(self) -> None:
        """End a fast-forward: the player chose a speed or started acting."""
        if self.fast_forwarding:
            self.fast_forward = False
            self.picture.header_changed = True

    def _clock_changed(self) -> None:
        self.feed.share_clock(self.speed, self.paused)
        self.picture.header_changed = True
        self.refresh_widgets()

    def action_pause(self) -> None:
        """Stop (or restart) simulated time."""
        if self.feed.pace() is not None:
            self.show_feedback("The host runs the clock.", ok=False)
            return
        self.paused = not self.paused
        self._clock_changed()

    def action_speed(self, step: int) -> None:
        """Next speed up or down: 1x, 2x, 5x, 10x, 30x."""
        if self.feed.pace() is not None:
            self.show_feedback("The host runs the clock.", ok=False)
            return
        self._take_the_clock()
        index = SPEEDS.index(self.speed) + step
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, index))]
        self._clock_changed()
