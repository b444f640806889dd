"""A small Dask cluster on loopback for the many-runs tests, closed cleanly after them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A two-worker, one-thread-each LocalCluster on 127.0.0.1; its scheduler's address.

    Worker processes (not threads), as on a real cluster, so functions and inputs really
    travel by pickle. The scheduler's HTTP server gets a free loopback port: its default,
    8787, may be taken on a shared machine (Dask then warns, an error under our filters).
    """
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        yield cluster.scheduler_address
