"""The v2 mechanics on one small real scenario (tests/data/v2-mechanics.yaml): knowledge,
preconditions, approval, partial fixes, latency/traffic/data impact, tooling, state injects."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.scenario.loader import load_scenario_file, parse_scenario
from tests.conftest import ROOT

FILE = ROOT / "tests" / "data" / "v2-mechanics.yaml"


def _session() -> DrillSession:
    return DrillSession(load_scenario_file(FILE).scenario, seed=3)


def _types(session: DrillSession, type_: str) -> list:  # type: ignore[type-arg]
    return [e for e in session.events if e.type == type_]


def test_a_hidden_fix_is_refused_until_a_finding_reveals_it() -> None:
    """`known: false`: /mitigate is rejected (not even hinted) and not offered; a finding
    with `reveals` logs knowledge.gained, and from then on it is accepted and offered."""
    s = _session()
    s.advance(150)
    assert "/mitigate restore-snapshot" not in s.known_mitigations()
    refused = s.submit("/mitigate restore-snapshot")
    assert not refused.accepted and "restore-snapshot" not in refused.message.split(":")[-1]
    s.submit("/investigate backups")
    s.advance(200)
    gained = _types(s, "knowledge.gained")
    assert [e["mitigation"] for e in gained] == ["restore-snapshot"]
    assert "/mitigate restore-snapshot" in s.known_mitigations()
    assert s.submit("/mitigate restore-snapshot").accepted


def test_approval_waits_and_a_precondition_refuses_until_met() -> None:
    """The snapshot restore waits 1m for the Head of Data, then 2m; the cache rebuild
    before the database is fixed is refused (mitigation.refused) and changes nothing."""
    s = _session()
    s.advance(150)
    s.submit("/investigate backups")
    s.advance(190)
    s.submit("/mitigate rebuild-cache")
    s.submit("/mitigate restore-snapshot")
    s.advance(600)
    refused = _types(s, "mitigation.refused")
    assert refused[0]["mitigation"] == "rebuild-cache" and "db-wipe" in refused[0]["reason"]
    fixed = next(e for e in _types(s, "fault.fixed") if e["fault"] == "db-wipe")
    assert fixed.t == pytest.approx(190 + 60 + 120)
    ask = next(e for e in _types(s, "message.posted") if e["text"] == "Is the store back?")
    assert ask.t >= fixed.t  # the `when:` inject waited for the state


def test_data_loss_is_counted_until_stopped_and_stays_lost() -> None:
    """5000 orders lost at the start, 100/min until maintenance mode stops it; the total
    is one data.lost event, in samples (cumulative) and in the summary."""
    s = _session()
    s.advance(300)
    s.submit("/flag maintenance-mode on")  # the flag service is down (ops): refused
    assert s.submit("/restart ops").accepted
    s.advance(400)
    assert s.submit("/flag maintenance-mode on").accepted
    s.advance(3600)
    lost = _types(s, "data.lost")
    assert len(lost) == 1 and lost[0]["unit"] == "orders"
    minutes = (lost[0]["until"] - lost[0]["since"]) / 60
    assert lost[0]["amount"] == pytest.approx(5000 + 100 * minutes, abs=0.01)
    assert s.summary()["data_lost"][0]["amount"] == lost[0]["amount"]
    last = _types(s, "metrics.sample")[-1]["services"]["db"]
    assert last["data_lost"] == lost[0]["amount"]


def test_latency_and_a_traffic_drop_count_as_impact() -> None:
    """A latency-only fault degrades users (users_degraded, user-minutes in the summary);
    a traffic drop loses requests and counts its users as affected."""
    s = _session()
    s.advance(600)
    web = _types(s, "metrics.sample")[-1]["services"]["web"]
    assert web["requests_lost"] == pytest.approx(500.0)
    assert web["users_affected"] >= 50.0
    s.advance(3600)
    assert s.summary()["user_minutes_degraded"] > 0


def test_tools_on_a_failing_service_fail_realistically() -> None:
    """The status page and flag service run on ops: /status fails with a 503 naming the
    host; monitoring is down too, so the replication-lag alert never fires while it is."""
    s = _session()
    s.advance(240)
    status = s.submit('/status investigating "Orders are failing"')
    assert not status.accepted and "503" in status.message and "ops" in status.message
    assert not [e for e in _types(s, "alert.fired") if not e["noise"]]
    assert s.submit("/restart ops").accepted
    s.advance(400)
    assert s.submit('/status investigating "Orders are failing"').accepted
    assert [e for e in _types(s, "alert.fired") if e["name"] == "ReplicationLag"]


def test_impact_is_mitigated_only_when_every_customer_facing_fault_is() -> None:
    """Fixing the database is not the end: the cold cache still slows the store; the
    impact is mitigated by the rebuild (a ramped fix), not before; the ops outage,
    not customer-facing, does not hold it open."""
    s = _session()
    s.advance(150)
    s.submit("/investigate backups")
    s.advance(190)
    s.submit("/mitigate restore-snapshot")
    s.advance(400)
    assert not _types(s, "impact.mitigated")
    s.submit("/mitigate rebuild-cache")
    s.advance(3600)
    mitigated = _types(s, "impact.mitigated")
    assert len(mitigated) == 1 and mitigated[0]["by"] == "rebuild-cache"
    assert _types(s, "impact.ended")


def test_a_partial_fix_reduces_the_fault_for_good() -> None:
    """`reduces: 0.5` halves the cold cache's latency and leaves it active."""
    s = _session()
    s.advance(300)
    before = s.last_metrics["web"].latency_p99_ms
    s.submit("/restart web")
    s.advance(400)
    after = s.last_metrics["web"].latency_p99_ms
    assert after < before and after > s.scenario.service("web").baseline.latency_p99_ms
    assert not _types(s, "impact.mitigated")


