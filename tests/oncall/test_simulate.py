"""The SimPy paging simulation against analytic results, and its determinism."""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from simulator.oncall.loader import load_oncall
from simulator.oncall.simulate import prepare, simulate_run
from simulator.oncall.streams import Incident
from simulator.oncall.testrun import (
    CHUNK_RUNS,
    TrialSetup,
    pool_context,
    run_test,
    simulate_runs,
)

START = datetime(2026, 1, 5, tzinfo=ZoneInfo("America/New_York")).timestamp()


def incidents(count: int, *, every: float = 3600.0, lasts: float = 1e6) -> list[Incident]:
    """Spaced-out incidents that never resolve by themselves during the escalation."""
    return [
        Incident(START + i * every, "svc", START + i * every + lasts, f"i{i}") for i in range(count)
    ]


def two_step(ack: str, delay: str, *, miss: float = 0.0, extra: str = "") -> str:
    return f"""
defaults:
  response:
    business: {{ack: {ack}, miss: {miss}}}
    off_hours: {{ack: {ack}, miss: {miss}}}
    sleep: {{ack: {ack}, miss: {miss}}}
people: [{{name: first}}, {{name: second}}]
policies:
  - name: p
    steps:
      - {{targets: [{{user: first}}], delay: {delay}}}
      - {{targets: [{{user: second}}], delay: {delay}}}
services: [{{name: svc, policy: p{extra}}}]
"""


HEAD = "apiVersion: gameday/v1\nkind: OnCall\ntime_zone: America/New_York\n"


def test_exponential_ack_share_at_step_one_matches_theory(
    write_config: Callable[..., Path],
) -> None:
    """Exponential acks with mean m and delay d: 1 - e^(-d/m) acknowledged at step one."""
    path = write_config(two_step("{distribution: exponential, mean: 5m}", "10m"), head=HEAD)
    oncall = load_oncall(path)
    n = 20000
    prepared = prepare(oncall.config, START, START + n * 3600.0)
    result = simulate_run(prepared, incidents(n), seed=7)
    share = result.acked_at_step[0] / result.incidents
    expected = 1 - math.exp(-10 / 5)
    sigma = math.sqrt(expected * (1 - expected) / n)
    assert abs(share - expected) < 4 * sigma
    assert result.incidents == n and result.never_acked == 0


def test_fixed_responders_give_exact_times(write_config: Callable[..., Path]) -> None:
    """Deterministic acks: first responds after 12m but step two fires at 10m, so the ack
    lands at exactly 12m while step two is current, and second is paged every time."""
    path = write_config(two_step("{distribution: fixed, after: 12m}", "10m"), head=HEAD)
    oncall = load_oncall(path)
    prepared = prepare(oncall.config, START, START + 10 * 3600.0)
    result = simulate_run(prepared, incidents(10), seed=1)
    assert result.ack_times == [720.0] * 10
    assert result.acked_at_step == {1: 10}
    assert result.escalations == 10
    assert sum(result.pages["second"]) == 10


def test_missed_pages_leave_incidents_unacknowledged(write_config: Callable[..., Path]) -> None:
    """When everyone misses every page, nothing is acknowledged and the policy runs out."""
    path = write_config(two_step("{distribution: fixed, after: 1m}", "5m", miss=1.0), head=HEAD)
    oncall = load_oncall(path)
    prepared = prepare(oncall.config, START, START + 5 * 3600.0)
    result = simulate_run(prepared, incidents(5), seed=1)
    assert result.never_acked == 5 and result.exhausted == 5
    assert result.reached_last_step == 5 and result.ack_times == []


def test_ack_timeout_retriggers_the_policy(write_config: Callable[..., Path]) -> None:
    """After an ack the incident re-triggers every ack_timeout until it resolves."""
    path = write_config(
        two_step("{distribution: fixed, after: 1m}", "5m", extra=", ack_timeout: 10m"), head=HEAD
    )
    oncall = load_oncall(path)
    prepared = prepare(oncall.config, START, START + 3 * 3600.0)
    # Resolves 35 minutes in: pages at 0, 11, 22 and 33 minutes.
    result = simulate_run(prepared, incidents(1, lasts=35 * 60), seed=1)
    assert sum(result.pages["first"]) == 4
    assert result.ack_times == [60.0]


def test_incident_resolving_before_any_ack_is_never_acknowledged(
    write_config: Callable[..., Path],
) -> None:
    """An alert that resolves by itself before anyone acks stops escalating."""
    path = write_config(two_step("{distribution: fixed, after: 8m}", "5m"), head=HEAD)
    oncall = load_oncall(path)
    prepared = prepare(oncall.config, START, START + 3 * 3600.0)
    result = simulate_run(prepared, incidents(1, lasts=4 * 60), seed=1)
    assert result.never_acked == 1
    assert sum(result.pages["second"]) == 0


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "oncall"


@pytest.mark.parametrize("start_method", [None, "spawn", "forkserver"])
def test_results_do_not_depend_on_the_number_of_workers(start_method: str | None) -> None:
    """Runs are seeded by index: workers=1 and workers=2 give identical results, however
    the workers start (None is the default: fork on Linux)."""
    setup = TrialSetup(
        load_oncall(EXAMPLES / "proposed.yaml"),
        load_oncall(EXAMPLES / "current.yaml"),
        START,
        14.0,
        7,
        seed=3,
    )
    one = run_test(setup, workers=1).to_dict()
    two = run_test(setup, workers=2, start_method=start_method).to_dict()
    assert one == two
    assert one["proposed"]["incidents_per_run"] > 0


def test_runs_arrive_in_index_order_with_progress_for_each() -> None:
    """Small tasks finish in any order; the merged runs are in index order, all counted."""
    setup = TrialSetup(load_oncall(EXAMPLES / "proposed.yaml"), None, START, 7.0, 11, seed=5)
    done: list[int] = []
    pairs = simulate_runs(setup, workers=2, progress=done.append)
    assert [i for i, _, _ in pairs] == list(range(11))
    assert sum(done) == 11 and len(done) == -(-11 // CHUNK_RUNS)
    assert pairs == simulate_runs(setup, workers=3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is the Linux default")
def test_workers_fork_unless_another_thread_runs() -> None:
    """Fork (fast start, modules inherited) only while this process has a single thread."""
    assert pool_context().get_start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert pool_context().get_start_method() == "forkserver"
    finally:
        stop.set()
        thread.join()
    assert pool_context("spawn").get_start_method() == "spawn"


def test_same_seed_same_result_other_seed_other_result() -> None:
    """A run is reproducible from its seed, and the seed matters."""
    proposed = load_oncall(EXAMPLES / "proposed.yaml")
    a = run_test(TrialSetup(proposed, None, START, 14.0, 3, seed=1), workers=1).to_dict()
    b = run_test(TrialSetup(proposed, None, START, 14.0, 3, seed=1), workers=1).to_dict()
    c = run_test(TrialSetup(proposed, None, START, 14.0, 3, seed=2), workers=1).to_dict()
    assert a == b
    assert a != c
