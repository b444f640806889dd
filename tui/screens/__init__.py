"""The Textual screens of a drill: setup (picker, role, briefing), console, forms, debrief.

Each screen reads a :class:`~tui.feed.DrillFeed` (a live engine, a replayed log or a
team host) and renders with :mod:`tui.widgets`; every game rule stays in the engine.

May use: Textual, Rich, ``simulator`` (read-only: events, grammar, vocabulary),
``scoring`` (the debrief), :mod:`tui.widgets` and :mod:`tui.feed`. Never the app,
the CLI or the team network.
"""
