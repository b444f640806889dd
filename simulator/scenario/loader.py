"""Find, read and validate scenario files, including their cross-references.

A scenario is checked in two passes: the models check each value's shape, then
:func:`cross_reference_issues` checks that names point at things that exist
(a fault's target service, a mitigation a fault responds to, no dependency
cycles). Both report ``file:line:column``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

import scenarios as shipped_package
from simulator.errors import InputError
from simulator.log.events import EVENT_TYPES
from simulator.scenario.checks_v2 import reference_issues, version_issues
from simulator.scenario.model import Scenario, Tooling
from simulator.validation import Issue, did_you_mean, validate_document
from simulator.yamlsource import parse_yaml, read_yaml

if TYPE_CHECKING:
    from simulator.oncall.model import OnCallConfig

SHIPPED_DIR = Path(shipped_package.__file__).parent


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and where it came from."""

    scenario: Scenario
    source: str
    content_hash: str
    oncall: OnCallConfig | None = None
    """The on-call config named by ``scenario.oncall``, loaded relative to the scenario."""


_V2_DEFAULTS: dict[str, object] = {
    "entry_point": False,
    "customers": None,
    "metrics": {},
    "traffic": 0.0,
    "data_loss": None,
    "customer_facing": None,
    "reveals": [],
    "known": True,
    "requires": None,
    "approval": None,
    "when": None,
    "tooling": Tooling().model_dump(mode="json"),
}


def _without_v2_defaults(value: object) -> object:
    """The dump as v1 knew it: v2 keys left at their defaults are not part of the meaning."""
    if isinstance(value, dict):
        return {
            k: _without_v2_defaults(v)
            for k, v in value.items()
            if not (k in _V2_DEFAULTS and v == _V2_DEFAULTS[k])
        }
    if isinstance(value, list):
        return [_without_v2_defaults(v) for v in value]
    return value


