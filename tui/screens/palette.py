"""Every console action in the command palette (ctrl+p), for those who do not type commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.widgets.commandline import Vocabulary


@runtime_checkable
class DrillActions(Protocol):
    """What the palette drives: the console's actions (the console provides them).

    The palette depends on this, not on the console screen, so the console can
    offer the palette without the two modules importing each other.
    """

    def vocabulary(self) -> Vocabulary:
        """Services, flags, mitigations and alerts the commands can name."""

    def run_command(self, text: str) -> None:
        """Run a slash command as if typed at the prompt."""

    def prefill(self, text: str) -> None:
        """Put ``text`` at the prompt for the player to finish."""

    def action_status_form(self) -> None:
        """Open the status-page form."""

    def action_assign_form(self) -> None:
        """Open the role-assignment form."""

    def action_pause(self) -> None:
        """Pause or resume the clock."""

    def action_speed(self, step: int) -> None:
        """Change the speed by ``step`` notches."""

    def action_help(self) -> None:
        """Show the commands and keys."""

    def action_debrief(self) -> None:
        """Open the debrief."""


class ConsoleCommands(Provider):
    """Drill actions as palette entries; each runs the same slash command the prompt would."""

    def _console(self) -> DrillActions | None:
        return self.screen if isinstance(self.screen, DrillActions) else None

    def _entries(self, console: DrillActions) -> Iterator[tuple[str, str, Callable[[], object]]]:
        run = console.run_command
        vocab = console.vocabulary()
        yield "Acknowledge all pages", "/ack", partial(run, "/ack")
        for sev in (1, 2, 3, 4):
            yield f"Declare SEV{sev}", f"/sev {sev}", partial(run, f"/sev {sev}")
        yield "Post a status-page update…", "form (F5)", console.action_status_form
        yield "Assign a role…", "form (F6)", console.action_assign_form
        for query in vocab.investigations:
            if "SERVICE" in query:
                for service in vocab.services:
                    text = f"/investigate {query.replace('SERVICE', service)}"
                    yield f"Investigate {text.split(' ', 1)[1]}", text, partial(run, text)
            else:
                text = f"/investigate {query}"
                yield f"Investigate {query}", text, partial(run, text)
                yield (
                    f"Ask the Technical Lead to investigate {query}",
                    f"{text} @tech",
                    partial(run, f"{text} @tech"),
                )
        # Only the levers the team knows of (generic ones, and what findings revealed):
        # every scenario mitigation here would be an answer key.
        for lever in vocab.levers:
            yield f"Apply {lever.removeprefix('/')}", lever, partial(run, lever)
        for service in vocab.services:
            yield (
                f"Scale {service}…",
                f"/scale {service} N",
                partial(console.prefill, f"/scale {service} "),
            )
        for name in vocab.alerts:
            yield f"Silence {name} for 1h", f"/silence {name}", partial(run, f"/silence {name}")
        yield "Say something in #incident…", "type without /", partial(console.prefill, "")
        yield "Ask another role…", "/ask ROLE …", partial(console.prefill, "/ask ")
        for name in vocab.stakeholders:
            first = name.split()[0]
            yield (
                f"Reply to {name}…",
                f"/reply {first} …",
                partial(console.prefill, f"/reply {first} "),
            )
        yield "Send a stakeholder update…", '/update "…"', partial(console.prefill, '/update "')
        yield "Add a note to the timeline…", '/note "…"', partial(console.prefill, '/note "')
        yield "Resolve the incident", "/resolve", partial(run, "/resolve")
        yield "Pause / resume time", "F2", console.action_pause
        yield "Faster", "F4", partial(console.action_speed, 1)
        yield "Slower", "F3", partial(console.action_speed, -1)
        yield "Help: commands and keys", "F1", console.action_help
        yield "Open the debrief", "F8", console.action_debrief

    async def discover(self) -> Hits:
        """The most common actions before anything is typed."""
        console = self._console()
        if console is None:
            return
        for title, help_text, callback in list(self._entries(console))[:12]:
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match every action."""
        console = self._console()
        if console is None:
            return
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries(console):
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
