"""Keeping the cycle collector's full passes short while a drill plays.

A full (generation 2) collection scans every tracked object that is not frozen.
At 30x a drill allocates quickly (Textual's strips carry a dozen small caches
each, some referring to the strip itself), so full passes come every few
seconds, and each re-scanned everything alive: the drill's history and the
widgets' caches, 6-9 ms and growing with the drill. :class:`HeapKeeper` freezes
the survivors of each full pass, so the next one scans only what was promoted
since (1-2 ms, however long the drill).

A frozen object is still freed by reference counting, but a frozen *cycle* that
becomes garbage is not found until it is unfrozen. So the frozen heap is given a
budget: once it has grown by :attr:`HeapKeeper.slack` objects since it was last
compacted, everything is unfrozen, collected once, and frozen again. That pass
costs a whole-heap scan (tens of milliseconds), so it is done early when the
drill is paused, where it costs nobody a frame. Counting the frozen heap walks
it (1-3 ms), so it is counted every :attr:`HeapKeeper.CHECK_EVERY` full passes
while playing, never on every tick.
"""

from __future__ import annotations

import gc
from typing import Any


class HeapKeeper:
    """Freeze what survives each full collection; compact within a budget."""

    CHECK_EVERY = 16
    """Full passes between two counts of the frozen heap while the drill plays."""

    def __init__(self, *, slack: int = 250_000, quiet_slack: int = 25_000) -> None:
        self.slack = slack
        """Frozen objects gained since the last compaction that force one (~30 MB)."""
        self.quiet_slack = quiet_slack
        """The smaller gain after which a paused drill compacts (it has the time)."""
        self.compactions = 0
        self._base = 0
        self._running = False
        self._passes = 0
        """Full passes since the start."""
        self._counted_at = 0
        """The value of :attr:`_passes` when the frozen heap was last counted."""
        self._over = False

    @property
    def frozen_growth(self) -> int:
        """Objects frozen since the start or the last compaction."""
        return gc.get_freeze_count() - self._base

    def start(self) -> None:
        """Freeze everything alive now (it lives as long as the drill) and keep watch."""
        if self._running:
            return
        self._running = True
        gc.freeze()
        self._base = gc.get_freeze_count()
        gc.callbacks.append(self._after_collection)

    def stop(self) -> None:
        """Hand the heap back to the collector as it was."""
        if not self._running:
            return
        self._running = False
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)
        gc.unfreeze()

    def _after_collection(self, phase: str, info: dict[str, Any]) -> None:
        # A full pass just removed every unreachable cycle: what is left is alive.
        if phase == "stop" and info.get("generation") == 2 and self._running:
            gc.freeze()
            self._passes += 1
            if self._passes % self.CHECK_EVERY == 0:
                self._counted_at = self._passes
                self._over = self.frozen_growth > self.slack

    def tick(self, *, quiet: bool = False) -> None:
        """Between ticks: compact if the frozen heap is over its budget.

        ``quiet``: the drill is paused, so the heap may be counted (if anything was
        frozen since it last was) and compacted against the smaller budget.
        """
        if not self._running:
            return
        if quiet and self._counted_at != self._passes:
            self._counted_at = self._passes
            self._over = self.frozen_growth > self.quiet_slack
        if self._over:
            self.compact()

    def compact(self) -> None:
        """Collect the frozen heap once (frees frozen cycles that became garbage)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._base = gc.get_freeze_count()
        self._over = False
        self.compactions += 1
