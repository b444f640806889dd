"""Line API widgets whose content grows without re-laying out the whole screen.

Textual declares ``virtual_size`` with ``layout=True``: every line written to a
RichLog, every alert added to a list, asks for a reflow of the whole screen
(6-12 ms here, with the footer's bindings), although a widget sized by its
container (``1fr``) does not move anything else when its content grows. What the
reflow does for a ScrollView is refresh its scrollbars, so :class:`SteadyScrollView`
does just that. When a scrollbar has to appear or go, ``show_vertical_scrollbar``
(itself ``layout=True``) still asks for the one layout that is needed.

Only for widgets whose own size does not follow their content (no ``height: auto``).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    """A ScrollView whose virtual size changes repaint it and its scrollbars only."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        """Do what a layout would do for this widget: fit the scrollbars to the new size."""
        # The same call ScrollView._size_updated makes after a reflow.
        self._scroll_update(size)
