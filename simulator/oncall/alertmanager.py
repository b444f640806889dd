"""A team's Alertmanager routing, read from its native ``alertmanager.yml``.

Grouping decides how many pages a burst of alerts becomes, so a policy test that
ignored it would overcount pages. This module reproduces the parts of
Alertmanager that decide *whether and when* a receiver is notified: the route tree
(matchers, legacy ``match``/``match_re``, ``continue``, inherited settings),
``group_by`` (``'...'`` too), ``group_wait`` and ``group_interval``, inhibition
rules, and mute/active time intervals. ``repeat_interval`` resends never create a
new incident while one is open, so they do not change paging and are not modelled.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulator.durations import Duration
from simulator.fielddocs import describe_fields
from simulator.oncall.timezones import zone
from simulator.validation import Issue, did_you_mean

Labels = Mapping[str, str]

_MATCHER = re.compile(
    r'^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^"]*?)\s*$'
)


@dataclass(frozen=True)
class Matcher:
    """One label matcher: ``name op value`` with op in ``= != =~ !~``."""

    name: str
    op: str
    value: str

    def matches(self, labels: Labels) -> bool:
        """Whether ``labels`` satisfy the matcher (a missing label is the empty string)."""
        have = labels.get(self.name, "")
        if self.op == "=":
            return have == self.value
        if self.op == "!=":
            return have != self.value
        found = re.fullmatch(self.value, have) is not None
        return found if self.op == "=~" else not found


def parse_matcher(text: str) -> Matcher:
    """Parse ``severity="critical"`` or ``team=~a|b``; raises ValueError when malformed."""
    match = _MATCHER.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a matcher: write it like severity=\"critical\"")
    name, op, value = match.groups()
    if value.startswith('"'):
        value = bytes(value[1:-1], "utf-8").decode("unicode_escape")
    if op in ("=~", "!~"):
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"'{text}': bad regular expression ({exc})") from None
    return Matcher(name, op, value)


def _legacy(match: dict[str, str], match_re: dict[str, str]) -> list[Matcher]:
    return [Matcher(k, "=", v) for k, v in match.items()] + [
        Matcher(k, "=~", v) for k, v in match_re.items()
    ]


class _AMModel(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, json_schema_extra=describe_fields
    )


class Route(_AMModel):
    """A node of the routing tree, as in ``alertmanager.yml``."""

    receiver: str | None = None
    """Receiver name; inherited from the parent when absent."""
    group_by: list[str] | None = None
    """Labels to group by; ``['...']`` groups by all labels (one group per alert)."""
    continue_: bool = Field(default=False, alias="continue")
    """Keep matching later siblings after this route matched."""
    matchers: list[str] = []
    """Matchers like ``severity="critical"``."""
    match: dict[str, str] = {}
    """Legacy equality matchers."""
    match_re: dict[str, str] = {}
    """Legacy regex matchers."""
    group_wait: Duration | None = None
    """Wait before the first notification of a new group (default 30s)."""
    group_interval: Duration | None = None
    """Wait between notifications about new alerts in a group (default 5m)."""
    repeat_interval: Duration | None = None
    """Resend interval for unchanged groups (default 4h)."""
    mute_time_intervals: list[str] = []
    """Named time intervals during which this route does not notify (not inherited)."""
    active_time_intervals: list[str] = []
    """Named time intervals outside which this route does not notify (not inherited)."""
    routes: list[Route] = []
    """Child routes."""

    @field_validator("matchers")
    @classmethod
    def _matchers(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_matcher(text)
        return value


class InhibitRule(_AMModel):
    """Mute target alerts while a matching source alert fires."""

    source_matchers: list[str] = []
    """Matchers a firing source alert must satisfy."""
    target_matchers: list[str] = []
    """Matchers an alert must satisfy to be muted."""
    source_match: dict[str, str] = {}
    """Legacy source equality matchers."""
    source_match_re: dict[str, str] = {}
    """Legacy source regex matchers."""
    target_match: dict[str, str] = {}
    """Legacy target equality matchers."""
    target_match_re: dict[str, str] = {}
    """Legacy target regex matchers."""
    equal: list[str] = []
    """Labels whose values must be equal in source and target."""

    @field_validator("source_matchers", "target_matchers")
    @classmethod
    def _matchers(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_matcher(text)
        return value


class TimeRange(_AMModel):
    """A clock range within a day, end exclusive."""

    start_time: str
    """``HH:MM``."""
    end_time: str
    """``HH:MM``; ``24:00`` is allowed."""


class TimeSpec(_AMModel):
    """One ``time_intervals`` entry: all listed fields must match."""

    times: list[TimeRange] = []
    """Clock ranges."""
    weekdays: list[str] = []
    """Days or ranges like ``monday:friday``."""
    days_of_month: list[str] = []
    """Days or ranges, negative from month end, like ``1:5`` or ``-1``."""
    months: list[str] = []
    """Months by name or number, or ranges like ``january:march``."""
    years: list[str] = []
    """Years or ranges like ``2026:2027``."""
    location: str = "UTC"
    """IANA zone the times are read in."""


class TimeInterval(_AMModel):
    """A named set of time specs."""

    name: str
    """Name used by routes."""
    time_intervals: list[TimeSpec] = []
    """Specs; the interval is active when any matches."""


class Receiver(BaseModel):
    """A receiver; only its name matters for routing, integrations are ignored."""

    model_config = ConfigDict(frozen=True, extra="allow")

    name: str
    """Receiver name."""


class AlertmanagerConfig(_AMModel):
    """The parts of ``alertmanager.yml`` that decide who is notified and when."""

    route: Route
    """The root route."""
    receivers: list[Receiver] = []
    """Receivers (integrations are not used)."""
    inhibit_rules: list[InhibitRule] = []
    """Inhibition rules."""
    time_intervals: list[TimeInterval] = []
    """Named time intervals."""
    mute_time_intervals: list[TimeInterval] = []
    """Deprecated name for ``time_intervals``."""
    global_: dict[str, Any] = Field(default={}, alias="global")
    """Global settings (ignored)."""
    templates: list[str] = []
    """Template files (ignored)."""


def check_alertmanager(config: AlertmanagerConfig) -> list[Issue]:
    """Cross-references: receivers and time intervals named by routes must exist."""
    receivers = {r.name for r in config.receivers}
    intervals = {t.name for t in [*config.time_intervals, *config.mute_time_intervals]}
    issues: list[Issue] = []
    if config.route.receiver is None:
        issues.append(Issue(["route"], "the root route needs a receiver"))

    def visit(route: Route, loc: list[str | int]) -> None:
        if route.receiver is not None and route.receiver not in receivers:
            issues.append(
                Issue(
                    [*loc, "receiver"],
                    f"unknown receiver '{route.receiver}'",
                    did_you_mean(route.receiver, receivers),
                )
            )
        for key in ("mute_time_intervals", "active_time_intervals"):
            for i, name in enumerate(getattr(route, key)):
                if name not in intervals:
                    issues.append(
                        Issue(
                            [*loc, key, i],
                            f"unknown time interval '{name}'",
                            did_you_mean(name, intervals),
                        )
                    )
        for i, child in enumerate(route.routes):
            visit(child, [*loc, "routes", i])

    visit(config.route, ["route"])
    return issues


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _ranges(items: Sequence[str], names: Sequence[str] | None = None) -> list[tuple[int, int]]:
    def value(text: str) -> int:
        text = text.strip().lower()
        if names is not None and text in names:
            return names.index(text) + 1
        return int(text)

    out = []
    for item in items:
        lo, _, hi = item.partition(":")
        out.append((value(lo), value(hi or lo)))
    return out


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _spec_matches(spec: TimeSpec, moment: float) -> bool:
    local = datetime.fromtimestamp(moment, zone(spec.location))
    if spec.times:
        minute = local.hour * 60 + local.minute
        if not any(_clock(t.start_time) <= minute < _clock(t.end_time) for t in spec.times):
            return False
    if spec.weekdays and not any(
        lo <= local.isoweekday() <= hi for lo, hi in _ranges(spec.weekdays, _WEEKDAYS)
    ):
        return False
    if spec.days_of_month:
        last = _days_in_month(local.year, local.month)
        matched = False
        for lo, hi in _ranges(spec.days_of_month):
            lo = lo if lo > 0 else last + lo + 1
            hi = hi if hi > 0 else last + hi + 1
            matched = matched or lo <= local.day <= hi
        if not matched:
            return False
    if spec.months and not any(lo <= local.month <= hi for lo, hi in _ranges(spec.months, _MONTHS)):
        return False
    return not spec.years or any(lo <= local.year <= hi for lo, hi in _ranges(spec.years))


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - datetime(year, month, 1)).days


@dataclass(frozen=True)
class Alert:
    """One alert: when it fired, when it resolved, its labels."""

    start: float
    end: float
    labels: Mapping[str, str]


@dataclass(frozen=True)
class EffectiveRoute:
    """A route with inherited settings filled in, and its parsed matchers."""

    path: str
    receiver: str
    group_by: tuple[str, ...] | None
    """None groups by every label (``'...'``)."""
    group_wait: float
    group_interval: float
    matchers: tuple[Matcher, ...]
    mute: tuple[str, ...]
    active: tuple[str, ...]
    continue_: bool
    children: tuple[EffectiveRoute, ...]

    def matches(self, labels: Labels) -> bool:
        """Whether this node's own matchers accept ``labels``."""
        return all(m.matches(labels) for m in self.matchers)


