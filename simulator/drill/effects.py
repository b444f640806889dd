"""The shape of a command rule: check a parsed command now, return the effect to carry out.

A rule (one per command, in :mod:`.mobilise`, :mod:`.investigations`,
:mod:`.mitigations`, :mod:`.communicate`) raises ``CommandError`` when the command
names something the scenario does not have, and otherwise returns an
:data:`Effect`: what happens when a person carries the command out, now or after
a hand-off. Rules get a :class:`CommandContext`, the narrow parts they act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.drill.alerting import AlertBook
from simulator.drill.commands import Command, CommandError
from simulator.drill.faults import FaultLifecycle
from simulator.drill.health import HealthModel
from simulator.drill.state import DrillParts
from simulator.drill.team import Team
from simulator.validation import did_you_mean

Effect = Callable[[str, str], str]
"""Carries a command out as (person, role); returns what happened, for the front end."""


@dataclass(frozen=True)
class CommandContext:
    """What command rules act on: the drill's parts plus the team, alerts, health, faults."""

    parts: DrillParts
    team: Team
    alerts: AlertBook
    health: HealthModel
    faults: FaultLifecycle
    end: Callable[[str], None]
    """End the drill with a reason (``/resolve``)."""
    trainee: str

    def service(self, name: str) -> str:
        """``name`` if the scenario has that service; else a CommandError with a suggestion."""
        names = [s.name for s in self.parts.state.scenario.services]
        if name not in names:
            raise CommandError(f"unknown service '{name}': {did_you_mean(name, names)}")
        return name

    def region(self, name: str) -> str:
        """``name`` if the scenario has that region; else a CommandError with a suggestion."""
        regions = self.parts.state.scenario.regions()
        if name not in regions:
            raise CommandError(f"unknown region '{name}': {did_you_mean(name, regions)}")
        return name


Rule = Callable[[Command, CommandContext], Effect]
"""Checks one command against the scenario and returns its effect."""
