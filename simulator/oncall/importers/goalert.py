"""Import GoAlert: users, rotations, schedules, overrides, escalation policies and services.

The export bundles GoAlert's GraphQL objects: ``users``, ``rotations`` (``type``
hourly/daily/weekly/monthly, ``shiftLength``, ``start``, ``timeZone``,
``activeUserIndex``, ``userIDs``, optionally ``nextHandoffTimes``), ``schedules``
(``targets`` with ``rules``: ``start``/``end`` clock and a Sunday-first
``weekdayFilter``; ``temporarySchedules``), ``userOverrides`` (top level or per
schedule), ``escalationPolicies`` (``repeat``, ``steps`` with ``delayMinutes`` and
the deprecated ``targets`` or the newer ``actions`` destinations) and ``services``.
Semantics are GoAlert's: per-step delays, an empty step waits out its delay,
everyone from every active rule is on call, handoffs keep their wall-clock time in
the rotation's zone. A rotation targeted directly by a step becomes a one-layer
schedule. Non-paging destinations (Slack, webhooks) are skipped with a warning.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.oncall.importers.common import Export, Imported, Importer, Loc, minutes
from simulator.oncall.model import WEEKDAYS, parse_clock
from simulator.oncall.schedule import add_months

_TURN = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400}
_SUNDAY_FIRST = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_ACTION_TARGET = {
    "builtin-user": ("user", "user_id"),
    "builtin-schedule": ("schedule", "schedule_id"),
    "builtin-rotation": ("rotation", "rotation_id"),
}


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("id", "name", "timeZone")
        self.rotations = {
            self.x.text(r, "id", loc): (loc, r)
            for loc, r in export.items(export.data, "rotations", [])
        }
        self.empty: set[str] = set()
        self.schedule_ids = {
            self.x.text(s, "id", loc) for loc, s in export.items(export.data, "schedules", [])
        }

    def clock(self, rule: Any, key: str, loc: Loc) -> int:
        """Minutes since midnight of a rule's ``HH:MM[:SS]`` clock (seconds are dropped)."""
        text = self.x.text(rule, key, loc, "00:00")
        try:
            moment = parse_clock(text)
        except ValueError:
            raise self.x.fail([*loc, key], f"'{text}' is not a clock time", "e.g. 09:00") from None
        return moment.hour * 60 + moment.minute

    def rotation_layer(self, rid: str, loc: Loc) -> dict[str, Any]:
        if rid not in self.rotations:
            raise self.x.fail(loc, f"unknown rotation id '{rid}'", "add it to rotations")
        rloc, rot = self.rotations[rid]
        kind = self.x.get(rot, "type", rloc, str)
        length = int(self.x.number(rot, "shiftLength", rloc, 1, minimum=1, maximum=9000))
        users = [
            self.known_person(str(u), [*rloc, "userIDs", i])
            for i, u in enumerate(self.x.opt(rot, "userIDs", rloc, list) or [])
        ]
        if not users:
            raise self.x.fail([*rloc, "userIDs"], f"rotation '{rid}' has no users")
        name = self.x.text(rot, "name", rloc, "") or rid
        layer: dict[str, Any] = {"name": name, "handoff": "wall_clock"}
        if kind == "monthly":
            layer["turn_months"] = length
        elif kind in _TURN:
            layer["turn_length"] = _TURN[kind] * length
        else:
            raise self.x.fail(
                [*rloc, "type"],
                f"rotation type '{kind}' is not a GoAlert type",
                "expected hourly, daily, weekly or monthly",
            )
        start = self.x.moment(rot, "start", rloc)
        active = int(self.x.number(rot, "activeUserIndex", rloc, 0))
        if active >= len(users):
            raise self.x.fail([*rloc, "activeUserIndex"], "activeUserIndex is past userIDs")
        handoffs = self.x.items(rot, "nextHandoffTimes", rloc)
        if handoffs:
            hl, first = handoffs[0]
            # The active user's shift is the one that ends at the next handoff.
            upcoming = self.x.parse_moment(first, hl)
            if "turn_length" in layer:
                anchor = upcoming - timedelta(seconds=layer["turn_length"])
            else:
                anchor = add_months(upcoming, -length)
        else:
            anchor = start
            self.warn(
                rloc,
                f"rotation '{name}': activeUserIndex {active} is taken to hold the shift "
                f"that starts at `start` ({start.isoformat()}); export nextHandoffTimes "
                "to pin the current shift",
            )
        layer["users"] = users[active:] + users[:active]
        layer["rotation_virtual_start"] = anchor
        zone = self.x.opt(rot, "timeZone", rloc, str)
        if zone:
            layer["time_zone"] = zone
        return layer

    def rules(self, rules: list[tuple[Loc, Any]]) -> list[dict[str, Any]]:
        out = []
        for rl, rule in rules:
            start, end = self.clock(rule, "start", rl), self.clock(rule, "end", rl)
            span = (end - start) % 1440 or 1440
            flags = self.x.opt(rule, "weekdayFilter", rl, list) or [True] * 7
            if len(flags) != 7 or not all(isinstance(f, bool) for f in flags):
                raise self.x.fail(
                    [*rl, "weekdayFilter"], "weekdayFilter has 7 true/false entries, Sunday first"
                )
            days = [d for d in WEEKDAYS if flags[_SUNDAY_FIRST.index(d)]]
            if days:
                out.append(
                    {
                        "type": "daily",
                        "start": f"{start // 60:02d}:{start % 60:02d}",
                        "duration": span * 60,
                        "days": days,
                    }
                )
        return out

    def user_layer(self, uid: str, loc: Loc) -> dict[str, Any]:
        # A user target is on call whenever its rules say: one user, one endless turn.
        person = self.known_person(uid, loc)
        return {
            "name": person,
            "users": [person],
            "rotation_virtual_start": "2000-01-03T00:00:00Z",
            "turn_length": "1w",
        }

    def schedule(self, schedule: Any, loc: Loc, overrides: list[tuple[Loc, Any]]) -> dict[str, Any]:
        sid = self.x.text(schedule, "id", loc)
        zone = self.x.opt(schedule, "timeZone", loc, str)
        name = self.names.add(f"schedule:{sid}", self.x.text(schedule, "name", loc, "") or sid)
        layers = []
        for tl, entry in self.x.items(schedule, "targets", loc):
            target = self.x.get(entry, "target", tl, dict)
            ttype = self.x.get(target, "type", [*tl, "target"], str)
            tid = self.x.text(target, "id", [*tl, "target"])
            if ttype == "rotation":
                layer = self.rotation_layer(tid, [*tl, "target", "id"])
            elif ttype == "user":
                layer = self.user_layer(tid, [*tl, "target", "id"])
            else:
                raise self.x.fail([*tl, "target", "type"], f"unknown target type '{ttype}'")
            rules = self.x.items(entry, "rules", tl)
            restrictions = self.rules(rules)
            if rules and not restrictions:
                continue  # every rule filters out all weekdays: never on call
            if restrictions:
                layer["restrictions"] = restrictions
                rotation_zone = layer.pop("time_zone", None)
                if rotation_zone and zone and rotation_zone != zone:
                    self.warn(
                        tl,
                        f"schedule '{name}': rotation '{layer['name']}' hands off in "
                        f"{rotation_zone} but its rules are in {zone}; handoffs are kept at "
                        f"{zone} wall-clock time (off by an hour while the zones' DST differ)",
                    )
            layers.append(layer)
        out: dict[str, Any] = {"name": name, "precedence": "all_on_call", "layers": layers}
        if zone:
            out["time_zone"] = zone
        found = [*self.x.items(schedule, "userOverrides", loc), *overrides]
        found += self.temporary(schedule, loc, name)
        replaced = [o for ol, e in found if (o := self.override(e, ol, name)) is not None]
        if replaced:
            out["overrides"] = _without_overlaps(self, replaced, loc, name)
        if not layers:
            self.warn(
                loc, f"schedule '{name}' has nobody on call ever: steps paging it page nobody"
            )
            self.empty.add(sid)
        return out

    def temporary(self, schedule: Any, loc: Loc, name: str) -> list[tuple[Loc, Any]]:
        """Temporary schedule shifts, as replacing overrides (they win over every rule)."""
        out: list[tuple[Loc, Any]] = []
        for tl, temp in self.x.items(schedule, "temporarySchedules", loc):
            shifts = self.x.items(temp, "shifts", tl)
            self.warn(
                tl,
                f"schedule '{name}': temporary schedule {self.x.text(temp, 'start', tl, '?')} is "
                "imported as overrides; its gaps fall back to the regular rules (GoAlert: "
                "nobody on call)",
            )
            for sl, shift in shifts:
                uid = self.x.text(shift, "userID", sl)
                # A temporary shift replaces everyone: mark it as a replace override.
                out.append((sl, {**shift, "addUserID": uid, "removeUserID": "*"}))
        return out

    def override(self, entry: Any, loc: Loc, name: str) -> dict[str, Any] | None:
        add = self.x.opt(entry, "addUserID", loc, str)
        remove = self.x.opt(entry, "removeUserID", loc, str)
        start, end = self.x.moment(entry, "start", loc), self.x.moment(entry, "end", loc)
        if end <= start:
            raise self.x.fail([*loc, "end"], "an override must end after it starts")
        if add is None:
            self.warn(
                loc,
                f"schedule '{name}': a remove-only override ({remove}) cannot be expressed "
                "and is ignored; that person stays on call in gameday",
            )
            return None
        if remove is None:
            self.warn(
                loc,
                f"schedule '{name}': an add override keeps the others on call in GoAlert; "
                "gameday's override replaces them",
            )
        return {"user": self.known_person(add, [*loc, "addUserID"]), "start": start, "end": end}

    def step_target(
        self, ttype: str, tid: str, loc: Loc, extra: list[dict[str, Any]]
    ) -> dict[str, str] | None:
        if ttype == "user":
            return {"user": self.known_person(tid, loc)}
        if ttype == "schedule":
            if tid not in self.schedule_ids:
                raise self.x.fail(loc, f"unknown schedule id '{tid}'", "add it to schedules")
            if tid in self.empty:
                return None
            return {"schedule": self.names.by_id[f"schedule:{tid}"]}
        if ttype == "rotation":
            key = f"rotation:{tid}"
            if key not in self.names.by_id:
                layer = self.rotation_layer(tid, loc)
                extra.append(
                    {
                        "name": self.names.add(key, f"rotation-{layer['name']}"),
                        "precedence": "all_on_call",
                        "layers": [layer],
                    }
                )
            return {"schedule": self.names.by_id[key]}
        self.warn(loc, f"step destination '{ttype}' ({tid}) pages nobody and is skipped")
        return None

    def targets(self, step: Any, loc: Loc, extra: list[dict[str, Any]]) -> list[dict[str, str]]:
        found = []
        for tl, t in self.x.items(step, "targets", loc):
            found.append(
                self.step_target(
                    self.x.get(t, "type", tl, str), self.x.text(t, "id", tl), tl, extra
                )
            )
        for al, action in self.x.items(step, "actions", loc):
            kind = self.x.get(action, "type", al, str)
            args = self.x.opt(action, "args", al, dict) or {}
            if kind in _ACTION_TARGET:
                ttype, arg = _ACTION_TARGET[kind]
                found.append(
                    self.step_target(ttype, self.x.text(args, arg, [*al, "args"]), al, extra)
                )
            else:
                found.append(self.step_target(kind, str(sorted(args.values())), al, extra))
        return [t for t in found if t is not None]

    def policy(self, policy: Any, loc: Loc, extra: list[dict[str, Any]]) -> dict[str, Any]:
        pid = self.x.text(policy, "id", loc)
        steps = [
            {
                "targets": self.targets(step, sl, extra),
                "delay": minutes(self.x.number(step, "delayMinutes", sl, minimum=1, maximum=9000)),
            }
            for sl, step in self.x.items(policy, "steps", loc)
        ]
        if not steps:
            raise self.x.fail(loc, "an escalation policy needs steps")
        repeat = int(self.x.number(policy, "repeat", loc, 3))
        if repeat > 20:
            raise self.x.fail([*loc, "repeat"], "repeat is at most 5 in GoAlert")
        name = self.x.text(policy, "name", loc, "") or pid
        return {"name": self.names.add(f"policy:{pid}", name), "repeat": repeat, "steps": steps}


