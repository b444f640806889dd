"""Taking a seat by its token, on screen: how the browser seat (``--web``) admits a player.

A browser has no command line to pass ``--token`` on, and a token in the page's URL
would end up in histories and logs; so the player's console first asks for it. The
screen knows nothing of the network: it is given an ``attempt`` that returns the
seat's feed, or why the host refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.feed import DrillFeed
from tui.widgets.footer import KeyFooter

SeatAttempt = Callable[[str], Awaitable[DrillFeed | str]]
"""Try a token: the seat's feed, or the host's reason for refusing it."""


class TokenScreen(Screen[DrillFeed]):
    """Asks for the seat's token until the host accepts one."""

    def __init__(self, attempt: SeatAttempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        """A line of explanation, the token field and the host's answer."""
        with Vertical(id="seat-login"):
            yield Static(
                "A team game day. Paste the token the host gave you for your seat "
                "(the last word of your join command), then Enter.",
                id="seat-help",
            )
            yield Input(placeholder="token", password=True, id="seat-token")
            yield Static("", id="seat-answer")
        yield KeyFooter()

    @on(Input.Submitted, "#seat-token")
    async def _try(self, event: Input.Submitted) -> None:
        token = event.value.strip()
        if not token:
            return
        answer = self.query_one("#seat-answer", Static)
        answer.update("joining…")
        result = await self.attempt(token)
        if isinstance(result, str):
            answer.update(f"✗ {result}")
            event.input.value = ""
            return
        self.dismiss(result)
