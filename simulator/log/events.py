"""The immutable records a drill is made of.

Every fact of a drill is an :class:`Event` with its simulated time ``t`` (seconds
from the drill's start) and a ``type`` from the vocabulary's ``EventType``. The log,
the TUI, scoring and the postmortem all read these records; none of them reach into
the engine. :mod:`simulator.log.vocabulary` defines each type's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, get_args

from simulator.log.vocabulary import EventType, PayloadKey

LOG_FORMAT = "gameday-log/1"

GROUND_TRUTH_EVENTS: frozenset[EventType] = frozenset(
    {
        "fault.started",
        "fault.escalated",
        "fault.relieved",
        "fault.worsened",
        "fault.fixed",
        "impact.started",
        "impact.mitigated",
        "impact.ended",
        "inject.applied",
        "data.lost",
    }
)
"""What only the simulator knows: scoring compares the response with these, and a
front end must not show them to a trainee while the drill is being played."""

EVENT_TYPES: frozenset[EventType] = frozenset(get_args(EventType))
"""Every event type (:mod:`simulator.log.vocabulary` defines them and their fields)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One fact of a drill at simulated time ``t``; ``data`` holds the type's fields."""

    seq: int
    t: float
    type: EventType
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Shallow on purpose: a read-only view of the fields. Freezing nested values
        # too (metric samples, labels) tripled the time to read a large log, and
        # nothing mutates an event's nested data once emitted.
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    def __getitem__(self, key: PayloadKey) -> Any:
        return self.data[key]

    def get(self, key: PayloadKey, default: Any = None) -> Any:
        """A field of the event, or ``default``."""
        return self.data.get(key, default)

    def to_json(self) -> dict[str, Any]:
        """The event as one JSON object: ``seq``, ``t``, ``type``, then its fields."""
        return {"seq": self.seq, "t": self.t, "type": self.type, **self.data}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Event:
        """Rebuild an event from :meth:`to_json` output."""
        data = {k: v for k, v in obj.items() if k not in ("seq", "t", "type")}
        return cls(seq=int(obj["seq"]), t=float(obj["t"]), type=obj["type"], data=data)
