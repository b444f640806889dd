"""``gameday oncall`` end to end through click's CliRunner, with real files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "oncall"
CURRENT = str(EXAMPLES / "current.yaml")
PROPOSED = str(EXAMPLES / "proposed.yaml")

GOOD = """
schedules:
  - name: primary
    layers:
      - users: [alice, bob]
        rotation_virtual_start: "2026-01-05T09:00:00"
        turn_length: 1w
policies:
  - name: p
    steps: [{targets: [{schedule: primary}], delay: 10m}]
services: [{name: svc, policy: p}]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["oncall", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_who_lists_each_step_with_local_times() -> None:
    """`who` prints every step of the plan with the people and their local clock."""
    code, out, _ = run(
        "who", "--config", PROPOSED, "--at", "2026-12-24 03:00", "--service", "checkout"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("checkout (policy payments), triggered Thu 2026-12-24 03:00 EST")
    assert "step 1 (pass 1)  jonas (09:00 CET)" in lines[1]  # the Christmas override
    assert "+     10m  step 2 (pass 1)" in lines[2]
    assert len(lines) == 1 + 9  # 3 steps, repeat 2


def test_who_rejects_an_unknown_service_with_a_hint() -> None:
    """A misspelled --service exits 2 and suggests the right name."""
    code, _, err = run(
        "who", "--config", PROPOSED, "--at", "2026-12-24 03:00", "--service", "chekout"
    )
    assert code == 2 and "did you mean 'checkout'" in err


def test_gaps_reports_holes_in_a_business_hours_schedule(
    write_config: Callable[[str], Path],
) -> None:
    """`gaps` lists the nights of a 9-to-5 schedule as policy gaps, with hours and fairness."""
    path = write_config(
        GOOD.replace(
            "turn_length: 1w",
            "turn_length: 1w\n        restrictions: [{type: daily, start: '09:00', duration: 8h}]",
        )
    )
    code, out, _ = run("gaps", "--config", str(path), "--days", "7", "--start", "2026-01-05")
    assert code == 0
    assert "Policy gaps (nobody reachable at any step): 8" in out
    assert "policy:p: Mon 2026-01-05 00:00 EST → Mon 2026-01-05 09:00 EST (9h)" in out
    assert "On-call hours per person (fairness" in out


def test_gaps_finds_double_booked_handoffs(write_config: Callable[[str], Path]) -> None:
    """Two all-on-call rotations whose handoffs are an hour apart double-book that hour."""
    path = write_config("""
schedules:
  - name: s
    precedence: all_on_call
    layers:
      - users: [alice]
        rotation_virtual_start: "2026-01-05T09:00:00"
        turn_length: 1d
        restrictions: [{type: daily, start: "09:00", duration: 13h}]
      - users: [bob]
        rotation_virtual_start: "2026-01-05T09:00:00"
        turn_length: 1d
        restrictions: [{type: daily, start: "21:00", duration: 12h}]
policies:
  - name: p
    steps: [{targets: [{schedule: s}], delay: 10m}]
services: [{name: svc, policy: p}]
""")
    code, out, _ = run("gaps", "--config", str(path), "--days", "3", "--start", "2026-01-05")
    assert code == 0
    assert "Double-booked handoffs: 3" in out
    assert "schedule:s: Mon 2026-01-05 21:00 EST (1h) alice, bob" in out


def test_test_compares_with_a_baseline_as_json() -> None:
    """`test --json` gives both summaries and paired deltas with intervals."""
    code, out, _ = run(
        "test",
        "--config",
        PROPOSED,
        "--baseline",
        CURRENT,
        "--days",
        "14",
        "--runs",
        "4",
        "--workers",
        "1",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["runs"] == 4 and data["limits_broken"] == []
    assert data["proposed"]["name"] == "proposed" and data["baseline"]["name"] == "current"
    metrics = {d["metric"]: d for d in data["deltas"]}
    assert metrics["p95_ack"]["low"] <= metrics["p95_ack"]["delta"] <= metrics["p95_ack"]["high"]
    assert set(data["proposed"]["ack_percentiles"]) == {"p50", "p90", "p95", "p99"}
    assert 0 < data["proposed"]["fairness"] <= 1


def test_report_with_a_baseline_shows_deltas_as_people_read_them(tmp_path: Path) -> None:
    """Ack-time deltas and their intervals are signed durations, not raw seconds."""
    report = tmp_path / "report.html"
    args = ["--config", PROPOSED, "--baseline", CURRENT, "--days", "14", "--runs", "4"]
    code, out, _ = run("test", *args, "--workers", "1", "--report", str(report))
    assert code == 0
    html = report.read_text()
    row = re.search(
        r"<tr><td>time to ack p95</td>.*?<td class='\w*'>([^<]+) <span class=ci>"
        r"\[([^,]+), ([^\]]+)\]",
        html,
    )
    assert row, "the p95 ack delta row is missing"
    for cell in row.groups():
        assert re.fullmatch(r"[+-](\d+h)?(\d+m)?(\d+s)?", cell), cell
    assert "p95_ack" in out and row.group(1).strip() in out  # the terminal says the same


def test_json_output_is_byte_identical_for_any_number_of_workers() -> None:
    """Runs are seeded by index and merged in index order: --workers 1 and 2 print the
    same bytes."""
    args = ["test", "--config", PROPOSED, "--baseline", CURRENT, "--days", "7", "--runs", "5"]
    code1, one, _ = run(*args, "--workers", "1", "--json")
    code2, two, _ = run(*args, "--workers", "2", "--json")
    assert code1 == code2 == 0
    assert one == two and json.loads(one)["runs"] == 5


def test_broken_limits_exit_1_and_say_which(tmp_path: Path) -> None:
    """Limits gate CI: exit 1, one line per broken limit; the report still gets written."""
    report = tmp_path / "report.html"
    code, _, err = run(
        "test",
        "--config",
        CURRENT,
        "--days",
        "14",
        "--runs",
        "3",
        "--workers",
        "1",
        "--max-p95-ack",
        "1m",
        "--max-sleep-pages",
        "100/week",
        "--max-never-acked",
        "1%",
        "--report",
        str(report),
    )
    assert code == 1
    assert "limit broken: --max-p95-ack:" in err and "above the limit 1m" in err
    assert "limit broken: --max-never-acked:" in err
    assert "--max-sleep-pages" not in err
    html = report.read_text()
    assert "<svg" in html and "<script" not in html and "http" not in html
    assert "current: FAIL, breaks 2 of 3 limits (--max-p95-ack, --max-never-acked)" in html


def test_limits_met_exit_0() -> None:
    """Generous limits pass."""
    code, _, err = run(
        "test",
        "--config",
        PROPOSED,
        "--days",
        "7",
        "--runs",
        "2",
        "--workers",
        "1",
        "--max-p95-ack",
        "2h",
        "--max-sleep-pages",
        "20/week",
    )
    assert code == 0 and "limit broken" not in err


def test_bad_limit_syntax_is_a_usage_error() -> None:
    """A limit that does not parse exits 2 naming the option."""
    code, _, err = run("test", "--config", PROPOSED, "--runs", "1", "--max-sleep-pages", "lots")
    assert code == 2 and "--max-sleep-pages" in err


def test_alert_history_csv_drives_the_test(tmp_path: Path) -> None:
    """--alerts replays a history; every run sees the same alerts."""
    csv = tmp_path / "history.csv"
    csv.write_text(
        "time,service,duration\n2026-03-02 10:00,checkout,20m\n2026-03-03 02:00,ledger,20m\n"
    )
    code, out, _ = run(
        "test", "--config", CURRENT, "--alerts", str(csv), "--runs", "3", "--workers", "1", "--json"
    )
    assert code == 0
    assert json.loads(out)["proposed"]["incidents_per_run"] == 2


BAD_CONFIGS = {
    "no users": (GOOD.replace("users: [alice, bob]", "users: []"), "has a layer with no users"),
    "unknown schedule": (
        GOOD.replace("{schedule: primary}", "{schedule: primray}"),
        "names unknown schedule 'primray' (did you mean 'primary'?)",
    ),
    "overlapping overrides": (
        GOOD.replace(
            "turn_length: 1w",
            """turn_length: 1w
    overrides:
      - {user: alice, start: "2026-02-01T00:00:00", end: "2026-02-03T00:00:00"}
      - {user: bob, start: "2026-02-02T00:00:00", end: "2026-02-04T00:00:00"}""",
        ),
        "override overlaps override 0",
    ),
    "bad zone": (
        "time_zone: Mars/Olympus_Mons\n"
        + GOOD.replace("- name: primary", "- name: primary\n    time_zone: Mars/Olympus_Mons"),
        "unknown time zone 'Mars/Olympus_Mons'",
    ),
    "zero rotation": (
        GOOD.replace("turn_length: 1w", "turn_length: 0s"),
        "turn_length: Input should be greater than 0",
    ),
    "bad yaml": (GOOD + "  - [unclosed\n", "not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_configs_exit_2_with_file_and_line(
    case: str, write_config: Callable[[str], Path]
) -> None:
    """Each broken config gets one clear located message and exit 2, never a traceback."""
    body, message = BAD_CONFIGS[case]
    path = write_config(body)
    code, _, err = run("who", "--config", str(path), "--at", "2026-01-06 10:00")
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err
    located = next(line for line in err.splitlines() if message in line)
    line_number = int(located.split(f"{path}:")[1].split(":")[0])
    assert line_number > 1


def test_malformed_csv_exits_2_with_the_line(tmp_path: Path) -> None:
    """A malformed line of an alert history is reported by number, exit 2."""
    csv = tmp_path / "history.csv"
    csv.write_text("time,service\n2026-03-02 10:00,checkout\nnot-a-time,checkout\n")
    code, _, err = run("test", "--config", CURRENT, "--alerts", str(csv), "--runs", "1")
    assert code == 2
    assert f"{csv}:3: bad alert line" in err


def test_import_writes_a_loadable_config(tmp_path: Path) -> None:
    """`import pagerduty FILE -o OUT` writes YAML that `who` can use straight away."""
    out = tmp_path / "pd.yaml"
    data = Path(__file__).resolve().parent / "data" / "pagerduty.json"
    code, _, err = run("import", "pagerduty", str(data), "-o", str(out))
    assert code == 0 and "wrote" in err
    code, text, _ = run("who", "--config", str(out), "--at", "2026-01-12 10:00")
    assert code == 0 and "chloe-martin" in text


def test_import_of_a_missing_file_exits_2() -> None:
    """A missing export is a clean error."""
    code, _, err = run("import", "opsgenie", "/nonexistent/export.json")
    assert code == 2 and "no such file" in err


def test_schema_is_json_schema_with_field_docs() -> None:
    """`schema` prints the JSON Schema, with every field's docstring as its description."""
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "OnCallConfig"
    layer = schema["$defs"]["Layer"]["properties"]
    assert "anchor" in layer["rotation_virtual_start"]["description"].lower()
    for name, model in schema["$defs"].items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_scenario_alerts_are_dropped_into_the_period(write_config: Callable[[str], Path]) -> None:
    """--scenario runs the drill headless and pages its alerts through the policy."""
    services = "\n".join(
        f"  - {{name: {name}, policy: p}}"
        for name in ("catalog", "checkout", "payments-gateway", "web")
    )
    path = write_config(
        GOOD.replace("services: [{name: svc, policy: p}]", "services:\n" + services)
    )
    code, out, err = run(
        "test",
        "--config",
        str(path),
        "--scenario",
        "checkout-bad-deploy",
        "--days",
        "7",
        "--runs",
        "3",
        "--workers",
        "1",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["proposed"]["incidents_per_run"] > 0
    assert data["proposed"]["ack_percentiles"]["p50"] == 120.0  # fixed 2m responders