def effective_tree(
    route: Route, parent: EffectiveRoute | None = None, path: str = "0"
) -> EffectiveRoute:
    """Resolve inheritance: children take the parent's receiver, grouping and timers."""
    group_by: tuple[str, ...] | None
    if route.group_by is not None:
        group_by = None if "..." in route.group_by else tuple(route.group_by)
    else:
        group_by = parent.group_by if parent else ()
    node = EffectiveRoute(
        path=path,
        receiver=route.receiver or (parent.receiver if parent else ""),
        group_by=group_by,
        group_wait=route.group_wait
        if route.group_wait is not None
        else (parent.group_wait if parent else 30.0),
        group_interval=route.group_interval
        if route.group_interval is not None
        else (parent.group_interval if parent else 300.0),
        matchers=tuple(
            [parse_matcher(m) for m in route.matchers] + _legacy(route.match, route.match_re)
        ),
        mute=tuple(route.mute_time_intervals),
        active=tuple(route.active_time_intervals),
        continue_=route.continue_,
        children=(),
    )
    children = tuple(
        effective_tree(child, node, f"{path}.{i}") for i, child in enumerate(route.routes)
    )
    return EffectiveRoute(**{**node.__dict__, "children": children})


def match_routes(route: EffectiveRoute, labels: Labels) -> list[EffectiveRoute]:
    """The routes an alert is delivered through, as Alertmanager's ``Route.Match``."""
    if not route.matches(labels):
        return []
    found: list[EffectiveRoute] = []
    for child in route.children:
        matched = match_routes(child, labels)
        found.extend(matched)
        if matched and not child.continue_:
            break
    return found or [route]


