"""What a responder can know and do about the scenario: commands for its levers, clue queries.

The simulated teammates and the command rules both need the slash command that
applies a scenario mitigation, and the simulated Tech Lead proposes the one that
fixes an active fault; this module answers both from the scenario and the drill's
state, without the rules that carry commands out.
"""

from __future__ import annotations

from simulator.drill.conditions import missing
from simulator.drill.state import DrillState
from simulator.log.events import Event
from simulator.scenario.model import Mitigation, Scenario


def command_for(mit: Mitigation) -> str:
    """The slash command that applies ``mit``."""
    if mit.action == "rollback":
        return f"/rollback {mit.service}"
    if mit.action == "restart":
        return f"/restart {mit.service}"
    if mit.action == "scale":
        return f"/scale {mit.service} {mit.min_replicas}"
    if mit.action == "flag":
        return f"/flag {mit.flag} {mit.state}"
    if mit.action == "failover":
        return f"/failover {mit.region}"
    if mit.action == "shift_traffic":
        return f"/shift-traffic {mit.from_region} {mit.to_region}"
    return f"/mitigate {mit.command or mit.id}"


def fixing_command(state: DrillState) -> tuple[str, str] | None:
    """The command of a mitigation that fixes an active fault, and why, for proposals."""
    for fault in state.faults:
        if not fault.active:
            continue
        for mit_id in fault.fault.responses:
            if mit_id not in state.known:  # v2: only what the team has evidence for
                continue
            if fault.fault.response_to(mit_id, fault.applications.get(mit_id, 0)) == "fixes":
                mit = next(m for m in state.scenario.mitigations if m.id == mit_id)
                if mit.requires is not None and state.v2 and missing(state, mit.requires):
                    continue
                why = mit.description or "It should stop the bleeding."
                return command_for(mit), why
    return None


def clue_queries(scenario: Scenario) -> list[str]:
    """Investigation queries that reveal a clue."""
    return [i.query for i in scenario.investigations if any(f.kind == "clue" for f in i.findings)]


def clue_found(events: list[Event]) -> bool:
    """Whether an investigation has turned up a clue: the evidence a fix can rest on."""
    return any(
        f.get("kind") == "clue"
        for e in events
        if e.type == "investigation.completed"
        for f in e["findings"]
    )
