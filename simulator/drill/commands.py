"""The slash-command grammar shared by scripts, the TUI input line and team play.

People type commands as they would in an incident channel::

    /rollback checkout @tech -- errors began with the 14:02 deploy

A trailing ``@NAME`` hands the task to a named person or role (the IC delegating);
text after `` -- `` is the reason, kept in the log for a blameless debrief.
Parsing checks only the grammar; the engine checks names against the scenario.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel

from simulator.durations import Duration, parse_duration
from simulator.errors import InputError
from simulator.practice import ROLES, Role
from simulator.validation import did_you_mean, validate_document
from simulator.yamlsource import read_yaml

STATUS_STATES = ("investigating", "identified", "monitoring", "resolved")
INVESTIGATION_KINDS = ("deploys", "logs", "metrics", "deps", "flags")


class CommandError(ValueError):
    """A command that does not follow the grammar; the message says what was expected."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return f"{self.message} (usage: {self.usage})" if self.usage else self.message


@dataclass(frozen=True)
class Command:
    """A parsed command: its name, normalised arguments, and who should carry it out."""

    name: str
    args: tuple[str, ...]
    text: str
    delegate: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CommandSpec:
    """How one command is written and what it does, for help and completion."""

    name: str
    usage: str
    summary: str
    parse: Callable[[list[str]], tuple[str, ...]]
    delegable: bool = True
    free_text_after: int | None = None
    """Words before free text (read as typed: apostrophes, quotes and `` -- `` kept);
    None for commands split like a shell line."""


def _arity(lo: int, hi: int | None = None) -> Callable[[list[str]], tuple[str, ...]]:
    hi = lo if hi is None else hi

    def parse(args: list[str]) -> tuple[str, ...]:
        if not lo <= len(args) <= hi:
            want = f"{lo}" if lo == hi else f"{lo} to {hi}"
            raise ValueError(f"expected {want} argument{'s' if hi != 1 else ''}, got {len(args)}")
        return tuple(args)

    return parse


def _choice(options: tuple[str, ...], arg: str, what: str) -> str:
    value = arg.lower()
    if value not in options:
        raise ValueError(f"unknown {what} '{arg}': {did_you_mean(arg, options)}")
    return value


def _sev(args: list[str]) -> tuple[str, ...]:
    _arity(1)(args)
    value = args[0].lower().removeprefix("sev")
    if value not in ("1", "2", "3", "4"):
        raise ValueError(f"severity must be 1, 2, 3 or 4 (SEV1 is the worst), got '{args[0]}'")
    return (value,)


def _assign(args: list[str]) -> tuple[str, ...]:
    if len(args) < 2:
        raise ValueError("name a role and a person")
    role = _choice(ROLES, args[0], "role")
    return role, " ".join(args[1:]).lstrip("@")


def _investigate(args: list[str]) -> tuple[str, ...]:
    if not args:
        raise ValueError("say what to look at")
    kind = args[0].lower()
    if kind in ("logs", "metrics", "deps") and len(args) != 2:
        raise ValueError(f"'{kind}' needs a service, e.g. /investigate {kind} checkout")
    if kind in ("deploys", "flags") and len(args) != 1:
        raise ValueError(f"'{kind}' takes no further arguments")
    return (kind, *args[1:])


def _flag(args: list[str]) -> tuple[str, ...]:
    _arity(2)(args)
    return args[0], _choice(("on", "off"), args[1], "flag state")


def _scale(args: list[str]) -> tuple[str, ...]:
    _arity(2)(args)
    if not args[1].isdigit() or not 1 <= int(args[1]) <= 1000:
        raise ValueError(f"replicas must be a whole number from 1 to 1000, got '{args[1]}'")
    return args[0], str(int(args[1]))


def _silence(args: list[str]) -> tuple[str, ...]:
    _arity(1, 2)(args)
    duration = parse_duration(args[1]) if len(args) == 2 else 3600.0
    if duration <= 0:
        raise ValueError("a silence must last longer than 0s")
    return args[0], str(duration)


