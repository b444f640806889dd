"""A practice blameless postmortem, generated from a drill's log, its scenario and its score.

It is the draft a team would start from (sections merged from Google, PagerDuty,
Atlassian and incident.io templates): header, summary, impact with numbers,
responders, a UTC timeline with the standard markers, trigger, detection,
response, recovery, contributing factors, lessons, action items and the
scorecard as an appendix. Blameless by construction: sentences describe what
happened and what the system allowed, never a person as a cause; people appear
only as the actors of timeline entries and as role holders.

The timeline needs a wall-clock start, but wall fields in the log are not
deterministic; it uses the header's ``drill_start`` when present (``gameday
postmortem --start``), else the scenario's ``metadata.starts_at``, so the output
is byte-for-byte reproducible.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from scoring.chart import impact_chart_svg
from scoring.document import (
    Block,
    Bullets,
    Document,
    Figure,
    Paragraph,
    Preformatted,
    Section,
    Table,
    to_html,
    to_markdown,
)
from scoring.facts import DrillFacts, effects_of, findings_of, index_events
from scoring.scorecard import Scorecard, duration_or_never
from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.practice import ROLE_TITLES
from simulator.scenario.loader import scenario_from_header
from simulator.scenario.model import AlertRule, Scenario

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


def drill_start(header: Mapping[str, Any], scenario: Scenario) -> datetime:
    """The timeline's clock start in UTC: the header's ``drill_start`` (``--start``), else the
    scenario's ``metadata.starts_at`` (deterministic, unlike the log's wall-clock fields)."""
    value = header.get("drill_start")
    start = scenario.metadata.starts_at
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # the CLI validates --start; a hand edit may not
            start = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)


class _Context:
    """Everything the sections read, computed once."""

    def __init__(self, header: Mapping[str, Any], events: Sequence[Event], card: Scorecard):
        self.header = header
        self.events = events
        self.card = card
        self.scenario: Scenario = scenario_from_header(header)
        self.facts: DrillFacts = index_events(events)
        self.start = drill_start(header, self.scenario)

    def utc(self, t: float) -> str:
        return (self.start + timedelta(seconds=t)).strftime("%H:%M:%S")

    def at(self, event: Event | None) -> str:
        if event is None:
            return "never"
        return f"{self.utc(event.t)} UTC ({format_clock(event.t)})"


def _header_section(c: _Context) -> Section:
    truth = c.scenario.truth.severity
    declared = [e.get("severity") for e in c.facts.all("severity.declared")]
    worst = min((s for s in declared if isinstance(s, int)), default=None)
    sev = f"SEV{truth}" + (
        ""
        if worst == truth
        else f" (declared during the drill: {'SEV' + str(worst) if worst else 'none'})"
    )
    date = c.start.strftime("%Y-%m-%d")
    rows = (
        ("Incident", f"drill {c.scenario.metadata.id}, seed {c.header.get('seed')}"),
        ("Date", date),
        ("Authors", "(the team)"),
        ("Severity", sev),
        ("Status", "Draft"),
    )
    return Section(
        "Overview",
        (
            Table(("Field", "Value"), rows),
            Paragraph(
                "A practice postmortem generated from a gameday drill. It is blameless: it "
                "describes what happened, what the system allowed and why each decision made "
                "sense at the time, and it names no person as a cause. Edit it as a team."
            ),
        ),
    )


def _summary(c: _Context) -> Section:
    f, m = c.facts, c.card.metrics
    main = f.impact_start.get("service") if f.impact_start else c.scenario.faults[0].target
    fix = f.mitigated
    how = ""
    if fix is not None:
        mit = next((x for x in c.scenario.mitigations if x.id == fix.get("by")), None)
        how = f" by {fix.get('action')} {fix.get('target')}" + (
            f" ({mit.description.rstrip('.')})" if mit and mit.description else ""
        )
    if fix is None:
        outcome = "the impact was not mitigated before the drill ended"
    else:
        outcome = f"the impact was mitigated at {c.at(fix)}{how} and " + (
            f"ended at {c.at(f.impact_end)}"
            if f.impact_end is not None
            else "had not ended when the drill ended"
        )
    text = (
        f"Customers of {main} were affected from {c.at(f.impact_start)}. "
        f"The first real alert fired {duration_or_never(m.time_to_detect)} after impact began; "
        f"{outcome}. "
        f"About {m.user_minutes:,.0f} user-minutes of impact and {m.failed_requests:,.0f} "
        f"failed requests. Root cause: {c.scenario.truth.root_cause.strip()}"
    )
    return Section("Summary", (Paragraph(text),))


def _impact(c: _Context) -> Section:
    m = c.card.metrics
    items = [
        f"Time to restore (impact start to impact end): {duration_or_never(m.time_to_restore)}; "
        f"time to mitigate: {duration_or_never(m.time_to_mitigate)}.",
        "Time at each severity: "
        + (
            ", ".join(f"SEV{s} {format_duration(sec)}" for s, sec in m.time_at_severity)
            or "none declared"
        )
        + f"; incident duration (declared to resolved): {duration_or_never(m.incident_duration)}.",
        f"Customer impact: {m.user_minutes:,.0f} user-minutes (users with at least one failed "
        "request, per minute, summed over services).",
        f"Requests failed above baseline: {m.failed_requests:,.0f}.",
    ]
    rows = tuple(
        (
            s.service,
            f"{s.user_minutes:,.0f}",
            f"{s.failed_requests:,.0f}",
            "unknown" if s.budget_consumed is None else f"{s.budget_consumed:.2%}",
        )
        for s in m.services
        if s.user_minutes >= 0.5 or s.failed_requests >= 1
    )
    blocks: list[Block] = [Bullets(tuple(items))]
    if rows:
        blocks.append(
            Table(
                (
                    "Service",
                    "User-minutes",
                    "Requests failed",
                    "Error budget consumed (SLO window)",
                ),
                rows,
            )
        )
    blocks.append(
        Figure(
            impact_chart_svg(c.events),
            "Error rate and users affected over time, with key actions marked.",
        )
    )
    return Section("Impact", tuple(blocks))


def _responders(c: _Context) -> Section:
    rows = []
    trainee = c.header.get("trainee")
    role = c.header.get("role")
    if trainee and role:
        who = f"{trainee} (trainee)" if not c.header.get("players") else str(trainee)
        rows.append((ROLE_TITLES.get(str(role), str(role)), who, f"{c.utc(0.0)} (T+00:00)"))
    for event in c.facts.all("role.assigned"):
        rows.append(
            (
                ROLE_TITLES.get(str(event.get("role")), str(event.get("role"))),
                str(event.get("person")),
                f"{c.utc(event.t)} ({format_clock(event.t)})",
            )
        )
    for event in c.facts.all("teammate.joined"):
        if event.get("role") is None:
            rows.append(("Responder (paged)", str(event.get("person")), c.utc(event.t)))
    if not rows:
        return Section("Responders and roles", (Paragraph("No roles were recorded."),))
    return Section("Responders and roles", (Table(("Role", "Person", "Since (UTC)"), tuple(rows)),))


# --------------------------------------------------------------------------- timeline


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


def _timeline(c: _Context) -> Section:
    marks = _markers(c.facts)
    rows = []
    last_command: Event | None = None
    seen_ack = False
    for e in c.events:
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
        if e.type == "mitigation.applied" and not effects_of(e) and c.facts.follow_up(e):
            text = f"{e.get('action')} {e.get('target')} takes effect (a follow-up)"
        mark = marks.get(e.seq)
        if text is None and mark is None:
            continue
        text = text or e.type
        rows.append((c.utc(e.t), format_clock(e.t), f"{mark} {text}" if mark else text))
    return Section(
        "Timeline (UTC)",
        (
            Paragraph(
                "Markers: IMPACT BEGINS, DETECTED (first real alert), ACKNOWLEDGED, DECLARED, "
                "MITIGATED, IMPACT ENDS, RESOLVED. Noise alerts and metric samples are left "
                "out."
            ),
            Table(("Time (UTC)", "Drill time", "What happened"), tuple(rows)),
        ),
    )


# --------------------------------------------------------------------------- analysis


def _halve_detection(rule: AlertRule | None, ttd: float | None) -> str:
    if ttd is None:
        return (
            "No real alert fired: add an alert on the symptom customers feel (error ratio "
            "or SLO burn rate) so detection does not depend on customer reports."
        )
    half = format_duration(ttd / 2)
    if rule is None:
        return f"To detect within {half}, alert on the symptom customers feel, closer to its start."
    return (
        f"To detect within {half}: {rule.name} fires when {rule.metric} {rule.op} "
        f"{rule.threshold:g} holds for {format_duration(rule.for_)}. A shorter hold, a lower "
        "threshold, or a multi-window burn-rate alert (5m and 1h windows above 14.4x, as in "
        "the SRE workbook) would page sooner; so would watching error ratios for a few "
        "minutes after each deploy or flag change."
    )


def _analysis(c: _Context) -> list[Section]:
    f, m, sc = c.facts, c.card.metrics, c.scenario
    truth = sc.truth
    faults = [x for x in sc.faults if x.id in {str(e.get("fault")) for e in f.all("fault.started")}]
    fault_lines = tuple(
        f"{x.id} ({x.kind.replace('_', ' ')}, {x.target}): {x.description or 'no description'}"
        for x in faults or sc.faults
    )
    first_alert = f.first_real_alert
    rule = next(
        (r for r in sc.alerts.rules if first_alert and r.name == first_alert.get("name")), None
    )
    report = f.first_human_report
    detection = [
        Paragraph(
            f"The first real alert ({first_alert.get('name') if first_alert else 'none'}) "
            f"fired at {c.at(first_alert)}, {duration_or_never(m.time_to_detect)} after "
            f"impact began. The first customer report arrived at {c.at(report)}."
        ),
        Paragraph(
            "How would we halve the time to detect? " + _halve_detection(rule, m.time_to_detect)
        ),
    ]
    response = [
        Paragraph(
            f"The first real page was acknowledged "
            f"{duration_or_never(m.time_to_acknowledge)} after it was sent "
            f"(target {format_duration(truth.targets.acknowledge)}) and a severity was "
            f"declared {duration_or_never(m.time_to_declare)} after the first page "
            f"(target {format_duration(truth.targets.declare)})."
        ),
    ]
    for key in ("mobilize", "command", "communication", "noise"):
        dim = c.card.dimension(key)
        if dim.to_practise:
            response.append(Paragraph(f"{dim.title} ({dim.rating}): " + " ".join(dim.to_practise)))
    fix = f.mitigated
    if fix is None:
        mitigation = "Mitigation: the impact was not mitigated before the drill ended."
    else:
        mitigation = (
            f"Mitigation: impact was mitigated at {c.at(fix)} by {fix.get('action')} "
            f"{fix.get('target')}, {duration_or_never(m.time_to_mitigate)} after it began; "
            + (
                f"metrics were back to baseline at {c.at(f.impact_end)}."
                if f.impact_end is not None
                else "metrics had not returned to baseline when the drill ended."
            )
        )
    recovery = [
        Paragraph(mitigation),
        Paragraph(
            "Long-term fix (separate from the mitigation): address the root cause: "
            f"{truth.root_cause.strip()} See the prevent items below."
        ),
    ]
    factors = truth.contributing_factors or ("(none recorded in the scenario; add yours)",)
    return [
        Section(
            "Trigger",
            (Paragraph(truth.trigger or "Not recorded in the scenario."), Bullets(fault_lines)),
        ),
        Section("Detection", tuple(detection)),
        Section("Response", tuple(response)),
        Section("Recovery", tuple(recovery)),
        Section("Contributing factors", (Bullets(tuple(factors)),)),
    ]


def _lucky(c: _Context) -> tuple[str, ...]:
    f = c.facts
    lucky = []
    fix = f.mitigated
    full = next((e for e in f.all("fault.escalated") if e.get("milestone") == 100), None)
    if fix is not None and (full is None or full.t > fix.t):
        lucky.append(
            "The fault was stopped before it reached full strength; a slower response "
            "would have met a larger impact."
        )
    if any(str(e.get("action")) == "flag" and effects_of(e) for e in f.all("mitigation.applied")):
        lucky.append(
            "A feature flag shipped with the change gave a fast off-switch; not every "
            "change has one."
        )
    if not f.all("teammate.unavailable"):
        lucky.append("Every responder paged was available and joined.")
    if c.card.metrics.noise.noise_pages == 0:
        lucky.append("No noise alert paged during the incident.")
    return tuple(lucky) or ("Nothing obvious: discuss it in the review.",)


def _lessons(c: _Context) -> Section:
    well = tuple(line for d in c.card.dimensions for line in d.went_well)
    wrong = tuple(line for d in c.card.dimensions for line in d.to_practise)
    return Section(
        "Lessons learned",
        (
            Paragraph("**What went well**"),
            Bullets(well or ("(to discuss)",)),
            Paragraph("**What went wrong**"),
            Bullets(wrong or ("Nothing the scorecard flagged.",)),
            Paragraph("**Where we got lucky**"),
            Bullets(_lucky(c)),
        ),
    )


def _action_items(c: _Context) -> Section:
    rows = tuple((a.item, a.type, a.owner or "", "") for a in c.scenario.truth.action_items)
    rows += (("", "mitigate", "", ""), ("", "prevent", "", ""), ("", "process", "", ""))
    return Section(
        "Action items",
        (
            Paragraph(
                "Each action item must be specific (what exactly changes), bounded (it can be "
                "finished) and owned (one team or person, with a due date). Prefilled from the "
                "scenario; add the team's own."
            ),
            Table(("Item", "Type (mitigate / prevent / process)", "Owner", "Due date"), rows),
        ),
    )


def _document(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> Document:
    c = _Context(header, events, card)
    sections = [
        _header_section(c),
        _summary(c),
        _impact(c),
        _responders(c),
        _timeline(c),
        *_analysis(c),
        _lessons(c),
        _action_items(c),
        Section("Appendix: scorecard", (Preformatted(card.to_text()),)),
    ]
    return Document(f"Postmortem: {c.scenario.metadata.title} (practice drill)", tuple(sections))


def postmortem_markdown(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> str:
    """The postmortem as Markdown."""
    return to_markdown(_document(header, events, card))


def postmortem_html(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> str:
    """The same postmortem as one self-contained HTML page with an inline SVG impact chart."""
    return to_html(_document(header, events, card))
