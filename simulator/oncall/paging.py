"""Dry-run an escalation: who is paged at each step of a policy, and when.

The drill engine calls :func:`escalation_plan` when a page goes out, so that a page
nobody acknowledges escalates exactly as the team's policy says. Pure: no SimPy,
no I/O, no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.oncall.model import OnCallConfig, Service, Step
from simulator.oncall.policy import PlannedStep, pick, target_people, walk_policy
from simulator.oncall.schedule import Timeline, render_all
from simulator.oncall.timezones import aware_epoch, zone

_LOOKAHEAD = 14 * 86400.0


@dataclass(frozen=True)
class EscalationPlan:
    """A finite, ordered escalation for one trigger of one service."""

    service: str
    policy: str
    trigger: float
    """Trigger time, UTC epoch seconds."""
    steps: tuple[PlannedStep, ...]
    """Steps in firing order, empty ones included (with no people)."""

    def notifying(self) -> tuple[PlannedStep, ...]:
        """Only the steps that notify somebody."""
        return tuple(s for s in self.steps if s.people)


def find_service(config: OnCallConfig, name: str) -> Service:
    """The service called ``name``; raises KeyError naming the known ones."""
    for service in config.services:
        if service.name == name:
            return service
    raise KeyError(f"no service '{name}' (known: {', '.join(s.name for s in config.services)})")


def escalation_plan(
    config: OnCallConfig,
    service: str,
    trigger: datetime,
    *,
    round_robin_turn: int = 0,
    timelines: dict[str, Timeline] | None = None,
) -> EscalationPlan:
    """The escalation plan for an alert on ``service`` triggered at ``trigger``.

    Args:
        config: a loaded on-call config (``simulator.oncall.loader.load_oncall``).
        service: name of a service in ``config``.
        trigger: when the alert triggered; a naive datetime is read in the config's zone.
        round_robin_turn: which turn round-robin steps are on (the engine counts
            incidents per policy; 0 picks the first person).
        timelines: pre-rendered schedules covering two weeks after ``trigger``, to
            skip rendering when planning many pages.

    Returns:
        Steps ordered by offset (seconds from the trigger), each with its step index,
        its loop (0 for the first pass) and the people notified, resolved at the
        moment the step fires. The plan is finite: ``repeat + 1`` passes at most,
        following ``config.semantics`` (per-step or from-trigger delays, wait steps,
        empty steps skipped or waited out). The engine stops following it at the
        first acknowledgement.

    Raises:
        KeyError: ``service`` is not in the config.
    """
    svc = find_service(config, service)
    policy = next(p for p in config.policies if p.name == svc.policy)
    start = aware_epoch(trigger, zone(config.time_zone))
    if timelines is None:
        timelines = render_all(config, start - 1.0, start + _LOOKAHEAD)

    def resolve(index: int, step: Step, offset: float) -> tuple[str, ...]:
        return pick(step, target_people(step, start + offset, timelines), round_robin_turn)

    steps = tuple(walk_policy(policy, config.semantics, resolve, urgency=svc.urgency))
    return EscalationPlan(svc.name, policy.name, start, steps)


def replan(
    plan: EscalationPlan,
    new_config: OnCallConfig,
    old_config: OnCallConfig,
    elapsed: float,
) -> EscalationPlan:
    """The plan to follow after the config is replaced ``elapsed`` seconds into ``plan``.

    Under ``semantics.freeze_policy`` (PagerDuty, Grafana) an incident keeps the policy
    it triggered under, so the old plan stands. Otherwise the steps not yet fired are
    planned again from the new config, resuming at the same step index and loop.
    """
    if old_config.semantics.freeze_policy:
        return plan
    fired = tuple(s for s in plan.steps if s.offset <= elapsed)
    resume_step, resume_loop = (0, 0)
    if fired:
        resume_step, resume_loop = fired[-1].step + 1, fired[-1].loop
    svc = find_service(new_config, plan.service)
    policy = next(p for p in new_config.policies if p.name == svc.policy)
    if resume_step >= len(policy.steps):
        resume_step, resume_loop = 0, resume_loop + 1
    timelines = render_all(new_config, plan.trigger - 1.0, plan.trigger + elapsed + _LOOKAHEAD)

    def resolve(index: int, step: Step, offset: float) -> tuple[str, ...]:
        return pick(step, target_people(step, plan.trigger + offset, timelines), 0)

    rest = walk_policy(
        policy,
        new_config.semantics,
        resolve,
        urgency=svc.urgency,
        start_step=resume_step,
        start_loop=resume_loop,
        start_offset=elapsed,
    )
    # From-trigger offsets are absolute, so steps already past are dropped here.
    upcoming = tuple(s for s in rest if s.offset >= elapsed)
    return EscalationPlan(svc.name, policy.name, plan.trigger, fired + upcoming)
