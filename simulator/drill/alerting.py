"""Alerts: rule evaluation with ``for`` durations, noise, Alertmanager-style groups, silences.

The :class:`AlertBook` owns every alert instance of a drill. It reports what
changed as ``(event type, fields)`` pairs; the engine stamps and logs them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from simulator.drill.health import ServiceMetrics
from simulator.scenario.model import AlertRule, Scenario

Emit = Callable[..., Any]

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


@dataclass
class Alert:
    """One firing (or resolved) alert instance."""

    id: str
    name: str
    service: str | None
    severity: str
    labels: dict[str, str]
    noise: bool
    group: str
    fired_at: float
    summary: str = ""
    rule: str | None = None
    resolved_at: float | None = None
    acknowledged: bool = False
    silenced: bool = False

    @property
    def firing(self) -> bool:
        """Still firing."""
        return self.resolved_at is None


@dataclass
class Silence:
    """A silence on every alert with a given name, until a time."""

    name: str
    until: float
    by: str


@dataclass
class _RuleState:
    pending_since: float | None = None
    alert: Alert | None = None


@dataclass
class AlertBook:
    """Every alert of the drill, the rules' pending state, groups and silences."""

    scenario: Scenario
    emit: Emit
    alerts: dict[str, Alert] = field(default_factory=dict)
    silences: list[Silence] = field(default_factory=list)
    _rules: dict[str, _RuleState] = field(default_factory=dict)
    _firing: dict[str, Alert] = field(default_factory=dict)
    _counter: int = 0

    def __post_init__(self) -> None:
        self._rules = {r.name: _RuleState() for r in self.scenario.alerts.rules}

    # ------------------------------------------------------------------ queries
    def firing(self) -> list[Alert]:
        """Alerts still firing, oldest first."""
        return list(self._firing.values())

    def known_names(self) -> set[str]:
        """Every alert name a command may refer to."""
        names = {r.name for r in self.scenario.alerts.rules}
        for noise in self.scenario.alerts.noise:
            if noise.kind == "flapping":
                names.add(noise.name)
            elif noise.kind == "poisson":
                names.update(noise.names)
        return names | {a.name for a in self.alerts.values()}

    def matching(self, ref: str) -> list[Alert]:
        """Firing alerts whose id or name is ``ref`` (case-insensitive)."""
        key = ref.lower()
        return [a for a in self.firing() if a.id.lower() == key or a.name.lower() == key]

    def is_silenced(self, name: str, t: float) -> bool:
        """Whether a silence covers alerts named ``name`` at ``t``."""
        return any(s.name.lower() == name.lower() and t < s.until for s in self.silences)

    # ------------------------------------------------------------------ changes
    def _group_key(self, labels: dict[str, str]) -> str:
        keys = self.scenario.alerts.group_by
        if "..." in keys:
            return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
        return ",".join(f"{k}={labels.get(k, '')}" for k in keys)

    def fire(
        self,
        t: float,
        name: str,
        service: str | None,
        severity: str,
        *,
        noise: bool,
        labels: dict[str, str] | None = None,
        summary: str = "",
        rule: str | None = None,
    ) -> Alert:
        """A new alert fires; logs it (and joins it to its group)."""
        self._counter += 1
        all_labels = {"alertname": name, "severity": severity}
        if service:
            all_labels["service"] = service
        all_labels.update(labels or {})
        group = self._group_key(all_labels)
        alert = Alert(
            id=f"A{self._counter}",
            name=name,
            service=service,
            severity=severity,
            labels=all_labels,
            noise=noise,
            group=group,
            fired_at=t,
            summary=summary,
            rule=rule,
            silenced=self.is_silenced(name, t),
        )
        peers = [a for a in self._firing.values() if a.group == group]
        self.alerts[alert.id] = alert
        self._firing[alert.id] = alert
        self.emit(
            "alert.fired",
            alert=alert.id,
            name=name,
            service=service,
            severity=severity,
            labels=all_labels,
            noise=noise,
            group=group,
            summary=summary,
            silenced=alert.silenced,
            rule=rule,
        )
        if peers:
            self.emit("alert.grouped", alert=alert.id, group=group, size=len(peers) + 1)
        return alert

    def resolve(self, t: float, alert: Alert) -> None:
        """An alert stops firing."""
        if alert.firing:
            alert.resolved_at = t
            del self._firing[alert.id]
            self.emit(
                "alert.resolved",
                alert=alert.id,
                name=alert.name,
                noise=alert.noise,
                duration=round(t - alert.fired_at, 3),
            )

    def silence(self, t: float, name: str, duration: float, by: str) -> list[Alert]:
        """Silence alerts named ``name`` until ``t + duration``; returns those firing now."""
        self.silences.append(Silence(name, t + duration, by))
        hit = [a for a in self.firing() if a.name.lower() == name.lower()]
        for alert in hit:
            alert.silenced = True
        self.emit(
            "alert.silenced",
            name=name,
            until=t + duration,
            by=by,
            alerts=[a.id for a in hit],
            noise=all(a.noise for a in hit) if hit else None,
        )
        return hit

    def evaluate(self, t: float, metrics: dict[str, ServiceMetrics]) -> Iterator[Alert]:
        """Evaluate every rule at ``t``; yield alerts that start firing."""
        for rule in self.scenario.alerts.rules:
            state = self._rules[rule.name]
            value = metrics[rule.service].value(rule.metric)
            if _OPS[rule.op](value, rule.threshold):
                if state.pending_since is None:
                    state.pending_since = t
                if state.alert is None and t - state.pending_since >= rule.for_:
                    state.alert = self._fire_rule(t, rule, value)
                    yield state.alert
            else:
                state.pending_since = None
                if state.alert is not None:
                    self.resolve(t, state.alert)
                    state.alert = None

    def _fire_rule(self, t: float, rule: AlertRule, value: float) -> Alert:
        summary = rule.summary or f"{rule.metric} {rule.op} {rule.threshold} on {rule.service}"
        labels: dict[str, str] = dict(rule.labels)
        return self.fire(
            t,
            rule.name,
            rule.service,
            rule.severity,
            noise=False,
            labels=labels,
            summary=f"{summary} (now {value:.4g})",
            rule=rule.name,
        )
