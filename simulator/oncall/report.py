"""A self-contained HTML report of a policy test that a manager can decide from.

It opens with the verdict per configuration (pass/fail per limit), then every
figure with its interval, why incident counts differ, each person's load, the
breakdowns, and what was assumed. No scripts, fonts or stylesheets are fetched: the
report must open on an air-gapped machine and survive being attached to a change.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from simulator.oncall.burnout import HEAVY_SHARE, MAX_SHARE, Breakdown
from simulator.oncall.charts import histogram, hour_chart, load_chart
from simulator.oncall.estimates import HEADLINE, Estimate
from simulator.oncall.findings import ConfigFindings, Findings
from simulator.oncall.formatting import FORMATS, show_estimate
from simulator.oncall.testrun import Delta, format_signed

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a202c;max-width:76rem;line-height:1.4}
table{border-collapse:collapse;margin:.6rem 0 1.2rem}td,th{border:1px solid #cbd5e0;
padding:.25rem .55rem;text-align:right;vertical-align:top}th{background:#edf2f7}
th:first-child,td:first-child{text-align:left}.bad{color:#c53030;font-weight:600}
.good{color:#2f855a;font-weight:600}.warn{color:#b7791f;font-weight:600}
.ci{color:#4a5568;font-size:.85em;white-space:nowrap}svg{background:#f7fafc;margin:.4rem 0}
figcaption,.note{font-size:.9rem;color:#4a5568}.verdict{border:2px solid;padding:.5rem 1rem;
margin:.5rem 0;border-radius:6px}.verdict.pass{border-color:#2f855a}.verdict.fail{
border-color:#c53030}.verdict h3{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid
#cbd5e0}td.sub{padding-left:1.6rem}
"""


def _cell(est: Estimate, fmt: Callable[[float], str]) -> str:
    value, ci = show_estimate(est, fmt)
    return f"{escape(value)}" + (f" <span class=ci>{escape(ci)}</span>" if ci else "")


def _verdicts(findings: Findings) -> list[str]:
    out = ["<h2>Verdict</h2>"]
    for cfg in findings.configs():
        state = "pass" if cfg.passed else "fail"
        out.append(f"<div class='verdict {state}'><h3 class={'good' if cfg.passed else 'bad'}>")
        out.append(f"{escape(cfg.verdict)}</h3>")
        if cfg.checks:
            out.append(
                "<table><tr><th>limit</th><th>figure [95% interval]</th><th>result</th></tr>"
            )
            for c in cfg.checks:
                mark = "pass" if c.passed else "FAIL"
                cls = "good" if c.passed else "bad"
                edge = " <span class=warn>(borderline)</span>" if c.borderline else ""
                out.append(
                    f"<tr><td>{escape(c.bound_text())}</td><td>{escape(c.value_text())}</td>"
                    f"<td class={cls}>{mark}{edge}</td></tr>"
                )
            out.append("</table>")
        out.append("</div>")
    return out


def _summary(findings: Findings) -> list[str]:
    configs = findings.configs()
    deltas: dict[str, Delta] = {d.metric: d for d in findings.outcome.deltas}
    delta_of = {
        "ack_p50": "p50_ack",
        "ack_p95": "p95_ack",
        "incidents_per_run": "incidents",
        "never_acked": "never_acked",
        "missed_by_all": "missed_by_all",
        "resolved_first": "resolved_first",
        "reached_last_step": "reached_last_step",
        "escalations_per_incident": "escalations_per_incident",
        "max_sleep_pages_per_week": "max_sleep_pages_per_week",
        "pages_per_week": "pages_per_week",
    }
    head = "".join(f"<th>{escape(c.summary.name)}</th>" for c in configs)
    if len(configs) > 1:
        head += "<th>change (paired runs) [95% interval]</th>"
    out = [f"<h2>Figures</h2><table><tr><th>figure</th>{head}</tr>"]
    for key, label in HEADLINE:
        fmt = FORMATS[key]
        sub = label.startswith("  ") or label.startswith("of which")
        row = f"<tr><td{' class=sub' if sub else ''}>{escape(label.strip())}</td>"
        row += "".join(f"<td>{_cell(c.figures[key], fmt)}</td>" for c in configs)
        if len(configs) > 1:
            d = deltas.get(delta_of.get(key, ""))
            if d is None:
                row += "<td></td>"
            else:
                cls = "bad" if d.low > 0 else "good" if d.high < 0 else ""
                row += (
                    f"<td class='{cls}'>{escape(format_signed(d.metric, d.delta))} <span "
                    f"class=ci>[{escape(format_signed(d.metric, d.low))}, "
                    f"{escape(format_signed(d.metric, d.high))}]</span></td>"
                )
        out.append(row + "</tr>")
    out.append(
        "</table><p class=note>Intervals are 95%: a cluster bootstrap over runs (seeded) for "
        "means and shares, order statistics for percentiles; fairness comes from the schedule "
        "alone. For every change shown, lower is better (green: clearly lower; red: clearly "
        "higher). <em>Never acknowledged</em> splits into incidents every paged person missed "
        "until the policy ran out, and incidents that resolved by themselves before anyone "
        "acknowledged.</p>"
    )
    out.append("<h3>Why incident counts differ</h3><ul>")
    out += [f"<li>{escape(c.grouping)}</li>" for c in configs]
    out.append("</ul>")
    return out


