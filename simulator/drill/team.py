"""The people of a drill: who holds which role, and the teammates the simulator plays.

When a trainee plays one role, the simulator plays the others competently and
predictably, so the trainee practises their own role: a Tech Lead who carries out what
the IC asks and proposes a mitigation once a clue turns up, a Comms Lead who posts
updates at the cadence for the severity once assigned, a Scribe who notes key moments,
and an Incident Commander who runs the incident when the trainee plays another role.
Roles held by human players are never automated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import simpy

from simulator.drill.chatter import Chatter
from simulator.drill.commands import CommandError
from simulator.drill.knowledge import fixing_command
from simulator.drill.state import DrillParts, Perform
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.practice import ROLE_TITLES, ROLES
from simulator.validation import did_you_mean

TASK_PICKUP = 20.0
"""How long a simulated teammate takes to pick up a task they were handed."""


@dataclass
class Person:
    """Someone who can take part in the drill."""

    name: str
    default_role: str
    team: str
    responds_in: float
    human: bool = False
    joined: bool = False
    available: bool = True


class Team:
    """Roles, people and the simulated teammates' behaviour."""

    def __init__(
        self,
        parts: DrillParts,
        chatter: Chatter,
        *,
        trainee: str,
        role: str,
        humans: Iterable[str],
        players: Mapping[str, str] | None = None,
    ) -> None:
        self.parts = parts
        self.trainee = trainee
        self.trainee_role = role
        self.perform: Perform = _not_started
        self.starters: dict[str, Callable[[Person], None]] = {}
        """How a simulated person starts playing a role (:mod:`.teammates` fills it in)."""
        self.human_roles = set(humans)
        self.players = dict(players or {})
        self.people: dict[str, Person] = {}
        self.roles: dict[str, str] = {}
        self._proposed = False
        sc = parts.state.scenario
        for member in sc.team:
            self.people[member.name.lower()] = Person(
                member.name, member.role, member.team, member.responds_in
            )
        for wanted in ("tech", "comms", "scribe", "ic", "sme"):
            if not any(p.default_role == wanted for p in self.people.values()):
                name = chatter.person_name()
                team = sc.services[0].team or "platform"
                self.people[name.lower()] = Person(name, wanted, team, 120.0)
        me = Person(trainee, role, "", 0.0, human=True, joined=True)
        self.people[trainee.lower()] = me
        self.roles[role] = trainee
        for role, name in self.players.items():
            self.people[name.lower()] = Person(name, role, "", 0.0, human=True, joined=True)
            self.roles[role] = name
        self.manager = chatter.person_name()

    # ------------------------------------------------------------------ lookups
    def holder(self, role: str) -> str | None:
        """Who holds ``role``; roles not handed out stay with the IC."""
        return self.roles.get(role) or (self.roles.get("ic") if role != "ic" else None)

    def role_of(self, name: str) -> str | None:
        """The role ``name`` holds explicitly, if any."""
        return next((r for r, who in self.roles.items() if who == name), None)

    def person(self, name: str) -> Person:
        """The person called ``name`` (case-insensitive); raise CommandError if unknown."""
        found = self.people.get(name.lower().lstrip("@"))
        if found is None:
            raise CommandError(
                f"nobody called '{name}' is on the team: "
                + did_you_mean(name, [p.name for p in self.people.values()])
            )
        return found

    def resolve_delegate(self, ref: str) -> Person:
        """The person a task handed to ``@ref`` goes to (a role or a name)."""
        if ref.lower() in ROLES:
            name = self.roles.get(ref.lower())
            if name is None:
                raise CommandError(
                    f"nobody holds the {ROLE_TITLES[ref.lower()]} role yet",
                    f"/assign {ref.lower()} NAME first",
                )
            person = self.person(name)
        else:
            person = self.person(ref)
        if self.parts.state.v2 and not person.available:  # v2: not delegation, just lost
            raise CommandError(f"{person.name} is not responding (they dropped out)")
        return person

    def simulated(self, role: str) -> Person | None:
        """The simulated person holding ``role``, when it is held by one."""
        name = self.roles.get(role)
        if name is None or role in self.human_roles:
            return None
        person = self.person(name)
        return None if person.human else person

    def escalation_chain(self) -> list[str]:
        """Who a page goes to, in order, when no on-call config drives paging."""
        primary = self.roles.get("ic") if "ic" not in self.human_roles else None
        first = self.trainee if self.trainee_role in ("ic", "tech") else primary
        backup = next(
            (p.name for p in self.people.values() if p.default_role == "tech" and not p.human),
            self.manager,
        )
        return [first or self.trainee, backup, self.manager]

    # ------------------------------------------------------------------ changes
    def start(self, perform: Perform, subscribe: Callable[[Callable[[Event], None]], None]) -> None:
        """Begin the simulated roles' behaviour; ``perform`` runs a simulated person's command."""
        self.perform = perform
        for role, name in self.players.items():  # a game day's roles are set beforehand
            self.parts.emit("role.assigned", role=role, person=name, by="gameday", previous=None)
        if "ic" not in self.human_roles:
            ic = next(p for p in self.people.values() if p.default_role == "ic" and not p.human)
            self.roles["ic"] = ic.name
            ic.joined = True
            self.parts.emit(
                "role.assigned",
                role="ic",
                person=ic.name,
                by="gameday",
                previous=None,
                simulated=True,
            )
            start_ic = self.starters.get("ic")
            if start_ic is not None:
                start_ic(ic)
        subscribe(self._on_event)

    def assign(self, role: str, person: Person, by: str) -> None:
        """Give ``person`` the role; a simulated person joins after their response time."""
        previous = self.roles.get(role)
        self.roles[role] = person.name
        self.parts.emit(
            "role.assigned",
            role=role,
            person=person.name,
            by=by,
            previous=previous,
            simulated=not person.human,
        )
        if not person.human and not person.joined:
            self.parts.env.process(self._join(person, role))
        elif not person.human:
            self._start_role(person, role)

    def _join(self, person: Person, role: str) -> simpy.events.ProcessGenerator:
        yield self.parts.env.timeout(min(person.responds_in, 120.0))
        while self.parts.state.v2 and not person.available and not self.parts.state.ended:
            yield self.parts.env.timeout(15.0)  # v2: someone who dropped out joins once back
        person.joined = True
        self.parts.emit("teammate.joined", person=person.name, role=role)
        self.parts.post(
            "incident",
            person.name,
            f"{person.name} here, I'm on it as {ROLE_TITLES.get(role, role)}.",
            kind="teammate",
        )
        self._start_role(person, role)

    def _start_role(self, person: Person, role: str) -> None:
        # The IC's part starts with the drill (``start``), never on a hand-over.
        starter = self.starters.get(role) if role != "ic" else None
        if starter is not None and role not in self.human_roles:
            starter(person)

    def drop(self, role: str, back_after: float | None, message: str | None) -> None:
        """The person in ``role`` drops off (an inject); roles held by humans are untouched."""
        name = self.roles.get(role)
        if name is None or role in self.human_roles:
            candidates = [p for p in self.people.values() if p.default_role == role]
            if not candidates:
                return
            person = candidates[0]
        else:
            person = self.person(name)
        if person.human:
            return
        person.available = False
        self.parts.emit(
            "teammate.unavailable", person=person.name, role=role, back_after=back_after
        )
        self.parts.post(
            "incident",
            person.name,
            message or "Sorry, my laptop just died; I'm offline for a while.",
            kind="teammate",
        )
        if back_after is not None:
            self.parts.env.process(self._back(person, role, back_after))

    def _back(self, person: Person, role: str, after: float) -> simpy.events.ProcessGenerator:
        yield self.parts.env.timeout(after)
        person.available = True
        self.parts.emit("teammate.returned", person=person.name, role=role)
        self.parts.post("incident", person.name, "I'm back. What do you need?", kind="teammate")

    def _on_event(self, event: Event) -> None:
        note = _SCRIBE_NOTES.get(event.type)
        scribe = self.simulated("scribe")
        if note is not None and scribe is not None and scribe.joined and scribe.available:
            text = note.format(**{k: event.get(k) for k in ("severity", "by", "state", "query")})
            self.perform(f'/note "{text}"', scribe.name, "scribe")
        if event.type == "investigation.completed" and not self._proposed:
            clues = [f for f in event["findings"] if f["kind"] == "clue"]
            tech = self.simulated("tech")
            if clues and tech is not None and tech.available:
                self._proposed = True
                self.parts.env.process(self._propose(tech))

    def _propose(self, tech: Person) -> simpy.events.ProcessGenerator:
        yield self.parts.env.timeout(45.0)
        state = self.parts.state
        proposal = fixing_command(state)
        if proposal is None or state.ended or state.mitigations_in_progress:
            return
        text, why = proposal
        self.parts.post(
            "incident",
            tech.name,
            f"Proposal: {text}. {why} Any strong objections? (run it, or hand it to me "
            f"with '{text} @tech')",
            kind="proposal",
            command=text,
        )


_SCRIBE_NOTES: dict[EventType, str] = {
    "severity.declared": "Severity set to SEV{severity} by {by}.",
    "mitigation.applied": "Mitigation applied by {by}.",
    "impact.mitigated": "Impact mitigated; watching for recovery.",
    "status.posted": "Status page updated ({state}) by {by}.",
    "investigation.completed": "{by} finished investigating {query}.",
}
"""What a simulated Scribe writes down, by event type."""


def _not_started(text: str, person: str, role: str) -> None:
    raise RuntimeError("the team acts only once the drill has started (Team.start)")
