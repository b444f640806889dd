"""The rubric on real drills: good responses rate well, poor ones lower where they neglect."""

from __future__ import annotations

import pytest

from scoring import score_log
from scoring.rubric import DIMENSIONS, severity_fit, timeliness
from simulator.scenario.model import Scenario
from tests.scoring.conftest import Drill, play, scripted_scenarios, shipped_scenarios


@pytest.mark.parametrize("scenario_id", scripted_scenarios())
def test_good_script_rates_p_or_s_overall(scenario_id: str) -> None:
    """Each shipped scenario's scripted good response rates P or S overall."""
    drill = play(scenario_id, "good")
    card = score_log(drill.header, drill.events)
    assert card.overall_rating in ("P", "S"), card.to_text()


@pytest.mark.parametrize("scenario_id", scripted_scenarios())
def test_poor_script_rates_lower_where_it_neglects(scenario_id: str) -> None:
    """The poor response never beats the good one on a dimension and loses on most of them."""
    good = score_log(play(scenario_id, "good").header, play(scenario_id, "good").events)
    poor = score_log(play(scenario_id, "poor").header, play(scenario_id, "poor").events)
    assert poor.overall_percent < good.overall_percent
    lower = [k for k in DIMENSIONS if poor.dimension(k).percent < good.dimension(k).percent]
    higher = [k for k in DIMENSIONS if poor.dimension(k).percent > good.dimension(k).percent]
    assert not higher, poor.to_text()
    # Every poor script neglects command (hands-on IC) and communication (no updates).
    assert {"command", "communication", "mobilize"} <= set(lower)
    assert poor.dimension("command").capped


@pytest.mark.parametrize("scenario_id", shipped_scenarios())
def test_unanswered_drill_rates_u_on_mitigation(scenario_id: str) -> None:
    """A drill nobody answers (no script) rates U on mitigation and overall."""
    drill = play(scenario_id, None)
    card = score_log(drill.header, drill.events)
    assert card.dimension("mitigation").rating == "U"
    assert card.overall_rating == "U"
    assert card.metrics.time_to_mitigate is None


def test_hands_on_ic_is_cited_with_t_and_seq(poor_checkout: Drill) -> None:
    """Each hands-on IC command is evidence with its t and seq, and caps command at M."""
    card = score_log(poor_checkout.header, poor_checkout.events)
    command = card.dimension("command")
    restart = next(
        e
        for e in poor_checkout.events
        if e.type == "command.accepted" and e.get("text") == "/restart checkout"
    )
    cited = [ev for ev in command.evidence if ev.seq == restart.seq]
    assert cited and cited[0].t == restart.t and not cited[0].good
    assert command.capped and command.rating in ("M", "U") and command.percent <= 65.0


def test_good_drill_debrief_lists_what_went_well(good_checkout: Drill) -> None:
    """A debrief, not a grade: the good drill has went-well lines and evidence per dimension."""
    card = score_log(good_checkout.header, good_checkout.events)
    for dim in card.dimensions:
        assert dim.went_well, dim.key
        assert dim.evidence, dim.key
    text = card.to_text()
    assert "rested on evidence the team had at the time" in text


def test_poor_drill_gets_concrete_things_to_practise(poor_checkout: Drill) -> None:
    """The poor drill's debrief names concrete things to practise, per neglected dimension."""
    card = score_log(poor_checkout.header, poor_checkout.events)
    practise = " ".join(card.dimension("communication").to_practise)
    assert "status page" in practise
    assert any("SEV4" in line for line in card.dimension("command").to_practise)
    assert any("Act on evidence" in line for line in card.dimension("mitigation").to_practise)


def _with_truth_scoring(drill: Drill, scoring: dict[str, float]) -> Scenario:
    scenario = Scenario.model_validate(drill.header["scenario"])
    truth = scenario.truth.model_copy(update={"scoring": scoring})
    return scenario.model_copy(update={"truth": truth})


def test_truth_scoring_overrides_dimension_weights(poor_checkout: Drill) -> None:
    """truth.scoring weights change how much each dimension counts in the overall percent."""
    base = score_log(poor_checkout.header, poor_checkout.events)
    noise_only = _with_truth_scoring(poor_checkout, {k: 0.0 for k in DIMENSIONS} | {"noise": 1.0})
    card = score_log(poor_checkout.header, poor_checkout.events, noise_only)
    assert card.dimension("communication").weight == 0.0
    assert card.overall_percent == card.dimension("noise").percent
    assert card.overall_percent != base.overall_percent


def test_unknown_truth_scoring_key_is_a_warning(good_checkout: Drill) -> None:
    """A truth.scoring key the rubric does not know is reported, not silently ignored."""
    scenario = _with_truth_scoring(good_checkout, {"comunication": 2.0})
    card = score_log(good_checkout.header, good_checkout.events, scenario)
    assert any("comunication" in w for w in card.warnings)


def test_resolve_hold_override_changes_the_close_check(good_checkout: Drill) -> None:
    """truth.scoring resolve_hold: resolving 19m40s after impact ended is too soon for 30m."""
    strict = _with_truth_scoring(good_checkout, {"resolve_hold": 1800.0})
    card = score_log(good_checkout.header, good_checkout.events, strict)
    normal = score_log(good_checkout.header, good_checkout.events)
    assert card.dimension("documentation").percent < normal.dimension("documentation").percent


def test_timeliness_is_full_within_target_and_zero_at_double() -> None:
    """Timeliness: 1 within target, linear to 0 at twice the target, 0 if it never happened."""
    assert timeliness(100, 300) == 1.0
    assert timeliness(450, 300) == pytest.approx(0.5)
    assert timeliness(600, 300) == 0.0
    assert timeliness(None, 300) == 0.0


def test_under_declaring_weighs_worse_than_over_declaring() -> None:
    """Severity fit: SEV3 for a SEV2 incident costs more than SEV1 for it."""
    assert severity_fit(2, 2) == 1.0
    assert severity_fit(1, 2) > severity_fit(3, 2)
    assert severity_fit(4, 2) < severity_fit(3, 2)
    assert severity_fit(None, 2) == 0.0


def test_a_follow_up_after_mitigation_is_not_a_wasted_move() -> None:
    """Rolling back a deploy whose flag is already off fixes nothing, but is cited as a
    follow-up, not as a mitigation that had no effect."""
    from simulator.drill.session import DrillSession
    from simulator.scenario.loader import load_scenario

    loaded = load_scenario("checkout-bad-deploy")
    session = DrillSession(loaded.scenario, seed=7, scenario_hash=loaded.content_hash)
    session.advance(300)
    session.submit("/flag new-pricing-engine off")
    session.advance(500)
    assert any(e.type == "impact.mitigated" for e in session.events)
    session.submit("/rollback checkout")
    session.advance(900)
    card = score_log(session.header, session.events)
    evidence = [str(ev) for ev in card.dimension("mitigation").evidence]
    assert any("rollback checkout: a follow-up" in line for line in evidence), evidence
    assert not any("rollback checkout had no effect" in line for line in evidence)
    from scoring.postmortem import postmortem_markdown

    timeline = postmortem_markdown(session.header, session.events, card)
    assert "rollback checkout takes effect (a follow-up)" in timeline
