"""Resends, the never-acknowledged split, intervals, verdicts, burnout figures and the
report and PR-comment outputs, with real configs and the real simulation."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from simulator.oncall.alertmanager import Alert
from simulator.oncall.burnout import _longest_streak, _night
from simulator.oncall.estimates import Estimate, NormalApprox, Resampler, percentile_interval
from simulator.oncall.loader import load_oncall
from simulator.oncall.simulate import prepare, simulate_run
from simulator.oncall.streams import Incident, incidents_for
from simulator.oncall.verdict import check
from tui.cli.main import main

START = datetime(2026, 1, 5, 12, tzinfo=ZoneInfo("America/New_York")).timestamp()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "oncall"
HEAD = "apiVersion: gameday/v1\nkind: OnCall\ntime_zone: America/New_York\n"
M = 60.0


def one_person(ack: str, miss: float = 0.0) -> str:
    return f"""
defaults:
  response:
    business: {{ack: {ack}, miss: {miss}}}
    off_hours: {{ack: {ack}, miss: {miss}}}
    sleep: {{ack: {ack}, miss: {miss}}}
people: [{{name: alice}}]
policies:
  - name: p
    steps: [{{targets: [{{user: alice}}], delay: 1h}}]
services: [{{name: svc, policy: p}}]
"""


def test_a_resend_pages_again_only_while_nobody_acknowledged(
    write_config: Callable[..., Path],
) -> None:
    """Alice acks 15m after each page. Paged at 0 (ack due at 15m); the resend at 10m30s
    finds the incident unacknowledged and pages her again (ack still 15m, the earlier
    one); the resend at 20m30s comes after the ack and pages nobody: 2 pages, 1 resend."""
    oncall = load_oncall(write_config(one_person("{distribution: fixed, after: 15m}"), head=HEAD))
    prepared = prepare(oncall.config, START, START + 86400)
    incident = Incident(START, "svc", START + 30 * M, "g", 3, (START + 630, START + 1230))
    result = simulate_run(prepared, [incident], seed=1, alerts=3)
    assert sum(result.pages["alice"]) == 2 and result.repages == 1
    assert result.ack_times == [15 * M]
    assert (result.alerts, result.grouped_alerts) == (3, 3)


def test_never_acknowledged_splits_into_missed_and_resolved_first(
    write_config: Callable[..., Path],
) -> None:
    """Alice misses every page: the one-step policy runs out, missed by everyone. With a
    fixed 20m ack and an incident that resolves at 5m, it resolved first."""
    missing = load_oncall(
        write_config(one_person("{distribution: fixed, after: 1m}", 1.0), head=HEAD)
    )
    prepared = prepare(missing.config, START, START + 86400)
    result = simulate_run(prepared, [Incident(START, "svc", START + 3600, "a")], seed=1)
    assert (result.never_acked, result.missed_by_all, result.resolved_first) == (1, 1, 0)
    slow = load_oncall(
        write_config(one_person("{distribution: fixed, after: 20m}"), head=HEAD, name="b.yaml")
    )
    prepared = prepare(slow.config, START, START + 86400)
    result = simulate_run(prepared, [Incident(START, "svc", START + 300, "a")], seed=1)
    assert (result.never_acked, result.missed_by_all, result.resolved_first) == (1, 0, 1)


def test_resends_reach_people_only_through_receivers_that_do_not_deduplicate(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """One alert firing 0-30m with repeat 5m (resends at 10m30s and 20m30s, see
    test_am_semantics): through a webhook they become renotifications; through PagerDuty
    they fold into the open incident."""
    (tmp_path / "am.yml").write_text(
        textwrap.dedent(
            """
            route: {receiver: hook, group_wait: 30s, group_interval: 5m, repeat_interval: 5m}
            receivers:
              - {name: hook, webhook_configs: [{url: 'http://example.org'}]}
              - {name: pd, pagerduty_configs: [{routing_key: k}]}
            """
        )
    )
    body = one_person("{distribution: fixed, after: 1m}")
    alerts = [Alert(START, START + 30 * M, {"service": "svc"})]
    for receiver, expected in (("hook", (START + 630, START + 1230)), ("pd", ())):
        extra = f"alertmanager: {{config: am.yml, receivers: {{{receiver}: svc}}}}\n"
        if receiver == "pd":
            (tmp_path / "am.yml").write_text(
                (tmp_path / "am.yml").read_text().replace("receiver: hook", "receiver: pd")
            )
        oncall = load_oncall(write_config(body + extra, head=HEAD, name=f"{receiver}.yaml"))
        (incident,) = incidents_for(oncall, alerts)
        assert incident.renotify == expected


def test_percentile_interval_brackets_the_median_by_order_statistics() -> None:
    """1..100: n p = 50, 1.96 sqrt(n p (1-p)) = 9.8, so ranks floor(40.2)-1 = 39 and
    ceil(59.8) = 60 (0-based): values 40 and 61 around the median 50.5."""
    est = percentile_interval([float(i) for i in range(1, 101)], 50)
    assert (est.value, est.low, est.high) == (50.5, 40.0, 61.0)


def test_normal_approximation_and_bootstrap_agree_on_a_mean() -> None:
    """Mean of 1..5 is 3, standard error sqrt(2.5/5) = 0.7071: 3 ± 1.386. A seeded
    bootstrap of the same values lands near it and repeats itself exactly."""
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    est = NormalApprox().mean(values)
    assert est.value == 3.0 and est.low is not None and est.high is not None
    assert math.isclose(est.high - 3.0, 1.959963984540054 * math.sqrt(0.5))
    boot = Resampler(5, seed=3).mean(values)
    assert boot == Resampler(5, seed=3).mean(values)
    assert boot.low is not None and boot.high is not None
    assert 1.5 < boot.low < 3.0 < boot.high < 4.5


def test_verdict_marks_limits_inside_the_interval_borderline() -> None:
    """p95 10m [8m, 12m]: against 11m it passes but the interval reaches above
    (borderline); against 13m it passes clearly; against 9m it fails, borderline."""
    figures = {"ack_p95": Estimate(600.0, 480.0, 720.0)}
    (a,) = check(figures, {"max_p95_ack": 660.0})
    (b,) = check(figures, {"max_p95_ack": 780.0})
    (c,) = check(figures, {"max_p95_ack": 540.0})
    assert (a.passed, a.borderline) == (True, True)
    assert (b.passed, b.borderline) == (True, False)
    assert (c.passed, c.borderline) == (False, True)


def test_broken_nights_are_counted_per_night_and_in_streaks() -> None:
    """Pages at 23:00 and 07:00 the next morning break the same night; nights 1, 2, 3
    and 5, 6 make a longest run of 3."""
    tz = "Europe/Berlin"
    late = datetime(2026, 1, 5, 23, tzinfo=ZoneInfo(tz)).timestamp()
    early = datetime(2026, 1, 6, 7, tzinfo=ZoneInfo(tz)).timestamp()
    assert _night(late, tz) == _night(early, tz)
    assert _longest_streak({1, 2, 3, 5, 6}) == 3


def test_cli_writes_a_pr_verdict_and_a_report_that_decide(tmp_path: Path) -> None:
    """With limits the current config breaks and the proposal meets, the markdown gives a
    verdict for both, the changes with intervals and night pages; the HTML has the
    verdicts, the never-acknowledged split, grouping, load per person and assumptions.
    The proposal passes, so the exit code is 0."""
    md, html = tmp_path / "verdict.md", tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "oncall", "test", "--config", str(EXAMPLES / "proposed.yaml"),
            "--baseline", str(EXAMPLES / "current.yaml"), "--days", "28", "--runs", "6",
            "--workers", "1", "--max-p95-ack", "25m", "--max-never-acked", "18%",
            "--markdown", str(md), "--report", str(html),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = md.read_text()
    assert text.startswith("### On-call policy check: `proposed` ✅ passes")
    assert "- proposed: PASS, meets all 2 limits" in text
    assert "- current: FAIL, breaks 2 of 2 limits (--max-p95-ack, --max-never-acked)" in text
    assert "| `--max-p95-ack 25m` | ✅ pass" in text
    assert "**Who gets more night pages**" in text and "- jonas: +" in text
    page = html.read_text()
    for needed in (
        "proposed: PASS, meets all 2 limits",
        "of which missed by everyone paged",
        "of which resolved before anyone acked",
        "Why incident counts differ",
        "payments step 3",
        "sleep-hour pages a week",
        "per local hour",
        "Responders are a model, not measurements",
    ):
        assert needed in page, needed


def test_cli_exit_2_when_the_markdown_cannot_be_written(tmp_path: Path) -> None:
    """A --markdown path in a missing directory is bad input: one line, exit 2."""
    result = CliRunner().invoke(
        main,
        [
            "oncall", "test", "--config", str(EXAMPLES / "current.yaml"), "--days", "7",
            "--runs", "1", "--workers", "1", "--markdown", str(tmp_path / "no" / "v.md"),
        ],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--markdown" in result.stderr and "cannot write" in result.stderr
