"""The incident channel: chatter, teammates, investigation results, command echoes."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from rich.measure import measure_renderables
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip

from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.log.vocabulary import EventType
from simulator.practice import ROLE_TITLES
from tui.widgets.steady import SteadyScrollView

_KIND_STYLE = {
    "customer_report": "bold magenta",
    "executive_ask": "bold yellow",
    "support_surge": "bold yellow",
    "stakeholder_ask": "yellow",
    "teammate": "cyan",
    "proposal": "bold cyan",
    "system": "dim",
}


def _line(t: float, who: str, text: str, style: str = "", who_style: str = "bold") -> Text:
    line = Text(f"{format_clock(t)[2:]} ", style="dim")
    line.append(who, style=who_style)
    line.append("  ")
    line.append(text, style=style)
    return line


def _message(e: Event) -> Text:
    channel = e["channel"]
    where = "" if channel == "incident" else f"[#{channel}] "
    return _line(e.t, e["sender"], where + e["text"], who_style=_KIND_STYLE.get(e["kind"], "bold"))


def _accepted(e: Event) -> Text:
    delegate = f" → {e['delegate']}" if e.get("delegate") else ""
    return _line(e.t, e["by"], e["text"] + delegate, style="green", who_style="bold green")


def _rejected(e: Event) -> Text:
    usage = f"  usage: {e['usage']}" if e.get("usage") else ""
    return _line(
        e.t, e["by"], f"{e['text']}  ✗ {e['error']}{usage}", style="red", who_style="bold red"
    )


def _findings(e: Event) -> Text:
    line = _line(e.t, e["by"], f"found ({e['query']}):", who_style="bold cyan")
    for finding in e["findings"]:
        line.append(f"\n      • {finding['text']}")
    return line


def _page(e: Event) -> Text:
    who = e["to"]
    if e.get("manual"):
        return _line(e.t, "pager", f"{e['by']} paged {who}", style="yellow")
    return _line(e.t, "PAGER", f"{e['name']} → {who}", style="bold red", who_style="bold red")


_FORMATTERS: dict[EventType, Callable[[Event], Text]] = {
    "message.posted": _message,
    "command.accepted": _accepted,
    "command.rejected": _rejected,
    "investigation.completed": _findings,
    "page.sent": _page,
    "page.escalated": lambda e: _line(
        e.t,
        "PAGER",
        f"escalated to {e['to']}: unacknowledged for {format_duration(e['unacknowledged_for'])}",
        style="bold red",
        who_style="bold red",
    ),
    "page.acknowledged": lambda e: _line(
        e.t, e["by"], f"acknowledged page {e['page']}", style="green"
    ),
    "severity.declared": lambda e: _line(
        e.t, e["by"], f"declared SEV{e['severity']}", style="bold"
    ),
    "role.assigned": lambda e: _line(
        e.t, e["by"], f"{e['person']} is now {ROLE_TITLES.get(e['role'], e['role'])}"
    ),
    "task.assigned": lambda e: _line(e.t, e["by"], f"asked {e['to']}: {e['task']}", style="dim"),
    "investigation.started": lambda e: _line(
        e.t, e["by"], f"looking into {e['query']} (~{format_duration(e['takes'])})", style="dim"
    ),
    "mitigation.started": lambda e: _line(
        e.t, e["by"], f"started {e['action']} {e['target']} (~{format_duration(e['takes'])})"
    ),
    "mitigation.applied": lambda e: _line(
        e.t, e["by"], f"done: {e['action']} {e['target']}", style="bold"
    ),
    "status.posted": lambda e: _line(
        e.t, e["by"], f"status page [{e['state']}] {e['message']}", style="blue"
    ),
    "update.posted": lambda e: _line(
        e.t, e["by"], f"stakeholder update: {e['message']}", style="blue"
    ),
    "chat.posted": lambda e: _line(
        e.t, e["by"], e["text"], who_style="bold cyan" if e["role"] == "ic" else "bold"
    ),
    "request.posted": lambda e: _line(
        e.t,
        e["by"],
        f"→ {ROLE_TITLES.get(e['to'], e['to'])} ({e['person'] or 'nobody yet'}): {e['text']}",
        style="bold",
    ),
    "request.answered": lambda e: _line(
        e.t, e["by"], f"→ {e['to']}: {e['text']}", who_style="bold cyan"
    ),
    "stakeholder.replied": lambda e: _line(
        e.t, e["by"], f"[#stakeholders] → {e['stakeholder']}: {e['text']}", style="blue"
    ),
    "note.added": lambda e: _line(e.t, e["by"], f"note: {e['text']}", style="italic"),
    "teammate.unavailable": lambda e: _line(e.t, e["person"], "is unavailable", style="dim"),
    "teammate.returned": lambda e: _line(e.t, e["person"], "is back", style="dim"),
    "incident.resolved": lambda e: _line(e.t, e["by"], "resolved the incident", style="bold"),
    "drill.ended": lambda e: _line(e.t, "drill", f"ended: {e['reason']}", style="bold reverse"),
    "impact.started": lambda e: _line(
        e.t, "truth", f"impact begins on {e['service']}", style="magenta"
    ),
    "impact.mitigated": lambda e: _line(e.t, "truth", "impact mitigated", style="magenta"),
    "impact.ended": lambda e: _line(e.t, "truth", "impact over", style="magenta"),
    "fault.started": lambda e: _line(
        e.t, "truth", f"fault {e['fault']} starts on {e['target']}", style="magenta"
    ),
    "inject.applied": lambda e: _line(e.t, "facilitator", e["text"], style="magenta"),
    "coach.hint": lambda e: _line(e.t, "coach", e["text"], style="bold yellow"),
}


_SPOKEN = frozenset({"say", "ask", "reply"})
"""Commands that are conversation: their accepted echo would repeat the message."""


def channel_line(event: Event) -> Text | None:
    """How an event reads in the channel, or None when it does not belong there."""
    if event.type == "command.accepted" and event["command"] in _SPOKEN:
        return None  # the words themselves follow as their own event
    formatter = _FORMATTERS.get(event.type)
    return formatter(event) if formatter is not None else None


class IncidentChannel(SteadyScrollView, can_focus=True):
    """A scrolling incident channel; one line (or a few) per event that belongs in it.

    A Line API widget: each message is wrapped once per width into strips, and a
    line is styled once and then served from :attr:`_styled`, so a new message
    renders its own lines only and scrolling re-uses what was drawn. A new line
    scrolls the view at once, in the same frame (RichLog scrolled after the next
    refresh: two redraws of the whole channel per message), and repaints the
    channel only, not the whole screen (:mod:`.steady`).
    """

    DEFAULT_CSS = """
    IncidentChannel {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;
        border: round $primary-darken-1;
        border-title-color: $text;
        &:focus { background-tint: $foreground 5%; }
    }
    """
    MAX_LINES = 1000
    """Older messages are dropped (whole) once the channel holds more lines."""
    MIN_WIDTH = 20
    """Messages are wrapped to at least this many cells (a narrower view crops them)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "#incident"
        self._messages: deque[tuple[Text, int]] = deque()
        """Each message, with how many lines it wraps to at :attr:`_width`."""
        self._lines: list[Strip] = []
        """Every message's lines, wrapped to :attr:`_width`, unstyled."""
        self._styled: list[Strip | None] = []
        """Lines with the widget's style applied, cropped to the view; None until drawn."""
        self._width = 0
        self._base = Style()

    @property
    def lines(self) -> list[Strip]:
        """The channel's lines as wrapped for the current width, oldest first."""
        return self._lines

    def post(self, event: Event) -> None:
        """Append an event if it belongs in the channel."""
        line = channel_line(event)
        if line is not None:
            self.write(line)

    def say(self, text: str, style: str = "dim") -> None:
        """A line from the console itself (help, hints), not from the drill."""
        self.write(Text(text, style=style))

    def write(self, text: Text) -> None:
        """Add a message at the bottom and scroll to it."""
        text.expand_tabs()
        if self._width:
            lines = self._wrap(text, self._width)
            self._messages.append((text, len(lines)))
            self._lines.extend(lines)
            self._styled.extend([None] * len(lines))
            self._trim()
            self._show_end()
        else:  # not laid out yet: wrapped when the width is known
            self._messages.append((text, 0))

    def on_resize(self) -> None:
        """Re-wrap every message to the new width."""
        width = self.scrollable_content_region.width
        if width == self._width or width <= 0:
            return
        self._width = width
        self._lines = []
        messages = self._messages
        for index, (text, _) in enumerate(messages):
            lines = self._wrap(text, width)
            messages[index] = (text, len(lines))
            self._lines.extend(lines)
        self._styled = [None] * len(self._lines)
        self._trim()
        self._show_end()
        self.refresh()

    def _wrap(self, text: Text, width: int) -> list[Strip]:
        # As RichLog(wrap=True) does: the message at its natural width, shrunk to the
        # view, never under MIN_WIDTH.
        console = self.app.console
        options = console.options
        natural = measure_renderables(console, options, [text]).maximum
        render_width = max(min(natural, width), self.MIN_WIDTH)
        segments = console.render(text, options.update_width(render_width))
        lines = [Strip(line) for line in Segment.split_lines(segments)]
        return lines or [Strip.blank(render_width)]

    def _trim(self) -> None:
        drop = 0
        while len(self._lines) - drop > self.MAX_LINES and len(self._messages) > 1:
            drop += self._messages.popleft()[1]
        if drop:
            del self._lines[:drop]
            del self._styled[:drop]

    def _show_end(self) -> None:
        # The new virtual size fits the scrollbar at once (SteadyScrollView), so the
        # view can move to the end now and be drawn once, already scrolled.
        self.virtual_size = Size(0, len(self._lines))
        end = self.max_scroll_y
        if self.scroll_y != end:
            self.scroll_to(y=end, animate=False)
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lines in ``crop``; the widget's style is looked up once per redraw, not per line."""
        base = self.rich_style
        if base != self._base:
            self._base = base
            self._styled = [None] * len(self._lines)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the view, styled and cropped once and then re-used."""
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self._lines) or width != self._width:
            return Strip.blank(width, self._base)
        strip = self._styled[index]
        if strip is None:
            base = self._base
            line = self._lines[index]
            strip = Strip(Segment.apply_style(list(line), base), line.cell_length)
            strip = strip.crop_extend(0, width, base)
            self._styled[index] = strip
        return strip
