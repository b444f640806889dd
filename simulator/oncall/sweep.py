"""Policy sweeps: the policy test over a grid of variants of one on-call config.

An SRE lead choosing escalation delays, loop counts, rotation lengths or team sizes
wants the trade-off, not one verdict: how fast pages are acknowledged (p95) against
how often each person is woken up. A sweep runs ``gameday oncall test`` for every
combination of ``--vary PATH=V1,V2,...`` and marks the Pareto front.

Each variant's test is a pure function of (variant, seed) mapped by an executor
(:mod:`simulator.executors`); a worker sends back only a few figures, never the
runs, so memory stays flat however large the grid.

Paths address the config as written, with list entries picked by ``name`` or by
position from 1, and ``*`` for every entry (see ``docs/checks-and-sweeps.md``):
``policies.payments.steps.1.delay``, ``policies.*.repeat``,
``schedules.primary.layers.weekly.turn_length``, ``schedules.primary.layers.1.size``
(people in the rotation), ``services.checkout.alerts.per_day``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from simulator.errors import InputError
from simulator.executors import Progress, RunExecutor, collect
from simulator.oncall.loader import OnCall
from simulator.oncall.model import OnCallConfig
from simulator.oncall.stats import bootstrap_mean_ci
from simulator.oncall.testrun import TrialSetup, run_test
from simulator.validation import did_you_mean

SIZE = "size"
"""A virtual field of a rotation layer: how many people take turns in it."""
Setting = tuple[str, str]
"""(path, value as typed)."""


class PathError(ValueError):
    """A --vary path that does not lead to a field of the config."""


@dataclass(frozen=True)
class Vary:
    """One ``--vary PATH=V1,V2,...``."""

    path: str
    values: tuple[str, ...]


def parse_vary(text: str) -> Vary:
    """``PATH=V1,V2,...``; InputError naming ``--vary`` when malformed."""
    path, sep, values = text.partition("=")
    items = tuple(v.strip() for v in values.split(","))
    if not sep or not path.strip() or not all(items):
        raise InputError.single(
            "--vary",
            f"'{text}' is not PATH=V1,V2,... (an empty path or value)",
            hint="e.g. --vary policies.payments.repeat=0,1,2",
        )
    return Vary(path.strip(), items)


def _pick(items: list[Any], segment: str, where: str) -> list[Any]:
    if segment == "*":
        return list(items)
    if segment.isdigit():
        position = int(segment)
        if not 1 <= position <= len(items):
            raise PathError(f"{where} has {len(items)} entries; '{segment}' counts from 1")
        return [items[position - 1]]
    named = [i for i in items if isinstance(i, dict) and i.get("name") == segment]
    if not named:
        names = [str(i.get("name")) for i in items if isinstance(i, dict) and i.get("name")]
        raise PathError(f"{where} has no entry named '{segment}' ({did_you_mean(segment, names)})")
    return named


def _nodes(data: dict[str, Any], segments: list[str]) -> list[dict[str, Any]]:
    """The mappings that ``segments`` (all but a path's last) lead to."""
    nodes: list[Any] = [data]
    where = "the config"
    for segment in segments:
        found: list[Any] = []
        for node in nodes:
            if isinstance(node, list):
                found += _pick(node, segment, where)
            elif isinstance(node, dict):
                if segment not in node:
                    raise PathError(f"{where} has no '{segment}' ({did_you_mean(segment, node)})")
                if node[segment] is None:
                    raise PathError(f"{where}.{segment} is not set in the config, so cannot vary")
                found.append(node[segment])
            else:
                raise PathError(f"{where} is a value, not a list or a mapping")
        nodes, where = found, f"{where}.{segment}" if where != "the config" else segment
    if not all(isinstance(n, dict) for n in nodes):
        raise PathError(f"{where} is a list: pick entries by name, position or *")
    return nodes


def _resize(data: dict[str, Any], layer: dict[str, Any], text: str) -> None:
    """Take the first N people of the rotation; beyond its list, add people with the
    config's default response (named after the layer)."""
    try:
        size = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number of people") from None
    if size < 1:
        raise ValueError("a rotation needs at least 1 person")
    users = list(layer["users"])
    known = {p["name"] for p in data["people"]}
    base = f"{layer.get('name') or 'rotation'}-extra"
    n = 0
    while len(users) < size:
        n += 1
        if f"{base}{n}" not in known:
            data["people"].append({"name": f"{base}{n}"})
            users.append(f"{base}{n}")
    layer["users"] = users[:size]


def apply_settings(config: OnCallConfig, settings: Sequence[Setting]) -> OnCallConfig:
    """``config`` with each (path, value) set; PathError or ValueError when one cannot be."""
    data = config.model_dump()
    for path, value in settings:
        *parents, last = path.split(".")
        for node in _nodes(data, parents):
            if last == SIZE and "users" in node:
                _resize(data, node, value)
            elif last not in node:
                raise PathError(f"no field '{last}' there ({did_you_mean(last, [*node, SIZE])})")
            elif isinstance(node[last], dict | list):
                raise PathError(f"'{last}' is a list or a mapping; vary a field inside it")
            else:
                node[last] = value
    try:
        return OnCallConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        raise ValueError(first["msg"]) from None


def check_varies(oncall: OnCall, varies: Sequence[Vary]) -> None:
    """Try every value on its own before anything runs: InputError for the first bad one."""
    paths = [v.path for v in varies]
    if len(set(paths)) != len(paths):
        raise InputError.single("--vary", "a path is varied twice; give its values once")
    for vary in varies:
        for value in vary.values:
            try:
                apply_settings(oncall.config, [(vary.path, value)])
            except PathError as err:
                raise InputError.single(
                    oncall.file,
                    f"--vary {vary.path}: {err}",
                    hint="see docs/checks-and-sweeps.md for the paths",
                ) from None
            except ValueError as err:
                raise InputError.single(
                    oncall.file,
                    f"--vary {vary.path}={value}: {err}",
                    hint="write values as in the config file, e.g. 5m, 2, 1.5",
                ) from None


def grid(varies: Sequence[Vary]) -> list[tuple[Setting, ...]]:
    """Every combination, the last --vary changing fastest."""
    return [
        tuple(zip((v.path for v in varies), combo, strict=True))
        for combo in itertools.product(*(v.values for v in varies))
    ]


@dataclass(frozen=True)
class Variant:
    """One point of the grid to test; the config is built in the worker."""

    base: OnCall
    settings: tuple[Setting, ...]
    start: float
    days: float
    runs: int


def _interval(values: Sequence[float | None], seed: int) -> dict[str, float] | None:
    ci = bootstrap_mean_ci([v for v in values if v is not None], seed)
    if ci is None:
        return None
    return {"mean": round(ci[0], 3), "low": round(ci[1], 3), "high": round(ci[2], 3)}


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def measure(variant: Variant, seed: int) -> dict[str, Any]:
    """Run the policy test of one variant and keep its headline figures (in a worker)."""
    config = apply_settings(variant.base.config, variant.settings)
    oncall = replace(variant.base, config=config)
    setup = TrialSetup(oncall, None, variant.start, variant.days, variant.runs, seed)
    s = run_test(setup, workers=1).proposed
    return {
        "settings": dict(variant.settings),
        "p95_ack": _interval(s.per_run["p95_ack"], seed),
        "sleep_pages": _interval(s.per_run["max_sleep_pages_per_week"], seed + 1),
        "incidents_per_run": _rounded(s.incidents_per_run, 2),
        "ack": {k: _rounded(v, 1) for k, v in s.ack_percentiles.items()},
        "never_acked": _rounded(s.never_acked),
        "reached_last_step": _rounded(s.reached_last_step),
        "escalations_per_incident": _rounded(s.escalations_per_incident, 3),
        "max_sleep_pages_per_week": _rounded(s.max_sleep_pages_per_week, 3),
        "fairness": _rounded(s.fairness),
    }


def pareto_front(points: Sequence[dict[str, Any]]) -> list[int]:
    """Indices of the points no other beats on both p95 ack and sleep pages (lower is
    better), ordered by sleep pages; points without acks are left out."""
    scored = [
        (i, p["p95_ack"]["mean"], p["sleep_pages"]["mean"])
        for i, p in enumerate(points)
        if p["p95_ack"] is not None and p["sleep_pages"] is not None
    ]
    front = [
        (i, a, s)
        for i, a, s in scored
        if not any(a2 <= a and s2 <= s and (a2 < a or s2 < s) for _, a2, s2 in scored)
    ]
    return [i for i, _, _ in sorted(front, key=lambda f: (f[2], f[1], f[0]))]


def run_sweep(
    oncall: OnCall,
    varies: Sequence[Vary],
    *,
    start: float,
    days: float,
    runs: int,
    seed: int,
    executor: RunExecutor,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Test every variant (the same seed for each: common random numbers) and report."""
    check_varies(oncall, varies)
    variants = [Variant(oncall, settings, start, days, runs) for settings in grid(varies)]
    results = collect(executor.map_seeds(measure, variants, [seed], progress=progress))
    points = [results[(i, seed)] for i in range(len(variants))]
    return {
        "config": oncall.config.name,
        "runs": runs,
        "days": days,
        "seed": seed,
        "start": start,
        "vary": [{"path": v.path, "values": list(v.values)} for v in varies],
        "points": points,
        "front": pareto_front(points),
    }
