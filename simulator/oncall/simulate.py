"""Page through a policy with simulated responders: one Monte Carlo run, in SimPy.

Each incident is a SimPy process that walks its policy (:func:`walk_policy`),
notifies whoever each step resolves to, draws each person's response, and stops
escalating at the first acknowledgement. A person's acknowledgement is a number
(the time it would land), not a process of its own: the incident process waits
for whichever comes first, the next step, the earliest pending ack, or the
incident resolving by itself. That keeps a run to a handful of SimPy events per
page, which is what makes months of alerts times hundreds of runs fast.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulator.oncall.model import EscalationPolicy, OnCallConfig, Service, Step
from simulator.oncall.policy import pick, target_people, walk_policy
from simulator.oncall.responders import PERIODS, Responder, responders
from simulator.oncall.schedule import Timeline, render_all
from simulator.oncall.streams import Incident


def policy_span(policy: EscalationPolicy, config: OnCallConfig) -> float:
    """Upper bound on how long a policy can keep escalating (all passes)."""
    delays = sum(s.delay or 0.0 for s in policy.steps)
    if config.semantics.delay == "from_trigger":
        delays = (policy.steps[-1].delay or 0.0) + policy.repeat_wait
    elif config.semantics.delay == "wait_steps":
        delays += config.semantics.step_gap * len(policy.steps)
    return delays * (policy.repeat + 1)


@dataclass(frozen=True)
class Prepared:
    """A config made ready for many runs: schedules rendered once, responders resolved."""

    config: OnCallConfig
    timelines: dict[str, Timeline]
    people: dict[str, Responder]
    services: dict[str, Service]
    policies: dict[str, EscalationPolicy]
    start: float
    end: float
    """End of the rendered horizon: nothing is simulated past it."""


def prepare(config: OnCallConfig, start: float, end: float) -> Prepared:
    """Render every schedule over [start, end + slack) once, for bisect lookups."""
    slack = 2 * 86400 + max((policy_span(p, config) for p in config.policies), default=0.0)
    render_end = end + slack
    return Prepared(
        config=config,
        timelines=render_all(config, start - 1.0, render_end),
        people=responders(config),
        services={s.name: s for s in config.services},
        policies={p.name: p for p in config.policies},
        start=start,
        end=render_end,
    )


OUTCOMES = ("acked", "missed_by_all", "resolved_first")
"""How an incident's first cycle ended: acknowledged; every page missed and the policy
ran out (missed by everyone); or it resolved by itself before anyone acknowledged."""


@dataclass
class IncidentLog:
    """Each incident of a run: trigger, service, outcome (index in OUTCOMES) and seconds
    to acknowledge (-1 if never), as arrays: a list of tuples took 80 MB over a test."""

    triggers: array[float] = field(default_factory=lambda: array("d"))
    services: list[str] = field(default_factory=list)
    outcomes: array[int] = field(default_factory=lambda: array("b"))
    acks: array[float] = field(default_factory=lambda: array("d"))

    def add(self, trigger: float, service: str, outcome: int, ack: float) -> None:
        """Record one incident."""
        self.triggers.append(trigger)
        self.services.append(service)
        self.outcomes.append(outcome)
        self.acks.append(ack)


@dataclass
class PageLog:
    """When one person was paged and in which period (index in PERIODS)."""

    times: array[float] = field(default_factory=lambda: array("d"))
    periods: array[int] = field(default_factory=lambda: array("b"))


@dataclass
class RunResult:
    """What one run measured; plain data so it crosses process boundaries cheaply."""

    incidents: int = 0
    alerts: int = 0
    """Alerts in this run's stream, before routing and grouping."""
    grouped_alerts: int = 0
    """Alerts the incidents stand for: grouping merges several alerts into one incident."""
    ack_times: list[float] = field(default_factory=list)
    """Seconds from trigger to first acknowledgement, per acknowledged incident."""
    acked_at_step: dict[int, int] = field(default_factory=dict)
    """Step index that was current when the incident was acknowledged → count."""
    reached_last_step: int = 0
    never_acked: int = 0
    missed_by_all: int = 0
    """Never acknowledged: every page missed and the policy ran out."""
    resolved_first: int = 0
    """Never acknowledged: resolved by itself before anyone acknowledged."""
    exhausted: int = 0
    """Incidents whose policy ran out with every page missed."""
    escalations: int = 0
    """Moves to a further notifying step, summed over incidents."""
    nobody_paged: int = 0
    """Incidents whose policy found nobody to notify at all."""
    repages: int = 0
    """Pages sent again by Alertmanager resends while an incident was unacknowledged."""
    pages: dict[str, list[int]] = field(default_factory=dict)
    """Person → pages in [business, off_hours, sleep]."""
    page_log: dict[str, PageLog] = field(default_factory=dict)
    """Person → every page, for weekly and nightly load (only with ``detail``)."""
    step_pages: dict[int, int] = field(default_factory=dict)
    """Step index → pages sent at it."""
    records: IncidentLog = field(default_factory=IncidentLog)
    """Every incident, for breakdowns by service and hour (only with ``detail``)."""


@dataclass
class _Cycle:
    """One pass of an incident through its policy, until ack, resolution or the end."""

    ack: float = math.inf
    current: int = -1
    notified: int = 0
    reached_last: bool = False
    ran_out: bool = False
    people: tuple[str, ...] = ()
    paged_at: float = -math.inf


