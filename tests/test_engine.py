"""The drill engine: determinism, commands, mitigations, paging, resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.drill.commands import load_script
from simulator.drill.health import FaultState, HealthModel
from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.log.events import EVENT_TYPES, Event
from simulator.log.jsonl import comparable_lines, read_log
from simulator.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from tests.conftest import SCRIPTS


@pytest.fixture(scope="module")
def checkout() -> LoadedScenario:
    return load_scenario("checkout-bad-deploy")


def _session(loaded: LoadedScenario, seed: int = 7, log: Path | None = None) -> DrillSession:
    return DrillSession(loaded.scenario, seed=seed, log_path=log, scenario_hash=loaded.content_hash)


def _types(session: DrillSession, *types: str) -> list[Event]:
    return [e for e in session.events if e.type in types]


def test_same_seed_and_script_give_byte_identical_logs(
    checkout: LoadedScenario, tmp_path: Path
) -> None:
    """Determinism: scenario + seed + commands reproduce the log, bar wall-clock fields."""
    script = load_script(SCRIPTS / "checkout-bad-deploy-good.yaml")
    paths = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for path in paths:
        _session(checkout, 11, path).run_script(script)
    a, b = (p.read_text().splitlines() for p in paths)
    assert comparable_lines(a) == comparable_lines(b)
    assert a[1:] == b[1:]  # only the header carries a wall-clock field


def test_different_seeds_give_different_noise(checkout: LoadedScenario) -> None:
    """The seed drives noise and chatter, so two seeds give two different drills."""
    runs = []
    for seed in (1, 2):
        session = _session(checkout, seed)
        session.advance(checkout.scenario.metadata.duration)
        runs.append([(e.t, e["name"]) for e in session.events if e.type == "alert.fired"])
    assert runs[0] != runs[1]


def test_nobody_responds_runs_to_duration_with_impact_ongoing(checkout: LoadedScenario) -> None:
    """Without commands the fault escalates, pages escalate, and the drill ends at its limit."""
    session = _session(checkout)
    session.advance(10**9)
    assert session.ended and session.now == checkout.scenario.metadata.duration
    end = session.events[-1]
    assert end.type == "drill.ended" and end["impact_ongoing"] is True
    assert _types(session, "page.escalated"), "unacknowledged pages must go up the chain"
    assert not _types(session, "impact.mitigated")
    assert {e.type for e in session.events} <= EVENT_TYPES


def test_rejected_command_is_logged_and_drill_goes_on(checkout: LoadedScenario) -> None:
    """A malformed or unknown command never stops the drill; it is logged as rejected."""
    session = _session(checkout)
    session.advance(300)
    for text in ("/rollbak checkout", "/rollback chekout", "/flag no-such-flag off", "ack"):
        result = session.submit(text)
        assert not result.accepted
        assert result.event.type == "command.rejected"
    assert "did you mean 'checkout'" in session.submit("/rollback chekout").message
    result = session.submit("/ack")
    assert result.accepted and "acknowledged" in result.message
    session.advance(600)
    assert not session.ended


def test_rollback_fixes_and_impact_ends_after_recovery(checkout: LoadedScenario) -> None:
    """A fixing mitigation takes its time, fixes the fault, then impact ends after recovery."""
    session = _session(checkout)
    session.advance(300)
    session.submit("/rollback checkout")
    session.advance(3000)
    fixed = _types(session, "fault.fixed")[0]
    mitigated = _types(session, "impact.mitigated")[0]
    ended = _types(session, "impact.ended")[0]
    assert fixed.t == pytest.approx(300 + 180)  # rollback takes 3m
    assert mitigated.t == fixed.t and mitigated["by"] == "rollback-checkout"
    assert ended.t == pytest.approx(fixed.t + 120)  # recovery 2m
    samples = [e for e in session.events if e.type == "metrics.sample" and e.t > ended.t]
    assert all(s["services"]["checkout"]["users_affected"] == 0 for s in samples)


def test_restart_only_relieves_then_fault_returns(checkout: LoadedScenario) -> None:
    """The red herring helps for a while, then errors climb back."""
    session = _session(checkout)
    session.advance(900)
    session.submit("/restart checkout")
    session.advance(2400)
    relieved = _types(session, "fault.relieved")[0]
    assert relieved["until"] == pytest.approx(relieved.t + 240)
    err = {
        e.t: e["services"]["checkout"]["error_rate"]
        for e in session.events
        if e.type == "metrics.sample"
    }
    during = max(v for t, v in err.items() if relieved.t < t < relieved["until"])
    later = max(v for t, v in err.items() if t > relieved["until"] + 600)
    assert later > during
    assert not _types(session, "impact.mitigated")


def test_delegated_task_is_done_by_the_delegate(checkout: LoadedScenario) -> None:
    """'@tech' hands the task to the Tech Lead, who joins and carries it out."""
    session = _session(checkout)
    session.advance(300)
    assert not session.submit("/investigate deploys @tech").accepted  # nobody holds tech yet
    session.submit("/assign tech Priya N.")
    result = session.submit("/investigate deploys @tech")
    assert result.accepted and result.event["delegate"] == "Priya N."
    session.advance(900)
    done = _types(session, "investigation.completed")[0]
    assert done["by"] == "Priya N."
    assert any(f["kind"] == "clue" for f in done["findings"])
    assert _types(session, "task.assigned")[0]["to"] == "Priya N."


def test_silence_stops_escalation_of_noise(checkout: LoadedScenario) -> None:
    """A silenced alert no longer pages or escalates."""
    session = _session(checkout, seed=7)
    session.advance(30)
    result = session.submit("/silence PaymentsGatewayProbeFlaky 1h")
    assert result.accepted
    session.advance(1800)
    flaps = [
        e
        for e in session.events
        if e.type == "alert.fired" and e["name"] == "PaymentsGatewayProbeFlaky"
    ]
    assert flaps and all(e["silenced"] for e in flaps)
    silenced_ids = {e["alert"] for e in flaps}
    assert not [e for e in session.events if e.type == "page.sent" and e["alert"] in silenced_ids]


def test_resolve_ends_the_drill(checkout: LoadedScenario) -> None:
    """/resolve ends the drill and records whether impact was still ongoing."""
    session = _session(checkout)
    session.advance(400)
    session.submit("/resolve")
    assert session.ended
    assert session.events[-2].type == "incident.resolved"
    assert session.events[-2]["impact_ongoing"] is True
    assert session.advance(2000) == []


def test_resume_continues_byte_identically(checkout: LoadedScenario, tmp_path: Path) -> None:
    """Quitting mid-drill and resuming gives the same log as an uninterrupted drill."""
    script = load_script(SCRIPTS / "checkout-bad-deploy-good.yaml")
    full = tmp_path / "full.jsonl"
    _session(checkout, 5, full).run_script(script)
    part = tmp_path / "part.jsonl"
    first = _session(checkout, 5, part)
    for entry in [e for e in script if e.at <= 600]:
        first.advance(entry.at)
        first.submit(entry.do, role=entry.as_, reason=entry.why)
    first.advance(650)
    first.close()
    resumed = resume_session(part)
    assert resumed.now < 650
    resumed.run_script([e for e in script if e.at > 600])
    assert comparable_lines(full.read_text().splitlines()) == comparable_lines(
        part.read_text().splitlines()
    )
    assert read_log(part).complete


def test_log_survives_a_crash_mid_line(checkout: LoadedScenario, tmp_path: Path) -> None:
    """Every event is flushed as it happens; a cut-off last line is skipped with a warning."""
    path = tmp_path / "crash.jsonl"
    session = _session(checkout, 3, path)
    session.advance(900)
    lines = path.read_text().splitlines()
    session.close()
    assert len(lines) == len(session.events) + 1  # header + every event, already on disk
    path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:20])
    log = read_log(path)
    assert len(log.events) == len(session.events) - 1
    assert log.warnings and f":{len(lines)}:" in str(log.warnings[0])


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(st.floats(0, 400), min_size=1, max_size=4),
    worsen=st.integers(0, 3),
)
def test_metrics_stay_within_bounds(
    checkout: LoadedScenario, levels: list[float], worsen: int
) -> None:
    """Whatever faults do, error rates stay in [0, 1] and impact is never negative."""
    model = HealthModel(checkout.scenario)
    states = []
    for start in levels:
        state = FaultState(checkout.scenario.faults[0])
        state.start(start)
        for _ in range(worsen):
            state.worsened()
        states.append(state)
    for t in (0.0, 200.0, 800.0, 5000.0):
        for m in model.metrics(t, states).values():
            assert 0.0 <= m.error_rate <= 1.0
            assert 0.0 <= m.saturation <= 1.0
            assert m.users_affected >= 0.0
            assert m.users_affected <= m.users_per_minute + 1e-9


def _variant(checkout_text: str, *replacements: tuple[str, str]) -> LoadedScenario:
    text = checkout_text
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_scenario(text, "variant.yaml")


def test_list_response_steps_on_with_each_application(checkout_text: str) -> None:
    """'[{relieves}, worsens]': the first restart helps for a while, the second makes it worse."""
    loaded = _variant(
        checkout_text,
        (
            "      restart-checkout: {relieves: 4m, to: 0.6}\n",
            "      restart-checkout: [{relieves: 4m, to: 0.6}, worsens]\n",
        ),
    )
    session = _session(loaded)
    session.advance(600)
    session.submit("/restart checkout")
    session.advance(900)
    session.submit("/restart checkout")
    session.advance(1200)
    effects = [e["effects"]["bad-deploy"] for e in _types(session, "mitigation.applied")]
    assert effects == ["relieved", "worsened"]


def test_findings_can_expire(checkout_text: str) -> None:
    """A finding with 'until' is shown before that time only (a status page that changes)."""
    loaded = _variant(
        checkout_text,
        (
            '      - text: "13:20 catalog v8.2.1 (search ranking tweak), healthy since."\n',
            '      - text: "13:20 catalog v8.2.1 (search ranking tweak), healthy since."\n'
            "        until: 10m\n",
        ),
    )
    session = _session(loaded)
    session.advance(300)
    session.submit("/investigate deploys")
    session.advance(700)
    session.submit("/investigate deploys")
    session.advance(900)
    early, late = (e["findings"] for e in _types(session, "investigation.completed"))
    assert any("catalog v8.2.1" in f["text"] for f in early)
    assert not any("catalog v8.2.1" in f["text"] for f in late)


def test_generic_deploy_history_lists_deployed_versions(checkout_text: str) -> None:
    """Without a 'deploys' investigation, /investigate deploys lists the faults' versions."""
    loaded = _variant(checkout_text, ("  - query: deploys\n", "  - query: deploy-log\n"))
    session = _session(loaded)
    session.advance(300)
    session.submit("/investigate deploys")
    session.advance(500)
    findings = _types(session, "investigation.completed")[0]["findings"]
    assert [f["text"] for f in findings] == ["T+03:00 checkout v2.14.0 rolled out (bad deploy)"]


