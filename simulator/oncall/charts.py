"""Inline SVG charts for the policy-test report (no scripts, nothing fetched)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from simulator.durations import format_duration
from simulator.oncall.burnout import Breakdown
from simulator.oncall.responders import PERIODS
from simulator.oncall.testrun import PolicySummary

PALETTE = ("#2b6cb0", "#a0aec0", "#dd6b20", "#38a169")
PERIOD_COLOURS = {"business": "#68d391", "off_hours": "#f6ad55", "sleep": "#5a67d8"}


def legend(colours: Mapping[str, str]) -> str:
    """Coloured squares with names, for a figcaption."""
    return " ".join(
        f'<span style="color:{c}">■</span> {escape(n.replace("_", "-"))}'
        for n, c in colours.items()
    )


def histogram(samples: Mapping[str, Sequence[float]], width: int = 720, height: int = 220) -> str:
    """Overlaid histograms of ack times (share of acks per bin), up to the 99th percentile."""
    pooled = sorted(t for values in samples.values() for t in values)
    if not pooled:
        return "<p>No incident was acknowledged.</p>"
    top = max(pooled[int(len(pooled) * 0.99) - 1 if len(pooled) > 1 else 0], 60.0)
    bins = 40
    size = top / bins
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(samples)}
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
                f' height="{h:.1f}" fill="{colours[name]}">'
                f"<title>{escape(name)}: {share:.1%}</title></rect>"
            )
    for i in range(0, bins + 1, 10):
        x = 40 + i * bar
        parts.append(
            f'<text x="{x:.1f}" y="{height + 22}" font-size="12" text-anchor="middle">'
            f"{format_duration(i * size)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts) + f"<figcaption>{legend(colours)} (share of acks)</figcaption>"


def load_chart(summary: PolicySummary, scale: float, width: int = 720) -> str:
    """Stacked bars: pages a week per person, split by business/off-hours/sleep."""
    people = list(summary.pages_per_week)
    row = 22
    parts = [
        f'<svg width="{width}" height="{row * len(people) + 10}" role="img" '
        f'aria-label="pages per person">'
    ]
    for i, person in enumerate(people):
        y = 5 + i * row
        parts.append(f'<text x="4" y="{y + 14}" font-size="13">{escape(person)}</text>')
        x = 100.0
        for period in PERIODS:
            value = summary.pages_per_week[person][period]
            w = value / scale * (width - 170) if scale else 0
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
                f'fill="{PERIOD_COLOURS[period]}"><title>{period}: {value:.2f}/week'
                f"</title></rect>"
            )
            x += w
        total = sum(summary.pages_per_week[person].values())
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="12">{total:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts) + f"<figcaption>pages a week: {legend(PERIOD_COLOURS)}</figcaption>"


def hour_chart(hours: Sequence[Breakdown], width: int = 720, height: int = 160) -> str:
    """Incidents per run by local hour; the darker part never got an acknowledgement."""
    counts = [h.incidents_per_run.value or 0.0 for h in hours]
    peak = max(counts, default=0.0) or 1.0
    bar = (width - 50) / max(len(hours), 1)
    parts = [f'<svg width="{width}" height="{height + 30}" role="img" aria-label="per hour">']
    for i, h in enumerate(hours):
        total = counts[i]
        unacked = total * (h.never_acked.value or 0.0)
        x = 40 + i * bar
        th, uh = total / peak * height, unacked / peak * height
        parts.append(
            f'<rect x="{x:.1f}" y="{height - th + 5:.1f}" width="{bar - 2:.1f}" '
            f'height="{th:.1f}" fill="#90cdf4"><title>{h.label}: {total:.1f} incidents a run'
            f"</title></rect>"
            f'<rect x="{x:.1f}" y="{height - uh + 5:.1f}" width="{bar - 2:.1f}" '
            f'height="{uh:.1f}" fill="#c53030"><title>{h.label}: {unacked:.1f} never '
            f"acknowledged</title></rect>"
        )
        if i % 3 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height + 22}" font-size="12" '
                f'text-anchor="middle">{h.label[:2]}h</text>'
            )
    parts.append("</svg>")
    colours = {"incidents a run": "#90cdf4", "never acknowledged": "#c53030"}
    return "".join(parts) + f"<figcaption>{legend(colours)}</figcaption>"
