"""The drill's numbers: response times, time per severity, customer impact, noise.

Every metric is defined with its formula in ``docs/scoring.md``. Times are in
simulated seconds; a metric whose events never happened is ``None`` (not zero:
"never acknowledged" must not read as "acknowledged instantly").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.facts import DrillFacts, findings_of
from simulator.log.events import Event
from simulator.scenario.model import Scenario


@dataclass(frozen=True)
class ServiceImpact:
    """What customers felt at one entry point (a service they call directly)."""

    service: str
    user_minutes: float
    """Users with at least one failed request, integrated over time (minutes)."""
    failed_requests: float
    """Requests that failed above the service's baseline error rate."""
    error_budget: float | None
    """Failed requests the SLO allows over its whole window; None when the service is unknown."""
    degraded_user_minutes: float = 0.0
    """Users served, but slowly (``users_degraded`` in the samples), integrated over time."""
    requests_lost: float = 0.0
    """Requests accepted and then lost (``requests_lost``, cumulative in the samples)."""
    data_lost: float = 0.0
    """Customer records lost (``data_lost``, cumulative in the samples)."""

    @property
    def budget_consumed(self) -> float | None:
        """Share of the SLO window's error budget this incident used (0.02 = 2%)."""
        if not self.error_budget:
            return None
        return (self.failed_requests + self.requests_lost) / self.error_budget

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, rounded so the output is stable."""
        consumed = self.budget_consumed
        return {
            "service": self.service,
            "user_minutes": round(self.user_minutes, 1),
            "degraded_user_minutes": round(self.degraded_user_minutes, 1),
            "failed_requests": round(self.failed_requests),
            "requests_lost": round(self.requests_lost),
            "data_lost": round(self.data_lost),
            "error_budget_consumed_percent": None if consumed is None else round(consumed * 100, 2),
        }


@dataclass(frozen=True)
class DataLoss:
    """Customer data a fault lost (``data.lost``), in the scenario's own unit."""

    service: str
    amount: float
    unit: str


@dataclass(frozen=True)
class NoiseMetrics:
    """How much noise there was and how it was handled."""

    noise_alerts: int
    noise_pages: int
    noise_silenced: tuple[Event, ...]
    """Silences that named only noise alerts."""
    real_silenced: tuple[Event, ...]
    """Silences that named a real alert rule (a negative)."""
    red_herring_investigations: tuple[Event, ...]
    """Completed investigations that turned up red herrings and no clue."""
    red_herring_seconds: float


