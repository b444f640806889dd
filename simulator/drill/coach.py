"""A coach for a first drill: a hint when a standard step of incident response is late.

A new on-caller alone at a terminal does not know what the expected moves are, or
that the page they are staring at is escalating. When the coach is on
(``gameday play --coach``, the default for beginner scenarios), it watches the
drill and, once per rule, says what people usually do next and how to type it:
acknowledge the page, declare a severity, hand out roles, investigate, answer the
stakeholders, act on the Tech Lead's proposal, close the incident. Hints are
``coach.hint`` events, so they are in the log, the replay and the debrief, and a
drill with the coach on is as deterministic as one without.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import simpy

from simulator.drill.state import DrillParts
from simulator.drill.team import Team
from simulator.log.events import Event

CHECK_EVERY = 15.0
"""Simulated seconds between the coach's looks at the drill."""


@dataclass(frozen=True)
class Rule:
    """One expected step: who it is for, when it is late, and the hint."""

    name: str
    roles: frozenset[str]
    hint: Callable[[Coach], str | None]
    """The hint if the step is late now, else None."""


class Coach:
    """Watches a drill for one trainee and hints at late steps, each at most once."""

    def __init__(
        self, parts: DrillParts, team: Team, subscribe: Callable[[Callable[[Event], None]], None]
    ) -> None:
        self.parts = parts
        self.team = team
        self.trainee = team.trainee
        self.role = team.trainee_role
        self.given: set[str] = set()
        self.first: dict[str, Event] = {}
        self.last_answer_at: float | None = None
        subscribe(self._seen)

    @property
    def now(self) -> float:
        """Simulated seconds since the drill started."""
        return self.parts.now

    def start(self) -> None:
        """Begin watching (the session calls this once the drill has started)."""
        self.parts.env.process(self._watch())

    # ---------------------------------------------------------------- what happened
    def _seen(self, event: Event) -> None:
        key: str = event.type
        if event.type == "message.posted":
            key = f"message.{event.get('kind')}"
        elif event.type == "page.sent" and event.get("to") == self.trainee:
            self.first.setdefault("page.to_trainee", event)
        elif event.type == "role.assigned" and event.get("by") == self.trainee:
            self.first.setdefault("role.assigned_by_trainee", event)
        elif event.type in ("update.posted", "status.posted"):
            self.last_answer_at = event.t
        self.first.setdefault(key, event)

    def at(self, key: str) -> float | None:
        """When the first event of ``key`` happened, if it did."""
        event = self.first.get(key)
        return event.t if event is not None else None

    def late(self, since: str, done: str, allowed: float) -> bool:
        """``since`` happened more than ``allowed`` ago and ``done`` has not."""
        start = self.at(since)
        return start is not None and self.at(done) is None and self.now - start >= allowed

    def teammate(self, role: str) -> str:
        """Someone who could take ``role``: the scenario's person for it, or a placeholder."""
        people = [p for p in self.team.people.values() if p.default_role == role and not p.human]
        return people[0].name if people else "NAME"

    # ---------------------------------------------------------------- watching
    def _watch(self) -> simpy.events.ProcessGenerator:
        state = self.parts.state
        rules = [r for r in RULES if self.role in r.roles]
        while not state.ended:
            yield self.parts.env.timeout(CHECK_EVERY)
            for rule in rules:
                if rule.name in self.given or state.ended:
                    continue
                text = rule.hint(self)
                if text:
                    self.given.add(rule.name)
                    self.parts.emit("coach.hint", rule=rule.name, text=text)


# ------------------------------------------------------------------------- the rules
def _ack(c: Coach) -> str | None:
    if not c.late("page.to_trainee", "page.acknowledged", 120):
        return None
    name = c.first["page.to_trainee"].get("name")
    return (
        f"A page is waiting for you ({name}) and will escalate to someone else. "
        "Acknowledge it: type /ack, or press Esc and then a on the alert."
    )


def _severity(c: Coach) -> str | None:
    if not c.late("page.sent", "severity.declared", 240):
        return None
    return (
        "Nobody has said how bad this is yet. Declare a severity so everyone knows: "
        "/sev 1 when most customers cannot use the product, /sev 2 when a key feature "
        "is broken for many, /sev 3 or 4 for smaller problems. You can change it later."
    )


def _staff(c: Coach) -> str | None:
    if not c.late("severity.declared", "role.assigned_by_trainee", 180):
        return None
    return (
        "As Incident Commander, hand out the work so you can keep the overview: "
        f"/assign tech {c.teammate('tech')}, /assign comms {c.teammate('comms')} "
        "(F6 opens a form)."
    )


def _investigate(c: Coach) -> str | None:
    if not c.late("page.acknowledged", "investigation.started", 300):
        return None
    hand_over = " (add @tech to hand it to the Tech Lead)" if c.role == "ic" else ""
    return (
        f"Find out what changed before you change anything: /investigate deploys{hand_over}."
        " /help lists what else you can look at."
    )


def _answer(c: Coach) -> str | None:
    comms = c.team.roles.get("comms")
    if c.role == "ic" and comms not in (None, c.trainee):
        return None  # someone else speaks for the incident
    asks = [c.at("message.stakeholder_ask"), c.at("message.executive_ask")]
    asked = min((t for t in asks if t is not None), default=None)
    if asked is None or c.now - asked < 240:
        return None
    if c.last_answer_at is not None and c.last_answer_at >= asked:
        return None
    return (
        "People are asking for news. Say what customers see and when you will update "
        'next: /update "...", and the public page with /status investigating "..." '
        f"(F5 opens a form); or hand it over: /assign comms {c.teammate('comms')}."
    )


def _proposal(c: Coach) -> str | None:
    if not c.late("message.proposal", "mitigation.started", 180):
        return None
    command = c.first["message.proposal"].get("command")
    return (
        f"The Tech Lead proposed a fix: {command}. Decide: run it yourself, or hand it "
        f"to them with '{command} @tech'. Stopping the bleeding comes before the root cause."
    )


def _resolve(c: Coach) -> str | None:
    if not c.late("impact.ended", "incident.resolved", 1500):
        return None
    return (
        "The dashboards have looked healthy for a while. Confirm it (/investigate "
        "metrics), tell "
        'customers (/status resolved "..."), then close the incident with /resolve.'
    )


_COMMAND = frozenset({"ic"})
RULES = (
    Rule("acknowledge", frozenset({"ic", "tech"}), _ack),
    Rule("severity", _COMMAND, _severity),
    Rule("staff", _COMMAND, _staff),
    Rule("investigate", frozenset({"ic", "tech"}), _investigate),
    Rule("answer", frozenset({"ic", "comms"}), _answer),
    Rule("proposal", frozenset({"ic", "tech"}), _proposal),
    Rule("resolve", _COMMAND, _resolve),
)
"""The steps the coach watches, in the order they usually come."""
