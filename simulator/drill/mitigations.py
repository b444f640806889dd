"""Mitigations: roll back, toggle a flag, restart, scale, fail over, shift traffic, custom levers.

A command names a lever; if the scenario defines a mitigation for it, the faults
respond as the scenario says once it takes effect (:mod:`simulator.drill.faults`);
otherwise it runs and changes nothing. Either way it takes time, and it is logged.

v2 adds what makes a real fix hard: a lever the team has no evidence for yet is
refused (``known``), the tool it needs may be down (:mod:`.tooling`), someone may
have to approve it first (``approval``), and it may only work once something else
holds (``requires``: refused when it takes effect, as a restart that crashes again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy

from simulator.drill.commands import Command, CommandError
from simulator.drill.conditions import missing
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.tooling import COMMAND_TOOLS, tool_down
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


def _check(ctx: CommandContext, cmd: Command, mit: Mitigation | None) -> None:
    """v2: refuse now a lever the team has no evidence for, or whose tool is down."""
    state = ctx.parts.state
    if mit is not None and mit.id not in state.known:
        raise CommandError(
            f"no evidence yet for '{_text(cmd)}': nobody on the team knows it would help; "
            "investigate first (a finding shows the way)"
        )
    down = tool_down(state, COMMAND_TOOLS.get(cmd.name))
    if down:
        raise CommandError(down)


def _text(cmd: Command) -> str:
    return " ".join([f"/{cmd.name}", *cmd.args])


def _effect(
    ctx: CommandContext,
    cmd: Command,
    target: str,
    mit: Mitigation | None,
    change: Callable[[], None] | None = None,
) -> Effect:
    action = "shift_traffic" if cmd.name == "shift-traffic" else cmd.name
    action = "custom" if action == "mitigate" else action
    takes = mit.takes if mit else GENERIC_TAKES
    p = ctx.parts
    _check(ctx, cmd, mit)

    def effect(by: str, role: str) -> str:
        down = tool_down(p.state, COMMAND_TOOLS.get(cmd.name))
        if down:  # it went down while the task waited to be picked up
            _refuse(ctx, cmd, mit, by, down)
            return down
        p.state.mitigations_in_progress += 1
        p.emit(
            "mitigation.started",
            mitigation=mit.id if mit else None,
            action=action,
            target=target,
            by=by,
            takes=takes,
        )
        wait = 0.0
        if mit is not None and mit.approval is not None and p.state.v2:
            wait = _ask_approval(ctx, mit, by, role)
        p.env.process(_apply_later(ctx, cmd, action, target, mit, wait + takes, by, change))
        return f"{action} {target}: takes effect in about {format_duration(wait + takes)}"

    return effect


def _ask_approval(ctx: CommandContext, mit: Mitigation, by: str, role: str) -> float:
    """Ask the approver; return how long the answer takes (0 when the IC does it)."""
    assert mit.approval is not None
    who = mit.approval.by
    if who.lower() == "ic" and role == "ic":
        return 0.0
    approver = ctx.team.holder("ic") or "the IC" if who.lower() == "ic" else who
    ctx.parts.post(
        "incident", by, f"Requesting approval from {approver} for {mit.id}.", kind="system"
    )
    ctx.parts.env.process(_approve(ctx, approver, mit, mit.approval.takes))
    return mit.approval.takes


def _approve(
    ctx: CommandContext, approver: str, mit: Mitigation, after: float
) -> simpy.events.ProcessGenerator:
    yield ctx.parts.env.timeout(after)
    if not ctx.parts.state.ended:
        ctx.parts.post("incident", approver, f"Approved: go ahead with {mit.id}.", kind="system")


def _refuse(
    ctx: CommandContext, cmd: Command, mit: Mitigation | None, by: str, reason: str
) -> None:
    ctx.parts.emit(
        "mitigation.refused",
        command=_text(cmd),
        mitigation=mit.id if mit else None,
        by=by,
        reason=reason,
    )


def _apply_later(
    ctx: CommandContext,
    cmd: Command,
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
    unmet = missing(p.state, mit.requires) if mit and mit.requires and p.state.v2 else None
    if unmet is not None:
        _refuse(ctx, cmd, mit, by, f"{_text(cmd)} did not take: {unmet}")
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
    if "fixed" in effects.values() or "loss_stopped" in effects.values():
        ctx.faults.mitigated_if_done(mit, action, target)


def rollback(cmd: Command, ctx: CommandContext) -> Effect:
    """``/rollback SERVICE``."""
    service = ctx.service(cmd.args[0])
    return _effect(ctx, cmd, service, _match(ctx, "rollback", service=service))


def restart(cmd: Command, ctx: CommandContext) -> Effect:
    """``/restart SERVICE``."""
    service = ctx.service(cmd.args[0])
    return _effect(ctx, cmd, service, _match(ctx, "restart", service=service))


def scale(cmd: Command, ctx: CommandContext) -> Effect:
    """``/scale SERVICE N``: the new replica count counts from when it takes effect."""
    service = ctx.service(cmd.args[0])
    replicas = int(cmd.args[1])

    def change() -> None:
        ctx.health.replicas[service] = replicas

    mit = _match(ctx, "scale", service=service, replicas=replicas)
    return _effect(ctx, cmd, f"{service} to {replicas}", mit, change)


def flag(cmd: Command, ctx: CommandContext) -> Effect:
    """``/flag NAME on|off``."""
    name, state = cmd.args
    flags = ctx.parts.state.flags
    if name not in flags:
        raise CommandError(f"unknown feature flag '{name}': {did_you_mean(name, flags)}")

    def change() -> None:
        flags[name] = state

    mit = _match(ctx, "flag", flag=name, state=state)
    return _effect(ctx, cmd, f"{name} {state}", mit, change)


def failover(cmd: Command, ctx: CommandContext) -> Effect:
    """``/failover REGION``."""
    region = ctx.region(cmd.args[0])
    return _effect(ctx, cmd, region, _match(ctx, "failover", region=region))


def shift_traffic(cmd: Command, ctx: CommandContext) -> Effect:
    """``/shift-traffic FROM TO``."""
    src, dst = ctx.region(cmd.args[0]), ctx.region(cmd.args[1])
    if src == dst:
        raise CommandError("traffic must shift between two different regions")
    mit = _match(ctx, "shift_traffic", from_region=src, to_region=dst)
    return _effect(ctx, cmd, f"{src} -> {dst}", mit)


def mitigate(cmd: Command, ctx: CommandContext) -> Effect:
    """``/mitigate NAME``: one of the scenario's own levers."""
    name = cmd.args[0]
    mit = _match(ctx, "custom", name=name)
    state = ctx.parts.state
    if mit is None or mit.id not in state.known:  # an unknown lever is not even hinted at
        customs = [
            m.id for m in state.scenario.mitigations if m.action == "custom" and m.id in state.known
        ]
        raise CommandError(f"no custom mitigation '{name}': {did_you_mean(name, customs)}")
    return _effect(ctx, cmd, name, mit)


RULES: dict[str, Rule] = {
    "rollback": rollback,
    "restart": restart,
    "scale": scale,
    "flag": flag,
    "failover": failover,
    "shift-traffic": shift_traffic,
    "mitigate": mitigate,
}
