"""The on-call config format (``apiVersion: gameday/v1``, ``kind: OnCall``).

People, schedules, escalation policies and services, as frozen pydantic models.
Real paging systems disagree on details (how an escalation delay is counted, what
an empty step does), so the config names the semantics it follows in
:class:`Semantics` and every importer sets them to match its source system.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.durations import Duration
from simulator.fielddocs import describe_fields

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def parse_clock(value: object) -> time:
    """``"08:00"`` or ``"22:30:15"`` → a time of day; raises ValueError otherwise."""
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 86400:
        # YAML 1.1 reads an unquoted 08:00 as 480 (base 60) and 08:00:00 as 28800.
        seconds = value * 60 if value < 1440 else value
        return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if not isinstance(value, str) or not (match := _CLOCK.match(value.strip())):
        raise ValueError(f"{value!r} is not a time of day: write it like 08:00 or 22:30")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


class Strict(BaseModel):
    """Base for every on-call model: immutable, unknown fields rejected, field docs kept."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=describe_fields)


class ExponentialAck(Strict):
    """Acknowledgement time drawn from an exponential distribution (memoryless responder)."""

    distribution: Literal["exponential"]
    """Kind of distribution."""
    mean: Duration = Field(gt=0)
    """Mean time from page to acknowledgement, e.g. ``3m``."""


class LognormalAck(Strict):
    """Acknowledgement time drawn from a log-normal distribution (long right tail)."""

    distribution: Literal["lognormal"]
    """Kind of distribution."""
    median: Duration = Field(gt=0)
    """Median time to acknowledge, e.g. ``4m``."""
    sigma: float = Field(default=0.6, gt=0, le=5)
    """Spread of the underlying normal; 0.5-1.0 is typical for people paged at night."""


class FixedAck(Strict):
    """Acknowledgement after a fixed time: deterministic, for exact tests and dry runs."""

    distribution: Literal["fixed"]
    """Kind of distribution."""
    after: Duration
    """Time from page to acknowledgement, e.g. ``2m``."""


AckDistribution = Annotated[
    ExponentialAck | LognormalAck | FixedAck, Field(discriminator="distribution")
]


class PeriodResponse(Strict):
    """How a person responds to a page during one period of their day."""

    ack: AckDistribution
    """Distribution of the time from page to acknowledgement."""
    miss: float = Field(default=0.0, ge=0, le=1)
    """Chance that a page goes unnoticed (never acknowledged by this person), e.g. ``0.05``."""


class ResponseBehaviour(Strict):
    """A responder's behaviour by period, in their own time zone.

    Periods follow PagerDuty Analytics: business hours Mon-Fri 08:00-18:00; sleep
    22:00-08:00 every day; off-hours is the rest (weekday evenings, weekend days).
    """

    business: PeriodResponse
    """Mon-Fri 08:00-18:00 local time."""
    off_hours: PeriodResponse
    """Mon-Fri 18:00-22:00 and weekend days 08:00-22:00 local time."""
    sleep: PeriodResponse
    """22:00-08:00 local time, every day."""


class Person(Strict):
    """Someone who can be paged."""

    name: str = Field(min_length=1)
    """Unique name used by schedules and policies, e.g. ``alice``."""
    time_zone: str | None = None
    """IANA zone the person lives in, e.g. ``Europe/Berlin``; defaults to the config's zone."""
    response: ResponseBehaviour | None = None
    """How this person responds; defaults to ``defaults.response``."""


class Restriction(Strict):
    """A window of time a layer is active, in the schedule's time zone.

    ``daily``: every day listed in ``days`` from ``start`` for ``duration``.
    ``weekly``: once a week from ``start_day`` at ``start`` for ``duration``.
    A window may run past midnight (``start: "22:00"``, ``duration: 10h``).
    """

    type: Literal["daily", "weekly"]
    """``daily`` (repeats each listed day) or ``weekly`` (one window a week)."""
    start: Annotated[time, Field(json_schema_extra={"type": "string", "example": "08:00"})]
    """Local time of day the window opens, e.g. ``"08:00"`` (quote it in YAML)."""
    duration: Duration = Field(gt=0)
    """How long the window lasts, e.g. ``10h``; up to 1d for daily, 1w for weekly."""
    days: list[Weekday] | None = None
    """Daily only: the weekdays on which the window opens, e.g. ``[mon, tue, wed, thu, fri]``."""
    start_day: Weekday | None = None
    """Weekly only: the weekday the window opens, e.g. ``mon``."""

    @field_validator("start", mode="before")
    @classmethod
    def _clock(cls, value: object) -> time:
        return parse_clock(value)

    @model_validator(mode="after")
    def _shape(self) -> Restriction:
        if self.type == "daily":
            if self.start_day is not None:
                raise ValueError("start_day is for weekly restrictions; use days for daily ones")
            if self.duration > 86400:
                raise ValueError("a daily restriction lasts at most 1d")
        else:
            if self.start_day is None:
                raise ValueError("a weekly restriction needs start_day (e.g. mon)")
            if self.days is not None:
                raise ValueError("days is for daily restrictions; use start_day for weekly ones")
            if self.duration > 7 * 86400:
                raise ValueError("a weekly restriction lasts at most 1w")
        return self