def _share_cell(share: float) -> str:
    cls = "bad" if share > MAX_SHARE else "warn" if share > HEAVY_SHARE else ""
    return f"<td class='{cls}'>{share:.0%}</td>"


def _people(cfg: ConfigFindings, changes: dict[str, Estimate]) -> list[str]:
    rate = FORMATS["per_week"]
    head = (
        "<tr><th>person</th><th>on-call share</th><th>named in</th><th>pages a week</th>"
        "<th>sleep-hour pages a week</th><th>worst week (pages)</th>"
        "<th>longest run of broken nights</th><th>broken nights a week</th>"
    )
    head += "<th>sleep pages vs baseline</th></tr>" if changes else "</tr>"
    out = [f"<table>{head}"]
    for p in cfg.people:
        named = ", ".join(p.named_in) or ""
        row = (
            f"<tr><td>{escape(p.name)}</td>{_share_cell(p.oncall_share)}"
            f"<td>{escape(named)}</td><td>{_cell(p.pages_per_week, rate)}</td>"
            f"<td>{_cell(p.sleep_pages_per_week, rate)}</td>"
            f"<td>{_cell(p.worst_week, FORMATS['count'])}</td>"
            f"<td>{_cell(p.longest_broken_streak, FORMATS['nights'])}</td>"
            f"<td>{_cell(p.broken_nights_per_week, rate)}</td>"
        )
        if changes:
            change = changes.get(p.name)
            row += f"<td>{_cell(change, FORMATS['signed']) if change else '–'}</td>"
        out.append(row + "</tr>")
    out.append(
        f"</table><p class=note>On-call share: time in some schedule's rotation; amber above "
        f"{HEAVY_SHARE:.0%}, red above {MAX_SHARE:.0%} (the common guidance). Someone named "
        "directly in a policy step is reachable around the clock whatever their share. Sleep "
        "hours are 22:00-08:00 in the person's zone; a broken night has at least one page "
        "in them. Worst week and longest run are per run, averaged over runs.</p>"
    )
    return out


def _breakdown_table(title: str, rows: list[Breakdown]) -> list[str]:
    out = [
        f"<table><tr><th>{escape(title)}</th><th>incidents per run</th>"
        "<th>never acknowledged</th><th>time to ack p50</th></tr>"
    ]
    for b in rows:
        out.append(
            f"<tr><td>{escape(b.label)}</td><td>{_cell(b.incidents_per_run, FORMATS['count'])}"
            f"</td><td>{_cell(b.never_acked, FORMATS['share'])}</td>"
            f"<td>{_cell(b.ack_p50, FORMATS['duration'])}</td></tr>"
        )
    out.append("</table>")
    return out


def _breakdowns(cfg: ConfigFindings, tz: str) -> list[str]:
    out = [f"<h3>{escape(cfg.summary.name)}: per service</h3>"]
    out += _breakdown_table("service", cfg.services)
    out.append(
        f"<h3>{escape(cfg.summary.name)}: per escalation step</h3><table><tr><th>step</th>"
        "<th>acknowledged while current</th><th>pages a week sent</th></tr>"
    )
    for s in cfg.steps:
        out.append(
            f"<tr><td>step {s.step}</td><td>{_cell(s.acked_here, FORMATS['share'])}</td>"
            f"<td>{_cell(s.pages_per_week, FORMATS['per_week'])}</td></tr>"
        )
    out.append(f"</table><h3>{escape(cfg.summary.name)}: per local hour ({escape(tz)})</h3>")
    out.append(f"<figure>{hour_chart(cfg.hours)}</figure>")
    out += _breakdown_table("hour", cfg.hours)
    return out


def render_html(findings: Findings) -> str:
    """The report as one HTML document."""
    outcome = findings.outcome
    setup = outcome.setup
    title = f"On-call policy test: {outcome.proposed.name}"
    if outcome.baseline:
        title += f" vs {outcome.baseline.name}"
    html = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
        f"</title><style>{_CSS}</style></head><body><h1>{escape(title)}</h1>",
        f"<p>{setup.runs} runs of {setup.days:g} days each, seed {setup.seed}. The same alerts "
        "and responder draws go through both configurations in each run.</p>",
    ]
    html += _verdicts(findings)
    html += _summary(findings)
    samples = {c.summary.name: c.summary.ack_times for c in findings.configs()}
    html.append("<h2>Time to acknowledge</h2><figure>" + histogram(samples) + "</figure>")
    html.append("<h2>Load per person</h2>")
    scale = max(
        (sum(p.values()) for c in findings.configs() for p in c.summary.pages_per_week.values()),
        default=1.0,
    )
    for cfg in findings.configs():
        changes = findings.sleep_page_changes if cfg is findings.proposed else {}
        html.append(f"<h3>{escape(cfg.summary.name)}</h3>")
        html.append(f"<figure>{load_chart(cfg.summary, scale or 1.0)}</figure>")
        html += _people(cfg, changes)
    html.append("<h2>Breakdowns</h2>")
    for cfg, oncall in zip(findings.configs(), [setup.proposed, setup.baseline], strict=False):
        if oncall is not None:
            html += _breakdowns(cfg, oncall.config.time_zone)
    html.append("<h2>Assumptions</h2>")
    for cfg in findings.configs():
        html.append(f"<h3>{escape(cfg.summary.name)}</h3><ul>")
        html += [f"<li>{escape(a)}</li>" for a in cfg.assumptions]
        html.append("</ul>")
    html.append("</body></html>")
    return "\n".join(html)
