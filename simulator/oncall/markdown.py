"""A short markdown verdict for a pull-request comment on a policy change.

A reviewer reads this in a PR thread, so it fits on one screen: the verdict per
configuration, pass/fail per limit for both, what changes (with intervals), and who
gets more night pages. The HTML report holds the rest.
"""

from __future__ import annotations

from simulator.oncall.estimates import Estimate
from simulator.oncall.findings import ConfigFindings, Findings
from simulator.oncall.formatting import FORMATS, show_estimate
from simulator.oncall.testrun import format_signed

MAX_PEOPLE = 8


def _figure(est: Estimate, key: str) -> str:
    value, ci = show_estimate(est, FORMATS[key])
    return f"{value} {ci}".strip()


def _limits_table(configs: list[ConfigFindings]) -> list[str]:
    if not configs[0].checks:
        return ["No limits were given, so there is no verdict: add `--max-p95-ack` and others."]
    head = " | ".join(c.summary.name for c in configs)
    lines = [f"| limit | {head} |", "|---" * (len(configs) + 1) + "|"]
    for i, first in enumerate(configs[0].checks):
        cells = []
        for cfg in configs:
            c = cfg.checks[i]
            mark = "✅ pass" if c.passed else "❌ fail"
            edge = " (borderline)" if c.borderline else ""
            cells.append(f"{mark}{edge}: {c.value_text()}")
        lines.append(f"| `{first.bound_text()}` | " + " | ".join(cells) + " |")
    return lines


def _changes(findings: Findings) -> list[str]:
    if not findings.outcome.deltas:
        return []
    base = findings.outcome.baseline
    assert base is not None
    lines = [
        "",
        f"**Change, {findings.outcome.proposed.name} minus {base.name}** (paired runs, 95% "
        "interval; lower is better):",
        "",
        "| figure | change | interval |",
        "|---|---|---|",
    ]
    for d in findings.outcome.deltas:
        clear = " ⬇" if d.high < 0 else " ⬆" if d.low > 0 else ""
        lines.append(
            f"| {d.metric.replace('_', ' ')} | {format_signed(d.metric, d.delta)}{clear} | "
            f"[{format_signed(d.metric, d.low)}, {format_signed(d.metric, d.high)}] |"
        )
    return lines


def _night_pages(findings: Findings) -> list[str]:
    changes = findings.sleep_page_changes
    if not changes:
        return []
    worse = sorted(
        ((p, e) for p, e in changes.items() if e.value is not None and e.value > 0),
        key=lambda pe: -(pe[1].value or 0.0),
    )
    if not worse:
        return ["", "**Night pages:** nobody gets more sleep-hour pages."]
    lines = ["", "**Who gets more night pages** (sleep-hour pages a week, change):", ""]
    for person, est in worse[:MAX_PEOPLE]:
        sure = "" if (est.low or 0.0) > 0 else " (within noise)"
        lines.append(f"- {person}: {_figure(est, 'signed')}{sure}")
    if len(worse) > MAX_PEOPLE:
        lines.append(f"- and {len(worse) - MAX_PEOPLE} more (see the HTML report)")
    return lines


def render_markdown(findings: Findings) -> str:
    """The PR comment: verdict, limits for both configurations, changes, night pages."""
    configs = findings.configs()
    setup = findings.outcome.setup
    ok = findings.proposed.passed
    title = "✅ passes" if ok else "❌ fails"
    if not findings.proposed.checks:
        title = "no limits given"
    lines = [
        f"### On-call policy check: `{findings.proposed.summary.name}` {title}",
        "",
        *(f"- {c.verdict}" for c in configs),
        "",
        *_limits_table(configs),
        *_changes(findings),
        *_night_pages(findings),
        "",
        "<details><summary>Why incident counts differ, and what was assumed</summary>",
        "",
        *(f"- {c.grouping}" for c in configs),
        *(f"- {a}" for a in findings.proposed.assumptions),
        "",
        "</details>",
        "",
        f"<sub>{setup.runs} runs × {setup.days:g} days, seed {setup.seed}; "
        "`gameday oncall test`.</sub>",
    ]
    return "\n".join(lines) + "\n"