def _status(args: list[str]) -> tuple[str, ...]:
    if len(args) < 2:
        raise ValueError("give a state and a public message in quotes")
    return _choice(STATUS_STATES, args[0], "status state"), " ".join(args[1:])


def _addressed(what: str) -> Callable[[list[str]], tuple[str, ...]]:
    def parse(args: list[str]) -> tuple[str, ...]:
        if len(args) < 2 or not args[1].strip():
            raise ValueError(f"name {what} and say something")
        return args[0].lstrip("@"), args[1].strip()

    return parse


def _ask(args: list[str]) -> tuple[str, ...]:
    role, text = _addressed("a role (ic, tech, comms, scribe)")(args)
    return _choice(ROLES, role, "role"), text


def _message(args: list[str]) -> tuple[str, ...]:
    if not args:
        raise ValueError("give a message in quotes")
    return (" ".join(args),)


SPECS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "ack",
            "/ack [ALERT]",
            "acknowledge pages (all, or one alert)",
            _arity(0, 1),
            delegable=False,
        ),
        CommandSpec(
            "sev", "/sev 1|2|3|4", "declare or change the incident severity", _sev, delegable=False
        ),
        CommandSpec(
            "assign",
            "/assign ic|tech|comms|scribe NAME",
            "give a person a role",
            _assign,
            delegable=False,
        ),
        CommandSpec(
            "investigate",
            "/investigate deploys | logs SERVICE | metrics SERVICE | deps SERVICE | flags",
            "look into something (append @NAME to ask someone)",
            _investigate,
        ),
        CommandSpec(
            "rollback", "/rollback SERVICE", "roll a service back to its last version", _arity(1)
        ),
        CommandSpec("flag", "/flag NAME on|off", "toggle a feature flag", _flag),
        CommandSpec("restart", "/restart SERVICE", "restart a service's instances", _arity(1)),
        CommandSpec("scale", "/scale SERVICE N", "scale a service to N replicas", _scale),
        CommandSpec(
            "failover", "/failover REGION", "move all traffic away from a region", _arity(1)
        ),
        CommandSpec(
            "shift-traffic", "/shift-traffic FROM TO", "shift traffic between regions", _arity(2)
        ),
        CommandSpec(
            "mitigate", "/mitigate NAME", "apply a scenario-specific mitigation", _arity(1)
        ),
        CommandSpec(
            "silence", "/silence ALERT [DURATION]", "silence an alert (default 1h)", _silence
        ),
        CommandSpec(
            "page",
            "/page PERSON|TEAM",
            "page a person or team to join",
            _arity(1, 3),
            delegable=False,
        ),
        CommandSpec(
            "status",
            '/status investigating|identified|monitoring|resolved "public message"',
            "post to the public status page",
            _status,
        ),
        CommandSpec(
            "update",
            '/update "internal stakeholder update"',
            "send stakeholders an update",
            _message,
        ),
        CommandSpec("note", '/note "..."', "record a note or decision in the timeline", _message),
        CommandSpec(
            "ask",
            "/ask ic|tech|comms|scribe TEXT",
            "ask the holder of a role (e.g. /ask ic approve failover us-east-1)",
            _ask,
            delegable=False,
            free_text_after=1,
        ),
        CommandSpec(
            "say",
            "/say TEXT (or type without the /)",
            "say something in the incident channel",
            _message,
            delegable=False,
            free_text_after=0,
        ),
        CommandSpec(
            "reply",
            "/reply NAME TEXT",
            "answer a stakeholder who asked (counts as an update for them)",
            _addressed("the stakeholder"),
            delegable=False,
            free_text_after=1,
        ),
        CommandSpec(
            "resolve",
            "/resolve",
            "resolve the incident and end the drill",
            _arity(0),
            delegable=False,
        ),
    )
}


def _split_reason(text: str) -> tuple[str, str | None]:
    body, sep, reason = text.partition(" -- ")
    return (body, reason.strip() or None) if sep else (text, None)


