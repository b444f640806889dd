"""Importers: each system's documented API/export JSON → an OnCall config (YAML text).

Each importer sets ``semantics`` to its system's rules, so a simulation of the
imported config escalates as the source system would. What a system does that the
format cannot express is approximated with a warning (returned, printed by the CLI
and kept in the config's ``assumptions``) or refused with the field, the reason and
the workaround; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from simulator.errors import InputError
from simulator.oncall.importers.common import Export, Imported, read_export
from simulator.oncall.importers.goalert import import_goalert
from simulator.oncall.importers.grafana import import_grafana
from simulator.oncall.importers.opsgenie import import_opsgenie
from simulator.oncall.importers.pagerduty import import_pagerduty

SINGLE_FILE: dict[str, Callable[[Export], Imported]] = {
    "opsgenie": import_opsgenie,
    "goalert": import_goalert,
    "grafana": import_grafana,
}

SYSTEMS = ("pagerduty", "opsgenie", "goalert", "grafana", "terraform")
"""What ``gameday oncall import`` accepts."""


def import_paths(system: str, paths: Sequence[str | Path]) -> Imported:
    """Convert the export(s) at ``paths`` from ``system``; raises InputError on bad input.

    PagerDuty takes one or several API responses; Terraform takes one directory of
    ``.tf`` files; the others take one export file.
    """
    if not paths:
        raise InputError.single(system, "no file given", hint="name the export to import")
    if system == "terraform":
        if len(paths) != 1:
            raise InputError.single(str(paths[1]), "terraform takes one directory of .tf files")
        # Loaded only when used: the HCL parser is slow to import.
        from simulator.oncall.importers.terraform import import_terraform

        return import_terraform(Path(paths[0]))
    exports = [read_export(p) for p in paths]
    if system == "pagerduty":
        return import_pagerduty(exports)
    if system not in SINGLE_FILE:
        raise InputError.single(system, f"unknown system '{system}'", hint=", ".join(SYSTEMS))
    if len(exports) != 1:
        raise InputError.single(
            str(paths[1]), f"{system} takes one export file", hint="bundle the lists in one JSON"
        )
    return SINGLE_FILE[system](exports[0])


def import_file(system: str, path: str | Path) -> str:
    """The config text converted from one export (or Terraform directory)."""
    return import_paths(system, [path]).text
