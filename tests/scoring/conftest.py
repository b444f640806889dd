"""Drills for the scoring tests, played by the real engine headless (no hand-made logs)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from simulator.drill.commands import ScriptEntry, load_script
from simulator.drill.session import DrillSession
from simulator.log.events import Event
from simulator.log.jsonl import read_log
from simulator.scenario.loader import load_scenario, shipped_scenario_paths

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scenarios" / "scripts"
DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Drill:
    """A played drill: its header and events, and the log file it was written to."""

    header: dict[str, Any]
    events: tuple[Event, ...]
    log: Path


def scripted_scenarios() -> list[str]:
    """Shipped scenarios that have both a good and a poor scripted response."""
    ids = sorted(p.stem for p in shipped_scenario_paths())
    return [
        sid
        for sid in ids
        if (SCRIPTS / f"{sid}-good.yaml").exists() and (SCRIPTS / f"{sid}-poor.yaml").exists()
    ]


def shipped_scenarios() -> list[str]:
    """Every shipped scenario id."""
    return sorted(p.stem for p in shipped_scenario_paths())


@cache
def play(scenario_id: str, script: str | None, seed: int = 7, role: str = "ic") -> Drill:
    """Play a shipped scenario with a scripted response (``good``/``poor`` from the shipped
    scripts, or a file under tests/scripts) or none at all, the trainee in ``role``."""
    path = (
        ROOT / "tests" / "scripts" / script
        if script and script.endswith(".yaml")
        else SCRIPTS / f"{scenario_id}-{script}.yaml"
    )
    entries = load_script(path) if script else ()
    return _play(scenario_id, entries, seed, role, f"{path.stem if script else 'none'}-{role}")


@cache
def play_commands(scenario_id: str, seed: int, commands: tuple[tuple[int, str], ...]) -> Drill:
    """Play a shipped scenario with ``(seconds, command)`` pairs given by the IC trainee."""
    entries = tuple(ScriptEntry(at=float(t), do=do) for t, do in commands)
    return _play(scenario_id, entries, seed, "ic", f"cmds-{abs(hash(commands))}")


def _play(
    scenario_id: str, entries: tuple[ScriptEntry, ...], seed: int, role: str, name: str
) -> Drill:
    loaded = load_scenario(scenario_id)
    out = Path(_tmp_dir()) / f"{scenario_id}-{name}-{seed}.jsonl"
    session = DrillSession(
        loaded.scenario,
        seed=seed,
        role=role,
        log_path=out,
        scenario_hash=loaded.content_hash,
        humans={e.as_ for e in entries if e.as_},
    )
    try:
        session.run_script(entries)
    finally:
        session.close()
    log = read_log(out)
    return Drill(log.header, tuple(log.events), out)


@cache
def _tmp_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="gameday-scoring-")


@pytest.fixture
def good_checkout() -> Drill:
    """The bad-deploy drill answered by its good script."""
    return play("checkout-bad-deploy", "good")


@pytest.fixture
def poor_checkout() -> Drill:
    """The bad-deploy drill answered by its poor script."""
    return play("checkout-bad-deploy", "poor")
