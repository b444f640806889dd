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
    """One service's share of the customer impact."""

    service: str
    user_minutes: float
    """Users with at least one failed request, integrated over time (minutes)."""
    failed_requests: float
    """Requests that failed above the service's baseline error rate."""
    error_budget: float | None
    """Failed requests the SLO allows over its whole window; None when the service is unknown."""

    @property
    def budget_consumed(self) -> float | None:
        """Share of the SLO window's error budget this incident used (0.02 = 2%)."""
        if not self.error_budget:
            return None
        return self.failed_requests / self.error_budget

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, rounded so the output is stable."""
        consumed = self.budget_consumed
        return {
            "service": self.service,
            "user_minutes": round(self.user_minutes, 1),
            "failed_requests": round(self.failed_requests),
            "error_budget_consumed_percent": None if consumed is None else round(consumed * 100, 2),
        }


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

    @property
    def user_minutes(self) -> float:
        """User-minutes summed over services (a user failing on two services counts twice)."""
        return sum(s.user_minutes for s in self.services)

    @property
    def failed_requests(self) -> float:
        """Requests failed above baseline, summed over services."""
        return sum(s.failed_requests for s in self.services)

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
            "failed_requests": round(self.failed_requests),
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


def customer_impact(facts: DrillFacts, scenario: Scenario) -> tuple[ServiceImpact, ...]:
    """Integrate the metric samples: each sample's values hold until the next sample.

    The last sample holds for one evaluation interval, or to the drill's end if sooner.
    Negative or malformed values (a damaged log) count as zero, so impact is never negative.
    """
    known = {s.name: s for s in scenario.services}
    users: dict[str, float] = {}
    failed: dict[str, float] = {}
    samples = facts.samples
    interval = scenario.alerts.evaluation_interval
    for i, sample in enumerate(samples):
        if i + 1 < len(samples):
            until = samples[i + 1].t
        else:
            until = min(sample.t + interval, max(facts.end_t, sample.t))
        minutes = max(0.0, until - sample.t) / 60.0
        services = sample.get("services")
        if not minutes or not hasattr(services, "items"):
            continue
        for name, values in services.items():
            try:
                affected = float(values.get("users_affected", 0.0))
                error = float(values.get("error_rate", 0.0))
                rpm = float(values.get("requests_per_minute", 0.0))
            except (AttributeError, TypeError, ValueError):
                continue
            service = known.get(name)
            excess = error - (service.baseline.error_rate if service else 0.0)
            users[name] = users.get(name, 0.0) + max(0.0, affected) * minutes
            failed[name] = failed.get(name, 0.0) + max(0.0, excess) * max(0.0, rpm) * minutes
    out = []
    order = [s.name for s in scenario.services] + sorted(set(users) - set(known))
    for name in order:
        if name not in users:
            continue
        service = known.get(name)
        budget = None
        if service is not None:
            budget = (
                (1.0 - service.slo.availability)
                * service.traffic.requests_per_minute
                * service.slo.window
                / 60.0
            )
        out.append(ServiceImpact(name, users[name], failed[name], budget))
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
    )
