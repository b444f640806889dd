"""Continue a drill from its log, or read a finished one back for replay.

A drill is a pure function of scenario, seed and timed commands, so resuming
needs no snapshot of engine state: the logged commands are played again into a
fresh session, which regenerates the same events, and the session then carries
on live, appending to the same log. The header embeds the scenario, so resuming
does not depend on the scenario file still being where it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.log.events import Event
from simulator.log.jsonl import SessionLog, comparable_lines, read_log
from simulator.scenario.loader import scenario_from_header, scenario_hash

if TYPE_CHECKING:
    from simulator.oncall.model import OnCallConfig


def player_commands(log: SessionLog) -> list[Event]:
    """What people did, in order: players' commands (accepted or rejected, not the
    simulated teammates') and the facilitator's injects."""
    return [
        e
        for e in log.events
        if (e.type in ("command.accepted", "command.rejected") and not e.get("simulated"))
        or (e.type == "inject.applied" and e.get("by") == "facilitator")
    ]


def resume_session(log_path: str | Path) -> DrillSession:
    """A live session continuing the drill logged at ``log_path`` (which keeps growing).

    The old file is replaced by the regenerated one only once the regeneration is
    complete; if the regenerated events differ from the old ones (another gameday
    version, a hand-edited log), the old file is kept beside it as ``.before-resume``.
    """
    path = Path(log_path)
    log = read_log(path)
    if log.complete:
        raise InputError.single(
            str(path),
            "this drill already ended",
            hint="use `gameday replay` to watch it or `gameday score` to grade it",
        )
    scenario = scenario_from_header(log.header, log.path)
    header: dict[str, Any] = log.header
    tmp = path.with_name(path.name + ".resuming")
    session = DrillSession(
        scenario,
        seed=int(header.get("seed", 0)),
        role=str(header.get("role", "ic")),
        trainee=str(header.get("trainee", "trainee")),
        log_path=tmp,
        scenario_hash=str(header.get("scenario_hash") or scenario_hash(scenario)),
        humans=header.get("humans", ()),
        players=header.get("players"),
        coach=bool(header.get("coach")),
        oncall=_oncall_from_header(header),
    )
    for command in player_commands(log):
        session.advance(command.t)
        if command.type == "inject.applied":
            session.facilitate(str(command["text"]))
        else:
            session.submit(
                str(command["text"]), role=command.get("role"), reason=command.get("reason")
            )
    last_t = log.events[-1].t if log.events else 0.0
    session.advance(last_t)
    old = path.read_text(encoding="utf-8").splitlines()
    new = tmp.read_text(encoding="utf-8").splitlines()
    prefix = min(len(old), len(new))
    try:
        same = comparable_lines(old[:prefix]) == comparable_lines(new[:prefix])
    except ValueError:
        same = False
    if not same:
        os.replace(path, path.with_name(path.name + ".before-resume"))
    os.replace(tmp, path)
    if session.writer is not None:
        session.writer.path = path
    return session


def _oncall_from_header(header: dict[str, Any]) -> OnCallConfig | None:
    if not header.get("oncall"):
        return None
    from simulator.oncall.model import OnCallConfig

    return OnCallConfig.model_validate(header["oncall"])


def read_replay(log_path: str | Path) -> tuple[dict[str, Any], list[Event], SessionLog]:
    """A finished (or interrupted) drill's header and events, for replay in the console."""
    log = read_log(log_path)
    return log.header, log.events, log
