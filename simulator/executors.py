"""Where many runs execute: worker processes here, or a Dask cluster the user runs.

Both executors do one thing: apply a pure function ``fn(input, seed)`` to every input
and seed, a batch of seeds per task, and yield each result with its (input index,
seed) as batches finish. Callers key results by (input, seed) and reduce them in that
order, never in arrival order, which is what makes a report identical on either
executor and with any number of workers.

Dask rather than a home-made scheduler: teams that outgrow one machine usually run
a Dask cluster already (or can start one with ``dask scheduler``/``dask worker``),
and ``distributed`` gives them its dashboard, retries and worker management. It is an
optional extra (``pip install 'gameday[cluster]'``), imported only when asked for.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import Any, Protocol, TypeVar

from simulator.errors import InputError

In = TypeVar("In")
Out = TypeVar("Out")

SeedFn = Callable[[In, int], Out]
"""A run: a pure function of one input and one seed."""
Progress = Callable[[int], None]
"""Told how many (input, seed) runs just finished."""
Result = tuple[int, int, Out]
"""(input index, seed, what the run returned)."""

CLUSTER_EXTRA = "pip install 'gameday[cluster]'"


def batches(seeds: Sequence[int], size: int) -> list[tuple[int, ...]]:
    """``seeds`` cut into consecutive batches of at most ``size``."""
    return [tuple(seeds[i : i + size]) for i in range(0, len(seeds), size)]


def batch_size(runs: int, workers: int) -> int:
    """Seeds per task: about four tasks per worker so the last ones end together,
    and at most 32 so a progress bar moves and a lost worker costs little."""
    return max(1, min(32, math.ceil(runs / (workers * 4))))


def run_batch(fn: SeedFn[In, Out], value: In, seeds: tuple[int, ...]) -> list[Out]:
    """One task: ``fn`` over a batch of seeds, in this process."""
    return [fn(value, seed) for seed in seeds]


def gameday_version() -> str:
    """The gameday version of the process this runs in (a worker, or here)."""
    from simulator import __version__

    return __version__


def probe(value: str, seed: int) -> str:
    """A run that costs nothing: for measuring an executor's per-task overhead and for
    testing that every (input, seed) comes back once, with its own result."""
    return f"{value}/{seed}"


class RunExecutor(Protocol):
    """Maps a pure function of (input, seed) over inputs and seeds."""

    workers: int
    """How many runs go on at once (processes here, worker threads on a cluster)."""

    def map_seeds(
        self,
        fn: SeedFn[In, Out],
        inputs: Sequence[In],
        seeds: Sequence[int],
        *,
        progress: Progress | None = None,
    ) -> Iterator[Result[Out]]:
        """Every (input, seed) run, yielded as its batch finishes (in no set order)."""
        ...


def default_workers() -> int:
    """The CPUs this process may run on (not the machine's count, under a CPU limit)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _pool_context() -> BaseContext:
    """``fork`` on Linux while single-threaded (workers start in milliseconds with every
    module imported); ``forkserver`` when other threads run (a fork copies only this
    one, so a lock another holds would stay locked in the child); ``spawn`` elsewhere
    (macOS system libraries are not fork-safe; Windows has no fork)."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


_installed: tuple[Callable[[Any, int], Any], Sequence[Any]] | None = None
"""A local worker's copy of the function and inputs, set once when it starts, so a
task carries only an input index and its seeds."""


def _install(fn: Callable[[Any, int], Any], inputs: Sequence[Any]) -> None:
    global _installed
    _installed = (fn, inputs)


def _run_installed(index: int, seeds: tuple[int, ...]) -> list[Any]:
    if _installed is None:
        raise RuntimeError("a worker started without _install")
    fn, inputs = _installed
    return run_batch(fn, inputs[index], seeds)


class LocalExecutor(AbstractContextManager["LocalExecutor"]):
    """Worker processes on this machine (``concurrent.futures``); one worker runs here.

    A pool lives for one :meth:`map_seeds`, so nothing is left running between calls.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or default_workers())

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def map_seeds(
        self,
        fn: SeedFn[In, Out],
        inputs: Sequence[In],
        seeds: Sequence[int],
        *,
        progress: Progress | None = None,
    ) -> Iterator[Result[Out]]:
        """Every (input, seed) run; in this process when one worker is asked for."""
        size = batch_size(len(inputs) * len(seeds), self.workers)
        todo = [(i, batch) for i in range(len(inputs)) for batch in batches(seeds, size)]
        if self.workers == 1 or len(todo) <= 1:
            for index, batch in todo:
                yield from _tagged(index, batch, run_batch(fn, inputs[index], batch), progress)
            return
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(todo)),
            mp_context=_pool_context(),
            initializer=_install,
            initargs=(fn, list(inputs)),
        ) as pool:
            pending = {pool.submit(_run_installed, i, b): (i, b) for i, b in todo}
            for future in as_completed(pending):
                index, batch = pending.pop(future)
                yield from _tagged(index, batch, future.result(), progress)


