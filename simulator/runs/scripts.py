"""The responses a scenario check plays: generated ones and the scenario's own.

Generated: **idle** (nobody answers, the drill runs to its limit) and **shotgun**
(acknowledge, then pull every lever the scenario defines, one after another, with no
investigation). Shipped: ``scripts/<id>-good.yaml`` and ``scripts/<id>-poor.yaml``
beside the scenario file (the shipped scenarios keep theirs in ``scenarios/scripts/``,
installed with the package), plus any script the author names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.runs.drill import LoadedScenario, ScriptEntry, load_script, mitigation_command

SHOTGUN_GAP = 30.0
"""Seconds between two levers of the shotgun: the time to type the next command."""
EXPERT, NOVICE, IDLE, SHOTGUN = "good", "poor", "idle", "shotgun"


@dataclass(frozen=True)
class Response:
    """A scripted response under a name, and where it came from."""

    name: str
    source: str
    """A file, or ``generated``."""
    entries: tuple[ScriptEntry, ...]


def first_ack(entries: tuple[ScriptEntry, ...]) -> float | None:
    """When a script first acknowledges a page."""
    return next((e.at for e in entries if e.do.split()[:1] == ["/ack"]), None)


def shotgun(loaded: LoadedScenario, ack_at: float) -> Response:
    """Acknowledge at ``ack_at``, then every mitigation in the scenario's order."""
    scenario = loaded.scenario
    entries = [ScriptEntry(at=ack_at, do="/ack")]
    entries += [
        ScriptEntry(at=ack_at + SHOTGUN_GAP * (i + 1), do=mitigation_command(m))
        for i, m in enumerate(scenario.mitigations)
    ]
    return Response(SHOTGUN, "generated", tuple(entries))


def shipped_script(loaded: LoadedScenario, kind: str) -> Path | None:
    """``scripts/<id>-<kind>.yaml`` beside the scenario file, if it exists."""
    path = Path(loaded.source).parent / "scripts" / f"{loaded.scenario.metadata.id}-{kind}.yaml"
    return path if path.is_file() else None


def _shipped_name(path: Path) -> str:
    """A shipped script as the report names it: relative to the scenario, so a report
    reads the same on every machine."""
    return f"scripts/{path.name}"


def responses(
    loaded: LoadedScenario, extra: tuple[str, ...] = (), good: str | None = None
) -> list[Response]:
    """Every response a check plays, expert first: good (``good`` or shipped), idle,
    shotgun, the shipped poor one, then ``extra`` scripts under their file names.

    The shotgun acknowledges when the good script does (the same start as the expert,
    so only what follows differs), or at the scenario's acknowledge target without one.
    """
    out: list[Response] = []
    good_path = Path(good) if good else shipped_script(loaded, EXPERT)
    if good_path is not None:
        out.append(Response(EXPERT, good or _shipped_name(good_path), load_script(good_path)))
    ack_at = first_ack(out[0].entries) if out else None
    if ack_at is None:
        ack_at = loaded.scenario.truth.targets.acknowledge
    out.append(Response(IDLE, "generated", ()))
    out.append(shotgun(loaded, ack_at))
    poor_path = shipped_script(loaded, NOVICE)
    if poor_path is not None:
        out.append(Response(NOVICE, _shipped_name(poor_path), load_script(poor_path)))
    taken = {r.name for r in out}
    for file in extra:
        name = Path(file).stem
        if name in taken:
            name = file
        taken.add(name)
        out.append(Response(name, file, load_script(file)))
    return out
