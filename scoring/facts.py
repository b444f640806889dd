"""One pass over a drill's events, indexed the way every metric and check needs them.

Scoring a 100,000-event log must take well under a second, so the events are
walked once here and every later question ("when was the first real page?",
"which pages were noise?") is a lookup, never another scan of the whole log.
Fields are read with ``.get`` throughout: a damaged or hand-edited log may miss
some, and a missing field must lower a score, not raise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.log.events import Event

HUMAN_REPORT_KINDS = frozenset({"customer_report", "support_surge"})
"""Messages in which people outside the response notice the impact."""


@dataclass
class DrillFacts:
    """A drill's events grouped by type, plus the handful of instants every metric uses."""

    events: Sequence[Event]
    by_type: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    samples: list[Event] = field(default_factory=list)
    noise_pages: set[str] = field(default_factory=set)
    """Ids of pages sent for noise alerts."""
    simulated_notes: set[tuple[float, Any]] = field(default_factory=set)
    """(t, by) of ``/note`` commands simulated teammates gave."""
    end_t: float = 0.0
    """When the drill ended (``drill.ended``), else the last event's time."""

    def all(self, type_: str) -> list[Event]:
        """Every event of one type, in log order."""
        return self.by_type.get(type_, [])

    def first(self, type_: str) -> Event | None:
        """The first event of one type, if any."""
        found = self.by_type.get(type_)
        return found[0] if found else None

    def last(self, type_: str) -> Event | None:
        """The last event of one type, if any."""
        found = self.by_type.get(type_)
        return found[-1] if found else None

    # ------------------------------------------------------------------ derived instants
    @property
    def impact_start(self) -> Event | None:
        """Ground truth: customer impact begins (t_is)."""
        return self.first("impact.started")

    @property
    def mitigated(self) -> Event | None:
        """Ground truth: the last active fault was fixed (t_mit)."""
        return self.first("impact.mitigated")

    def follow_up(self, event: Event) -> bool:
        """Whether ``event`` came after the impact was mitigated, with no fault started
        since: a mitigation then has nothing left to fix (roll back the deploy whose flag
        is off, warm the cache) and is not a wasted move."""
        mitigated = self.mitigated
        if mitigated is None or event.t <= mitigated.t:
            return False
        return not any(mitigated.t < s.t <= event.t for s in self.all("fault.started"))

    @property
    def impact_end(self) -> Event | None:
        """Ground truth: metrics back to baseline (t_ie), the last such event."""
        return self.last("impact.ended")

    @property
    def resolved(self) -> Event | None:
        """The incident was resolved (``/resolve``)."""
        return self.first("incident.resolved")

    @property
    def declared(self) -> Event | None:
        """The first severity declaration."""
        return self.first("severity.declared")

    @property
    def first_real_alert(self) -> Event | None:
        """The first alert of one of the scenario's real rules (``noise: false``)."""
        return next((e for e in self.all("alert.fired") if e.get("noise") is False), None)

    @property
    def first_real_page(self) -> Event | None:
        """The first automatic page for a real alert; any first page when none was real."""
        pages = [e for e in self.all("page.sent") if not e.get("manual")]
        return next((e for e in pages if e.get("noise") is False), pages[0] if pages else None)

    @property
    def first_real_ack(self) -> Event | None:
        """The first acknowledgement of a page that was not noise."""
        return next(
            (e for e in self.all("page.acknowledged") if e.get("page") not in self.noise_pages),
            None,
        )

    @property
    def first_human_report(self) -> Event | None:
        """The first customer report or support surge."""
        return next(
            (e for e in self.all("message.posted") if e.get("kind") in HUMAN_REPORT_KINDS), None
        )

    @property
    def incident_close(self) -> float:
        """When the incident stopped needing attention: resolved, else the drill's end."""
        resolved = self.resolved
        return resolved.t if resolved else self.end_t

    def simulated_note(self, note: Event) -> bool:
        """Whether a note was written by a simulated teammate (an automatic line)."""
        return (note.t, note.get("by")) in self.simulated_notes

    def human_commands(self) -> list[Event]:
        """Accepted commands given by people rather than simulated teammates."""
        return [e for e in self.all("command.accepted") if not e.get("simulated")]


def index_events(events: Sequence[Event]) -> DrillFacts:
    """Group ``events`` by type in one pass (see the module docstring for why)."""
    facts = DrillFacts(events)
    by_type = facts.by_type
    samples = facts.samples
    for event in events:
        if event.type == "metrics.sample":
            samples.append(event)
            continue
        by_type[event.type].append(event)
        if (
            event.type == "command.accepted"
            and event.get("simulated")
            and event.get("command") == "note"
        ):
            facts.simulated_notes.add((event.t, event.get("by")))
        if event.type == "page.sent" and event.get("noise"):
            facts.noise_pages.add(str(event.get("page")))
    ended = facts.first("drill.ended")
    facts.end_t = ended.t if ended else (events[-1].t if events else 0.0)
    return facts


def findings_of(event: Event) -> list[Mapping[str, Any]]:
    """An investigation's findings, ignoring anything malformed in a damaged log."""
    findings = event.get("findings")
    if not isinstance(findings, list | tuple):
        return []
    return [f for f in findings if isinstance(f, Mapping)]


def effects_of(event: Event) -> dict[str, str]:
    """A mitigation's effects ``{fault: fixed|relieved|worsened}``, empty when malformed."""
    effects = event.get("effects")
    if not isinstance(effects, Mapping):
        return {}
    return {str(k): str(v) for k, v in effects.items()}
