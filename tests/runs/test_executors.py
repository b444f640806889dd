"""The executor abstraction: every (input, seed) once, same results on every executor."""

from __future__ import annotations

import sys

import pytest

from simulator.errors import InputError
from simulator.executors import (
    DaskExecutor,
    LocalExecutor,
    batch_size,
    batches,
    collect,
    open_executor,
    probe,
)


def test_batches_cover_every_seed_once_in_order() -> None:
    """Batching never drops, repeats or reorders a seed."""
    seeds = list(range(5, 42))
    parts = batches(seeds, batch_size(len(seeds), 2))
    assert [s for part in parts for s in part] == seeds
    assert max(len(p) for p in parts) <= 32


@pytest.mark.parametrize("workers", [1, 2])
def test_local_executor_runs_every_input_and_seed(workers: int) -> None:
    """One worker runs in this process, two in a pool: the same keyed results."""
    done: list[int] = []
    with LocalExecutor(workers) as executor:
        results = collect(
            executor.map_seeds(probe, ["a", "b", "c"], range(10), progress=done.append)
        )
    assert sorted(results) == [(i, s) for i in range(3) for s in range(10)]
    assert results[(1, 7)] == "b/7"
    assert sum(done) == 30


@pytest.mark.slow
def test_dask_executor_matches_local(dask_address: str) -> None:
    """A Dask cluster returns exactly what local processes return for the same seeds."""
    with LocalExecutor(2) as local:
        here = collect(local.map_seeds(probe, ["x", "y"], range(40)))
    with DaskExecutor(dask_address) as cluster:
        assert cluster.workers == 2
        there = collect(cluster.map_seeds(probe, ["x", "y"], range(40)))
    assert there == here


def test_unreachable_cluster_is_a_clear_input_error() -> None:
    """A scheduler that is not there: one message naming --cluster, no traceback."""
    pytest.importorskip("distributed")
    with pytest.raises(InputError, match="could not reach a Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:1", timeout=0.5)


def test_missing_dask_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Dask installed, --cluster says which extra to install."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # import now raises ImportError
    with pytest.raises(InputError, match=r"gameday\[cluster\]"):
        open_executor("tcp://127.0.0.1:8786", None)


def test_workers_and_cluster_together_are_refused() -> None:
    """--workers sizes local pools only; with --cluster it is a mistake worth saying."""
    with pytest.raises(InputError, match="--workers is for local runs"):
        open_executor("tcp://127.0.0.1:8786", 2)