def parse_command(text: str) -> Command:
    """Parse one slash command; raise :class:`CommandError` saying what was expected."""
    raw = text.strip()
    if not raw.startswith("/"):
        first = raw.split(" ", 1)[0].lower()
        if not raw or (first in SPECS and " " not in raw):
            # A bare "ack" is a command with its slash forgotten, not a chat line.
            raise CommandError("commands start with '/'", f"/{first or 'help'}")
        return Command("say", (raw,), raw)
    free = _free_text(raw)
    if free is not None:
        return free
    body, reason = _split_reason(raw)
    try:
        tokens = shlex.split(body[1:])
    except ValueError as exc:
        raise CommandError(f"cannot read the command: {exc} (unbalanced quotes?)") from None
    if not tokens:
        raise CommandError("empty command", "/help lists them")
    name = tokens[0].lower()
    spec = SPECS.get(name)
    if spec is None:
        raise CommandError(f"unknown command '/{tokens[0]}': {did_you_mean(name, SPECS)}")
    args = tokens[1:]
    delegate = None
    if spec.delegable and args and args[-1].startswith("@") and len(args[-1]) > 1:
        delegate = args.pop()[1:]
    try:
        parsed = spec.parse(args)
    except ValueError as exc:
        raise CommandError(f"/{name}: {exc}", spec.usage) from None
    return Command(name, parsed, raw, delegate, reason)


def _free_text(raw: str) -> Command | None:
    """A chat-like command (``/say``, ``/ask``, ``/reply``), its text kept as typed."""
    words = raw[1:].split(None, 1)
    spec = SPECS.get(words[0].lower()) if words else None
    if spec is None or spec.free_text_after is None:
        return None
    rest = words[1] if len(words) > 1 else ""
    args = rest.split(None, spec.free_text_after) if spec.free_text_after else [rest]
    args = [a for a in args if a]
    if args and len(args[-1]) >= 2 and args[-1][0] == args[-1][-1] and args[-1][0] in "\"'":
        args[-1] = args[-1][1:-1]  # quoted as the other commands' messages are: unwrap
    try:
        parsed = spec.parse(args)
    except ValueError as exc:
        raise CommandError(f"/{spec.name}: {exc}", spec.usage) from None
    return Command(spec.name, parsed, raw)


class ScriptEntry(BaseModel):
    """One scripted command: when, what, and as whom."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )

    at: Duration
    """Simulated time at which the command is given."""
    do: str
    """The slash command, exactly as typed."""
    as_: Annotated[Role | None, Field(alias="as")] = None
    """The role giving it; the drill's trainee role when omitted."""
    why: str | None = None
    """Why it made sense at the time, for the debrief."""


class Script(RootModel[tuple[ScriptEntry, ...]]):
    """A scripted response: a YAML list of ``{at, do, as, why}``."""


@dataclass(frozen=True)
class ScriptLine:
    """A scripted command and where it is written, for messages about it."""

    entry: ScriptEntry
    file: str
    line: int | None


def load_script(path: str | Path) -> tuple[ScriptEntry, ...]:
    """Read a script file, sorted by time (stable for equal times)."""
    return tuple(line.entry for line in read_script(path))


def read_script(path: str | Path) -> tuple[ScriptLine, ...]:
    """Read a script file with each entry's position, sorted by time (stable)."""
    src = read_yaml(path)
    if not isinstance(src.data, list):
        line, column = src.position_of(())
        raise InputError.single(
            src.file,
            "a script is a YAML list of {at, do} entries",
            line=line,
            column=column,
            hint='e.g. - {at: 2m, do: "/ack"}',
        )
    entries = validate_document(Script, src, what="script", list_ok=True).root
    located = []
    for index, entry in enumerate(entries):
        line, _ = src.position_of((index,))
        located.append(ScriptLine(entry, src.file, line))
    return tuple(sorted(located, key=lambda s: s.entry.at))
