"""The scenario format as JSON Schema, for editors (yaml-language-server) and docs/.

Generated from the pydantic models, so the schema cannot drift from what the loader
accepts; ``docs/scenario.schema.json`` is a checked-in copy a test keeps current.
"""

from __future__ import annotations

from typing import Any

from simulator.scenario.model import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://gameday.dev/schema/scenario-v1.json"


def scenario_json_schema() -> dict[str, Any]:
    """The scenario format's JSON Schema (for editors via yaml-language-server)."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = SCHEMA_ID
    schema["title"] = "gameday scenario (apiVersion gameday/v1)"
    return schema
