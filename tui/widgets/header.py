"""The console header: simulated clock, speed, severity, time since the first page, roles."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from simulator.durations import format_clock, format_duration
from simulator.practice import ROLE_TITLES, ROLES
from tui.widgets.picture import IncidentPicture

SHORT_ROLE = {"ic": "IC", "tech": "Tech", "comms": "Comms", "scribe": "Scribe"}


@dataclass(frozen=True)
class Pace:
    """How fast simulated time runs, and whether it runs at all."""

    speed: int
    paused: bool
    replay: bool = False
    fast_forward: bool = False
    """Running fast until the first page (solo play), whatever ``speed`` is."""


class ConsoleHeader(Widget):
    """Two lines: the drill's clock and state, then who holds which role.

    A plain render widget: redrawing it never asks for a new layout (a Static's
    update does), which matters when it changes every tick.
    """

    DEFAULT_CSS = """
    ConsoleHeader {
        height: 2; background: $boost; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def show(self, picture: IncidentPicture, pace: Pace, title: str) -> None:
        """Redraw from the picture and the pace."""
        clock = Text()
        clock.append(f" {format_clock(picture.now)} ", style="bold reverse")
        if pace.paused:
            clock.append("  ⏸ paused", style="bold yellow")
        elif pace.fast_forward:
            clock.append("  ⏩ fast-forwarding to the first page…", style="bold cyan")
        else:
            clock.append(f"  ▶ {pace.speed}x", style="bold")
        if pace.replay:
            clock.append("  REPLAY", style="bold magenta")
        sev = f"SEV{picture.severity}" if picture.severity else "no severity"
        clock.append(f"  {sev}", style="bold red" if picture.severity else "dim")
        if picture.first_page_at is not None:
            since = format_duration(picture.now - picture.first_page_at)
            clock.append(f"  paged {since} ago", style="red")
        if picture.open_pages:
            clock.append(f"  {len(picture.open_pages)} page(s) unacked", style="bold red")
        if picture.status_state:
            clock.append(f"  status: {picture.status_state}", style="blue")
        if picture.ended:
            clock.append("  DRILL OVER", style="bold reverse green")
        clock.append(f"  {title}", style="dim")
        clock.no_wrap = True
        clock.overflow = "ellipsis"
        roles = Text(no_wrap=True, overflow="ellipsis")
        if picture.seated:
            roles.append(
                f" You: {picture.trainee} as {ROLE_TITLES[picture.role]}", style="bold green"
            )
        else:
            roles.append(" Team:", style="bold")
        for role in ROLES:
            if role == picture.role and picture.seated:
                continue
            holder = picture.roles.get(role)
            roles.append(f"  {SHORT_ROLE[role]}: ", style="dim")
            roles.append(holder or "—", style="cyan" if holder else "dim")
            online = (picture.presence or {}).get(holder or "")
            if online is not None:  # a player at a host: joined yet?
                roles.append(" ●" if online else " ○", style="green" if online else "dim")
        holders = set(picture.roles.values())
        for name, online in (picture.presence or {}).items():
            if name not in holders:  # a player whose role went to someone else is still here
                roles.append(f"  {name}", style="cyan")
                roles.append(" ●" if online else " ○", style="green" if online else "dim")
        lines = Text(no_wrap=True, overflow="ellipsis")
        lines.append_text(clock)
        lines.append("\n")
        lines.append_text(roles)
        if lines == self._lines:  # at 1x the clock's text changes every fifth tick
            return
        self._lines = lines
        self.refresh()

    _lines: Text = Text()

    def render(self) -> RenderableType:
        """The two lines."""
        return self._lines
