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
from simulator.drill.knowledge import clue_queries, fixing_command
from simulator.drill.state import DrillParts, Perform
from simulator.drill.tooling import tool_down
from simulator.durations import format_duration
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.practice import ROLE_TITLES, ROLES, update_cadence
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
            self.parts.env.process(SimulatedIC(self.parts, self, ic).run())
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
        if role == "comms" and "comms" not in self.human_roles:
            self.parts.env.process(SimulatedComms(self.parts, self, person).run())

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


class SimulatedComms:
    """A Communications Lead who posts status and stakeholder updates at the cadence."""

    def __init__(self, parts: DrillParts, team: Team, person: Person) -> None:
        self.parts = parts
        self.team = team
        self.person = person

    def cadence(self) -> float:
        """Seconds between updates for the current severity and state."""
        state = self.parts.state
        every = state.scenario.truth.targets.update_every
        return update_cadence(state.severity, state.mitigated, every)

    def state(self) -> str:
        """The status-page state the incident is in."""
        if self.parts.state.mitigated:
            return "monitoring"
        return "identified" if self.parts.state.applied_mitigations else "investigating"

    def run(self) -> simpy.events.ProcessGenerator:
        """Post when the cadence comes due, and promptly when the incident's state changes."""
        p = self.parts
        last_post: float | None = None
        last_state = ""
        while not p.state.ended:
            due = last_post is None or p.now - last_post >= self.cadence()
            mine = self.team.roles.get("comms") == self.person.name
            if mine and self.person.available and (due or self.state() != last_state):
                self.post_updates()
                last_post, last_state = p.now, self.state()
            yield p.env.timeout(30.0)

    def post_updates(self) -> None:
        """One public status post and one stakeholder update."""
        state = self.parts.state
        metrics = state.last_metrics
        main = state.scenario.customer_name(state.felt_service())
        # Across a cascade the same users show up on several services: the largest
        # count, not the sum.
        affected = max((m.users_affected for m in metrics.values()), default=0.0)
        nxt = format_duration(self.cadence())
        status = self.state()
        public = {
            "investigating": f"We are investigating errors affecting {main}. Some customers "
            f"may be unable to complete requests. Next update in {nxt}.",
            "identified": f"We have identified the cause of errors affecting {main} and are "
            f"applying a fix. Next update in {nxt}.",
            "monitoring": f"A fix has been applied and {main} is recovering; customers should "
            f"be able to complete requests again. We are monitoring closely. "
            f"Next update in {nxt}.",
        }[status]
        if not tool_down(state, "status_page"):  # v2: when it is down, chat carries the news
            self.team.perform(f'/status {status} "{public}"', self.person.name, "comms")
        internal = (
            f"SEV{state.severity or '?'} on {main}: about {affected:.0f} users/min "
            f"affected; status: {status}. Next update in {nxt}."
        )
        self.team.perform(f'/update "{internal}"', self.person.name, "comms")


class SimulatedIC:
    """An Incident Commander who runs the incident when the trainee plays another role."""

    def __init__(self, parts: DrillParts, team: Team, person: Person) -> None:
        self.parts = parts
        self.team = team
        self.person = person

    def say(self, command: str) -> None:
        """Run a command as the IC."""
        self.team.perform(command, self.person.name, "ic")

    def run(self) -> simpy.events.ProcessGenerator:
        """Acknowledge, declare, staff the roles, investigate, mitigate, resolve."""
        p, team = self.parts, self.team
        state, env = p.state, p.env
        # A seasoned IC knows the flapping disk alert and the probe that cries wolf:
        # they take command for a page about the real problem, not for noise.
        while not any(not pg.alert.noise for pg in state.pages) and not state.ended:
            yield env.timeout(15.0)
        yield env.timeout(60.0)
        self.say("/ack")
        yield env.timeout(120.0)
        self.say(f"/sev {state.scenario.truth.severity}")
        for role in ("tech", "comms", "scribe"):
            if role in team.human_roles:
                team.assign(role, team.person(team.trainee), self.person.name)
            else:
                mate = next(
                    q for q in team.people.values() if q.default_role == role and not q.human
                )
                self.say(f"/assign {role} {mate.name}")
        yield env.timeout(150.0)
        for query in clue_queries(state.scenario):
            target = "" if "tech" in team.human_roles else " @tech"
            self.say(f"/investigate {query}{target}")
        while not state.ended and not state.mitigated:
            yield env.timeout(60.0)
            proposal = fixing_command(state)
            if proposal and not state.mitigations_in_progress:
                self.say(f"{proposal[0]} @tech" if "tech" not in team.human_roles else proposal[0])
        while not state.ended and state.impact_open:
            yield env.timeout(60.0)
        yield env.timeout(300.0)
        if not state.ended:
            self.say("/resolve")


def _not_started(text: str, person: str, role: str) -> None:
    raise RuntimeError("the team acts only once the drill has started (Team.start)")
