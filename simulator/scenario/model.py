"""The scenario format (``apiVersion: gameday/v1``, ``kind: Scenario``) as frozen models.

A scenario is a public format that teams write by hand about their own systems,
so every field has a docstring (it becomes the JSON Schema description editors
show) and the models forbid unknown keys (a typo is an error, not a silent no-op).
Loading and cross-reference checks live in :mod:`simulator.scenario.loader`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.durations import Duration
from simulator.fielddocs import describe_fields
from simulator.practice import Role

API_VERSION = "gameday/v1"

Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveDuration = Annotated[Duration, Field(gt=0)]
"""A duration that must be longer than zero (a zero period would loop at one instant)."""


class Model(BaseModel):
    """Base for every scenario model: frozen, strict about unknown keys, documented."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=describe_fields)


# --------------------------------------------------------------------------- metadata


DIFFICULTIES = ("beginner", "intermediate", "advanced")
"""In the order a new on-caller should meet them (lists and the picker use it)."""


class Metadata(Model):
    """Who the scenario is for and what it teaches."""

    id: Name
    """Short unique id used on the command line, e.g. ``checkout-bad-deploy``."""
    title: str
    """One-line title shown in the scenario picker."""
    difficulty: Literal["beginner", "intermediate", "advanced"] = "intermediate"
    """How hard the drill is: beginner, intermediate or advanced."""
    duration: PositiveDuration = 3600.0
    """Duration limit: the drill ends at this simulated time if nobody resolves it."""
    tags: tuple[str, ...] = ()
    """Free-form tags for filtering, e.g. ``[deploy, payments]``."""
    objectives: tuple[str, ...] = ()
    """Learning objectives shown before the drill and repeated in the debrief."""
    briefing: str = ""
    """What the trainee knows when the drill starts (their shift, the system, recent news)."""
    author: str = ""
    """Who wrote the scenario."""
    starts_at: datetime = datetime(2026, 1, 6, 14, 0, tzinfo=UTC)
    """Real-world time of T+0 (ISO 8601 with zone): timelines are printed in it and on-call
    schedules are read at it. Default: a Tuesday, 14:00 UTC."""


# --------------------------------------------------------------------------- services


class Traffic(Model):
    """How much a service is used; scales impact into failed requests and user-minutes."""

    requests_per_minute: Annotated[float, Field(gt=0)] = 1000.0
    """Requests per minute at baseline."""
    users_per_minute: Annotated[float, Field(gt=0)] = 100.0
    """Distinct users active per minute."""


class Health(Model):
    """A service's metrics when nothing is wrong."""

    error_rate: Fraction = 0.001
    """Share of requests that fail (0.001 = 0.1%)."""
    latency_p99_ms: Annotated[float, Field(gt=0)] = 200.0
    """99th percentile latency in milliseconds."""
    saturation: Fraction = 0.4
    """Busiest resource's utilisation (CPU, memory, connections), 0 to 1."""


class SLO(Model):
    """The service level objective that turns errors into error budget consumed."""

    availability: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.999
    """Target share of successful requests over the window, e.g. 0.999."""
    latency_p99_ms: Annotated[float, Field(gt=0)] = 500.0
    """Latency objective for the 99th percentile, in milliseconds."""
    window: Duration = 30 * 86400.0
    """SLO window over which the error budget is counted (default 30 days)."""


class Dependency(Model):
    """A service this one calls; its failures propagate here."""

    service: Name
    """The service depended on."""
    weight: Fraction = 1.0
    """Share of the dependency's extra error rate and latency that reaches this service."""