def _without_overlaps(
    imp: _Importer, overrides: list[dict[str, Any]], loc: Loc, name: str
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for o in sorted(overrides, key=lambda o: (o["start"], o["end"])):
        if out and o["start"] < out[-1]["end"]:
            imp.warn(loc, f"schedule '{name}': overlapping overrides; the later one starts late")
            o = {**o, "start": out[-1]["end"]}
            if o["end"] <= o["start"]:
                continue
        out.append(o)
    return out


def import_goalert(export: Export) -> Imported:
    """The GoAlert export as an OnCall config."""
    imp = _Importer(export)
    loose: dict[str, list[tuple[Loc, Any]]] = {}
    for ol, o in export.items(export.data, "userOverrides", []):
        target = imp.x.opt(o, "target", ol, dict) or {}
        sid = imp.x.text(o, "scheduleID", ol, "") or imp.x.text(target, "id", ol, "")
        if sid not in imp.schedule_ids:
            raise export.fail(ol, f"override for unknown schedule '{sid}'", "add it to schedules")
        loose.setdefault(sid, []).append((ol, o))
    schedules = [
        imp.schedule(s, loc, loose.get(imp.x.text(s, "id", loc), []))
        for loc, s in export.items(export.data, "schedules", [])
    ]
    extra: list[dict[str, Any]] = []
    policies = [
        imp.policy(p, loc, extra) for loc, p in export.items(export.data, "escalationPolicies", [])
    ]
    if not policies:
        raise export.fail([], "the export has no escalationPolicies")
    services = []
    for loc, svc in export.items(export.data, "services", []):
        pid = imp.x.text(svc, "escalationPolicyID", loc)
        if f"policy:{pid}" not in imp.names.by_id:
            raise export.fail([*loc, "escalationPolicyID"], f"unknown escalation policy '{pid}'")
        sid = imp.x.text(svc, "id", loc, "") or pid
        services.append(
            {
                "name": imp.names.add(f"service:{sid}", imp.x.text(svc, "name", loc, "") or sid),
                "policy": imp.names.by_id[f"policy:{pid}"],
            }
        )
    return imp.document(
        "GoAlert",
        export.src.file,
        {"delay": "per_step", "empty_step": "wait", "freeze_policy": True},
        [s for s in schedules if s["layers"]] + extra,
        policies,
        services,
    )
