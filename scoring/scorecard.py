"""The scorecard: six dimensions rated P/S/M/U, each with the evidence behind it.

Ratings follow FEMA's HSEEP exercise-evaluation scale with a published tabletop
banding (P 80-100%, S 66-79%, M 50-65%, U 0-49%). The card is meant as a debrief,
not a grade: every dimension lists what went well and what to practise, each
tied to log events by their ``t`` and ``seq`` so a facilitator can point at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.metrics import Metrics
from simulator.durations import format_clock, format_duration
from simulator.practice import ROLE_TITLES

RATING_NAMES = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
RATING_MEANINGS = {
    "P": "P (80-100%): performed without challenges: the objective was met with no issue "
    "worth a debrief.",
    "S": "S (66-79%): performed with some challenges: met, with a few steps late or missing.",
    "M": "M (50-65%): performed with major challenges: met only in part, or a logged negative "
    "event (a harmful action, hands-on command, a real alert silenced, an early resolve) "
    "hurt the response.",
    "U": "U (0-49%): unable to be performed: the objective was not met.",
}
"""What each rating means (FEMA HSEEP), shown in the debrief beside every rating."""
CAP_PERCENT = 65.0
"""A dimension with a logged negative event is capped here: the top of the M band."""


def rating_for(percent: float) -> str:
    """The P/S/M/U rating for a percentage (bands 80 / 66 / 50)."""
    if percent >= 80.0:
        return "P"
    if percent >= 66.0:
        return "S"
    if percent >= 50.0:
        return "M"
    return "U"


@dataclass(frozen=True)
class Evidence:
    """One log event behind a rating: when, which line, what it shows, good or not."""

    t: float
    seq: int
    text: str
    good: bool

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"t": self.t, "seq": self.seq, "text": self.text, "good": self.good}

    def __str__(self) -> str:
        mark = "+" if self.good else "-"
        return f"{mark} {format_clock(self.t)} #{self.seq} {self.text}"


@dataclass(frozen=True)
class DimensionScore:
    """One rubric dimension: its rating, percentage, weight and the evidence."""

    key: str
    title: str
    rating: str
    percent: float
    weight: float
    evidence: tuple[Evidence, ...]
    went_well: tuple[str, ...]
    to_practise: tuple[str, ...]
    capped: bool
    """A logged negative event held this dimension at M or below."""

    @property
    def why(self) -> str:
        """Why this rating: its band, what held it there, and the first thing to practise."""
        text = f"{self.rating}: {self.percent:.0f}% is in the {RATING_MEANINGS[self.rating]}"
        if self.capped:
            text += " Capped at M by a logged negative event (see the evidence marked -)."
        if self.to_practise:
            text += f" Held back by: {self.to_practise[0]}"
        return text

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "key": self.key,
            "why": self.why,
            "title": self.title,
            "rating": self.rating,
            "percent": self.percent,
            "weight": self.weight,
            "capped": self.capped,
            "went_well": list(self.went_well),
            "to_practise": list(self.to_practise),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Scorecard:
    """A scored drill: an overall rating, six dimensions, the metrics, and any warnings."""

    overall_rating: str
    overall_percent: float
    dimensions: tuple[DimensionScore, ...]
    metrics: Metrics
    warnings: tuple[str, ...]
    scenario_id: str = ""
    scenario_title: str = ""
    seed: Any = None
    role: str = "ic"
    """The role this card rates: ``ic``, ``tech``, ``comms``, ``scribe``, or ``team``."""
    player: str = ""
    """Who held that role (empty for the team card)."""

    @property
    def role_title(self) -> str:
        """The role as people say it."""
        return "Team" if self.role == "team" else ROLE_TITLES.get(self.role, self.role)

    def dimension(self, key: str) -> DimensionScore:
        """The dimension with this key (``mobilize``, ``command``, ...)."""
        return next(d for d in self.dimensions if d.key == key)

    def to_json(self) -> dict[str, Any]:
        """The card as JSON (for CI or a spreadsheet); stable key order and rounding."""
        return {
            "scenario": self.scenario_id,
            "seed": self.seed,
            "role": self.role,
            "role_title": self.role_title,
            "player": self.player,
            "ratings": dict(RATING_MEANINGS),
            "overall": {"rating": self.overall_rating, "percent": self.overall_percent},
            "dimensions": [d.to_json() for d in self.dimensions],
            "metrics": self.metrics.to_json(),
            "warnings": list(self.warnings),
        }

    def to_text(self) -> str:
        """The card as a readable debrief for the terminal."""
        lines = [
            f"Scorecard: {self.scenario_title or self.scenario_id} (seed {self.seed})",
            f"Role: {self.role_title}" + (f" ({self.player})" if self.player else ""),
            f"Overall: {self.overall_rating} {self.overall_percent:.0f}%  "
            f"({RATING_NAMES[self.overall_rating]})",
            "",
            *metric_lines(self.metrics),
        ]
        for dim in self.dimensions:
            cap = "  [capped at M by a logged negative event]" if dim.capped else ""
            lines += [
                "",
                f"{dim.rating} {dim.percent:5.1f}%  {dim.title} (weight {dim.weight:g})" + cap,
            ]
            lines.append(f"  why: {dim.why}")
            lines += [f"  went well: {text}" for text in dim.went_well]
            lines += [f"  practise:  {text}" for text in dim.to_practise]
            lines += [f"    {ev}" for ev in dim.evidence]
        if self.warnings:
            lines += ["", *(f"warning: {w}" for w in self.warnings)]
        return "\n".join(lines)


def duration_or_never(seconds: float | None) -> str:
    """``4m30s``, or ``never`` for a metric whose events did not happen."""
    return "never" if seconds is None else format_duration(seconds)


def metric_lines(m: Metrics) -> list[str]:
    """The headline metrics, one per line."""
    budget = "; ".join(
        f"{s.service} {s.budget_consumed:.1%}"
        for s in m.services
        if s.budget_consumed is not None and s.failed_requests >= 1
    )
    severities = ", ".join(f"SEV{sev} {format_duration(sec)}" for sev, sec in m.time_at_severity)
    return [
        f"  time to detect {duration_or_never(m.time_to_detect)}, acknowledge "
        f"{duration_or_never(m.time_to_acknowledge)}, declare "
        f"{duration_or_never(m.time_to_declare)}",
        f"  time to mitigate {duration_or_never(m.time_to_mitigate)}, restore "
        f"{duration_or_never(m.time_to_restore)}; incident duration "
        f"{duration_or_never(m.incident_duration)}",
        f"  time at severity: {severities or 'never declared'}",
        f"  customer impact at the entry points ({', '.join(s.service for s in m.services)}): "
        f"{m.user_minutes:,.0f} user-minutes, {m.failed_requests:,.0f} requests failed"
        + (f", {m.degraded_user_minutes:,.0f} user-minutes slow" if m.degraded_user_minutes else "")
        + (f", {m.requests_lost:,.0f} requests lost" if m.requests_lost else "")
        + "".join(f", {v:,.0f} {unit} of data lost" for unit, v in sorted(m.data_lost().items()))
        + f"; error budget consumed: {budget or 'none'}",
        f"  noise: {m.noise.noise_alerts} noise alerts, {m.noise.noise_pages} noise pages, "
        f"{len(m.noise.noise_silenced)} noise silences, "
        f"{len(m.noise.red_herring_investigations)} red-herring investigations",
        *(
            [f"  coach hints: {len(m.coach_hints)} ({', '.join(m.coach_hints)})"]
            if m.coach_hints
            else []
        ),
    ]
