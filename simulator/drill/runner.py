"""Every command goes through here: parsed, checked against the scenario, logged, then applied.

The grammar is parsed (:mod:`simulator.drill.commands`), the command's rule checks
names against the scenario (unknown ones are rejected with a did-you-mean), a
``command.accepted`` or ``command.rejected`` event is logged, and the effect
follows. A task handed to ``@someone`` is carried out by that person when they
pick it up; the IC doing the work themselves is what scoring calls hands-on.
"""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from simulator.drill import communicate, conversation, investigations, mitigations, mobilise
from simulator.drill.commands import SPECS, Command, CommandError, parse_command
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.team import TASK_PICKUP, Person
from simulator.log.events import Event
from simulator.practice import ROLE_TITLES

RULES: dict[str, Rule] = {
    **mobilise.RULES,
    **investigations.RULES,
    **mitigations.RULES,
    **communicate.RULES,
    **conversation.RULES,
}
"""Each command's rule, by the command's name in the grammar."""
if set(RULES) != set(SPECS):  # one vocabulary: the grammar and the rules name the same commands
    raise AssertionError(f"commands without a rule or spec: {sorted(set(RULES) ^ set(SPECS))}")


@dataclass(frozen=True)
class CommandResult:
    """What happened to a submitted command."""

    accepted: bool
    message: str
    event: Event


class CommandRunner:
    """Checks, logs and applies commands for one drill."""

    def __init__(self, ctx: CommandContext, trainee_role: str) -> None:
        self.ctx = ctx
        self.trainee_role = trainee_role

    def submit(
        self, text: str, role: str, reason: str | None, by: str | None = None
    ) -> CommandResult:
        """Apply ``text`` given by ``by`` (the person at the seat) in ``role``; never
        raises for bad input.

        The log credits whoever typed the command: a role reassigned mid-drill moves the
        role to someone else, not the name onto the seat. Without ``by``, the person
        seated in ``role`` from the start (the trainee, a team's player) is credited,
        and only an unseated role falls back to its current holder.
        """
        if by is None:
            team = self.ctx.team
            seated = self.ctx.trainee if role == self.trainee_role else team.players.get(role)
            by = seated or team.holder(role)
        return self.run(text, by or f"{ROLE_TITLES[role]} player", role, reason)

    def perform(self, text: str, person: str, role: str) -> None:
        """A simulated teammate runs a command as themselves."""
        self.run(text, person, role, None, simulated=True)

    def run(
        self, text: str, by: str, role: str, reason: str | None, *, simulated: bool = False
    ) -> CommandResult:
        """Parse, check, log and apply one command given by ``by`` in ``role``."""
        emit = self.ctx.parts.emit
        extra = {"simulated": True} if simulated else {}
        try:
            cmd = parse_command(text)
            conversation.check_permission(cmd, role, by, self.ctx)
            effect = RULES[cmd.name](cmd, self.ctx)
            delegate = self._delegate(cmd, by)
        except CommandError as err:
            event = emit(
                "command.rejected",
                text=text.strip(),
                by=by,
                role=role,
                error=err.message,
                usage=err.usage,
                **extra,
            )
            return CommandResult(False, str(err), event)
        event = emit(
            "command.accepted",
            text=cmd.text,
            command=cmd.name,
            args=list(cmd.args),
            by=by,
            role=role,
            delegate=delegate.name if delegate else None,
            reason=reason or cmd.reason,
            **extra,
        )
        if delegate is None:
            return CommandResult(True, effect(by, role), event)
        emit(
            "task.assigned",
            to=delegate.name,
            task=cmd.text.split(" @")[0],
            by=by,
            command=event.seq,
        )
        self.ctx.parts.env.process(self._carry_out(delegate, effect))
        return CommandResult(True, f"asked {delegate.name} to do it", event)

    def _delegate(self, cmd: Command, by: str) -> Person | None:
        if not cmd.delegate:
            return None
        person = self.ctx.team.resolve_delegate(cmd.delegate)
        return None if person.name == by else person

    def _carry_out(self, person: Person, effect: Effect) -> simpy.events.ProcessGenerator:
        p = self.ctx.parts
        while not person.joined and not p.state.ended:
            yield p.env.timeout(15.0)
        yield p.env.timeout(TASK_PICKUP)
        if p.state.ended:
            return
        if not person.available:
            p.post("incident", "system", f"{person.name} is not responding.", kind="system")
            return
        if person.human:
            return  # a human teammate does it themselves; the task is on record
        effect(person.name, self.ctx.team.role_of(person.name) or "sme")
