"""A drill nobody responds to, as a history of the alerts it fires.

``gameday oncall test --scenario`` pages an on-call policy with the alerts a drill
scenario raises. Those are the engine's to say: the scenario is played headless
with no commands, so every fault runs its course and every alert fires as it would
before anyone acts. Returned as plain records, so the on-call simulation reads them
without knowing the drill.
"""

from __future__ import annotations

from simulator.drill.session import DrillSession
from simulator.scenario.model import Scenario

STILL_FIRING_FOR = 1800.0
"""An alert still firing when the drill ends is taken to last this much longer (s)."""


def unattended_alerts(
    scenario: Scenario, seed: int = 0
) -> tuple[list[tuple[float, str, dict[str, str]]], list[float]]:
    """``(alerts, durations)``: each alert fired (not silenced) as ``(t, service, labels)``
    in firing order, and how long each lasted, in seconds."""
    session = DrillSession(scenario, seed=seed)
    try:
        session.run_script(())
    finally:
        session.close()
    fired: dict[str, tuple[float, str, dict[str, str]]] = {}
    ended: dict[str, float] = {}
    for event in session.events:
        if event.type == "alert.fired" and not event.get("silenced"):
            labels = {str(k): str(v) for k, v in dict(event.get("labels") or {}).items()}
            fired[event["alert"]] = (event.t, str(event["service"]), labels)
        elif event.type == "alert.resolved":
            ended[event["alert"]] = event.t
    last = session.now + STILL_FIRING_FOR
    durations = [ended.get(key, last) - at for key, (at, _, _) in fired.items()]
    return list(fired.values()), durations
