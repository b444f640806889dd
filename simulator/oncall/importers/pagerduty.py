"""Import PagerDuty: users, schedules, escalation policies and services from the REST API.

The export is the API's JSON, either bundled (``{"users": [...], "schedules": [...],
"escalation_policies": [...], "services": [...]}``) or a single
``{"escalation_policy": {...}}`` / ``{"schedule": {...}}`` response. Semantics are
PagerDuty's: delays per rule, empty levels skipped, ``num_loops`` extra passes,
the lowest layer wins. ``GET /schedules`` lists layers highest-precedence first
(the reverse of what ``PUT`` takes), so the importer reverses them.
"""

from __future__ import annotations

from typing import Any

from simulator.oncall.importers.common import Export, Importer, Loc, minutes
from simulator.oncall.model import WEEKDAYS


def _listed(export: Export, plural: str, single: str) -> list[tuple[Loc, Any]]:
    data = export.data
    if single in data:
        return [([single], data[single])]
    return export.items(data, plural, [])


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        for loc, user in _listed(export, "users", "user"):
            self.person(user, loc)

    def person(self, ref: dict[str, Any], loc: Loc) -> str:
        """The person a user object or user_reference stands for (created on first sight)."""
        uid = str(self.x.get(ref, "id", loc))
        display = ref.get("name") or ref.get("summary") or ref.get("email") or uid
        return self.add_person(uid, str(display), ref.get("time_zone"))

    def restriction(self, rule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        kind = self.x.get(rule, "type", loc, str)
        start = str(self.x.get(rule, "start_time_of_day", loc, str))
        duration = int(self.x.get(rule, "duration_seconds", loc, (int, float)))
        if kind == "daily_restriction":
            return {"type": "daily", "start": start, "duration": duration}
        if kind == "weekly_restriction":
            day = int(self.x.get(rule, "start_day_of_week", loc, int))
            if not 1 <= day <= 7:
                raise self.x.fail([*loc, "start_day_of_week"], "start_day_of_week is 1-7 (ISO)")
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

    def layer(self, layer: dict[str, Any], loc: Loc) -> dict[str, Any]:
        users = [
            self.person(self.x.get(u, "user", ul, dict), [*ul, "user"])
            for ul, u in self.x.items(layer, "users", loc)
        ]
        out: dict[str, Any] = {
            "name": str(layer.get("name") or ""),
            "users": users,
            "rotation_virtual_start": self.x.get(layer, "rotation_virtual_start", loc, str),
            "turn_length": int(
                self.x.get(layer, "rotation_turn_length_seconds", loc, (int, float))
            ),
        }
        if layer.get("start"):
            out["start"] = layer["start"]
        if layer.get("end"):
            out["end"] = layer["end"]
        restrictions = [
            self.restriction(r, rl) for rl, r in self.x.items(layer, "restrictions", loc)
        ]
        if restrictions:
            out["restrictions"] = restrictions
        return out

    def schedule(self, schedule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        sid = str(self.x.get(schedule, "id", loc))
        layers = [
            self.layer(layer, ll) for ll, layer in self.x.items(schedule, "schedule_layers", loc)
        ]
        overrides = [
            {
                "user": self.person(self.x.get(o, "user", ol, dict), [*ol, "user"]),
                "start": self.x.get(o, "start", ol, str),
                "end": self.x.get(o, "end", ol, str),
            }
            for ol, o in self.x.items(schedule, "overrides", loc)
        ]
        out: dict[str, Any] = {
            "name": self.names.add(f"schedule:{sid}", str(schedule.get("name") or sid)),
            "precedence": "last_layer_wins",
            "layers": list(reversed(layers)),
        }
        if schedule.get("time_zone"):
            out["time_zone"] = schedule["time_zone"]
        if overrides:
            out["overrides"] = overrides
        return out

    def target(self, target: dict[str, Any], loc: Loc) -> dict[str, str]:
        kind = self.x.get(target, "type", loc, str)
        tid = str(self.x.get(target, "id", loc))
        if kind in ("user_reference", "user"):
            return {"user": self.person(target, loc)}
        if kind in ("schedule_reference", "schedule"):
            display = str(target.get("summary") or target.get("name") or tid)
            return {"schedule": self.names.add(f"schedule:{tid}", display)}
        raise self.x.fail(
            [*loc, "type"],
            f"unknown target type '{kind}'",
            "expected user_reference or schedule_reference",
        )

    def policy(self, policy: dict[str, Any], loc: Loc) -> dict[str, Any]:
        pid = str(self.x.get(policy, "id", loc))
        steps = []
        for rl, rule in self.x.items(policy, "escalation_rules", loc):
            strategy = rule.get("escalation_rule_assignment_strategy") or "assign_to_everyone"
            if isinstance(strategy, dict):
                strategy = strategy.get("type", "assign_to_everyone")
            steps.append(
                {
                    "targets": [self.target(t, tl) for tl, t in self.x.items(rule, "targets", rl)],
                    "delay": minutes(
                        self.x.get(rule, "escalation_delay_in_minutes", rl, (int, float))
                    ),
                    "assign": "round_robin" if strategy == "round_robin" else "all",
                }
            )
        if not steps:
            raise self.x.fail(loc, "an escalation policy needs escalation_rules")
        return {
            "name": self.names.add(f"policy:{pid}", str(policy.get("name") or pid)),
            "repeat": int(policy.get("num_loops") or 0),
            "steps": steps,
        }

    def service(self, service: dict[str, Any], loc: Loc) -> dict[str, Any]:
        ref = self.x.get(service, "escalation_policy", loc, dict)
        pid = str(self.x.get(ref, "id", [*loc, "escalation_policy"]))
        if f"policy:{pid}" not in self.names.by_id:
            raise self.x.fail(
                [*loc, "escalation_policy"],
                f"service uses escalation policy '{pid}', which is not in the export",
            )
        rule = service.get("incident_urgency_rule") or {}
        # Support-hours urgency depends on a clock PagerDuty evaluates per incident;
        # high is the conservative reading for testing escalations.
        urgency = rule.get("urgency") if rule.get("type") == "constant" else "high"
        out: dict[str, Any] = {
            "name": self.names.add(
                f"service:{service.get('id', loc)}", str(service.get("name") or "service")
            ),
            "policy": self.names.by_id[f"policy:{pid}"],
            "urgency": urgency if urgency in ("high", "low") else "high",
        }
        if service.get("acknowledgement_timeout"):
            out["ack_timeout"] = int(service["acknowledgement_timeout"])
        return out


def import_pagerduty(export: Export, source: str) -> str:
    """The PagerDuty export as OnCall YAML."""
    imp = _Importer(export)
    schedules = [imp.schedule(s, loc) for loc, s in _listed(export, "schedules", "schedule")]
    policies = [
        imp.policy(p, loc) for loc, p in _listed(export, "escalation_policies", "escalation_policy")
    ]
    if not policies:
        raise export.fail([], "the export has no escalation_policies")
    services = [imp.service(s, loc) for loc, s in _listed(export, "services", "service")]
    return imp.document(
        "PagerDuty",
        source,
        {"delay": "per_step", "empty_step": "skip", "freeze_policy": True},
        schedules,
        policies,
        services,
    )
