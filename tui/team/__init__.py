"""The team network: one host runs the drill, each player joins from their own terminal.

``gameday host SCENARIO --player ic=Dana --player comms=Marcus`` runs the engine and
the facilitator's console (the clock, the ground truth, who has joined); the
simulator plays the roles nobody took. ``gameday join HOST:PORT --role comms``
opens the same console as ``gameday play`` for that seat: its commands go to the
host, which applies them as that player, and every event comes back to everyone.
``gameday join HOST:PORT --watch`` follows the drill read-only (a second screen).

:mod:`~tui.team.protocol` is the wire format, :mod:`~tui.team.host` the server,
:mod:`~tui.team.client` a player's feed. There is no authentication: the host
listens on 127.0.0.1 unless told otherwise (``--bind 0.0.0.0`` for a room of
laptops on a trusted network).

May use: asyncio, the engine (``simulator``) and the console's feed contract
(:mod:`tui.feed`). Never Textual: the network runs and is tested without a screen,
and the app only sees a :class:`~tui.feed.DrillFeed`.
"""
