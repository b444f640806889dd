"""Alert streams for policy tests: synthetic, from a history CSV, or from a scenario.

A stream is a list of :class:`~simulator.oncall.alertmanager.Alert` (start, end,
labels, with a ``service`` label). :func:`incidents_for` turns it into the
incidents that page, through the team's Alertmanager routing when the config has
one, so a burst becomes one page as it would in production.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.durations import parse_duration
from simulator.errors import InputError, Problem
from simulator.oncall.alertmanager import Alert, Router
from simulator.oncall.loader import OnCall
from simulator.oncall.model import AlertTraffic, OnCallConfig
from simulator.oncall.timezones import aware_epoch, zone
from simulator.validation import did_you_mean

DEFAULT_ALERT_DURATION = 1800.0

ScenarioAlert = tuple[float, str, Mapping[str, str]]
"""An alert of a drill scenario: (offset seconds from the start, service, labels)."""


@dataclass(frozen=True)
class Incident:
    """Something that pages: a service's incident, when it triggers and resolves."""

    trigger: float
    service: str
    resolve: float
    key: str
    alerts: int = 1
    """Alerts merged into this incident by Alertmanager grouping."""
    renotify: tuple[float, ...] = ()
    """Later notifications that reach people again while it is unacknowledged (resends
    to a receiver that does not fold them into the open incident)."""


def _rate_factor(traffic: AlertTraffic, local: datetime) -> float:
    """Relative alert rate at a local time: a daily cosine and a weekend factor."""
    hour = local.hour + local.minute / 60
    daily = 1 + traffic.daily_amplitude * math.cos(2 * math.pi * (hour - traffic.peak_hour) / 24)
    weekly = traffic.weekend_factor if local.weekday() >= 5 else 1.0
    return daily * weekly


