"""The pager and alert list: firing alerts, grouped as the engine groups them."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from simulator.durations import format_duration
from tui.widgets.picture import AlertView

SERVICE_WIDTH = 12
_STATE_STYLE = {"new": "bold red", "acked": "yellow", "silenced": "dim"}
_SEV_STYLE = {"page": "bold red", "ticket": "cyan"}


def _age(now: float, since: float) -> str:
    # Whole minutes: the list then changes once a simulated minute, not every tick.
    minutes = int(max(0.0, now - since) // 60)
    return f"{minutes}m" if minutes < 60 else format_duration(minutes * 60)


class AlertList(DataTable[Text]):
    """Firing alerts with severity, service, age and state; group members indented."""

    DEFAULT_CSS = """
    AlertList { border: round $error 60%; height: 1fr; }
    AlertList:focus { border: round $error; }
    """
    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        ("a", "acknowledge", "Ack"),
        ("x", "silence", "Silence"),
    ]

    class Chosen(Message):
        """The trainee asked for something to happen to the highlighted alert."""

        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self._rows: list[tuple[str, ...]] = []
        self._names: dict[str, str] = {}
        self.border_title = "Pager · alerts"

    def on_mount(self) -> None:
        """Columns are fixed; names take what is left."""
        # No cell padding (narrow terminals need every cell); columns carry their own gap.
        self.add_column(" sev", width=8, key="sev")
        self.add_column("service", width=SERVICE_WIDTH + 1, key="service")
        self.add_column("alert", key="alert")
        self.add_column(" age", width=5, key="age")
        self.add_column(" state", width=9, key="state")

    def show(self, alerts: list[AlertView], now: float, open_pages: int) -> None:
        """Redraw the list if what it shows changed (cheap when nothing did)."""
        rows: list[tuple[str, ...]] = []
        # The fixed columns take 22 cells plus the service; the name gets the rest.
        room = max(12, self.size.width - 22 - SERVICE_WIDTH - 3)
        previous_group = None
        for alert in alerts:
            member = alert.group == previous_group
            previous_group = alert.group
            name = ("└ " if member else "") + alert.name
            if len(name) > room:
                name = name[: room - 1] + "…"
            service = alert.service
            if len(service) > SERVICE_WIDTH:
                service = service[: SERVICE_WIDTH - 1] + "…"
            rows.append(
                (alert.id, alert.severity, service, name, _age(now, alert.fired_at), alert.state)
            )
        pages = f" · {open_pages} page(s) unacked" if open_pages else ""
        self.border_subtitle = f"{len(alerts)} firing{pages}"
        if rows == self._rows:
            return
        self._names = {a.id: a.name for a in alerts}
        self._rows = rows
        keep = self.cursor_row
        self.clear()
        for alert_id, sev, service, name, age, state in rows:
            self.add_row(
                Text(f" {sev}", style=_SEV_STYLE.get(sev, "")),
                Text(service),
                Text(name),
                Text(f" {age:>3}", style="dim"),
                Text(f" {state}", style=_STATE_STYLE.get(state, "")),
                key=alert_id,
            )
        if rows:
            self.move_cursor(row=min(keep, len(rows) - 1), animate=False)

    def _highlighted(self) -> tuple[str, str] | None:
        if not self._rows or self.cursor_row >= len(self._rows):
            return None
        row = self._rows[self.cursor_row]
        return row[0], self._names.get(row[0], row[0])

    def action_acknowledge(self) -> None:
        """Acknowledge the highlighted alert's page."""
        chosen = self._highlighted()
        if chosen is not None:
            self.post_message(self.Chosen(f"/ack {chosen[0]}"))

    def action_silence(self) -> None:
        """Silence alerts with the highlighted alert's name (for an hour)."""
        chosen = self._highlighted()
        if chosen is not None:
            self.post_message(self.Chosen(f"/silence {chosen[1]}"))
