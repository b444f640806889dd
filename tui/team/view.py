"""What a player or watcher may be sent: the drill as seen from a seat, never its answer key.

The host holds the whole record; a client's screen hid the ground truth, but anything
on the wire can be read by whoever holds the socket. So the host sends each client a
*view*: the scenario without its truth, fault list, scripted injects or findings'
labels, and the events without the ground truth (what the faults and the impact really
do), without which findings are clues or red herrings and without what a mitigation
did to each fault. The facilitator's console reads the session itself and sees all.

Once the drill is over the answer is no longer a spoiler: the host then sends the full
record (:func:`full_record`) so every client can open the same debrief.
"""

from __future__ import annotations

from typing import Any

from simulator.log.events import GROUND_TRUTH_EVENTS, Event

SCENARIO_KEPT = (
    "apiVersion",
    "kind",
    "metadata",
    "services",
    "flags",
    "alerts",
    "mitigations",
    "stakeholders",
    "team",
    "oncall",
)
"""What a player's console needs from the scenario: names to complete and to draw.
Faults, scripted injects and the truth are the answer; investigations keep only their
queries (their findings say which are clues)."""


def scenario_view(scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario as a seat may see it: no truth, no faults (nor their responses),
    no scripted injects, investigations without their findings."""
    view = {k: v for k, v in scenario.items() if k in SCENARIO_KEPT}
    view["faults"] = []
    view["investigations"] = [
        {k: v for k, v in inv.items() if k in ("query", "takes")}
        for inv in scenario.get("investigations", [])
    ]
    return view


def header_view(header: dict[str, Any]) -> dict[str, Any]:
    """The log header a seat is welcomed with: its scenario is :func:`scenario_view`'s."""
    return {**header, "scenario": scenario_view(dict(header.get("scenario", {})))}


def event_view(event: Event) -> dict[str, Any] | None:
    """``event`` as a seat may see it (JSON), or None when it must not leave the host."""
    if event.type in GROUND_TRUTH_EVENTS:
        return None
    data = event.to_json()
    if event.type == "investigation.completed":
        data["findings"] = [{"text": f.get("text", "")} for f in event.get("findings", [])]
    elif event.type == "mitigation.applied":
        data["effects"] = {}
    elif event.type == "drill.ended":
        data["impact_ongoing"] = None
    return data


def full_record(header: dict[str, Any], events: list[Event]) -> dict[str, Any]:
    """The whole drill, truth included: sent to everyone once it has ended, for the debrief."""
    return {"header": header, "events": [e.to_json() for e in events]}
