"""The impact chart: users affected per minute over the drill, with the key moments marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from simulator.durations import format_clock
from simulator.log.events import Event
from simulator.log.vocabulary import EventType

MOMENTS: dict[EventType, str] = {
    "page.sent": "P",
    "page.acknowledged": "A",
    "severity.declared": "S",
    "mitigation.applied": "M",
    "status.posted": "U",
    "incident.resolved": "R",
}
LEGEND = "P first page · A first ack · S severity · M mitigation · U status post · R resolved"


def impact_series(events: Sequence[Event]) -> list[tuple[float, float]]:
    """(t, users affected per minute across services) for each metrics sample."""
    return [
        (e.t, sum(float(s.get("users_affected", 0.0)) for s in e["services"].values()))
        for e in events
        if e.type == "metrics.sample"
    ]


def render_chart(events: Sequence[Event], width: int, height: int = 8) -> Text:
    """A block chart of impact, one column per time slice, moments on the axis below."""
    series = impact_series(events)
    out = Text()
    if not series:
        return Text("no metric samples in this drill", style="dim")
    width = max(10, width - 8)
    end = max(series[-1][0], 1.0)
    columns: list[float | None] = [None] * width
    for t, value in series:
        col = min(width - 1, int(t / end * (width - 1)))
        columns[col] = max(columns[col] or 0.0, value)
    # Fewer samples than columns: a column between two samples shows the earlier one.
    filled_in: list[float] = []
    for slot in columns:
        filled_in.append(slot if slot is not None else (filled_in[-1] if filled_in else 0.0))
    columns = list(filled_in)
    top = max(filled_in) or 1.0
    for row in range(height, 0, -1):
        label = f"{top * row / height:>6.0f} " if row in (height, 1) else " " * 7
        out.append(label, style="dim")
        for value in filled_in:
            filled = value / top * height
            char = "█" if filled >= row else ("▄" if filled >= row - 0.5 else " ")
            out.append(char, style="red" if value > 0 else "")
        out.append("\n")
    axis = [" "] * width
    seen: set[str] = set()
    for e in events:
        mark = MOMENTS.get(e.type)
        if mark is None or mark in seen or (e.type == "page.sent" and e.get("manual")):
            continue
        seen.add(mark)
        axis[min(width - 1, int(e.t / end * (width - 1)))] = mark
    out.append(" " * 7 + "".join(axis) + "\n", style="bold yellow")
    out.append(f"{'T+0':<7}{'':<{max(0, width - 8)}}{format_clock(end)}\n", style="dim")
    out.append("users affected per minute · " + LEGEND, style="dim")
    return out


class ImpactChart(Static):
    """The chart, redrawn to the width it is given."""

    def __init__(self, events: Sequence[Event], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events = events

    def on_resize(self) -> None:
        """Fit the width."""
        self.update(render_chart(self.events, self.size.width))