class Service(Model):
    """A service of the system under drill."""

    name: Name
    """Service name, used in commands (``/restart checkout``)."""
    description: str = ""
    """What the service does, shown on the dashboard."""
    team: str = ""
    """Owning team, used in alert labels and for paging."""
    regions: tuple[Name, ...] = ()
    """Regions the service runs in; failover and traffic shifts name these."""
    replicas: Annotated[int, Field(ge=1)] = 3
    """Replicas at the start of the drill (``/scale`` changes it)."""
    traffic: Traffic = Traffic()
    """Traffic at baseline."""
    baseline: Health = Health()
    """Healthy metric values."""
    slo: SLO = SLO()
    """Service level objective."""
    depends_on: tuple[Name | Dependency, ...] = ()
    """Services this one calls. A name means weight 1.0."""
    entry_point: bool = False
    """Customers call this service directly (a storefront, a public API): impact is counted
    here, once, not again on every service behind it. When no service says so, the
    services nothing depends on are the entry points."""
    customers: str | None = None
    """What customers call what this service gives them ("placing orders", "the booking
    page"), so status posts can name it; None for a service customers never see."""

    def dependencies(self) -> tuple[Dependency, ...]:
        """``depends_on`` with bare names expanded to weight 1.0."""
        return tuple(
            d if isinstance(d, Dependency) else Dependency(service=d) for d in self.depends_on
        )


class FeatureFlag(Model):
    """A feature flag that ``/flag NAME on|off`` can toggle."""

    name: Name
    """Flag name."""
    state: Literal["on", "off"] = "on"
    """State at the start of the drill."""
    service: Name | None = None
    """Service that reads the flag."""
    description: str = ""
    """What the flag controls, shown by ``/investigate flags``."""


# --------------------------------------------------------------------------- faults

FaultKind = Literal[
    "bad_deploy",
    "config_change",
    "memory_leak",
    "dependency_outage",
    "traffic_surge",
    "database_overload",
    "certificate_expiry",
    "region_outage",
    "custom",
]


Onset = Annotated[float, Field(ge=0.0, lt=1.0)]


class Onsets(Model):
    """The fault strength at which each symptom begins (0: with the fault)."""

    error_rate: Onset = 0.0
    """Errors begin once the fault reaches this share of its peak."""
    latency_p99_ms: Onset = 0.0
    """Latency begins to rise at this share of the peak."""
    saturation: Onset = 0.0
    """Saturation begins to rise at this share of the peak."""


class Impact(Model):
    """What a fault does to its target at full strength (added to the baseline)."""

    error_rate: Fraction = 0.0
    """Extra share of failed requests at peak."""
    latency_p99_ms: Annotated[float, Field(ge=0)] = 0.0
    """Extra p99 latency at peak, in milliseconds."""
    saturation: Fraction = 0.0
    """Extra saturation at peak (capped at 1.0 overall)."""
    onset: Onsets = Onsets()
    """When each symptom begins, as a share of the fault's peak strength; a symptom with
    onset ``o`` grows from 0 at strength ``o`` to its full value at the peak. With
    ``{error_rate: 0.6}`` a pool fills (saturation, latency) well before requests fail.
    """

    def at(self, level: float) -> tuple[float, float, float]:
        """Extra error rate, p99 latency and saturation at fault strength ``level``."""

        def part(onset: float) -> float:
            # Past the peak (a fault made worse) every symptom scales with the level, as
            # without an onset: stretching (level - onset) would amplify it further.
            return level if level > 1.0 else max(0.0, (level - onset) / (1.0 - onset))

        o = self.onset
        return (
            self.error_rate * part(o.error_rate),
            self.latency_p99_ms * part(o.latency_p99_ms),
            self.saturation * part(o.saturation),
        )


class Escalation(Model):
    """How a fault's strength grows from its start until it peaks."""

    over: Duration = 600.0
    """Time from the fault's start to full strength."""
    curve: Literal["linear", "exponential", "step"] = "linear"
    """Shape of the growth: linear, exponential (slow then fast) or step (full at once)."""
    initial: Fraction = 0.1
    """Strength right after the fault starts, as a share of the peak."""


class Relieves(Model):
    """A mitigation that helps for a while, then the fault comes back."""

    relieves: Duration
    """How long the relief lasts before the fault escalates again."""
    to: Fraction = 0.2
    """Strength during the relief, as a share of the peak."""
    then: Literal["escalates", "fixes"] = "escalates"
    """When the relief wears off: the fault escalates again from there, or it is over
    (shedding load long enough lets a cache refill and the stampede end)."""


FaultResponse = Literal["fixes", "no_effect", "worsens"] | Relieves


