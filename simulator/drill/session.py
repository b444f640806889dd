"""The drill session: a SimPy world that replays a scenario, takes commands, emits events.

The API is the one every front end needs (STYLE.md, habit 2):

* :meth:`DrillSession.advance` — run simulated time forward to ``until`` and return
  the events that happened (the TUI calls it from a timer; the headless runner
  calls it once per scripted command);
* :meth:`DrillSession.submit` — apply one slash command at the current time.

Everything that happens is an :class:`~simulator.events.Event`, appended to the
in-memory list, the JSONL log (flushed per line) and any subscribers. The engine
never prints and never imports UI code. Game rules for commands live in
:mod:`simulator.drill.actions`; simulated teammates in :mod:`simulator.drill.team`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import simpy

from simulator.drill.actions import CommandRunner
from simulator.drill.alerting import Alert, AlertBook
from simulator.drill.chatter import Chatter
from simulator.drill.commands import ScriptEntry
from simulator.drill.health import FaultState, HealthModel, ServiceMetrics
from simulator.drill.team import Team
from simulator.durations import format_duration
from simulator.log.events import LOG_FORMAT, Event
from simulator.log.jsonl import LogWriter
from simulator.practice import ROLES
from simulator.scenario.model import (
    FlappingNoise,
    Inject,
    InjectTrigger,
    PoissonNoise,
    Scenario,
    Stakeholder,
)

if TYPE_CHECKING:
    from simulator.drill.coach import Coach
    from simulator.oncall.model import OnCallConfig

Subscriber = Callable[[Event], None]
ESCALATE_AFTER = 300.0
"""Without an on-call config, an unacknowledged page goes up the chain after this long."""


def gameday_version() -> str:
    """The gameday version written into log headers."""
    # A constant rather than importlib.metadata: that import alone cost ~30 ms of
    # every `gameday play` start.
    from simulator import __version__

    return __version__


@dataclass(frozen=True)
class CommandResult:
    """What happened to a submitted command."""

    accepted: bool
    message: str
    event: Event


@dataclass
class Page:
    """A notification to a person about an alert group."""

    id: str
    alert: Alert
    to: str
    level: int
    sent_at: float
    acknowledged_by: str | None = None


class DrillSession:
    """One drill of one scenario with one seed: the engine every front end drives."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int,
        role: str = "ic",
        trainee: str = "trainee",
        log_path: str | Path | None = None,
        scenario_hash: str = "",
        humans: Iterable[str] = (),
        oncall: OnCallConfig | None = None,
        players: Mapping[str, str] | None = None,
        coach: bool = False,
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        # Other people at the drill (a team game day): role -> name, each role theirs
        # from the start and never automated.
        self.players = {r: n for r, n in sorted((players or {}).items()) if r != role}
        if unknown := set(self.players) - set(ROLES):
            raise ValueError(f"unknown role {sorted(unknown)[0]!r}")
        self.scenario = scenario
        self.seed = seed
        self.role = role
        self.trainee = trainee
        self.duration = scenario.metadata.duration
        self.env = simpy.Environment()
        self.events: list[Event] = []
        self.ended = False
        self.end_reason: str | None = None
        self._subscribers: list[Subscriber] = []
        self.random = random.Random(f"{seed}:engine")
        self.chatter = Chatter(seed)
        self.health = HealthModel(scenario)
        self.faults = [FaultState(f) for f in scenario.faults]
        self.alerts = AlertBook(scenario, self._emit_now)
        self.flags: dict[str, str] = {f.name: f.state for f in scenario.flags}
        self.severity: int | None = None
        self.pages: list[Page] = []
        self.last_metrics: dict[str, ServiceMetrics] = {}
        self.last_update_at: float | None = None
        self.last_status_at: float | None = None
        self.impact_open = False
        self.oncall = oncall
        humans = {role, *humans, *self.players}
        self.team = Team(self, humans=humans, players=self.players)
        self.actions = CommandRunner(self)
        header = {
            "format": LOG_FORMAT,
            "gameday_version": gameday_version(),
            "scenario_id": scenario.metadata.id,
            "scenario_hash": scenario_hash,
            "seed": seed,
            "role": role,
            "trainee": trainee,
            "humans": sorted(humans),
            **({"players": self.players} if self.players else {}),
            **({"coach": True} if coach else {}),
            "scenario": scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True),
            "oncall": oncall.model_dump(mode="json") if oncall else None,
            "wall_started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.header = header
        self.writer = LogWriter(log_path, header) if log_path is not None else None
        self.coach: Coach | None = None
        if coach:
            from simulator.drill.coach import Coach  # only drills that use it pay for it

            self.coach = Coach(self)
        self._start()

    # ------------------------------------------------------------------ events
    def subscribe(self, subscriber: Subscriber) -> None:
        """Call ``subscriber`` with every event from now on."""
        self._subscribers.append(subscriber)

    def _emit_now(self, type_: str, **data: Any) -> Event:
        event = Event(len(self.events) + 1, round(float(self.env.now), 3), type_, data)
        self.events.append(event)
        if self.writer is not None:
            self.writer.write(event)
        for subscriber in self._subscribers:
            subscriber(event)
        return event

    emit = _emit_now

    @property
    def now(self) -> float:
        """Simulated seconds since the drill started."""
        return float(self.env.now)

    # ------------------------------------------------------------------ driving
    def advance(self, until: float) -> list[Event]:
        """Run the drill up to simulated time ``until`` (capped at the duration limit)."""
        if self.ended:
            return []
        first = len(self.events)
        target = min(until, self.duration)
        if target > self.env.now:
            self.env.run(until=target)
        if self.env.now >= self.duration:
            self.end(f"duration limit {format_duration(self.duration)} reached")
        return self.events[first:]

    def submit(
        self, text: str, *, role: str | None = None, reason: str | None = None
    ) -> CommandResult:
        """Apply one slash command now, as ``role`` (the trainee's by default)."""
        return self.actions.submit(text, role or self.role, reason)

    def run_script(self, script: Iterable[ScriptEntry]) -> None:
        """Play scripted commands at their times, then run to the end of the drill."""
        for entry in script:
            if self.ended:
                break
            self.advance(entry.at)
            if self.ended:
                break
            self.submit(entry.do, role=entry.as_, reason=entry.why)
        self.advance(self.duration)

    def end(self, reason: str) -> None:
        """End the drill (idempotent)."""
        if self.ended:
            return
        self._emit_now("drill.ended", reason=reason, impact_ongoing=self.impact_open)
        self.ended = True
        self.end_reason = reason
        if self.writer is not None:
            self.writer.close()

    def close(self) -> None:
        """Close the log without ending the drill (the player quit; it can be resumed)."""
        if self.writer is not None:
            self.writer.close()

    # ------------------------------------------------------------------ processes
    def _start(self) -> None:
        sc = self.scenario
        self._emit_now(
            "drill.started",
            scenario=sc.metadata.id,
            title=sc.metadata.title,
            duration=self.duration,
            role=self.role,
            trainee=self.trainee,
            services=[s.name for s in sc.services],
            briefing=sc.metadata.briefing,
        )
        self.team.start()
        if self.coach is not None:
            self.coach.start()
        self.env.process(self._ticker())
        for state in self.faults:
            if state.fault.start is not None:
                self.env.process(self._fault_at(state, state.fault.start))
        for inject in sc.injects:
            self.env.process(self._inject(inject))
        for index, noise in enumerate(sc.alerts.noise):
            if isinstance(noise, PoissonNoise):
                self.env.process(self._poisson_noise(noise, index))
            elif isinstance(noise, FlappingNoise):
                self.env.process(self._flapping_noise(noise))
        for stakeholder in sc.stakeholders:
            self.env.process(self._stakeholder(stakeholder))

    def _ticker(self) -> simpy.events.ProcessGenerator:
        interval = self.scenario.alerts.evaluation_interval
        while True:
            t = self.now
            metrics = self.health.metrics(t, self.faults)
            self.last_metrics = metrics
            self._emit_now(
                "metrics.sample",
                services={
                    name: {
                        "error_rate": m.error_rate,
                        "latency_p99_ms": m.latency_p99_ms,
                        "saturation": m.saturation,
                        "requests_per_minute": m.requests_per_minute,
                        "users_affected": m.users_affected,
                        "burn_rate": m.burn_rate,
                    }
                    for name, m in metrics.items()
                },
            )
            self._fault_milestones(t)
            for alert in self.alerts.evaluate(t, metrics):
                self._after_fire(alert)
            yield self.env.timeout(interval)

    def _fault_milestones(self, t: float) -> None:
        for state in self.faults:
            if not state.active:
                continue
            level = state.level(t)
            for mark in (50, 100):
                if level * 100 >= mark - 1e-9 and mark not in state.milestones:
                    state.milestones.add(mark)
                    self._emit_now(
                        "fault.escalated",
                        fault=state.fault.id,
                        level=round(level, 3),
                        milestone=mark,
                    )

    def start_fault(self, state: FaultState) -> None:
        """Start a fault now (scheduled or injected)."""
        if state.started_at is not None:
            return
        state.start(self.now)
        f = state.fault
        self._emit_now(
            "fault.started",
            fault=f.id,
            kind=f.kind,
            target=f.target,
            region=f.region,
            cascade=f.cascade,
        )
        if not self.impact_open:
            self.impact_open = True
            self._emit_now("impact.started", fault=f.id, service=f.target)

    def _fault_at(self, state: FaultState, at: float) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(at)
        self.start_fault(state)

    def check_impact_over(self) -> simpy.events.ProcessGenerator:
        """After a fix, wait for recovery; close the impact episode when all is well."""
        pending = [s.fixed_at + s.fault.recovery for s in self.faults if s.fixed_at is not None]
        wait = max(pending, default=self.now) - self.now
        yield self.env.timeout(max(0.0, wait))
        if self.impact_open and all(
            s.started_at is None or s.recovered(self.now) for s in self.faults
        ):
            self.impact_open = False
            self._emit_now("impact.ended")

    def felt_service(self) -> str:
        """The service customers feel most right now: the one people ask about.

        Customers meet the entry points (services nothing else depends on), not the
        database behind them; across a cascade the same users show up on several
        services, so it is the entry point with the most users affected. Before any
        impact, the first fault's target.
        """
        metrics = self.last_metrics
        inner = {d.service for s in self.scenario.services for d in s.dependencies()}
        felt = [n for n in metrics if metrics[n].users_affected > 0]
        felt = [n for n in felt if n not in inner] or felt
        if felt:
            return max(felt, key=lambda n: metrics[n].users_affected)
        return self.scenario.faults[0].target

    def facilitate(self, text: str) -> Event:
        """Apply a facilitator's inject (``/inject exec ...``, see simulator.drill.facilitator) now.

        Logged as ``inject.applied`` before its effects; raises CommandError, and logs
        nothing, when ``text`` is not an inject.
        """
        from simulator.drill.facilitator import parse_inject

        inject = parse_inject(text, self.scenario, self.now)
        event = self._emit_now(
            "inject.applied", by="facilitator", text=text.strip(), kind=inject.kind
        )
        self.apply_inject(inject)
        return event

    def _inject(self, inject: Inject) -> simpy.events.ProcessGenerator:
        if inject.after is not None:
            yield self._first(inject.after)
            yield self.env.timeout(inject.after.delay)
        else:
            yield self.env.timeout(inject.at or 0.0)
        self.apply_inject(inject)

    def _first(self, trigger: InjectTrigger) -> simpy.Event:
        """A SimPy event that fires with the first drill event ``trigger`` describes."""
        fired = self.env.event()

        def text(value: object) -> str:  # shift-traffic, Shift_Traffic: one action
            return str(value).lower().replace("-", "_")

        wanted = {k: text(v) for k, v in trigger.match.items()}

        def watch(event: Event) -> None:
            if (
                not fired.triggered
                and event.type == trigger.event
                and all(text(event.get(k)) == v for k, v in wanted.items())
            ):
                fired.succeed(event)

        self.subscribe(watch)
        return fired

    def apply_inject(self, inject: Inject) -> None:
        """What an inject does, now: a message, a surge, a fault, a teammate gone."""
        minutes = int((self.now - (self._impact_start() or self.now)) // 60)
        main = self.felt_service()
        sender = inject.sender
        if inject.kind == "customer_report":
            service = inject.service or main
            text = inject.message or self.chatter.customer_report(service, minutes)
            self.post(
                "support",
                sender or f"{self.chatter.customer_name()} (customer)",
                text,
                kind="customer_report",
            )
        elif inject.kind == "executive_ask":
            text = inject.message or self.chatter.executive_ask(main)
            self.post(
                "incident",
                sender or f"{self.chatter.person_name()} (VP Engineering)",
                text,
                kind="executive_ask",
            )
        elif inject.kind == "support_surge":
            text = inject.message or self.chatter.support_surge(inject.tickets, main)
            self.post(
                "incident",
                sender or f"{self.chatter.person_name()} (Support Lead)",
                text,
                kind="support_surge",
                tickets=inject.tickets,
            )
        elif inject.kind == "fault":
            self.start_fault(next(s for s in self.faults if s.fault.id == inject.fault))
        elif inject.kind == "teammate_drop":
            self.team.drop(inject.role, inject.back_after, inject.message)

    def _impact_start(self) -> float | None:
        return next((e.t for e in self.events if e.type == "impact.started"), None)

    def post(self, channel: str, sender: str, text: str, *, kind: str, **extra: Any) -> Event:
        """A message appears in a channel (incident, support, stakeholders)."""
        return self._emit_now(
            "message.posted", channel=channel, sender=sender, text=text, kind=kind, **extra
        )

    def _poisson_noise(self, noise: PoissonNoise, index: int) -> simpy.events.ProcessGenerator:
        rng = random.Random(f"{self.seed}:noise:{index}")
        services = noise.services or tuple(s.name for s in self.scenario.services)
        while True:
            yield self.env.timeout(rng.expovariate(noise.rate_per_hour / 3600.0))
            name = self.chatter.noise_name(noise.names)
            service = rng.choice(services)
            for _ in range(noise.burst):
                host = self.chatter.host(service)
                alert = self.alerts.fire(
                    self.now,
                    name,
                    service,
                    noise.severity,
                    noise=True,
                    labels={"instance": host},
                    summary=f"{name} on {host}",
                )
                self._after_fire(alert)
                self.env.process(self._resolve_later(alert, rng.expovariate(1.0 / noise.lasts)))

    def _flapping_noise(self, noise: FlappingNoise) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(noise.start)
        while True:
            alert = self.alerts.fire(
                self.now,
                noise.name,
                noise.service,
                noise.severity,
                noise=True,
                summary=f"{noise.name} (flapping)",
            )
            self._after_fire(alert)
            yield self.env.timeout(noise.period)
            self.alerts.resolve(self.now, alert)
            yield self.env.timeout(noise.period)

    def _resolve_later(self, alert: Alert, after: float) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(after)
        self.alerts.resolve(self.now, alert)

    def _after_fire(self, alert: Alert) -> None:
        for noise in self.scenario.alerts.noise:
            if noise.kind == "duplicate" and alert.rule == noise.of:
                self.env.process(self._duplicate(alert, noise.source, noise.delay))
        if alert.severity == "page" and not alert.silenced:
            self.page_for(alert)

    def _duplicate(self, real: Alert, source: str, delay: float) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(delay)
        if real.firing:
            dup = self.alerts.fire(
                self.now,
                real.name,
                real.service,
                real.severity,
                noise=True,
                labels={"source": source, "duplicate_of": real.id},
                summary=f"{real.summary} [via {source}]",
            )
            self._after_fire(dup)

    # ------------------------------------------------------------------ paging
    def page_for(self, alert: Alert) -> None:
        """Page the on-call for a new alert, unless its group already has an open page."""
        # One incident per alert group (Alertmanager's group, PagerDuty's dedup key): a
        # new alert in a group that already paged and is still firing does not page again.
        if any(p.alert.group == alert.group and p.alert.firing for p in self.pages):
            return
        plan = self._escalation_plan(alert)
        page = Page(f"P{len(self.pages) + 1}", alert, plan[0][1], 0, self.now)
        self.pages.append(page)
        self._emit_now(
            "page.sent",
            page=page.id,
            alert=alert.id,
            name=alert.name,
            to=page.to,
            level=0,
            noise=alert.noise,
        )
        self.env.process(self._escalate(page, plan[1:]))

    def _escalation_plan(self, alert: Alert) -> list[tuple[float, str]]:
        """(offset from the page, who) for each level: the team's policy when one is given."""
        if self.oncall is None:
            chain = self.team.escalation_chain()
            return [(i * ESCALATE_AFTER, person) for i, person in enumerate(chain)]
        from simulator.oncall.paging import escalation_plan

        names = [s.name for s in self.oncall.services]
        service = alert.service if alert.service in names else names[0]
        trigger = self.scenario.metadata.starts_at + timedelta(seconds=self.now)
        steps = escalation_plan(self.oncall, service, trigger).steps
        plan = [(s.offset, ", ".join(s.people) or "(nobody on call)") for s in steps]
        return plan or [(0.0, "(nobody on call)")]

    def _escalate(self, page: Page, rest: list[tuple[float, str]]) -> simpy.events.ProcessGenerator:
        for level, (offset, person) in enumerate(rest, start=1):
            yield self.env.timeout(max(0.0, page.sent_at + offset - self.now))
            alert = page.alert
            if page.acknowledged_by is not None or not alert.firing or alert.silenced or self.ended:
                return
            self._emit_now(
                "page.escalated",
                page=page.id,
                alert=alert.id,
                to=person,
                level=level,
                unacknowledged_for=round(self.now - page.sent_at, 3),
            )

    # ------------------------------------------------------------------ stakeholders
    def _stakeholder(self, stakeholder: Stakeholder) -> simpy.events.ProcessGenerator:
        name = stakeholder.name or self.chatter.person_name()
        label = f"{name} ({stakeholder.title})"
        while not self.impact_open:
            yield self.env.timeout(self.scenario.alerts.evaluation_interval)
        yield self.env.timeout(stakeholder.first_ask)
        while not self.ended:
            last = self.last_update_at
            # Compare against an absolute due time with a tolerance: waiting for
            # `patience - (now - last)` could come out a few ulps short, and a
            # timeout that small no longer moves the clock, so the loop spun forever.
            due = None if last is None else last + stakeholder.patience
            if due is None or self.now >= due - 1e-6:
                since = "nothing yet" if last is None else f"{format_duration(self.now - last)} ago"
                self.post(
                    "stakeholders",
                    label,
                    self.chatter.stakeholder_ask(self.felt_service(), since),
                    kind="stakeholder_ask",
                    stakeholder=name,
                )
                yield self.env.timeout(stakeholder.patience)
            else:
                yield self.env.timeout(max(1.0, due - self.now))

    # ------------------------------------------------------------------ summary
    def summary(self) -> dict[str, Any]:
        """The headline facts of the drill so far, as plain data."""
        from simulator.log.summary import summarize

        return summarize(self.header, self.events)
