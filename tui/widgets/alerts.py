"""The pager and alert list: firing alerts, grouped as the engine groups them.

A noisy drill can have hundreds of alerts firing, changing every tick at 30x. A
DataTable re-measures every cell on each rebuild, so this list is a Line API
widget instead: rows are kept as plain tuples and only the visible ones are
rendered, which keeps a tick well under a frame.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from simulator.durations import format_duration
from tui.widgets.picture import AlertView
from tui.widgets.steady import SteadyScrollView

SERVICE_WIDTH = 12
ROW_STEP = 32
_STATE_STYLE = {
    "new": Style(color="red", bold=True),
    "acked": Style(color="yellow"),
    "silenced": Style(dim=True),
}
_SEV_STYLE = {"page": Style(color="red", bold=True), "ticket": Style(color="cyan")}
_DIM = Style(dim=True)
_HEADER = Style(bold=True, underline=True)
_CURSOR = Style(reverse=True)
_PLAIN = Style()


def _age(now: float, since: float) -> str:
    # Whole minutes: the list then changes once a simulated minute, not every tick.
    minutes = int(max(0.0, now - since) // 60)
    return f"{minutes}m" if minutes < 60 else format_duration(minutes * 60)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class AlertList(SteadyScrollView, can_focus=True):
    """Firing alerts with severity, service, age and state; group members indented."""

    DEFAULT_CSS = """
    AlertList { border: round $error 60%; height: 1fr; }
    AlertList:focus { border: round $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "acknowledge", "Ack"),
        Binding("x", "silence", "Silence"),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("home", "move(-100000)", "First", show=False),
        Binding("end", "move(100000)", "Last", show=False),
    ]

    class Chosen(Message):
        """The trainee asked for something to happen to the highlighted alert."""

        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        """(id, severity, service, name, age, state) per firing alert, in display order."""
        self.cursor = 0
        self._names: dict[str, str] = {}
        self.border_title = "Pager · alerts"
        self.acting = True
        """Whether a and x act on alerts (not in a replay, for a watcher or facilitator)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """a and x are left out of the key bar where commands are not given."""
        return self.acting or action not in ("acknowledge", "silence")

    @property
    def row_count(self) -> int:
        """How many alerts are listed."""
        return len(self.rows)

    def show(self, alerts: list[AlertView], now: float, open_pages: int) -> None:
        """Replace the rows; repaint only if what is shown changed."""
        rows: list[tuple[str, str, str, str, str, str]] = []
        previous_group = None
        for alert in alerts:
            member = alert.group == previous_group
            previous_group = alert.group
            name = ("└ " if member else "") + alert.name
            rows.append(
                (
                    alert.id,
                    alert.severity,
                    alert.service,
                    name,
                    _age(now, alert.fired_at),
                    alert.state,
                )
            )
        pages = f" · {open_pages} page(s) unacked" if open_pages else ""
        self.border_subtitle = f"{len(alerts)} firing{pages}"
        if rows == self.rows:
            return
        self.rows = rows
        self._names = {a.id: a.name for a in alerts}
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        # A steady scroll view: a new virtual size repaints the list and its scrollbar,
        # not the screen. It still moves in steps of ROW_STEP rows, so the scrollbar
        # (3 ms to draw) is not redrawn on every alert.
        # While everything fits, the list is exactly as tall as its view (no scrollbar).
        view = self.scrollable_content_region.height
        stepped = (len(rows) // ROW_STEP + 1) * ROW_STEP + 1
        height = stepped if len(rows) + 1 > view else view
        if self.virtual_size.height != height:
            self.virtual_size = Size(0, height)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The header on the first line, then the rows scrolled into view."""
        width = self.scrollable_content_region.width
        if y == 0:
            return self._strip(("sev", "service", "alert", "age", "state"), width, _HEADER)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.rows):
            return Strip.blank(width)
        _, sev, service, name, age, state = self.rows[index]
        strip = self._strip((sev, service, name, age, state), width, None)
        if index == self.cursor and self.has_focus:
            strip = strip.apply_style(_CURSOR)
        return strip

    def _strip(self, cells: tuple[str, ...], width: int, style: Style | None) -> Strip:
        sev, service, name, age, state = cells
        room = max(8, width - 8 - (SERVICE_WIDTH + 1) - 5 - 9)
        parts = [
            Segment(f" {sev:<6} ", style or _SEV_STYLE.get(sev, _PLAIN)),
            Segment(f"{_fit(service, SERVICE_WIDTH):<{SERVICE_WIDTH}} ", style or _PLAIN),
            Segment(f"{_fit(name, room):<{room}}", style or _PLAIN),
            Segment(f" {age:>3} ", style or _DIM),
            Segment(f" {state:<8}", style or _STATE_STYLE.get(state, _PLAIN)),
        ]
        return Strip(parts).crop_extend(0, width, None)

    # ------------------------------------------------------------------ keyboard
    def action_move(self, step: int) -> None:
        """Move the highlight, scrolling it into view."""
        if not self.rows:
            return
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        self.refresh()

    def on_focus(self) -> None:
        """Show the highlight."""
        self.refresh()

    def on_blur(self) -> None:
        """Hide the highlight."""
        self.refresh()

    def highlighted(self) -> tuple[str, str] | None:
        """(alert id, alert name) under the highlight."""
        if not self.rows:
            return None
        alert_id = self.rows[self.cursor][0]
        return alert_id, self._names.get(alert_id, alert_id)

    def action_acknowledge(self) -> None:
        """Acknowledge the highlighted alert's page."""
        chosen = self.highlighted()
        if chosen is not None:
            self.post_message(self.Chosen(f"/ack {chosen[0]}"))

    def action_silence(self) -> None:
        """Silence alerts with the highlighted alert's name (for an hour)."""
        chosen = self.highlighted()
        if chosen is not None:
            self.post_message(self.Chosen(f"/silence {chosen[1]}"))