class Fault(Model):
    """Something that goes wrong: what it hits, when, how it grows, and what stops it."""

    id: Name
    """Fault id, referenced by injects and the truth."""
    kind: FaultKind
    """What kind of fault this is; the postmortem and the scorecard use it."""
    target: Name
    """The service the fault hits."""
    region: Name | None = None
    """For regional faults: the region affected."""
    start: Duration | None = None
    """When the fault begins. Omit it for a fault started by an inject."""
    description: str = ""
    """What is really happening (ground truth, shown only in the debrief)."""
    impact: Impact
    """What the fault does at full strength."""
    escalation: Escalation = Escalation()
    """How it grows."""
    cascade: bool = True
    """Whether the fault's impact propagates to services that depend on the target."""
    responses: dict[
        Name, FaultResponse | Annotated[tuple[FaultResponse, ...], Field(min_length=1)]
    ] = Field(default_factory=dict)
    """Mitigation id → effect on this fault: ``fixes``, ``no_effect``, ``worsens``, or
    ``{relieves: 5m, to: 0.2}``; or a list of them, one per time the mitigation is applied
    (the last repeats), e.g. ``[{relieves: 4m}, worsens]`` for "the first restart helps for
    a while, the second makes it worse". Mitigations not listed have no effect."""
    recovery: Duration = 60.0
    """Once fixed, how long the metrics take to return to baseline."""
    deployed_version: str | None = None
    """For bad deploys and config changes: the version that introduced the fault. Listed by
    ``/investigate deploys`` when the scenario defines no ``deploys`` investigation."""

    def response_to(self, mitigation: str, application: int = 0) -> FaultResponse | None:
        """The effect of the ``application``-th use (0-based) of ``mitigation`` on this fault."""
        response = self.responses.get(mitigation)
        if isinstance(response, tuple):
            return response[min(application, len(response) - 1)]
        return response


# --------------------------------------------------------------------------- alerts


class AlertRule(Model):
    """A real alert: a threshold on one service metric, held for a while."""

    name: Name
    """Alert name, e.g. ``CheckoutHighErrorRate``."""
    service: Name
    """Service whose metric is watched."""
    metric: Literal["error_rate", "latency_p99_ms", "saturation", "burn_rate"]
    """Metric watched. ``burn_rate`` is error rate divided by the SLO's error budget."""
    op: Literal[">", ">=", "<", "<="] = ">"
    """Comparison against the threshold."""
    threshold: float
    """Value that makes the condition true."""
    for_: Duration = Field(default=60.0, alias="for")
    """How long the condition must hold before the alert fires (Prometheus ``for``)."""
    severity: Literal["page", "ticket"] = "page"
    """``page`` wakes someone up; ``ticket`` only lands in the queue."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Extra labels attached to the alert."""
    summary: str = ""
    """Annotation shown with the alert."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra=describe_fields, populate_by_name=True
    )


class PoissonNoise(Model):
    """Unrelated alerts arriving at random, Poisson-distributed."""

    kind: Literal["poisson"]
    """Noise kind."""
    rate_per_hour: Annotated[float, Field(gt=0)]
    """Mean alerts per hour."""
    severity: Literal["page", "ticket"] = "ticket"
    """Whether these noise alerts page."""
    names: tuple[Name, ...] = ()
    """Alert names to draw from; plausible defaults when empty."""
    services: tuple[Name, ...] = ()
    """Services to attach them to; any service when empty."""
    lasts: Duration = 300.0
    """Mean time until a noise alert resolves by itself."""
    burst: Annotated[int, Field(ge=1)] = 1
    """Alerts per arrival: more than one makes bursts (several hosts at once)."""


class FlappingNoise(Model):
    """One alert that keeps firing and resolving."""

    kind: Literal["flapping"]
    """Noise kind."""
    name: Name
    """Alert name."""
    service: Name | None = None
    """Service it is attached to."""
    period: PositiveDuration = 180.0
    """Time between fire and resolve."""
    start: Duration = 0.0
    """When the flapping begins."""
    severity: Literal["page", "ticket"] = "ticket"
    """Whether each flap pages."""


class DuplicateNoise(Model):
    """Copies of a real alert from another source (e.g. a second monitoring system)."""

    kind: Literal["duplicate"]
    """Noise kind."""
    of: Name
    """The alert rule that is duplicated."""
    source: str = "legacy-nagios"
    """The duplicating system, shown as a label."""
    delay: Duration = 30.0
    """How long after the real alert the duplicate fires."""


Noise = Annotated[PoissonNoise | FlappingNoise | DuplicateNoise, Field(discriminator="kind")]


class Alerts(Model):
    """Real alert rules and the noise around them."""

    rules: tuple[AlertRule, ...] = ()
    """Alert rules evaluated over service metrics."""
    noise: tuple[Noise, ...] = ()
    """Unrelated alerts: Poisson arrivals, flapping alerts, duplicates."""
    group_by: tuple[str, ...] = ("alertname", "service")
    """Labels that group alerts, as in Alertmanager's ``group_by``."""
    evaluation_interval: PositiveDuration = 15.0
    """How often rules are evaluated and metrics are sampled."""


