"""The postmortem's lessons and action items, derived from what happened in this drill.

A good team's postmortem names the decisions that mattered (the action that made it
worse, the red herring followed, the update that did not go out) with the evidence,
in blameless language: what was visible, what the system allowed, never who erred.
"Where we got lucky" is said only from what happened, and each gap becomes an action
item with an owner from the drill and a due date counted from the drill's date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scoring.decisions import judge_decisions
from scoring.document import Bullets, Paragraph, Section, Table
from scoring.facts import DrillFacts, effects_of, findings_of
from scoring.scorecard import Scorecard
from simulator.durations import format_clock, format_duration
from simulator.scenario.model import Scenario

DUE_DAYS = {"mitigate": 7, "process": 14, "prevent": 30}
"""Days after the drill each type of action item is due: mitigations first."""


def _holder(facts: DrillFacts, role: str, fallback: str) -> str:
    """Who held ``role`` in this drill (the last assignment), else ``fallback``."""
    held = [str(e.get("person")) for e in facts.all("role.assigned") if e.get("role") == role]
    return held[-1] if held else fallback


def went_wrong(facts: DrillFacts, card: Scorecard, scenario: Scenario) -> list[str]:
    """The decisions that cost the most, each with its moment and evidence, blamelessly."""
    out: list[str] = []
    for event in facts.all("fault.worsened"):
        out.append(
            f"At {format_clock(event.t)}, {event.get('by') or 'an action'} made the impact "
            "worse. Nothing visible at the time warned that this lever would hurt; the "
            "runbook and the tooling allowed it without a stated hypothesis."
        )
    until = facts.mitigated.t if facts.mitigated else facts.incident_close
    for done in card.metrics.noise.red_herring_investigations:
        if done.t > until:
            continue
        lead = next((str(f.get("text")) for f in findings_of(done)), "")
        out.append(
            f"At {format_clock(done.t)}, the investigation of `{done.get('query')}` followed a "
            f'plausible lead ("{lead}") that turned out unrelated while customers were '
            "still affected."
        )
    for dec in judge_decisions(facts, scenario):
        if not dec.supported and dec.effect != "worsened":
            out.append(
                f"At {format_clock(dec.event.t)}, {dec.event.get('action')} "
                f"{dec.event.get('target')} was tried before anything visible pointed at it "
                f"({dec.effect})."
            )
    for dim in card.dimensions:
        for ev in dim.evidence:
            if not ev.good and ("no status post" in ev.text or "next status post" in ev.text):
                out.append(f"At {format_clock(ev.t)}: {ev.text}; customers were left waiting.")
    if card.metrics.time_to_mitigate is None:
        out.append("The impact was not mitigated before the drill ended.")
    return out


def lucky(facts: DrillFacts, card: Scorecard) -> list[str]:
    """Fortunate circumstances, only from what this drill's log shows happened."""
    out = []
    fix = facts.mitigated
    full = next((e for e in facts.all("fault.escalated") if e.get("milestone") == 100), None)
    if fix is not None and (full is None or full.t > fix.t):
        out.append(
            "The fault was stopped before it reached full strength; a slower response "
            "would have met a larger impact."
        )
    used = [
        e
        for e in facts.all("mitigation.applied")
        if e.get("action") == "flag" and set(effects_of(e).values()) & {"fixed", "relieved"}
    ]
    if used:
        out.append(
            f"The feature flag {used[0].get('target')} gave a fast off-switch, and it was "
            "used; not every change ships with one."
        )
    if facts.all("teammate.joined") and not facts.all("teammate.unavailable"):
        out.append("Every responder who was called joined and stayed available.")
    if card.metrics.noise.noise_alerts and card.metrics.noise.noise_pages == 0:
        out.append("Noise alerts fired, but none of them paged anyone.")
    return out or ["Nothing in the log: discuss it in the review."]


def lessons_section(facts: DrillFacts, card: Scorecard, scenario: Scenario) -> Section:
    """What went well, what went wrong (named decisions), where we got lucky."""
    well = tuple(line for d in card.dimensions for line in d.went_well)
    wrong = tuple(went_wrong(facts, card, scenario))
    return Section(
        "Lessons learned",
        (
            Paragraph("**What went well**"),
            Bullets(well or ("(to discuss)",)),
            Paragraph("**What went wrong**"),
            Bullets(wrong or ("Nothing in the log stands out: discuss it in the review.",)),
            Paragraph("**Where we got lucky**"),
            Bullets(tuple(lucky(facts, card))),
        ),
    )


def action_items(
    facts: DrillFacts, card: Scorecard, scenario: Scenario
) -> list[tuple[str, str, str]]:
    """(item, type, owner) for each gap of this drill, then the scenario's own items."""
    ic = _holder(facts, "ic", "the Incident Commander")
    tech = _holder(facts, "tech", ic)
    comms = _holder(facts, "comms", ic)
    teams = {s.name: s.team for s in scenario.services}
    items: list[tuple[str, str, str]] = []
    for event in facts.all("mitigation.applied"):
        if "worsened" in effects_of(event).values():
            target = str(event.get("target"))
            items.append(
                (
                    f"Write in the {target} runbook what `{event.get('action')} {target}` does "
                    "under load, and when not to use it",
                    "mitigate",
                    teams.get(target) or tech,
                )
            )
    for done in card.metrics.noise.red_herring_investigations[:2]:
        items.append(
            (
                f"Annotate the `{done.get('query')}` dashboard with its known, harmless "
                "signals so responders can rule it out in a minute",
                "process",
                tech,
            )
        )
    m, targets = card.metrics, scenario.truth.targets
    if m.time_to_detect is not None and m.time_to_detect > 120:
        items.append(
            (
                f"Page on the customer symptom sooner: detection took "
                f"{format_duration(m.time_to_detect)}; alert on the error ratio or SLO burn rate",
                "prevent",
                teams.get(scenario.faults[0].target) or tech,
            )
        )
    if m.time_to_acknowledge is None or m.time_to_acknowledge > targets.acknowledge:
        items.append(("Review paging so the first page is answered within target", "process", ic))
    if any(not e.good and "status post" in e.text for d in card.dimensions for e in d.evidence):
        items.append(
            ("Add a status-page reminder at the update cadence for each severity", "process", comms)
        )
    items += [(a.item, a.type, a.owner or tech) for a in scenario.truth.action_items]
    return items


def action_items_section(
    facts: DrillFacts, card: Scorecard, scenario: Scenario, start: datetime
) -> Section:
    """Each item owned by someone from the drill, due a fixed number of days after it."""
    rows = tuple(
        (item, kind, owner, (start + timedelta(days=DUE_DAYS.get(kind, 14))).strftime("%Y-%m-%d"))
        for item, kind, owner in action_items(facts, card, scenario)
    )
    return Section(
        "Action items",
        (
            Paragraph(
                "Derived from this drill's gaps, then the scenario's review of the cause. Each "
                "is specific, bounded and owned; due dates count from the drill's date "
                "(mitigate 7 days, process 14, prevent 30). Edit them as a team."
            ),
            Table(("Item", "Type (mitigate / prevent / process)", "Owner", "Due date"), rows),
        ),
    )
