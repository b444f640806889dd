"""A team's Alertmanager routing replayed over an alert stream, as Alertmanager runs it.

Grouping decides how many pages a burst of alerts becomes, so a policy test that
ignored it would overcount pages. This module reproduces what decides *whether and
when* a receiver is notified, following Alertmanager's own code:

- routing (``dispatch/route.go``): a node matches when its matchers do, children are
  tried in order, ``continue`` lets later siblings match too, and a node none of whose
  children matched delivers the alert itself; children inherit unset settings;
- aggregation groups (``dispatch/dispatch.go``): a group is born with its first alert
  and flushes ``group_wait`` later, then every ``group_interval``; it dies once every
  alert in it has resolved and been flushed;
- the notification pipeline of each flush (``notify/notify.go``): inhibited alerts are
  dropped (``inhibit/inhibit.go``: only firing sources inhibit, a missing label equals
  an empty one, and an alert matching both sides of a rule cannot be inhibited by
  another such alert); a route outside its active or inside its mute time intervals
  sends nothing; then the dedup stage sends when the group has a firing alert the last
  notification did not, when every alert resolved, when some resolved and the receiver
  sends resolved alerts, or when ``repeat_interval`` has passed since the last
  notification (strictly: with a 5m tick and a 5m repeat, resends come every 10m).

The config model lives in :mod:`simulator.oncall.amconfig`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simulator.oncall.amconfig import (
    AlertmanagerConfig,
    Matcher,
    Route,
    check_alertmanager,
    ignored_fields,
    legacy_matchers,
    parse_matcher,
    parse_matchers,
)
from simulator.oncall.amtime import spec_matches

__all__ = [
    "Alert",
    "AlertmanagerConfig",
    "EffectiveRoute",
    "Matcher",
    "Notification",
    "Router",
    "check_alertmanager",
    "effective_tree",
    "ignored_fields",
    "match_routes",
    "parse_matcher",
    "parse_matchers",
]

Labels = Mapping[str, str]

DEFAULT_GROUP_WAIT = 30.0
DEFAULT_GROUP_INTERVAL = 300.0
DEFAULT_REPEAT_INTERVAL = 4 * 3600.0
NFLOG_RETENTION = 120 * 3600.0
"""Alertmanager's ``--data.retention`` default: a group's notification log entry is
forgotten this long after its last notification."""


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
    repeat_interval: float
    matchers: tuple[Matcher, ...]
    mute: tuple[str, ...]
    active: tuple[str, ...]
    continue_: bool
    children: tuple[EffectiveRoute, ...]

    def matches(self, labels: Labels) -> bool:
        """Whether this node's own matchers accept ``labels``."""
        return all(m.matches(labels) for m in self.matchers)


