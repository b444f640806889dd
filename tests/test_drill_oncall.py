"""A scenario that names an on-call config pages and escalates as that policy says."""

from __future__ import annotations

from pathlib import Path

from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario_file
from tests.conftest import CHECKOUT, ROOT


def _scenario_with_oncall(tmp_path: Path) -> Path:
    oncall = ROOT / "tests" / "data" / "drill-oncall" / "oncall.yaml"
    (tmp_path / "oncall.yaml").write_text(oncall.read_text())
    text = CHECKOUT.read_text().replace("truth:\n", "oncall: oncall.yaml\ntruth:\n", 1)
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


def test_unacknowledged_page_follows_the_policy(tmp_path: Path) -> None:
    """The first page goes to whoever the schedule has on call; then the policy's delays."""
    loaded = load_scenario_file(_scenario_with_oncall(tmp_path))
    assert loaded.oncall is not None and loaded.oncall.name == "payments"
    session = DrillSession(
        loaded.scenario, seed=7, oncall=loaded.oncall, log_path=tmp_path / "drill.jsonl"
    )
    session.advance(1800)
    session.close()
    first = next(e for e in session.events if e.type == "page.sent" and not e["noise"])
    # 2026-01-06 is in Ana's week (rotation starts Monday 2026-01-05 09:00 Berlin).
    assert first["to"] == "Ana"
    escalations = [
        e for e in session.events if e.type == "page.escalated" and e["page"] == first["page"]
    ]
    assert [e["to"] for e in escalations] == ["Chidi"]
    assert escalations[0].t - first.t == 600  # step 1's 10-minute delay, per step


def test_resumed_drill_keeps_its_oncall_config(tmp_path: Path) -> None:
    """The log embeds the on-call config, so a resumed drill pages the same people."""
    loaded = load_scenario_file(_scenario_with_oncall(tmp_path))
    log = tmp_path / "drill.jsonl"
    session = DrillSession(loaded.scenario, seed=7, oncall=loaded.oncall, log_path=log)
    session.advance(300)
    session.close()
    resumed = resume_session(log)
    resumed.advance(1800)
    resumed.close()
    escalated = [e for e in resumed.events if e.type == "page.escalated"]
    assert escalated and escalated[0]["to"] == "Chidi"