def test_chatter_draws_what_a_full_faker_draws() -> None:
    """The chatter builds only the providers it uses; a seed gives the words a Faker would."""
    from faker import Faker

    from simulator.drill.chatter import Chatter

    for seed in (0, 7, 42, 2026):
        chatter, full = Chatter(seed), Faker("en_US")
        full.seed_instance(seed)
        assert [chatter.person_name(), chatter.customer_name(), chatter.fake.company()] == [
            f"{full.first_name()} {full.last_name()[0]}.",
            full.name(),
            full.company(),
        ]
        assert chatter.fake.hexify("^^^^-^^^^") == full.hexify("^^^^-^^^^")


def test_people_ask_about_the_service_customers_feel() -> None:
    """The database is what broke, but customers meet the API gateway: asks name that."""
    loaded = load_scenario("db-pool-exhaustion")
    session = _session(loaded)
    assert session.felt_service() == loaded.scenario.faults[0].target  # before any impact
    session.advance(900)
    felt = session.felt_service()
    metrics = session.last_metrics
    assert felt == "api-gateway" and metrics[felt].users_affected > 0
    assert metrics["core-db"].users_affected > metrics[felt].users_affected


def _with_injects(injects: list[dict[str, object]]) -> LoadedScenario:
    """The checkout drill with these injects instead of its own."""
    import yaml

    data = load_scenario("checkout-bad-deploy").scenario.model_dump(mode="json", by_alias=True)
    data["injects"] = injects
    return parse_scenario(yaml.safe_dump(data), "triggered.yaml")


