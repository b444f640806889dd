"""Modal forms, each typed by its result: a status-page post, a role assignment, help."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from simulator.drill.commands import SPECS, STATUS_STATES
from simulator.practice import COMMAND_OWNER, ROLE_JOBS, ROLE_TITLES, ROLES, may_issue
from tui.widgets.picture import IncidentPicture

STATUS_TEMPLATES: dict[str, str] = {
    "investigating": "We are investigating errors affecting {service}. Some customers may be "
    "unable to complete requests. Next update in 30 minutes.",
    "identified": "We have identified the cause of the errors affecting {service} and are "
    "applying a fix. Next update in 30 minutes.",
    "monitoring": "A fix for {service} has been applied and error rates are back to normal. "
    "We are monitoring closely.",
    "resolved": "The issue affecting {service} has been resolved. We are sorry for the "
    "disruption; a post-incident review will follow.",
}
"""Public wording people reach for under pressure; the trainee edits before posting."""


@dataclass(frozen=True)
class StatusPost:
    """A status-page post the trainee filled in."""

    state: str
    message: str

    def command(self) -> str:
        """As a slash command (the message quoted for the grammar)."""
        return f"/status {self.state} {shlex.quote(self.message)}"


@dataclass(frozen=True)
class RoleAssignment:
    """A role handed to a person."""

    role: str
    person: str

    def command(self) -> str:
        """As a slash command."""
        return f"/assign {self.role} {self.person}"


class StatusPostForm(ModalScreen[StatusPost | None]):
    """State, a template to start from, and the public message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "post", "Post", priority=True),
    ]

    def __init__(self, service: str, current_state: str | None) -> None:
        super().__init__()
        self.service = service
        order = list(STATUS_STATES)
        # Suggest the next state in the usual progression.
        index = order.index(current_state) + 1 if current_state in order else 0
        self.initial = order[min(index, len(order) - 1)]

    def compose(self) -> ComposeResult:
        """The form."""
        with Vertical(classes="form", id="status-form"):
            yield Label("Post to the public status page", classes="form-title")
            yield Label("State")
            yield Select(
                [(s, s) for s in STATUS_STATES],
                value=self.initial,
                allow_blank=False,
                id="status-state",
            )
            yield Label("Message (from the state's template; edit it)")
            yield TextArea(self._template(self.initial), soft_wrap=True, id="status-message")
            with Horizontal(classes="form-buttons"):
                yield Button("Post (ctrl+s)", variant="primary", id="post")
                yield Button("Cancel", id="cancel")

    def _template(self, state: str) -> str:
        return STATUS_TEMPLATES[state].format(service=self.service or "our service")

    @on(Select.Changed, "#status-state")
    def _state_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#status-message", TextArea).text = self._template(event.value)

    @on(Button.Pressed, "#post")
    def action_post(self) -> None:
        """Post it (ctrl+s from anywhere in the form)."""
        state = self.query_one("#status-state", Select).value
        message = " ".join(self.query_one("#status-message", TextArea).text.split())
        if isinstance(state, str) and message:
            self.dismiss(StatusPost(state, message))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without posting."""
        self.dismiss(None)


class AssignRoleForm(ModalScreen[RoleAssignment | None]):
    """Pick a role and a person."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, people: Sequence[str], roles: Mapping[str, str]) -> None:
        super().__init__()
        self.people = list(people)
        self.roles = dict(roles)

    def compose(self) -> ComposeResult:
        """The form."""
        unfilled = next((r for r in ROLES if r not in self.roles), "tech")
        with Vertical(classes="form", id="assign-form"):
            yield Label("Assign a role", classes="form-title")
            yield Label("Role")
            yield Select(
                [(f"{ROLE_TITLES[r]} (now: {self.roles.get(r, 'nobody')})", r) for r in ROLES],
                value=unfilled,
                allow_blank=False,
                id="assign-role",
            )
            yield Label("Person")
            yield Select(
                [(p, p) for p in self.people],
                value=self.people[0] if self.people else Select.NULL,
                allow_blank=not self.people,
                id="assign-person",
            )
            with Horizontal(classes="form-buttons"):
                yield Button("Assign", variant="primary", id="assign")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#assign")
    def _assign(self) -> None:
        role = self.query_one("#assign-role", Select).value
        person = self.query_one("#assign-person", Select).value
        if isinstance(role, str) and isinstance(person, str):
            self.dismiss(RoleAssignment(role, person))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without assigning."""
        self.dismiss(None)


KEYS = (
    ("F1", "this help"),
    ("F2", "pause and resume time"),
    ("F3 / F4", "slower / faster (1x 2x 5x 10x 30x)"),
    ("F5", "status-page post form"),
    ("F6", "role assignment form"),
    ("F8", "debrief (after the drill)"),
    ("ctrl+p", "command palette: every action"),
    ("/ and esc", "to and from the prompt"),
    ("a / x", "ack / silence the highlighted alert (away from the prompt)"),
    ("tab, up/down", "complete (tab again: next choice), history"),
    ("ctrl+q", "quit (the log is kept; --resume continues)"),
)


class HelpScreen(ModalScreen[None]):
    """The commands of the trainee's role, what they may ask others for, and every key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", "Close"),
    ]

    def __init__(
        self,
        role: str | None = None,
        investigations: Sequence[str] = (),
        mitigations: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.role = role
        self.investigations = investigations
        self.mitigations = mitigations

    def compose(self) -> ComposeResult:
        """Commands, what the team knows to look at and try, then keys."""
        role = self.role
        mine = Table.grid(padding=(0, 2))
        theirs = Table.grid(padding=(0, 2))
        for spec in SPECS.values():
            if role is None or may_issue(role, spec.name):
                mine.add_row(Text(spec.usage, style="bold"), Text(spec.summary, style="dim"))
            else:
                owner = COMMAND_OWNER[spec.name]
                theirs.add_row(
                    Text(f"/{spec.name}", style="bold"),
                    Text(f"the {ROLE_TITLES[owner]}'s: /ask {owner} ...", style="dim"),
                )
        mine.add_row(
            Text("... -- reason", style="bold"),
            Text("why it made sense then (kept for the debrief)", style="dim"),
        )
        keys = Table.grid(padding=(0, 2))
        for key, what in KEYS:
            keys.add_row(Text(key, style="bold cyan"), Text(what))
        title = f"{ROLE_TITLES[role]}: {ROLE_JOBS[role]}" if role else "Commands"
        with VerticalScroll(classes="form", id="help"):
            yield Label(title, classes="form-title")
            yield Label("Your commands (append @tech or @NAME to delegate)")
            yield Static(mine)
            if theirs.row_count:
                yield Label("Not your call: ask the role that owns it", classes="form-title")
                yield Static(theirs)
            if self.investigations:
                yield Label("What the team can look at (/investigate ...)", classes="form-title")
                yield Static(Text(", ".join(self.investigations)))
            if self.mitigations:
                yield Label("Levers the team knows of so far", classes="form-title")
                yield Static(Text(", ".join(self.mitigations)))
            yield Label("Keys", classes="form-title")
            yield Static(keys)
            yield Button("Close", id="close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)


class ConfirmResolve(ModalScreen[bool]):
    """Resolving ends the drill: the IC confirms, seeing whether customers still hurt."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Not yet")]

    def __init__(self, affected: Mapping[str, float]) -> None:
        super().__init__()
        self.affected = affected

    @classmethod
    def for_picture(cls, picture: IncidentPicture) -> ConfirmResolve:
        """The confirmation for what the console's dashboards show now."""
        return cls(
            {
                name: view.users_affected
                for name, view in picture.services.items()
                if view.users_affected >= 1
            }
        )

    def compose(self) -> ComposeResult:
        """What the dashboards say, and the two choices."""
        if self.affected:
            hurting = ", ".join(f"{n} ({u:.0f} users/min)" for n, u in self.affected.items())
            say = f"Customers are still affected: {hurting}."
            style = "bold red"
        else:
            say = "No customers are affected on the dashboards now."
            style = "green"
        with Vertical(classes="form", id="confirm-resolve"):
            yield Label("Resolve the incident and end the drill?", classes="form-title")
            yield Static(Text(say, style=style), id="resolve-impact")
            with Horizontal(classes="form-buttons"):
                yield Button("Resolve", variant="error", id="resolve")
                yield Button("Not yet (esc)", variant="primary", id="cancel")

    def on_mount(self) -> None:
        """The safe choice has the focus."""
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#resolve")
    def _resolve(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Back to the console; nothing is sent."""
        self.dismiss(False)