class _Run:
    """State shared by the incident processes of one run."""

    def __init__(self, prepared: Prepared, rng: random.Random, detail: bool) -> None:
        self.prepared = prepared
        self.rng = rng
        self.detail = detail
        self.env = simpy.Environment(initial_time=prepared.start)
        self.result = RunResult(
            pages={name: [0, 0, 0] for name in prepared.people},
            page_log={name: PageLog() for name in prepared.people} if detail else {},
        )
        self.turns: dict[tuple[str, int], int] = {}

    def _resolver(self, policy: str, trigger: float) -> Any:
        timelines = self.prepared.timelines

        def resolve(index: int, step: Step, offset: float) -> tuple[str, ...]:
            people = target_people(step, trigger + offset, timelines)
            turn = 0
            if step.assign == "round_robin" and people:
                turn = self.turns.get((policy, index), 0)
                self.turns[(policy, index)] = turn + 1
            return pick(step, people, turn)

        return resolve

    def _page(self, person: str, now: float, step: int) -> float:
        """Notify ``person``; return when they would acknowledge (inf if they miss it)."""
        responder = self.prepared.people[person]
        period, delay = responder.respond(now, self.rng)
        index = PERIODS.index(period)
        self.result.pages[person][index] += 1
        if self.detail:
            log = self.result.page_log[person]
            log.times.append(now)
            log.periods.append(index)
        self.result.step_pages[step] = self.result.step_pages.get(step, 0) + 1
        return math.inf if delay is None else now + delay

    def _cycle(
        self, incident: Incident, policy: EscalationPolicy, start: float, resends: list[float]
    ) -> Generator[simpy.Event, Any, _Cycle]:
        """Walk the policy from ``start``; resends page the current step's people again
        while nobody has acknowledged."""
        env, state = self.env, _Cycle()
        service = self.prepared.services[incident.service]
        walk = walk_policy(
            policy,
            self.prepared.config.semantics,
            self._resolver(policy.name, start),
            urgency=service.urgency,
        )
        planned = next(walk, None)
        pending = iter([t for t in resends if t > start])
        resend = next(pending, math.inf)
        while True:
            step_at = start + planned.offset if planned is not None else math.inf
            at = min(step_at, resend)
            if at == math.inf:
                break
            wake = min(at, state.ack, incident.resolve)
            if wake > env.now:
                yield env.timeout(wake - env.now)
            if state.ack <= at or incident.resolve <= at:
                break
            if resend < step_at:
                if state.paged_at < env.now:  # a step that just paged them needs no resend
                    for person in state.people:
                        self.result.repages += 1
                        state.ack = min(state.ack, self._page(person, env.now, state.current))
                resend = next(pending, math.inf)
                continue
            assert planned is not None
            state.reached_last = state.reached_last or planned.step == len(policy.steps) - 1
            if planned.people:
                state.notified += 1
                state.current, state.people, state.paged_at = planned.step, planned.people, at
                for person in planned.people:
                    state.ack = min(state.ack, self._page(person, env.now, planned.step))
            planned = next(walk, None)
        state.ran_out = planned is None
        return state

    def _record(self, incident: Incident, state: _Cycle) -> None:
        """Count the first cycle: the ack time is already known, whenever it lands."""
        result = self.result
        result.escalations += max(state.notified - 1, 0)
        result.reached_last_step += state.reached_last
        result.nobody_paged += state.notified == 0
        missed = state.ran_out and state.ack == math.inf
        result.exhausted += missed
        if state.ack < incident.resolve:
            delay = state.ack - incident.trigger
            result.ack_times.append(delay)
            result.acked_at_step[state.current] = result.acked_at_step.get(state.current, 0) + 1
            if self.detail:
                result.records.add(incident.trigger, incident.service, 0, delay)
            return
        result.never_acked += 1
        result.missed_by_all += missed
        result.resolved_first += not missed
        if self.detail:
            result.records.add(incident.trigger, incident.service, 1 if missed else 2, -1.0)

    def incident(self, incident: Incident) -> Generator[simpy.Event, Any, None]:
        """One incident: escalate until acknowledged, re-trigger after the ack timeout."""
        env = self.env
        service = self.prepared.services[incident.service]
        policy = self.prepared.policies[service.policy]
        yield env.timeout(incident.trigger - env.now)
        self.result.incidents += 1
        self.result.grouped_alerts += incident.alerts
        # Resends past the rendered horizon would keep the process waiting beyond it.
        resends = [t for t in incident.renotify if t < self.prepared.end]
        state = yield from self._cycle(incident, policy, incident.trigger, resends)
        self._record(incident, state)
        while True:
            ack, timeout = state.ack, service.ack_timeout
            if ack >= incident.resolve or timeout is None or ack + timeout >= incident.resolve:
                return
            yield env.timeout(ack + timeout - env.now)
            state = yield from self._cycle(incident, policy, env.now, resends)


def simulate_run(
    prepared: Prepared,
    incidents: Sequence[Incident],
    seed: int,
    *,
    alerts: int = 0,
    detail: bool = True,
) -> RunResult:
    """Run every incident of one stream through the policy; deterministic for ``seed``.

    ``alerts`` is the size of the stream the incidents came from, kept so a report can
    say how many alerts grouping merged. ``detail`` keeps every page and incident (for
    burnout figures and breakdowns); without it a run holds only counts."""
    run = _Run(prepared, random.Random(seed), detail)
    run.result.alerts = alerts
    for incident in incidents:
        if prepared.start <= incident.trigger < prepared.end:
            run.env.process(run.incident(incident))
    run.env.run(until=prepared.end)
    return run.result
