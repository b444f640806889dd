"""The only door from many-runs code into the drill engine.

Checks use the engine through its public API alone (a session, a script, its events
and summary, the scenario loader). Every such import is in this module, so when the
engine's modules move, one file changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.drill.commands import ScriptEntry, load_script
from simulator.drill.knowledge import command_for
from simulator.drill.session import DrillSession
from simulator.log.events import Event
from simulator.scenario.loader import LoadedScenario, load_scenario
from simulator.scenario.model import Mitigation, Scenario

__all__ = [
    "LoadedScenario",
    "PlayedDrill",
    "ScriptEntry",
    "load_scenario",
    "load_script",
    "mitigation_command",
    "play",
]


@dataclass(frozen=True)
class PlayedDrill:
    """A finished headless drill: its log header, its events and its summary."""

    header: Mapping[str, Any]
    events: Sequence[Event]
    summary: Mapping[str, Any]


def play(scenario: Scenario, entries: Sequence[ScriptEntry], seed: int) -> PlayedDrill:
    """Play ``scenario`` headless with the scripted ``entries``; no log file is written."""
    session = DrillSession(scenario, seed=seed, log_path=None)
    try:
        session.run_script(entries)
    finally:
        session.close()
    return PlayedDrill(session.header, session.events, session.summary())


def mitigation_command(mitigation: Mitigation) -> str:
    """The slash command a responder types to apply ``mitigation``."""
    return command_for(mitigation)