@dataclass(frozen=True)
class Metrics:
    """The measured facts of one drill (see ``docs/scoring.md`` for each formula)."""

    time_to_detect: float | None
    time_to_acknowledge: float | None
    time_to_declare: float | None
    time_to_mitigate: float | None
    time_to_restore: float | None
    incident_duration: float | None
    time_at_severity: tuple[tuple[int, float], ...]
    services: tuple[ServiceImpact, ...]
    noise: NoiseMetrics
    time_to_first_status: float | None
    """First public status post − first real page."""
    coach_hints: tuple[str, ...] = ()
    """The coach's hints, by rule, in order (``gameday play --coach``)."""
    data_losses: tuple[DataLoss, ...] = ()
    """Customer data lost, from ``data.lost`` events (ground truth)."""

    @property
    def user_minutes(self) -> float:
        """User-minutes at the entry points (each customer request counted where it enters)."""
        return sum(s.user_minutes for s in self.services)

    @property
    def failed_requests(self) -> float:
        """Requests failed above baseline at the entry points, counted once."""
        return sum(s.failed_requests for s in self.services)

    @property
    def degraded_user_minutes(self) -> float:
        """User-minutes of slow but successful service at the entry points."""
        return sum(s.degraded_user_minutes for s in self.services)

    @property
    def requests_lost(self) -> float:
        """Requests accepted and then lost, at the entry points."""
        return sum(s.requests_lost for s in self.services)

    def data_lost(self) -> dict[str, float]:
        """Data lost by unit: the ``data.lost`` events, else the entry points' samples."""
        out: dict[str, float] = {}
        for loss in self.data_losses:
            out[loss.unit] = out.get(loss.unit, 0.0) + loss.amount
        if not out and any(s.data_lost for s in self.services):
            out["records"] = sum(s.data_lost for s in self.services)
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, rounded so the output is stable."""

        def secs(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "time_to_detect": secs(self.time_to_detect),
            "time_to_acknowledge": secs(self.time_to_acknowledge),
            "time_to_declare": secs(self.time_to_declare),
            "time_to_mitigate": secs(self.time_to_mitigate),
            "time_to_restore": secs(self.time_to_restore),
            "incident_duration": secs(self.incident_duration),
            "time_to_first_status": secs(self.time_to_first_status),
            "time_at_severity": {f"SEV{sev}": round(s, 3) for sev, s in self.time_at_severity},
            "user_minutes": round(self.user_minutes, 1),
            "degraded_user_minutes": round(self.degraded_user_minutes, 1),
            "failed_requests": round(self.failed_requests),
            "requests_lost": round(self.requests_lost),
            "data_lost": {unit: round(v) for unit, v in sorted(self.data_lost().items())},
            "services": [s.to_json() for s in self.services if s.user_minutes or s.failed_requests],
            "noise": {
                "noise_alerts": self.noise.noise_alerts,
                "pages_from_noise": self.noise.noise_pages,
                "noise_silenced": len(self.noise.noise_silenced),
                "real_alerts_silenced": len(self.noise.real_silenced),
                "red_herring_investigations": len(self.noise.red_herring_investigations),
                "red_herring_seconds": round(self.noise.red_herring_seconds, 3),
            },
            "coach_hints": list(self.coach_hints),
        }


def _since(later: Event | None, earlier: Event | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, later.t - earlier.t)


def time_at_severity(facts: DrillFacts) -> tuple[tuple[int, float], ...]:
    """Seconds spent at each declared severity, from each declaration to the next or the close."""
    totals: dict[int, float] = {}
    declarations = facts.all("severity.declared")
    close = facts.incident_close
    for i, event in enumerate(declarations):
        following = declarations[i + 1] if i + 1 < len(declarations) else None
        sev = event.get("severity")
        if not isinstance(sev, int):
            continue
        until = following.t if following is not None else max(close, event.t)
        totals[sev] = totals.get(sev, 0.0) + max(0.0, until - event.t)
    return tuple(sorted(totals.items()))


def _number(values: Any, key: str) -> float:
    """A sample's field as a non-negative number; 0 when absent or malformed (a damaged log)."""
    try:
        return max(0.0, float(values.get(key, 0.0)))
    except (AttributeError, TypeError, ValueError):
        return 0.0


def customer_impact(facts: DrillFacts, scenario: Scenario) -> tuple[ServiceImpact, ...]:
    """Integrate the metric samples at the entry points: each sample holds until the next.

    Only the customer-facing entry points (``Scenario.entry_points``) are counted: a
    failed checkout shows on web and on checkout, but it is one customer's one failed
    request. The last sample holds for one evaluation interval, or to the drill's end if
    sooner. Cumulative fields (``requests_lost``, ``data_lost``) take their latest value.
    """
    entries = [scenario.service(name) for name in scenario.entry_points()]
    samples = facts.samples
    # Linear and cheap: a 100,000-event log is mostly samples, so the spans and the
    # per-sample service maps are taken once, then each entry point is one tight pass
    # with the well-formed case on a fast path (see _integrate).
    times = [e.t for e in samples]
    if samples:
        last = times[-1]
        ends = [*times[1:], min(last + scenario.alerts.evaluation_interval, max(facts.end_t, last))]
    else:
        ends = []
    spans = [(b - a) / 60.0 if b > a else 0.0 for a, b in zip(times, ends, strict=True)]
    rows = [e.data.get("services") for e in samples]
    out = []
    for s in entries:
        users, degraded, failed, lost, data = _integrate(rows, spans, s.name, s.baseline.error_rate)
        budget = (1.0 - s.slo.availability) * s.traffic.requests_per_minute * s.slo.window / 60.0
        out.append(ServiceImpact(s.name, users, failed, budget, degraded, lost, data))
    return tuple(out)


