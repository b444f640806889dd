"""``gameday check``: play a scenario with many responses over many seeds.

Before a game day an author (and CI) needs to know that the scenario can be solved on
every seed, that the expert's response beats doing nothing and beats pulling every
lever blindly, and how much a novice's response costs. Each (response, seed) drill is
a pure function run by an executor; only its small :class:`RunFacts` come back, never
its log, so a check of thousands of drills stays small in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.executors import Progress, RunExecutor, collect
from simulator.runs.checkreport import summarise_check
from simulator.runs.drill import LoadedScenario, ScriptEntry, play
from simulator.runs.facts import Grader, RunFacts
from simulator.runs.scripts import Response
from simulator.scenario.model import Scenario


@dataclass(frozen=True)
class CheckRun:
    """One response to play: the scenario, the script and the grader; picklable."""

    scenario: Scenario
    entries: tuple[ScriptEntry, ...]
    grader: Grader


def play_and_grade(run: CheckRun, seed: int) -> RunFacts:
    """Play one drill and keep only its facts (runs in a worker)."""
    drill = play(run.scenario, run.entries, seed)
    summary = drill.summary
    solved = summary["impact_ended_at"] is not None and not summary["impact_ongoing_at_end"]
    return RunFacts(
        seed=seed,
        solved=solved,
        grade=run.grader(drill.header, drill.events),
        rejected=int(summary["commands_rejected"]),
    )


def run_check(
    loaded: LoadedScenario,
    responses: Sequence[Response],
    seeds: Sequence[int],
    executor: RunExecutor,
    grader: Grader,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Play every response on every seed and report (see ``docs/checks-and-sweeps.md``)."""
    runs = [CheckRun(loaded.scenario, r.entries, grader) for r in responses]
    facts = collect(executor.map_seeds(play_and_grade, runs, seeds, progress=progress))
    table = [[facts[(i, seed)] for seed in seeds] for i in range(len(runs))]
    return summarise_check(loaded.scenario, responses, seeds, table)