class Layer(Strict):
    """One rotation: people taking turns of a fixed length from an anchor time."""

    name: str = ""
    """Optional label shown in reports, e.g. ``weekly``."""
    users: list[str]
    """People in rotation order; the turn at the anchor belongs to the first."""
    rotation_virtual_start: datetime
    """Anchor: when the first user's turn starts (with offset, or in the schedule's zone)."""
    turn_length: Duration = Field(gt=0)
    """Length of one turn, e.g. ``1w``, ``12h``."""
    handoff: Literal["wall_clock", "elapsed"] = "wall_clock"
    """``wall_clock``: handoffs keep their local time across DST (PagerDuty, GoAlert);
    ``elapsed``: turns are exact elapsed seconds, so local handoff times drift."""
    start: datetime | None = None
    """When the layer takes effect; none means since the anchor."""
    end: datetime | None = None
    """When the layer stops; none means no end."""
    restrictions: list[Restriction] = []
    """Windows the layer is active in; none means always."""


class Override(Strict):
    """Someone covering a schedule for a while; overrides win over every layer."""

    user: str
    """Who is on call instead, e.g. ``carol``."""
    start: datetime
    """Start of the override, e.g. ``2026-12-24T18:00:00+01:00``."""
    end: datetime
    """End of the override (exclusive)."""

    @model_validator(mode="after")
    def _order(self) -> Override:
        if self.end <= self.start:
            raise ValueError("an override must end after it starts")
        return self


class Schedule(Strict):
    """Who is on call when: layers of rotations plus overrides."""

    name: str = Field(min_length=1)
    """Unique name used by policies, e.g. ``primary``."""
    time_zone: str | None = None
    """IANA zone for anchors, restrictions and handoffs; defaults to the config's zone."""
    precedence: Literal["last_layer_wins", "all_on_call"] = "last_layer_wins"
    """``last_layer_wins``: where layers overlap the last listed one decides (PagerDuty);
    ``all_on_call``: everyone active in any layer is on call (Opsgenie, GoAlert)."""
    layers: list[Layer]
    """Rotations, lowest precedence first."""
    overrides: list[Override] = []
    """Temporary replacements; they must not overlap each other."""


class Target(Strict):
    """Whom a step notifies: exactly one of a person or a schedule."""

    user: str | None = None
    """A person by name, e.g. ``alice``."""
    schedule: str | None = None
    """A schedule by name: whoever is on call in it when the step is reached."""

    @model_validator(mode="after")
    def _one(self) -> Target:
        if (self.user is None) == (self.schedule is None):
            raise ValueError("a target names exactly one of user or schedule")
        return self


class Step(Strict):
    """One escalation step (a PagerDuty rule, an Opsgenie rule, a GoAlert step)."""

    targets: list[Target] = []
    """Whom to notify; an empty list is a pure wait step (Grafana OnCall ``wait``)."""
    delay: Duration | None = None
    """Meaning depends on ``semantics.delay``: time before escalating away from this step
    (``per_step``), time from trigger at which this step fires (``from_trigger``), or the
    wait of a target-less step (``wait_steps``). Required except for notify steps in
    ``wait_steps`` mode."""
    assign: Literal["all", "round_robin"] = "all"
    """``all``: notify every target; ``round_robin``: one target per incident, in turn."""


class EscalationPolicy(Strict):
    """Ordered steps to page until someone acknowledges."""

    name: str = Field(min_length=1)
    """Unique name used by services, e.g. ``checkout-primary``."""
    steps: list[Step] = Field(min_length=1)
    """Steps in order."""
    repeat: int = Field(default=0, ge=0, le=20)
    """Extra passes after the first: ``repeat: 2`` runs the steps 3 times (PagerDuty
    ``num_loops``, GoAlert ``repeat``, Opsgenie ``repeat.count``)."""
    repeat_wait: Duration = 0
    """``from_trigger`` mode: wait after the last step's time before the next pass
    (Opsgenie ``repeat.waitInterval``)."""


