"""The gameday engine, without any UI: four parts and the conventions they share.

* :mod:`simulator.drill`: the SimPy drill (session, game rules, simulated teammates, coach);
* :mod:`simulator.scenario`: the scenario format (models, located loader, JSON Schema);
* :mod:`simulator.log`: the event vocabulary, the JSON Lines log and its reader;
* :mod:`simulator.oncall`: on-call schedules and escalation policies, their importers and
  the policy-test simulation (a second, smaller SimPy model);
* shared basics: :mod:`.practice` (roles, cadences), :mod:`.durations`, :mod:`.errors`,
  :mod:`.yamlsource`, :mod:`.validation`, :mod:`.fielddocs`.

The layers (drill over scenario over on-call, log and practice) are import-linter
contracts in pyproject.toml. This ``__init__`` imports nothing on purpose: ``scoring``
reads the scenario model and the log from here without pulling in SimPy.
"""

__version__ = "0.1.0"
"""The gameday version: the one source of truth (pyproject.toml reads it)."""
