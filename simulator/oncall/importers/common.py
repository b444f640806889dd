"""What every importer shares: reading an export with positions, naming, writing YAML.

Exports are JSON, which is YAML, so they are read with the located YAML reader:
an export an importer cannot understand is reported at its file, line and column.
The output is validated by the same loader as a hand-written config, so an import
either yields a config that loads or fails with a clear message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
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

ASSUMED_RESPONSE_NOTE = (
    "Response behaviour (defaults.response) is assumed, not imported: exports carry none "
    "(business: exponential ack, mean 3m, 2% missed; off-hours: lognormal, median 6m, 8% "
    "missed; sleep: lognormal, median 12m, 20% missed). Edit it to match your team."
)


@dataclass(frozen=True)
class Imported:
    """An imported config and what the import had to approximate (also in its text)."""

    text: str
    warnings: list[str] = field(default_factory=list)


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

    def opt(self, obj: Any, key: str, loc: Loc, kind: type | tuple[type, ...]) -> Any:
        """``obj[key]`` when present and not null, else None; an error if of the wrong type."""
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
            raise self.fail([*loc, key], f"'{key}' has an unexpected type ({type(value).__name__})")
        return value

    def number(
        self,
        obj: Any,
        key: str,
        loc: Loc,
        default: float | None = None,
        minimum: float = 0,
        maximum: float = 10**7,
    ) -> float:
        """A finite number in [minimum, maximum] at ``obj[key]``; ``default`` when absent.

        The generous upper bound keeps date arithmetic on absurd values from overflowing.
        """
        value = self.opt(obj, key, loc, (int, float))
        if value is None:
            if default is None:
                raise self.fail(loc, f"expected a number field '{key}' here")
            return default
        if not math.isfinite(value) or not minimum <= value <= maximum:
            raise self.fail(
                [*loc, key], f"'{key}' must be a number from {minimum:g} to {maximum:g}"
            )
        return float(value)

    def text(self, obj: Any, key: str, loc: Loc, default: str | None = None) -> str:
        """A string or number at ``obj[key]`` as text; ``default`` when absent (if given)."""
        value = self.opt(obj, key, loc, (str, int, float))
        if value is None:
            if default is None:
                raise self.fail(loc, f"expected a field '{key}' here")
            return default
        return str(value)

    def moment(self, obj: Any, key: str, loc: Loc) -> datetime:
        """The ISO 8601 date-time at ``obj[key]``."""
        value = self.get(obj, key, loc, str)
        return self.parse_moment(value, [*loc, key])

    def parse_moment(self, value: Any, loc: Loc) -> datetime:
        """An ISO 8601 date-time, or an error at ``loc``."""
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise self.fail(
                loc, f"'{value}' is not an ISO 8601 date-time", "e.g. 2026-01-05T09:00:00Z"
            ) from None
        if not 1970 <= moment.year <= 2200:
            raise self.fail(loc, f"'{value}' is outside the years 1970-2200 gameday simulates")
        return moment


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


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
        self.warnings: list[str] = []

    def warn(self, loc: Loc, message: str) -> None:
        """Record an approximation: printed at import and kept in the config's assumptions."""
        line, _ = self.x.src.position_of(loc)
        where = Path(self.x.src.file).name + (f":{line}" if line is not None else "")
        note = f"{where}: {message}"
        if note not in self.warnings:
            self.warnings.append(note)

    def add_person(self, key: str, display: str, time_zone: Any = None) -> str:
        """The config name of the user ``key``, created on first sight."""
        entry = self.people.setdefault(key, {"name": self.names.add(f"user:{key}", display)})
        if time_zone:
            entry["time_zone"] = time_zone
        return str(entry["name"])

    def read_people(self, id_field: str, name_field: str, zone_field: str) -> None:
        """Every entry of the export's ``users`` list."""
        for loc, user in self.x.items(self.x.data, "users", []):
            key = self.x.text(user, id_field, loc)
            name = self.x.text(user, name_field, loc, "") or key
            self.add_person(key, name, self.x.opt(user, zone_field, loc, str))

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
    ) -> Imported:
        """The config; without services, each policy gets a service of its name."""
        zones = [s["time_zone"] for s in schedules if "time_zone" in s]
        text = config_document(
            system,
            source,
            name=policies[0]["name"],
            time_zone=zones[0] if zones else "UTC",
            semantics=semantics,
            people=list(self.people.values()),
            schedules=schedules,
            policies=policies,
            services=services or [{"name": p["name"], "policy": p["name"]} for p in policies],
            notes=self.warnings,
        )
        return Imported(text, list(self.warnings))


def _plain(value: Any) -> Any:
    """Date-times as ISO 8601 text, which reads better than YAML timestamps and keeps 'T'."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


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
    notes: Sequence[str] = (),
) -> str:
    """The config as YAML text, checked by the real loader before it is returned.

    The approximations (``notes``) go both into the top-level ``assumptions`` list, which
    the policy-test report shows, and into the header comment, where an editor sees them.
    """
    assumptions = [ASSUMED_RESPONSE_NOTE, *notes]
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
        "assumptions": assumptions,
    }
    header = f"# Imported from {system} export {Path(source).name} by `gameday oncall import`.\n"
    header += "# Assumed or approximated (also listed under `assumptions:`):\n"
    header += "".join(f"#   - {note}\n" for note in assumptions)
    body = yaml.safe_dump(_plain(document), sort_keys=False, allow_unicode=True, width=100)
    text = header + body
    load_oncall_text(text, f"{source} (imported)")
    return text
