"""What a drill's game rules share: the state of the world, a way to emit events, the clock.

Every rule (commands, paging, noise, injects, teammates, the coach) is handed a
:class:`DrillParts`, not the session: the mutable :class:`DrillState`, the
:class:`Emit` function that stamps, logs and publishes an event, and the SimPy
environment. That is what SimPy processes get (``env`` and their resources), and it
keeps the rules from reaching into each other through the session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import simpy

from simulator.drill.alerting import Alert
from simulator.drill.health import FaultState, ServiceMetrics
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.scenario.model import Scenario


class Emit(Protocol):
    """Stamp an event with the current time, log it and publish it."""

    def __call__(self, type_: EventType, /, **data: Any) -> Event:
        """The event as logged."""
        ...


Perform = Callable[[str, str, str], None]
"""A simulated person runs a command: (text, person, role)."""


@dataclass
class Page:
    """A notification to a person about an alert group."""

    id: str
    alert: Alert
    to: str
    level: int
    sent_at: float
    acknowledged_by: str | None = None


@dataclass
class DrillState:
    """The world as the game rules see it; the session owns it, the rules read and change it."""

    scenario: Scenario
    faults: list[FaultState]
    events: list[Event] = field(default_factory=list)
    """Everything logged so far (read-only for the rules: they emit, never append)."""
    flags: dict[str, str] = field(default_factory=dict)
    severity: int | None = None
    pages: list[Page] = field(default_factory=list)
    last_metrics: dict[str, ServiceMetrics] = field(default_factory=dict)
    last_update_at: float | None = None
    replied_at: dict[str, float] = field(default_factory=dict)
    """When each stakeholder (by name) last got a direct ``/reply``."""
    approvals: set[str] = field(default_factory=set)
    """Risky levers the IC approved (``failover us-east-1``), for the Tech Lead to apply."""
    impact_open: bool = False
    ended: bool = False
    applied_mitigations: list[str] = field(default_factory=list)
    """Ids of the scenario's mitigations that took effect, in order."""
    mitigations_in_progress: int = 0
    known: set[str] = field(default_factory=set)
    """Ids of the mitigations the team knows of (v2: revealed by findings; v1: all)."""
    chained_pending: int = 0
    """Faults an event has already set off that have not started yet (an inject's delay):
    the impact is not mitigated while one is on its way (v2)."""

    def __post_init__(self) -> None:
        self.known = {m.id for m in self.scenario.mitigations if m.known or not self.v2}

    @property
    def v2(self) -> bool:
        """Whether the scenario plays by the v2 rules."""
        return self.scenario.v2

    def felt_service(self) -> str:
        """The service customers feel most right now: the one people ask about.

        Customers meet the entry points (services nothing else depends on), not the
        database behind them; across a cascade the same users show up on several
        services, so it is the entry point with the most users affected. Before any
        impact, the first fault's target.
        """
        metrics = self.last_metrics
        entries = set(self.scenario.entry_points())
        felt = [n for n in metrics if metrics[n].users_affected > 0]
        felt = [n for n in felt if n in entries] or felt
        if felt:
            return max(felt, key=lambda n: metrics[n].users_affected)
        return self.scenario.faults[0].target

    def first(self, type_: EventType) -> Event | None:
        """The first event of a type, if any."""
        return next((e for e in self.events if e.type == type_), None)

    @property
    def mitigated(self) -> bool:
        """Whether the impact has been mitigated."""
        return self.first("impact.mitigated") is not None


@dataclass(frozen=True)
class DrillParts:
    """The narrow parts a game rule gets: the clock, the state, a way to emit."""

    env: simpy.Environment
    state: DrillState
    emit: Emit

    @property
    def now(self) -> float:
        """Simulated seconds since the drill started."""
        return float(self.env.now)

    def post(self, channel: str, sender: str, text: str, *, kind: str, **extra: Any) -> Event:
        """A message appears in a channel (incident, support, stakeholders)."""
        return self.emit(
            "message.posted", channel=channel, sender=sender, text=text, kind=kind, **extra
        )
