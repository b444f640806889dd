"""The engine runs without the UI, and scoring without the engine (the import boundary)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after_import(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize(
    "module", ["simulator.drill.session", "simulator.drill.resume", "tui.cli.main"]
)
def test_engine_and_cli_do_not_load_textual_or_rich(module: str) -> None:
    """Importing the engine (or the CLI front door) never pulls in Textual or Rich."""
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_scenario_model_and_log_reader_do_not_load_simpy() -> None:
    """What scoring needs from simulator/ (the scenario model and the log reader) is SimPy-free."""
    loaded = _modules_after_import("simulator.scenario.loader, simulator.log.jsonl")
    assert "simpy" not in loaded
