"""What every importer shares: reading an export with positions, naming, writing YAML.

Exports are JSON, which is YAML, so they are read with the located YAML reader:
an export an importer cannot understand is reported at its file, line and column.
The output is validated by the same loader as a hand-written config, so an import
either yields a config that loads or fails with a clear message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import InputError
from simulator.oncall.loader import load_oncall_text
from simulator.yamlsource import LocatedYAML, read_yaml

Loc = Sequence[str | int]

ASSUMED_RESPONSE: dict[str, Any] = {
    "business": {"ack": {"distribution": "exponential", "mean": "3m"}, "miss": 0.02},
    "off_hours": {"ack": {"distribution": "lognormal", "median": "6m", "sigma": 0.7}, "miss": 0.08},
    "sleep": {"ack": {"distribution": "lognormal", "median": "12m", "sigma": 0.8}, "miss": 0.2},
}
"""Exports carry no response behaviour; these are stated assumptions to edit."""


@dataclass(frozen=True)
class Export:
    """A parsed export and where each value came from."""

    src: LocatedYAML

    @property
    def data(self) -> Any:
        """The parsed JSON."""
        return self.src.data

    def fail(self, loc: Loc, message: str, hint: str = "") -> InputError:
        """An error positioned at ``loc`` in the export."""
        line, column = self.src.position_of(loc)
        return InputError.single(self.src.file, message, line=line, column=column, hint=hint)

    def get(self, obj: Any, key: str, loc: Loc, kind: type | tuple[type, ...] = object) -> Any:
        """``obj[key]``, or an error saying which field is missing or of the wrong type."""
        if not isinstance(obj, dict) or key not in obj:
            raise self.fail(loc, f"expected a field '{key}' here")
        value = obj[key]
        if not isinstance(value, kind):
            raise self.fail([*loc, key], f"'{key}' has an unexpected type ({type(value).__name__})")
        return value

    def items(self, obj: Any, key: str, loc: Loc) -> list[tuple[Loc, Any]]:
        """Elements of the list ``obj[key]`` (missing means empty) with their locations."""
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail([*loc, key], f"'{key}' should be a list")
        return [([*loc, key, i], item) for i, item in enumerate(value)]


def read_export(path: str | Path) -> Export:
    """Read a JSON export; syntax errors come with their position."""
    src = read_yaml(path)
    if not isinstance(src.data, dict):
        raise InputError.single(str(path), "expected a JSON object at the top level")
    return Export(src)


def slug(text: str) -> str:
    """A readable config name from a display name or email: ``Alice Smith`` → ``alice-smith``."""
    base = text.split("@")[0] if "@" in text else text
    return re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "unnamed"


class Names:
    """Unique slugs for ids, so two 'Primary' schedules do not collide."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.taken: set[str] = set()

    def add(self, key: str, display: str) -> str:
        """The slug for ``key``, made unique on first use."""
        if key not in self.by_id:
            name, n = slug(display), 2
            while name in self.taken:
                name, n = f"{slug(display)}-{n}", n + 1
            self.taken.add(name)
            self.by_id[key] = name
        return self.by_id[key]


class Importer:
    """What every importer keeps: the export, unique names, and the people met so far."""

    def __init__(self, export: Export) -> None:
        self.x = export
        self.names = Names()
        self.people: dict[str, dict[str, Any]] = {}

    def add_person(self, key: str, display: str, time_zone: Any = None) -> str:
        """The config name of the user ``key``, created on first sight."""
        entry = self.people.setdefault(key, {"name": self.names.add(f"user:{key}", display)})
        if time_zone:
            entry["time_zone"] = time_zone
        return str(entry["name"])

    def read_people(self, id_field: str, name_field: str, zone_field: str) -> None:
        """Every entry of the export's ``users`` list."""
        for loc, user in self.x.items(self.x.data, "users", []):
            key = str(self.x.get(user, id_field, loc))
            self.add_person(key, str(user.get(name_field) or key), user.get(zone_field))

    def known_person(self, key: str, loc: Loc) -> str:
        """The config name of a user the export listed; an error otherwise."""
        if key not in self.people:
            raise self.x.fail(loc, f"unknown user id '{key}'", "add it to users")
        return str(self.people[key]["name"])

    def document(
        self,
        system: str,
        source: str,
        semantics: dict[str, Any],
        schedules: list[dict[str, Any]],
        policies: list[dict[str, Any]],
        services: list[dict[str, Any]],
    ) -> str:
        """The config text; without services, each policy gets a service of its name."""
        zones = [s["time_zone"] for s in schedules if "time_zone" in s]
        return config_document(
            system,
            source,
            name=policies[0]["name"],
            time_zone=zones[0] if zones else "UTC",
            semantics=semantics,
            people=list(self.people.values()),
            schedules=schedules,
            policies=policies,
            services=services or [{"name": p["name"], "policy": p["name"]} for p in policies],
        )


def minutes(value: float) -> str:
    """A duration in minutes as config text: ``15`` → ``15m``."""
    return f"{value:g}m"


def clock(hours: int, mins: int = 0, secs: int = 0) -> str:
    """``HH:MM[:SS]`` text."""
    return f"{hours:02d}:{mins:02d}" + (f":{secs:02d}" if secs else "")


def config_document(
    system: str,
    source: str,
    *,
    name: str,
    time_zone: str,
    semantics: dict[str, Any],
    people: list[dict[str, Any]],
    schedules: list[dict[str, Any]],
    policies: list[dict[str, Any]],
    services: list[dict[str, Any]],
) -> str:
    """The config as YAML text, checked by the real loader before it is returned."""
    document = {
        "apiVersion": "gameday/v1",
        "kind": "OnCall",
        "name": name,
        "time_zone": time_zone,
        "semantics": semantics,
        "defaults": {"response": ASSUMED_RESPONSE},
        "people": people,
        "schedules": schedules,
        "policies": policies,
        "services": services,
    }
    header = (
        f"# Imported from {system} export {Path(source).name} by `gameday oncall import`.\n"
        "# Response behaviour (defaults.response) is an assumption: exports carry none.\n"
    )
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    load_oncall_text(text, f"{source} (imported)")
    return text
