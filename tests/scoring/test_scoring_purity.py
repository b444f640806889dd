"""Scoring is pure and deterministic: no engine runtime or UI, same log → same output."""

from __future__ import annotations

import json
import subprocess
import sys

from scoring import score_log
from scoring.postmortem import postmortem_html, postmortem_markdown
from tests.scoring.conftest import Drill, play


def test_scoring_imports_no_simpy_textual_rich_or_engine() -> None:
    """Importing every scoring module pulls in neither SimPy, Textual, Rich nor the engine."""
    code = (
        "import sys, scoring, scoring.postmortem, scoring.chart;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('simpy', 'textual', 'rich')"
        " or m == 'simulator.drill.session'];"
        "print(','.join(sorted(bad)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_same_log_same_json_and_markdown(good_checkout: Drill) -> None:
    """Scoring the same log twice gives byte-identical JSON, Markdown and HTML."""
    a = score_log(good_checkout.header, good_checkout.events)
    b = score_log(dict(good_checkout.header), list(good_checkout.events))
    assert json.dumps(a.to_json()) == json.dumps(b.to_json())
    assert postmortem_markdown(good_checkout.header, good_checkout.events, a) == (
        postmortem_markdown(good_checkout.header, good_checkout.events, b)
    )
    assert postmortem_html(good_checkout.header, good_checkout.events, a) == (
        postmortem_html(good_checkout.header, good_checkout.events, b)
    )


def test_replayed_drill_scores_identically(good_checkout: Drill) -> None:
    """Two runs of the same scenario, seed and script score the same, despite wall-clock fields."""
    again = play("checkout-bad-deploy", "good", 7)
    fresh = play.__wrapped__("checkout-bad-deploy", "good", 7)
    for other in (again, fresh):
        card = score_log(other.header, other.events)
        assert card.to_json() == score_log(good_checkout.header, good_checkout.events).to_json()
        assert postmortem_markdown(other.header, other.events, card) == postmortem_markdown(
            good_checkout.header, good_checkout.events, card
        )
