"""Faults and the impact they cause: start, escalation milestones, responses to mitigations.

The ground truth of a drill is written here: ``fault.*`` and ``impact.*`` events.
A mitigation that reaches a fault gets the fault's scripted response (fixes,
worsens, relieves for a while, no effect); the impact is mitigated once no fault is
active, and over once every fixed fault has recovered.
"""

from __future__ import annotations

import simpy

from simulator.drill.dataloss import DataLedger
from simulator.drill.health import FaultState
from simulator.drill.state import DrillParts
from simulator.scenario.model import Mitigation, Reduces


class FaultLifecycle:
    """Starts faults, marks their milestones and applies mitigations' responses."""

    def __init__(self, parts: DrillParts) -> None:
        self.parts = parts
        self.data = DataLedger(parts)

    def _felt(self, state: FaultState) -> bool:
        """Whether customers feel this fault (v1: every fault counts)."""
        p = self.parts
        return not p.state.v2 or p.state.scenario.reaches_customers(state.fault)

    def start(self, state: FaultState) -> None:
        """Start a fault now (scheduled or injected)."""
        p = self.parts
        if state.started_at is not None:
            return
        state.start(p.now)
        f = state.fault
        p.emit(
            "fault.started",
            fault=f.id,
            kind=f.kind,
            target=f.target,
            region=f.region,
            cascade=f.cascade,
        )
        self.data.start(state)
        if not p.state.impact_open and self._felt(state):
            p.state.impact_open = True
            p.emit("impact.started", fault=f.id, service=f.target)

    def start_at(self, state: FaultState, at: float) -> simpy.events.ProcessGenerator:
        """A SimPy process: start the fault at ``at``."""
        yield self.parts.env.timeout(at)
        self.start(state)

    def milestones(self, t: float) -> None:
        """Log each active fault reaching half and full strength."""
        for state in self.parts.state.faults:
            if not state.active:
                continue
            level = state.level(t)
            for mark in (50, 100):
                if level * 100 >= mark - 1e-9 and mark not in state.milestones:
                    state.milestones.add(mark)
                    self.parts.emit(
                        "fault.escalated",
                        fault=state.fault.id,
                        level=round(level, 3),
                        milestone=mark,
                    )

    def respond(self, mit: Mitigation, action: str, target: str) -> dict[str, str]:
        """Each active fault's response to a mitigation that just took effect."""
        p = self.parts
        effects: dict[str, str] = {}
        for state in p.state.faults:
            if not state.active:
                continue
            loss = state.fault.data_loss
            if loss is not None and mit.id in loss.stopped_by and self.data.losing(state.fault.id):
                self.data.stop(state.fault.id)
                effects[state.fault.id] = "loss_stopped"
            count = state.applications.get(mit.id, 0)
            response = state.fault.response_to(mit.id, count)
            if response is None:
                continue
            state.applications[mit.id] = count + 1
            if response == "no_effect":
                continue
            fid = state.fault.id
            if response == "fixes":
                self._fix(state, mit.id)
                effects[fid] = "fixed"
            elif isinstance(response, Reduces):
                effects[fid] = self._reduce(state, mit.id, response)
            elif response == "worsens":
                state.worsened()
                effects[fid] = "worsened"
                p.emit("fault.worsened", fault=fid, by=mit.id, factor=state.worsen)
            else:
                state.relieve(p.now, response.relieves, response.to)
                effects[fid] = "relieved"
                p.emit(
                    "fault.relieved",
                    fault=fid,
                    by=mit.id,
                    until=round(p.now + response.relieves, 3),
                    level=response.to,
                    then=response.then,
                )
                if response.then == "fixes":
                    until = p.now + response.relieves
                    p.env.process(self._settle(state, mit, action, target, until))
        return effects

    def _fix(self, state: FaultState, by: str, recovery: float | None = None) -> None:
        """Fix a fault; v2: one made worse than its peak takes that much longer to recover
        (a deeper backlog to drain, more retries to shed): recovery times its strength."""
        p = self.parts
        level = state.level(p.now)
        if p.state.v2 and level > 1.0:
            recovery = (state.recovery_time if recovery is None else recovery) * level
        state.fix(p.now, recovery)
        p.emit("fault.fixed", fault=state.fault.id, by=by)
        self.data.stop(state.fault.id)

    def _reduce(self, state: FaultState, by: str, response: Reduces) -> str:
        """A partial fix; a full one (``reduces: 1``) fixes it, ramping over ``over``."""
        if response.reduces >= 1.0:
            self._fix(state, by, response.over or None)
            return "fixed"
        state.reduce(self.parts.now, response.reduces, response.over)
        return "reduced"

    def mitigated_if_done(self, mit: Mitigation | None, action: str, target: str) -> None:
        """Log that the impact is mitigated once no fault is active any more.

        v2: once no customer-facing fault is active and no chained fault is on its way,
        so a fix between two chained faults is not the end of the customers' trouble.
        """
        p = self.parts
        active = [st for st in p.state.faults if st.active and self._felt(st)]
        if p.state.v2 and p.state.chained_pending:
            return
        if p.state.impact_open and not active:
            p.emit("impact.mitigated", by=mit.id if mit else None, action=action, target=target)
            p.env.process(self._impact_over())

    def _settle(
        self, state: FaultState, mit: Mitigation, action: str, target: str, until: float
    ) -> simpy.events.ProcessGenerator:
        """A relief that ``then: fixes``: when it wears off, the fault is over."""
        p = self.parts
        yield p.env.timeout(until - p.now)
        later_relief = state.relieved_until is not None and state.relieved_until > until
        if p.state.ended or not state.active or later_relief:
            return
        self._fix(state, mit.id)
        self.mitigated_if_done(mit, action, target)

    def _impact_over(self) -> simpy.events.ProcessGenerator:
        """After a fix, wait for recovery; close the impact episode when all is well."""
        p = self.parts
        faults = [s for s in p.state.faults if self._felt(s)]
        pending = [s.fixed_at + s.recovery_time for s in faults if s.fixed_at is not None]
        wait = max(pending, default=p.now) - p.now
        yield p.env.timeout(max(0.0, wait))
        if p.state.impact_open and all(s.started_at is None or s.recovered(p.now) for s in faults):
            p.state.impact_open = False
            p.emit("impact.ended")
