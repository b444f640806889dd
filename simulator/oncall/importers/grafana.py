"""Import Grafana OnCall: users, schedules with on-call shifts, escalation chains, integrations.

The export bundles the public API's lists: ``users``, ``schedules`` (with their
``shifts`` ids), ``on_call_shifts``, ``escalation_chains``, ``escalation_policies``
(the steps of the chains, with ``position``) and ``integrations`` (whose
``default_route`` names a chain; each becomes a service). Semantics are Grafana's:
only ``wait`` steps take time (about 5 s between other steps), an empty schedule
step is skipped, ``repeat_escalation`` repeats the chain (at most 5 times).
Shift levels: a higher level wins; shifts on one level are all on call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.oncall.importers.common import Export, Importer, Loc
from simulator.oncall.model import WEEKDAYS

_TURN = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}
_BY_DAY = {
    "MO": "mon",
    "TU": "tue",
    "WE": "wed",
    "TH": "thu",
    "FR": "fri",
    "SA": "sat",
    "SU": "sun",
}
_SKIPPED_STEPS = {"trigger_webhook", "trigger_action", "notify_whole_channel"}


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("id", "username", "timezone")
        self.shifts = {
            str(self.x.get(s, "id", loc)): (loc, s)
            for loc, s in export.items(export.data, "on_call_shifts", [])
        }

    def layer(self, shift: dict[str, Any], loc: Loc) -> dict[str, Any]:
        start = str(self.x.get(shift, "start", loc, str))
        duration = int(self.x.get(shift, "duration", loc, (int, float)))
        frequency = shift.get("frequency")
        if frequency is None:  # a single event: one turn of the shift's duration
            turn = duration
        elif frequency in _TURN:
            turn = _TURN[frequency] * int(shift.get("interval") or 1)
        else:
            raise self.x.fail(
                [*loc, "frequency"],
                f"frequency '{frequency}' is not supported",
                "expected hourly, daily or weekly",
            )
        groups = shift.get("rolling_users") or [shift.get("users") or []]
        users = []
        for gi, group in enumerate(groups):
            if len(group) != 1:
                raise self.x.fail(
                    [*loc, "rolling_users", gi],
                    "only one user per rotation turn is supported",
                    "split the group into separate shifts",
                )
            users.append(self.known_person(str(group[0]), [*loc, "rolling_users", gi]))
        out: dict[str, Any] = {
            "name": str(shift.get("name") or ""),
            "users": users,
            "rotation_virtual_start": shift.get("rotation_start") or start,
            "turn_length": turn,
            "start": start,
        }
        if shift.get("until"):
            out["end"] = shift["until"]
        local = datetime.fromisoformat(start)
        by_day = [_BY_DAY[d] for d in shift.get("by_day") or [] if d in _BY_DAY]
        if duration < turn or by_day:
            # A shift shorter than its recurrence is on call only from its start time.
            days = by_day or ([WEEKDAYS[local.weekday()]] if frequency == "weekly" else None)
            rule: dict[str, Any] = {
                "type": "daily",
                "start": local.strftime("%H:%M"),
                "duration": min(duration, 86400),
            }
            if days:
                rule["days"] = days
            out["restrictions"] = [rule]
        if frequency is None:
            out["end"] = out.get("end") or _plus(start, duration)
        return out

    def schedule(self, schedule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        sid = str(self.x.get(schedule, "id", loc))
        by_level: dict[int, list[dict[str, Any]]] = {}
        overrides = []
        for il, shift_id in self.x.items(schedule, "shifts", loc):
            if str(shift_id) not in self.shifts:
                raise self.x.fail(il, f"unknown shift id '{shift_id}'", "add it to on_call_shifts")
            sl, shift = self.shifts[str(shift_id)]
            if shift.get("type") == "override":
                start = str(self.x.get(shift, "start", sl, str))
                for ul, uid in self.x.items(shift, "users", sl):
                    overrides.append(
                        {
                            "user": self.known_person(str(uid), ul),
                            "start": start,
                            "end": _plus(start, int(self.x.get(shift, "duration", sl))),
                        }
                    )
                continue
            by_level.setdefault(int(shift.get("level") or 0), []).append(self.layer(shift, sl))
        levels = sorted(by_level)
        if len(levels) > 1 and any(len(by_level[lv]) > 1 for lv in levels):
            raise self.x.fail(
                loc,
                "shifts on several levels with more than one shift on a level cannot be expressed",
                "use one level, or one shift per level",
            )
        out: dict[str, Any] = {
            "name": self.names.add(f"schedule:{sid}", str(schedule.get("name") or sid)),
            "precedence": "all_on_call" if len(levels) <= 1 else "last_layer_wins",
            "layers": [layer for lv in levels for layer in by_level[lv]],
        }
        if schedule.get("time_zone"):
            out["time_zone"] = schedule["time_zone"]
        if overrides:
            out["overrides"] = overrides
        return out

    def chain(self, chain_id: str, name: str) -> dict[str, Any]:
        steps: list[dict[str, Any]] = []
        repeat = 0
        found = [
            (loc, p)
            for loc, p in self.x.items(self.x.data, "escalation_policies", [])
            if str(p.get("escalation_chain_id")) == chain_id
        ]
        for loc, policy in sorted(found, key=lambda item: int(item[1].get("position") or 0)):
            kind = self.x.get(policy, "type", loc, str)
            if kind == "wait":
                steps.append({"targets": [], "delay": int(policy.get("duration") or 300)})
            elif kind == "notify_persons":
                steps.append(
                    {
                        "targets": [
                            {"user": self.known_person(str(u), ul)}
                            for ul, u in self.x.items(policy, "persons_to_notify", loc)
                        ]
                    }
                )
            elif kind == "notify_person_next_each_time":
                steps.append(
                    {
                        "targets": [
                            {"user": self.known_person(str(u), ul)}
                            for ul, u in self.x.items(
                                policy, "persons_to_notify_next_each_time", loc
                            )
                        ],
                        "assign": "round_robin",
                    }
                )
            elif kind == "notify_on_call_from_schedule":
                sid = str(self.x.get(policy, "notify_on_call_from_schedule", loc))
                if f"schedule:{sid}" not in self.names.by_id:
                    raise self.x.fail(
                        [*loc, "notify_on_call_from_schedule"], f"unknown schedule id '{sid}'"
                    )
                steps.append({"targets": [{"schedule": self.names.by_id[f"schedule:{sid}"]}]})
            elif kind == "repeat_escalation":
                repeat = 5
                break
            elif kind == "resolve":
                break
            elif kind not in _SKIPPED_STEPS:
                raise self.x.fail([*loc, "type"], f"step type '{kind}' is not supported")
        if not steps:
            raise self.x.fail([], f"escalation chain '{name}' has no steps gameday can model")
        return {"name": self.names.add(f"chain:{chain_id}", name), "repeat": repeat, "steps": steps}


def _plus(start: str, seconds: int) -> str:
    from datetime import timedelta

    return (datetime.fromisoformat(start) + timedelta(seconds=seconds)).isoformat()


def import_grafana(export: Export, source: str) -> str:
    """The Grafana OnCall export as OnCall YAML."""
    imp = _Importer(export)
    schedules = [imp.schedule(s, loc) for loc, s in export.items(export.data, "schedules", [])]
    policies = [
        imp.chain(str(imp.x.get(c, "id", loc)), str(c.get("name") or "chain"))
        for loc, c in export.items(export.data, "escalation_chains", [])
    ]
    if not policies:
        raise export.fail([], "the export has no escalation_chains")
    services = []
    for loc, integration in export.items(export.data, "integrations", []):
        route = imp.x.get(integration, "default_route", loc, dict)
        cid = str(imp.x.get(route, "escalation_chain_id", [*loc, "default_route"]))
        if f"chain:{cid}" not in imp.names.by_id:
            raise export.fail(
                [*loc, "default_route", "escalation_chain_id"], f"unknown escalation chain '{cid}'"
            )
        services.append(
            {
                "name": imp.names.add(
                    f"integration:{integration.get('id', cid)}", str(integration.get("name") or cid)
                ),
                "policy": imp.names.by_id[f"chain:{cid}"],
            }
        )
    return imp.document(
        "Grafana OnCall",
        source,
        {"delay": "wait_steps", "empty_step": "skip", "freeze_policy": True, "step_gap": 5},
        schedules,
        policies,
        services,
    )
