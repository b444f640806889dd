"""The scenario format: frozen pydantic models, the located YAML loader, the JSON Schema.

A scenario file is a public format: validated, versioned, documented. This package turns a
YAML file into a validated :class:`~simulator.scenario.model.Scenario` or a list of
problems at file:line:column. It knows nothing of SimPy or the drill.
"""
