"""Shared helpers: on-call configs written as real YAML files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.oncall.loader import OnCall, load_oncall

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "oncall"
DATA = Path(__file__).resolve().parent / "data"

PEOPLE_AND_DEFAULTS = """
apiVersion: gameday/v1
kind: OnCall
time_zone: America/New_York
defaults:
  response:
    business: {ack: {distribution: fixed, after: 2m}}
    off_hours: {ack: {distribution: fixed, after: 2m}}
    sleep: {ack: {distribution: fixed, after: 2m}}
people:
  - {name: alice}
  - {name: bob}
  - {name: carol}
  - {name: dave, time_zone: Europe/Berlin}
"""


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write people/defaults plus ``body`` (YAML) to a file and return its path."""

    def write(body: str, *, name: str = "oncall.yaml", head: str = PEOPLE_AND_DEFAULTS) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(head).strip() + "\n" + textwrap.dedent(body).strip() + "\n")
        return path

    return write


@pytest.fixture
def load(write_config: Callable[[str], Path]) -> Callable[[str], OnCall]:
    """Write and load a config in one step."""

    def go(body: str) -> OnCall:
        return load_oncall(write_config(body))

    return go
