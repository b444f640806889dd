"""Data a fault loses or corrupts, at a rate, until the fault is fixed or an action stops it.

Lost data stays lost: the ledger only grows, and each fault's total is logged once
as ``data.lost`` when its loss stops (or when the drill ends), so the summary and
the postmortem read it from the log. The amount is computed from times, not summed
per tick, so it does not depend on the evaluation interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.drill.health import FaultState
from simulator.drill.state import DrillParts


@dataclass
class _Loss:
    state: FaultState
    since: float
    stopped_at: float | None = None

    def amount(self, t: float) -> float:
        loss = self.state.fault.data_loss
        assert loss is not None
        end = t if self.stopped_at is None else self.stopped_at
        return loss.at_start + loss.rate * max(0.0, end - self.since) / 60.0


class DataLedger:
    """Each data-losing fault's running loss."""

    def __init__(self, parts: DrillParts) -> None:
        self.parts = parts
        self._losses: dict[str, _Loss] = {}

    def start(self, state: FaultState) -> None:
        """A fault that loses data began now."""
        if state.fault.data_loss is not None and state.fault.id not in self._losses:
            self._losses[state.fault.id] = _Loss(state, self.parts.now)

    def losing(self, fault_id: str) -> bool:
        """Whether the fault is still losing data."""
        loss = self._losses.get(fault_id)
        return loss is not None and loss.stopped_at is None

    def stop(self, fault_id: str) -> None:
        """The loss stops now; its total is logged."""
        loss = self._losses.get(fault_id)
        if loss is None or loss.stopped_at is not None:
            return
        loss.stopped_at = self.parts.now
        fault = loss.state.fault
        assert fault.data_loss is not None
        self.parts.emit(
            "data.lost",
            fault=fault.id,
            service=fault.target,
            amount=round(loss.amount(self.parts.now), 3),
            unit=fault.data_loss.unit,
            since=round(loss.since, 3),
            until=round(self.parts.now, 3),
        )

    def close(self) -> None:
        """The drill ends: log every loss still running."""
        for fault_id in list(self._losses):
            self.stop(fault_id)

    def lost_on(self, t: float) -> dict[str, float]:
        """Units lost so far on each service that lost any."""
        out: dict[str, float] = {}
        for loss in self._losses.values():
            target = loss.state.fault.target
            out[target] = out.get(target, 0.0) + loss.amount(t)
        return {k: round(v, 3) for k, v in out.items() if v > 0}
