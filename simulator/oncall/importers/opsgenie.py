"""Import Opsgenie: users, schedules with rotations, and escalations (REST API v2 JSON).

The export bundles ``{"users": [...], "schedules": [...], "escalations": [...]}``,
each as returned by the API (schedules with ``rotations`` expanded). Semantics are
Opsgenie's: rule delays count from the alert's creation, every rotation of a
schedule is on call together, ``repeat.count`` extra passes after
``repeat.waitInterval`` minutes. Opsgenie has no services; each escalation
becomes a service of the same name. A ``none`` participant (a deliberate empty
turn) is dropped: gameday layers list people only.
"""

from __future__ import annotations

from typing import Any

from simulator.oncall.importers.common import Export, Importer, Loc, clock, minutes

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TURN = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("username", "fullName", "timeZone")

    def person(self, username: str, loc: Loc) -> str:
        # Opsgenie refers to users by username; one missing from users is still a person.
        return self.add_person(username, username)

    def restrictions(self, rule: dict[str, Any], loc: Loc) -> list[dict[str, Any]]:
        kind = self.x.get(rule, "type", loc, str)
        if kind == "time-of-day":
            r = self.x.get(rule, "restriction", loc, dict)
            start = r["startHour"] * 60 + r.get("startMin", 0)
            end = r["endHour"] * 60 + r.get("endMin", 0)
            span = (end - start) % 1440 or 1440
            return [
                {
                    "type": "daily",
                    "start": clock(r["startHour"], r.get("startMin", 0)),
                    "duration": span * 60,
                }
            ]
        if kind == "weekday-and-time-of-day":
            out = []
            for rl, r in self.x.items(rule, "restrictions", loc):
                day = str(self.x.get(r, "startDay", rl, str)).lower()
                end_day = str(self.x.get(r, "endDay", rl, str)).lower()
                if day not in _DAYS or end_day not in _DAYS:
                    raise self.x.fail(rl, "startDay/endDay must be weekday names")
                start = _DAYS.index(day) * 1440 + r["startHour"] * 60 + r.get("startMin", 0)
                end = _DAYS.index(end_day) * 1440 + r["endHour"] * 60 + r.get("endMin", 0)
                span = (end - start) % (7 * 1440) or 7 * 1440
                out.append(
                    {
                        "type": "weekly",
                        "start_day": day[:3],
                        "start": clock(r["startHour"], r.get("startMin", 0)),
                        "duration": span * 60,
                    }
                )
            return out
        raise self.x.fail([*loc, "type"], f"unknown time restriction type '{kind}'")

    def layer(self, rotation: dict[str, Any], loc: Loc) -> dict[str, Any] | None:
        kind = self.x.get(rotation, "type", loc, str)
        if kind not in _TURN:
            raise self.x.fail(
                [*loc, "type"],
                f"unknown rotation type '{kind}'",
                "expected hourly, daily or weekly",
            )
        users = []
        for pl, p in self.x.items(rotation, "participants", loc):
            ptype = self.x.get(p, "type", pl, str)
            if ptype == "user":
                users.append(self.person(str(self.x.get(p, "username", pl, str)), pl))
            elif ptype != "none":
                raise self.x.fail(
                    [*pl, "type"],
                    f"participant type '{ptype}' is not supported",
                    "list the team's users instead",
                )
        if not users:
            return None
        out: dict[str, Any] = {
            "name": str(rotation.get("name") or ""),
            "users": users,
            "rotation_virtual_start": self.x.get(rotation, "startDate", loc, str),
            "turn_length": _TURN[kind] * int(rotation.get("length") or 1),
        }
        if rotation.get("endDate"):
            out["end"] = rotation["endDate"]
        if rotation.get("timeRestriction"):
            out["restrictions"] = self.restrictions(
                rotation["timeRestriction"], [*loc, "timeRestriction"]
            )
        return out

    def schedule(self, schedule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        name = str(self.x.get(schedule, "name", loc, str))
        layers = [
            lay
            for rl, r in self.x.items(schedule, "rotations", loc)
            if (lay := self.layer(r, rl)) is not None
        ]
        if not layers:
            raise self.x.fail([*loc, "rotations"], f"schedule '{name}' has no rotation with users")
        out: dict[str, Any] = {
            "name": self.names.add(f"schedule:{name}", name),
            "precedence": "all_on_call",
            "layers": layers,
        }
        if schedule.get("timezone"):
            out["time_zone"] = schedule["timezone"]
        overrides = []
        for ol, o in self.x.items(schedule, "overrides", loc):
            user = self.x.get(o, "user", ol, dict)
            overrides.append(
                {
                    "user": self.person(str(self.x.get(user, "username", [*ol, "user"], str)), ol),
                    "start": self.x.get(o, "startDate", ol, str),
                    "end": self.x.get(o, "endDate", ol, str),
                }
            )
        if overrides:
            out["overrides"] = overrides
        return out

    def step(self, rule: dict[str, Any], loc: Loc) -> dict[str, Any]:
        delay = self.x.get(rule, "delay", loc, dict)
        amount = float(self.x.get(delay, "timeAmount", [*loc, "delay"], (int, float)))
        if delay.get("timeUnit", "minutes") == "hours":
            amount *= 60
        recipient = self.x.get(rule, "recipient", loc, dict)
        rtype = self.x.get(recipient, "type", [*loc, "recipient"], str)
        notify = rule.get("notifyType", "default")
        if notify not in ("default", "all"):
            raise self.x.fail(
                [*loc, "notifyType"],
                f"notifyType '{notify}' is not supported",
                "gameday models default (on-call user) and all",
            )
        if rtype == "user":
            username = str(recipient.get("username") or recipient.get("name") or "")
            return {"targets": [{"user": self.person(username, loc)}], "delay": minutes(amount)}
        if rtype == "schedule":
            sname = str(self.x.get(recipient, "name", [*loc, "recipient"], str))
            return {
                "targets": [{"schedule": self.names.add(f"schedule:{sname}", sname)}],
                "delay": minutes(amount),
            }
        raise self.x.fail(
            [*loc, "recipient", "type"],
            f"recipient type '{rtype}' is not supported",
            "name the team's schedule or users",
        )

    def policy(self, escalation: dict[str, Any], loc: Loc) -> dict[str, Any]:
        name = str(self.x.get(escalation, "name", loc, str))
        steps = [self.step(r, rl) for rl, r in self.x.items(escalation, "rules", loc)]
        if not steps:
            raise self.x.fail(loc, f"escalation '{name}' has no rules")
        repeat = escalation.get("repeat") or {}
        return {
            "name": self.names.add(f"policy:{name}", name),
            "repeat": int(repeat.get("count") or 0),
            "repeat_wait": minutes(float(repeat.get("waitInterval") or 0)),
            "steps": steps,
        }


def import_opsgenie(export: Export, source: str) -> str:
    """The Opsgenie export as OnCall YAML."""
    imp = _Importer(export)
    schedules = [imp.schedule(s, loc) for loc, s in export.items(export.data, "schedules", [])]
    policies = [imp.policy(e, loc) for loc, e in export.items(export.data, "escalations", [])]
    if not policies:
        raise export.fail([], "the export has no escalations")
    return imp.document(
        "Opsgenie",
        source,
        {"delay": "from_trigger", "empty_step": "skip", "freeze_policy": True},
        schedules,
        policies,
        [{"name": p["name"], "policy": p["name"]} for p in policies],
    )
