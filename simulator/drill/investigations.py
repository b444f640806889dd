"""Investigations: looking into deploys, logs, metrics, dependencies, flags, or the scenario's own.

An investigation takes time; what it turns up depends on what is true when it
completes (a clue shows only while its fault is active). The generic kinds
(``deploys``, ``logs SERVICE``, ``metrics SERVICE``, ``deps SERVICE``, ``flags``)
always answer something; the scenario defines the rest.
"""

from __future__ import annotations

from typing import Any

import simpy

from simulator.drill.commands import INVESTIGATION_KINDS, Command, CommandError
from simulator.drill.effects import CommandContext, Effect, Rule
from simulator.drill.state import DrillParts
from simulator.drill.tooling import investigation_tool, tool_down
from simulator.durations import format_clock, format_duration
from simulator.scenario.model import Investigation, Scenario
from simulator.validation import did_you_mean

GENERIC_TAKES = 60.0
"""How long an investigation the scenario does not define takes."""
_ABOUT_SERVICE = ("logs", "metrics", "deps")


def find_investigation(scenario: Scenario, query: str) -> Investigation | None:
    """The scenario's investigation for ``query`` (spacing and case do not matter)."""
    key = " ".join(query.split()).lower()
    return next(
        (i for i in scenario.investigations if " ".join(i.query.split()).lower() == key),
        None,
    )


def investigate(cmd: Command, ctx: CommandContext) -> Effect:
    """``/investigate WHAT``: start looking into something."""
    p = ctx.parts
    kind = cmd.args[0]
    if kind in _ABOUT_SERVICE:
        ctx.service(cmd.args[1])
    query = " ".join(cmd.args)
    defined = find_investigation(p.state.scenario, query)
    if defined is None and kind not in INVESTIGATION_KINDS:
        options = [
            "deploys",
            "flags",
            *(f"{k} SERVICE" for k in _ABOUT_SERVICE),
            *(i.query for i in p.state.scenario.investigations),
        ]
        raise CommandError(
            f"nothing called '{query}' to investigate: " + did_you_mean(query, options)
        )
    takes = defined.takes if defined else GENERIC_TAKES
    down = tool_down(p.state, investigation_tool(query))
    if down:
        raise CommandError(down)

    def effect(by: str, role: str) -> str:
        p.emit(
            "investigation.started", query=query, by=by, takes=takes, defined=defined is not None
        )
        p.env.process(_finish(p, query, defined, by, takes))
        return f"investigating {query} (about {format_duration(takes)})"

    return effect


def _finish(
    p: DrillParts, query: str, defined: Investigation | None, by: str, takes: float
) -> simpy.events.ProcessGenerator:
    yield p.env.timeout(takes)
    if p.state.ended:
        return
    found = findings(p, query, defined)
    p.emit("investigation.completed", query=query, by=by, findings=found)
    for finding in found:
        for mit in finding.get("reveals", ()):
            if mit not in p.state.known:
                p.state.known.add(mit)
                p.emit("knowledge.gained", mitigation=mit, by=by, finding=finding["text"])


def findings(p: DrillParts, query: str, defined: Investigation | None) -> list[dict[str, Any]]:
    """What an investigation turns up now."""
    state = p.state
    active = {st.fault.id for st in state.faults if st.active}
    out: list[dict[str, Any]] = []
    if defined is not None:
        out += [
            {"text": f.text, "kind": f.kind, **({"reveals": list(f.reveals)} if f.reveals else {})}
            for f in defined.findings
            if f.shown(p.now, active)
        ]
    words = query.split()
    if words[0] == "metrics":
        m = state.last_metrics.get(words[1])
        if m is not None:
            out.append(_info(
                f"{words[1]} now: error rate {m.error_rate:.2%}, "
                f"p99 {m.latency_p99_ms:.0f} ms, saturation {m.saturation:.0%}, "
                f"{m.users_affected:.0f} users/min affected"
                + "".join(f", {k} {v:g}" for k, v in m.custom)
            ))  # fmt: skip
    elif words[0] == "flags":
        described = {f.name: f.description for f in state.scenario.flags}
        for name, flag_state in sorted(state.flags.items()):
            about = f" ({described[name]})" if described.get(name) else ""
            out.append(_info(f"Flag {name} is {flag_state}{about}"))
        if not state.flags:
            out.append(_info("No feature flags are defined."))
    elif words[0] == "deps" and not out:
        for dep in state.scenario.service(words[1]).dependencies():
            m = state.last_metrics.get(dep.service)
            if m is not None:
                out.append(_info(
                    f"{dep.service}: error rate {m.error_rate:.2%}, p99 {m.latency_p99_ms:.0f} ms"
                ))  # fmt: skip
    if words[0] == "deploys" and defined is None:
        out.extend(_deploy_history(p))
    if not out:
        out.append(_info({
            "deploys": "No deploys in the last 24 hours.",
            "logs": f"Nothing unusual in {words[-1]} logs beyond the usual noise.",
            "deps": f"{words[-1]} has no dependencies.",
        }.get(words[0], "Nothing notable found.")))  # fmt: skip
    return out


def _info(text: str) -> dict[str, Any]:
    return {"kind": "info", "text": text}


def _deploy_history(p: DrillParts) -> list[dict[str, Any]]:
    """Recent changes the scenario records on its deploy and config faults."""
    out = []
    for state in p.state.faults:
        fault = state.fault
        if fault.deployed_version and state.started_at is not None:
            when = format_clock(state.started_at)
            kind = fault.kind.replace("_", " ")
            out.append(_info(f"{when} {fault.target} {fault.deployed_version} rolled out ({kind})"))
    return out


RULES: dict[str, Rule] = {"investigate": investigate}