def _tagged(
    index: int, batch: tuple[int, ...], results: list[Out], progress: Progress | None
) -> Iterator[Result[Out]]:
    if progress is not None:
        progress(len(batch))
    for seed, result in zip(batch, results, strict=True):
        yield index, seed, result


class DaskExecutor(AbstractContextManager["DaskExecutor"]):
    """A Dask cluster at ``address`` (``tcp://HOST:PORT``), via ``distributed.Client``.

    The workers need gameday installed (the same version): functions travel by name.
    """

    def __init__(self, address: str, *, timeout: float = 10.0) -> None:
        try:
            import distributed
        except ImportError:
            raise InputError.single(
                "--cluster",
                "running on a Dask cluster needs Dask distributed, which is not installed",
                hint=CLUSTER_EXTRA,
            ) from None
        self.address = address
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except OSError as err:
            raise InputError.single(
                "--cluster",
                f"could not reach a Dask scheduler at {address} within {timeout:g}s ({err})",
                hint="check the address (tcp://HOST:PORT) and that `dask scheduler` runs there",
            ) from None
        self._check_versions()
        threads = sum(self.client.nthreads().values())
        self.workers = max(1, threads)

    def _check_versions(self) -> None:
        """Workers run our functions by name: they need this very gameday installed."""
        here = gameday_version()
        hint = f"install gameday {here} on every worker: pip install 'gameday[cluster]=={here}'"
        try:
            there: dict[str, str] = self.client.run(gameday_version)
        except ModuleNotFoundError:
            self.client.close()
            raise InputError.single(
                "--cluster", f"the Dask workers at {self.address} cannot import gameday", hint=hint
            ) from None
        odd = {w: v for w, v in sorted(there.items()) if v != here}
        if odd:
            self.client.close()
            worker, version = next(iter(odd.items()))
            raise InputError.single(
                "--cluster",
                f"{len(odd)} Dask worker(s) run gameday {version} ({worker}), this is {here}:"
                " results would not be comparable",
                hint=hint,
            )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()

    def map_seeds(
        self,
        fn: SeedFn[In, Out],
        inputs: Sequence[In],
        seeds: Sequence[int],
        *,
        progress: Progress | None = None,
    ) -> Iterator[Result[Out]]:
        """Every (input, seed) run; each input is sent to the cluster once."""
        from distributed import as_completed as dask_completed

        size = batch_size(len(inputs) * len(seeds), self.workers)
        # hash=False: our inputs need no content hashing (each is sent once, by us).
        shared = self.client.scatter(list(inputs), hash=False)
        pending = {
            self.client.submit(run_batch, fn, shared[i], batch, pure=False): (i, batch)
            for i in range(len(inputs))
            for batch in batches(seeds, size)
        }
        try:
            # loop=: the client is not the default one (set_as_default=False).
            for future in dask_completed(list(pending), loop=self.client.loop):
                index, batch = pending.pop(future)
                results = future.result()
                future.release()  # results are streamed: the cluster need not keep them
                yield from _tagged(index, batch, results, progress)
        finally:
            for future in pending:
                future.cancel()
            for future in shared:
                future.release()


def open_executor(cluster: str | None, workers: int | None) -> LocalExecutor | DaskExecutor:
    """The executor a command line asked for: a cluster address, else local processes."""
    if cluster:
        if workers is not None:
            raise InputError.single(
                "--workers", "--workers is for local runs; a cluster has its own workers"
            )
        return DaskExecutor(cluster)
    return LocalExecutor(workers)


def collect(results: Iterator[Result[Out]]) -> dict[tuple[int, int], Out]:
    """Results keyed by (input index, seed), whatever order they arrived in."""
    return {(index, seed): out for index, seed, out in results}