# --------------------------------------------------------------------------- investigations


class Finding(Model):
    """One thing an investigation shows."""

    text: str
    """What the responder sees."""
    kind: Literal["clue", "red_herring", "info"] = "info"
    """``clue`` points at the truth; ``red_herring`` is plausible but wrong; ``info`` is neutral."""
    while_fault: Name | None = None
    """Shown only while this fault is active (started and not yet fixed)."""
    after: Duration | None = None
    """Shown only from this simulated time on."""
    until: Duration | None = None
    """Shown only before this simulated time (a status page that later changes)."""

    def shown(self, t: float, active_faults: set[str]) -> bool:
        """Whether the finding is visible at ``t`` with these faults active."""
        if self.while_fault is not None and self.while_fault not in active_faults:
            return False
        return (self.after is None or t >= self.after) and (self.until is None or t < self.until)


class Investigation(Model):
    """Something a responder can look at, and what it reveals."""

    query: str
    """What to type after ``/investigate``: ``deploys``, ``logs checkout``, ``metrics db``,
    ``deps checkout``, ``flags``, or any custom word."""
    takes: Duration = 60.0
    """How long the investigation takes."""
    findings: tuple[Finding, ...]
    """What it reveals."""


# --------------------------------------------------------------------------- mitigations


class _MitigationBase(Model):
    id: Name
    """Mitigation id, referenced by faults' ``responses``."""
    takes: Duration = 120.0
    """How long from the command until the change takes effect."""
    description: str = ""
    """What the mitigation does, for the debrief."""


class Rollback(_MitigationBase):
    """``/rollback SERVICE``."""

    action: Literal["rollback"]
    """Mitigation action."""
    service: Name
    """Service rolled back."""


class FlagToggle(_MitigationBase):
    """``/flag NAME on|off``."""

    action: Literal["flag"]
    """Mitigation action."""
    flag: Name
    """Feature flag toggled."""
    state: Literal["on", "off"]
    """State the flag is set to."""


class Restart(_MitigationBase):
    """``/restart SERVICE``."""

    action: Literal["restart"]
    """Mitigation action."""
    service: Name
    """Service restarted."""


class Scale(_MitigationBase):
    """``/scale SERVICE N``."""

    action: Literal["scale"]
    """Mitigation action."""
    service: Name
    """Service scaled."""
    min_replicas: Annotated[int, Field(ge=1)] = 1
    """The mitigation applies when scaled to at least this many replicas."""


class Failover(_MitigationBase):
    """``/failover REGION``: move all traffic away from a region."""

    action: Literal["failover"]
    """Mitigation action."""
    region: Name
    """Region traffic is moved away from."""


class ShiftTraffic(_MitigationBase):
    """``/shift-traffic FROM TO``."""

    action: Literal["shift_traffic"]
    """Mitigation action."""
    from_region: Name
    """Region traffic leaves."""
    to_region: Name
    """Region traffic goes to."""


class CustomMitigation(_MitigationBase):
    """``/mitigate ID``: anything else a team can do (purge a cache, kill a query...)."""

    action: Literal["custom"]
    """Mitigation action."""
    command: str = ""
    """What the responder types after ``/mitigate``; defaults to the id."""


Mitigation = Annotated[
    Rollback | FlagToggle | Restart | Scale | Failover | ShiftTraffic | CustomMitigation,
    Field(discriminator="action"),
]


# --------------------------------------------------------------------------- injects


