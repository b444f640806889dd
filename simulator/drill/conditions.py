"""Whether a state of the drill holds: a mitigation's ``requires``, an inject's ``when``.

One reading of a :class:`~simulator.scenario.model.Condition` for both, from the
drill's state alone (faults, the latest metrics, what the team knows), so a
precondition and an inject agree on what "healthy" means.
"""

from __future__ import annotations

from simulator.drill.state import DrillState
from simulator.scenario.model import Condition


def within_slo(state: DrillState, service: str) -> bool:
    """Whether ``service``'s latest error rate and p99 latency are within its SLO."""
    m = state.last_metrics.get(service)
    if m is None:
        return True
    slo = state.scenario.service(service).slo
    return m.error_rate <= 1.0 - slo.availability and m.latency_p99_ms <= slo.latency_p99_ms


def missing(state: DrillState, cond: Condition) -> str | None:
    """What of ``cond`` does not hold now, in words; None when all of it holds."""
    faults = {f.fault.id: f for f in state.faults}
    for fid in cond.fixed:
        if faults[fid].fixed_at is None:
            return f"{fid} is not fixed yet"
    for fid in cond.active:
        if not faults[fid].active:
            return f"{fid} is not happening"
    for name in cond.healthy:
        if not within_slo(state, name):
            return f"{name} is not healthy yet"
    for name in cond.failing:
        if within_slo(state, name):
            return f"{name} is healthy"
    for mit in cond.known:
        if mit not in state.known:
            return f"nobody knows of {mit} yet"
    return None
