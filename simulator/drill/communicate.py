"""Communicating and closing: status page, stakeholder updates, notes, silences, resolve."""

from __future__ import annotations

from simulator.drill.commands import Command, CommandError
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.tooling import COMMAND_TOOLS, tool_down
from simulator.durations import format_duration
from simulator.validation import did_you_mean


def _tool_works(cmd: Command, ctx: CommandContext) -> None:
    """v2: the status page, chat... must be up for the command to go through."""
    down = tool_down(ctx.parts.state, COMMAND_TOOLS.get(cmd.name))
    if down:
        raise CommandError(down)


def silence(cmd: Command, ctx: CommandContext) -> Effect:
    """``/silence ALERT [DURATION]``: silence every alert with that name for a while."""
    alerts, p = ctx.alerts, ctx.parts
    ref, seconds = cmd.args[0], float(cmd.args[1])
    by_id = {a.id.lower(): a.name for a in alerts.alerts.values()}
    name = by_id.get(ref.lower(), ref)
    known = alerts.known_names()
    match = next((k for k in known if k.lower() == name.lower()), None)
    if match is None:
        raise CommandError(f"no alert called '{ref}': {did_you_mean(ref, known)}")

    def effect(by: str, role: str) -> str:
        hit = alerts.silence(p.now, match, seconds, by)
        return f"silenced {match} for {format_duration(seconds)} ({len(hit)} firing)"

    return effect


def status(cmd: Command, ctx: CommandContext) -> Effect:
    """``/status STATE "message"``: post to the public status page."""
    state, message = cmd.args
    _tool_works(cmd, ctx)

    def effect(by: str, role: str) -> str:
        ctx.parts.emit("status.posted", state=state, message=message, by=by)
        return f"status page: {state}"

    return effect


def update(cmd: Command, ctx: CommandContext) -> Effect:
    """``/update "message"``: send stakeholders an update."""
    message = cmd.args[0]
    p = ctx.parts
    _tool_works(cmd, ctx)

    def effect(by: str, role: str) -> str:
        p.state.last_update_at = p.now
        p.emit("update.posted", message=message, by=by)
        return "stakeholder update sent"

    return effect


def note(cmd: Command, ctx: CommandContext) -> Effect:
    """``/note "text"``: record a note or decision in the timeline."""
    text = cmd.args[0]
    _tool_works(cmd, ctx)

    def effect(by: str, role: str) -> str:
        ctx.parts.emit("note.added", text=text, by=by)
        return "noted"

    return effect


def resolve(cmd: Command, ctx: CommandContext) -> Effect:
    """``/resolve``: resolve the incident; the drill ends."""
    p = ctx.parts

    def effect(by: str, role: str) -> str:
        p.emit(
            "incident.resolved",
            by=by,
            impact_ongoing=p.state.impact_open,
            severity=p.state.severity,
        )
        ctx.end(f"resolved by {by}")
        return "incident resolved; the drill is over"

    return effect


RULES: dict[str, Rule] = {
    "silence": silence,
    "status": status,
    "update": update,
    "note": note,
    "resolve": resolve,
}