class InjectTrigger(Model):
    """What the players (or the drill) do that sets an inject off."""

    event: str
    """The event type that sets it off, e.g. ``severity.declared`` or
    ``mitigation.applied`` (see docs/log-format.md); the first such event counts."""
    match: dict[str, str | int | float | bool] = Field(default_factory=dict)
    """Fields that event must have, e.g. ``{action: failover}``; all must be equal (as
    text, ignoring case and ``-``/``_``)."""
    delay: Duration = 0.0
    """How long after that event the inject happens."""


class _InjectBase(Model):
    at: Duration | None = None
    """When the inject happens (simulated time from the drill's start); give ``at`` or
    ``after``."""
    after: InjectTrigger | None = None
    """Set off by what happens instead of at a fixed time: an executive who turns up
    two minutes after SEV1 is declared, a second fault once traffic is failed over.
    Never happens if the event never comes."""
    message: str | None = None
    """What is said; generated plausibly from the seed when omitted."""
    sender: str | None = None
    """Who says it; a generated name when omitted."""

    @model_validator(mode="after")
    def _at_or_after(self) -> _InjectBase:
        if (self.at is None) == (self.after is None):
            raise ValueError("give `at` (a time) or `after` (an event), not both or neither")
        return self


class CustomerReport(_InjectBase):
    """A customer tells support what they see, in their own words."""

    kind: Literal["customer_report"]
    """Inject kind."""
    service: Name | None = None
    """The service the customer is using."""


class ExecutiveAsk(_InjectBase):
    """An executive asks for news."""

    kind: Literal["executive_ask"]
    """Inject kind."""


class SupportSurge(_InjectBase):
    """Support tickets pile up."""

    kind: Literal["support_surge"]
    """Inject kind."""
    tickets: Annotated[int, Field(ge=1)] = 25
    """Tickets in the surge."""


class FaultInject(_InjectBase):
    """A second fault starts."""

    kind: Literal["fault"]
    """Inject kind."""
    fault: Name
    """The fault started (one with no ``start`` of its own)."""


class TeammateDrop(_InjectBase):
    """A simulated teammate drops off (their laptop died, they must leave)."""

    kind: Literal["teammate_drop"]
    """Inject kind."""
    role: Role
    """The role whose simulated player drops off."""
    back_after: Duration | None = None
    """When they come back; never when omitted."""


