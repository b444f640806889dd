"""What the incident console shows, rebuilt from events alone.

The console never asks the engine what is firing or how a service is doing: it
folds the drill's events (docs/log-format.md) into an :class:`IncidentPicture`.
That is what lets ``gameday replay`` feed a finished log to the very same widgets
with no engine at all, and it keeps game rules out of the UI: the picture only
records what the events say happened. No Textual import here, so it is cheap to
test and to benchmark.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.log.events import GROUND_TRUTH_EVENTS, Event
from simulator.log.vocabulary import EventType

HISTORY = 40
"""Metric samples kept per service for the sparklines (10 minutes at 15 s)."""

TRUTH_EVENTS = GROUND_TRUTH_EVENTS
"""What the trainee must not see while playing (replays and the facilitator do)."""


@dataclass
class AlertView:
    """One alert as the trainee sees it in the alert list."""

    id: str
    name: str
    service: str
    severity: str
    group: str
    fired_at: float
    summary: str
    acknowledged: bool = False
    silenced: bool = False
    resolved_at: float | None = None

    @property
    def state(self) -> str:
        """``new``, ``acked``, ``silenced`` or ``resolved``."""
        if self.resolved_at is not None:
            return "resolved"
        if self.silenced:
            return "silenced"
        return "acked" if self.acknowledged else "new"


@dataclass
class ServiceSeries:
    """A service's recent metric samples and its objectives."""

    name: str
    slo_availability: float
    slo_latency_ms: float
    error_rate: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    latency_ms: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    traffic_rpm: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    saturation: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    users_affected: float = 0.0
    """Users per minute the latest sample says are affected (the /resolve confirmation)."""

    @property
    def error_budget(self) -> float:
        """The error rate the SLO allows (1 − availability)."""
        return 1.0 - self.slo_availability

    def health(self) -> str:
        """``ok``, ``warn`` or ``bad``: the latest sample measured against the SLO."""
        if not self.error_rate:
            return "ok"
        burn = self.error_rate[-1] / self.error_budget if self.error_budget else 0.0
        latency = self.latency_ms[-1] / self.slo_latency_ms
        # 14.4x burn is the classic fast-burn paging threshold; 2x a slow burn.
        if burn >= 14.4 or latency >= 1.0:
            return "bad"
        if burn >= 2.0 or latency >= 0.8:
            return "warn"
        return "ok"


