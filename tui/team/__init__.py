"""The team network: one host runs the drill, each player joins from their own terminal.

``gameday host SCENARIO --player ic=Dana --player comms=Marcus`` runs the engine and
the facilitator's console (the clock, the ground truth, who has joined); the
simulator plays the roles nobody took. ``gameday join HOST:PORT --role comms``
opens the same console as ``gameday play`` for that seat: its commands go to the
host, which applies them as that player, and every event comes back to everyone.
``gameday join HOST:PORT --watch`` follows the drill read-only (a second screen).

:mod:`~tui.team.protocol` is the wire format, :mod:`~tui.team.host` the server (each
seat admitted only with its token, :mod:`~tui.team.seats`; each client sent only its
view, :mod:`~tui.team.view`), :mod:`~tui.team.facilitator` the facilitator console's
feed, :mod:`~tui.team.headless` a host without a console, :mod:`~tui.team.web` the
browser seat and :mod:`~tui.team.client` a player's feed. The host listens on
127.0.0.1 unless told otherwise, and serves TLS when given a certificate.

May use: asyncio, the engine (``simulator``) and the console's feed contract
(:mod:`tui.feed`). Never Textual: the network runs and is tested without a screen,
and the app only sees a :class:`~tui.feed.DrillFeed`.
"""
