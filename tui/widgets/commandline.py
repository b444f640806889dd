"""The input line: slash commands with completion (SPECS, the scenario's names) and history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from simulator.drill.commands import INVESTIGATION_KINDS, SPECS, STATUS_STATES
from simulator.drill.facilitator import INJECT_KINDS
from simulator.practice import ROLES


@dataclass(frozen=True)
class Vocabulary:
    """The names a command may refer to in this drill."""

    services: Sequence[str] = ()
    flags: Sequence[str] = ()
    regions: Sequence[str] = ()
    mitigations: Sequence[str] = ()
    """Names ``/mitigate`` takes: the scenario's levers the team knows of."""
    investigations: Sequence[str] = ()
    """What the team knows it can look at (``runbook``, ``logs SERVICE``)."""
    levers: Sequence[str] = ()
    """Every lever the team knows of, as a command (``/flag NAME off``)."""
    stakeholders: Sequence[str] = ()
    """Stakeholders who asked, for ``/reply``."""
    people: Sequence[str] = ()
    alerts: Sequence[str] = field(default_factory=tuple)
    faults: Sequence[str] = ()
    """Faults a facilitator may start by hand (those with no start of their own)."""
    commands: Sequence[str] = ()
    """The commands offered; none given: every player command and help."""

    def arguments(self, command: str, position: int, previous: Sequence[str]) -> Sequence[str]:
        """What may follow ``/command`` at argument ``position`` (0-based)."""
        options: dict[str, list[Sequence[str]]] = {
            "ack": [self.alerts],
            "sev": [("1", "2", "3", "4")],
            "assign": [ROLES, self.people],
            "rollback": [self.services],
            "restart": [self.services],
            "scale": [self.services],
            "flag": [self.flags, ("on", "off")],
            "failover": [self.regions],
            "shift-traffic": [self.regions, self.regions],
            "mitigate": [self.mitigations],
            "silence": [self.alerts, ("30m", "1h", "2h")],
            "page": [self.people],
            "status": [STATUS_STATES],
            "ask": [ROLES, ("approve",)],
            "reply": [[n.split()[0] for n in self.stakeholders]],
        }
        if command == "inject":
            by_kind = {"customer": self.services, "drop": ROLES, "fault": self.faults}
            if position == 0:
                return INJECT_KINDS
            return by_kind.get(previous[0], ()) if position == 1 and previous else ()
        if command == "investigate":
            if position == 0:
                known = [q.split()[0] for q in self.investigations] or INVESTIGATION_KINDS
                return list(dict.fromkeys(known))
            if position == 1 and previous and previous[0] in ("logs", "metrics", "deps"):
                return self.services
            return ()
        slots = options.get(command, [])
        return slots[position] if position < len(slots) else ()


class CommandSuggester(Suggester):
    """Completes the word being typed: a command name, then that command's arguments."""

    def __init__(self, vocabulary: Callable[[], Vocabulary]) -> None:
        # Alert names change as the drill runs, so results must not be cached;
        # matching is case-insensitive but the typed case is kept.
        super().__init__(use_cache=False, case_sensitive=True)
        self.vocabulary = vocabulary

    async def get_suggestion(self, value: str) -> str | None:
        """The whole line with the current word completed, or None."""
        return complete(value, self.vocabulary())


def complete(value: str, vocabulary: Vocabulary) -> str | None:
    """Complete the last word of ``value`` (pure, for tests and the suggester)."""
    choices = completions(value, vocabulary)
    if choices is None:
        return None
    prefix, current, matches = choices
    matches = [m for m in matches if m.lower() != current.lower()]
    return prefix + current + matches[0][len(current) :] if matches else None


def completions(value: str, vocabulary: Vocabulary) -> tuple[str, str, list[str]] | None:
    """(the line before the last word, the last word, every candidate it may become)."""
    if not value.startswith("/") or " -- " in value:
        return None
    words = value[1:].split(" ")
    current = words[-1]
    if len(words) == 1:
        candidates: Sequence[str] = vocabulary.commands or [*SPECS, "help"]
        prefix = "/"
    else:
        command = words[0].lower()
        done = [w for w in words[1:-1] if w]
        if current.startswith("@"):
            candidates = [f"@{r}" for r in ROLES]
        else:
            # Names go in unquoted: the grammar joins a person's words itself.
            candidates = vocabulary.arguments(command, len(done), done)
        prefix = value[: len(value) - len(current)]
        if not current and not candidates:
            return None
    low = current.lower()
    return prefix, current, [c for c in candidates if c.lower().startswith(low)]


class CommandLine(Input):
    """A one-line command prompt; up/down walk the history, tab takes the suggestion."""

    BINDINGS = [  # noqa: RUF012 - Textual's declared class attribute
        Binding("up", "history(-1)", "Previous", show=False),
        Binding("down", "history(1)", "Next", show=False),
        Binding("tab", "complete", "Complete", show=False),
    ]

    class Submitted(Message):
        """The trainee entered a command (already added to the history)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, vocabulary: Callable[[], Vocabulary], *, id: str | None = None) -> None:
        self.vocabulary = vocabulary
        super().__init__(
            placeholder="/ack  /sev 2  /investigate deploys @tech  … (/help)",
            suggester=CommandSuggester(vocabulary),
            select_on_focus=False,  # "/" then typing must not replace what is there
            id=id,
        )
        self.history: list[str] = []
        self._cursor = 0
        self._cycle: tuple[str, list[str], int, str] | None = None
        """Tab pressed again cycles: (line before the word, choices, index, line shown)."""

    async def on_key(self, event: events.Key) -> None:
        """Enter submits here, in order with the typed characters.

        As a binding, enter would run only once the key has bubbled up to the app;
        in a burst (a paste-like ``/ack⏎/sev 2⏎`` from tmux or a fast typist) the
        characters behind it are already in this widget's queue and were inserted
        first, merging two commands into one line.
        """
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        """Send the line; empty lines are ignored."""
        text = self.value.strip()
        if not text:
            return
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._cursor = len(self.history)
        self.value = ""
        self.post_message(self.Submitted(text))

    def action_history(self, step: int) -> None:
        """Recall an earlier (or later) command."""
        if not self.history:
            return
        self._cursor = max(0, min(len(self.history), self._cursor + step))
        self.value = self.history[self._cursor] if self._cursor < len(self.history) else ""
        self.cursor_position = len(self.value)

    def action_complete(self) -> None:
        """Complete the last word now; tab again offers the next choice, round and round."""
        cycle = self._cycle
        if cycle is not None and cycle[3] == self.value and cycle[1]:
            prefix, choices, index, _ = cycle
            index = (index + 1) % len(choices)
        else:
            found = completions(self.value, self.vocabulary())
            if found is None or not found[2]:
                self._cycle = None
                return
            prefix, current, choices = found
            # The word as typed comes first when it is itself a choice: tab moves on.
            index = 1 % len(choices) if choices[0].lower() == current.lower() else 0
        self.value = prefix + choices[index]
        self.cursor_position = len(self.value)
        self._cycle = (prefix, choices, index, self.value)
