"""A sweep as one self-contained HTML page: the trade-off chart and every variant.

Inline SVG and inline CSS only, like the policy test's report: it must open on an
air-gapped machine and survive being attached to a change request.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from simulator.durations import format_duration

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a202c;max-width:75rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #cbd5e0;padding:.3rem .6rem;
text-align:right}th:first-child,td:first-child{text-align:left}tr.front td{font-weight:600}
svg{background:#f7fafc;margin:.5rem 0}figcaption{font-size:.9rem}
"""
_FRONT, _OTHER = "#2b6cb0", "#a0aec0"


def label(point: Mapping[str, Any]) -> str:
    """A variant's settings as ``path=value, ...``."""
    return ", ".join(f"{k}={v}" for k, v in point["settings"].items())


def _seconds(value: float | None) -> str:
    return "-" if value is None else format_duration(value)


def _chart(report: Mapping[str, Any], width: int = 680, height: int = 380) -> str:
    """p95 ack (y) against sleep pages (x), each with its interval; the front joined."""
    points = [
        (i, p)
        for i, p in enumerate(report["points"])
        if p["p95_ack"] is not None and p["sleep_pages"] is not None
    ]
    if not points:
        return "<p>No variant had an acknowledged incident: nothing to plot.</p>"
    x_top = max(p["sleep_pages"]["high"] for _, p in points) * 1.1 or 1.0
    y_top = max(p["p95_ack"]["high"] for _, p in points) * 1.1 or 1.0
    left, bottom = 70, 40

    def x(v: float) -> float:
        return left + v / x_top * (width - left - 20)

    def y(v: float) -> float:
        return height - bottom - v / y_top * (height - bottom - 20)

    parts = [
        f'<svg width="{width}" height="{height}" role="img" '
        'aria-label="p95 time to acknowledge against sleep pages per person">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 10}" y2="{y(0):.1f}" stroke="#4a5568"/>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{left}" y2="10" stroke="#4a5568"/>',
    ]
    for k in range(5):
        xv, yv = x_top * k / 4, y_top * k / 4
        parts.append(
            f'<text x="{x(xv):.1f}" y="{height - 22}" font-size="11" text-anchor="middle">'
            f"{xv:.2f}</text>"
            f'<text x="{left - 6}" y="{y(yv) + 4:.1f}" font-size="11" text-anchor="end">'
            f"{format_duration(yv)}</text>"
        )
    parts.append(
        f'<text x="{(width + left) / 2:.0f}" y="{height - 4}" font-size="12" '
        'text-anchor="middle">sleep pages a week, most-paged person</text>'
        f'<text x="14" y="{height / 2:.0f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {height / 2:.0f})">p95 time to acknowledge</text>'
    )
    front = report["front"]
    if len(front) > 1:
        path = " ".join(
            f"{x(report['points'][i]['sleep_pages']['mean']):.1f},"
            f"{y(report['points'][i]['p95_ack']['mean']):.1f}"
            for i in front
        )
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_FRONT}" stroke-width="1"/>')
    for i, p in sorted(points, key=lambda ip: ip[0] in front):  # the front on top
        a, s = p["p95_ack"], p["sleep_pages"]
        colour = _FRONT if i in front else _OTHER
        cx, cy = x(s["mean"]), y(a["mean"])
        parts.append(
            f'<g stroke="{colour}"><line x1="{x(s["low"]):.1f}" y1="{cy:.1f}" '
            f'x2="{x(s["high"]):.1f}" y2="{cy:.1f}"/><line x1="{cx:.1f}" y1="{y(a["low"]):.1f}" '
            f'x2="{cx:.1f}" y2="{y(a["high"]):.1f}"/></g>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"><title>'
            f"{escape(label(p))}: p95 ack {_seconds(a['mean'])}, "
            f"{s['mean']:.2f} sleep pages a week</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _interval(value: Mapping[str, float] | None, fmt: Any) -> str:
    if value is None:
        return "-"
    return f"{fmt(value['mean'])} [{fmt(value['low'])}, {fmt(value['high'])}]"


def render_sweep_html(report: Mapping[str, Any]) -> str:
    """The sweep report as one HTML document."""
    title = f"On-call policy sweep: {report['config']}"
    varied = ", ".join(f"{v['path']} ∈ {{{', '.join(v['values'])}}}" for v in report["vary"])
    html = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
        f"</title><style>{_CSS}</style></head><body><h1>{escape(title)}</h1>",
        f"<p>{len(report['points'])} variants ({escape(varied)}), each {report['runs']} runs"
        f" of {report['days']:g} days, seed {report['seed']}. Lower is better on both axes;"
        " bars are 95% bootstrap intervals over runs; the blue points are the Pareto front"
        " (no other variant is better on both).</p>",
        "<h2>Trade-off</h2><figure>" + _chart(report) + "</figure>",
        "<h2>Variants</h2><table><tr><th>variant</th><th>front</th>"
        "<th>p95 ack, mean per run</th><th>sleep pages a week (most-paged)</th>"
        "<th>ack p50</th><th>ack p99</th><th>never acked</th><th>reached last step</th>"
        "<th>fairness</th></tr>",
    ]
    for i, p in enumerate(report["points"]):
        on_front = i in report["front"]
        html.append(
            f"<tr{' class=front' if on_front else ''}><td>{escape(label(p))}</td>"
            f"<td>{'★' if on_front else ''}</td>"
            f"<td>{_interval(p['p95_ack'], _seconds)}</td>"
            f"<td>{_interval(p['sleep_pages'], lambda v: f'{v:.2f}')}</td>"
            f"<td>{_seconds(p['ack']['p50'])}</td><td>{_seconds(p['ack']['p99'])}</td>"
            f"<td>{p['never_acked']:.1%}</td><td>{p['reached_last_step']:.1%}</td>"
            f"<td>{p['fairness']:.3f}</td></tr>"
        )
    html.append("</table></body></html>")
    return "\n".join(html)
