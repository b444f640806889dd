"""A self-contained HTML report of a policy test: tables and inline SVG charts.

No scripts, fonts or stylesheets are fetched: the report must open on an air-gapped
machine and survive being attached to a change request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from simulator.durations import format_duration
from simulator.oncall.responders import PERIODS
from simulator.oncall.testrun import PolicySummary, TrialOutcome, format_signed

_COLOURS = {"proposed": "#2b6cb0", "baseline": "#a0aec0"}
_PERIOD_COLOURS = {"business": "#68d391", "off_hours": "#f6ad55", "sleep": "#5a67d8"}
_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a202c;max-width:70rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #cbd5e0;padding:.3rem .6rem;
text-align:right}th:first-child,td:first-child{text-align:left}.bad{color:#c53030}
.good{color:#2f855a}svg{background:#f7fafc;margin:.5rem 0}figcaption{font-size:.9rem}
"""


def _fmt_seconds(value: float | None) -> str:
    return "–" if value is None else format_duration(value)


def _rows(outcome: TrialOutcome) -> list[tuple[str, str, str]]:
    def figures(s: PolicySummary) -> list[str]:
        pct = s.ack_percentiles
        return [
            f"{s.incidents_per_run:.1f}",
            *(_fmt_seconds(pct[k]) for k in ("p50", "p90", "p95", "p99")),
            f"{s.reached_last_step:.1%}",
            f"{s.never_acked:.1%}",
            f"{s.escalations_per_incident:.2f}",
            f"{s.max_sleep_pages_per_week:.2f}",
            f"{s.fairness:.3f}",
        ]

    names = [
        "incidents per run",
        "ack p50",
        "ack p90",
        "ack p95",
        "ack p99",
        "reached last step",
        "never acknowledged",
        "escalations per incident",
        "most sleep pages a week (one person)",
        "fairness (1 = even)",
    ]
    proposed = figures(outcome.proposed)
    baseline = figures(outcome.baseline) if outcome.baseline else [""] * len(names)
    return list(zip(names, proposed, baseline, strict=True))


def _histogram(samples: Mapping[str, Sequence[float]], width: int = 640, height: int = 220) -> str:
    """Overlaid histograms of ack times (share of acks per bin), up to the 99th percentile."""
    pooled = sorted(t for values in samples.values() for t in values)
    if not pooled:
        return "<p>No incident was acknowledged.</p>"
    top = max(pooled[int(len(pooled) * 0.99) - 1 if len(pooled) > 1 else 0], 60.0)
    bins = 40
    size = top / bins
    shares: dict[str, list[float]] = {}
    for name, values in samples.items():
        counts = [0] * bins
        for t in values:
            counts[min(int(t / size), bins - 1)] += 1
        shares[name] = [c / max(len(values), 1) for c in counts]
    peak = max(max(v) for v in shares.values()) or 1.0
    bar = (width - 50) / bins
    parts = [
        f'<svg width="{width + 30}" height="{height + 30}" role="img" '
        'aria-label="time to acknowledge">'
    ]
    for k, (name, values) in enumerate(shares.items()):
        for i, share in enumerate(values):
            h = share / peak * height
            x = 40 + i * bar + k * bar / len(shares)
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h + 5:.1f}" width="{bar / len(shares):.1f}"'
                f' height="{h:.1f}" fill="{_COLOURS.get(name, "#999")}">'
                f"<title>{escape(name)}: {share:.1%}</title></rect>"
            )
    for i in range(0, bins + 1, 10):
        x = 40 + i * bar
        parts.append(
            f'<text x="{x:.1f}" y="{height + 22}" font-size="11" text-anchor="middle">'
            f"{format_duration(i * size)}</text>"
        )
    parts.append("</svg>")
    legend = " ".join(
        f'<span style="color:{_COLOURS.get(n, "#999")}">■ {escape(n)}</span>' for n in samples
    )
    return "".join(parts) + f"<figcaption>{legend}</figcaption>"


