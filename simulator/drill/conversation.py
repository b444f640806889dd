"""Talking in the incident: free-text chat, requests to a role, replies to stakeholders, and
who may issue what.

Real incidents run on conversation as much as on commands: a Comms Lead answers
"is this a data breach?" to the person who asked, a Tech Lead asks the IC to approve
a failover, anyone asks "is anyone looking at the db?". Each is logged with its
author, so the grader and the debrief see it. The role table itself lives in
:mod:`simulator.practice`; :func:`check_permission` applies it to a parsed command.
"""

from __future__ import annotations

import simpy

from simulator.drill.commands import SPECS, Command, CommandError
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.knowledge import clue_found
from simulator.log.events import Event
from simulator.practice import (
    APPROVAL_COMMANDS,
    COMMAND_OWNER,
    ROLE_TITLES,
    may_issue,
)
from simulator.validation import did_you_mean

ANSWER_AFTER = 30.0
"""How long a simulated role holder takes to answer a request."""


def lever(cmd: Command) -> str:
    """A lever as the IC approves it: the command's name and arguments (``failover us-east-1``)."""
    return " ".join((cmd.name, *cmd.args))


def check_permission(cmd: Command, role: str, by: str, ctx: CommandContext) -> None:
    """Raise CommandError, saying who can do it and how to ask them, when ``role`` may not.

    The IC handing a risky lever to someone (``/failover X @tech``) is their approval.
    """
    state = ctx.parts.state
    if role == "ic":
        if cmd.name in APPROVAL_COMMANDS:
            state.approvals.add(lever(cmd))
        return
    if not may_issue(role, cmd.name):
        owner = COMMAND_OWNER[cmd.name]
        holder = ctx.team.holder(owner)
        who = f"{ROLE_TITLES[owner]}'s" + (f" ({holder})" if holder else "")
        raise CommandError(
            f"/{cmd.name} is the {who} call, not the {ROLE_TITLES[role]}'s",
            f"/ask {owner} {cmd.text.removeprefix('/')}",
        )
    if cmd.name in APPROVAL_COMMANDS and lever(cmd) not in state.approvals:
        holder = ctx.team.holder("ic")
        if holder != by:
            raise CommandError(
                f"a {cmd.name} needs the Incident Commander's approval"
                + (f" ({holder})" if holder else ""),
                f"/ask ic approve {lever(cmd)}",
            )


def say(cmd: Command, ctx: CommandContext) -> Effect:
    """Free text (or ``/say TEXT``): a line in the incident channel."""
    text = cmd.args[0]

    def effect(by: str, role: str) -> str:
        ctx.parts.emit("chat.posted", text=text, by=by, role=role)
        return "said in #incident"

    return effect


def ask(cmd: Command, ctx: CommandContext) -> Effect:
    """``/ask ROLE TEXT``: a request to whoever holds the role; a simulated holder answers."""
    to, text = cmd.args
    p, team = ctx.parts, ctx.team

    def effect(by: str, role: str) -> str:
        person = team.holder(to)
        p.emit("request.posted", to=to, person=person, text=text, by=by, role=role)
        sim = team.simulated(to)
        if sim is not None and sim.name != by:
            p.env.process(_answer(ctx, to, sim.name, text, by))
        who = person or "nobody yet"
        return f"asked the {ROLE_TITLES[to]} ({who})"

    return effect


def _answer(
    ctx: CommandContext, to: str, holder: str, text: str, asker: str
) -> simpy.events.ProcessGenerator:
    p = ctx.parts
    yield p.env.timeout(ANSWER_AFTER)
    if p.state.ended:
        return
    words = text.split()
    if words and words[0].lower() in ("approve", "approval") and to == "ic":
        _approve(ctx, holder, " ".join(words[1:]), asker)
        return
    requested = _as_command(text)
    if requested is not None and requested.name == "resolve" and p.state.impact_open:
        p.emit(
            "request.answered",
            to=asker,
            text="Not while customers are still affected: the dashboards are still red.",
            by=holder,
        )
        return
    if requested is not None and may_issue(to, requested.name):
        p.emit("request.answered", to=asker, text=f"On it: {requested.text}", by=holder)
        ctx.team.perform(requested.text, holder, to)
        return
    p.emit(
        "request.answered",
        to=asker,
        text="Thanks, noted. I'll take it into account.",
        by=holder,
    )


def _as_command(text: str) -> Command | None:
    from simulator.drill.commands import parse_command

    body = text.strip().removeprefix("please ").strip()
    if not body.startswith("/"):
        body = "/" + body
    try:
        cmd = parse_command(body)
    except CommandError:
        return None
    return cmd if cmd.name != "say" else None


def _approve(ctx: CommandContext, ic: str, wanted: str, asker: str) -> None:
    """A simulated IC approves a risky lever when the evidence supports one."""
    p = ctx.parts
    cmd = _as_command(wanted)
    if cmd is None or cmd.name not in SPECS:
        p.emit(
            "request.answered",
            to=asker,
            text=f"Approve what? Name the lever, e.g. /ask ic approve failover REGION. "
            f"({did_you_mean(wanted, sorted(APPROVAL_COMMANDS))})",
            by=ic,
            approved=False,
        )
        return
    # The IC judges on what the team has found, not on what the simulator knows.
    supported = clue_found(p.state.events)
    if supported:
        p.state.approvals.add(lever(cmd))
        text = f"Approved: go ahead with {cmd.text}, and tell me when it is done."
    else:
        text = (
            f"Not yet: what have we found that says {cmd.text} will help? "
            "Investigate first and tell me what you see."
        )
    p.emit("request.answered", to=asker, text=text, by=ic, approved=supported, command=cmd.text)


def askers(events: list[Event]) -> list[str]:
    """Stakeholders who have asked for news so far, by name, first asker first."""
    names: list[str] = []
    for e in events:
        if e.type != "message.posted":
            continue
        name = e.get("stakeholder") if e["kind"] == "stakeholder_ask" else None
        if e["kind"] == "executive_ask":
            name = str(e["sender"]).split(" (")[0]
        if name and name not in names:
            names.append(str(name))
    return names


def reply(cmd: Command, ctx: CommandContext) -> Effect:
    """``/reply NAME TEXT``: answer a stakeholder who asked; it resets their patience."""
    ref, text = cmd.args
    p = ctx.parts
    known = askers(p.state.events)
    low = ref.lower()
    match = next((n for n in known if n.lower() == low), None) or next(
        (n for n in known if n.lower().startswith(low)), None
    )
    if match is None:
        if not known:
            raise CommandError("no stakeholder has asked anything yet", "/update TEXT")
        raise CommandError(f"nobody called '{ref}' has asked: {did_you_mean(ref, known)}")

    def effect(by: str, role: str) -> str:
        p.state.replied_at[match] = p.now
        p.emit("stakeholder.replied", stakeholder=match, text=text, by=by)
        return f"replied to {match}"

    return effect


RULES: dict[str, Rule] = {"say": say, "ask": ask, "reply": reply}
