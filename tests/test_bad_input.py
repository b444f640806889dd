"""Bad input as a demanding user gives it: one clear message, exit 2, nothing rewritten.

The corpus in tests/data/bad/ holds each input with the exact messages expected
(tests/data/bad/expected.yaml); the other tests pin what must not happen to a
user's file when a tool refuses it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.log.jsonl import comparable_lines
from simulator.scenario.loader import load_scenario, load_scenario_file
from tests.conftest import ROOT
from tui.cli.main import main

BAD = ROOT / "tests" / "data" / "bad"
CASES: list[dict[str, Any]] = yaml.safe_load((BAD / "expected.yaml").read_text())["cases"]


def _gameday(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["args"]) for c in CASES])
def test_each_bad_input_gets_its_exact_message(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus: the exit code and every gameday: line on stderr, exactly."""
    monkeypatch.chdir(ROOT)
    before = {p.name: p.read_bytes() for p in BAD.iterdir()}
    code, err = _gameday(*case["args"])
    assert code == case["exit"]
    assert [line for line in err.splitlines() if line.startswith("gameday:")] == case["stderr"]
    assert {p.name: p.read_bytes() for p in BAD.iterdir()} == before, "an input was rewritten"


def test_alias_bomb_is_refused_within_a_second() -> None:
    """Nested anchors that would expand to a billion values are refused, not expanded."""
    started = time.process_time()  # CPU time: the other tests' load does not count
    with pytest.raises(InputError, match="expands to more than"):
        load_scenario_file(BAD / "alias-bomb.yaml")
    assert time.process_time() - started < 1.0


def _unfinished(tmp_path: Path, players: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A drill played 20 minutes and left, and its full-length twin for comparison."""
    loaded = load_scenario("checkout-bad-deploy")
    part = tmp_path / "part.jsonl"
    session = DrillSession(
        loaded.scenario, seed=3, log_path=part, players=players, scenario_hash=loaded.content_hash
    )
    session.advance(600)
    session.submit("/ack")
    session.advance(1200)
    session.close()
    return part, tmp_path


def test_resuming_a_team_log_solo_leaves_the_file_untouched(tmp_path: Path) -> None:
    """`play --resume` on a team log refuses before it writes anything."""
    part, _ = _unfinished(tmp_path, players={"comms": "Marcus"})
    before = part.read_bytes()
    code, err = _gameday("play", "--resume", str(part))
    assert code == 2
    assert "this is a team drill (Marcus played too)" in err
    assert "gameday host --resume" in err
    assert part.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part.jsonl"]


def test_a_failed_resume_leaves_no_stray_file(tmp_path: Path) -> None:
    """A damaged command line refuses the resume; no .resuming file is left behind."""
    part = tmp_path / "damaged.jsonl"
    shutil.copy(BAD / "log-missing-fields.jsonl", part)
    with pytest.raises(InputError, match="resuming would replay a different drill"):
        resume_session(part)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.jsonl"]


def test_a_log_moved_aside_is_named(tmp_path: Path) -> None:
    """When the regenerated log differs, the original is kept and the user told where."""
    part, _ = _unfinished(tmp_path)
    lines = part.read_text().splitlines()
    # An edited log: the acknowledgement is credited to someone else.
    lines = [line.replace('"by":"trainee"', '"by":"someone"', 1) for line in lines]
    part.write_text("\n".join(lines) + "\n")
    notes: list[str] = []
    session = resume_session(part, notify=notes.append)
    session.close()
    aside = tmp_path / "part.jsonl.before-resume"
    assert aside.exists()
    assert any(str(aside) in note for note in notes)


def test_resume_keeps_the_header_and_every_event_at_the_last_time(tmp_path: Path) -> None:
    """The resumed log starts with the original header (wall time included) and holds
    every event the old log held, those due at its last timestamp too."""
    part, _ = _unfinished(tmp_path)
    old = part.read_text().splitlines()
    session = resume_session(part)
    session.close()
    new = part.read_text().splitlines()
    assert new[0] == old[0]
    assert len(new) >= len(old)
    assert comparable_lines(new[: len(old)]) == comparable_lines(old)


def test_rejected_script_commands_name_the_script_line(tmp_path: Path) -> None:
    """Without --strict the rejection is a warning with file:line, and the exit is 0."""
    script = BAD / "script-rejected-commands.yaml"
    code, err = _gameday("run", "checkout-bad-deploy", "--script", str(script))
    assert code == 0
    assert f"gameday: warning: {script}:2: '/frobnicate now' at T+02:00 was rejected" in err