def _load_chart(summary: PolicySummary, scale: float, width: int = 640) -> str:
    """Stacked bars: pages a week per person, split by business/off-hours/sleep."""
    people = list(summary.pages_per_week)
    row = 22
    parts = [
        f'<svg width="{width}" height="{row * len(people) + 10}" role="img" '
        f'aria-label="pages per person">'
    ]
    for i, person in enumerate(people):
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(person)}</text>')
        x = 90.0
        for period in PERIODS:
            value = summary.pages_per_week[person][period]
            w = value / scale * (width - 160) if scale else 0
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
                f'fill="{_PERIOD_COLOURS[period]}"><title>{period}: {value:.2f}/week'
                f"</title></rect>"
            )
            x += w
        total = sum(summary.pages_per_week[person].values())
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="11">{total:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _load_scale(outcome: TrialOutcome) -> float:
    summaries = [outcome.proposed] + ([outcome.baseline] if outcome.baseline else [])
    return (
        max((sum(p.values()) for s in summaries for p in s.pages_per_week.values()), default=1.0)
        or 1.0
    )


def render_html(outcome: TrialOutcome, *, violations: Sequence[str] = ()) -> str:
    """The report as one HTML document."""
    setup = outcome.setup
    title = f"On-call policy test: {outcome.proposed.name}"
    if outcome.baseline:
        title += f" vs {outcome.baseline.name}"
    html = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
        f"</title><style>{_CSS}</style></head><body><h1>{escape(title)}</h1>",
        f"<p>{setup.runs} runs of {setup.days:g} days, seed {setup.seed}.</p>",
    ]
    if violations:
        html.append("<h2 class=bad>Limits broken</h2><ul>")
        html += [f"<li class=bad>{escape(v)}</li>" for v in violations]
        html.append("</ul>")
    head = "<tr><th>figure</th><th>proposed</th>"
    head += "<th>baseline</th></tr>" if outcome.baseline else "</tr>"
    html.append(f"<h2>Summary</h2><table>{head}")
    for name, proposed, baseline in _rows(outcome):
        extra = f"<td>{baseline}</td>" if outcome.baseline else ""
        html.append(f"<tr><td>{name}</td><td>{proposed}</td>{extra}</tr>")
    html.append("</table>")
    if outcome.deltas:
        html.append(
            "<h2>Proposed minus baseline (paired runs, 95% bootstrap interval)</h2>"
            "<table><tr><th>metric</th><th>delta</th><th>interval</th></tr>"
        )
        for d in outcome.deltas:
            cls = "bad" if d.low > 0 else "good" if d.high < 0 else ""
            low, high = format_signed(d.metric, d.low), format_signed(d.metric, d.high)
            html.append(
                f"<tr><td>{d.metric.replace('_', ' ')}</td><td class={cls or 'x'}>"
                f"{format_signed(d.metric, d.delta)}</td><td>[{low}, {high}]</td></tr>"
            )
        html.append("</table><p>For every metric here lower is better.</p>")
    samples = {"proposed": outcome.proposed.ack_times}
    if outcome.baseline:
        samples["baseline"] = outcome.baseline.ack_times
    html.append("<h2>Time to acknowledge</h2><figure>" + _histogram(samples) + "</figure>")
    scale = _load_scale(outcome)
    legend = " ".join(f'<span style="color:{c}">■ {p}</span>' for p, c in _PERIOD_COLOURS.items())
    for label, summary in (("proposed", outcome.proposed), ("baseline", outcome.baseline)):
        if summary is None:
            continue
        html.append(
            f"<h2>Pages a week per person ({label})</h2><figure>"
            f"{_load_chart(summary, scale)}<figcaption>{legend}</figcaption></figure>"
        )
        html.append("<table><tr><th>person</th><th>on-call hours</th></tr>")
        html += [
            f"<tr><td>{escape(p)}</td><td>{h:.0f}</td></tr>"
            for p, h in summary.oncall_hours.items()
        ]
        html.append("</table>")
    html.append("</body></html>")
    return "\n".join(html)
