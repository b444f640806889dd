"""Mobilising the response: acknowledge pages, declare severity, hand out roles, page people."""

from __future__ import annotations

import simpy

from simulator.drill.commands import Command, CommandError
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.team import Person
from simulator.practice import ROLE_TITLES
from simulator.validation import did_you_mean


def ack(cmd: Command, ctx: CommandContext) -> Effect:
    """``/ack [ALERT]``: acknowledge open pages (all, or those of one alert)."""
    p, alerts = ctx.parts, ctx.alerts
    ref = cmd.args[0] if cmd.args else None
    if ref is not None and not alerts.matching(ref):
        names = [a.name for a in alerts.firing()] + [a.id for a in alerts.firing()]
        raise CommandError(f"no firing alert '{ref}': {did_you_mean(ref, names)}")

    def effect(by: str, role: str) -> str:
        acked = 0
        for page in p.state.pages:
            if page.acknowledged_by is not None:
                continue
            if ref is not None and page.alert not in alerts.matching(ref):
                continue
            page.acknowledged_by = by
            acked += 1
            p.emit(
                "page.acknowledged",
                page=page.id,
                alert=page.alert.id,
                by=by,
                after=round(p.now - page.sent_at, 3),
            )
            for alert in alerts.firing():
                if alert.group == page.alert.group and not alert.acknowledged:
                    alert.acknowledged = True
                    p.emit("alert.acknowledged", alert=alert.id, by=by)
        return f"acknowledged {acked} page(s)" if acked else "nothing to acknowledge"

    return effect


def sev(cmd: Command, ctx: CommandContext) -> Effect:
    """``/sev N``: declare or change the severity."""
    severity = int(cmd.args[0])
    p = ctx.parts

    def effect(by: str, role: str) -> str:
        previous = p.state.severity
        if previous == severity:
            return f"already SEV{severity}"
        p.state.severity = severity
        p.emit("severity.declared", severity=severity, previous=previous, by=by)
        return f"declared SEV{severity}"

    return effect


def assign(cmd: Command, ctx: CommandContext) -> Effect:
    """``/assign ROLE NAME``: give a person a role."""
    role, name = cmd.args
    if name.lower() in ("me", "myself"):
        name = ctx.trainee
    person = ctx.team.person(name)

    def effect(by: str, _role: str) -> str:
        ctx.team.assign(role, person, by)
        return f"{person.name} is {ROLE_TITLES[role]}"

    return effect


def page(cmd: Command, ctx: CommandContext) -> Effect:
    """``/page PERSON|TEAM``: page someone to join."""
    target = " ".join(cmd.args)
    team, p = ctx.team, ctx.parts
    people = [q for q in team.people.values() if q.team.lower() == target.lower()]
    if not people:
        people = [team.person(target)]

    def effect(by: str, role: str) -> str:
        for person in people:
            page_id = f"P{len(p.state.pages) + 1}m{len(p.state.events)}"
            p.emit(
                "page.sent",
                page=page_id,
                alert=None,
                name=None,
                to=person.name,
                level=0,
                noise=False,
                manual=True,
                by=by,
            )
            if not person.human and not person.joined:
                p.env.process(_join_when_paged(ctx, person))
        return f"paged {', '.join(q.name for q in people)}"

    return effect


def _join_when_paged(ctx: CommandContext, person: Person) -> simpy.events.ProcessGenerator:
    p = ctx.parts
    yield p.env.timeout(person.responds_in)
    if person.joined or not person.available:
        return
    person.joined = True
    p.emit("teammate.joined", person=person.name, role=None)
    p.post(
        "incident",
        person.name,
        f"{person.name} joining. What do you need from me?",
        kind="teammate",
    )


RULES: dict[str, Rule] = {"ack": ack, "sev": sev, "assign": assign, "page": page}
