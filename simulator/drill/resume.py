"""Continue a drill from its log, or read a finished one back for replay.

A drill is a pure function of scenario, seed and timed commands, so resuming
needs no snapshot of engine state: the logged commands are played again into a
fresh session, which regenerates the same events, and the session then carries
on live, appending to the same log. The header embeds the scenario, so resuming
does not depend on the scenario file still being where it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.drill.session import DrillSession
from simulator.errors import InputError, Problem
from simulator.log.events import Event
from simulator.log.jsonl import SessionLog, comparable_lines, read_log
from simulator.scenario.loader import scenario_from_header, scenario_hash
from simulator.scenario.model import Scenario

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


def resume_session(
    log_path: str | Path,
    *,
    team: bool | None = None,
    notify: Callable[[str], None] = lambda _: None,
) -> DrillSession:
    """A live session continuing the drill logged at ``log_path`` (which keeps growing).

    Everything is checked before the user's file is touched: a damaged line other than
    a last line cut off mid-way, a finished drill, or a team drill resumed solo
    (``team=False``; ``team=True`` refuses a solo drill) raise an ``InputError`` and
    leave the file as it was. The regenerated log replaces the old file only once it
    is complete; if it differs from the old one (another gameday version, a
    hand-edited log), the old file is kept beside it as ``.before-resume`` and
    ``notify`` says so. ``notify`` also gets each damaged-line warning.
    """
    path = Path(log_path)
    log = read_log(path)
    _check_resumable(log, team)
    for problem in log.warnings:
        notify(f"warning: {problem}")
    scenario = scenario_from_header(log.header, log.path)
    header: dict[str, Any] = log.header
    tmp = path.with_name(path.name + ".resuming")
    try:
        session = _replay_commands(log, scenario, header, tmp)
        old = path.read_text(encoding="utf-8").splitlines()
        new = tmp.read_text(encoding="utf-8").splitlines()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    prefix = min(len(old), len(new))
    try:
        same = comparable_lines(old[:prefix]) == comparable_lines(new[:prefix])
    except ValueError:
        same = False
    if not same:
        aside = path.with_name(path.name + ".before-resume")
        os.replace(path, aside)
        notify(
            f"{path}: this gameday plays the logged commands differently (another version, "
            f"or an edited log); the original is kept as {aside}"
        )
    os.replace(tmp, path)
    if session.writer is not None:
        session.writer.path = path
    return session


def _check_resumable(log: SessionLog, team: bool | None) -> None:
    """Refuse, before anything is written, a log that cannot be continued faithfully."""
    if log.complete:
        raise InputError.single(
            log.path,
            "this drill already ended",
            hint="use `gameday replay` to watch it or `gameday score` to grade it",
        )
    # A last line cut off mid-way is what a crash leaves; the replay writes it again.
    damaged = [w for w in log.warnings if not w.message.startswith("cut off mid-line")]
    if damaged:
        raise InputError(
            [
                Problem(
                    w.file,
                    w.line,
                    None,
                    f"{w.message.removesuffix('; line skipped')}: resuming would replay a "
                    "different drill",
                    hint="`gameday score` and `gameday replay` skip damaged lines",
                )
                for w in damaged
            ]
        )
    players = log.header.get("players")
    if team is False and players:
        names = ", ".join(str(n) for n in players.values())
        raise InputError.single(
            log.path,
            f"this is a team drill ({names} played too)",
            hint=f"host it again with `gameday host --resume {log.path}`",
        )
    if team is True and not players:
        raise InputError.single(
            log.path,
            "this is a solo drill, not a team one",
            hint=f"continue it with `gameday play --resume {log.path}`",
        )


def _replay_commands(
    log: SessionLog, scenario: Scenario, header: dict[str, Any], tmp: Path
) -> DrillSession:
    """A new session that has played the logged commands and injects at their times."""
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
        wall_started=header.get("wall_started"),
        wall_speed=wall_speed(header),
    )
    for command in player_commands(log):
        session.advance(command.t)  # exact: a session only stops on whole milliseconds
        if command.type == "inject.applied":
            session.facilitate(str(command["text"]))
        else:
            session.submit(
                str(command["text"]), role=command.get("role"), reason=command.get("reason")
            )
    session.catch_up(log.events[-1].t if log.events else 0.0, len(log.events))
    return session


def wall_speed(header: dict[str, Any]) -> int | None:
    """The speed a live drill was started at (``wall_speed``), if the log says."""
    speed = header.get("wall_speed")
    # A hand-edited header must not crash the resume: anything odd is no speed at all.
    return speed if isinstance(speed, int) and not isinstance(speed, bool) and speed > 0 else None


def _oncall_from_header(header: dict[str, Any]) -> OnCallConfig | None:
    if not header.get("oncall"):
        return None
    from simulator.oncall.model import OnCallConfig

    return OnCallConfig.model_validate(header["oncall"])


def read_replay(log_path: str | Path) -> tuple[dict[str, Any], list[Event], SessionLog]:
    """A finished (or interrupted) drill's header and events, for replay in the console."""
    log = read_log(log_path)
    return log.header, log.events, log
