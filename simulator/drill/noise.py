"""Alert noise: Poisson bursts, a flapping alert, duplicates of real alerts from a second source.

Real alerts fire among noisy ones, as on a real pager. Each noise source is a
SimPy process with its own seeded random generator, so the noise of a seed is the
same whatever the players do.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import simpy

from simulator.drill.alerting import Alert, AlertBook
from simulator.drill.chatter import Chatter
from simulator.drill.state import DrillParts
from simulator.scenario.model import FlappingNoise, PoissonNoise

OnFire = Callable[[Alert], None]
"""What follows a new alert (duplicates, paging)."""


class Noise:
    """The scenario's noise sources, and what happens after any alert fires."""

    def __init__(
        self,
        parts: DrillParts,
        alerts: AlertBook,
        chatter: Chatter,
        seed: int,
        page_for: Callable[[Alert], None],
    ) -> None:
        self.parts = parts
        self.alerts = alerts
        self.chatter = chatter
        self.seed = seed
        self.page_for = page_for

    def start(self) -> None:
        """Start every noise source the scenario defines."""
        env = self.parts.env
        for index, noise in enumerate(self.parts.state.scenario.alerts.noise):
            if isinstance(noise, PoissonNoise):
                env.process(self._poisson(noise, index))
            elif isinstance(noise, FlappingNoise):
                env.process(self._flapping(noise))

    def after_fire(self, alert: Alert) -> None:
        """A new alert: schedule its duplicates and page for it unless silenced."""
        for noise in self.parts.state.scenario.alerts.noise:
            if noise.kind == "duplicate" and alert.rule == noise.of:
                self.parts.env.process(self._duplicate(alert, noise.source, noise.delay))
        if alert.severity == "page" and not alert.silenced:
            self.page_for(alert)

    def _poisson(self, noise: PoissonNoise, index: int) -> simpy.events.ProcessGenerator:
        p = self.parts
        rng = random.Random(f"{self.seed}:noise:{index}")
        services = noise.services or tuple(s.name for s in p.state.scenario.services)
        while True:
            yield p.env.timeout(rng.expovariate(noise.rate_per_hour / 3600.0))
            name = self.chatter.noise_name(noise.names)
            service = rng.choice(services)
            for _ in range(noise.burst):
                host = self.chatter.host(service)
                alert = self.alerts.fire(
                    p.now,
                    name,
                    service,
                    noise.severity,
                    noise=True,
                    labels={"instance": host},
                    summary=f"{name} on {host}",
                )
                self.after_fire(alert)
                p.env.process(self._resolve_later(alert, rng.expovariate(1.0 / noise.lasts)))

    def _flapping(self, noise: FlappingNoise) -> simpy.events.ProcessGenerator:
        p = self.parts
        yield p.env.timeout(noise.start)
        while True:
            alert = self.alerts.fire(
                p.now,
                noise.name,
                noise.service,
                noise.severity,
                noise=True,
                summary=f"{noise.name} (flapping)",
            )
            self.after_fire(alert)
            yield p.env.timeout(noise.period)
            self.alerts.resolve(p.now, alert)
            yield p.env.timeout(noise.period)

    def _resolve_later(self, alert: Alert, after: float) -> simpy.events.ProcessGenerator:
        yield self.parts.env.timeout(after)
        self.alerts.resolve(self.parts.now, alert)

    def _duplicate(self, real: Alert, source: str, delay: float) -> simpy.events.ProcessGenerator:
        yield self.parts.env.timeout(delay)
        if real.firing:
            dup = self.alerts.fire(
                self.parts.now,
                real.name,
                real.service,
                real.severity,
                noise=True,
                labels={"source": source, "duplicate_of": real.id},
                summary=f"{real.summary} [via {source}]",
            )
            self.after_fire(dup)
