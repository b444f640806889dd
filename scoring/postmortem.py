"""A practice blameless postmortem, generated from a drill's log, its scenario and its score.

It is the draft a team would start from (sections merged from Google, PagerDuty,
Atlassian and incident.io templates): header, summary, impact with numbers,
responders, a timeline in the scenario's time zone with the standard markers, trigger, detection,
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
from scoring.facts import DrillFacts, index_events
from scoring.lessons import action_items_section, lessons_section
from scoring.scorecard import Scorecard, duration_or_never
from scoring.timeline import timeline_section
from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.practice import ROLE_TITLES
from simulator.scenario.loader import scenario_from_header
from simulator.scenario.model import AlertRule, Scenario


def drill_start(header: Mapping[str, Any], scenario: Scenario) -> datetime:
    """The timeline's clock start in the scenario's own zone (the briefing's and the docs'):
    the header's ``drill_start`` (``--start``, UTC unless it names a zone), else the
    scenario's ``metadata.starts_at`` (deterministic, unlike the log's wall-clock fields)."""
    value = header.get("drill_start")
    start = scenario.metadata.starts_at
    zone = start.tzinfo or UTC
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # the CLI validates --start; a hand edit may not
            start = datetime.fromisoformat(value.replace("Z", "+00:00"))
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start
    return start.astimezone(zone)


def zone_name(start: datetime) -> str:
    """The zone as a timeline heading says it: ``UTC``, or ``UTC+02:00``."""
    offset = start.utcoffset()
    if not offset:
        return "UTC"
    return "UTC" + start.strftime("%z")[:3] + ":" + start.strftime("%z")[3:]


class _Context:
    """Everything the sections read, computed once."""

    def __init__(self, header: Mapping[str, Any], events: Sequence[Event], card: Scorecard):
        self.header = header
        self.events = events
        self.card = card
        self.scenario: Scenario = scenario_from_header(header)
        self.facts: DrillFacts = index_events(events)
        self.start = drill_start(header, self.scenario)
        self.zone = zone_name(self.start)

    def utc(self, t: float) -> str:
        """Wall-clock time in the scenario's zone (the name is historical)."""
        return (self.start + timedelta(seconds=t)).strftime("%H:%M:%S")

    def at(self, event: Event | None) -> str:
        if event is None:
            return "never"
        return f"{self.utc(event.t)} {self.zone} ({format_clock(event.t)})"


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
        ("Date", f"{date} (times in {c.zone}, the scenario's zone)"),
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
    return Section(
        "Responders and roles", (Table(("Role", "Person", f"Since ({c.zone})"), tuple(rows)),)
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
    # A role's card (Comms Lead, Scribe, Tech Lead) has its own dimensions: only the
    # response-wide ones it has are discussed here.
    for dim in c.card.dimensions:
        if dim.key in ("mobilize", "command", "communication", "noise") and dim.to_practise:
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


def _document(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> Document:
    c = _Context(header, events, card)
    sections = [
        _header_section(c),
        _summary(c),
        _impact(c),
        _responders(c),
        timeline_section(c.events, c.facts, c.utc, c.zone),
        *_analysis(c),
        lessons_section(c.facts, c.card, c.scenario),
        action_items_section(c.facts, c.card, c.scenario, c.start),
        Section("Appendix: scorecard", (Preformatted(card.to_text()),)),
    ]
    return Document(f"Postmortem: {c.scenario.metadata.title} (practice drill)", tuple(sections))


def postmortem_markdown(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> str:
    """The postmortem as Markdown."""
    return to_markdown(_document(header, events, card))


def postmortem_html(header: Mapping[str, Any], events: Sequence[Event], card: Scorecard) -> str:
    """The same postmortem as one self-contained HTML page with an inline SVG impact chart."""
    return to_html(_document(header, events, card))
