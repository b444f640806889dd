"""The simulated teammates' parts: an Incident Commander and a Communications Lead.

When the trainee plays one role the simulator plays the others, competently and
at a human pace, and hands the trainee their own job rather than doing it for
them: a simulated IC staffs the incident, delegates investigations and fixes to a
human Tech Lead and waits for their proposal, prompts a human Comms Lead when a
stakeholder asks or the update cadence slips, and asks a human Scribe to record
decisions. With simulated teammates it hands the work out one task at a time.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simulator.drill.knowledge import clue_found, clue_queries, fixing_command
from simulator.drill.state import DrillParts
from simulator.drill.team import Person, Team
from simulator.drill.tooling import tool_down
from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.practice import STAFFED_ROLES, update_cadence

ACT_GAP = 20.0
"""Seconds between one action of a simulated person and the next: typing takes time."""
NUDGE_EVERY = 300.0
"""How long a simulated IC waits on a human before asking again."""
PROMPT_AFTER = 60.0
"""How long a simulated IC lets a stakeholder's question sit before prompting a human
Comms Lead."""


def install_teammates(
    parts: DrillParts, team: Team, subscribe: Callable[[Callable[[Event], None]], None]
) -> None:
    """Teach the team how a simulated IC and a simulated Comms Lead play their parts."""

    def start_ic(person: Person) -> None:
        ic = SimulatedIC(parts, team, person)
        parts.env.process(ic.run())
        subscribe(ic.on_event)

    def start_comms(person: Person) -> None:
        parts.env.process(SimulatedComms(parts, team, person).run())

    team.starters["ic"] = start_ic
    team.starters["comms"] = start_comms


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
        self.briefed_at: float | None = None
        self.cadence_prompted_at: float | None = None

    # ---------------------------------------------------------------- speaking
    def say(self, command: str) -> None:
        """Run a command as the IC."""
        self.team.perform(command, self.person.name, "ic")

    def chat(self, text: str) -> None:
        """Say something in the incident channel."""
        self.parts.emit("chat.posted", text=text, by=self.person.name, role="ic")

    def human(self, role: str) -> str | None:
        """The human holding ``role`` (once the IC handed it to them), if any."""
        name = self.team.roles.get(role)
        return name if role in self.team.human_roles and name else None

    # ---------------------------------------------------------------- the incident
    def run(self) -> simpy.events.ProcessGenerator:
        """Acknowledge, declare, staff the roles, get it fixed, resolve."""
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
        for role in STAFFED_ROLES:
            yield env.timeout(ACT_GAP)
            if role in team.human_roles:
                name = team.roles.get(role, team.trainee)
                team.assign(role, team.person(name), self.person.name)
                self.chat(_BRIEFS[role].format(name=name))
            else:
                mate = next(
                    q for q in team.people.values() if q.default_role == role and not q.human
                )
                self.say(f"/assign {role} {mate.name}")
        self.briefed_at = p.now
        if "comms" in team.human_roles:
            env.process(self._watch_cadence())
        if "tech" in team.human_roles:
            yield from self._wait_for_tech()
        else:
            yield from self._direct_tech()
        while not state.ended and state.impact_open:
            yield env.timeout(60.0)
        yield env.timeout(300.0)
        if state.ended:
            return
        if scribe := self.human("scribe"):
            self.chat(f"{scribe}, please note: customers recovered; I am resolving.")
            yield env.timeout(ACT_GAP)
        if not state.ended:
            self.say("/resolve")

    def _direct_tech(self) -> simpy.events.ProcessGenerator:
        """Hand the simulated Tech Lead one investigation at a time, then approve their fix."""
        p = self.parts
        state, env = p.state, p.env
        yield env.timeout(60.0)  # the Tech Lead joins
        for query in clue_queries(state.scenario):
            if state.ended or clue_found(state.events):
                break
            self.say(f"/investigate {query} @tech")
            defined = next(i for i in state.scenario.investigations if i.query == query)
            yield env.timeout(defined.takes + ACT_GAP)
        while not state.ended and not state.mitigated:
            yield env.timeout(60.0)
            proposal = fixing_command(state)
            if proposal and not state.mitigations_in_progress and not state.ended:
                self.say(f"{proposal[0]} @tech")

    def _wait_for_tech(self) -> simpy.events.ProcessGenerator:
        """The human Tech Lead investigates and proposes; the IC waits, and asks now and then."""
        p = self.parts
        state, env = p.state, p.env
        tech = self.human("tech") or self.team.trainee
        last_nudge = p.now
        while not state.ended and not state.mitigated:
            yield env.timeout(60.0)
            if state.ended or state.mitigations_in_progress or p.now - last_nudge < NUDGE_EVERY:
                continue
            last_nudge = p.now
            if not any(e.type == "investigation.started" and e["by"] == tech for e in state.events):
                self.chat(
                    f"{tech}, where are we? Start with /investigate deploys, or what the "
                    "runbook says (/help lists what we can look at)."
                )
            elif clue_found(state.events):
                self.chat(
                    f"{tech}, what do you propose? Go ahead with a reversible fix; for a "
                    "failover or a traffic shift, ask me: /ask ic approve failover REGION."
                )
            else:
                self.chat(f"{tech}, anything yet? Tell me what you are seeing.")

    def _watch_cadence(self) -> simpy.events.ProcessGenerator:
        """Prompt a human Comms Lead when the update cadence slips."""
        p = self.parts
        state = p.state
        while not state.ended:
            yield p.env.timeout(60.0)
            comms = self.human("comms")
            if comms is None or state.ended:
                continue
            every = update_cadence(
                state.severity, state.mitigated, state.scenario.truth.targets.update_every
            )
            since = state.last_update_at if state.last_update_at is not None else self.briefed_at
            prompted = self.cadence_prompted_at
            if since is None or p.now - since < every:
                continue
            if prompted is not None and prompted >= since and p.now - prompted < every / 2:
                continue
            self.cadence_prompted_at = p.now
            self.chat(
                f"{comms}, we are due an update (every {format_duration(every)} at "
                f'SEV{state.severity or "?"}): /update "..." for stakeholders and '
                '/status investigating "..." for customers.'
            )

    # ---------------------------------------------------------------- reacting
    def on_event(self, event: Event) -> None:
        """Prompt the humans in the team about what just happened in their area."""
        p = self.parts
        if p.state.ended:
            return
        if event.type == "message.posted" and event["kind"] in ("stakeholder_ask", "executive_ask"):
            if self.human("comms"):
                asker = str(event.get("stakeholder") or str(event["sender"]).split(" (")[0])
                p.env.process(self._prompt_reply(asker, event.t))
        elif event.type in _DECISIONS and self.human("scribe"):
            p.env.process(self._ask_scribe(_DECISIONS[event.type], event))

    def _prompt_reply(self, asker: str, asked_at: float) -> simpy.events.ProcessGenerator:
        p = self.parts
        yield p.env.timeout(PROMPT_AFTER)
        state = p.state
        comms = self.human("comms")
        answered = max(state.replied_at.get(asker, -1.0), state.last_update_at or -1.0)
        if comms is None or state.ended or answered >= asked_at:
            return
        first = asker.split()[0]
        self.chat(
            f"{comms}, {asker} is asking for news and nobody has answered: "
            f'/reply {first} ... (or /update "..." for all stakeholders).'
        )

    def _ask_scribe(self, what: str, event: Event) -> simpy.events.ProcessGenerator:
        p = self.parts
        yield p.env.timeout(ACT_GAP)
        scribe = self.human("scribe")
        if scribe is None or p.state.ended:
            return
        noted = any(e.type == "note.added" and e.t >= event.t for e in p.state.events[-30:])
        if noted:
            return
        detail = what.format(**{k: event.get(k) for k in ("severity", "by", "action", "target")})
        self.chat(f'{scribe}, please note: {detail} at {format_clock(event.t)} (/note "...").')


_BRIEFS = {
    "tech": (
        "{name}, you have the technical lead. Find what changed and tell me what you "
        "propose: /investigate deploys, logs or metrics SERVICE, or what the runbook says "
        "(/help lists them). Reversible fixes are yours to apply; for a failover or a "
        "traffic shift ask me first (/ask ic approve ...)."
    ),
    "comms": (
        "{name}, you have comms. Keep the status page (/status) and the stakeholders "
        "(/update) current at the cadence, and answer anyone who asks (/reply NAME ...)."
    ),
    "scribe": (
        '{name}, you are scribe. Record decisions and key moments with /note "..."; '
        "I will call out the ones I want on record."
    ),
}
"""What a simulated IC tells a human taking each role."""

_DECISIONS = {
    "severity.declared": "{by} declared SEV{severity}",
    "mitigation.started": "{by} started {action} {target}",
}
"""Decisions a simulated IC asks a human Scribe to record."""