@dataclass
class IncidentPicture:
    """The trainee's view of the incident, folded from events in order."""

    scenario: dict[str, Any]
    trainee: str
    role: str
    reveal_truth: bool = False
    seated: bool = True
    """Whether someone plays ``role`` at this console (not a facilitator or watcher)."""
    presence: dict[str, bool] | None = None
    """Players' names and whether they are connected, where the console knows (a host)."""
    now: float = 0.0
    severity: int | None = None
    first_page_at: float | None = None
    status_state: str | None = None
    ended: str | None = None
    alerts: dict[str, AlertView] = field(default_factory=dict)
    services: dict[str, ServiceSeries] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    open_pages: dict[str, str] = field(default_factory=dict)
    stakeholders: list[str] = field(default_factory=list)
    """People who asked for news, first asker first (``/reply`` completes them)."""
    alerts_changed: bool = True
    metrics_changed: bool = True
    header_changed: bool = True

    def __post_init__(self) -> None:
        for svc in self.scenario.get("services", []):
            slo = svc.get("slo", {})
            self.services[svc["name"]] = ServiceSeries(
                svc["name"],
                float(slo.get("availability", 0.999)),
                float(slo.get("latency_p99_ms", 500.0)),
            )
        self.roles.setdefault(self.role, self.trainee)

    @classmethod
    def from_header(
        cls,
        header: dict[str, Any],
        *,
        reveal_truth: bool = False,
        seat: tuple[str, str] | None = None,
        seated: bool = True,
    ) -> IncidentPicture:
        """A blank picture for the drill a log header describes, seen from ``seat``
        (name, role; the trainee's by default) or by nobody in a role (``seated=False``)."""
        picture = cls(
            dict(header.get("scenario", {})),
            *(seat or (str(header.get("trainee", "trainee")), str(header.get("role", "ic")))),
            reveal_truth=reveal_truth,
            seated=seated,
        )
        for role, name in {
            header.get("role"): header.get("trainee"),
            **header.get("players", {}),
        }.items():
            if role and name:
                picture.roles.setdefault(str(role), str(name))
        return picture

    def visible(self, event: Event) -> bool:
        """Whether the trainee may see this event (ground truth only in replays)."""
        return self.reveal_truth or event.type not in TRUTH_EVENTS

    def firing(self) -> list[AlertView]:
        """Firing alerts, grouped (groups in order of their oldest alert), oldest first."""
        live = [a for a in self.alerts.values() if a.resolved_at is None]
        first_seen: dict[str, float] = {}
        for alert in live:
            first_seen[alert.group] = min(
                first_seen.get(alert.group, alert.fired_at), alert.fired_at
            )
        return sorted(live, key=lambda a: (first_seen[a.group], a.group, a.fired_at, a.id))

    def apply(self, event: Event) -> None:
        """Fold one event into the picture."""
        self.now = max(self.now, event.t)
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event)

    # ------------------------------------------------------------------ handlers
    def _fired(self, e: Event) -> None:
        self.alerts[e["alert"]] = AlertView(
            e["alert"],
            e["name"],
            e.get("service") or "—",
            e["severity"],
            e["group"],
            e.t,
            e.get("summary") or "",
            silenced=bool(e.get("silenced")),
        )
        self.alerts_changed = True

    def _resolved(self, e: Event) -> None:
        alert = self.alerts.get(e["alert"])
        if alert is not None:
            alert.resolved_at = e.t
            # Resolved alerts leave the list; dropping them keeps long drills cheap.
            del self.alerts[e["alert"]]
        self.open_pages = {p: a for p, a in self.open_pages.items() if a != e["alert"]}
        self.alerts_changed = self.header_changed = True

    def _acknowledged(self, e: Event) -> None:
        alert = self.alerts.get(e["alert"])
        if alert is not None:
            alert.acknowledged = True
            self.alerts_changed = True

    def _silenced(self, e: Event) -> None:
        for alert_id in e.get("alerts") or ():
            if alert_id in self.alerts:
                self.alerts[alert_id].silenced = True
        self.alerts_changed = True

    def _page_sent(self, e: Event) -> None:
        if self.first_page_at is None and not e.get("manual"):
            self.first_page_at = e.t
        if not e.get("manual"):
            self.open_pages[e["page"]] = e["alert"]
        self.header_changed = True

    def _page_acked(self, e: Event) -> None:
        self.open_pages.pop(e["page"], None)
        self.header_changed = True

    def _metrics(self, e: Event) -> None:
        for name, sample in e["services"].items():
            series = self.services.get(name)
            if series is None:
                continue
            series.error_rate.append(float(sample["error_rate"]))
            series.latency_ms.append(float(sample["latency_p99_ms"]))
            series.traffic_rpm.append(float(sample["requests_per_minute"]))
            series.saturation.append(float(sample.get("saturation", 0.0)))
            series.users_affected = float(sample.get("users_affected", 0.0))
        self.metrics_changed = True

    def _severity(self, e: Event) -> None:
        self.severity = int(e["severity"])
        self.header_changed = True

    def _role(self, e: Event) -> None:
        self.roles[e["role"]] = e["person"]
        self.header_changed = True

    def _status(self, e: Event) -> None:
        self.status_state = e["state"]
        self.header_changed = True

    def _asked(self, e: Event) -> None:
        name = e.get("stakeholder") if e["kind"] == "stakeholder_ask" else None
        if e["kind"] == "executive_ask":
            name = str(e["sender"]).split(" (")[0]
        if name and name not in self.stakeholders:
            self.stakeholders.append(str(name))

    def _ended(self, e: Event) -> None:
        self.ended = e["reason"]
        self.header_changed = True


_HANDLERS: dict[EventType, Callable[[IncidentPicture, Event], None]] = {
    "alert.fired": IncidentPicture._fired,
    "alert.resolved": IncidentPicture._resolved,
    "alert.acknowledged": IncidentPicture._acknowledged,
    "alert.silenced": IncidentPicture._silenced,
    "page.sent": IncidentPicture._page_sent,
    "page.acknowledged": IncidentPicture._page_acked,
    "metrics.sample": IncidentPicture._metrics,
    "severity.declared": IncidentPicture._severity,
    "role.assigned": IncidentPicture._role,
    "status.posted": IncidentPicture._status,
    "drill.ended": IncidentPicture._ended,
    "message.posted": IncidentPicture._asked,
}
