"""The postmortem's timeline: key moments with the standard markers, on the scenario's clock.

Markers after the merged templates (Google, PagerDuty, incident.io): IMPACT BEGINS,
DETECTED, ACKNOWLEDGED, DECLARED, MITIGATED, IMPACT ENDS, RESOLVED, among every key
action and update; a command's reason is shown beside the event it produced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scoring.document import Paragraph, Section, Table
from scoring.facts import DrillFacts, effects_of, findings_of
from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.practice import ROLE_TITLES

MESSAGE_KINDS = {
    "customer_report": "customer report",
    "support_surge": "support surge",
    "executive_ask": "executive asks for news",
    "stakeholder_ask": "stakeholder asks for news",
    "proposal": "proposal",
}
RESULT_OF: dict[EventType, str] = {
    "severity.declared": "sev",
    "role.assigned": "assign",
    "note.added": "note",
    "status.posted": "status",
    "update.posted": "update",
    "incident.resolved": "resolve",
    "alert.silenced": "silence",
}
"""Events that are the result of a command: the timeline shows them with the command's reason."""
SHOWN_AS_RESULT = frozenset(RESULT_OF.values()) | {"ack"}


def _markers(f: DrillFacts) -> dict[int, str]:
    marks: dict[int, list[str]] = {}
    for label, event in (
        ("IMPACT BEGINS", f.impact_start),
        ("DETECTED", f.first_real_alert),
        ("ACKNOWLEDGED", f.first_real_ack),
        ("DECLARED", f.declared),
        ("MITIGATED", f.mitigated),
        ("IMPACT ENDS", f.impact_end),
        ("RESOLVED", f.resolved),
    ):
        if event is not None:
            marks.setdefault(event.seq, []).append(label)
    return {seq: " ".join(f"**{m}**" for m in labels) for seq, labels in marks.items()}


def _describe(e: Event, reason: str | None) -> str | None:
    """One timeline line for an event, or None when it is not a key moment."""
    why = f" — why: {reason}" if reason else ""
    kind = e.type
    if kind == "command.accepted":
        if e.get("command") in SHOWN_AS_RESULT:
            return None
        delegate = f", handed to {e.get('delegate')}" if e.get("delegate") else ""
        return f"{e.get('by')} ({e.get('role')}): `{e.get('text')}`{delegate}{why}"
    simple: dict[EventType, str] = {
        "impact.started": f"Customer impact begins on {e.get('service')}",
        "impact.mitigated": f"Impact mitigated by {e.get('action')} {e.get('target')}",
        "impact.ended": "Metrics back to baseline",
        "severity.declared": f"{e.get('by')} declares SEV{e.get('severity')}{why}",
        "role.assigned": f"{e.get('person')} becomes {ROLE_TITLES.get(str(e.get('role')), '')}",
        "note.added": f"Note by {e.get('by')}: {e.get('text')}",
        "status.posted": f'Status page ({e.get("state")}) by {e.get("by")}: "{e.get("message")}"',
        "update.posted": f'Stakeholder update by {e.get("by")}: "{e.get("message")}"',
        "incident.resolved": f"{e.get('by')} resolves the incident{why}",
        "alert.silenced": f"{e.get('by')} silences {e.get('name')}{why}",
        "fault.worsened": f"{e.get('by')} made the fault worse",
        "page.escalated": f"Page {e.get('page')} escalated to {e.get('to')} after "
        f"{format_duration(float(e.get('unacknowledged_for') or 0))} "
        "unacknowledged",
        "drill.ended": f"Drill ends: {e.get('reason')}",
    }
    if kind in simple:
        return simple[kind]
    if kind == "alert.fired" and e.get("noise") is False:
        return f"Alert {e.get('name')} fires: {e.get('summary')}"
    if kind == "page.acknowledged" and e.get("by"):
        return f"{e.get('by')} acknowledges page {e.get('page')}"
    if kind == "mitigation.applied":
        effects = effects_of(e)
        said = ", ".join(f"{k} {v}" for k, v in effects.items()) if effects else "no effect"
        return f"{e.get('action')} {e.get('target')} takes effect: {said}"
    if kind == "investigation.completed":
        shown = "; ".join(str(x.get("text")) for x in findings_of(e))
        return f"{e.get('by')} finishes investigating {e.get('query')}: {shown or 'nothing found'}"
    if kind == "message.posted" and e.get("kind") in MESSAGE_KINDS:
        return (
            f"{MESSAGE_KINDS[str(e.get('kind'))].capitalize()} from {e.get('sender')}: "
            f'"{e.get("text")}"'
        )
    return None


def timeline_section(
    events: Sequence[Event], facts: DrillFacts, clock: Callable[[float], str], zone: str
) -> Section:
    """Every key moment and action, with the standard markers, on the scenario's clock."""
    marks = _markers(facts)
    rows = []
    last_command: Event | None = None
    seen_ack = False
    for e in events:
        if e.type == "metrics.sample":
            continue
        if e.type == "command.accepted":
            last_command = e
        reason = None
        if (
            e.type in RESULT_OF
            and last_command is not None
            and last_command.t == e.t
            and last_command.get("command") == RESULT_OF[e.type]
        ):
            reason = last_command.get("reason")
        elif e.type == "command.accepted":
            reason = e.get("reason")
        if e.type == "page.acknowledged":
            if seen_ack and e.seq not in marks:
                continue
            seen_ack = True
        text = _describe(e, reason)
        if e.type == "mitigation.applied" and not effects_of(e) and facts.follow_up(e):
            text = f"{e.get('action')} {e.get('target')} takes effect (a follow-up)"
        mark = marks.get(e.seq)
        if text is None and mark is None:
            continue
        text = text or e.type
        rows.append((clock(e.t), format_clock(e.t), f"{mark} {text}" if mark else text))
    return Section(
        f"Timeline ({zone})",
        (
            Paragraph(
                "Markers: IMPACT BEGINS, DETECTED (first real alert), ACKNOWLEDGED, DECLARED, "
                "MITIGATED, IMPACT ENDS, RESOLVED. Noise alerts and metric samples are left "
                "out."
            ),
            Table((f"Time ({zone})", "Drill time", "What happened"), tuple(rows)),
        ),
    )
