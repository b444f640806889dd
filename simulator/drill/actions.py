"""What each command does: checked against the scenario, logged, then applied.

Every command goes through :meth:`CommandRunner.submit`: the grammar is parsed,
names are checked against the scenario (unknown ones are rejected with a
did-you-mean), a ``command.accepted`` or ``command.rejected`` event is logged, and
the effect follows. A task handed to ``@someone`` is carried out by that person
when they pick it up; the IC doing the work themselves is what scoring calls
hands-on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import simpy

from simulator.drill.commands import Command, CommandError, parse_command
from simulator.drill.team import TASK_PICKUP, Person
from simulator.durations import format_clock, format_duration
from simulator.practice import ROLE_TITLES
from simulator.scenario.model import CustomMitigation, Investigation, Mitigation, Scale
from simulator.validation import did_you_mean

if TYPE_CHECKING:
    from simulator.drill.health import FaultState
    from simulator.drill.session import CommandResult, DrillSession

Effect = Callable[[str, str], str]
"""Carries a command out as (person, role); returns what happened, for the front end."""

GENERIC_TAKES = {"investigate": 60.0, "mitigation": 90.0}


class CommandRunner:
    """Checks, logs and applies commands for one drill session."""

    def __init__(self, session: DrillSession) -> None:
        self.s = session
        self.applied_mitigations: list[str] = []
        self._in_progress = 0

    # ------------------------------------------------------------------ entry points
    def submit(self, text: str, role: str, reason: str | None) -> CommandResult:
        """Apply ``text`` as the holder of ``role``; never raises for bad input."""
        by = self.s.team.holder(role) if role != self.s.role else self.s.trainee
        return self.run(text, by or f"{ROLE_TITLES[role]} player", role, reason)

    def perform_text(self, text: str, person: str, role: str) -> None:
        """A simulated teammate runs a command as themselves."""
        self.run(text, person, role, None, simulated=True)

    def run(
        self, text: str, by: str, role: str, reason: str | None, *, simulated: bool = False
    ) -> CommandResult:
        """Parse, check, log and apply one command given by ``by`` in ``role``."""
        from simulator.drill.session import CommandResult

        extra = {"simulated": True} if simulated else {}
        try:
            cmd = parse_command(text)
            effect = self._check(cmd)
            delegate = self._delegate(cmd, by)
        except CommandError as err:
            event = self.s.emit(
                "command.rejected",
                text=text.strip(),
                by=by,
                role=role,
                error=err.message,
                usage=err.usage,
                **extra,
            )
            return CommandResult(False, str(err), event)
        event = self.s.emit(
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
        self.s.emit(
            "task.assigned",
            to=delegate.name,
            task=cmd.text.split(" @")[0],
            by=by,
            command=event.seq,
        )
        self.s.env.process(self._carry_out(delegate, effect))
        return CommandResult(True, f"asked {delegate.name} to do it", event)

    def _delegate(self, cmd: Command, by: str) -> Person | None:
        if not cmd.delegate:
            return None
        person = self.s.team.resolve_delegate(cmd.delegate)
        return None if person.name == by else person

    def _carry_out(self, person: Person, effect: Effect) -> simpy.events.ProcessGenerator:
        while not person.joined and not self.s.ended:
            yield self.s.env.timeout(15.0)
        yield self.s.env.timeout(TASK_PICKUP)
        if self.s.ended:
            return
        if not person.available:
            self.s.post("incident", "system", f"{person.name} is not responding.", kind="system")
            return
        if person.human:
            return  # a human teammate does it themselves; the task is on record
        effect(person.name, self.s.team.role_of(person.name) or "sme")

    def _check(self, cmd: Command) -> Effect:
        handler: Callable[[Command], Effect] = getattr(self, "_" + cmd.name.replace("-", "_"))
        return handler(cmd)

    # ------------------------------------------------------------------ helpers
    def _service(self, name: str) -> str:
        names = [s.name for s in self.s.scenario.services]
        if name not in names:
            raise CommandError(f"unknown service '{name}': {did_you_mean(name, names)}")
        return name

    def _region(self, name: str) -> str:
        regions = self.s.scenario.regions()
        if name not in regions:
            raise CommandError(f"unknown region '{name}': {did_you_mean(name, regions)}")
        return name

    def fixing_command(self) -> tuple[str, str] | None:
        """The command of a mitigation that fixes an active fault, and why, for proposals."""
        for state in self.s.faults:
            if not state.active:
                continue
            for mit_id in state.fault.responses:
                if state.fault.response_to(mit_id, state.applications.get(mit_id, 0)) == "fixes":
                    mit = next(m for m in self.s.scenario.mitigations if m.id == mit_id)
                    why = mit.description or "It should stop the bleeding."
                    return command_for(mit), why
        return None

    def clue_queries(self) -> list[str]:
        """Investigation queries that reveal a clue."""
        return [
            i.query
            for i in self.s.scenario.investigations
            if any(f.kind == "clue" for f in i.findings)
        ]

    def pending_mitigation(self) -> bool:
        """Whether a mitigation is under way."""
        return self._in_progress > 0

    # ------------------------------------------------------------------ mobilise
    def _ack(self, cmd: Command) -> Effect:
        ref = cmd.args[0] if cmd.args else None
        if ref is not None and not self.s.alerts.matching(ref):
            names = [a.name for a in self.s.alerts.firing()] + [
                a.id for a in self.s.alerts.firing()
            ]
            raise CommandError(f"no firing alert '{ref}': {did_you_mean(ref, names)}")

        def effect(by: str, role: str) -> str:
            acked = 0
            for page in self.s.pages:
                if page.acknowledged_by is not None:
                    continue
                if ref is not None and page.alert not in self.s.alerts.matching(ref):
                    continue
                page.acknowledged_by = by
                acked += 1
                self.s.emit(
                    "page.acknowledged",
                    page=page.id,
                    alert=page.alert.id,
                    by=by,
                    after=round(self.s.now - page.sent_at, 3),
                )
                for alert in self.s.alerts.firing():
                    if alert.group == page.alert.group and not alert.acknowledged:
                        alert.acknowledged = True
                        self.s.emit("alert.acknowledged", alert=alert.id, by=by)
            return f"acknowledged {acked} page(s)" if acked else "nothing to acknowledge"

        return effect

    def _sev(self, cmd: Command) -> Effect:
        severity = int(cmd.args[0])

        def effect(by: str, role: str) -> str:
            previous = self.s.severity
            if previous == severity:
                return f"already SEV{severity}"
            self.s.severity = severity
            self.s.emit("severity.declared", severity=severity, previous=previous, by=by)
            return f"declared SEV{severity}"

        return effect

    def _assign(self, cmd: Command) -> Effect:
        role, name = cmd.args
        if name.lower() in ("me", "myself"):
            name = self.s.trainee
        person = self.s.team.person(name)

        def effect(by: str, _role: str) -> str:
            self.s.team.assign(role, person, by)
            return f"{person.name} is {ROLE_TITLES[role]}"

        return effect

    def _page(self, cmd: Command) -> Effect:
        target = " ".join(cmd.args)
        team = self.s.team
        people = [p for p in team.people.values() if p.team.lower() == target.lower()]
        if not people:
            people = [team.person(target)]

        def effect(by: str, role: str) -> str:
            for person in people:
                page_id = f"P{len(self.s.pages) + 1}m{len(self.s.events)}"
                self.s.emit(
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
                    self.s.env.process(self._join_when_paged(person))
            return f"paged {', '.join(p.name for p in people)}"

        return effect

    def _join_when_paged(self, person: Person) -> simpy.events.ProcessGenerator:
        yield self.s.env.timeout(person.responds_in)
        if person.joined or not person.available:
            return
        person.joined = True
        self.s.emit("teammate.joined", person=person.name, role=None)
        self.s.post(
            "incident",
            person.name,
            f"{person.name} joining. What do you need from me?",
            kind="teammate",
        )

    # ------------------------------------------------------------------ investigate
    def _find_investigation(self, query: str) -> Investigation | None:
        key = " ".join(query.split()).lower()
        return next(
            (i for i in self.s.scenario.investigations if " ".join(i.query.split()).lower() == key),
            None,
        )

    def _investigate(self, cmd: Command) -> Effect:
        kind = cmd.args[0]
        if kind in ("logs", "metrics", "deps"):
            self._service(cmd.args[1])
        query = " ".join(cmd.args)
        defined = self._find_investigation(query)
        if defined is None and kind not in ("deploys", "flags", "logs", "metrics", "deps"):
            options = [
                "deploys",
                "flags",
                "logs SERVICE",
                "metrics SERVICE",
                "deps SERVICE",
                *(i.query for i in self.s.scenario.investigations),
            ]
            raise CommandError(
                f"nothing called '{query}' to investigate: " + did_you_mean(query, options)
            )
        takes = defined.takes if defined else GENERIC_TAKES["investigate"]

        def effect(by: str, role: str) -> str:
            self.s.emit(
                "investigation.started",
                query=query,
                by=by,
                takes=takes,
                defined=defined is not None,
            )
            self.s.env.process(self._finish_investigation(query, defined, by, takes))
            return f"investigating {query} (about {format_duration(takes)})"

        return effect

    def _finish_investigation(
        self, query: str, defined: Investigation | None, by: str, takes: float
    ) -> simpy.events.ProcessGenerator:
        yield self.s.env.timeout(takes)
        if self.s.ended:
            return
        findings = self._findings(query, defined)
        self.s.emit("investigation.completed", query=query, by=by, findings=findings)

    def _findings(self, query: str, defined: Investigation | None) -> list[dict[str, Any]]:
        t = self.s.now
        active = {st.fault.id for st in self.s.faults if st.active}
        out: list[dict[str, Any]] = []
        if defined is not None:
            out += [
                {"text": f.text, "kind": f.kind} for f in defined.findings if f.shown(t, active)
            ]
        words = query.split()
        if words[0] == "metrics":
            m = self.s.last_metrics.get(words[1])
            if m is not None:
                out.append(
                    {
                        "kind": "info",
                        "text": (
                            f"{words[1]} now: error rate {m.error_rate:.2%}, "
                            f"p99 {m.latency_p99_ms:.0f} ms, saturation {m.saturation:.0%}, "
                            f"{m.users_affected:.0f} users/min affected"
                        ),
                    }
                )
        elif words[0] == "flags":
            described = {f.name: f.description for f in self.s.scenario.flags}
            for name, state in sorted(self.s.flags.items()):
                about = f" ({described[name]})" if described.get(name) else ""
                out.append({"kind": "info", "text": f"Flag {name} is {state}{about}"})
            if not self.s.flags:
                out.append({"kind": "info", "text": "No feature flags are defined."})
        elif words[0] == "deps" and not out:
            svc = self.s.scenario.service(words[1])
            for dep in svc.dependencies():
                m = self.s.last_metrics.get(dep.service)
                if m is not None:
                    out.append(
                        {
                            "kind": "info",
                            "text": (
                                f"{dep.service}: error rate {m.error_rate:.2%}, "
                                f"p99 {m.latency_p99_ms:.0f} ms"
                            ),
                        }
                    )
        if words[0] == "deploys" and defined is None:
            out.extend(self._deploy_history())
        if not out:
            out.append(
                {
                    "kind": "info",
                    "text": {
                        "deploys": "No deploys in the last 24 hours.",
                        "logs": f"Nothing unusual in {words[-1]} logs beyond the usual noise.",
                        "deps": f"{words[-1]} has no dependencies.",
                    }.get(words[0], "Nothing notable found."),
                }
            )
        return out

    def _deploy_history(self) -> list[dict[str, Any]]:
        """Recent changes the scenario records on its deploy and config faults."""
        out = []
        for state in self.s.faults:
            fault = state.fault
            if fault.deployed_version and state.started_at is not None:
                when = format_clock(state.started_at)
                out.append(
                    {
                        "kind": "info",
                        "text": (
                            f"{when} {fault.target} {fault.deployed_version} rolled out "
                            f"({fault.kind.replace('_', ' ')})"
                        ),
                    }
                )
        return out

    # ------------------------------------------------------------------ mitigate
    def _match(self, action: str, **fields: Any) -> Mitigation | None:
        """The scenario's mitigation that this command carries out, if any."""
        for mit in self.s.scenario.mitigations:
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

    def _mitigation_effect(
        self,
        action: str,
        target: str,
        mit: Mitigation | None,
        change: Callable[[], None] | None = None,
    ) -> Effect:
        takes = mit.takes if mit else GENERIC_TAKES["mitigation"]

        def effect(by: str, role: str) -> str:
            self._in_progress += 1
            self.s.emit(
                "mitigation.started",
                mitigation=mit.id if mit else None,
                action=action,
                target=target,
                by=by,
                takes=takes,
            )
            self.s.env.process(self._apply_later(action, target, mit, takes, by, change))
            return f"{action} {target}: takes effect in about {format_duration(takes)}"

        return effect

    def _apply_later(
        self,
        action: str,
        target: str,
        mit: Mitigation | None,
        takes: float,
        by: str,
        change: Callable[[], None] | None,
    ) -> simpy.events.ProcessGenerator:
        yield self.s.env.timeout(takes)
        self._in_progress -= 1
        if self.s.ended:
            return
        if change is not None:
            change()
        effects: dict[str, str] = {}
        fixed_any = False
        for state in self.s.faults:
            if mit is None or not state.active:
                continue
            count = state.applications.get(mit.id, 0)
            response = state.fault.response_to(mit.id, count)
            if response is None:
                continue
            state.applications[mit.id] = count + 1
            if response == "no_effect":
                continue
            fid = state.fault.id
            if response == "fixes":
                state.fix(self.s.now)
                effects[fid] = "fixed"
                fixed_any = True
                self.s.emit("fault.fixed", fault=fid, by=mit.id if mit else None)
            elif response == "worsens":
                state.worsened()
                effects[fid] = "worsened"
                self.s.emit(
                    "fault.worsened", fault=fid, by=mit.id if mit else None, factor=state.worsen
                )
            else:
                state.relieve(self.s.now, response.relieves, response.to)
                effects[fid] = "relieved"
                self.s.emit(
                    "fault.relieved",
                    fault=fid,
                    by=mit.id if mit else None,
                    until=round(self.s.now + response.relieves, 3),
                    level=response.to,
                    then=response.then,
                )
                if response.then == "fixes":
                    self.s.env.process(
                        self._settle(state, mit, action, target, self.s.now + response.relieves)
                    )
        if mit is not None:
            self.applied_mitigations.append(mit.id)
        self.s.emit(
            "mitigation.applied",
            mitigation=mit.id if mit else None,
            action=action,
            target=target,
            by=by,
            effects=effects,
        )
        if fixed_any:
            self._mitigated_if_done(mit, action, target)

    def _mitigated_if_done(self, mit: Mitigation | None, action: str, target: str) -> None:
        """Log that the impact is mitigated once no fault is active any more."""
        if self.s.impact_open and not any(st.active for st in self.s.faults):
            self.s.emit(
                "impact.mitigated", by=mit.id if mit else None, action=action, target=target
            )
            self.s.env.process(self.s.check_impact_over())

    def _settle(
        self, state: FaultState, mit: Mitigation | None, action: str, target: str, until: float
    ) -> simpy.events.ProcessGenerator:
        """A relief that ``then: fixes``: when it wears off, the fault is over."""
        yield self.s.env.timeout(until - self.s.now)
        later_relief = state.relieved_until is not None and state.relieved_until > until
        if self.s.ended or not state.active or later_relief:
            return
        state.fix(self.s.now)
        self.s.emit("fault.fixed", fault=state.fault.id, by=mit.id if mit else None)
        self._mitigated_if_done(mit, action, target)

    def _rollback(self, cmd: Command) -> Effect:
        service = self._service(cmd.args[0])
        return self._mitigation_effect(
            "rollback", service, self._match("rollback", service=service)
        )

    def _restart(self, cmd: Command) -> Effect:
        service = self._service(cmd.args[0])
        return self._mitigation_effect("restart", service, self._match("restart", service=service))

    def _scale(self, cmd: Command) -> Effect:
        service = self._service(cmd.args[0])
        replicas = int(cmd.args[1])

        def change() -> None:
            self.s.health.replicas[service] = replicas

        mit = self._match("scale", service=service, replicas=replicas)
        return self._mitigation_effect("scale", f"{service} to {replicas}", mit, change)

    def _flag(self, cmd: Command) -> Effect:
        name, state = cmd.args
        if name not in self.s.flags:
            raise CommandError(f"unknown feature flag '{name}': {did_you_mean(name, self.s.flags)}")

        def change() -> None:
            self.s.flags[name] = state

        mit = self._match("flag", flag=name, state=state)
        return self._mitigation_effect("flag", f"{name} {state}", mit, change)

    def _failover(self, cmd: Command) -> Effect:
        region = self._region(cmd.args[0])
        return self._mitigation_effect("failover", region, self._match("failover", region=region))

    def _shift_traffic(self, cmd: Command) -> Effect:
        src, dst = self._region(cmd.args[0]), self._region(cmd.args[1])
        if src == dst:
            raise CommandError("traffic must shift between two different regions")
        mit = self._match("shift_traffic", from_region=src, to_region=dst)
        return self._mitigation_effect("shift_traffic", f"{src} -> {dst}", mit)

    def _mitigate(self, cmd: Command) -> Effect:
        name = cmd.args[0]
        mit = self._match("custom", name=name)
        if mit is None:
            customs = [m.id for m in self.s.scenario.mitigations if m.action == "custom"]
            raise CommandError(f"no custom mitigation '{name}': {did_you_mean(name, customs)}")
        return self._mitigation_effect("custom", name, mit)

    # ------------------------------------------------------------------ alerts
    def _silence(self, cmd: Command) -> Effect:
        ref, seconds = cmd.args[0], float(cmd.args[1])
        by_id = {a.id.lower(): a.name for a in self.s.alerts.alerts.values()}
        name = by_id.get(ref.lower(), ref)
        known = self.s.alerts.known_names()
        match = next((k for k in known if k.lower() == name.lower()), None)
        if match is None:
            raise CommandError(f"no alert called '{ref}': {did_you_mean(ref, known)}")

        def effect(by: str, role: str) -> str:
            hit = self.s.alerts.silence(self.s.now, match, seconds, by)
            return f"silenced {match} for {format_duration(seconds)} ({len(hit)} firing)"

        return effect

    # ------------------------------------------------------------------ communicate
    def _status(self, cmd: Command) -> Effect:
        state, message = cmd.args

        def effect(by: str, role: str) -> str:
            self.s.last_status_at = self.s.now
            self.s.emit("status.posted", state=state, message=message, by=by)
            return f"status page: {state}"

        return effect

    def _update(self, cmd: Command) -> Effect:
        message = cmd.args[0]

        def effect(by: str, role: str) -> str:
            self.s.last_update_at = self.s.now
            self.s.emit("update.posted", message=message, by=by)
            return "stakeholder update sent"

        return effect

    def _note(self, cmd: Command) -> Effect:
        text = cmd.args[0]

        def effect(by: str, role: str) -> str:
            self.s.emit("note.added", text=text, by=by)
            return "noted"

        return effect

    def _resolve(self, cmd: Command) -> Effect:
        def effect(by: str, role: str) -> str:
            self.s.emit(
                "incident.resolved",
                by=by,
                impact_ongoing=self.s.impact_open,
                severity=self.s.severity,
            )
            self.s.end(f"resolved by {by}")
            return "incident resolved; the drill is over"

        return effect


def command_for(mit: Mitigation) -> str:
    """The slash command that applies ``mit``."""
    if mit.action == "rollback":
        return f"/rollback {mit.service}"
    if mit.action == "restart":
        return f"/restart {mit.service}"
    if mit.action == "scale":
        return f"/scale {mit.service} {mit.min_replicas}"
    if mit.action == "flag":
        return f"/flag {mit.flag} {mit.state}"
    if mit.action == "failover":
        return f"/failover {mit.region}"
    if mit.action == "shift_traffic":
        return f"/shift-traffic {mit.from_region} {mit.to_region}"
    return f"/mitigate {mit.command or mit.id}"
