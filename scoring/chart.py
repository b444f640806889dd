"""An impact chart as inline SVG: error rate and users affected over time, key moments marked.

Plain SVG text with no script and no external stylesheet, so it embeds in the
HTML postmortem (which must work offline) and the TUI can reuse it for exports.
Long drills are downsampled to one point per horizontal pixel (keeping each
pixel's peak, so a short spike is never smoothed away).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from simulator.log.events import Event
from simulator.log.vocabulary import EventType

MARKER_TYPES: dict[EventType, str] = {
    "impact.started": "impact begins",
    "page.acknowledged": "acknowledged",
    "severity.declared": "declared",
    "mitigation.started": "mitigation",
    "impact.mitigated": "mitigated",
    "impact.ended": "impact ends",
    "incident.resolved": "resolved",
}
"""Events drawn as vertical markers, with their labels."""

ERROR_COLOUR = "#c0392b"
USERS_COLOUR = "#2471a3"
MARKER_COLOUR = "#7f8c8d"


def _series(events: Sequence[Event]) -> tuple[str, list[tuple[float, float, float]]]:
    """The worst-hit service and (t, its error rate, users affected on all services)."""
    samples = [
        e for e in events if e.type == "metrics.sample" and isinstance(e.get("services"), Mapping)
    ]
    peaks: dict[str, float] = {}
    for sample in samples:
        for name, values in (sample.get("services") or {}).items():
            rate = _num(values, "error_rate")
            if rate > peaks.get(name, -1.0):
                peaks[name] = rate
    worst = max(sorted(peaks), key=lambda n: peaks[n], default="")
    points = []
    for sample in samples:
        services = sample.get("services") or {}
        users = sum(_num(v, "users_affected") for v in services.values())
        points.append((sample.t, _num(services.get(worst, {}), "error_rate"), users))
    return worst, points


def _num(values: object, key: str) -> float:
    try:
        return max(0.0, float(values.get(key, 0.0)))  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return 0.0


def _downsample(
    points: list[tuple[float, float, float]], columns: int, end: float
) -> list[tuple[float, float, float]]:
    if len(points) <= columns or end <= 0:
        return points
    buckets: dict[int, tuple[float, float, float]] = {}
    for t, err, users in points:
        col = min(columns - 1, int(t / end * columns))
        prev = buckets.get(col)
        buckets[col] = (
            (t, err, users) if prev is None else (prev[0], max(prev[1], err), max(prev[2], users))
        )
    return [buckets[c] for c in sorted(buckets)]


def _markers(events: Sequence[Event]) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    seen: set[str] = set()
    for event in events:
        label = MARKER_TYPES.get(event.type)
        if label is None:
            continue
        if event.type == "mitigation.started":
            label = f"{event.get('action')} {event.get('target')}"
        elif event.type in seen or (event.type == "page.acknowledged" and not event.get("by")):
            continue
        seen.add(event.type)
        out.append((event.t, label))
    return out


LABEL_CHAR_WIDTH = 5.0
"""Approximate width of one 9px character, to keep marker labels from overlapping."""
LABEL_LINE = 11


def label_lane(lanes: list[float], x: float, width: float) -> int:
    """The first lane whose last label ends before ``x``; a new lane when none does.
    Markers close in time (ack, declare, a mitigation) get their labels on separate lines."""
    for i, right in enumerate(lanes):
        if right + 4 <= x:
            lanes[i] = x + width
            return i
    lanes.append(x + width)
    return len(lanes) - 1


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def impact_chart_svg(events: Sequence[Event], width: int = 720, height: int = 260) -> str:
    """An SVG chart of the drill's impact; an empty frame with a note when there are no samples."""
    left, right, top, bottom = 56, 64, 24, 36
    plot_w, plot_h = max(10, width - left - right), max(10, height - top - bottom)
    worst, points = _series(events)
    end = max([e.t for e in events[-1:]] + [p[0] for p in points[-1:]] + [1.0])
    points = _downsample(points, plot_w, end)
    max_err = max([p[1] for p in points] + [0.01]) * 1.1
    max_users = max([p[2] for p in points] + [1.0]) * 1.1

    def x(t: float) -> float:
        return left + plot_w * min(1.0, max(0.0, t / end))

    def y(value: float, top_value: float) -> float:
        return top + plot_h * (1.0 - min(1.0, value / top_value))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Impact over time: {escape(worst)} error rate and users affected">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fbfcfc" '
        'stroke="#bdc3c7"/>',
    ]
    lanes: list[float] = []  # the right edge of the last label in each lane
    for t, label in _markers(events):
        px = x(t)
        parts.append(
            f'<line x1="{_fmt(px)}" y1="{top}" x2="{_fmt(px)}" y2="{top + plot_h}" '
            f'stroke="{MARKER_COLOUR}" stroke-dasharray="3,3"/>'
        )
        lane = label_lane(lanes, px, LABEL_CHAR_WIDTH * len(label))
        ly = top + 10 + LABEL_LINE * lane
        parts.append(
            f'<text x="{_fmt(px + 2)}" y="{ly}" font-size="9" fill="{MARKER_COLOUR}">'
            f"{escape(label)}</text>"
        )
    if points:
        err_path = " ".join(f"{_fmt(x(t))},{_fmt(y(e, max_err))}" for t, e, _ in points)
        users_path = " ".join(f"{_fmt(x(t))},{_fmt(y(u, max_users))}" for t, _, u in points)
        parts.append(
            f'<polyline fill="none" stroke="{ERROR_COLOUR}" stroke-width="1.5" '
            f'points="{err_path}"/>'
        )
        parts.append(
            f'<polyline fill="none" stroke="{USERS_COLOUR}" stroke-width="1.5" '
            f'points="{users_path}"/>'
        )
    else:
        parts.append(
            f'<text x="{left + 8}" y="{top + 20}" font-size="12">'
            "no metric samples in the log</text>"
        )
    base = top + plot_h
    parts += [
        f'<text x="{left - 6}" y="{top + 10}" font-size="10" text-anchor="end" '
        f'fill="{ERROR_COLOUR}">{max_err:.0%}</text>',
        f'<text x="{left - 6}" y="{base}" font-size="10" text-anchor="end">0</text>',
        f'<text x="{left + plot_w + 6}" y="{top + 10}" font-size="10" '
        f'fill="{USERS_COLOUR}">{max_users:,.0f}</text>',
        f'<text x="{left}" y="{base + 14}" font-size="10">T+0</text>',
        f'<text x="{left + plot_w}" y="{base + 14}" font-size="10" text-anchor="end">'
        f"T+{end / 60:.0f}m</text>",
        f'<text x="{left}" y="{height - 6}" font-size="11" fill="{ERROR_COLOUR}">'
        f"— error rate ({escape(worst) or 'no service'})</text>",
        f'<text x="{left + plot_w}" y="{height - 6}" font-size="11" text-anchor="end" '
        f'fill="{USERS_COLOUR}">— users affected per minute (all services)</text>',
        "</svg>",
    ]
    return "\n".join(parts)
