"""``gameday score`` and ``gameday postmortem`` through the CLI, including damaged logs."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from simulator.scenario.loader import SHIPPED_DIR
from tests.scoring.conftest import SCRIPTS, Drill
from tui.cli.main import main


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _lines(drill: Drill) -> list[str]:
    return drill.log.read_text(encoding="utf-8").splitlines()


def _write(tmp_path: Path, lines: list[str], name: str = "drill.jsonl") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_score_prints_a_scorecard_with_evidence(good_checkout: Drill) -> None:
    """`gameday score LOG` prints each dimension's rating and the events behind it."""
    result = _run("score", str(good_checkout.log))
    assert result.exit_code == 0, result.output
    assert "Overall: P" in result.stdout
    assert "Mobilize" in result.stdout and "#29" in result.stdout


def test_score_json_matches_the_library(good_checkout: Drill) -> None:
    """`--json` gives the same card as JSON: six dimensions, each with evidence."""
    result = _run("score", str(good_checkout.log), "--json")
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert card["overall"]["rating"] == "P"
    assert [d["key"] for d in card["dimensions"]] == [
        "mobilize",
        "command",
        "mitigation",
        "communication",
        "noise",
        "documentation",
    ]
    assert all(d["evidence"] for d in card["dimensions"])


def test_run_with_score_embeds_the_scorecard(tmp_path: Path) -> None:
    """`gameday run --score --json` embeds the scorecard next to the summary."""
    script = str(SCRIPTS / "checkout-bad-deploy-good.yaml")
    result = _run(
        "run", "checkout-bad-deploy", "--seed", "7", "--script", script, "--score", "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["score"]["overall"]["rating"] in ("P", "S")


def test_postmortem_writes_markdown_and_html(good_checkout: Drill, tmp_path: Path) -> None:
    """`gameday postmortem -o --html` writes both files with the same title."""
    md, html = tmp_path / "pm.md", tmp_path / "pm.html"
    result = _run("postmortem", str(good_checkout.log), "-o", str(md), "--html", str(html))
    assert result.exit_code == 0, result.output
    assert md.read_text().startswith("# Postmortem: Checkout errors after the Tuesday deploy")
    assert "<svg" in html.read_text()


def test_cut_off_last_line_is_scored_with_a_warning(good_checkout: Drill, tmp_path: Path) -> None:
    """A log cut mid-line is scored as far as it goes; stderr names the cut line."""
    lines = _lines(good_checkout)[:150]
    lines[-1] = lines[-1][: len(lines[-1]) // 2]
    result = _run("score", _write(tmp_path, lines))
    assert result.exit_code == 0
    assert ":150: cut off mid-line" in result.stderr
    assert "did not finish" in result.stderr
    assert "Overall:" in result.stdout


def test_garbage_line_is_skipped_with_a_warning(good_checkout: Drill, tmp_path: Path) -> None:
    """A garbage line in the middle is skipped, named on stderr, and the rest is scored."""
    lines = _lines(good_checkout)
    lines.insert(40, "this is not json {")
    result = _run("score", _write(tmp_path, lines), "--json")
    assert result.exit_code == 0
    assert ":41: not JSON; line skipped" in result.stderr
    assert json.loads(result.stdout)["overall"]["rating"] == "P"


def test_out_of_order_event_is_skipped_with_a_warning(good_checkout: Drill, tmp_path: Path) -> None:
    """An event whose seq goes backwards is skipped with a warning naming its line."""
    lines = _lines(good_checkout)
    lines.insert(60, lines[10])
    result = _run("score", _write(tmp_path, lines))
    assert result.exit_code == 0
    assert ":61: event seq" in result.stderr and "out of order" in result.stderr


def test_log_without_header_is_refused(good_checkout: Drill, tmp_path: Path) -> None:
    """No header: refused with exit 2 and a one-line reason, no traceback."""
    result = _run("score", _write(tmp_path, _lines(good_checkout)[1:]))
    assert result.exit_code == 2
    assert "not a gameday log header" in result.stderr
    assert "Traceback" not in result.output


def test_header_with_a_broken_scenario_is_refused(good_checkout: Drill, tmp_path: Path) -> None:
    """A header whose embedded scenario is invalid is refused unless --scenario is given."""
    lines = _lines(good_checkout)
    header = json.loads(lines[0])
    header["scenario"]["truth"] = {"severity": 9}
    lines[0] = json.dumps(header)
    path = _write(tmp_path, lines)
    refused = _run("score", path)
    assert refused.exit_code == 2 and "embedded in the header is invalid" in refused.stderr
    rescued = _run("score", path, "--scenario", "checkout-bad-deploy")
    assert rescued.exit_code == 0


def test_other_scenario_version_warns_with_both_hashes(
    good_checkout: Drill, tmp_path: Path
) -> None:
    """A --scenario file with another hash than the log's: scored against it, with a warning."""
    data = yaml.safe_load((SHIPPED_DIR / "checkout-bad-deploy.yaml").read_text())
    data["truth"]["targets"]["mitigate"] = "2m"
    changed = tmp_path / "checkout-v2.yaml"
    changed.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _run("score", str(good_checkout.log), "--scenario", str(changed), "--json")
    assert result.exit_code == 0, result.output
    assert good_checkout.header["scenario_hash"] in result.stderr
    assert "another version" in result.stderr
    mitigation = next(
        d for d in json.loads(result.stdout)["dimensions"] if d["key"] == "mitigation"
    )
    assert mitigation["percent"] < 100.0  # 2m40s misses the stricter 2m target


def test_log_of_another_scenario_is_refused(good_checkout: Drill) -> None:
    """--scenario naming a different scenario than the log's: exit 2."""
    other = next(p for p in SHIPPED_DIR.glob("*.yaml") if p.stem != "checkout-bad-deploy")
    result = _run("score", str(good_checkout.log), "--scenario", str(other))
    assert result.exit_code == 2
    assert "not" in result.stderr and "checkout-bad-deploy" in result.stderr


def test_missing_and_empty_logs_exit_2(tmp_path: Path) -> None:
    """A missing or empty log file is a clean error, exit 2."""
    missing = _run("postmortem", str(tmp_path / "nope.jsonl"))
    empty = _run("score", _write(tmp_path, [""], "empty.jsonl"))
    assert missing.exit_code == 2 and "no such log file" in missing.stderr
    assert empty.exit_code == 2


def test_header_only_log_scores_with_a_warning(good_checkout: Drill, tmp_path: Path) -> None:
    """A drill that stopped right after its header still gets a (U) scorecard and a warning."""
    result = _run("score", _write(tmp_path, _lines(good_checkout)[:1]))
    assert result.exit_code == 0
    assert "no events" in result.stderr
    assert "Overall: U" in result.stdout


def test_bad_start_option_exits_2(good_checkout: Drill) -> None:
    """--start must be an ISO date and time; anything else is a usage error (exit 2)."""
    result = _run("postmortem", str(good_checkout.log), "--start", "yesterday")
    assert result.exit_code == 2
    assert "ISO 8601" in result.stderr