def test_customers_are_named_as_customers_call_the_service() -> None:
    """`customers:` names the entry point in generated chatter and the Comms Lead's posts."""
    s = _session()
    assert s.scenario.customer_name("web") == "the online store"
    assert s.scenario.entry_points() == ("web",)


def test_a_v1_file_using_a_v2_key_is_told_how_to_upgrade(tmp_path: Path) -> None:
    """v2 keys in a v1 file: one error per key, at its line, saying to change apiVersion."""
    text = FILE.read_text().replace("apiVersion: gameday/v2", "apiVersion: gameday/v1")
    with pytest.raises(InputError) as err:
        parse_scenario(text, "old.yaml")
    message = str(err.value)
    assert "old.yaml:8:5" in message and "`entry_point` needs apiVersion gameday/v2" in message
    assert "apiVersion: gameday/v2" in message


def test_after_match_must_name_a_field_of_the_event() -> None:
    """`after.match` keys are checked against the event vocabulary at validation."""
    text = FILE.read_text().replace(
        "injects:\n",
        "injects:\n  - {kind: executive_ask, after: {event: severity.declared, match: {sev: 1}}}\n",
    )
    with pytest.raises(InputError) as err:
        parse_scenario(text, "x.yaml")
    assert "'severity.declared' events have no field 'sev'" in str(err.value)
    assert "severity" in err.value.problems[0].hint


WORLD = """
apiVersion: gameday/v2
kind: Scenario
metadata: {id: world, title: "Worsening and traffic through dependencies", duration: 60m}
services:
  - {name: web, entry_point: true, traffic: {requests_per_minute: 3000, users_per_minute: 600},
     depends_on: [api]}
  - {name: admin, traffic: {requests_per_minute: 1000, users_per_minute: 10}, depends_on: [db]}
  - {name: api, traffic: {requests_per_minute: 3000, users_per_minute: 600}, depends_on: [db]}
  - {name: db, traffic: {requests_per_minute: 8000, users_per_minute: 600}}
faults:
  - id: api-down
    kind: custom
    target: api
    start: 1m
    impact: {error_rate: 1.0}
    escalation: {curve: step}
    recovery: 2m
    responses: {restart-api: worsens, fix-api: fixes}
  - id: promo
    kind: custom
    target: web
    start: 1m
    impact: {traffic: 1.0}
    escalation: {curve: step}
    customer_facing: false
mitigations:
  - {id: restart-api, action: restart, service: api, takes: 30s}
  - {id: fix-api, action: custom, takes: 30s}
truth: {severity: 2, root_cause: "The api is down."}
"""


def _world(edit: str = "") -> DrillSession:
    text = WORLD if not edit else WORLD.replace(*edit.split("|"))
    return DrillSession(parse_scenario(text, "world.yaml").scenario, seed=1)


def test_a_worsening_shows_after_the_error_rate_is_saturated() -> None:
    """At 100% errors a worse fault still shows: p99 and saturation rise, callers retry
    (more requests reach it), dependents wait longer, and recovery takes longer."""
    calm, worse = _world(), _world()
    for s in (calm, worse):
        s.advance(240)
    before = worse.last_metrics["api"]
    assert before.error_rate == pytest.approx(1.0)
    worse.submit("/restart api")
    for s in (calm, worse):
        s.advance(600)
    api, still = worse.last_metrics["api"], calm.last_metrics["api"]
    assert api.error_rate == still.error_rate == pytest.approx(1.0)
    assert api.latency_p99_ms > still.latency_p99_ms
    assert api.saturation > still.saturation
    assert api.requests_per_minute > still.requests_per_minute  # retries
    assert (
        worse.last_metrics["db"].requests_per_minute > calm.last_metrics["db"].requests_per_minute
    )
    for s in (calm, worse):
        s.submit("/mitigate fix-api")
        s.advance(3600)
    ended = {
        id(s): _types(s, "impact.ended")[0].t - _types(s, "fault.fixed")[0].t for s in (calm, worse)
    }
    assert ended[id(calm)] == pytest.approx(120.0, abs=16)
    assert ended[id(worse)] > ended[id(calm)] + 30  # a worse outage recovers more slowly


def test_a_traffic_change_at_an_entry_point_reaches_what_it_calls() -> None:
    """A surge on web doubles web's requests, and api's (its only caller); db gets api's
    share of its calls (3000 of the 4000 rpm its callers take) of the same change."""
    s = _world("error_rate: 1.0|error_rate: 0.0")
    s.advance(300)
    m = s.last_metrics
    assert m["web"].requests_per_minute == pytest.approx(6000.0)
    assert m["api"].requests_per_minute == pytest.approx(6000.0)
    assert m["db"].requests_per_minute == pytest.approx(8000.0 * (1 + 0.75))
    assert m["admin"].requests_per_minute == pytest.approx(1000.0)
    # A drop passes on the same way; its lost requests and users count where it happens.
    d = _world("traffic: 1.0|traffic: -0.5")
    d.advance(300)
    m = d.last_metrics
    assert m["api"].requests_per_minute == pytest.approx(1500.0)
    assert m["web"].requests_lost == pytest.approx(1500.0)
    assert m["api"].requests_lost == 0.0
