"""The incident console: pager and alerts, service dashboard, channel and command line.

A thin client of the engine (or of a replayed log): a Textual interval timer
advances the feed by ``dt * speed`` (no threads, no real-time SimPy environment), the events that
come back are folded into an :class:`IncidentPicture`, and the widgets redraw
from it. Commands go to the engine as typed text; every rule lives there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.input import Selection

from simulator.log.events import Event
from tui.feed import DrillFeed
from tui.screens.clock import SPEEDS, TICK, ClockControls
from tui.screens.heap import HeapKeeper
from tui.screens.vocabulary import vocabulary_for
from tui.widgets.alerts import AlertList
from tui.widgets.channel import IncidentChannel
from tui.widgets.commandline import CommandLine, Vocabulary
from tui.widgets.dashboard import ServiceDashboard
from tui.widgets.footer import KeyFooter
from tui.widgets.header import ConsoleHeader
from tui.widgets.picture import IncidentPicture

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.screens.forms import RoleAssignment, StatusPost

PLACEHOLDERS = {
    "tech": "/investigate deploys  /rollback SERVICE  /ask ic approve …  or just type (/help)",
    "comms": '/status investigating "…"  /update "…"  /reply NAME …  or just type (/help)',
    "scribe": '/note "…"  /ask ic …  or just type to chat (/help)',
}
"""What the prompt suggests before anything is typed, for roles other than the IC."""


def _console_commands() -> type[Provider]:
    # The palette (textual.command, ~20 ms to import) loads when it is first opened.
    from tui.screens.palette import ConsoleCommands

    return ConsoleCommands


class ConsoleScreen(ClockControls, Screen[None]):
    """Where the drill is played (or replayed)."""

    COMMANDS: ClassVar = {_console_commands}
    # Focus lands once, on the prompt (a replay moves it to the alerts): each move
    # rebuilds the key bar.
    AUTO_FOCUS = "#command"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "pause", "Pause", priority=True),
        Binding("f3", "speed(-1)", "Slow", priority=True),
        Binding("f4", "speed(1)", "Fast", priority=True),
        Binding("f5", "status_form", "Status", priority=True),
        Binding("f6", "assign_form", "Assign", priority=True),
        Binding("f8", "debrief", "Debrief", priority=True),
        # Function keys only: a letter, a dash or a space typed as part of a command
        # must never pause, change the speed or act on an alert. '/' away from the
        # prompt is handled in on_key, so it lands on the prompt with what follows.
        Binding("slash", "focus_input", "Command", show=False, priority=True),
        Binding("escape", "leave_input", "Alerts", show=False),
    ]

    class DrillOver(Message):
        """The drill ended (resolved, duration limit, or the replay's last event)."""

    def __init__(
        self,
        feed: DrillFeed,
        *,
        speed: int = 1,
        clock: bool = True,
        paused: bool = False,
        fast_forward: bool = False,
    ) -> None:
        super().__init__()
        self.feed = feed
        self.fast_forward = fast_forward
        """Solo play: run at FAST_FORWARD until the first page, then at ``speed``. Only
        wall pacing changes: the engine's events depend on simulated time alone."""
        self.speed = speed if speed in SPEEDS else min(SPEEDS, key=lambda s: abs(s - speed))
        self.paused = paused
        self.clock = clock
        seat = feed.seat()
        self.picture = IncidentPicture.from_header(
            feed.header,
            reveal_truth=feed.reveal_truth,
            seat=seat,
            seated=seat is not None,
        )
        scenario = feed.header.get("scenario", {})
        self.title_text = str(scenario.get("metadata", {}).get("title", ""))
        self._over_announced = False
        self._prefilled: str | None = None
        """A task a teammate put on the prompt, until the player types over it."""
        self.heap = HeapKeeper()

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        """Header, two columns, the feedback line and the prompt."""
        yield ConsoleHeader(id="console-header")
        with Horizontal(id="console-body"):
            with Vertical(id="console-left"):
                yield AlertList(id="alerts")
                yield ServiceDashboard(id="dashboard")
            yield IncidentChannel(id="channel")
        yield Static(id="feedback")
        yield CommandLine(self.vocabulary, id="command")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show what happened so far (a resumed drill has history), then start the clock."""
        self.absorb(self.feed.take())
        self.picture.now = max(self.picture.now, self.feed.now)  # a resumed drill's clock
        self.fast_forward = self.fast_forwarding  # a resumed drill may be past its first page
        self.query_one(ServiceDashboard).show(self.picture.services.values())
        self.refresh_widgets(force=True)
        seat = self.feed.seat()
        if self.facilitating:
            self.query_one(CommandLine).placeholder = "/inject exec|customer|surge|drop|fault …"
        elif seat is not None and seat[1] in PLACEHOLDERS:
            self.query_one(CommandLine).placeholder = PLACEHOLDERS[seat[1]]
        self.query_one(AlertList).acting = self.playing
        if self.feed.read_only:
            self.query_one(CommandLine).disabled = True
            keys = (
                "ctrl+q quits."
                if self.feed.pace()
                else "F2 pauses, F3/F4 change speed, ctrl+q quits."
            )
            self.say(f"{self.feed.read_only} {keys}")
            self.query_one(AlertList).focus()
        else:
            self.say(
                self.feed.welcome
                or "Type /help for commands; tab completes, up/down recalls. "
                "Esc leaves the prompt (then a: ack, x: silence the highlighted alert)."
            )
            if self.feed.header.get("coach"):
                self.say("The coach is on: it hints, in yellow, when a usual step is late.")
        self.feed.share_clock(self.speed, self.paused)
        if self.clock:
            self.set_interval(TICK, self.tick, name="drill-clock")
        # Everything alive now (imports, Faker's data, the scenario, the widgets) lives
        # as long as the drill. Freezing it keeps the cycle collector's full passes from
        # re-scanning ~70k objects: those passes were the 30-40 ms ticks at 30x. Later
        # survivors of full passes are frozen too, within a memory budget (.heap).
        self.heap.start()

    def on_unmount(self) -> None:
        """However the app ends, the log is closed and flushed (and stays resumable)."""
        self.feed.close()
        self.heap.stop()

    def show_answers(self) -> None:
        """Replies and notices that came in on their own (team play), and who is online."""
        for reply in self.feed.answers():
            self.show_feedback(reply.message, ok=reply.accepted)
        presence = self.feed.presence()
        if presence != self.picture.presence:
            self.picture.presence = presence
            self.picture.header_changed = True
            self.refresh_widgets()

    def absorb(self, events: list[Event]) -> None:
        """Fold new events into the picture and the channel."""
        channel = self.query_one(IncidentChannel)
        seat = self.feed.seat()
        for event in events:
            self.picture.apply(event)
            if self.picture.visible(event):
                channel.post(event)
            if event.type == "task.assigned" and seat and event.get("to") == seat[0]:
                self._task_for_me(event)
        if events:
            self.picture.roles.update(self.feed.roles())
        if self.feed.ended and not self._over_announced:
            self._over_announced = True
            self.post_message(self.DrillOver())

    def _task_for_me(self, event: Event) -> None:
        """A teammate handed this player a task: say so, and put it on an empty prompt."""
        task = str(event.get("task", ""))
        prompt = self.query_one(CommandLine)
        if not prompt.value and not prompt.disabled and not self.feed.replay:
            prompt.value = task
            # Selected, so the next key typed replaces the task instead of extending it.
            prompt.selection = Selection(0, len(task))
            self._prefilled = task
            where = " (on your prompt: Enter runs it, typing replaces it)"
        else:
            where = ""
        self.show_feedback(f"{event.get('by')} asks you: {task}{where}", ok=True)

    def refresh_widgets(self, *, force: bool = False) -> None:
        """Redraw what changed."""
        pic = self.picture
        if pic.header_changed or force:
            pic.header_changed = False
            self.query_one(ConsoleHeader).show(pic, self.pace(), self.title_text)
        if pic.alerts_changed or force or pic.header_changed:
            pic.alerts_changed = False
            self.query_one(AlertList).show(pic.firing(), pic.now, len(pic.open_pages))
        if pic.metrics_changed or force:
            pic.metrics_changed = False
            self.query_one(ServiceDashboard).show(pic.services.values())

    # ------------------------------------------------------------------ commands
    def vocabulary(self) -> Vocabulary:
        """Names the prompt can complete, from the scenario and what is firing."""
        return vocabulary_for(self.feed, self.picture, facilitating=self.facilitating)

    def run_command(self, text: str) -> None:
        """Send a command to the engine and show the answer inline."""
        if text.strip().lower() in ("/help", "help", "?"):
            self.action_help()
            return
        if self.feed.ended:
            self.show_feedback("The drill is over: F8 opens the debrief.", ok=False)
            return
        if self._confirm_resolve(text):
            return
        self.send(text)

    def send(self, text: str) -> None:
        """Hand a command to the engine, as typed."""
        self._take_the_clock()  # the player acts: time runs at their speed from now on
        result = self.feed.submit(text)
        if result is None:
            self.show_feedback(self.feed.read_only or "Commands are read-only here.", ok=False)
            return
        self.show_feedback(result.message, ok=result.accepted)
        self.absorb(self.feed.take())
        self.refresh_widgets()

    def _confirm_resolve(self, text: str) -> bool:
        """``/resolve`` by someone who may resolve: ask first, showing who still hurts."""
        from simulator.drill.commands import CommandError, parse_command

        seat = self.feed.seat()
        try:
            if parse_command(text).name != "resolve" or seat is None or seat[1] != "ic":
                return False
        except CommandError:
            return False
        from tui.screens.forms import ConfirmResolve

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.send(text)
            else:
                self.show_feedback("Not resolved: the incident goes on.", ok=True)

        self.app.push_screen(ConfirmResolve.for_picture(self.picture), confirmed)
        return True

    def show_feedback(self, message: str, *, ok: bool) -> None:
        """The engine's answer under the channel: green when accepted, red with usage when not."""
        mark = "✓ " if ok else "✗ "
        self.query_one("#feedback", Static).update(
            Text(mark + message, style="green" if ok else "bold red")
        )

    def say(self, text: str) -> None:
        """A hint from the console in the channel."""
        self.query_one(IncidentChannel).say(text)

    @on(CommandLine.Submitted)
    def _submitted(self, event: CommandLine.Submitted) -> None:
        self.run_command(event.text)

    @on(AlertList.Chosen)
    def _alert_chosen(self, event: AlertList.Chosen) -> None:
        self.run_command(event.command)

    @on(DrillOver)
    def _drill_over(self) -> None:
        self.refresh_widgets(force=True)
        self.show_feedback("The drill is over. F8 opens the debrief.", ok=True)
        self.app.call_later(self.action_debrief)

    # ------------------------------------------------------------------ actions
    @property
    def playing(self) -> bool:
        """Someone plays a role here: role commands (forms, a and x) go in."""
        return self.feed.seat() is not None and not self.feed.read_only

    @property
    def facilitating(self) -> bool:
        """Nobody plays a role here, yet commands go in: the facilitator's injects."""
        return self.feed.seat() is None and not self.feed.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing here stay out of the key bar (forms when read-only, the
        clock when a host runs it)."""
        if action in ("status_form", "assign_form") and not self.playing:
            return False
        if action == "focus_input":  # on the prompt, '/' is just a character
            prompt = self.query_one(CommandLine)
            return self.focused is not prompt and not prompt.disabled
        return not (action in ("pause", "speed") and self.feed.pace() is not None)

    def action_focus_input(self) -> None:
        """'/' away from the prompt: to the prompt, the '/' included (like a chat client).

        A priority binding runs as the app takes the key, in order, and focus moves at
        once: the keys typed right behind the '/' (a burst, tmux send-keys) land on the
        prompt too, not on the alert list's a and x.
        """
        prompt = self.query_one(CommandLine)
        if not prompt.disabled:
            self.set_focus(prompt)
            if prompt.value and prompt.value == self._prefilled:  # '/' starts a new command
                prompt.value = ""
            prompt.cursor_position = len(prompt.value)
            prompt.insert_text_at_cursor("/")

    def action_leave_input(self) -> None:
        """Leave the prompt for the alert list."""
        self.query_one(AlertList).focus()

    def action_help(self) -> None:
        """The commands of this seat's role, and what the team knows to look at and try."""
        from tui.screens.forms import HelpScreen

        seat = self.feed.seat()
        vocab = self.vocabulary()
        self._show_held(HelpScreen(seat[1] if seat else None, vocab.investigations, vocab.levers))

    def action_status_form(self) -> None:
        """A form for a status-page post."""
        from tui.screens.forms import StatusPostForm

        if self.feed.read_only:
            return
        firing = [a for a in self.picture.firing() if a.severity == "page"]
        service = firing[0].service if firing else next(iter(self.picture.services), "")
        self._show_held(StatusPostForm(service, self.picture.status_state), self._form_done)

    def action_assign_form(self) -> None:
        """A form to hand a role to someone."""
        from tui.screens.forms import AssignRoleForm

        if self.feed.read_only:
            return
        self._show_held(AssignRoleForm(self.feed.people(), self.picture.roles), self._form_done)

    def _show_held(self, screen: Screen[Any], done: Callable[[Any], None] | None = None) -> None:
        """Show help or a form; in solo play the clock waits while it is open."""
        solo = self.feed.pace() is None and self.playing and not self.facilitating
        hold = solo and not self.paused
        if hold:
            self.paused = True
            self._clock_changed()

        def closed(result: Any) -> None:
            if hold:
                self.paused = False
                self._clock_changed()
            if done is not None:
                done(result)

        self.app.push_screen(screen, closed)

    def _form_done(self, filled: StatusPost | RoleAssignment | None) -> None:
        if filled is not None:
            self.run_command(filled.command())

    def prefill(self, text: str) -> None:
        """Put a command on the prompt for the trainee to finish."""
        prompt = self.query_one(CommandLine)
        prompt.value = text
        prompt.cursor_position = len(text)
        prompt.focus()

    def action_debrief(self) -> None:
        """Open the debrief: once the drill is over, or for the facilitator at any time
        (the score so far, to coach from; the drill goes on unless paused)."""
        if not self.feed.ended and not self.facilitating:
            self.show_feedback("The debrief opens when the drill ends (/resolve).", ok=False)
            return
        show = getattr(self.app, "show_debrief", None)
        if show is not None:
            show(self.feed)
