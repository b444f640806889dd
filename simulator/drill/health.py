"""Faults' strength over time and the service metrics that follow from it.

Pure functions and small state objects, no SimPy: the engine asks "what are the
metrics at t?" once per evaluation interval. A fault's *level* (0 to 1, times a
worsening factor) scales its peak :class:`~simulator.scenario.Impact`; impact on a
service propagates to the services that depend on it, weighted per dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.scenario.model import Escalation, Fault, Scenario, Service

WORSEN_FACTOR = 1.5
MAX_WORSEN = 2.25


def curve_level(esc: Escalation, elapsed: float) -> float:
    """Strength (0..1) ``elapsed`` seconds into the escalation."""
    if elapsed < 0:
        return 0.0
    if esc.curve == "step" or esc.over <= 0:
        return 1.0
    x = min(1.0, elapsed / esc.over)
    initial = max(esc.initial, 1e-3)
    if esc.curve == "linear":
        return initial + (1.0 - initial) * x
    return float(initial * (1.0 / initial) ** x)


def curve_elapsed(esc: Escalation, level: float) -> float:
    """The elapsed time at which the escalation reaches ``level`` (inverse of curve_level)."""
    if esc.curve == "step" or esc.over <= 0:
        return 0.0
    initial = max(esc.initial, 1e-3)
    level = min(1.0, max(initial, level))
    if esc.curve == "linear":
        x = (level - initial) / (1.0 - initial) if initial < 1.0 else 1.0
    else:
        x = math.log(level / initial) / math.log(1.0 / initial) if initial < 1.0 else 1.0
    return x * esc.over


@dataclass
class FaultState:
    """How one fault stands: started, escalating, relieved for a while, worsened, fixed."""

    fault: Fault
    started_at: float | None = None
    escalation_start: float = 0.0
    relieved_until: float | None = None
    relief_level: float = 0.0
    worsen: float = 1.0
    fixed_at: float | None = None
    fixed_level: float = 0.0
    milestones: set[int] = field(default_factory=set)
    applications: dict[str, int] = field(default_factory=dict)
    """How many times each mitigation has acted on this fault (list responses step on)."""
    damping: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)
    """(t0, from, t1, to): a partial fix ramps the strength's multiplier from ``from`` at t0
    to ``to`` at t1 (v2 ``reduces``)."""
    recovery: float | None = None
    """A fix's own ramp, when it replaces the fault's ``recovery``."""

    @property
    def active(self) -> bool:
        """Started and not yet fixed."""
        return self.started_at is not None and self.fixed_at is None

    def start(self, t: float) -> None:
        """The fault begins at ``t``."""
        self.started_at = t
        self.escalation_start = t

    def raw_level(self, t: float) -> float:
        """Strength before the worsening factor, ignoring any fix."""
        if self.started_at is None or t < self.started_at:
            return 0.0
        if self.relieved_until is not None:
            if t < self.relieved_until:
                return self.relief_level
            # Relief over: escalation resumes from the relieved level.
            self.escalation_start = self.relieved_until - curve_elapsed(
                self.fault.escalation, self.relief_level
            )
            self.relieved_until = None
        return curve_level(self.fault.escalation, t - self.escalation_start)

    @property
    def recovery_time(self) -> float:
        """How long the metrics take to return to baseline once fixed."""
        return self.fault.recovery if self.recovery is None else self.recovery

    def damped(self, t: float) -> float:
        """The multiplier partial fixes leave on the strength at ``t``."""
        t0, start, t1, end = self.damping
        if t >= t1:
            return end
        return start + (end - start) * max(0.0, t - t0) / (t1 - t0)

    def level(self, t: float) -> float:
        """Effective strength at ``t`` (a fix decays it to 0 over the fault's recovery)."""
        if self.fixed_at is not None:
            if self.recovery_time <= 0:
                return 0.0
            remaining = 1.0 - (t - self.fixed_at) / self.recovery_time
            return max(0.0, self.fixed_level * remaining)
        level = self.raw_level(t) * self.worsen
        return level if self.damping[3] == 1.0 else level * self.damped(t)

    def fix(self, t: float, recovery: float | None = None) -> None:
        """A mitigation fixed the fault at ``t``; metrics recover over ``fault.recovery``
        (or ``recovery``, a fix's own ramp)."""
        self.fixed_level = self.level(t)
        self.fixed_at = t
        self.recovery = recovery

    def reduce(self, t: float, share: float, over: float) -> None:
        """A partial fix: remove ``share`` of the remaining strength, ramping over ``over``."""
        now = self.damped(t)
        self.damping = (t, now, t + max(over, 1e-6), now * (1.0 - share))

    def relieve(self, t: float, duration: float, to: float) -> None:
        """Hold the fault at ``to`` of its peak until ``t + duration``."""
        self.relief_level = min(self.raw_level(t), to)
        self.relieved_until = t + duration

    def worsened(self) -> None:
        """A mitigation made things worse: scale the fault up (bounded)."""
        self.worsen = min(MAX_WORSEN, self.worsen * WORSEN_FACTOR)

    def recovered(self, t: float) -> bool:
        """Fixed and fully back to baseline."""
        return self.fixed_at is not None and t >= self.fixed_at + self.recovery_time


@dataclass(frozen=True)
class ServiceMetrics:
    """One service's metrics at one instant."""

    error_rate: float
    latency_p99_ms: float
    saturation: float
    requests_per_minute: float
    users_per_minute: float
    users_affected: float
    burn_rate: float
    users_degraded: float = 0.0
    """(v2) Users per minute served slower than the latency SLO and not already failing."""
    requests_lost: float = 0.0
    """(v2) Requests per minute that never arrived (a traffic drop)."""
    custom: tuple[tuple[str, float], ...] = ()
    """(v2) The service's scenario-defined metrics."""

    def value(self, metric: str) -> float:
        """A metric by its name in alert rules (built-in or the scenario's own)."""
        for name, value in self.custom:
            if name == metric:
                return value
        return float(getattr(self, metric))


def _callers(services: tuple[Service, ...]) -> dict[str, list[tuple[str, float]]]:
    """Each service's callers with their share of its calls (by the callers' traffic)."""
    calling: dict[str, list[Service]] = {s.name: [] for s in services}
    for svc in services:
        for dep in svc.dependencies():
            if dep.service in calling:
                calling[dep.service].append(svc)
    out: dict[str, list[tuple[str, float]]] = {}
    for name, callers in calling.items():
        total = sum(c.traffic.requests_per_minute for c in callers)
        out[name] = [
            (c.name, c.traffic.requests_per_minute / total if total > 0 else 1.0 / len(callers))
            for c in callers
        ]
    return out


def topological_order(services: tuple[Service, ...]) -> list[Service]:
    """Services with every dependency before its dependents (the loader rejects cycles)."""
    by_name = {s.name: s for s in services}
    order: list[Service] = []
    seen: set[str] = set()

    def visit(svc: Service) -> None:
        if svc.name in seen:
            return
        seen.add(svc.name)
        for dep in svc.dependencies():
            if dep.service in by_name:
                visit(by_name[dep.service])
        order.append(svc)

    for svc in services:
        visit(svc)
    return order


@dataclass
class _Excess:
    error: float = 0.0
    latency: float = 0.0
    saturation: float = 0.0
    traffic: float = 0.0
    """(v2) The change in requests a fault on this service makes: a drop counts its
    users as affected and its requests as lost."""
    carried: float = 0.0
    """(v2) A change in requests that only changes how many arrive: retries against a
    fault made worse than its peak, and the callers' traffic changes passed on."""
    metrics: dict[str, float] = field(default_factory=dict)

    def add(self, other: _Excess, weight: float = 1.0) -> None:
        self.error += other.error * weight
        self.latency += other.latency * weight
        self.saturation += other.saturation * weight


class HealthModel:
    """Computes every service's metrics from the faults' states."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.order = topological_order(scenario.services)
        self.replicas = {s.name: s.replicas for s in scenario.services}
        self.services = {s.name: s for s in scenario.services}
        self.v2 = scenario.v2
        self.callers = _callers(scenario.services)

    def metrics(self, t: float, faults: list[FaultState]) -> dict[str, ServiceMetrics]:
        """Metrics of each service at ``t``, in the scenario's service order."""
        local: dict[str, _Excess] = {s.name: _Excess() for s in self.order}
        spreading: dict[str, _Excess] = {s.name: _Excess() for s in self.order}
        moving = False  # (v2) some service's traffic changes
        for state in faults:
            level = state.level(t)
            if level <= 0.0:
                continue
            bucket = spreading if state.fault.cascade else local
            bucket[state.fault.target].add(_Excess(*state.fault.impact.at(level)))
            if self.v2:  # own metrics stay on the target; traffic passes on below
                own = local[state.fault.target]
                if state.fault.impact.traffic:
                    own.traffic += state.fault.impact.traffic * level
                    moving = True
                for key, extra in state.fault.impact.metrics.items():
                    own.metrics[key] = own.metrics.get(key, 0.0) + extra * level
                if level > 1.0:
                    self._beyond_peak(state.fault, level - 1.0, bucket, own)
                    moving = True
        if moving:
            self._pass_traffic(local)
        out: dict[str, ServiceMetrics] = {}
        for svc in self.order:
            for dep in svc.dependencies():
                # What reaches a dependent is what its dependency passes on (errors and
                # latency), not the dependency's saturation.
                passed = spreading[dep.service]
                spreading[svc.name].add(_Excess(passed.error, passed.latency, 0.0), dep.weight)
            total = _Excess()
            total.add(local[svc.name])
            total.add(spreading[svc.name])
            if self.v2:
                out[svc.name] = self._v2_metrics(svc, total, local[svc.name])
            else:
                out[svc.name] = self._service_metrics(svc, total)
        return {s.name: out[s.name] for s in self.scenario.services}

    def _beyond_peak(
        self, fault: Fault, over: float, bucket: dict[str, _Excess], own: _Excess
    ) -> None:
        """(v2) What a fault made worse than its peak shows where the error rate cannot.

        ``over`` is the strength above the peak (0.5 after one worsening, 1.25 after
        two). Requests time out: p99 grows by ``over`` times the target's latency SLO
        (passed on like the fault's latency). Callers retry what fails: the target's
        requests and saturation grow by ``over`` times the fault's error rate. Recovery
        takes longer too (``FaultLifecycle._fix``).
        """
        svc = self.services[fault.target]
        retries = over * fault.impact.error_rate
        bucket[fault.target].add(_Excess(0.0, over * svc.slo.latency_p99_ms, retries))
        own.carried += retries

    def _pass_traffic(self, local: dict[str, _Excess]) -> None:
        """(v2) A service's change in requests reaches the services it calls.

        Each caller passes its whole change (its fault's, retries, and what its own
        callers passed) times its share of the callee's calls; a caller's share is its
        requests per minute over those of every service calling the same dependency.
        A dependency called by one service alone changes by the same factor.
        """
        for svc in reversed(self.order):  # callers before the services they call
            callers = self.callers[svc.name]
            if callers:
                here = local[svc.name]
                for caller, share in callers:
                    passed = local[caller]
                    here.carried += (passed.traffic + passed.carried) * share

    def _service_metrics(self, svc: Service, excess: _Excess) -> ServiceMetrics:
        base = svc.baseline
        extra_error = min(1.0 - base.error_rate, max(0.0, excess.error))
        error = base.error_rate + extra_error
        scale = svc.replicas / max(1, self.replicas[svc.name])
        saturation = min(1.0, base.saturation * scale + max(0.0, excess.saturation))
        rpm, upm = svc.traffic.requests_per_minute, svc.traffic.users_per_minute
        per_user = max(1.0, rpm / upm)
        # A user is affected when at least one of their requests fails because of a fault.
        affected = upm * (1.0 - (1.0 - extra_error) ** per_user) if extra_error > 0 else 0.0
        return ServiceMetrics(
            error_rate=round(error, 6),
            latency_p99_ms=round(base.latency_p99_ms + max(0.0, excess.latency), 3),
            saturation=round(saturation, 6),
            requests_per_minute=rpm,
            users_per_minute=upm,
            users_affected=round(affected, 3),
            burn_rate=round(error / (1.0 - svc.slo.availability), 4),
        )

    def _v2_metrics(self, svc: Service, excess: _Excess, own: _Excess) -> ServiceMetrics:
        """v2 impact: slow requests, lost traffic and the service's own metrics count too.

        A p99 over the latency SLO degrades a share of users that grows with the
        overshoot: ``(p99 - SLO) / SLO``, all of them at twice the SLO. Users who cannot
        reach the service (a traffic drop) count as affected; its requests as lost.
        """
        base = self._service_metrics(svc, excess)
        change = max(-1.0, own.traffic)
        arriving = max(-1.0, own.traffic + own.carried)
        rpm = svc.traffic.requests_per_minute
        lost = rpm * -change if change < 0 else 0.0
        upm = svc.traffic.users_per_minute
        affected = min(upm, base.users_affected + upm * max(0.0, -change))
        slo = svc.slo.latency_p99_ms
        slow_share = min(1.0, max(0.0, (base.latency_p99_ms - slo) / slo))
        degraded = max(0.0, upm * slow_share - affected)
        custom = tuple(
            (k, round(v + own.metrics.get(k, 0.0), 3)) for k, v in sorted(svc.metrics.items())
        )
        return ServiceMetrics(
            error_rate=base.error_rate,
            latency_p99_ms=base.latency_p99_ms,
            saturation=base.saturation,
            requests_per_minute=round(rpm * (1.0 + arriving), 3),
            users_per_minute=upm,
            users_affected=round(affected, 3),
            burn_rate=base.burn_rate,
            users_degraded=round(degraded, 3),
            requests_lost=round(lost, 3),
            custom=custom,
        )