def _poisson(mean: float, rng: random.Random) -> int:
    """Knuth's Poisson draw; means here are small (burst sizes)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def service_alerts(
    name: str, traffic: AlertTraffic, tz_name: str, start: float, days: float, rng: random.Random
) -> list[Alert]:
    """A non-homogeneous Poisson stream for one service, by thinning.

    ``per_day`` is the mean over a whole week: the daily cosine averages to one and
    weekdays are scaled so that five weekdays and two weekend days average out.
    """
    tz = zone(tz_name)
    week_mean = (5 + 2 * traffic.weekend_factor) / 7
    base = traffic.per_day / 86400 / week_mean if week_mean else 0.0
    peak = base * (1 + traffic.daily_amplitude) * max(1.0, traffic.weekend_factor)
    end = start + days * 86400
    labels = {"service": name, "alertname": f"{name}_degraded", **traffic.labels}
    out: list[Alert] = []
    moment = start
    while peak > 0:
        moment += rng.expovariate(peak)
        if moment >= end:
            break
        accept = base * _rate_factor(traffic, datetime.fromtimestamp(moment, tz)) / peak
        if rng.random() >= accept:
            continue
        out.append(
            Alert(
                moment,
                moment + rng.expovariate(1 / traffic.duration),
                {**labels, "instance": f"{name}-0"},
            )
        )
        if traffic.burst_chance and rng.random() < traffic.burst_chance:
            for k in range(_poisson(traffic.burst_size, rng)):
                at = moment + rng.uniform(0, traffic.burst_spread)
                out.append(
                    Alert(
                        at,
                        at + rng.expovariate(1 / traffic.duration),
                        {**labels, "instance": f"{name}-{k + 1}"},
                    )
                )
    return out


def synthetic_alerts(
    config: OnCallConfig, start: float, days: float, rng: random.Random
) -> list[Alert]:
    """Alerts of every service with an ``alerts`` rate, sorted by start time."""
    out: list[Alert] = []
    for service in config.services:
        if service.alerts is not None:
            out += service_alerts(service.name, service.alerts, config.time_zone, start, days, rng)
    out.sort(key=lambda a: (a.start, a.labels.get("service", "")))
    return out


def alerts_from_scenario(
    entries: Sequence[ScenarioAlert],
    start: float = 0.0,
    *,
    durations: Sequence[float] | None = None,
) -> list[Alert]:
    """The hook for the drill engine: a scenario's alerts as a stream starting at ``start``.

    Each entry is (offset seconds, service, labels); the service becomes the
    ``service`` label. ``durations`` gives how long each alert fired (default 30m).
    """
    out = []
    for i, (offset, service, labels) in enumerate(entries):
        lasts = durations[i] if durations is not None else DEFAULT_ALERT_DURATION
        out.append(Alert(start + offset, start + offset + lasts, {**labels, "service": service}))
    out.sort(key=lambda a: a.start)
    return out


def shifted(alerts: Sequence[Alert], by: float) -> list[Alert]:
    """The same alerts ``by`` seconds later."""
    return [Alert(a.start + by, a.end + by, a.labels) for a in alerts]


def _parse_labels(text: str) -> dict[str, str]:
    labels = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"label '{part}' is not key=value")
        labels[key.strip()] = value.strip()
    return labels


def _csv_row(row: dict[str, str], tz_name: str) -> Alert:
    tz = zone(tz_name)
    when = aware_epoch(datetime.fromisoformat(row["time"].strip()), tz)
    if row.get("resolved"):
        until = aware_epoch(datetime.fromisoformat(row["resolved"].strip()), tz)
        if until < when:
            raise ValueError("resolved is before time")
    elif row.get("duration"):
        until = when + parse_duration(row["duration"])
    else:
        until = when + DEFAULT_ALERT_DURATION
    labels = _parse_labels(row.get("labels") or "")
    return Alert(when, until, {**labels, "service": row["service"].strip()})


def alerts_from_csv(path: str | Path, config: OnCallConfig) -> list[Alert]:
    """Read an alert-history CSV: ``time,service[,resolved|duration][,labels]``.

    ``time`` and ``resolved`` are ISO 8601 (naive ones are in the config's zone);
    ``labels`` is ``key=value;key=value``. Every bad line is reported with its number.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, f"cannot read the alert history: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    fields = reader.fieldnames or []
    missing = [f for f in ("time", "service") if f not in fields]
    if missing:
        raise InputError.single(
            name,
            f"the header lacks column '{missing[0]}'",
            line=1,
            hint="expected columns: time,service[,resolved|duration][,labels]",
        )
    services = {s.name for s in config.services}
    problems: list[Problem] = []
    out: list[Alert] = []
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            problems.append(Problem(name, line, None, f"expected {len(fields)} columns"))
            continue
        try:
            alert = _csv_row(row, config.time_zone)
        except (ValueError, KeyError) as exc:
            problems.append(Problem(name, line, None, f"bad alert line: {exc}"))
            continue
        if alert.labels["service"] not in services:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"unknown service '{alert.labels['service']}'",
                    did_you_mean(alert.labels["service"], services),
                )
            )
            continue
        out.append(alert)
    if problems:
        raise InputError(problems[:20])
    if not out:
        raise InputError.single(name, "the alert history has no alerts")
    out.sort(key=lambda a: a.start)
    return out


def incidents_for(oncall: OnCall, alerts: Sequence[Alert]) -> list[Incident]:
    """The incidents ``alerts`` open: one per alert, or per Alertmanager group notification."""
    config = oncall.config
    if oncall.alertmanager is None or config.alertmanager is None:
        return [
            Incident(a.start, a.labels["service"], a.end, f"alert-{i}")
            for i, a in enumerate(alerts)
        ]
    mapping = config.alertmanager.receivers
    router = Router(oncall.alertmanager)
    return [
        Incident(
            n.trigger,
            mapping[n.receiver],
            n.resolve,
            n.group_key,
            n.alerts,
            () if router.deduplicates(n.receiver) else n.resends,
        )
        for n in router.notifications(alerts)
        if n.receiver in mapping
    ]


def missing_services(alerts: Sequence[Alert], services: Collection[str]) -> list[str]:
    """Services alerts name that a config lacks (a baseline must cover the same services)."""
    return sorted({a.labels["service"] for a in alerts} - set(services))
