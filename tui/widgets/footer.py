"""The key bar, rebuilt once per refresh however many binding changes arrive."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, without the repeated rebuilds.

    Footer rebuilds all its keys after every binding change, and a screen coming up
    publishes several (the stack changes, focus moves, twice more after the first
    refresh): five rebuilds of ten widgets each before the console's first frame,
    ~30 ms of a ~600 ms launch. The rebuild reads the bindings when it runs, so one
    per refresh shows exactly what five would.
    """

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Schedule one rebuild; later changes before it runs are folded into it."""
        if self._rebuild_pending and screen is self.screen:
            return
        self._rebuild_pending = bool(
            screen.app.app_focus and self.is_attached and screen is self.screen
        )
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        """Rebuild the keys from the bindings as they are now."""
        self._rebuild_pending = False
        await super().recompose()

    def on_resize(self, event: events.Resize) -> None:
        """On a narrow terminal (80x24), tighter keys and no palette hint, so the last
        keys (Debrief, Quit) stay on screen."""
        narrow = event.size.width < 100
        self.compact = narrow
        self.show_command_palette = not narrow