Inject = Annotated[
    CustomerReport | ExecutiveAsk | SupportSurge | FaultInject | TeammateDrop,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- people


class Stakeholder(Model):
    """Someone who asks for updates, and how impatiently."""

    name: str | None = None
    """Their name; generated from the seed when omitted."""
    title: str = "Engineering Manager"
    """Their title, e.g. VP Engineering, Head of Support."""
    first_ask: Duration = 600.0
    """Time after impact begins when they first ask for news, unless updated already."""
    patience: PositiveDuration = 900.0
    """They ask again when no stakeholder update came in this long."""


class Responder(Model):
    """A person on the team; simulated teammates are drawn from these."""

    name: str
    """Display name and handle used in ``/assign`` and ``/page``."""
    role: Literal[Role, "sme"] = "sme"
    """Role they play by default when simulated."""
    team: str = ""
    """Team, so ``/page TEAM`` reaches them."""
    responds_in: Duration = 120.0
    """How long they take to join when paged."""


# --------------------------------------------------------------------------- truth


class Targets(Model):
    """Targets scoring compares the response against."""

    acknowledge: Duration = 300.0
    """Time to acknowledge the first page."""
    declare: Duration = 600.0
    """Time from the first page to a declared severity."""
    mitigate: Duration = 1800.0
    """Time from impact start to mitigation."""
    update_every: Duration | None = None
    """Stakeholder/status update cadence; from the severity when omitted."""


class ActionItem(Model):
    """A suggested postmortem action item."""

    item: str
    """What to do: specific and bounded."""
    type: Literal["mitigate", "prevent", "process"] = "prevent"
    """Kind of action item."""
    owner: str = ""
    """Suggested owning team."""


class Truth(Model):
    """What really happened, for scoring and the postmortem."""

    severity: Annotated[int, Field(ge=1, le=4)]
    """The severity the incident deserves, 1 (worst) to 4."""
    root_cause: str
    """The root cause, in a sentence or two."""
    trigger: str = ""
    """What set it off."""
    contributing_factors: tuple[str, ...] = ()
    """Conditions that made it possible or worse."""
    targets: Targets = Targets()
    """Targets for scoring."""
    action_items: tuple[ActionItem, ...] = ()
    """Suggested action items for the postmortem."""
    scoring: dict[str, float] = Field(default_factory=dict)
    """Per-dimension weight overrides for the scorecard, e.g. ``{communication: 2}``."""


# --------------------------------------------------------------------------- scenario


class Scenario(Model):
    """A drill: the system, what goes wrong, the noise, the people and the truth."""

    apiVersion: Literal["gameday/v1"]
    """Format version: ``gameday/v1``."""
    kind: Literal["Scenario"]
    """Document kind: ``Scenario``."""
    metadata: Metadata
    """Id, title, difficulty, duration and briefing."""
    services: tuple[Service, ...] = Field(min_length=1)
    """Services of the system under drill."""
    flags: tuple[FeatureFlag, ...] = ()
    """Feature flags that can be toggled."""
    faults: tuple[Fault, ...] = Field(min_length=1)
    """What goes wrong."""
    alerts: Alerts = Alerts()
    """Alert rules and noise."""
    investigations: tuple[Investigation, ...] = ()
    """What responders can look at."""
    mitigations: tuple[Mitigation, ...] = ()
    """What responders can change."""
    injects: tuple[Inject, ...] = ()
    """Timed events: reports, asks, surges, second faults, teammates dropping off."""
    stakeholders: tuple[Stakeholder, ...] = ()
    """Who asks for updates."""
    team: tuple[Responder, ...] = ()
    """The responders; generated names when empty."""
    oncall: str | None = None
    """Path (relative to the scenario file) of an on-call config whose policy pages in the drill."""
    truth: Truth
    """Ground truth for scoring and the postmortem."""

    @field_validator("investigations")
    @classmethod
    def _unique_queries(cls, value: tuple[Investigation, ...]) -> tuple[Investigation, ...]:
        seen: set[str] = set()
        for inv in value:
            key = " ".join(inv.query.split()).lower()
            if key in seen:
                raise ValueError(f"investigation query '{inv.query}' is defined twice")
            seen.add(key)
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Scenario:
        for label, names in (
            ("service", [s.name for s in self.services]),
            ("fault", [f.id for f in self.faults]),
            ("mitigation", [m.id for m in self.mitigations]),
            ("flag", [f.name for f in self.flags]),
            ("alert rule", [r.name for r in self.alerts.rules]),
        ):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{label} names must be unique; repeated: {', '.join(dupes)}")
        return self

    # Lookups used by the engine and scoring.
    def service(self, name: str) -> Service:
        """The service called ``name``."""
        return next(s for s in self.services if s.name == name)

    def entry_points(self) -> tuple[Service, ...]:
        """The customer-facing services: those declared ``entry_point``, else the services
        nothing depends on (a request enters the system there and fans out behind it)."""
        declared = tuple(s for s in self.services if s.entry_point)
        if declared:
            return declared
        called = {d.service for s in self.services for d in s.dependencies()}
        return tuple(s for s in self.services if s.name not in called) or self.services

    def customer_name(self, service: str) -> str:
        """What customers call ``service``: its ``customers`` text, else the name of an entry
        point in front of it that has one, else the service's own name."""
        by_name = {s.name: s for s in self.services}
        found = by_name.get(service)
        if found is not None and found.customers:
            return found.customers
        for entry in self.entry_points():
            if entry.customers and service in self._behind(entry.name, by_name):
                return entry.customers
        return service

    def _behind(self, name: str, by_name: dict[str, Service]) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = by_name.get(todo.pop())
            for dep in current.dependencies() if current else ():
                if dep.service not in seen:
                    seen.add(dep.service)
                    todo.append(dep.service)
        return seen

    def fault(self, fault_id: str) -> Fault:
        """The fault with id ``fault_id``."""
        return next(f for f in self.faults if f.id == fault_id)

    def regions(self) -> tuple[str, ...]:
        """Every region named by a service or a fault, sorted."""
        names = {r for s in self.services for r in s.regions}
        names |= {f.region for f in self.faults if f.region}
        return tuple(sorted(names))
