"""Shared fixtures: real scenario files, the real engine, no mocks of our own code."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario.loader import SHIPPED_DIR

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = SHIPPED_DIR / "scripts"
CHECKOUT = SHIPPED_DIR / "checkout-bad-deploy.yaml"


@pytest.fixture
def checkout_text() -> str:
    """The shipped bad-deploy scenario's YAML text, for tests that break it on purpose."""
    return CHECKOUT.read_text(encoding="utf-8")
