"""The session log: the event vocabulary, the JSON Lines file, and the facts read off it.

Everything a drill is made of is an event in this vocabulary, appended to one log.
Scoring, the postmortem, replay and resume read the log through this package and
nothing else. Uses only the standard library and ``simulator.errors``.
"""
