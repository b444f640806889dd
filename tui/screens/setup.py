"""Before the drill: pick a scenario, choose a role, read the briefing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from simulator.durations import format_duration
from simulator.errors import InputError
from simulator.practice import ROLE_JOBS, ROLE_OBJECTIVES, ROLE_TITLES, ROLES, role_briefing
from simulator.scenario.loader import LoadedScenario, load_scenario_file
from simulator.scenario.model import DIFFICULTIES
from tui.widgets.footer import KeyFooter


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario file as the picker lists it: loaded, or the reasons it would not load."""

    path: Path
    loaded: LoadedScenario | None
    errors: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path) -> ScenarioChoice:
        """Load ``path``; a broken file becomes a choice that shows its errors."""
        try:
            return cls(path, load_scenario_file(path))
        except InputError as err:
            return cls(path, None, tuple(str(p) for p in err.problems))

    def order(self) -> tuple[int, str]:
        """Sort key: beginner scenarios first, files that do not validate last."""
        if self.loaded is None:
            return (len(DIFFICULTIES), self.path.stem)
        meta = self.loaded.scenario.metadata
        return (DIFFICULTIES.index(meta.difficulty), meta.id)

    @property
    def label(self) -> str:
        """One line for the list."""
        if self.loaded is None:
            return f"✗ {self.path.stem} (does not validate)"
        meta = self.loaded.scenario.metadata
        return f"{meta.title}  [{meta.difficulty}, {format_duration(meta.duration)}]"

    def details(self) -> str:
        """Markdown for the detail pane."""
        if self.loaded is None:
            problems = "\n".join(f"- `{p}`" for p in self.errors)
            return (
                f"## {self.path.name} does not validate\n\n{problems}\n\n"
                f"Fix the file (`gameday validate {self.path}`) and start again."
            )
        meta = self.loaded.scenario.metadata
        objectives = "\n".join(f"- {o}" for o in meta.objectives) or "- (none listed)"
        tags = ", ".join(meta.tags) or "—"
        return (
            f"## {meta.title}\n\n`{meta.id}` · **{meta.difficulty}** · "
            f"up to {format_duration(meta.duration)} · tags: {tags}\n\n"
            f"### Objectives\n\n{objectives}\n"
        )


class ScenarioPicker(Screen[LoadedScenario]):
    """The shipped scenarios (and any given on the command line) with their objectives."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "choose", "Choose", show=True)]

    def __init__(self, choices: list[ScenarioChoice]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        """List on the left, details on the right."""
        yield Label("gameday · pick a drill", classes="screen-title")
        with Horizontal(id="picker-body"):
            yield OptionList(
                *[Option(c.label, id=str(i)) for i, c in enumerate(self.choices)],
                id="scenario-list",
            )
            with VerticalScroll(id="scenario-details"):
                yield Markdown(id="scenario-info")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Highlight the first scenario."""
        listing = self.query_one(OptionList)
        listing.focus()
        if self.choices:
            listing.highlighted = 0
            self._describe(0)

    def _describe(self, index: int) -> None:
        self.query_one("#scenario-info", Markdown).update(self.choices[index].details())

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option_index)

    @on(OptionList.OptionSelected, "#scenario-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def action_choose(self) -> None:
        """Take the highlighted scenario."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self._choose(index)

    def _choose(self, index: int) -> None:
        choice = self.choices[index]
        if choice.loaded is None:
            self.notify(
                "This scenario does not validate; its errors are on the right.", severity="error"
            )
            return
        self.dismiss(choice.loaded)


ROLE_DUTIES = {
    "ic": "Run the incident: acknowledge, declare a severity, staff the roles, decide.",
    "tech": "Find what broke and fix it: investigate, propose and apply mitigations.",
    "comms": "Keep customers and stakeholders informed at a steady cadence.",
    "scribe": "Keep the timeline: notes of what was seen and decided, and why.",
}


class RoleScreen(Screen[str]):
    """Which role the trainee plays; the simulator plays the others."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        """The four roles and what each does."""
        yield Label(
            "Which role will you play? The simulator plays the others.", classes="screen-title"
        )
        yield OptionList(
            *[Option(f"{ROLE_TITLES[r]:<22} {ROLE_DUTIES[r]}", id=r) for r in ROLES], id="role-list"
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        """Incident Commander first."""
        listing = self.query_one(OptionList)
        listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected, "#role-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_back(self) -> None:
        """Back to the picker, if there was one."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


HOW_TO_PLAY = {
    "ic": "Acknowledge the page (`/ack`), declare a severity (`/sev`), hand out the roles "
    "(`/assign`, F6) and decide; `/resolve` closes the incident.",
    "tech": "The IC hands you the technical work: `/investigate` what changed, apply a "
    "reversible fix yourself, and `/ask ic approve ...` before a failover or traffic shift.",
    "comms": "Post to the status page (`/status`, F5), update stakeholders (`/update`) and "
    "answer whoever asks (`/reply NAME ...`).",
    "scribe": 'Record decisions and key moments with `/note "..."`; the IC will call some '
    "out for you.",
}
"""The first moves of each role, for the briefing."""


class BriefingScreen(Screen[bool]):
    """What the trainee knows before the pager goes off."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "start", "Start the drill")]

    def __init__(self, loaded: LoadedScenario, role: str, seed: int, trainee: str) -> None:
        super().__init__()
        self.loaded = loaded
        self.role = role
        self.seed = seed
        self.trainee = trainee

    def compose(self) -> ComposeResult:
        """Briefing, objectives, the team and how to play."""
        meta = self.loaded.scenario.metadata
        role = self.role
        # The trainee plays their role: the scenario's person for it is not in this drill.
        mates = [m for m in self.loaded.scenario.team if m.role != role]
        team = "\n".join(
            [f"- **You** ({ROLE_TITLES[role]})"]
            + [f"- {m.name} ({ROLE_TITLES.get(m.role, m.role)}, {m.team})" for m in mates]
        )
        scenario_goals = "\n".join(f"- {o}" for o in meta.objectives) or "- (none listed)"
        if role == "ic":
            objectives = scenario_goals
        else:
            mine = "\n".join(f"- {o}" for o in ROLE_OBJECTIVES[role])
            objectives = f"{mine}\n\n### What the incident team is aiming for\n\n{scenario_goals}"
        text = (
            f"# {meta.title}\n\nYou are **{self.trainee}**, playing "
            f"**{ROLE_TITLES[role]}**: {ROLE_JOBS[role]}. Seed {self.seed}: "
            "the same seed gives the same drill.\n\n"
            f"## Briefing\n\n{role_briefing(meta.briefing, role)}\n\n"
            f"## Your objectives\n\n{objectives}\n\n"
            f"## Your team (the others are simulated)\n\n{team}\n\n## How to play\n\n"
            + HOW_TO_PLAY[role]
            + " Type without a `/` to talk in the incident channel; `/ask ROLE ...` asks "
            "another role for something that is their call. `/help` (F1) lists the commands; "
            "tab completes; ctrl+p has every action. F2 pauses time, F3/F4 change speed. "
            "Append `-- reason` to a command to record why you did it."
        )
        with Vertical(id="briefing"):
            with VerticalScroll(id="briefing-text"):
                yield Markdown(text)
            yield Button("Start the drill (enter)", variant="primary", id="start")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Enter starts."""
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """The pager is on."""
        self.dismiss(True)


class ErrorScreen(Screen[None]):
    """A problem that stops the drill from starting, shown instead of a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        """The message."""
        yield Static(self.message, id="error-text")
        yield KeyFooter()
