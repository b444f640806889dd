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


@dataclass
class RunResult:
    """What one run measured; plain data so it crosses process boundaries cheaply."""

    incidents: int = 0
    ack_times: list[float] = field(default_factory=list)
    """Seconds from trigger to first acknowledgement, per acknowledged incident."""
    acked_at_step: dict[int, int] = field(default_factory=dict)
    """Step index that was current when the incident was acknowledged → count."""
    reached_last_step: int = 0
    never_acked: int = 0
    exhausted: int = 0
    """Incidents whose policy ran out with every page missed."""
    escalations: int = 0
    """Moves to a further notifying step, summed over incidents."""
    nobody_paged: int = 0
    """Incidents whose policy found nobody to notify at all."""
    pages: dict[str, list[int]] = field(default_factory=dict)
    """Person → pages in [business, off_hours, sleep]."""


class _Run:
    """State shared by the incident processes of one run."""

    def __init__(self, prepared: Prepared, rng: random.Random) -> None:
        self.prepared = prepared
        self.rng = rng
        self.env = simpy.Environment(initial_time=prepared.start)
        self.result = RunResult(pages={name: [0, 0, 0] for name in prepared.people})
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

    def _page(self, person: str, now: float) -> float:
        """Notify ``person``; return when they would acknowledge (inf if they miss it)."""
        responder = self.prepared.people[person]
        period, delay = responder.respond(now, self.rng)
        self.result.pages[person][PERIODS.index(period)] += 1
        return math.inf if delay is None else now + delay

    def incident(self, incident: Incident) -> Generator[simpy.Event, Any, None]:
        """One incident: escalate until acknowledged, re-trigger after the ack timeout."""
        env, result = self.env, self.result
        service = self.prepared.services[incident.service]
        policy = self.prepared.policies[service.policy]
        last_index = len(policy.steps) - 1
        yield env.timeout(incident.trigger - env.now)
        result.incidents += 1
        first_ack = True
        cycle_start = incident.trigger
        while True:
            ack, current, notified, reached_last = math.inf, -1, 0, False
            walk = walk_policy(
                policy,
                self.prepared.config.semantics,
                self._resolver(policy.name, cycle_start),
                urgency=service.urgency,
            )
            for planned in walk:
                at = cycle_start + planned.offset
                wake = min(at, ack, incident.resolve)
                if wake > env.now:
                    yield env.timeout(wake - env.now)
                if ack <= at or incident.resolve <= at:
                    break
                reached_last = reached_last or planned.step == last_index
                if planned.people:
                    notified += 1
                    current = planned.step
                    for person in planned.people:
                        ack = min(ack, self._page(person, env.now))
            else:
                if ack == math.inf:
                    result.exhausted += 1
            # Every page of this cycle is out, so the ack time is already known: record
            # now rather than wait, which could outlast the simulated horizon.
            if first_ack:
                result.escalations += max(notified - 1, 0)
                result.reached_last_step += reached_last
                result.nobody_paged += notified == 0
                if ack < incident.resolve:
                    result.ack_times.append(ack - incident.trigger)
                    result.acked_at_step[current] = result.acked_at_step.get(current, 0) + 1
                else:
                    result.never_acked += 1
                first_ack = False
            timeout = service.ack_timeout
            if ack >= incident.resolve or timeout is None or ack + timeout >= incident.resolve:
                return
            yield env.timeout(ack + timeout - env.now)
            cycle_start = env.now


def simulate_run(prepared: Prepared, incidents: Sequence[Incident], seed: int) -> RunResult:
    """Run every incident of one stream through the policy; deterministic for ``seed``."""
    run = _Run(prepared, random.Random(seed))
    for incident in incidents:
        if prepared.start <= incident.trigger < prepared.end:
            run.env.process(run.incident(incident))
    run.env.run(until=prepared.end)
    return run.result
