"""The session log: JSON Lines, one event per line, flushed as the drill runs.

The first line is a header (format version, scenario id, content hash and the
whole validated scenario, seed, role, gameday version). Embedding the scenario
means any old log can be re-scored or resumed without hunting for the file it
came from. Wall-clock values live only in fields whose names contain ``wall``;
everything else is a pure function of scenario, seed and commands.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from simulator.errors import InputError, Problem
from simulator.log.events import EVENT_TYPES, LOG_FORMAT, Event
from simulator.log.vocabulary import payload_problem


def encode(obj: dict[str, Any]) -> str:
    """One compact, key-order-preserving JSON line (no trailing newline)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


class LogWriter:
    """Appends events to a JSONL file and flushes each line, so a crash loses nothing."""

    def __init__(self, path: str | Path, header: dict[str, Any], *, fsync: bool = False) -> None:
        self.path = Path(path)
        self._fsync = fsync
        try:
            self._file: IO[str] = self.path.open("w", encoding="utf-8")
        except OSError as exc:
            raise InputError.single(str(path), f"cannot write the log: {exc.strerror}") from None
        self._write_line(encode({"type": "header", **header}))

    def _write_line(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())

    def write(self, event: Event) -> None:
        """Append one event."""
        self._write_line(encode(event.to_json()))

    def close(self) -> None:
        """Close the file (idempotent)."""
        if not self._file.closed:
            self._file.close()


@dataclass
class SessionLog:
    """A log read back: its header, its events in order, and what was wrong with it."""

    path: str
    header: dict[str, Any]
    events: list[Event]
    warnings: list[Problem] = field(default_factory=list)

    def of_type(self, *types: str) -> list[Event]:
        """The events of the given types, in log order."""
        return [e for e in self.events if e.type in types]

    @property
    def complete(self) -> bool:
        """Whether the drill reached its end (a ``drill.ended`` event is present)."""
        return any(e.type == "drill.ended" for e in self.events)


def _parse_event(obj: Any, path: str, number: int) -> tuple[Event | None, Problem | None]:
    """An event from one decoded line, or the reason the line is skipped."""

    def skip(reason: str) -> tuple[None, Problem]:
        return None, Problem(path, number, None, f"{reason}; line skipped")

    if not isinstance(obj, dict):
        return skip("expected a JSON object")
    if missing := [k for k in ("seq", "t", "type") if k not in obj]:
        return skip(f"event without {', '.join(missing)}")
    seq, t, type_ = obj["seq"], obj["t"], obj["type"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        return skip(f"seq should be a whole number from 1, not {json.dumps(seq)[:40]}")
    if not isinstance(t, int | float) or isinstance(t, bool) or not 0 <= t < float("inf"):
        return skip(f"t should be a number of seconds from 0, not {json.dumps(t)[:40]}")
    if not isinstance(type_, str) or type_ not in EVENT_TYPES:
        return skip(f"unknown event type {json.dumps(type_)[:60]}")
    data = {k: v for k, v in obj.items() if k not in ("seq", "t", "type")}
    if problem := payload_problem(type_, data, allow_unknown=True):
        return skip(problem)
    return Event(seq, float(t), type_, data), None


def read_log(path: str | Path) -> SessionLog:
    """Read a session log as far as it is readable.

    A missing header is an error (nothing can be scored without knowing the
    scenario). A line cut off mid-way, a garbage line or an event out of order is
    skipped with a warning naming its line, so a crashed drill can still be scored.
    """
    name = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError.single(name, "no such log file", hint="check the path") from None
    except UnicodeDecodeError:
        raise InputError.single(name, "not a gameday log (not UTF-8 text)") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror}") from None
    if not lines:
        raise InputError.single(name, "the log is empty", hint="was the drill started?")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("type") != "header":
        raise InputError.single(
            name,
            "the first line is not a gameday log header",
            line=1,
            hint='a session log starts with {"type":"header",...}',
        )
    if header.get("format") != LOG_FORMAT:
        raise InputError.single(
            name,
            f"unsupported log format {header.get('format')!r}",
            line=1,
            hint=f"this gameday reads {LOG_FORMAT}",
        )
    return _read_events(name, header, lines)


def _read_events(name: str, header: dict[str, Any], lines: list[str]) -> SessionLog:
    events: list[Event] = []
    warnings: list[Problem] = []
    last_t, last_seq = 0.0, 0
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            cut = number == len(lines)
            reason = "cut off mid-line (the drill stopped while writing)" if cut else "not JSON"
            warnings.append(Problem(name, number, None, f"{reason}; line skipped"))
            continue
        event, problem = _parse_event(obj, name, number)
        if problem:
            warnings.append(problem)
            continue
        assert event is not None
        if event.t < last_t or event.seq <= last_seq:
            warnings.append(
                Problem(
                    name,
                    number,
                    None,
                    f"event seq {event.seq} at t={event.t} is out of order; line skipped",
                )
            )
            continue
        last_t, last_seq = event.t, event.seq
        events.append(event)
    return SessionLog(name, header, events, warnings)


def comparable_lines(lines: Iterable[str]) -> list[str]:
    """Log lines with every ``*wall*`` field removed: what determinism promises is equal."""
    out = []
    for line in lines:
        obj = json.loads(line)
        out.append(encode({k: v for k, v in obj.items() if "wall" not in k}))
    return out
