"""Import GoAlert: users, rotations, schedules, escalation policies and services.

The export bundles GoAlert's GraphQL objects: ``users``, ``rotations`` (``type``,
``shiftLength``, ``start``, ``timeZone``, ``userIDs``), ``schedules`` (``targets``
with ``rules``: ``start``/``end`` clock and a Sunday-first ``weekdayFilter``),
``escalationPolicies`` (``repeat``, ``steps`` with ``delayMinutes`` and
``targets``) and ``services``. Semantics are GoAlert's: per-step delays, an
empty step waits out its delay, everyone from every active rule is on call.
A rotation targeted directly by a step becomes a one-layer schedule.
"""

from __future__ import annotations

from typing import Any

from simulator.oncall.importers.common import Export, Importer, Loc, minutes
from simulator.oncall.model import WEEKDAYS

_TURN = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}
_SUNDAY_FIRST = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def _minutes_of(text: str) -> int:
    hours, _, mins = text.partition(":")
    return int(hours) * 60 + int(mins or 0)


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("id", "name", "timeZone")
        self.rotations = {
            str(self.x.get(r, "id", loc)): (loc, r)
            for loc, r in export.items(export.data, "rotations", [])
        }

    def rotation_layer(self, rid: str, loc: Loc) -> dict[str, Any]:
        if rid not in self.rotations:
            raise self.x.fail(loc, f"unknown rotation id '{rid}'", "add it to rotations")
        rloc, rot = self.rotations[rid]
        kind = self.x.get(rot, "type", rloc, str)
        if kind not in _TURN:
            raise self.x.fail(
                [*rloc, "type"],
                f"rotation type '{kind}' is not supported",
                "gameday turns have a fixed length: hourly, daily or weekly",
            )
        return {
            "name": str(rot.get("name") or rid),
            "users": [
                self.known_person(str(u), [*rloc, "userIDs", i])
                for i, u in enumerate(rot.get("userIDs") or [])
            ],
            "rotation_virtual_start": self.x.get(rot, "start", rloc, str),
            "turn_length": _TURN[kind] * int(rot.get("shiftLength") or 1),
            "handoff": "wall_clock",
        }

    def rules(self, rules: list[tuple[Loc, Any]]) -> list[dict[str, Any]]:
        out = []
        for rl, rule in rules:
            start, end = str(rule.get("start", "00:00")), str(rule.get("end", "00:00"))
            span = (_minutes_of(end) - _minutes_of(start)) % 1440 or 1440
            flags = rule.get("weekdayFilter") or [True] * 7
            if len(flags) != 7:
                raise self.x.fail(
                    [*rl, "weekdayFilter"], "weekdayFilter has 7 entries, Sunday first"
                )
            days = [d for d in WEEKDAYS if flags[_SUNDAY_FIRST.index(d)]]
            if not days:
                continue
            out.append({"type": "daily", "start": start[:5], "duration": span * 60, "days": days})
        return out

    def schedule(self, schedule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        sid = str(self.x.get(schedule, "id", loc))
        layers = []
        for tl, entry in self.x.items(schedule, "targets", loc):
            target = self.x.get(entry, "target", tl, dict)
            ttype = self.x.get(target, "type", [*tl, "target"], str)
            tid = str(self.x.get(target, "id", [*tl, "target"]))
            if ttype == "rotation":
                layer = self.rotation_layer(tid, [*tl, "target", "id"])
            elif ttype == "user":
                # A user target is on call whenever its rules say: one user, one endless turn.
                layer = {
                    "name": self.known_person(tid, [*tl, "target", "id"]),
                    "users": [self.known_person(tid, [*tl, "target", "id"])],
                    "rotation_virtual_start": "2000-01-03T00:00:00Z",
                    "turn_length": "1w",
                }
            else:
                raise self.x.fail([*tl, "target", "type"], f"unknown target type '{ttype}'")
            restrictions = self.rules(self.x.items(entry, "rules", tl))
            if restrictions:
                layer["restrictions"] = restrictions
            if entry.get("rules") and not restrictions:
                continue  # every rule filters out all weekdays: never on call
            layers.append(layer)
        out: dict[str, Any] = {
            "name": self.names.add(f"schedule:{sid}", str(schedule.get("name") or sid)),
            "precedence": "all_on_call",
            "layers": layers,
        }
        if schedule.get("timeZone"):
            out["time_zone"] = schedule["timeZone"]
        return out

    def step_target(
        self, target: dict[str, Any], loc: Loc, extra: list[dict[str, Any]]
    ) -> dict[str, str]:
        ttype = self.x.get(target, "type", loc, str)
        tid = str(self.x.get(target, "id", loc))
        if ttype == "user":
            return {"user": self.known_person(tid, [*loc, "id"])}
        if ttype == "schedule":
            return {"schedule": self.names.add(f"schedule:{tid}", tid)}
        if ttype == "rotation":
            key = f"rotation:{tid}"
            if key not in self.names.by_id:
                layer = self.rotation_layer(tid, [*loc, "id"])
                extra.append(
                    {
                        "name": self.names.add(key, f"rotation-{layer['name']}"),
                        "precedence": "all_on_call",
                        "layers": [layer],
                    }
                )
            return {"schedule": self.names.by_id[key]}
        raise self.x.fail(
            [*loc, "type"],
            f"target type '{ttype}' is not supported",
            "expected user, schedule or rotation",
        )

    def policy(
        self, policy: dict[str, Any], loc: Loc, extra: list[dict[str, Any]]
    ) -> dict[str, Any]:
        pid = str(self.x.get(policy, "id", loc))
        steps = []
        for sl, step in self.x.items(policy, "steps", loc):
            delay = self.x.get(step, "delayMinutes", sl, (int, float))
            steps.append(
                {
                    "targets": [
                        self.step_target(t, tl, extra)
                        for tl, t in self.x.items(step, "targets", sl)
                    ],
                    "delay": minutes(delay),
                }
            )
        if not steps:
            raise self.x.fail(loc, "an escalation policy needs steps")
        return {
            "name": self.names.add(f"policy:{pid}", str(policy.get("name") or pid)),
            "repeat": int(policy.get("repeat", 3)),
            "steps": steps,
        }


def import_goalert(export: Export, source: str) -> str:
    """The GoAlert export as OnCall YAML."""
    imp = _Importer(export)
    schedules = [imp.schedule(s, loc) for loc, s in export.items(export.data, "schedules", [])]
    extra: list[dict[str, Any]] = []
    policies = [
        imp.policy(p, loc, extra) for loc, p in export.items(export.data, "escalationPolicies", [])
    ]
    if not policies:
        raise export.fail([], "the export has no escalationPolicies")
    services = []
    for loc, svc in export.items(export.data, "services", []):
        pid = str(imp.x.get(svc, "escalationPolicyID", loc))
        if f"policy:{pid}" not in imp.names.by_id:
            raise export.fail([*loc, "escalationPolicyID"], f"unknown escalation policy '{pid}'")
        services.append(
            {
                "name": imp.names.add(f"service:{svc.get('id', pid)}", str(svc.get("name") or pid)),
                "policy": imp.names.by_id[f"policy:{pid}"],
            }
        )
    return imp.document(
        "GoAlert",
        source,
        {"delay": "per_step", "empty_step": "wait", "freeze_policy": True},
        schedules + extra,
        policies,
        services,
    )
