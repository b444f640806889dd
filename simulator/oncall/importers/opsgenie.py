"""Import Opsgenie: users, teams, schedules with rotations, and escalations (REST API v2 JSON).

The export bundles ``{"users", "teams", "schedules", "escalations"}``, each as the
API returns it (a schedule listing without ``expand=rotation`` is accepted too).
Semantics are Opsgenie's: rule delays count from the alert's creation (``timeUnit``
minutes, hours, days or seconds), every rotation of a schedule is on call together,
``repeat.count`` extra passes after ``repeat.waitInterval`` minutes. Opsgenie has no
services; each escalation becomes a service of the same name.

What cannot be expressed is approximated with a warning: a ``none`` participant is a
turn nobody holds (the rotation becomes one layer per person, each on call one turn
in n); ``next``/``previous`` pages the neighbouring turn of each rotation; a team or
escalation that the export does not expand is paged as one stand-in person; an
``if-not-closed`` rule stops at the first acknowledgement like ``if-not-acked``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.oncall.importers.common import Export, Imported, Importer, Loc, clock, minutes

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TURN = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}
_UNIT_MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 1440}


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("username", "fullName", "timeZone")
        self.teams: dict[str, tuple[Loc, Any]] = {}
        for loc, team in export.items(export.data, "teams", []):
            self.teams[self.x.text(team, "name", loc)] = (loc, team)
            if team.get("id") is not None:
                self.teams[self.x.text(team, "id", loc)] = (loc, team)
        self.rotations: dict[str, list[dict[str, Any]]] = {}
        self.unexpanded: set[str] = set()
        self.extra: list[dict[str, Any]] = []

    def person(self, username: str) -> str:
        # Opsgenie refers to users by username; one missing from users is still a person.
        return self.add_person(username, username)

    def stand_in(self, kind: str, name: str, loc: Loc, why: str) -> str:
        if f"{kind}:{name}" in self.people:
            return self.add_person(f"{kind}:{name}", name)
        person = self.add_person(f"{kind}:{name}", f"{kind}-{name}")
        self.warn(
            loc,
            f"{kind} '{name}' is paged as one stand-in person '{person}' ({why}); "
            "its response is the assumed default",
        )
        return person

    def _hm(self, r: Any, prefix: str, loc: Loc) -> tuple[int, int]:
        if r.get(f"{prefix}Hour") is None:
            self.warn(loc, f"time restriction without {prefix}Hour: read as {prefix} of day 00:00")
        hour = int(self.x.number(r, f"{prefix}Hour", loc, 0))
        mins = int(self.x.number(r, f"{prefix}Min", loc, 0))
        if hour > 24 or mins > 59:
            raise self.x.fail([*loc, f"{prefix}Hour"], "hours are 0-23 and minutes 0-59")
        return hour % 24, mins

    def restrictions(self, rule: Any, loc: Loc) -> list[dict[str, Any]]:
        kind = self.x.get(rule, "type", loc, str)
        if kind == "time-of-day":
            r = self.x.get(rule, "restriction", loc, dict)
            rl: Loc = [*loc, "restriction"]
            (sh, sm), (eh, em) = self._hm(r, "start", rl), self._hm(r, "end", rl)
            span = (eh * 60 + em - sh * 60 - sm) % 1440 or 1440
            return [{"type": "daily", "start": clock(sh, sm), "duration": span * 60}]
        if kind == "weekday-and-time-of-day":
            out = []
            for rl, r in self.x.items(rule, "restrictions", loc):
                day = self.x.get(r, "startDay", rl, str).lower()
                end_day = self.x.get(r, "endDay", rl, str).lower()
                if day not in _DAYS or end_day not in _DAYS:
                    raise self.x.fail(rl, "startDay/endDay must be weekday names (monday...)")
                (sh, sm), (eh, em) = self._hm(r, "start", rl), self._hm(r, "end", rl)
                start = _DAYS.index(day) * 1440 + sh * 60 + sm
                end = _DAYS.index(end_day) * 1440 + eh * 60 + em
                span = (end - start) % (7 * 1440) or 7 * 1440
                out.append(
                    {
                        "type": "weekly",
                        "start_day": day[:3],
                        "start": clock(sh, sm),
                        "duration": span * 60,
                    }
                )
            return out
        raise self.x.fail([*loc, "type"], f"unknown time restriction type '{kind}'")

    def participant(self, p: Any, loc: Loc) -> str | None:
        ptype = self.x.get(p, "type", loc, str)
        if ptype == "user":
            return self.person(self.x.text(p, "username", loc, "") or self.x.text(p, "id", loc))
        if ptype == "none":
            return None
        if ptype in ("team", "escalation"):
            name = self.x.text(p, "name", loc, "") or self.x.text(p, "id", loc)
            return self.stand_in(ptype, name, loc, f"it holds a rotation turn as a {ptype}")
        raise self.x.fail(
            [*loc, "type"],
            f"participant type '{ptype}' is not an Opsgenie participant",
            "expected user, team, escalation or none",
        )

    def layers(self, rotation: Any, loc: Loc) -> list[dict[str, Any]]:
        """One layer, or one per person when some turns are held by ``none``."""
        kind = self.x.get(rotation, "type", loc, str)
        if kind not in _TURN:
            raise self.x.fail(
                [*loc, "type"],
                f"unknown rotation type '{kind}'",
                "expected hourly, daily or weekly",
            )
        turn = _TURN[kind] * int(self.x.number(rotation, "length", loc, 1, minimum=1, maximum=1000))
        holders = [self.participant(p, pl) for pl, p in self.x.items(rotation, "participants", loc)]
        name = self.x.text(rotation, "name", loc, "")
        base: dict[str, Any] = {"rotation_virtual_start": self.x.moment(rotation, "startDate", loc)}
        if rotation.get("endDate") is not None:
            base["end"] = self.x.moment(rotation, "endDate", loc)
        if rotation.get("timeRestriction"):
            base["restrictions"] = self.restrictions(
                rotation["timeRestriction"], [*loc, "timeRestriction"]
            )
        people = [h for h in holders if h is not None]
        if not people:
            self.warn(
                loc, f"rotation '{name}' has no participant but none: nobody is on call in it"
            )
            return []
        if len(people) == len(holders):
            return [{"name": name, "users": people, "turn_length": turn, **base}]
        self.warn(
            loc,
            f"rotation '{name}' has 'none' turns: it becomes one layer per person, each on "
            f"call one turn in {len(holders)}",
        )
        anchor = base["rotation_virtual_start"]
        return [
            {
                **base,
                "name": f"{name} ({who})",
                "users": [who],
                "rotation_virtual_start": anchor + timedelta(seconds=i * turn),
                "turn_length": turn * len(holders),
                "active_for": turn,
            }
            for i, who in enumerate(holders)
            if who is not None
        ]

    def schedule(self, schedule: Any, loc: Loc) -> dict[str, Any] | None:
        name = self.x.text(schedule, "name", loc)
        rotations = self.x.items(schedule, "rotations", loc)
        key = f"schedule:{name}"
        if not rotations:
            self.unexpanded.add(name)
            return None
        layers = [lay for rl, r in rotations for lay in self.layers(r, rl)]
        self.rotations[name] = layers
        out: dict[str, Any] = {
            "name": self.names.add(key, name),
            "precedence": "all_on_call",
            "layers": layers,
        }
        if schedule.get("enabled") is False:
            self.warn(loc, f"schedule '{name}' is disabled in Opsgenie but imported as enabled")
        zone = self.x.opt(schedule, "timezone", loc, str)
        if zone:
            out["time_zone"] = zone
        overrides = []
        for ol, o in self.x.items(schedule, "overrides", loc):
            user = self.x.get(o, "user", ol, dict)
            overrides.append(
                {
                    "user": self.person(self.x.text(user, "username", [*ol, "user"])),
                    "start": self.x.moment(o, "startDate", ol),
                    "end": self.x.moment(o, "endDate", ol),
                }
            )
        if overrides:
            out["overrides"] = overrides
        return out

    def schedule_targets(self, name: str, notify: str, loc: Loc) -> list[dict[str, str]]:
        if name not in self.rotations:
            why = (
                "the export lists it without rotations: export it with ?expand=rotation"
                if name in self.unexpanded
                else "the export does not include it"
            )
            return [{"user": self.stand_in("schedule", name, loc, why)}]
        if not self.rotations[name]:
            self.warn(loc, f"schedule '{name}' has nobody in any rotation: this rule pages nobody")
            return []
        schedule = self.names.by_id[f"schedule:{name}"]
        if notify == "default":
            return [{"schedule": schedule}]
        if notify == "all":
            people = sorted({u for layer in self.rotations[name] for u in layer["users"]})
            return [{"user": p} for p in people]
        if notify in ("next", "previous"):
            shift = 1 if notify == "next" else -1
            key = f"schedule:{name}:{notify}"
            if key not in self.names.by_id:
                self.warn(
                    loc,
                    f"'{notify}' on schedule '{name}' pages the {notify} turn of each rotation "
                    "(overrides and multi-person 'none' splits are not shifted)",
                )
                layers = [
                    {**lay, "users": lay["users"][shift:] + lay["users"][:shift]}
                    for lay in self.rotations[name]
                ]
                self.extra.append(
                    {
                        "name": self.names.add(key, f"{name}-{notify}"),
                        "precedence": "all_on_call",
                        "layers": layers,
                    }
                )
            return [{"schedule": self.names.by_id[key]}]
        raise self.x.fail(
            [*loc, "notifyType"],
            f"notifyType '{notify}' does not apply to a schedule",
            "use default, next, previous or all",
        )

    def team_targets(self, name: str, notify: str, loc: Loc) -> list[dict[str, str]]:
        if name not in self.teams:
            why = "the export lists no members for it: add the team under teams"
            return [{"user": self.stand_in("team", name, loc, why)}]
        tloc, team = self.teams[name]
        members = [
            (self.x.get(m, "user", ml, dict), str(m.get("role", "user")))
            for ml, m in self.x.items(team, "members", tloc)
        ]
        if notify == "admins":
            members = [m for m in members if m[1] in ("admin", "owner")]
        names = [self.person(self.x.text(u, "username", tloc)) for u, _ in members]
        if not names:
            raise self.x.fail(tloc, f"team '{name}' has no members to notify ({notify})")
        if notify == "default":
            self.warn(loc, f"team '{name}' (default) pages every member: routing is not imported")
        if notify == "random":
            self.warn(loc, f"team '{name}' random member is modelled as round robin")
        return [{"user": n} for n in names]

    def step(self, rule: Any, loc: Loc) -> dict[str, Any]:
        delay = self.x.get(rule, "delay", loc, dict)
        amount = self.x.number(delay, "timeAmount", [*loc, "delay"])
        unit = self.x.text(delay, "timeUnit", [*loc, "delay"], "minutes")
        if unit not in _UNIT_MINUTES:
            raise self.x.fail([*loc, "delay", "timeUnit"], f"unknown timeUnit '{unit}'")
        if self.x.text(rule, "condition", loc, "if-not-acked") == "if-not-closed":
            self.warn(
                loc,
                "an if-not-closed rule also fires after an acknowledgement in Opsgenie; "
                "gameday stops escalating at the first ack, so it is read as if-not-acked",
            )
        recipient = self.x.get(rule, "recipient", loc, dict)
        rloc = [*loc, "recipient"]
        rtype = self.x.get(recipient, "type", rloc, str)
        notify = self.x.text(rule, "notifyType", loc, "default")
        name = self.x.text(recipient, "name", rloc, "") or self.x.text(recipient, "id", rloc, "")
        out: dict[str, Any] = {"delay": minutes(amount * _UNIT_MINUTES[unit])}
        if rtype == "user":
            username = self.x.text(recipient, "username", rloc, "") or name
            if not username:
                raise self.x.fail(rloc, "a user recipient needs a username")
            out["targets"] = [{"user": self.person(username)}]
        elif rtype == "schedule":
            out["targets"] = self.schedule_targets(name, notify, loc)
        elif rtype == "team":
            out["targets"] = self.team_targets(name, notify, loc)
            if notify == "random":
                out["assign"] = "round_robin"
        elif rtype == "escalation":
            why = "gameday cannot nest escalations"
            out["targets"] = [{"user": self.stand_in("escalation", name, rloc, why)}]
        else:
            raise self.x.fail(
                [*rloc, "type"],
                f"recipient type '{rtype}' is not an Opsgenie recipient",
                "expected user, team, schedule or escalation",
            )
        return out

    def policy(self, escalation: Any, loc: Loc) -> dict[str, Any]:
        name = self.x.text(escalation, "name", loc)
        steps = [self.step(r, rl) for rl, r in self.x.items(escalation, "rules", loc)]
        if not steps:
            raise self.x.fail(loc, f"escalation '{name}' has no rules")
        repeat = self.x.opt(escalation, "repeat", loc, dict) or {}
        rloc = [*loc, "repeat"]
        if repeat.get("closeAlertAfterAll"):
            self.warn(rloc, f"escalation '{name}': closeAlertAfterAll is not modelled")
        count = int(self.x.number(repeat, "count", rloc, 0))
        if count > 20:
            raise self.x.fail([*rloc, "count"], "repeat.count above 20 is not supported")
        return {
            "name": self.names.add(f"policy:{name}", name),
            "repeat": count,
            "repeat_wait": minutes(self.x.number(repeat, "waitInterval", rloc, 0)),
            "steps": steps,
        }


def import_opsgenie(export: Export) -> Imported:
    """The Opsgenie export as an OnCall config."""
    imp = _Importer(export)
    found = [imp.schedule(s, loc) for loc, s in export.items(export.data, "schedules", [])]
    policies = [imp.policy(e, loc) for loc, e in export.items(export.data, "escalations", [])]
    if not policies:
        raise export.fail([], "the export has no escalations", "add the GET /v2/escalations list")
    schedules = [s for s in found if s is not None and s["layers"]]
    return imp.document(
        "Opsgenie",
        export.src.file,
        {"delay": "from_trigger", "empty_step": "skip", "freeze_policy": True},
        schedules + imp.extra,
        policies,
        [{"name": p["name"], "policy": p["name"]} for p in policies],
    )
