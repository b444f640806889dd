"""Each role has its own rubric, and decisions are judged on the evidence of their moment."""

from __future__ import annotations

import pytest

from scoring import Scorecard, score_drill, score_log
from scoring.comms import customer_names, customer_terms
from scoring.decisions import judge_decisions
from scoring.facts import index_events
from scoring.rubric import DIMENSIONS
from simulator.drill.knowledge import command_for
from simulator.scenario.loader import load_scenario
from tests.scoring.conftest import Drill, play, play_commands, scripted_scenarios

IC_KEYS = list(DIMENSIONS)


def _role_drill(role: str) -> tuple[str, list[str], dict[str, float]]:
    drill = play("checkout-bad-deploy", f"roles/checkout-bad-deploy-{role}.yaml", 7, role)
    (card,) = score_drill(drill.header, drill.events)
    return card.role, [d.key for d in card.dimensions], {d.key: d.percent for d in card.dimensions}


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        ("tech", ["hypothesis", "mitigation", "handback"]),
        ("comms", ["cadence", "accuracy", "next_update", "stakeholders"]),
        ("scribe", ["notes", "timeline"]),
    ],
)
def test_a_role_drill_gets_that_roles_scorecard(role: str, keys: list[str]) -> None:
    """A drill played as Tech Lead, Comms Lead or Scribe (``--role``) is rated on that role's
    job, not on the IC's ("0 of 0 key commands had a reason")."""
    got_role, got_keys, percent = _role_drill(role)
    assert got_role == role
    assert got_keys == keys and set(got_keys) != set(IC_KEYS)
    assert all(p >= 66.0 for p in percent.values()), percent


def test_the_json_names_the_role_and_explains_each_rating() -> None:
    """`score --json` says whose card it is; every rating says why it was given."""
    drill = play("checkout-bad-deploy", "roles/checkout-bad-deploy-comms.yaml", 7, "comms")
    out = score_log(drill.header, drill.events).to_json()
    assert (out["role"], out["role_title"]) == ("comms", "Communications Lead")
    assert set(out["ratings"]) == {"P", "S", "M", "U"}
    assert all(d["why"].startswith(f"{d['rating']}: ") for d in out["dimensions"])


def test_a_team_drill_gets_a_card_per_player_and_one_for_the_team() -> None:
    """`as: comms` lines make the Comms Lead a second player: the IC's card, the Comms Lead's
    (with the wrong post cited) and the team's."""
    drill = play("checkout-bad-deploy", "roles/checkout-bad-deploy-team.yaml")
    cards = score_drill(drill.header, drill.events)
    assert [c.role for c in cards] == ["ic", "comms", "team"]
    comms = cards[1]
    accuracy = comms.dimension("accuracy")
    bad = [e for e in accuracy.evidence if not e.good]
    assert bad and "names internal service(s) payments-gateway, pricing" in bad[0].text
    assert accuracy.percent < 100.0
    asked = comms.dimension("stakeholders").evidence
    assert len({e.text.split(" asked")[0] for e in asked if "VP Engineering" in e.text}) == 1


def _shotgun(scenario_id: str) -> tuple[tuple[int, str], ...]:
    """Acknowledge, then fire every mitigation the scenario has, with no investigation."""
    scenario = load_scenario(scenario_id).scenario
    fire = tuple((245 + 5 * i, command_for(m)) for i, m in enumerate(scenario.mitigations))
    return ((240, "/ack"), *fire)


@pytest.mark.parametrize("scenario_id", scripted_scenarios())
def test_shotgun_rates_below_the_good_script(scenario_id: str) -> None:
    """Firing every lever without looking rates below the good script overall and on
    mitigation; the good script still rates P."""
    good = _card(play(scenario_id, "good"))
    shot = _card(play_commands(scenario_id, 7, _shotgun(scenario_id)))
    assert good.overall_rating == "P"
    assert shot.overall_percent < good.overall_percent
    assert shot.dimension("mitigation").percent < good.dimension("mitigation").percent
    blind = [e for e in shot.dimension("mitigation").evidence if "without evidence" in e.text]
    assert blind


def test_a_blind_guess_of_the_right_fix_is_not_a_diagnosis() -> None:
    """db-pool: killing the batch job with nothing pointing at it is not even possible (the
    engine refuses a lever no finding has revealed), and Mitigation stays below the good
    script's."""
    guess = play_commands(
        "db-pool-exhaustion", 7, ((400, "/ack"), (410, "/mitigate kill-loyalty-job"))
    )
    refused = [e for e in guess.events if e.type == "command.rejected"]
    assert refused and "kill-loyalty-job" in refused[0]["text"]
    card = score_log(guess.header, guess.events)
    good = _card(play("db-pool-exhaustion", "good"))
    assert card.dimension("mitigation").percent < good.dimension("mitigation").percent == 100.0


