"""The gameday engine: scenario format, drill session, session log. No UI here.

This package's ``__init__`` imports nothing on purpose: ``scoring`` reads the
scenario model and the log reader from here without pulling in SimPy.
"""

__version__ = "0.1.0"
"""The gameday version: the one source of truth (pyproject.toml reads it)."""
