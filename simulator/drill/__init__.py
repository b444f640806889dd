"""The drill: a SimPy world that plays a scenario, takes commands and emits events.

The session (:mod:`.session`) owns the clock, the state and the log; every game
rule lives in a module of its own and gets only the narrow parts it needs (the
drill's state, a way to emit events, the SimPy environment). No UI here.
"""
