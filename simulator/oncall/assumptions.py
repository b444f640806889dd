"""What a policy test assumed rather than knew, listed so a reader can challenge it.

A verdict is only as good as its inputs: the response times are a model, an import
may have invented fields its source lacked (``OnCallConfig.assumptions``), and the
defaults fill in urgency and time zones nobody wrote down. Each is one sentence.
"""

from __future__ import annotations

from datetime import datetime

from simulator.durations import format_duration
from simulator.oncall.alertmanager import Router, ignored_fields
from simulator.oncall.loader import OnCall
from simulator.oncall.model import (
    AckDistribution,
    ExponentialAck,
    FixedAck,
    PeriodResponse,
    ResponseBehaviour,
)
from simulator.oncall.responders import PERIODS
from simulator.oncall.timezones import zone


def describe_ack(dist: AckDistribution) -> str:
    """``lognormal, median 4m (sigma 0.6)`` and the like."""
    if isinstance(dist, ExponentialAck):
        return f"exponential, mean {format_duration(dist.mean)}"
    if isinstance(dist, FixedAck):
        return f"always after {format_duration(dist.after)}"
    return f"lognormal, median {format_duration(dist.median)} (sigma {dist.sigma:g})"


def describe_response(behaviour: ResponseBehaviour) -> str:
    """One line per period: ack distribution and miss chance."""
    parts = []
    for period in PERIODS:
        response: PeriodResponse = getattr(behaviour, period)
        parts.append(
            f"{period.replace('_', '-')}: {describe_ack(response.ack)}, "
            f"{response.miss:.0%} of pages missed"
        )
    return "; ".join(parts)


def _responder_lines(oncall: OnCall) -> list[str]:
    config = oncall.config
    own = [p.name for p in config.people if p.response is not None]
    lines = [
        "Responders are a model, not measurements: "
        + ("everyone" if not own else "everyone except " + ", ".join(own))
        + " acknowledges as the defaults say ("
        + describe_response(config.defaults.response)
        + ").",
        "Each page is answered or missed independently; a missed page is never noticed "
        "later, and the first acknowledgement stops the escalation.",
    ]
    lines += [
        f"{p.name} has their own response behaviour ({describe_response(p.response)})."
        for p in config.people
        if p.response is not None
    ]
    return lines


def _default_lines(oncall: OnCall) -> list[str]:
    config = oncall.config
    lines = []
    unset = [s.name for s in config.services if "urgency" not in s.model_fields_set]
    if unset:
        lines.append(
            f"Urgency is not set for {', '.join(unset)}: assumed high (every step escalates)."
        )
    low = [s.name for s in config.services if s.urgency == "low"]
    if low:
        lines.append(f"Low urgency ({', '.join(low)}): only the first step is notified.")
    no_zone = [p.name for p in config.people if p.time_zone is None]
    if no_zone:
        lines.append(
            f"No time zone given for {', '.join(no_zone)}: assumed to live in the team's "
            f"zone {config.time_zone}, which decides their sleep hours (22:00-08:00)."
        )
    return lines


def _alertmanager_lines(oncall: OnCall) -> list[str]:
    am, routing = oncall.alertmanager, oncall.config.alertmanager
    if am is None or routing is None:
        return []
    router = Router(am)
    folded = [r for r in routing.receivers if router.deduplicates(r)]
    direct = [r for r in routing.receivers if not router.deduplicates(r)]
    lines = [f"Alertmanager: {note}." for note in ignored_fields(am)]
    if folded:
        lines.append(
            "Resends to " + ", ".join(folded) + " fold into the open incident "
            "(the paging system deduplicates by group key), so they page nobody again."
        )
    if direct:
        lines.append(
            "Resends to " + ", ".join(direct) + " reach people: each one pages the "
            "current step's people again while nobody has acknowledged."
        )
    lines.append(
        "Alertmanager groups die when all their alerts have resolved and been flushed; "
        "a new alert then waits group_wait again."
    )
    return lines


def assumptions(oncall: OnCall, start: float, *, fixed_alerts: bool) -> list[str]:
    """Everything the test of ``oncall`` assumed, the import's own list first."""
    config = oncall.config
    lines = [f"From the import: {text}" for text in config.assumptions]
    lines += _responder_lines(oncall)
    lines += _default_lines(oncall)
    if not fixed_alerts:
        rates = [
            f"{s.name} {s.alerts.per_day:g}/day lasting {format_duration(s.alerts.duration)} "
            "on average"
            for s in config.services
            if s.alerts is not None
        ]
        lines.append(
            "Alerts are synthetic (Poisson with a daily and weekly pattern): "
            + "; ".join(rates)
            + "."
        )
    first = datetime.fromtimestamp(start, zone(config.time_zone)).strftime("%a %Y-%m-%d")
    lines.append(
        f"The simulated period starts {first} ({config.time_zone}), a fixed date so the "
        "verdict does not change with the day it is run."
    )
    lines += _alertmanager_lines(oncall)
    return lines
