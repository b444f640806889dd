"""Cross-reference checks for what ``gameday/v2`` adds, and the v1 → v2 upgrade message.

A v1 file that uses a v2 key is told exactly what to change (the first line), rather
than silently getting rules it did not ask for; a v2 file's new names (revealed
mitigations, conditions, tooling hosts, custom metrics, ``after.match`` fields) must
point at things that exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from simulator.log.events import EVENT_TYPES
from simulator.log.vocabulary import fields_of
from simulator.scenario import model as m
from simulator.validation import Issue, did_you_mean

BUILT_IN_METRICS = ("error_rate", "latency_p99_ms", "saturation", "burn_rate")

_V2_FIELDS: tuple[tuple[type[BaseModel], tuple[str, ...]], ...] = (
    (m.Service, ("entry_point", "customers", "metrics")),
    (m.Impact, ("traffic", "metrics")),
    (m.Fault, ("data_loss", "customer_facing")),
    (m.Finding, ("reveals",)),
    (m._MitigationBase, ("known", "requires", "approval")),
    (m._InjectBase, ("when",)),
    (m.Scenario, ("tooling",)),
)
_UPGRADE = "change the first line to `apiVersion: gameday/v2` (v1 files play exactly as before)"


def _walk(obj: Any, path: tuple[str | int, ...]) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    yield obj, path
    if isinstance(obj, BaseModel):
        for name in obj.model_fields_set:
            info = type(obj).model_fields[name]
            yield from _walk(getattr(obj, name), (*path, info.alias or name))
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _walk(item, (*path, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk(item, (*path, key))


def _used(obj: BaseModel, name: str) -> bool:
    """Whether a field differs from its default (a dumped-and-reloaded v1 file sets all)."""
    info = type(obj).model_fields[name]
    default = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
    return bool(getattr(obj, name) != default)


def version_issues(sc: m.Scenario) -> Iterator[Issue]:
    """Each v2 key a v1 file uses, with the one-line fix."""
    if sc.v2:
        return
    for obj, path in _walk(sc, ()):
        if isinstance(obj, m.Reduces):
            yield Issue(path, "a `reduces` response needs apiVersion gameday/v2", _UPGRADE)
        if not isinstance(obj, BaseModel):
            continue
        for cls, names in _V2_FIELDS:
            if isinstance(obj, cls):
                for name in sorted(n for n in names if _used(obj, n)):
                    yield Issue((*path, name), f"`{name}` needs apiVersion gameday/v2", _UPGRADE)


def _names(
    where: Sequence[str | int], wanted: Sequence[str], known: Sequence[str], what: str
) -> Iterator[Issue]:
    for name in wanted:
        if name not in known:
            yield Issue(where, f"unknown {what} '{name}'", did_you_mean(name, known))


def _condition_issues(
    sc: m.Scenario, cond: m.Condition, where: tuple[str | int, ...]
) -> Iterator[Issue]:
    faults = [f.id for f in sc.faults]
    services = [s.name for s in sc.services]
    mitigations = [x.id for x in sc.mitigations]
    yield from _names((*where, "fixed"), cond.fixed, faults, "fault")
    yield from _names((*where, "active"), cond.active, faults, "fault")
    yield from _names((*where, "healthy"), cond.healthy, services, "service")
    yield from _names((*where, "failing"), cond.failing, services, "service")
    yield from _names((*where, "known"), cond.known, mitigations, "mitigation")


def reference_issues(sc: m.Scenario) -> Iterator[Issue]:
    """Names used by v2 keys that point at nothing; unreachable hidden mitigations."""
    services = [s.name for s in sc.services]
    mitigations = [x.id for x in sc.mitigations]
    revealed: set[str] = set()
    for i, inv in enumerate(sc.investigations):
        for j, finding in enumerate(inv.findings):
            where = ("investigations", i, "findings", j, "reveals")
            yield from _names(where, finding.reveals, mitigations, "mitigation")
            revealed.update(finding.reveals)
    for i, mit in enumerate(sc.mitigations):
        if not mit.known and mit.id not in revealed:
            yield Issue(
                ("mitigations", i, "known"),
                f"mitigation '{mit.id}' is unknown at the start and no finding reveals it",
                f"add `reveals: [{mit.id}]` to the finding that shows it, or drop `known: false`",
            )
        if mit.requires is not None:
            yield from _condition_issues(sc, mit.requires, ("mitigations", i, "requires"))
    yield from _fault_and_metric_issues(sc)
    yield from _inject_issues(sc)
    for tool in m.TOOLS:
        host = getattr(sc.tooling, tool)
        if host is not None and host not in services:
            yield Issue(
                ("tooling", tool), f"unknown service '{host}'", did_you_mean(host, services)
            )


def _fault_and_metric_issues(sc: m.Scenario) -> Iterator[Issue]:
    services = [s.name for s in sc.services]
    mitigations = [x.id for x in sc.mitigations]
    for i, fault in enumerate(sc.faults):
        if fault.data_loss is not None:
            stops: tuple[str | int, ...] = ("faults", i, "data_loss", "stopped_by")
            yield from _names(stops, fault.data_loss.stopped_by, mitigations, "mitigation")
        declared = sc.service(fault.target).metrics if fault.target in services else {}
        for key in fault.impact.metrics:
            if key not in declared:
                yield Issue(
                    ("faults", i, "impact", "metrics", key),
                    f"service '{fault.target}' declares no metric '{key}'",
                    f"add it under the service's metrics with its baseline, e.g. `{key}: 0`",
                )
    for i, rule in enumerate(sc.alerts.rules):
        if rule.metric in BUILT_IN_METRICS or rule.service not in services:
            continue
        own = list(sc.service(rule.service).metrics)
        if rule.metric not in own:
            yield Issue(
                ("alerts", "rules", i, "metric"),
                f"unknown metric '{rule.metric}' for service '{rule.service}'",
                did_you_mean(rule.metric, [*BUILT_IN_METRICS, *own]),
            )


def _inject_issues(sc: m.Scenario) -> Iterator[Issue]:
    for i, inj in enumerate(sc.injects):
        if inj.when is not None:
            yield from _condition_issues(sc, inj.when, ("injects", i, "when"))
        if inj.after is not None and inj.after.event in EVENT_TYPES:
            required, optional = fields_of(inj.after.event)
            fields = sorted(required | optional)
            for key in inj.after.match:
                if key not in fields:
                    yield Issue(
                        ("injects", i, "after", "match", key),
                        f"'{inj.after.event}' events have no field '{key}'",
                        did_you_mean(key, fields),
                    )
