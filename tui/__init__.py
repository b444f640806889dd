"""The front ends of gameday: the ``gameday`` CLI, the Textual app and the team network.

* :mod:`tui.cli`: the command line (thin commands, loaded lazily);
* :mod:`tui.app` with :mod:`tui.screens` and :mod:`tui.widgets`: the Textual app;
* :mod:`tui.team`: hosting and joining a team drill over TCP (no Textual);
* :mod:`tui.feed`: what a console reads from, shared by the app and the team network.

Nothing here is imported by the engine or by scoring. Textual itself is imported
lazily (only by ``gameday play`` / ``replay`` / ``host`` / ``join``) so the headless
commands start fast.
"""
