"""Import PagerDuty: users, schedules, overrides, escalation policies and services (REST API).

Any of the API's own responses can be given, one or several files at once, and the
shape is detected: a bundle (``{"users", "schedules", "escalation_policies",
"services", "overrides"}``), a single object (``GET /schedules/{id}`` →
``{"schedule": ...}``, ``/escalation_policies/{id}``, ``/services/{id}``,
``/users/{id}``), a list response (``GET /schedules`` with ``limit``/``more``), a
``POST`` body without ids, or ``GET /schedules/{id}/overrides``. Overrides are read
wherever PagerDuty puts them: ``schedule.overrides``, the rendered
``overrides_subschedule``, or a top-level ``overrides`` list (which names no
schedule, so it needs exactly one schedule in the import).

Semantics are PagerDuty's: delays per rule, empty levels skipped, ``num_loops`` extra
passes, the lowest layer wins. ``GET /schedules`` lists layers highest-precedence
first (the reverse of what ``PUT`` takes), so the importer reverses them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from simulator.oncall.importers.common import Export, Imported, Importer, Loc, minutes
from simulator.oncall.model import WEEKDAYS

_PLURAL = {
    "user": "users",
    "schedule": "schedules",
    "escalation_policy": "escalation_policies",
    "service": "services",
}


def _names_of(export: Export) -> str:
    return Path(export.src.file).name


class _Importer(Importer):
    def __init__(self, exports: Sequence[Export]) -> None:
        super().__init__(exports[0])
        self.exports = list(exports)
        self.schedule_keys: set[str] = set()
        self.policy_keys: set[str] = set()
        for loc, user in self.listed("user"):
            self.person(user, loc)

    def listed(self, single: str) -> Iterator[tuple[Loc, Any]]:
        """Every object of a kind across the files, as single or list responses."""
        for export in self.exports:
            self.x = export
            data = export.data
            if single in data:
                yield [single], self.x.get(data, single, [], dict)
            yield from export.items(data, _PLURAL[single], [])

    def key(self, obj: dict[str, Any], loc: Loc) -> str:
        """The object's id; a POST body has none, so its name stands in."""
        value = self.x.opt(obj, "id", loc, (str, int)) or self.x.opt(obj, "name", loc, str)
        if value is None:
            raise self.x.fail(loc, "expected a field 'id' (or 'name') here")
        return str(value)

    def person(self, ref: Any, loc: Loc) -> str:
        """The person a user object or user_reference stands for (created on first sight)."""
        uid = self.x.text(ref, "id", loc)
        display = (
            self.x.text(ref, "name", loc, "")
            or self.x.text(ref, "summary", loc, "")
            or self.x.text(ref, "email", loc, "")
            or uid
        )
        return self.add_person(uid, display, self.x.opt(ref, "time_zone", loc, str))

    def restriction(self, rule: Any, loc: Loc) -> dict[str, Any]:
        kind = self.x.get(rule, "type", loc, str)
        start = self.x.get(rule, "start_time_of_day", loc, str)
        duration = int(self.x.number(rule, "duration_seconds", loc, minimum=1, maximum=7 * 86400))
        if kind == "daily_restriction":
            if duration > 86400:
                self.warn(loc, "a daily restriction longer than 24h is cut to 24h")
                duration = 86400
            return {"type": "daily", "start": start, "duration": duration}
        if kind == "weekly_restriction":
            day = int(self.x.number(rule, "start_day_of_week", loc, minimum=1))
            if not 1 <= day <= 7:
                raise self.x.fail([*loc, "start_day_of_week"], "start_day_of_week is 1-7 (ISO)")
            if duration > 7 * 86400:
                raise self.x.fail([*loc, "duration_seconds"], "a weekly restriction lasts <= 1w")
            return {
                "type": "weekly",
                "start_day": WEEKDAYS[day - 1],
                "start": start,
                "duration": duration,
            }
        raise self.x.fail(
            [*loc, "type"],
            f"unknown restriction type '{kind}'",
            "expected daily_restriction or weekly_restriction",
        )

    def layer(self, layer: Any, loc: Loc) -> dict[str, Any]:
        users = [
            self.person(self.x.get(u, "user", ul, dict), [*ul, "user"])
            for ul, u in self.x.items(layer, "users", loc)
        ]
        if not users:
            raise self.x.fail([*loc, "users"], "a schedule layer needs at least one user")
        out: dict[str, Any] = {
            "name": self.x.text(layer, "name", loc, ""),
            "users": users,
            "rotation_virtual_start": self.x.moment(layer, "rotation_virtual_start", loc),
            "turn_length": int(
                self.x.number(
                    layer, "rotation_turn_length_seconds", loc, minimum=1, maximum=366 * 86400
                )
            ),
        }
        if layer.get("start") is not None:
            out["start"] = self.x.moment(layer, "start", loc)
        if layer.get("end") is not None:
            out["end"] = self.x.moment(layer, "end", loc)
        restrictions = [
            self.restriction(r, rl) for rl, r in self.x.items(layer, "restrictions", loc)
        ]
        if restrictions:
            out["restrictions"] = restrictions
        return out

    def override(self, entry: Any, loc: Loc) -> dict[str, Any]:
        start, end = self.x.moment(entry, "start", loc), self.x.moment(entry, "end", loc)
        if end <= start:
            raise self.x.fail([*loc, "end"], "an override must end after it starts")
        return {
            "user": self.person(self.x.get(entry, "user", loc, dict), [*loc, "user"]),
            "start": start,
            "end": end,
        }

    def schedule(self, schedule: Any, loc: Loc) -> dict[str, Any]:
        sid = self.key(schedule, loc)
        self.schedule_keys.add(sid)
        layers = [
            self.layer(layer, ll) for ll, layer in self.x.items(schedule, "schedule_layers", loc)
        ]
        if not layers:
            raise self.x.fail([*loc, "schedule_layers"], "a schedule needs schedule_layers")
        overrides = [self.override(o, ol) for ol, o in self.x.items(schedule, "overrides", loc)]
        sub = self.x.opt(schedule, "overrides_subschedule", loc, dict)
        sub_loc = [*loc, "overrides_subschedule"]
        overrides += [
            self.override(o, ol)
            for ol, o in self.x.items(sub, "rendered_schedule_entries", sub_loc)
        ]
        display = self.x.text(schedule, "name", loc, "") or sid
        out: dict[str, Any] = {
            "name": self.names.add(f"schedule:{sid}", display),
            "precedence": "last_layer_wins",
            "layers": list(reversed(layers)),
        }
        zone = self.x.opt(schedule, "time_zone", loc, str)
        if zone:
            out["time_zone"] = zone
        if overrides:
            out["overrides"] = _unique(overrides)
        return out

    def target(self, target: Any, loc: Loc) -> dict[str, str]:
        kind = self.x.get(target, "type", loc, str)
        tid = self.x.text(target, "id", loc)
        if kind in ("user_reference", "user"):
            return {"user": self.person(target, loc)}
        if kind in ("schedule_reference", "schedule"):
            if tid not in self.schedule_keys:
                summary = self.x.text(target, "summary", loc, "") or tid
                raise self.x.fail(
                    [*loc, "id"],
                    f"this rule pages schedule '{summary}' ({tid}), which is not in the import",
                    f"add its GET /schedules/{tid} response as another file: "
                    f"gameday oncall import pagerduty {_names_of(self.x)} schedule.json",
                )
            return {"schedule": self.names.by_id[f"schedule:{tid}"]}
        raise self.x.fail(
            [*loc, "type"],
            f"unknown target type '{kind}'",
            "expected user_reference or schedule_reference",
        )

    def policy(self, policy: Any, loc: Loc) -> dict[str, Any]:
        pid = self.key(policy, loc)
        self.policy_keys.add(pid)
        steps = []
        for rl, rule in self.x.items(policy, "escalation_rules", loc):
            strategy = (
                rule.get("escalation_rule_assignment_strategy") if isinstance(rule, dict) else None
            )
            if isinstance(strategy, dict):
                strategy = strategy.get("type")
            delay = self.x.number(rule, "escalation_delay_in_minutes", rl)
            targets = [self.target(t, tl) for tl, t in self.x.items(rule, "targets", rl)]
            if not targets:
                raise self.x.fail([*rl, "targets"], "an escalation rule needs targets")
            steps.append(
                {
                    "targets": targets,
                    "delay": minutes(delay),
                    "assign": "round_robin" if strategy == "round_robin" else "all",
                }
            )
        if not steps:
            raise self.x.fail(loc, "an escalation policy needs escalation_rules")
        loops = int(self.x.number(policy, "num_loops", loc, 0))
        if loops > 9:
            raise self.x.fail([*loc, "num_loops"], "num_loops is at most 9 in PagerDuty")
        display = self.x.text(policy, "name", loc, "") or pid
        return {"name": self.names.add(f"policy:{pid}", display), "repeat": loops, "steps": steps}

    def urgency(self, service: Any, loc: Loc, name: str) -> str:
        """high or low; support-hours and severity rules are approximated with a warning."""
        rule = self.x.opt(service, "incident_urgency_rule", loc, dict) or {}
        rloc = [*loc, "incident_urgency_rule"]
        kind = rule.get("type", "constant")
        if kind == "constant":
            urgency = rule.get("urgency", "high")
            if urgency in ("high", "low"):
                return str(urgency)
            if urgency == "severity_based":
                self.warn(
                    rloc,
                    f"service '{name}': severity-based urgency is imported as high "
                    "(gameday alerts carry no severity); escalation figures assume every "
                    "alert escalates",
                )
                return "high"
            raise self.x.fail([*rloc, "urgency"], f"unknown urgency '{urgency}'")
        if kind == "use_support_hours":
            parts = [rule.get(k) for k in ("during_support_hours", "outside_support_hours")]
            levels = [p.get("urgency") if isinstance(p, dict) else None for p in parts]
            hours = self.x.opt(service, "support_hours", loc, dict) or {}
            window = (
                f"{hours.get('start_time', '?')}-{hours.get('end_time', '?')} "
                f"on days {hours.get('days_of_week', '?')} ({hours.get('time_zone', '?')})"
            )
            chosen = "high" if "high" in levels or "severity_based" in levels else "low"
            self.warn(
                rloc,
                f"service '{name}': support-hours urgency ({levels[0]} during {window}, "
                f"{levels[1]} outside) is imported as always {chosen}; gameday has one "
                "urgency per service, so figures for the other period are overstated",
            )
            return chosen
        raise self.x.fail([*rloc, "type"], f"unknown incident_urgency_rule type '{kind}'")

    def service(self, service: Any, loc: Loc) -> dict[str, Any]:
        ref = self.x.get(service, "escalation_policy", loc, dict)
        pid = self.x.text(ref, "id", [*loc, "escalation_policy"])
        if pid not in self.policy_keys:
            raise self.x.fail(
                [*loc, "escalation_policy"],
                f"service uses escalation policy '{pid}', which is not in the import",
                f"add its GET /escalation_policies/{pid} response as another file",
            )
        sid = self.x.text(service, "id", loc, "") or self.x.text(service, "name", loc, "service")
        name = self.names.add(f"service:{sid}", self.x.text(service, "name", loc, "") or sid)
        out: dict[str, Any] = {
            "name": name,
            "policy": self.names.by_id[f"policy:{pid}"],
            "urgency": self.urgency(service, loc, name),
        }
        ack = self.x.opt(service, "acknowledgement_timeout", loc, (int, float))
        if ack:
            out["ack_timeout"] = int(self.x.number(service, "acknowledgement_timeout", loc))
        if self.x.opt(service, "auto_resolve_timeout", loc, (int, float)):
            self.warn(
                [*loc, "auto_resolve_timeout"],
                f"service '{name}': auto_resolve_timeout is not modelled; an incident "
                "ends when its alert resolves",
            )
        return out

    def loose_overrides(self, schedules: list[dict[str, Any]]) -> None:
        """Top-level ``overrides`` (GET /schedules/{id}/overrides) name no schedule."""
        for export in self.exports:
            self.x = export
            found = [self.override(o, ol) for ol, o in export.items(export.data, "overrides", [])]
            if not found:
                continue
            if len(schedules) != 1:
                raise export.fail(
                    ["overrides"],
                    f"these overrides name no schedule and the import has {len(schedules)}",
                    "attach them to their schedule as schedule.overrides, or import the "
                    "schedule's GET /schedules/{id} response together with them alone",
                )
            schedules[0]["overrides"] = _unique([*schedules[0].get("overrides", []), *found])

    def made_up_policies(self, schedules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A schedule imported without a policy is still useful for gaps and fairness."""
        out = []
        for schedule in schedules:
            name = self.names.add(f"policy:auto:{schedule['name']}", f"{schedule['name']}-only")
            self.warn(
                [],
                f"no escalation policy in the import: policy '{name}' (page schedule "
                f"'{schedule['name']}', no escalation) was made up so the schedule can be tested",
            )
            step: dict[str, Any] = {"targets": [{"schedule": schedule["name"]}], "delay": "30m"}
            out.append({"name": name, "steps": [step]})
        return out


def _unique(overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for o in sorted(overrides, key=lambda o: (o["start"], o["end"], o["user"])):
        key = (o["start"], o["end"], o["user"])
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def import_pagerduty(exports: Sequence[Export], system: str = "PagerDuty") -> Imported:
    """PagerDuty API responses (one or several files) as an OnCall config."""
    imp = _Importer(exports)
    schedules = [imp.schedule(s, loc) for loc, s in imp.listed("schedule")]
    imp.loose_overrides(schedules)
    policies = [imp.policy(p, loc) for loc, p in imp.listed("escalation_policy")]
    if not policies:
        if not schedules:
            raise exports[0].fail(
                [],
                "found no escalation_policy or schedule in the import",
                "give GET /escalation_policies/{id} and GET /schedules/{id} responses "
                "(or list responses), in one or several files",
            )
        policies = imp.made_up_policies(schedules)
    services = [imp.service(s, loc) for loc, s in imp.listed("service")]
    source = ", ".join(_names_of(e) for e in exports)
    return imp.document(
        system,
        source,
        {"delay": "per_step", "empty_step": "skip", "freeze_policy": True},
        schedules,
        policies,
        services,
    )
