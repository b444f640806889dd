"""The debrief: the scorecard with its evidence, the impact chart, and the postmortem.

Everything here is computed from the header and the events (the log is the source of truth),
so a live drill, a resumed one and a replay get the same debrief. Scoring lives in
``scoring/``; a log it cannot score still gets the run summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Markdown, TabbedContent, TabPane

from scoring import Scorecard, score_log
from scoring.chart import impact_chart_svg
from scoring.postmortem import postmortem_markdown
from simulator.durations import format_clock
from simulator.errors import InputError
from simulator.log.events import Event
from simulator.log.summary import summarize
from tui.widgets.footer import KeyFooter
from tui.widgets.impact import ImpactChart


def _clock(value: float | None) -> str:
    return format_clock(value) if value is not None else "—"


def summary_markdown(header: dict[str, Any], events: list[Event]) -> str:
    """The run summary as Markdown (the fallback when the log cannot be scored)."""
    s = summarize(header, events)
    rejected = "".join(f"\n  - {_clock(r['t'])} `{r['text']}`: {r['error']}" for r in s["rejected"])
    return (
        f"## {s['scenario']} · seed {s['seed']} · role {s['role']}\n\n"
        f"- **Ended:** {s['ended']} at {_clock(s['ended_at'])}\n"
        f"- **Impact:** began {_clock(s['impact_started_at'])}, mitigated "
        f"{_clock(s['impact_mitigated_at'])}"
        + (f" by {s['mitigated_by']}" if s["mitigated_by"] else "")
        + f", ended {_clock(s['impact_ended_at'])}\n"
        f"- **Paging:** first page {_clock(s['first_page_at'])}, first ack "
        f"{_clock(s['first_ack_at'])}, severity "
        + (f"SEV{s['severity']}" if s["severity"] else "never declared")
        + "\n"
        f"- **Alerts:** {s['alerts_fired']} fired, {s['noise_alerts']} noise, "
        f"{s['pages']} page(s)\n"
        f"- **Commands:** {s['commands_accepted']} accepted, {s['commands_rejected']} rejected"
        + rejected
        + "\n"
    )


class Debrief:
    """The debrief's documents for one drill: scored, or the bare summary if the log cannot be."""

    def __init__(self, header: dict[str, Any], events: list[Event]) -> None:
        self.header = header
        self.events = events
        self.card: Scorecard | None = None
        self.scoring_error: str | None = None
        try:
            self.card = score_log(header, events)
        except (InputError, ValueError, KeyError) as err:
            # A log scoring cannot read still gets its summary, never a traceback.
            self.scoring_error = f"This drill could not be scored: {err}"
        if self.card is not None:
            self.scorecard_md = scorecard_markdown(self.card)
            self.postmortem_md = postmortem_markdown(header, events, self.card)
        else:
            summary = summary_markdown(header, events)
            self.scorecard_md = f"*{self.scoring_error}*\n\n{summary}"
            self.postmortem_md = f"# Practice postmortem\n\n{summary}"

    def save(self, log_path: str | None) -> list[Path]:
        """Write the postmortem (and the scorecard, when scored) next to the log."""
        base = Path(log_path) if log_path else Path("gameday-logs") / "drill.jsonl"
        base.parent.mkdir(parents=True, exist_ok=True)
        stem = base.with_suffix("")
        written = [Path(f"{stem}.postmortem.md")]
        written[0].write_text(self.postmortem_md, encoding="utf-8")
        if self.card is not None:
            card_path = Path(f"{stem}.scorecard.json")
            card_path.write_text(json.dumps(self.card.to_json(), indent=2), encoding="utf-8")
            written.append(card_path)
        chart_path = Path(f"{stem}.impact.svg")
        chart_path.write_text(impact_chart_svg(self.events), encoding="utf-8")
        written.append(chart_path)
        return written


def scorecard_markdown(card: Scorecard) -> str:
    """The scorecard with every rating's evidence, what went well and what to practise."""
    lines = [f"# {card.role_title}: {card.overall_rating} · {card.overall_percent:.0f}%", ""]
    for dim in card.dimensions:
        lines += [f"## {dim.title}: {dim.rating} ({dim.percent:.0f}%)", "", f"*{dim.why}*", ""]
        for ev in dim.evidence:
            mark = "✓" if ev.good else "✗"
            lines.append(f"- {mark} `{format_clock(ev.t)}` {ev.text}")
        if dim.went_well:
            lines += ["", "**Went well**", "", *(f"- {w}" for w in dim.went_well)]
        if dim.to_practise:
            lines += ["", "**To practise**", "", *(f"- {p}" for p in dim.to_practise)]
        lines.append("")
    return "\n".join(lines)


class DebriefScreen(Screen[None]):
    """Tabs for the scorecard, the impact chart and the postmortem; ctrl+s saves.

    No letter keys: the debrief opens on its own when the drill ends, often while the
    player is still typing a command, and a typed ``s`` saved the postmortem.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save postmortem"),
        Binding("escape", "back", "Back to console"),
        Binding("1", "tab('scorecard')", "Scorecard", show=False),
        Binding("2", "tab('impact')", "Impact", show=False),
        Binding("3", "tab('postmortem')", "Postmortem", show=False),
    ]

    def __init__(self, header: dict[str, Any], events: list[Event], log_path: str | None) -> None:
        super().__init__()
        self.debrief = Debrief(header, events)
        self.log_path = log_path
        self.saved: list[Path] = []

    def compose(self) -> ComposeResult:
        """Three tabs."""
        title = self.debrief.header.get("scenario", {}).get("metadata", {}).get("title", "")
        yield Label(f"Debrief · {title}", classes="screen-title")
        with TabbedContent(id="debrief-tabs", initial="scorecard"):
            with TabPane("Scorecard", id="scorecard"), VerticalScroll():
                yield Markdown(self.debrief.scorecard_md, id="scorecard-md")
            with TabPane("Impact", id="impact"), VerticalScroll():
                yield ImpactChart(self.debrief.events, id="impact-chart")
            with TabPane("Postmortem", id="postmortem"), VerticalScroll():
                yield Markdown(self.debrief.postmortem_md, id="postmortem-md")
        yield Label(self._where(), id="debrief-status")
        yield KeyFooter()

    def _where(self) -> str:
        log = self.log_path or "(no log file)"
        return f"log: {log} · ctrl+s saves the postmortem next to it · 1/2/3 switch tabs"

    def action_tab(self, tab: str) -> None:
        """Switch tab by number."""
        self.query_one(TabbedContent).active = tab

    def on_mount(self) -> None:
        """PageDown scrolls the scorecard at once, without a Tab first."""
        self._focus_active()

    def _focus_active(self) -> None:
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        if pane is not None:
            scroller = pane.query_one(VerticalScroll)
            scroller.focus()
            # A chart laid out while its tab was hidden has no size: lay it out again.
            scroller.refresh(layout=True)
            for chart in pane.query(ImpactChart):
                chart.refresh(layout=True)

    def action_save(self) -> None:
        """Write the postmortem (and scorecard) beside the log; once is enough."""
        if self.saved:
            self.notify("already saved")
            return
        self.saved = self.debrief.save(self.log_path)
        names = ", ".join(str(p) for p in self.saved)
        self.query_one("#debrief-status", Label).update(f"saved {names}")
        self.notify(f"saved {names}")

    @on(TabbedContent.TabActivated)
    def _tab(self) -> None:
        self.query_one("#debrief-status", Label).update(self._where())
        self.call_after_refresh(self._focus_active)

    def action_back(self) -> None:
        """Look at the console again (the drill stays over)."""
        self.app.pop_screen()