def test_an_inject_can_follow_what_the_players_do() -> None:
    """`after:` sets an inject off by an event (and its fields), with a delay; an event
    that never comes never sets it off."""
    loaded = _with_injects(
        [
            {
                "kind": "executive_ask",
                "after": {"event": "severity.declared", "delay": "2m"},
                "message": "I hear we have a SEV. What do customers see?",
            },
            {
                "kind": "support_surge",
                "after": {"event": "severity.declared", "match": {"severity": 1}},
            },
        ]
    )
    session = _session(loaded)
    session.advance(400)
    session.submit("/sev 2")
    session.advance(3600)
    asks = [e for e in session.events if e.get("kind") == "executive_ask"]
    assert [(e.t, e["text"]) for e in asks] == [
        (520.0, "I hear we have a SEV. What do customers see?")
    ]
    assert not [e for e in session.events if e.get("kind") == "support_surge"], "not SEV1"


def test_inject_triggers_are_checked_with_the_scenario() -> None:
    """An unknown event type is located and gets a suggestion; `at` and `after` exclude
    each other."""
    with pytest.raises(InputError) as err:
        _with_injects([{"kind": "executive_ask", "after": {"event": "severity.declare"}}])
    assert "unknown event type 'severity.declare'" in str(err.value)
    assert "did you mean 'severity.declared'" in str(err.value)
    with pytest.raises(InputError, match="give `at` \\(a time\\) or `after`"):
        _with_injects([{"kind": "executive_ask", "at": 60, "after": {"event": "page.sent"}}])