def _integrate(
    rows: list[Any], spans: list[float], name: str, baseline: float
) -> tuple[float, float, float, float, float]:
    """One entry point's (user-minutes, degraded user-minutes, failed requests, requests
    lost, data lost) over the samples' service maps ``rows``, each held ``spans`` minutes.

    Well-formed numbers are used as they are (a negative or NaN one adds nothing, as if
    it were 0); anything else in a damaged log goes through :func:`_number`, field by field.
    """
    users = degraded = failed = lost = data = 0.0
    for services, minutes in zip(rows, spans, strict=True):
        try:
            values = services.get(name)
        except AttributeError:
            continue
        if values is None:
            continue
        try:
            get = values.get
            now_lost, now_data = get("requests_lost", 0.0), get("data_lost", 0.0)
            more_lost, more_data = now_lost > lost, now_data > data
            if minutes:
                now_users, now_degraded = get("users_affected", 0.0), get("users_degraded", 0.0)
                excess, rpm = get("error_rate", 0.0) - baseline, get("requests_per_minute", 0.0)
                add_users, add_degraded = now_users > 0.0, now_degraded > 0.0
                add_failed = excess > 0.0 and rpm > 0.0
        except (AttributeError, TypeError):
            now_lost, now_data = _number(values, "requests_lost"), _number(values, "data_lost")
            more_lost, more_data = now_lost > lost, now_data > data
            now_users, now_degraded = (
                _number(values, "users_affected"),
                _number(values, "users_degraded"),
            )
            excess = _number(values, "error_rate") - baseline
            rpm = _number(values, "requests_per_minute")
            add_users, add_degraded = now_users > 0.0, now_degraded > 0.0
            add_failed = excess > 0.0 and rpm > 0.0
        if more_lost:
            lost = float(now_lost)
        if more_data:
            data = float(now_data)
        if not minutes:
            continue
        if add_users:
            users += now_users * minutes
        if add_degraded:
            degraded += now_degraded * minutes
        if add_failed:
            failed += excess * rpm * minutes
    return users, degraded, failed, lost, data


def data_losses(facts: DrillFacts) -> tuple[DataLoss, ...]:
    """The ``data.lost`` events, malformed ones skipped."""
    out = []
    for event in facts.all("data.lost"):
        amount = _number(event.data, "amount")
        if amount:
            out.append(DataLoss(str(event.get("service")), amount, str(event.get("unit") or "")))
    return tuple(out)


def noise_metrics(facts: DrillFacts, scenario: Scenario) -> NoiseMetrics:
    """Noise alerts and pages, silences by what they named, investigations that misled."""
    real_rules = {r.name for r in scenario.alerts.rules}
    real_rules |= {str(e.get("name")) for e in facts.all("alert.fired") if e.get("noise") is False}
    noise_silenced, real_silenced = [], []
    for silence in facts.all("alert.silenced"):
        if silence.get("noise") is False or silence.get("name") in real_rules:
            real_silenced.append(silence)
        else:
            noise_silenced.append(silence)
    herrings = []
    seconds = 0.0
    started = {(e.get("query"), e.get("by")): e for e in facts.all("investigation.started")}
    for done in facts.all("investigation.completed"):
        kinds = {f.get("kind") for f in findings_of(done)}
        if "red_herring" in kinds and "clue" not in kinds:
            herrings.append(done)
            begun = started.get((done.get("query"), done.get("by")))
            seconds += max(0.0, done.t - begun.t) if begun is not None else 0.0
    return NoiseMetrics(
        noise_alerts=sum(1 for e in facts.all("alert.fired") if e.get("noise")),
        noise_pages=len(facts.noise_pages),
        noise_silenced=tuple(noise_silenced),
        real_silenced=tuple(real_silenced),
        red_herring_investigations=tuple(herrings),
        red_herring_seconds=seconds,
    )


def compute_metrics(facts: DrillFacts, scenario: Scenario) -> Metrics:
    """Every metric of the drill (formulas in ``docs/scoring.md``)."""
    impact = facts.impact_start
    page = facts.first_real_page
    declared = facts.declared
    resolved = facts.resolved
    first_status = facts.first("status.posted")
    return Metrics(
        time_to_detect=_since(facts.first_real_alert, impact),
        time_to_acknowledge=_since(facts.first_real_ack, page),
        time_to_declare=_since(declared, page),
        time_to_mitigate=_since(facts.mitigated, impact),
        time_to_restore=_since(facts.impact_end, impact),
        incident_duration=_since(resolved, declared),
        time_at_severity=time_at_severity(facts),
        services=customer_impact(facts, scenario),
        noise=noise_metrics(facts, scenario),
        time_to_first_status=_since(first_status, page),
        coach_hints=tuple(str(e.get("rule")) for e in facts.all("coach.hint")),
        data_losses=data_losses(facts),
    )
