"""Screens captured from real terminals (tmux at 80x24, 100x30, 120x40), per role.

Captured by playing ``gameday play region-outage --role ROLE --seed 11 --speed 30``
in tmux and ``tmux capture-pane -p``; the test pins what must stay on screen at that
size: the role, the quit and debrief keys, the role's prompt, the debrief's tabs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

EXPECTED = {
    "comms-80x24-console.txt": [
        "as Communications Lead",
        "f8 Debrief",
        "^q Quit",
        "/reply NAME",
        "Pager · alerts",
        "#incident",
    ],
    "comms-80x24-debrief.txt": ["Debrief", "Scorecard  Impact  Postmortem", "^q Quit"],
    "tech-100x30-console.txt": [
        "as Technical Lead",
        "IC: Dmitri V.",
        "needs the Incident Commander's",
        "/ask ic",
        "f8 Debrief",
        "^q Quit",
    ],
    "scribe-120x40-debrief.txt": ["Save postmortem", "^q Quit"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_captured_screen_keeps_what_matters(name: str) -> None:
    """Nothing essential is cut at the captured size."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    text = "\n".join(lines)
    width = int(name.split("-")[1].split("x")[0])
    assert all(len(line) <= width for line in lines)
    for wanted in EXPECTED[name]:
        assert wanted in text, f"{wanted!r} missing from {name}"
