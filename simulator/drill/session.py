"""The drill session: a SimPy world that replays a scenario, takes commands, emits events.

The API is the one every front end needs:

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

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import simpy

from simulator.drill.alerting import AlertBook
from simulator.drill.chatter import Chatter
from simulator.drill.commands import CommandError, ScriptEntry
from simulator.drill.effects import CommandContext
from simulator.drill.faults import FaultLifecycle
from simulator.drill.health import FaultState, HealthModel, ServiceMetrics
from simulator.drill.injects import Injects
from simulator.drill.knowledge import command_for
from simulator.drill.noise import Noise
from simulator.drill.paging import Pager
from simulator.drill.runner import CommandResult, CommandRunner
from simulator.drill.state import DrillParts, DrillState, Page
from simulator.drill.team import Team
from simulator.drill.teammates import install_teammates
from simulator.drill.tooling import tool_down
from simulator.durations import format_clock, format_duration
from simulator.log.events import LOG_FORMAT, Event
from simulator.log.jsonl import LogWriter
from simulator.log.vocabulary import EventType
from simulator.practice import ROLES
from simulator.scenario.model import Inject, Scenario

if TYPE_CHECKING:
    from simulator.drill.coach import Coach
    from simulator.oncall.model import OnCallConfig

__all__ = ["CommandResult", "DrillSession", "Page"]

Subscriber = Callable[[Event], None]


def gameday_version() -> str:
    """The gameday version written into log headers."""
    # A constant rather than importlib.metadata: that import alone cost ~30 ms of
    # every `gameday play` start.
    from simulator import __version__

    return __version__


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
        wall_started: str | None = None,
        wall_speed: int | None = None,
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
        self._subscribers: list[Subscriber] = []
        self.chatter = Chatter(seed)
        self.health = HealthModel(scenario)
        self.state = DrillState(
            scenario,
            [FaultState(f) for f in scenario.faults],
            flags={f.name: f.state for f in scenario.flags},
        )
        self.events = self.state.events
        parts = DrillParts(self.env, self.state, self._emit)
        self.alerts = AlertBook(scenario, self._emit)
        humans = {role, *humans, *self.players}
        self.team = Team(
            parts, self.chatter, trainee=trainee, role=role, humans=humans, players=self.players
        )
        install_teammates(parts, self.team, self.subscribe)
        self.faults = FaultLifecycle(parts)
        self.pager = Pager(parts, self.team.escalation_chain, oncall)
        self.noise = Noise(parts, self.alerts, self.chatter, seed, self.pager.page_for)
        self.injects = Injects(
            parts, self.chatter, self.subscribe, self.faults.start, self.team.drop
        )
        context = CommandContext(
            parts, self.team, self.alerts, self.health, self.faults, self.end, trainee
        )
        self.commands = CommandRunner(context, role)
        self.oncall = oncall
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
            # A resumed drill keeps the wall-clock time it was first started.
            "wall_started": wall_started or datetime.now(UTC).isoformat(timespec="seconds"),
            # The speed the player chose (simulated seconds per wall second), so `--resume`
            # comes back at it. Pacing only, never a decision: a `wall` field.
            **({"wall_speed": wall_speed} if wall_speed else {}),
        }
        self.header = header
        self.writer = LogWriter(log_path, header) if log_path is not None else None
        self.coach: Coach | None = None
        if coach:
            from simulator.drill.coach import Coach  # only drills that use it pay for it

            self.coach = Coach(parts, self.team, self.subscribe)
        self._start()

    # ------------------------------------------------------------------ events
    def subscribe(self, subscriber: Subscriber) -> None:
        """Call ``subscriber`` with every event from now on."""
        self._subscribers.append(subscriber)

    def _emit(self, type_: EventType, /, **data: Any) -> Event:
        event = Event(len(self.events) + 1, round(float(self.env.now), 3), type_, data)
        if self.state.ended:
            # A simulated teammate resolved mid-advance: the log is closed and the drill
            # over, so the processes still scheduled in this run() record nothing.
            return event
        self.events.append(event)
        if self.writer is not None:
            self.writer.write(event)
        for subscriber in self._subscribers:
            subscriber(event)
        return event

    # ------------------------------------------------------------------ the state, read-only
    @property
    def now(self) -> float:
        """Simulated seconds since the drill started."""
        return float(self.env.now)

    @property
    def ended(self) -> bool:
        """Whether the drill is over."""
        return self.state.ended

    @property
    def severity(self) -> int | None:
        """The severity declared so far."""
        return self.state.severity

    @property
    def last_metrics(self) -> dict[str, ServiceMetrics]:
        """The latest metrics sample."""
        return self.state.last_metrics

    def felt_service(self) -> str:
        """The service customers feel most right now (see :meth:`DrillState.felt_service`)."""
        return self.state.felt_service()

    def known_mitigations(self) -> list[str]:
        """Commands of the scenario's levers the team may use now (for completion and help).

        In v2 a lever with ``known: false`` appears once a finding has revealed it.
        """
        known = self.state.known
        return [command_for(m) for m in self.scenario.mitigations if m.id in known]

    def known_investigations(self) -> list[str]:
        """Queries the team may run now: the generic kinds and the scenario's own."""
        generic = ["deploys", "flags", *(f"{k} SERVICE" for k in ("logs", "metrics", "deps"))]
        return [*generic, *(i.query for i in self.scenario.investigations)]

    # ------------------------------------------------------------------ driving
    def advance(self, until: float) -> list[Event]:
        """Run the drill up to simulated time ``until`` (capped at the duration limit).

        ``until`` is rounded to the millisecond, as the log's times are: a command given
        after this runs at the time its event logs, so a resumed drill that replays the
        log (simulator.drill.resume) stops where this one did, with the same steps run.
        """
        if self.ended:
            return []
        first = len(self.events)
        target = min(round(until, 3), self.duration)
        if target > self.env.now:
            self.env.run(until=target)
        if self.env.now >= self.duration:
            self.end(f"duration limit {format_duration(self.duration)} reached")
        return self.events[first:]

    def catch_up(self, t: float, events: int | None = None) -> None:
        """Advance to ``t`` and also run what is due at exactly ``t``, until the drill
        holds ``events`` events (all that are due, without a count).

        ``advance(t)`` stops before the events due at ``t``; a resumed drill must hold
        every event its log held, and the last of those may be due at ``t`` as logged,
        that is rounded to the millisecond (the true time may be a little later). It must
        hold no more: a command given at ``t`` came before what had not run yet.
        """
        self.advance(t)
        while (
            not self.ended
            and (events is None or len(self.events) < events)
            and self.env.peek() < t + 0.0005
        ):
            self.env.step()

    def submit(
        self,
        text: str,
        *,
        role: str | None = None,
        reason: str | None = None,
        by: str | None = None,
    ) -> CommandResult:
        """Apply one slash command now, given by ``by`` in ``role`` (the trainee's by default).

        A team host passes ``by``, the person at the seat the command came from, so the
        log credits them whoever holds the role now.
        """
        return self.commands.submit(text, role or self.role, reason, by)

    def run_script(self, script: Iterable[ScriptEntry]) -> list[CommandResult | None]:
        """Play scripted commands at their times, then run to the end of the drill.

        Returns each entry's result, in order; None for entries the drill ended before.
        """
        results: list[CommandResult | None] = []
        for entry in script:
            if not self.ended:
                self.advance(entry.at)
            if self.ended:
                results.append(None)
                continue
            results.append(self.submit(entry.do, role=entry.as_, reason=entry.why))
        self.advance(self.duration)
        return results

    def end(self, reason: str) -> None:
        """End the drill (idempotent)."""
        if self.ended:
            return
        self.faults.data.close()
        self._emit("drill.ended", reason=reason, impact_ongoing=self.state.impact_open)
        self.state.ended = True
        if self.writer is not None:
            self.writer.close()
        # When a process ended the drill (a simulated IC's /resolve), ``env.run`` is
        # still going: stop it at this instant rather than run on to ``until``.
        stop = self.env.event()
        stop.callbacks.append(simpy.core.StopSimulation.callback)
        stop.succeed()

    def close(self) -> None:
        """Close the log without ending the drill (the player quit; it can be resumed)."""
        if self.writer is not None:
            self.writer.close()

    def facilitate(self, text: str) -> Event:
        """Apply a facilitator's inject (``/inject exec ...``, see simulator.drill.facilitator) now.

        Logged as ``inject.applied`` before its effects; raises CommandError, and logs
        nothing, when ``text`` is not an inject.
        """
        from simulator.drill.facilitator import parse_inject

        inject = parse_inject(text, self.scenario, self.now)
        self._check_inject(inject)
        event = self._emit("inject.applied", by="facilitator", text=text.strip(), kind=inject.kind)
        self.injects.apply(inject)
        return event

    def _check_inject(self, inject: Inject) -> None:
        """Refuse, with the reason, an inject that would report success without effect."""
        if inject.kind == "teammate_drop" and inject.role in self.team.human_roles:
            name = self.team.roles.get(inject.role) or inject.role
            raise CommandError(
                f"{name} is a person at the drill: a human can't be dropped",
                "/inject drop ROLE [BACK_AFTER] for a role the simulator plays",
            )
        if inject.kind == "fault":
            state = next(s for s in self.state.faults if s.fault.id == inject.fault)
            if state.started_at is not None:
                raise CommandError(
                    f"fault {inject.fault} already started at {format_clock(state.started_at)}",
                    "/inject fault FAULT (one that has not started yet)",
                )

    # ------------------------------------------------------------------ processes
    def _start(self) -> None:
        sc = self.scenario
        self._emit(
            "drill.started",
            scenario=sc.metadata.id,
            title=sc.metadata.title,
            duration=self.duration,
            role=self.role,
            trainee=self.trainee,
            services=[s.name for s in sc.services],
            briefing=sc.metadata.briefing,
        )
        self.team.start(self.commands.perform, self.subscribe)
        if self.coach is not None:
            self.coach.start()
        self.env.process(self._ticker())
        for state in self.state.faults:
            if state.fault.start is not None:
                self.env.process(self.faults.start_at(state, state.fault.start))
        self.injects.start_injects()
        self.noise.start()
        self.injects.start_stakeholders()

    def _ticker(self) -> simpy.events.ProcessGenerator:
        interval = self.scenario.alerts.evaluation_interval
        while True:
            t = self.now
            metrics = self.health.metrics(t, self.state.faults)
            self.state.last_metrics = metrics
            services = {
                name: {
                    "error_rate": m.error_rate,
                    "latency_p99_ms": m.latency_p99_ms,
                    "saturation": m.saturation,
                    "requests_per_minute": m.requests_per_minute,
                    "users_affected": m.users_affected,
                    "burn_rate": m.burn_rate,
                }
                for name, m in metrics.items()
            }
            if self.state.v2:
                self._v2_sample(t, services)
            self._emit("metrics.sample", services=services)
            self.faults.milestones(t)
            # Monitoring that is down evaluates nothing: no new alert fires, none resolves.
            if not tool_down(self.state, "monitoring"):
                for alert in self.alerts.evaluate(t, metrics):
                    self.noise.after_fire(alert)
            yield self.env.timeout(interval)

    def _v2_sample(self, t: float, services: dict[str, dict[str, Any]]) -> None:
        """v2's extra impact per service, only when nonzero (so v1 logs are unchanged)."""
        lost = self.faults.data.lost_on(t)
        for name, m in self.state.last_metrics.items():
            sample = services[name]
            if m.users_degraded:
                sample["users_degraded"] = m.users_degraded
            if m.requests_lost:
                sample["requests_lost"] = m.requests_lost
            if name in lost:
                sample["data_lost"] = lost[name]
            if m.custom:
                sample["metrics"] = dict(m.custom)

    # ------------------------------------------------------------------ summary
    def summary(self) -> dict[str, Any]:
        """The headline facts of the drill so far, as plain data."""
        from simulator.log.summary import summarize

        return summarize(self.header, self.events)
