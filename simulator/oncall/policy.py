"""Walk an escalation policy step by step under the config's semantics.

This is the one place that knows how PagerDuty, Opsgenie, GoAlert and Grafana
OnCall differ in timing (see :class:`~simulator.oncall.model.Semantics`); the
dry-run API (:mod:`simulator.oncall.paging`) and the Monte Carlo simulation
(:mod:`simulator.oncall.simulate`) both consume :func:`walk_policy`, so a drill
and a policy test can never disagree on when a step fires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from simulator.oncall.model import EscalationPolicy, Semantics, Step
from simulator.oncall.schedule import Timeline


@dataclass(frozen=True)
class PlannedStep:
    """One step of an escalation as it would happen: when, which step, who is notified."""

    offset: float
    """Seconds after the trigger."""
    step: int
    """Index of the step in the policy (0-based)."""
    loop: int
    """Pass through the policy (0 for the first)."""
    people: tuple[str, ...]
    """Who is notified; empty when nobody was on call for any target."""


StepResolver = Callable[[int, Step, float], tuple[str, ...]]
"""Who a step notifies: (step index, step, offset from trigger) → people."""


def walk_policy(
    policy: EscalationPolicy,
    semantics: Semantics,
    resolve: StepResolver,
    *,
    urgency: str = "high",
    start_step: int = 0,
    start_loop: int = 0,
    start_offset: float = 0.0,
) -> Iterator[PlannedStep]:
    """Yield each step in order, resolving its people lazily at the moment it fires.

    Finite: ``policy.repeat + 1`` passes at most. Empty steps are yielded too (with no
    people) so callers can report them; whether they take time depends on
    ``semantics.empty_step``. Low urgency notifies the first step only (PagerDuty).
    ``start_*`` resume a walk part-way, for re-planning when the policy is not frozen.
    """
    steps = policy.steps
    if semantics.delay == "from_trigger":
        yield from _walk_from_trigger(policy, semantics, resolve, urgency, start_step, start_loop)
        return
    offset = start_offset
    for loop in range(start_loop, policy.repeat + 1):
        first = start_step if loop == start_loop else 0
        for index in range(first, len(steps)):
            step = steps[index]
            if semantics.delay == "wait_steps" and not step.targets:
                offset += step.delay or 0.0
                continue
            people = resolve(index, step, offset)
            yield PlannedStep(offset, index, loop, people)
            if urgency == "low":
                return
            if semantics.delay == "wait_steps":
                offset += semantics.step_gap
            elif people or semantics.empty_step == "wait":
                offset += step.delay or 0.0


def _walk_from_trigger(
    policy: EscalationPolicy,
    semantics: Semantics,
    resolve: StepResolver,
    urgency: str,
    start_step: int,
    start_loop: int,
) -> Iterator[PlannedStep]:
    """Opsgenie: each step fires at its delay after creation; passes repeat after a wait."""
    steps = policy.steps
    pass_length = (steps[-1].delay or 0.0) + policy.repeat_wait
    for loop in range(start_loop, policy.repeat + 1):
        first = start_step if loop == start_loop else 0
        for index in range(first, len(steps)):
            offset = loop * pass_length + (steps[index].delay or 0.0)
            yield PlannedStep(offset, index, loop, resolve(index, steps[index], offset))
            if urgency == "low":
                return


def target_people(step: Step, moment: float, timelines: Mapping[str, Timeline]) -> list[str]:
    """Everyone the step's targets point at, at ``moment``, in target order without repeats."""
    people: list[str] = []
    for target in step.targets:
        if target.user is not None:
            found: list[str] = [target.user]
        else:
            found = sorted(timelines[target.schedule or ""].at(moment))
        people.extend(p for p in found if p not in people)
    return people


def pick(step: Step, people: list[str], turn: int) -> tuple[str, ...]:
    """Apply the step's assignment: everyone, or the ``turn``-th person round robin."""
    if step.assign == "round_robin" and people:
        return (people[turn % len(people)],)
    return tuple(people)
