"""The service dashboard: error rate, latency and traffic as sparklines against the SLO."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from tui.widgets.picture import ServiceSeries

BLOCKS = "▁▂▃▄▅▆▇█"
_HEALTH_STYLE = {"ok": "green", "warn": "yellow", "bad": "bold red"}


def sparkline(values: Iterable[float], width: int, ceiling: float) -> str:
    """The last ``width`` values as block characters scaled to ``ceiling`` (clipped)."""
    data = list(values)[-width:]
    if ceiling <= 0:
        ceiling = max(data, default=1.0) or 1.0
    top = len(BLOCKS) - 1
    chars = [BLOCKS[min(top, max(0, round(v / ceiling * top)))] for v in data]
    return "".join(chars).rjust(width)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%" if value < 0.1 else f"{value * 100:.0f}%"


def _rate(rpm: float) -> str:
    return f"{rpm / 1000:.0f}k" if rpm >= 10_000 else f"{rpm / 1000:.1f}k"


class ServiceDashboard(Widget):
    """One line per service; the colour says how the latest sample stands against its SLO.

    Its height is fixed by the number of services, so a redraw is a repaint only,
    never a new layout.
    """

    DEFAULT_CSS = """
    ServiceDashboard { border: round $primary-darken-1; height: 7; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Services · errors / p99 / traffic"
        self._series: list[ServiceSeries] = []

    def show(self, series: Iterable[ServiceSeries]) -> None:
        """Redraw with the latest samples."""
        fresh = list(series)
        if len(fresh) != len(self._series):
            self.styles.height = len(fresh) + 2
        self._series = fresh
        self.refresh()

    def render(self) -> RenderableType:
        """The table, sized to the width there is."""
        return self._table()

    def _table(self) -> Table:
        name_width = max((len(s.name) for s in self._series), default=8)
        inner = max(30, self.size.width - 4)
        spark = max(4, (inner - name_width - 3 * 7 - 4) // 3)
        table = Table.grid(padding=(0, 1))
        table.add_column(width=name_width, no_wrap=True)
        for _ in range(3):
            table.add_column(width=spark, no_wrap=True)
            table.add_column(width=6, justify="right", no_wrap=True)
        for s in self._series:
            style = _HEALTH_STYLE[s.health()]
            err = s.error_rate[-1] if s.error_rate else 0.0
            lat = s.latency_ms[-1] if s.latency_ms else 0.0
            rpm = s.traffic_rpm[-1] if s.traffic_rpm else 0.0
            # Scale errors to 20x the budget and latency to 2x the objective: a bar
            # half-way up then means "at the SLO line" (14.4x burn pages well below).
            table.add_row(
                Text(s.name, style=style),
                Text(sparkline(s.error_rate, spark, s.error_budget * 20), style=style),
                Text(_percent(err), style=style),
                Text(sparkline(s.latency_ms, spark, s.slo_latency_ms * 2), style=style),
                Text(f"{lat:.0f}ms", style=style),
                Text(
                    sparkline(s.traffic_rpm, spark, max(s.traffic_rpm, default=1.0) * 1.2),
                    style="dim",
                ),
                Text(_rate(rpm), style="dim"),
            )
        return table
