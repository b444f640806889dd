"""Reusable Textual widgets of the console: alerts, dashboard, channel, prompt, header, footer.

They draw an :class:`~tui.widgets.picture.IncidentPicture` (the console's view of the
events) and post messages; they decide nothing about the drill.

May use: Textual, Rich and ``simulator``'s vocabulary (events, durations, roles,
command grammar). Never screens, the app, the CLI or the team network.
"""
