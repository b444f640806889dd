"""Where the console's events come from: a live engine, or a finished log played back.

The console only needs "advance to t" and "what happened since I last asked", so
the same screen and widgets serve ``gameday play`` (a :class:`LiveFeed` over a
:class:`~simulator.engine.DrillSession`) and ``gameday replay`` (a
:class:`ReplayFeed` over logged events, no engine at all).
"""

from __future__ import annotations

from typing import Any, Protocol

from simulator.drill.session import DrillSession
from simulator.log.events import Event


class Reply(Protocol):
    """The answer to a command: the engine's, or a remote host's."""

    @property
    def accepted(self) -> bool:
        """Whether the command was applied."""

    @property
    def message(self) -> str:
        """What to tell the player."""


class DrillFeed(Protocol):
    """What the console reads from and (when live) writes to."""

    header: dict[str, Any]
    replay: bool
    read_only: str | None
    """Why commands are refused here (a replay, the facilitator), or None."""
    reveal_truth: bool
    """Show the scenario's ground truth (replays and the facilitator)."""
    welcome: str | None
    """What the console says first, when not the usual hint."""

    @property
    def now(self) -> float:
        """Simulated seconds since the drill started."""

    @property
    def ended(self) -> bool:
        """Whether the drill is over (or the replay has shown every event)."""

    def advance(self, until: float) -> None:
        """Move simulated time forward to ``until``."""

    def take(self) -> list[Event]:
        """Events that happened since the last call (all of them on the first)."""

    def submit(self, text: str) -> Reply | None:
        """Hand a command to the engine; None when the feed is read-only."""

    def answers(self) -> list[Reply]:
        """Replies and notices that arrived since the last call (remote play)."""

    def pace(self) -> tuple[int, bool] | None:
        """``(speed, paused)`` when someone else runs the clock, else None."""

    def share_clock(self, speed: int, paused: bool) -> None:
        """The console's clock changed (a host passes it on to its players)."""

    def seat(self) -> tuple[str, str] | None:
        """``(name, role)`` of who plays at this console; None for a facilitator or watcher."""

    def presence(self) -> dict[str, bool] | None:
        """Each player's name and whether they are connected (a host), else None."""

    async def start(self) -> None:
        """Run the feed's own I/O, if any, for as long as the app runs."""

    def roles(self) -> dict[str, str]:
        """Who holds which role right now, as far as the feed knows."""

    def people(self) -> list[str]:
        """Everyone a role can be given to or a page sent to."""

    def events(self) -> list[Event]:
        """Every event so far (for the debrief)."""

    @property
    def log_path(self) -> str | None:
        """The session log file, if any."""

    def close(self) -> None:
        """Stop writing (the drill can be resumed later)."""


class _LocalClock:
    """Feeds whose clock is the console's own, with nobody to tell about it."""

    header: dict[str, Any]

    def seat(self) -> tuple[str, str] | None:
        """The trainee the log names."""
        return str(self.header.get("trainee", "trainee")), str(self.header.get("role", "ic"))

    def presence(self) -> dict[str, bool] | None:
        """Nobody connects to a local drill."""
        return None

    def answers(self) -> list[Reply]:
        """Nothing arrives on its own."""
        return []

    def pace(self) -> tuple[int, bool] | None:
        """The console runs the clock."""
        return None

    def share_clock(self, speed: int, paused: bool) -> None:
        """Nobody else follows it."""

    async def start(self) -> None:
        """No I/O of its own."""


class LiveFeed(_LocalClock):
    """A drill being played: the engine runs, commands go in, events come out."""

    replay = False
    read_only: str | None = None
    reveal_truth = False
    welcome: str | None = None

    def __init__(self, session: DrillSession) -> None:
        self.session = session
        self.header = session.header
        self._taken = 0
        self._levers: tuple[int, list[str]] | None = None

    @property
    def now(self) -> float:
        """The engine's clock."""
        return self.session.now

    @property
    def ended(self) -> bool:
        """The engine says so."""
        return self.session.ended

    def advance(self, until: float) -> None:
        """Run the engine."""
        self.session.advance(until)

    def take(self) -> list[Event]:
        """The session's events we have not shown yet."""
        fresh = self.session.events[self._taken :]
        self._taken = len(self.session.events)
        return fresh

    def submit(self, text: str) -> Reply | None:
        """The trainee's command, as their role."""
        return self.session.submit(text)

    def roles(self) -> dict[str, str]:
        """The engine's role table (it includes a simulated IC the log does not name)."""
        return dict(self.session.team.roles)

    def people(self) -> list[str]:
        """The team as the engine knows it."""
        return [p.name for p in self.session.team.people.values()]

    def events(self) -> list[Event]:
        """Everything so far."""
        return list(self.session.events)

    def known_investigations(self) -> list[str]:
        """What the team knows it can look at (the engine's world model)."""
        return self.session.known_investigations()

    def known_mitigations(self) -> list[str]:
        """The levers the team knows of now (recomputed only when something happened)."""
        key = len(self.session.events)
        if self._levers is None or self._levers[0] != key:
            self._levers = (key, self.session.known_mitigations())
        return self._levers[1]

    @property
    def log_path(self) -> str | None:
        """Where the engine writes."""
        writer = self.session.writer
        return str(writer.path) if writer is not None else None

    def close(self) -> None:
        """Close the log without ending the drill, so ``--resume`` can continue it."""
        self.session.close()


class ReplayFeed(_LocalClock):
    """A logged drill shown again by simulated time; read-only."""

    replay = True
    read_only: str | None = "Replay: read-only."
    reveal_truth = True
    welcome: str | None = None

    def seat(self) -> tuple[str, str] | None:
        """The trainee of a solo drill; nobody in particular for a team's."""
        return None if self.header.get("players") else super().seat()

    def __init__(
        self, header: dict[str, Any], events: list[Event], path: str | None = None
    ) -> None:
        self.header = header
        self._events = events
        self._path = path
        self._now = 0.0
        self._shown = 0
        self._taken = 0
        self._end = events[-1].t if events else 0.0

    @property
    def now(self) -> float:
        """The replay clock."""
        return self._now

    @property
    def ended(self) -> bool:
        """Every event has been shown."""
        return self._shown >= len(self._events)

    def advance(self, until: float) -> None:
        """Show the events up to ``until``."""
        self._now = min(max(self._now, until), self._end)
        while self._shown < len(self._events) and self._events[self._shown].t <= self._now:
            self._shown += 1

    def take(self) -> list[Event]:
        """Events revealed since the last call."""
        fresh = self._events[self._taken : self._shown]
        self._taken = self._shown
        return fresh

    def submit(self, text: str) -> None:
        """Replays are read-only."""
        return None

    def roles(self) -> dict[str, str]:
        """Roles as the log has them so far (the console folds role.assigned itself)."""
        return {}

    def people(self) -> list[str]:
        """The scenario's team and the trainee."""
        team = [m["name"] for m in self.header.get("scenario", {}).get("team", [])]
        return [str(self.header.get("trainee", "trainee")), *team]

    def events(self) -> list[Event]:
        """The events shown so far."""
        return self._events[: self._shown]

    @property
    def log_path(self) -> str | None:
        """The log being replayed."""
        return self._path

    def close(self) -> None:
        """Nothing to close."""
