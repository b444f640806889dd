"""The console's cycle-collector policy: freeze survivors of full passes, within a budget."""

from __future__ import annotations

import gc
import weakref

from tui.screens.heap import HeapKeeper


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_survivors_of_a_full_pass_are_frozen_and_released_on_stop() -> None:
    keeper = HeapKeeper()
    keeper.start()
    try:
        alive = [_Node() for _ in range(1000)]
        before = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() >= before + 1000
        assert keeper.frozen_growth >= 1000
    finally:
        keeper.stop()
    assert gc.get_freeze_count() == 0
    assert keeper._after_collection not in gc.callbacks
    del alive


def test_frozen_garbage_cycles_are_freed_once_over_budget() -> None:
    keeper = HeapKeeper(slack=10**9, quiet_slack=500)
    keeper.start()
    try:
        nodes = [_Node() for _ in range(1000)]
        gc.collect()  # the nodes survive and are frozen
        probe = weakref.ref(nodes[0])
        del nodes  # now frozen garbage: no full pass can see it
        gc.collect()
        assert probe() is not None
        keeper.tick()  # playing: under the large budget, nothing happens
        assert probe() is not None and keeper.compactions == 0
        keeper.tick(quiet=True)  # paused: over the small budget, compacted
        assert probe() is None
        assert keeper.compactions == 1
        assert keeper.frozen_growth < 500
    finally:
        keeper.stop()


def test_playing_compacts_when_a_periodic_count_is_over_budget() -> None:
    keeper = HeapKeeper(slack=500)
    keeper.start()
    try:
        nodes = [_Node() for _ in range(1000)]
        probe = weakref.ref(nodes[0])
        for _ in range(HeapKeeper.CHECK_EVERY):
            gc.collect()
        del nodes
        keeper.tick()
        assert probe() is None
        assert keeper.compactions == 1
    finally:
        keeper.stop()
