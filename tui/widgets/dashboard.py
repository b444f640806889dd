"""The service dashboard: error rate, latency and traffic as sparklines against the SLO,
and saturation where the width allows."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.picture import ServiceSeries

BLOCKS = "▁▂▃▄▅▆▇█"
_STYLES = {
    "ok": Style(color="green"),
    "warn": Style(color="yellow"),
    "bad": Style.parse("bold red"),
}
_DIM = Style(dim=True)
_GAP = Segment(" ")
_BUSY_WIDTH = 5
"""The saturation column: a gap and ``100%``."""


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


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _rate(rpm: float) -> str:
    return f"{rpm / 1000:.0f}k" if rpm >= 10_000 else f"{rpm / 1000:.1f}k"


class ServiceDashboard(Widget):
    """One line per service; the colour says how the latest sample stands against its SLO.

    Its height is fixed by the number of services, so a redraw is a repaint only,
    never a new layout. Lines are built as strips once per sample (a Rich Table
    rebuilt per sample cost 3 ms, a fifth of a frame) and served from there.
    """

    DEFAULT_CSS = """
    ServiceDashboard { border: round $primary-darken-1; height: 7; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Services · errors / p99 / traffic"
        self._title_for = -1
        self._series: list[ServiceSeries] = []
        self._strips: list[Strip] = []
        self._built_for = -1

    def show(self, series: Iterable[ServiceSeries]) -> None:
        """Redraw with the latest samples."""
        fresh = list(series)
        if len(fresh) != len(self._series):
            self.styles.height = len(fresh) + 2
        self._series = fresh
        self._built_for = -1
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Line ``y``: one service, built with the others when the data or width changed."""
        width = self.content_region.width
        if self._title_for != width:
            self._title_for = width
            wide = width >= self._wide_from()
            self.border_title = "Services · errors / p99 / traffic" + (" / busy" if wide else "")
        if self._built_for != width:
            self._strips = [self._line(s, width) for s in self._series]
            self._built_for = width
        return self._strips[y] if y < len(self._strips) else Strip.blank(width)

    def _name_width(self) -> int:
        return max((len(x.name) for x in self._series), default=8)

    def _wide_from(self) -> int:
        """The width from which saturation gets a column: sparklines of at least 4."""
        return self._name_width() + 3 * (4 + 8) + _BUSY_WIDTH

    def _line(self, s: ServiceSeries, width: int) -> Strip:
        name_width = self._name_width()
        wide = width >= self._wide_from()
        room = width - (_BUSY_WIDTH if wide else 0)
        spark = max(4, (max(30, room - 4) - name_width - 3 * 7 - 4) // 3)
        style = _STYLES[s.health()]
        err = s.error_rate[-1] if s.error_rate else 0.0
        lat = s.latency_ms[-1] if s.latency_ms else 0.0
        rpm = s.traffic_rpm[-1] if s.traffic_rpm else 0.0
        # Scale errors to 20x the budget and latency to 2x the objective: a bar
        # half-way up then means "at the SLO line" (14.4x burn pages well below).
        traffic = sparkline(s.traffic_rpm, spark, max(s.traffic_rpm, default=1.0) * 1.2)
        cells = [
            (f"{_fit(s.name, name_width):<{name_width}}", style),
            (sparkline(s.error_rate, spark, s.error_budget * 20), style),
            (f"{_percent(err):>6}", style),
            (sparkline(s.latency_ms, spark, s.slo_latency_ms * 2), style),
            (f"{lat:.0f}ms".rjust(6), style),
            (traffic, _DIM),
            (f"{_rate(rpm):>6}", _DIM),
        ]
        if wide:  # how busy the busiest resource is: a pool filling before errors show
            busy = s.saturation[-1] if s.saturation else 0.0
            busy_style = _STYLES["bad" if busy >= 0.9 else "warn" if busy >= 0.75 else "ok"]
            cells.append((f"{busy * 100:>3.0f}%", busy_style))
        segments = [Segment(cells[0][0], cells[0][1])]
        for text, cell_style in cells[1:]:
            segments += [_GAP, Segment(text, cell_style)]
        # Styled as Textual styles a render(): the widget's style under every cell,
        # only its background on the padding.
        base = self.rich_style
        pad = Style.from_color(bgcolor=base.bgcolor)
        return Strip(segments).apply_style(base).crop_extend(0, width, pad)
