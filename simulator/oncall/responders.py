"""Simulated responders: which period of their day a page lands in, and how they react.

Periods follow PagerDuty Analytics in the person's own zone: business hours
Mon-Fri 08:00-18:00, sleep 22:00-08:00 every day, off-hours the rest.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from simulator.oncall.model import (
    AckDistribution,
    ExponentialAck,
    FixedAck,
    OnCallConfig,
    PeriodResponse,
    ResponseBehaviour,
)
from simulator.oncall.timezones import zone

Period = Literal["business", "off_hours", "sleep"]
PERIODS: tuple[Period, ...] = ("business", "off_hours", "sleep")


def period_of(moment: float, tz: ZoneInfo) -> Period:
    """The period a moment falls in, in the zone ``tz``."""
    local = datetime.fromtimestamp(moment, tz)
    if local.hour >= 22 or local.hour < 8:
        return "sleep"
    if local.weekday() < 5 and local.hour < 18:
        return "business"
    return "off_hours"


def sample_ack(dist: AckDistribution, rng: random.Random) -> float:
    """Seconds from page to acknowledgement, drawn from ``dist``."""
    if isinstance(dist, ExponentialAck):
        return rng.expovariate(1.0 / dist.mean)
    if isinstance(dist, FixedAck):
        return dist.after
    return rng.lognormvariate(math.log(dist.median), dist.sigma)


@dataclass(frozen=True)
class Responder:
    """A person's zone and behaviour, resolved from the config and its defaults."""

    name: str
    tz: ZoneInfo
    behaviour: ResponseBehaviour

    def period(self, moment: float) -> Period:
        """The person's period at ``moment``."""
        return period_of(moment, self.tz)

    def respond(self, moment: float, rng: random.Random) -> tuple[Period, float | None]:
        """The period of a page at ``moment`` and seconds until ack (None: page missed).

        Both draws are always made, so a change of miss chance does not shift the
        random stream of later pages (common random numbers across configs).
        """
        period = self.period(moment)
        response: PeriodResponse = getattr(self.behaviour, period)
        missed = rng.random() < response.miss
        delay = sample_ack(response.ack, rng)
        return period, None if missed else delay


def responders(config: OnCallConfig) -> dict[str, Responder]:
    """Every person of ``config`` as a :class:`Responder`."""
    return {
        p.name: Responder(
            p.name, zone(p.time_zone or config.time_zone), p.response or config.defaults.response
        )
        for p in config.people
    }
