"""Mitigations: roll back, toggle a flag, restart, scale, fail over, shift traffic, custom levers.

A command names a lever; if the scenario defines a mitigation for it, the faults
respond as the scenario says once it takes effect (:mod:`simulator.drill.faults`);
otherwise it runs and changes nothing. Either way it takes time, and it is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy

from simulator.drill.commands import Command, CommandError
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.durations import format_duration
from simulator.scenario.model import CustomMitigation, Mitigation, Scale
from simulator.validation import did_you_mean

GENERIC_TAKES = 90.0
"""How long a lever the scenario does not define takes."""


def _match(ctx: CommandContext, action: str, **fields: Any) -> Mitigation | None:
    """The scenario's mitigation that this command carries out, if any."""
    for mit in ctx.parts.state.scenario.mitigations:
        if mit.action != action:
            continue
        if isinstance(mit, Scale):
            if mit.service == fields["service"] and fields["replicas"] >= mit.min_replicas:
                return mit
        elif isinstance(mit, CustomMitigation):
            if fields["name"] in (mit.id, mit.command):
                return mit
        elif all(getattr(mit, k) == v for k, v in fields.items()):
            return mit
    return None


def _effect(
    ctx: CommandContext,
    action: str,
    target: str,
    mit: Mitigation | None,
    change: Callable[[], None] | None = None,
) -> Effect:
    takes = mit.takes if mit else GENERIC_TAKES
    p = ctx.parts

    def effect(by: str, role: str) -> str:
        p.state.mitigations_in_progress += 1
        p.emit(
            "mitigation.started",
            mitigation=mit.id if mit else None,
            action=action,
            target=target,
            by=by,
            takes=takes,
        )
        p.env.process(_apply_later(ctx, action, target, mit, takes, by, change))
        return f"{action} {target}: takes effect in about {format_duration(takes)}"

    return effect


def _apply_later(
    ctx: CommandContext,
    action: str,
    target: str,
    mit: Mitigation | None,
    takes: float,
    by: str,
    change: Callable[[], None] | None,
) -> simpy.events.ProcessGenerator:
    p = ctx.parts
    yield p.env.timeout(takes)
    p.state.mitigations_in_progress -= 1
    if p.state.ended:
        return
    if change is not None:
        change()
    effects = ctx.faults.respond(mit, action, target) if mit is not None else {}
    if mit is not None:
        p.state.applied_mitigations.append(mit.id)
    p.emit(
        "mitigation.applied",
        mitigation=mit.id if mit else None,
        action=action,
        target=target,
        by=by,
        effects=effects,
    )
    if "fixed" in effects.values():
        ctx.faults.mitigated_if_done(mit, action, target)


def rollback(cmd: Command, ctx: CommandContext) -> Effect:
    """``/rollback SERVICE``."""
    service = ctx.service(cmd.args[0])
    return _effect(ctx, "rollback", service, _match(ctx, "rollback", service=service))


def restart(cmd: Command, ctx: CommandContext) -> Effect:
    """``/restart SERVICE``."""
    service = ctx.service(cmd.args[0])
    return _effect(ctx, "restart", service, _match(ctx, "restart", service=service))


def scale(cmd: Command, ctx: CommandContext) -> Effect:
    """``/scale SERVICE N``: the new replica count counts from when it takes effect."""
    service = ctx.service(cmd.args[0])
    replicas = int(cmd.args[1])

    def change() -> None:
        ctx.health.replicas[service] = replicas

    mit = _match(ctx, "scale", service=service, replicas=replicas)
    return _effect(ctx, "scale", f"{service} to {replicas}", mit, change)


def flag(cmd: Command, ctx: CommandContext) -> Effect:
    """``/flag NAME on|off``."""
    name, state = cmd.args
    flags = ctx.parts.state.flags
    if name not in flags:
        raise CommandError(f"unknown feature flag '{name}': {did_you_mean(name, flags)}")

    def change() -> None:
        flags[name] = state

    mit = _match(ctx, "flag", flag=name, state=state)
    return _effect(ctx, "flag", f"{name} {state}", mit, change)


def failover(cmd: Command, ctx: CommandContext) -> Effect:
    """``/failover REGION``."""
    region = ctx.region(cmd.args[0])
    return _effect(ctx, "failover", region, _match(ctx, "failover", region=region))


def shift_traffic(cmd: Command, ctx: CommandContext) -> Effect:
    """``/shift-traffic FROM TO``."""
    src, dst = ctx.region(cmd.args[0]), ctx.region(cmd.args[1])
    if src == dst:
        raise CommandError("traffic must shift between two different regions")
    mit = _match(ctx, "shift_traffic", from_region=src, to_region=dst)
    return _effect(ctx, "shift_traffic", f"{src} -> {dst}", mit)


def mitigate(cmd: Command, ctx: CommandContext) -> Effect:
    """``/mitigate NAME``: one of the scenario's own levers."""
    name = cmd.args[0]
    mit = _match(ctx, "custom", name=name)
    if mit is None:
        customs = [m.id for m in ctx.parts.state.scenario.mitigations if m.action == "custom"]
        raise CommandError(f"no custom mitigation '{name}': {did_you_mean(name, customs)}")
    return _effect(ctx, "custom", name, mit)


RULES: dict[str, Rule] = {
    "rollback": rollback,
    "restart": restart,
    "scale": scale,
    "flag": flag,
    "failover": failover,
    "shift-traffic": shift_traffic,
    "mitigate": mitigate,
}