class AlertTraffic(Strict):
    """Synthetic alert rate of a service, for ``gameday oncall test``."""

    per_day: float = Field(ge=0)
    """Mean alerts a day, e.g. ``2.5``."""
    peak_hour: float = Field(default=14.0, ge=0, lt=24)
    """Local hour of the daily peak (in the config's zone), e.g. ``14``."""
    daily_amplitude: float = Field(default=0.5, ge=0, le=1)
    """Daily swing: 0 is flat, 1 means the rate drops to zero at the trough."""
    weekend_factor: float = Field(default=0.7, ge=0)
    """Rate on Saturday and Sunday relative to weekdays."""
    burst_chance: float = Field(default=0.0, ge=0, le=1)
    """Chance an alert comes with a burst of related alerts."""
    burst_size: int = Field(default=3, ge=1)
    """Mean extra alerts in a burst."""
    burst_spread: Duration = 600
    """Bursts arrive within this time after the first alert."""
    duration: Duration = Field(default=1800, gt=0)
    """Mean time until an alert resolves by itself (exponential)."""
    labels: dict[str, str] = {}
    """Labels on the generated alerts (for Alertmanager routing), e.g. ``{severity: page}``."""


class Service(Strict):
    """Something that raises alerts and which policy it pages."""

    name: str = Field(min_length=1)
    """Unique service name, e.g. ``checkout``."""
    policy: str
    """Escalation policy name."""
    urgency: Literal["high", "low"] = "high"
    """``low`` notifies the first step only and never escalates (PagerDuty)."""
    ack_timeout: Duration | None = None
    """After an ack, re-trigger from step one if still unresolved after this, e.g. ``30m``
    (PagerDuty ``acknowledgement_timeout``); none disables it."""
    alerts: AlertTraffic | None = None
    """Synthetic alert rate; a service without one only gets alerts from a CSV or scenario."""


class Semantics(Strict):
    """Which real system's escalation rules the config follows."""

    delay: Literal["per_step", "from_trigger", "wait_steps"] = "per_step"
    """``per_step``: a step's delay counts from when it was reached (PagerDuty, GoAlert);
    ``from_trigger``: each step fires at its delay after the alert was created (Opsgenie);
    ``wait_steps``: only target-less wait steps take time (Grafana OnCall)."""
    empty_step: Literal["skip", "wait"] = "skip"
    """A step nobody is on call for: ``skip`` to the next at once (PagerDuty, Grafana)
    or ``wait`` out its delay (GoAlert)."""
    freeze_policy: bool = True
    """An incident keeps the policy it triggered under even if the config is replaced
    mid-incident (PagerDuty, Grafana); false re-plans the remaining steps."""
    step_gap: Duration = 5
    """``wait_steps`` mode: time between consecutive non-wait steps (Grafana: ~5s)."""


class Defaults(Strict):
    """Values people and schedules inherit."""

    response: ResponseBehaviour
    """Default response behaviour of every person."""


class AlertmanagerRouting(Strict):
    """The team's Alertmanager config, so alerts are grouped and routed as in production."""

    config: str
    """Path to the native ``alertmanager.yml``, relative to this file."""
    receivers: dict[str, str]
    """Which service each paging receiver stands for, e.g. ``{pagerduty-checkout: checkout}``;
    receivers not listed do not page."""


class OnCallConfig(Strict):
    """An on-call setup: people, schedules, escalation policies and services."""

    apiVersion: Literal["gameday/v1"]
    """Format version."""
    kind: Literal["OnCall"]
    """Document kind."""
    name: str = "on-call"
    """Label shown in reports, e.g. ``current``."""
    time_zone: str = "UTC"
    """The team's IANA zone: default for schedules and people, and for times given on the
    command line."""
    semantics: Semantics = Semantics()
    """Escalation semantics (importers set them to match the source system)."""
    defaults: Defaults
    """Defaults for people."""
    people: list[Person] = Field(min_length=1)
    """Everyone who can be paged."""
    schedules: list[Schedule] = []
    """On-call schedules."""
    policies: list[EscalationPolicy] = Field(min_length=1)
    """Escalation policies."""
    services: list[Service] = Field(min_length=1)
    """Services and the policy each pages."""
    alertmanager: AlertmanagerRouting | None = None
    """Optional Alertmanager routing applied to alerts before they page."""
    assumptions: list[str] = []
    """What an import invented because the source had no such data, e.g. ``response
    behaviour is a default, not measured``; reports list these."""
