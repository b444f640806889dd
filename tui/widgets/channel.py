"""The incident channel: chatter, teammates, investigation results, command echoes."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import RichLog

from simulator.commands import ROLE_NAMES
from simulator.durations import format_clock, format_duration
from simulator.events import Event
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


_FORMATTERS: dict[str, Callable[[Event], Text]] = {
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
        e.t, e["by"], f"{e['person']} is now {ROLE_NAMES.get(e['role'], e['role'])}"
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
}


def channel_line(event: Event) -> Text | None:
    """How an event reads in the channel, or None when it does not belong there."""
    formatter = _FORMATTERS.get(event.type)
    return formatter(event) if formatter is not None else None


class IncidentChannel(RichLog, SteadyScrollView):
    """A scrolling incident channel; one line (or a few) per event that belongs in it.

    A new line repaints the channel only, not the whole screen (:mod:`.steady`).
    """

    DEFAULT_CSS = """
    IncidentChannel { border: round $primary-darken-1; border-title-color: $text; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=1000, wrap=True, min_width=20, id=id)
        self.border_title = "#incident"

    def post(self, event: Event) -> None:
        """Append an event if it belongs in the channel."""
        line = channel_line(event)
        if line is not None:
            self.write(line)

    def say(self, text: str, style: str = "dim") -> None:
        """A line from the console itself (help, hints), not from the drill."""
        self.write(Text(text, style=style))
