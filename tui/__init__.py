"""The terminal front ends of gameday: the ``gameday`` CLI and the Textual app.

Nothing here is imported by the engine or by scoring. Textual itself is imported
lazily (only by ``gameday play`` / ``replay``) so the headless commands start fast.
"""
