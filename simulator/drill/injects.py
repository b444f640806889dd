"""Injects and stakeholders: the pressure of a drill beyond the pager.

A scenario's injects (a customer report, an executive asking, a support surge, a
second fault, a teammate dropping out) happen at a time or after a drill event;
a facilitator adds their own by hand (:mod:`simulator.drill.facilitator`), with
the same effects. Stakeholders ask for news whenever the update cadence slips.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simulator.drill.chatter import Chatter
from simulator.drill.conditions import missing
from simulator.drill.health import FaultState
from simulator.drill.state import DrillParts
from simulator.durations import format_duration
from simulator.log.events import Event
from simulator.scenario.model import Inject, InjectTrigger, Stakeholder

Subscribe = Callable[[Callable[[Event], None]], None]
DropTeammate = Callable[[str, float | None, str | None], None]


class Injects:
    """Plays the scenario's injects and stakeholders; applies a facilitator's injects."""

    def __init__(
        self,
        parts: DrillParts,
        chatter: Chatter,
        subscribe: Subscribe,
        start_fault: Callable[[FaultState], None],
        drop_teammate: DropTeammate,
    ) -> None:
        self.parts = parts
        self.chatter = chatter
        self._people: dict[str, str] = {}
        """Title -> the one person holding it in this drill (see :meth:`_person`)."""
        self.subscribe = subscribe
        self.start_fault = start_fault
        self.drop_teammate = drop_teammate

    def start_injects(self) -> None:
        """Schedule the scenario's injects."""
        for inject in self.parts.state.scenario.injects:
            self.parts.env.process(self._inject(inject))

    def start_stakeholders(self) -> None:
        """Start each stakeholder's asking for news."""
        for stakeholder in self.parts.state.scenario.stakeholders:
            self.parts.env.process(self._stakeholder(stakeholder))

    def _inject(self, inject: Inject) -> simpy.events.ProcessGenerator:
        p = self.parts
        env = p.env
        chained = p.state.v2 and inject.kind == "fault" and inject.when is None
        if inject.after is not None:
            # Counted as on its way at the very event, before anyone can call it mitigated.
            yield self._first(inject.after, chained)
            yield env.timeout(inject.after.delay)
            if chained:
                p.state.chained_pending -= 1
        else:
            yield env.timeout(inject.at or 0.0)
        if inject.when is not None:
            # Checked at each evaluation, as the metrics it may depend on are sampled.
            while missing(p.state, inject.when) is not None and not p.state.ended:
                yield env.timeout(p.state.scenario.alerts.evaluation_interval)
            if p.state.ended:
                return
        self.apply(inject)

    def _first(self, trigger: InjectTrigger, chained: bool = False) -> simpy.Event:
        """A SimPy event that fires with the first drill event ``trigger`` describes;
        ``chained``: a fault is on its way from that moment (v2)."""
        fired = self.parts.env.event()

        def text(value: object) -> str:  # shift-traffic, Shift_Traffic: one action
            return str(value).lower().replace("-", "_")

        wanted = {k: text(v) for k, v in trigger.match.items()}

        def watch(event: Event) -> None:
            if (
                not fired.triggered
                and event.type == trigger.event
                and all(text(event.data.get(k)) == v for k, v in wanted.items())
            ):
                if chained:
                    self.parts.state.chained_pending += 1
                fired.succeed(event)

        self.subscribe(watch)
        return fired

    def apply(self, inject: Inject) -> None:
        """What an inject does, now: a message, a surge, a fault, a teammate gone."""
        p = self.parts
        started = p.state.first("impact.started")
        minutes = int((p.now - (started.t if started else p.now)) // 60)
        main = p.state.scenario.customer_name(p.state.felt_service())
        sender = inject.sender
        if inject.kind == "customer_report":
            service = p.state.scenario.customer_name(inject.service) if inject.service else main
            text = inject.message or self.chatter.customer_report(service, minutes)
            p.post(
                "support",
                sender or f"{self.chatter.customer_name()} (customer)",
                text,
                kind="customer_report",
            )
        elif inject.kind == "executive_ask":
            text = inject.message or self.chatter.executive_ask(main)
            p.post(
                "incident",
                sender or f"{self._person('VP Engineering')} (VP Engineering)",
                text,
                kind="executive_ask",
            )
        elif inject.kind == "support_surge":
            text = inject.message or self.chatter.support_surge(inject.tickets, main)
            p.post(
                "incident",
                sender or f"{self._person('Support Lead')} (Support Lead)",
                text,
                kind="support_surge",
                tickets=inject.tickets,
            )
        elif inject.kind == "fault":
            self.start_fault(next(s for s in p.state.faults if s.fault.id == inject.fault))
        elif inject.kind == "teammate_drop":
            self.drop_teammate(inject.role, inject.back_after, inject.message)

    def _person(self, title: str) -> str:
        """The one person who holds ``title`` in this drill: a scenario stakeholder with that
        title, else a name drawn once. Drawing a new name per message gave a drill two
        VPs of Engineering (or two CEOs) asking for news."""
        people = self._people
        if title not in people:
            named = next(
                (
                    s.name
                    for s in self.parts.state.scenario.stakeholders
                    if s.title == title and s.name
                ),
                None,
            )
            people[title] = named or self.chatter.person_name()
        return people[title]

    def _stakeholder(self, stakeholder: Stakeholder) -> simpy.events.ProcessGenerator:
        p = self.parts
        name = stakeholder.name or self._person(stakeholder.title)
        label = f"{name} ({stakeholder.title})"
        while not p.state.impact_open:
            yield p.env.timeout(p.state.scenario.alerts.evaluation_interval)
        yield p.env.timeout(stakeholder.first_ask)
        while not p.state.ended:
            # A direct /reply to this stakeholder answers them as well as an update.
            answers = (p.state.last_update_at, p.state.replied_at.get(name))
            last = max((t for t in answers if t is not None), default=None)
            # Compare against an absolute due time with a tolerance: waiting for
            # `patience - (now - last)` could come out a few ulps short, and a
            # timeout that small no longer moves the clock, so the loop spun forever.
            due = None if last is None else last + stakeholder.patience
            if due is None or p.now >= due - 1e-6:
                since = "nothing yet" if last is None else f"{format_duration(p.now - last)} ago"
                p.post(
                    "stakeholders",
                    label,
                    self.chatter.stakeholder_ask(
                        p.state.scenario.customer_name(p.state.felt_service()), since
                    ),
                    kind="stakeholder_ask",
                    stakeholder=name,
                )
                yield p.env.timeout(stakeholder.patience)
            else:
                yield p.env.timeout(max(1.0, due - p.now))
