"""Importers: each system's documented API/export JSON → an OnCall config (YAML text).

Each importer sets ``semantics`` to its system's rules, so a simulation of the
imported config escalates as the source system would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from simulator.oncall.importers.common import Export, read_export
from simulator.oncall.importers.goalert import import_goalert
from simulator.oncall.importers.grafana import import_grafana
from simulator.oncall.importers.opsgenie import import_opsgenie
from simulator.oncall.importers.pagerduty import import_pagerduty

IMPORTERS: dict[str, Callable[[Export, str], str]] = {
    "pagerduty": import_pagerduty,
    "opsgenie": import_opsgenie,
    "goalert": import_goalert,
    "grafana": import_grafana,
}


def import_file(system: str, path: str | Path) -> str:
    """Convert the export at ``path`` from ``system``; raises InputError on a bad export."""
    return IMPORTERS[system](read_export(path), str(path))
