"""The practice postmortem: its sections, markers, action items, HTML page, and blamelessness."""

from __future__ import annotations

import re

import pytest

from scoring import score_log
from scoring.postmortem import postmortem_html, postmortem_markdown
from simulator.log.vocabulary import PayloadKey
from tests.scoring.conftest import Drill, play, scripted_scenarios

SECTIONS = (
    "Overview",
    "Summary",
    "Impact",
    "Responders and roles",
    "Timeline (UTC)",
    "Trigger",
    "Detection",
    "Response",
    "Recovery",
    "Contributing factors",
    "Lessons learned",
    "Action items",
    "Appendix: scorecard",
)
MARKERS = (
    "IMPACT BEGINS",
    "DETECTED",
    "ACKNOWLEDGED",
    "DECLARED",
    "MITIGATED",
    "IMPACT ENDS",
    "RESOLVED",
)
BLAME = re.compile(
    r"human error|failed to|fault of|blame[sd]?\b|if only|should have|careless"
    r"|mistake|negligen",
    re.IGNORECASE,
)


def _markdown(drill: Drill) -> str:
    return postmortem_markdown(drill.header, drill.events, score_log(drill.header, drill.events))


def _people(drill: Drill) -> set[str]:
    """Everyone the log names: the trainee, role holders, task owners, senders, actors."""
    names = {str(drill.header.get("trainee"))}
    for e in drill.events:
        keys: list[PayloadKey] = ["person", "to", "delegate", "sender"]
        if e.type.startswith(("command.", "note.", "status.", "update.", "severity.")):
            keys.append("by")
        names |= {e.get(k) for k in keys if isinstance(e.get(k), str) and e.get(k)}
    return names


def test_postmortem_has_every_section_and_draft_status(good_checkout: Drill) -> None:
    """The draft has the merged template's sections, a severity and status Draft."""
    md = _markdown(good_checkout)
    for section in SECTIONS:
        assert f"## {section}\n" in md
    assert "| Status | Draft |" in md and "| Severity | SEV2 |" in md


def test_timeline_carries_every_marker_on_its_event(good_checkout: Drill) -> None:
    """Each marker appears once, on the row of the event that defines it, in UTC."""
    md = _markdown(good_checkout)
    for marker in MARKERS:
        assert md.count(f"**{marker}**") == 1, marker
    assert "| 14:10:20 | T+10:20 | **MITIGATED**" in md
    assert "Status page (investigating) by Marcus O." in md


def test_impact_section_has_numbers(good_checkout: Drill) -> None:
    """Impact reports time per severity, requests failed, user-minutes and budget consumed."""
    md = _markdown(good_checkout)
    impact = md.split("## Impact\n")[1].split("\n## ")[0]
    assert "SEV2 27m" in impact and "user-minutes" in impact
    assert re.search(r"\| web \| [\d,]+ \| [\d,]+ \| \d+\.\d\d% \|", impact)


def test_action_items_are_prefilled_with_empty_rows(good_checkout: Drill) -> None:
    """Action items: the scenario's, plus one empty row per type, with the reminder."""
    md = _markdown(good_checkout)
    items = md.split("## Action items\n")[1].split("\n## ")[0]
    assert "specific" in items and "bounded" in items and "owned" in items
    assert (
        "| Add EU tax regions to the pricing engine contract tests | prevent | payments |  |"
        in items
    )
    for kind in ("mitigate", "prevent", "process"):
        assert f"|  | {kind} |  |  |" in items


def test_timeline_clock_follows_starts_at_or_start_option(good_checkout: Drill) -> None:
    """The UTC clock starts at the scenario's metadata.starts_at, or at --start when given."""
    card = score_log(good_checkout.header, good_checkout.events)
    default = _markdown(good_checkout)
    assert "| Date | 2026-01-06 |" in default and "| 14:10:20 | T+10:20 | **MITIGATED**" in default
    header = {**good_checkout.header, "drill_start": "2026-11-24T09:00:00+01:00"}
    md = postmortem_markdown(header, good_checkout.events, card)
    assert "| Date | 2026-11-24 |" in md and "| 08:10:20 | T+10:20 | **MITIGATED**" in md


@pytest.mark.parametrize("scenario_id", scripted_scenarios())
@pytest.mark.parametrize("script", ["good", "poor", None])
def test_no_sentence_names_a_person_as_a_cause(scenario_id: str, script: str | None) -> None:
    """Blameless: no blame phrases anywhere, and what-went-wrong names nobody."""
    drill = play(scenario_id, script)
    md = _markdown(drill)
    # Quoted player text (reasons, notes, messages) is the players' own words, not our prose.
    prose = re.sub(r'"[^"\n]*"|why: [^|\n]*|[Nn]ote(?: by [^:]+)?: [^|\n]*', "", md)
    assert not BLAME.search(prose), BLAME.search(prose)
    wrong = md.split("**What went wrong**")[1].split("**Where we got lucky**")[0]
    for person in _people(drill):
        assert person not in wrong, person


def test_html_is_self_contained_with_an_impact_chart(poor_checkout: Drill) -> None:
    """The HTML page has the same sections, an inline SVG chart and nothing fetched."""
    card = score_log(poor_checkout.header, poor_checkout.events)
    html = postmortem_html(poor_checkout.header, poor_checkout.events, card)
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<polyline" in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"(src|href)=", html)
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in html
    assert "<strong>MITIGATED</strong>" in html