def scenario_hash(scenario: Scenario) -> str:
    """A hash of the scenario's meaning (not its formatting), to tell versions apart.

    Keys v2 added, left at their defaults, are left out: a v1 file keeps its hash, so
    its old logs still resume and replay.
    """
    dump = _without_v2_defaults(scenario.model_dump(mode="json", by_alias=True))
    canonical = json.dumps(dump, sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _service_issues(sc: Scenario) -> Iterator[Issue]:
    names = [s.name for s in sc.services]
    for i, svc in enumerate(sc.services):
        for j, dep in enumerate(svc.dependencies()):
            if dep.service not in names:
                yield Issue(
                    ("services", i, "depends_on", j),
                    f"unknown service '{dep.service}'",
                    did_you_mean(dep.service, names),
                )
            elif dep.service == svc.name:
                yield Issue(("services", i, "depends_on", j), "a service cannot depend on itself")
    cycle = _dependency_cycle(sc)
    if cycle:
        index = names.index(cycle[0])
        yield Issue(
            ("services", index, "depends_on"),
            "dependency cycle: " + " -> ".join(cycle),
            "impact propagates along dependencies, so they must not loop",
        )
    for i, flag in enumerate(sc.flags):
        if flag.service and flag.service not in names:
            yield Issue(
                ("flags", i, "service"),
                f"unknown service '{flag.service}'",
                did_you_mean(flag.service, names),
            )


def _dependency_cycle(sc: Scenario) -> list[str]:
    graph = {
        s.name: [d.service for d in s.dependencies() if d.service != s.name] for s in sc.services
    }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for name in graph:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return []


def _fault_issues(sc: Scenario) -> Iterator[Issue]:
    services = [s.name for s in sc.services]
    mitigations = [m.id for m in sc.mitigations]
    regions = sc.regions()
    injected = {inj.fault for inj in sc.injects if inj.kind == "fault"}
    for i, fault in enumerate(sc.faults):
        if fault.target not in services:
            yield Issue(
                ("faults", i, "target"),
                f"unknown service '{fault.target}'",
                did_you_mean(fault.target, services),
            )
        if fault.region and fault.region not in {r for s in sc.services for r in s.regions}:
            yield Issue(
                ("faults", i, "region"),
                f"no service runs in region '{fault.region}'",
                "list the region under a service's regions",
            )
        for mit in fault.responses:
            if mit not in mitigations:
                yield Issue(
                    ("faults", i, "responses", mit),
                    f"unknown mitigation '{mit}'",
                    did_you_mean(mit, mitigations),
                )
        if fault.start is None and fault.id not in injected:
            yield Issue(
                ("faults", i),
                f"fault '{fault.id}' has no start and no inject starts it",
                "give it a start time or add an inject of kind fault",
            )
        if fault.start is not None and fault.start >= sc.metadata.duration:
            yield Issue(("faults", i, "start"), "starts after the drill's duration limit")
    if not any(f.start is not None for f in sc.faults):
        yield Issue(("faults",), "no fault has a start time, so nothing would ever go wrong")
    del regions


def _mitigation_issues(sc: Scenario) -> Iterator[Issue]:
    services = [s.name for s in sc.services]
    flags = [f.name for f in sc.flags]
    regions = sc.regions()
    for i, mit in enumerate(sc.mitigations):
        if mit.action in ("rollback", "restart", "scale") and mit.service not in services:
            yield Issue(
                ("mitigations", i, "service"),
                f"unknown service '{mit.service}'",
                did_you_mean(mit.service, services),
            )
        if mit.action == "flag" and mit.flag not in flags:
            yield Issue(
                ("mitigations", i, "flag"),
                f"unknown feature flag '{mit.flag}'",
                did_you_mean(mit.flag, flags) + "; declare it under flags",
            )
        if mit.action == "failover" and mit.region not in regions:
            yield Issue(
                ("mitigations", i, "region"),
                f"unknown region '{mit.region}'",
                did_you_mean(mit.region, regions),
            )
        if mit.action == "shift_traffic":
            for key in ("from_region", "to_region"):
                region = getattr(mit, key)
                if region not in regions:
                    yield Issue(
                        ("mitigations", i, key),
                        f"unknown region '{region}'",
                        did_you_mean(region, regions),
                    )


def _alert_issues(sc: Scenario) -> Iterator[Issue]:
    services = [s.name for s in sc.services]
    rules = [r.name for r in sc.alerts.rules]
    for i, rule in enumerate(sc.alerts.rules):
        if rule.service not in services:
            yield Issue(
                ("alerts", "rules", i, "service"),
                f"unknown service '{rule.service}'",
                did_you_mean(rule.service, services),
            )
    for i, noise in enumerate(sc.alerts.noise):
        if noise.kind == "duplicate" and noise.of not in rules:
            yield Issue(
                ("alerts", "noise", i, "of"),
                f"unknown alert rule '{noise.of}'",
                did_you_mean(noise.of, rules),
            )
        targets = (
            noise.services
            if noise.kind == "poisson"
            else ((noise.service,) if noise.kind == "flapping" and noise.service else ())
        )
        for svc in targets:
            if svc not in services:
                yield Issue(
                    ("alerts", "noise", i), f"unknown service '{svc}'", did_you_mean(svc, services)
                )


def _other_issues(sc: Scenario) -> Iterator[Issue]:
    faults = [f.id for f in sc.faults]
    services = [s.name for s in sc.services]
    for i, inv in enumerate(sc.investigations):
        words = inv.query.split()
        if len(words) == 2 and words[0] in ("logs", "metrics", "deps") and words[1] not in services:
            yield Issue(
                ("investigations", i, "query"),
                f"unknown service '{words[1]}'",
                did_you_mean(words[1], services),
            )
        for j, finding in enumerate(inv.findings):
            if finding.while_fault and finding.while_fault not in faults:
                yield Issue(
                    ("investigations", i, "findings", j, "while_fault"),
                    f"unknown fault '{finding.while_fault}'",
                    did_you_mean(finding.while_fault, faults),
                )
    for i, inj in enumerate(sc.injects):
        if inj.at is not None and inj.at >= sc.metadata.duration:
            yield Issue(("injects", i, "at"), "happens after the drill's duration limit")
        if inj.after is not None and inj.after.event not in EVENT_TYPES:
            yield Issue(
                ("injects", i, "after", "event"),
                f"unknown event type '{inj.after.event}'",
                did_you_mean(inj.after.event, sorted(EVENT_TYPES)),
            )
        if inj.kind == "fault":
            if inj.fault not in faults:
                yield Issue(
                    ("injects", i, "fault"),
                    f"unknown fault '{inj.fault}'",
                    did_you_mean(inj.fault, faults),
                )
            elif sc.fault(inj.fault).start is not None:
                yield Issue(
                    ("injects", i, "fault"),
                    f"fault '{inj.fault}' already has a start time",
                    "remove its start or this inject",
                )
        if inj.kind == "customer_report" and inj.service and inj.service not in services:
            yield Issue(
                ("injects", i, "service"),
                f"unknown service '{inj.service}'",
                did_you_mean(inj.service, services),
            )


def cross_reference_issues(sc: Scenario) -> list[Issue]:
    """Every name in the scenario that points at nothing, and every dependency cycle."""
    return [
        *_service_issues(sc),
        *_fault_issues(sc),
        *_mitigation_issues(sc),
        *_alert_issues(sc),
        *_other_issues(sc),
        *version_issues(sc),
        *reference_issues(sc),
    ]


def parse_scenario(text: str, source: str) -> LoadedScenario:
    """Validate scenario YAML text; ``source`` names it in errors."""
    src = parse_yaml(text, source)
    scenario = validate_document(Scenario, src, what="scenario", checks=cross_reference_issues)
    return LoadedScenario(scenario, source, scenario_hash(scenario))


def load_scenario_file(path: str | Path) -> LoadedScenario:
    """Read and validate one scenario file (and the on-call config it names, if any)."""
    src = read_yaml(path)
    scenario = validate_document(Scenario, src, what="scenario", checks=cross_reference_issues)
    oncall = None
    if scenario.oncall:
        from simulator.oncall.loader import load_oncall

        oncall = load_oncall(Path(path).parent / scenario.oncall).config
    return LoadedScenario(scenario, str(path), scenario_hash(scenario), oncall)


def shipped_scenario_paths() -> list[Path]:
    """The scenario files that ship with gameday, sorted by name."""
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def resolve_scenario(ref: str) -> Path:
    """A path for ``ref``: an existing file, or the id (or file stem) of a shipped scenario."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise InputError.single(
                ref,
                "no such scenario file",
                hint="check the path, or give a shipped scenario id (see `gameday list`)",
            )
        return path
    for candidate in shipped_scenario_paths():
        if candidate.stem == ref:
            return candidate
    ids = [p.stem for p in shipped_scenario_paths()]
    raise InputError.single(
        ref,
        "no shipped scenario with this id and no such file",
        hint=did_you_mean(ref, ids) + "; `gameday list` shows them",
    )


def load_scenario(ref: str) -> LoadedScenario:
    """Load a scenario given as a path or a shipped id."""
    return load_scenario_file(resolve_scenario(ref))


def scenario_from_header(header: Mapping[str, Any], source: str = "log") -> Scenario:
    """The scenario embedded in a log header; InputError when it is missing or invalid."""
    embedded = header.get("scenario")
    if not isinstance(embedded, Mapping):
        raise InputError.single(
            source,
            "the log header embeds no scenario",
            line=1,
            hint="score it with --scenario FILE",
        )
    try:
        return Scenario.model_validate(embedded)
    except ValidationError as exc:
        raise InputError.single(
            source,
            f"the scenario embedded in the header is invalid ({exc.error_count()} error(s))",
            line=1,
            hint="score it with --scenario FILE",
        ) from None


def scenario_for_log(
    header: Mapping[str, Any], source: str, ref: str | None
) -> tuple[Scenario, list[str]]:
    """The scenario to score a log against, and warnings: the embedded one, or ``ref``.

    ``ref`` (a file or shipped id) must be the same scenario as the log's; another
    version of it is used with a warning naming both content hashes.
    """
    if ref is None:
        return scenario_from_header(header, source), []
    loaded = load_scenario(ref)
    wanted = loaded.scenario.metadata.id
    recorded = header.get("scenario_id")
    if recorded != wanted:
        raise InputError.single(
            source,
            f"the log is a drill of scenario {recorded!r}, not {wanted!r}",
            line=1,
            hint=f"drop --scenario, or give the file for {recorded!r}",
        )
    warnings = []
    if header.get("scenario_hash") != loaded.content_hash:
        warnings.append(
            f"{source}:1: the log was recorded with scenario {recorded} "
            f"{header.get('scenario_hash')}, but {loaded.source} is "
            f"{loaded.content_hash} (another version); scoring against {loaded.source}"
        )
    return loaded.scenario, warnings