def test_a_fault_can_start_because_of_what_the_players_did() -> None:
    """Shifting traffic onto a region can overload it: the fault starts 3m after the shift
    (`shift-traffic` in the scenario matches the log's `shift_traffic`)."""
    loaded = load_scenario("region-outage")
    data = loaded.scenario.model_dump(mode="json", by_alias=True)
    data["injects"] = [i for i in data["injects"] if i["kind"] != "fault"] + [
        {
            "kind": "fault",
            "fault": "usw2-saturation",
            "after": {
                "event": "mitigation.applied",
                "match": {"action": "shift-traffic"},
                "delay": "3m",
            },
        }
    ]
    import yaml

    session = _session(parse_scenario(yaml.safe_dump(data), "shift.yaml"))
    session.advance(1200)
    assert not [e for e in session.events if e.get("fault") == "usw2-saturation"]
    result = session.submit("/shift-traffic us-east-1 us-west-2")
    assert result.accepted, result.message
    session.advance(3000)
    shifted = next(e for e in session.events if e.type == "mitigation.applied")
    started = next(
        e for e in session.events if e.type == "fault.started" and e["fault"] == "usw2-saturation"
    )
    assert started.t == shifted.t + 180


def test_symptoms_can_begin_at_different_strengths() -> None:
    """`impact.onset`: a pool fills (saturation, latency) before requests fail; with no
    onset every symptom grows with the fault, as before."""
    from simulator.scenario.model import Impact

    pool = Impact.model_validate(
        {
            "error_rate": 0.4,
            "latency_p99_ms": 2000,
            "saturation": 0.5,
            "onset": {"error_rate": 0.6, "latency_p99_ms": 0.2},
        }
    )
    assert pool.at(0.3) == (0.0, pytest.approx(250.0), pytest.approx(0.15))
    assert pool.at(0.8) == (pytest.approx(0.2), pytest.approx(1500.0), pytest.approx(0.4))
    assert pool.at(1.0) == (pytest.approx(0.4), pytest.approx(2000.0), pytest.approx(0.5))
    worse = pool.at(1.5)  # made worse: 1.5x each symptom, the onset does not amplify it
    assert worse == (pytest.approx(0.6), pytest.approx(3000.0), pytest.approx(0.75))
    plain = Impact(error_rate=0.4, latency_p99_ms=2000, saturation=0.5)
    assert plain.at(0.5) == (pytest.approx(0.2), pytest.approx(1000.0), pytest.approx(0.25))
    with pytest.raises(ValueError, match="less than 1"):
        Impact.model_validate({"error_rate": 0.4, "onset": {"error_rate": 1.0}})


def test_the_simulated_ic_takes_command_for_the_real_page_not_noise() -> None:
    """Playing Comms in region-outage: a noise page comes first; the simulated IC
    acknowledges and declares only after the page about the real problem."""
    loaded = load_scenario("region-outage")
    session = DrillSession(loaded.scenario, seed=7, role="comms", scenario_hash=loaded.content_hash)
    session.advance(3600)
    pages = [e for e in session.events if e.type == "page.sent"]
    assert pages[0]["noise"], "the scenario's first page is noise"
    real = next(e for e in pages if not e["noise"])
    ic = [e for e in session.events if e.type == "command.accepted" and e["role"] == "ic"]
    assert ic[0]["command"] == "ack" and ic[0].t >= real.t + 60


def test_a_relief_can_end_the_fault_when_it_wears_off() -> None:
    """`then: fixes`: the fault is held down, then over (and the impact mitigated) when
    the relief ends; without it the fault escalates again."""
    import yaml

    def played(then: str) -> DrillSession:
        data = load_scenario("checkout-bad-deploy").scenario.model_dump(mode="json", by_alias=True)
        data["faults"][0]["responses"]["restart-checkout"] = {
            "relieves": "4m",
            "to": 0.3,
            "then": then,
        }
        session = _session(parse_scenario(yaml.safe_dump(data), f"{then}.yaml"))
        session.advance(400)
        assert session.submit("/restart checkout").accepted
        session.advance(1500)
        return session

    settled = played("fixes")
    relieved = next(e for e in settled.events if e.type == "fault.relieved")
    fixed = next(e for e in settled.events if e.type == "fault.fixed")
    mitigated = next(e for e in settled.events if e.type == "impact.mitigated")
    assert fixed.t == mitigated.t == relieved["until"] and mitigated["by"] == "restart-checkout"
    assert any(e.type == "impact.ended" for e in settled.events)
    again = played("escalates")
    assert not any(e.type in ("fault.fixed", "impact.mitigated") for e in again.events)
