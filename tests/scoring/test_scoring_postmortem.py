"""The practice postmortem: its sections, markers, action items, HTML page, and blamelessness."""

from __future__ import annotations

import re

import pytest

from scoring import score_log
from scoring.chart import impact_chart_svg
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
    assert "| 14:05:40 | T+05:40 | **MITIGATED**" in md
    assert "Status page (monitoring) by Marcus O." in md  # the flag was off before he joined


def test_impact_section_has_numbers(good_checkout: Drill) -> None:
    """Impact reports time per severity, requests failed, user-minutes and budget consumed."""
    md = _markdown(good_checkout)
    impact = md.split("## Impact\n")[1].split("\n## ")[0]
    assert "SEV2 27m" in impact and "user-minutes" in impact
    assert re.search(r"\| web \| [\d,]+ \| [\d,]+ \| \d+\.\d\d% \|", impact)


def test_action_items_come_from_the_drill_with_owners_and_due_dates(
    good_checkout: Drill, poor_checkout: Drill
) -> None:
    """Each gap of the drill becomes an owned item due days after the drill's date; the
    poor drill (a restart that chased 500s, no updates) gets items the good one does not."""
    good = _markdown(good_checkout).split("## Action items\n")[1].split("\n## ")[0]
    assert "specific" in good and "bounded" in good and "owned" in good
    assert (
        "| Add EU tax regions to the pricing engine contract tests | prevent | payments | "
        "2026-02-05 |" in good
    )
    assert "|  |" not in good
    poor = _markdown(poor_checkout).split("## Action items\n")[1].split("\n## ")[0]
    assert "status-page reminder" in poor and "status-page reminder" not in good
    assert "| Review paging so the first page is answered within target | process |" in poor


def test_timeline_clock_follows_starts_at_or_start_option(good_checkout: Drill) -> None:
    """The UTC clock starts at the scenario's metadata.starts_at, or at --start when given."""
    card = score_log(good_checkout.header, good_checkout.events)
    default = _markdown(good_checkout)
    assert (
        "| Date | 2026-01-06 (times in UTC" in default
        and "| 14:05:40 | T+05:40 | **MITIGATED**" in default
    )
    header = {**good_checkout.header, "drill_start": "2026-11-24T09:00:00+01:00"}
    md = postmortem_markdown(header, good_checkout.events, card)
    assert (
        "| Date | 2026-11-24 (times in UTC" in md and "| 08:05:40 | T+05:40 | **MITIGATED**" in md
    )


def test_the_timeline_uses_the_scenarios_time_zone() -> None:
    """db-pool starts at 09:56 in UTC+01:00, as its briefing says: the postmortem says so too."""
    md = _markdown(play("db-pool-exhaustion", "good"))
    assert "## Timeline (UTC+01:00)" in md and "| 09:56:00 (T+00:00) |" in md
    assert " UTC (" not in md


def test_lucky_only_from_what_happened(poor_checkout: Drill, good_checkout: Drill) -> None:
    """The flag's off-switch is lucky only in the drill that used it."""
    assert "fast off-switch" in _markdown(good_checkout)
    assert "fast off-switch" not in _markdown(poor_checkout)


def test_what_went_wrong_names_the_decisions(poor_checkout: Drill) -> None:
    """The poor drill's postmortem names the blind restart and the red herring it followed."""
    wrong = _markdown(poor_checkout).split("**What went wrong**")[1].split("**Where we")[0]
    assert "restart checkout was tried before anything visible pointed at it" in wrong
    assert "followed a plausible lead" in wrong


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


def test_chart_marks_the_acknowledgement_and_labels_do_not_overlap(good_checkout: Drill) -> None:
    """Ack, declare and the flag come within minutes: each label gets its own line."""
    svg = impact_chart_svg(good_checkout.events)
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="9"[^>]*>([^<]+)</text>', svg)
    assert "acknowledged" in [text for _, _, text in labels]
    boxes = [(float(x), float(y), float(x) + 5.0 * len(text)) for x, y, text in labels]
    for i, (x1, y1, r1) in enumerate(boxes):
        for x2, y2, r2 in boxes[i + 1 :]:
            assert y1 != y2 or r1 <= x2 or r2 <= x1, (labels[i], x2)