def test_simulated_scribe_notes_do_not_count_for_the_team() -> None:
    """The simulated Scribe's automatic one-liners are not the human team's documentation."""
    drill = play("checkout-bad-deploy", "poor")
    auto = [e for e in drill.events if e.type == "note.added"]
    card = score_log(drill.header, drill.events)
    cited = [e for e in card.dimension("documentation").evidence if e.text.startswith("note:")]
    assert cited == [] and card.dimension("documentation").percent < 50
    assert all(e.get("by") != "trainee" for e in auto)


def _card(drill: Drill) -> Scorecard:
    return score_log(drill.header, drill.events)


def test_a_finding_that_reveals_the_fix_supports_it() -> None:
    """db-pool, good script: db-activity's finding reveals kill-loyalty-job (the engine logs
    `knowledge.gained`), and the kill that follows is credited to that finding, quoted."""
    drill = play("db-pool-exhaustion", "good")
    gained = next(
        e
        for e in drill.events
        if e.type == "knowledge.gained" and e["mitigation"] == "kill-loyalty-job"
    )
    started = next(
        e
        for e in drill.events
        if e.type == "mitigation.started" and e["mitigation"] == "kill-loyalty-job"
    )
    assert (
        gained.t < started.t and "187 held by application_name=loyalty-recalc" in gained["finding"]
    )
    decision = next(
        d
        for d in judge_decisions(
            index_events(drill.events), load_scenario("db-pool-exhaustion").scenario
        )
        if d.event.seq == started.seq
    )
    assert decision.supported and decision.effect == "fixed"
    assert decision.basis == f"a finding made it known: {gained['finding']}"
    cited = [e for e in _card(drill).dimension("mitigation").evidence if e.seq == started.seq]
    assert cited and cited[0].good
    assert "a finding made it known: pg_stat_activity: 296 of 300" in cited[0].text


def _comms_reply_drill() -> Drill:
    return play("orders-db-deleted", "roles/orders-db-deleted-comms.yaml", 7, "comms")


def test_a_reply_to_the_stakeholder_who_asked_answers_them() -> None:
    """`/reply Ruth ...` answers the COO's ask (no `/update` was posted at all), for the Comms
    Lead and on the IC's communication; it does not answer the Head of Support's ask."""
    drill = _comms_reply_drill()
    reply = next(e for e in drill.events if e.type == "stakeholder.replied")
    assert reply["stakeholder"] == "Ruth D."
    assert not [e for e in drill.events if e.type == "update.posted"]
    asked = _card(drill).dimension("stakeholders")
    good = [e for e in asked.evidence if e.good]
    assert [e.seq for e in good] == [reply.seq]
    assert good[0].text.startswith("Ruth D. (COO) asked for news: answered by a reply: ")
    amanda = [e for e in asked.evidence if e.text.startswith("Amanda D.")]
    assert amanda and not any(e.good for e in amanda)
    assert 0.0 < asked.percent < 100.0
    ic = score_log(drill.header, drill.events, role="ic").dimension("communication")
    assert any(
        e.good and e.seq == reply.seq and "answered by a reply from trainee" in e.text
        for e in ic.evidence
    )


def test_a_public_post_naming_what_customers_use_is_credited() -> None:
    """orders-db-deleted's entry point is `shop`, known to customers as "the online shop":
    the post that names it is credited, the one that does not is to practise."""
    assert customer_terms(load_scenario("orders-db-deleted").scenario) == {"online shop", "shop"}
    assert customer_names(
        "Orders fail in the online shop.", frozenset({"online shop", "shop"})
    ) == ["online shop"]
    accuracy = _card(_comms_reply_drill()).dimension("accuracy")
    status = [e for e in accuracy.evidence if e.text.startswith("status:")]
    assert [("names what customers use: online shop" in e.text) for e in status] == [True, False]
    assert any("1 of 2 public post(s) did" in line for line in accuracy.to_practise)
    assert accuracy.percent < 100.0
    # checkout-bad-deploy: every public post of the shipped Comms Lead script names checkout.
    drill = play("checkout-bad-deploy", "roles/checkout-bad-deploy-comms.yaml", 7, "comms")
    full = _card(drill).dimension("accuracy")
    assert any(
        "2 of 2 public post(s) named what customers use (checkout)" in w for w in full.went_well
    )