@dataclass(frozen=True)
class Notification:
    """A group's notification that opens an incident, and when that incident resolves."""

    trigger: float
    resolve: float
    receiver: str
    group_key: str


class Router:
    """Routes, groups and inhibits an alert stream into notifications that page."""

    def __init__(self, config: AlertmanagerConfig) -> None:
        self.tree = effective_tree(config.route)
        self.intervals = {t.name: t for t in [*config.time_intervals, *config.mute_time_intervals]}
        self.rules = [
            (
                [parse_matcher(m) for m in r.source_matchers]
                + _legacy(r.source_match, r.source_match_re),
                [parse_matcher(m) for m in r.target_matchers]
                + _legacy(r.target_match, r.target_match_re),
                tuple(r.equal),
            )
            for r in config.inhibit_rules
        ]

    def _interval_active(self, name: str, moment: float) -> bool:
        return any(_spec_matches(s, moment) for s in self.intervals[name].time_intervals)

    def _may_notify(self, route: EffectiveRoute, moment: float) -> bool:
        if any(self._interval_active(n, moment) for n in route.mute):
            return False
        return not route.active or any(self._interval_active(n, moment) for n in route.active)

    def notifications(self, alerts: Sequence[Alert]) -> list[Notification]:
        """Incident-opening notifications for ``alerts``, ordered by trigger time."""
        ordered = sorted(alerts, key=lambda a: a.start)
        sources = self._sources(ordered)
        groups: dict[str, tuple[EffectiveRoute, list[Alert]]] = {}
        for alert in ordered:
            for route in match_routes(self.tree, alert.labels):
                if route.group_by is None:
                    values = sorted(alert.labels.items())
                else:
                    values = [(k, alert.labels.get(k, "")) for k in route.group_by]
                key = f"{route.path}:{values}"
                groups.setdefault(key, (route, []))[1].append(alert)
        out: list[Notification] = []
        for key, (route, members) in groups.items():
            out.extend(self._flush_group(key, route, members, sources))
        out.sort(key=lambda n: (n.trigger, n.group_key))
        return out

    def _sources(self, ordered: Sequence[Alert]) -> list[tuple[list[float], list[Alert]]]:
        per_rule = []
        for source, _target, _equal in self.rules:
            hits = [a for a in ordered if all(m.matches(a.labels) for m in source)]
            per_rule.append(([a.start for a in hits], hits))
        return per_rule

    def _inhibited(
        self, alert: Alert, moment: float, sources: list[tuple[list[float], list[Alert]]]
    ) -> bool:
        for (_source, target, equal), (starts, hits) in zip(self.rules, sources, strict=True):
            if not all(m.matches(alert.labels) for m in target):
                continue
            for i in range(bisect.bisect_right(starts, moment) - 1, -1, -1):
                src = hits[i]
                if src is alert or not src.end > moment:
                    continue
                if all(src.labels.get(k, "") == alert.labels.get(k, "") for k in equal):
                    return True
                if moment - src.start > 7 * 86400:
                    break
        return False

    def _flush_group(
        self,
        key: str,
        route: EffectiveRoute,
        members: list[Alert],
        sources: list[tuple[list[float], list[Alert]]],
    ) -> list[Notification]:
        """Walk one group's flush ticks: first after group_wait, then every group_interval."""
        out: list[Notification] = []
        i = 0
        interval = max(route.group_interval, 1.0)
        starts = [m.start for m in members]
        while i < len(members):
            flush = members[i].start + route.group_wait
            opened: float | None = None
            while True:
                joined = bisect.bisect_right(starts, flush)
                firing = [
                    a
                    for a in members[i:joined]
                    if a.end > flush and not self._inhibited(a, flush, sources)
                ]
                if firing and opened is None and self._may_notify(route, flush):
                    opened = flush
                if not firing and all(a.end <= flush for a in members[i:joined]):
                    break
                flush += interval
            if opened is not None:
                out.append(Notification(opened, flush, route.receiver, key))
            i = joined
        return out