def _inherit(own: float | None, parent: EffectiveRoute | None, name: str, default: float) -> float:
    if own is not None:
        return own
    return float(getattr(parent, name)) if parent else default


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
        group_wait=_inherit(route.group_wait, parent, "group_wait", DEFAULT_GROUP_WAIT),
        group_interval=_inherit(
            route.group_interval, parent, "group_interval", DEFAULT_GROUP_INTERVAL
        ),
        repeat_interval=_inherit(
            route.repeat_interval, parent, "repeat_interval", DEFAULT_REPEAT_INTERVAL
        ),
        matchers=tuple(
            [m for text in route.matchers for m in parse_matchers(text)]
            + legacy_matchers(route.match, route.match_re)
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
    """One incident a group opens: its first notification, its later ones, its end."""

    trigger: float
    """The first notification with firing alerts."""
    resolve: float
    """The flush at which no alert of the group was left firing."""
    receiver: str
    group_key: str
    alerts: int = 1
    """Alerts of the group in this incident (grouping merges them into one)."""
    resends: tuple[float, ...] = ()
    """Later notifications while it fired: new alerts, some resolved, repeat_interval."""


@dataclass(frozen=True)
class _Rule:
    """An inhibit rule with its firing-source candidates precomputed for one stream."""

    sources: tuple[Matcher, ...]
    targets: tuple[Matcher, ...]
    equal: tuple[str, ...]
    starts: list[float]
    hits: list[Alert]
    hit_is_target: list[bool]
    longest: float
    ends: list[float]
    """The sources' end times, sorted: with ``starts``, when inhibition can change."""

    def next_change(self, moment: float) -> float:
        """The first source start or end after ``moment``."""
        i = bisect.bisect_right(self.starts, moment)
        j = bisect.bisect_right(self.ends, moment)
        return min(
            self.starts[i] if i < len(self.starts) else math.inf,
            self.ends[j] if j < len(self.ends) else math.inf,
        )


@dataclass
class _Entry:
    """The notification log entry of a group: what the last notification held, and when."""

    firing: frozenset[int]
    resolved: frozenset[int]
    at: float


def _identity(alert: Alert) -> tuple[tuple[str, str], ...]:
    # Alertmanager identifies an alert by its label set (its fingerprint).
    return tuple(sorted(alert.labels.items()))


class Router:
    """Routes, groups, inhibits and deduplicates an alert stream into notifications."""

    def __init__(self, config: AlertmanagerConfig) -> None:
        self.tree = effective_tree(config.route)
        self.intervals = {t.name: t for t in [*config.time_intervals, *config.mute_time_intervals]}
        self.rules = [
            (tuple(rule.sources()), tuple(rule.targets()), tuple(rule.equal))
            for rule in config.inhibit_rules
        ]
        self.receivers = {r.name: r for r in config.receivers}

    def deduplicates(self, receiver: str) -> bool:
        """Whether resends to ``receiver`` fold into the open incident (PagerDuty, Opsgenie)."""
        found = self.receivers.get(receiver)
        return found is not None and found.deduplicates()

    def _interval_active(self, name: str, moment: float) -> bool:
        return any(spec_matches(s, moment) for s in self.intervals[name].time_intervals)

    def _may_notify(self, route: EffectiveRoute, moment: float) -> bool:
        if any(self._interval_active(n, moment) for n in route.mute):
            return False
        return not route.active or any(self._interval_active(n, moment) for n in route.active)

    def notifications(self, alerts: Sequence[Alert]) -> list[Notification]:
        """The incidents ``alerts`` open, per receiver, ordered by trigger time."""
        ordered = sorted(alerts, key=lambda a: a.start)
        rules = self._rules(ordered)
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
            out.extend(self._flush_group(key, route, members, rules))
        out.sort(key=lambda n: (n.trigger, n.group_key))
        return out

    def _rules(self, ordered: Sequence[Alert]) -> list[_Rule]:
        out = []
        for sources, targets, equal in self.rules:
            hits = [a for a in ordered if all(m.matches(a.labels) for m in sources)]
            out.append(
                _Rule(
                    sources,
                    targets,
                    equal,
                    [a.start for a in hits],
                    hits,
                    [all(m.matches(a.labels) for m in targets) for a in hits],
                    max((a.end - a.start for a in hits), default=0.0),
                    sorted(a.end for a in hits),
                )
            )
        return out

    @staticmethod
    def _inhibited(alert: Alert, moment: float, rules: Sequence[_Rule]) -> bool:
        """``Inhibitor.Mutes`` at ``moment``, given the rules whose target side ``alert``
        matches."""
        for rule in rules:
            # An alert on both sides of the rule ignores sources also on both sides,
            # so two such alerts never silence each other (nor one itself).
            two_sided = all(m.matches(alert.labels) for m in rule.sources)
            for i in range(bisect.bisect_right(rule.starts, moment) - 1, -1, -1):
                src = rule.hits[i]
                if moment - src.start > rule.longest:
                    break
                if src.end <= moment or (two_sided and rule.hit_is_target[i]):
                    continue
                if all(src.labels.get(k, "") == alert.labels.get(k, "") for k in rule.equal):
                    return True
        return False

    def _flush_group(
        self, key: str, route: EffectiveRoute, members: list[Alert], rules: Sequence[_Rule]
    ) -> list[Notification]:
        """Walk one group's life: episodes from its first alert until all resolved."""
        sends_resolved = (found := self.receivers.get(route.receiver)) is not None and (
            found.sends_resolved()
        )
        out: list[Notification] = []
        entry: _Entry | None = None
        starts = [m.start for m in members]
        # Label sets as small ints: the dedup sets are built at every tick.
        known: dict[tuple[tuple[str, str], ...], int] = {}
        ids = [known.setdefault(_identity(m), len(known)) for m in members]
        targeted = [
            [r for r in rules if all(m.matches(a.labels) for m in r.targets)] for a in members
        ]
        none: frozenset[int] = frozenset()
        interval = max(route.group_interval, 1.0)
        i = 0
        while i < len(members):
            base = members[i].start + route.group_wait
            sent: list[float] = []
            joined, latest, step = i, -math.inf, 0
            watched: set[int] = set()
            while True:
                tick = base + step * interval
                for k in range(joined, now := bisect.bisect_right(starts, tick)):
                    latest = max(latest, members[k].end)
                    watched.update(id(r) for r in targeted[k])
                joined = now
                if entry is not None and tick - entry.at > NFLOG_RETENTION:
                    entry = None
                visible = [
                    k
                    for k in range(i, joined)
                    if not (targeted[k] and self._inhibited(members[k], tick, targeted[k]))
                ]
                settled = True
                if visible:
                    firing = frozenset(ids[k] for k in visible if members[k].end > tick)
                    resolved = (
                        frozenset(ids[k] for k in visible if members[k].end <= tick)
                        if sends_resolved
                        else none
                    )
                    # The time-interval stages run before dedup in Alertmanager; asking
                    # them only when dedup would send is equivalent and much cheaper.
                    if _needs_update(
                        entry, firing, resolved, tick, route.repeat_interval, sends_resolved
                    ):
                        settled = self._may_notify(route, tick)
                        if settled:
                            entry = _Entry(firing, resolved, tick)
                            if firing:
                                sent.append(tick)
                if latest <= tick:
                    break
                step += 1
                if settled:
                    # Nothing can change before the next join, resolution, resend, log
                    # expiry or change of an inhibiting source: skip the ticks between
                    # (a check that comes early finds nothing and is harmless).
                    upcoming = min(
                        starts[joined] if joined < len(members) else math.inf,
                        min(members[k].end for k in range(i, joined) if members[k].end > tick),
                        entry.at + min(route.repeat_interval, NFLOG_RETENTION)
                        if entry is not None
                        else math.inf,
                        *(r.next_change(tick) for r in rules if id(r) in watched),
                    )
                    step = max(step, math.ceil((upcoming - base) / interval))
            if sent:
                out.append(
                    Notification(sent[0], tick, route.receiver, key, joined - i, tuple(sent[1:]))
                )
            i = joined
        return out


def _needs_update(
    entry: _Entry | None,
    firing: frozenset[int],
    resolved: frozenset[int],
    now: float,
    repeat: float,
    sends_resolved: bool,
) -> bool:
    """``DedupStage.needsUpdate``: whether this flush sends a notification."""
    if entry is None:
        return bool(firing)
    if not firing <= entry.firing:
        return True
    if not firing:
        return bool(entry.firing)
    if sends_resolved and not resolved <= entry.resolved:
        return True
    # The log stores the time the send finished, a moment after the flush tick, so a
    # tick exactly repeat_interval later is still too early (issues #676, #2647).
    return now - entry.at > repeat
