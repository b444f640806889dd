"""Import Grafana OnCall: users, schedules with shifts or iCal, escalation chains, integrations.

The export bundles the public API's lists: ``users``, ``schedules`` (with their
``shifts`` ids), ``on_call_shifts``, ``escalation_chains``, ``escalation_policies``
(the steps of the chains, with ``position``) and ``integrations`` (whose
``default_route`` names a chain; each becomes a service). Shifts follow Grafana's
own recurrence rules (:mod:`grafana_shifts`); an iCal schedule is read from
``ical_file_primary`` / ``ical_file_overrides`` (the calendar text, or a path next to
the export) with the ``icalendar`` library, because gameday fetches no URLs.

Semantics are Grafana's: only ``wait`` steps take time (about 5 s between other
steps), an empty schedule step is skipped, ``repeat_escalation`` repeats the chain (at
most 5 times). Overrides come first, then the highest shift level with anyone on
call; everyone on call on that level is paged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.oncall.importers.common import Export, Imported, Importer, Loc
from simulator.oncall.importers.grafana_shifts import ShiftSpec, shift_layers

OVERRIDE_LEVEL = 1_000_000
"""Overrides win over every shift level, so they sit on a level no shift reaches."""

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_FREQUENCIES = ("hourly", "daily", "weekly", "monthly")
_NOT_PAGING = {
    "trigger_webhook",
    "trigger_action",
    "notify_whole_channel",
    "notify_user_group",
    "declare_incident",
}


class _Importer(Importer):
    def __init__(self, export: Export) -> None:
        super().__init__(export)
        self.read_people("id", "username", "timezone")
        self.usernames = {
            self.x.text(u, "username", loc, ""): self.x.text(u, "id", loc)
            for loc, u in export.items(export.data, "users", [])
        }
        self.shifts = {
            self.x.text(s, "id", loc): (loc, s)
            for loc, s in export.items(export.data, "on_call_shifts", [])
        }
        self.unreadable: dict[str, tuple[Loc, str]] = {}
        self.readable: set[str] = set()

    def spec(self, shift: Any, loc: Loc, zone: str | None) -> ShiftSpec:
        kind = self.x.text(shift, "type", loc, "rolling_users")
        frequency = self.x.opt(shift, "frequency", loc, str)
        if frequency is not None and frequency not in _FREQUENCIES:
            raise self.x.fail(
                [*loc, "frequency"],
                f"frequency '{frequency}' is not a Grafana frequency",
                "expected hourly, daily, weekly or monthly",
            )
        if kind in ("single_event", "override"):
            frequency = None
        by_day = []
        for dl, code in self.x.items(shift, "by_day", loc):
            if not isinstance(code, str) or code not in _DAYS:
                raise self.x.fail(
                    dl,
                    f"by_day '{code}' cannot be expressed (only plain weekdays MO..SU)",
                    "rewrite the shift with plain weekdays, or add an override",
                )
            by_day.append(_DAYS[code])
        for extra in ("by_month", "by_monthday"):
            if shift.get(extra):
                raise self.x.fail(
                    [*loc, extra], f"{extra} cannot be expressed", "use plain weekly shifts"
                )
        if kind == "rolling_users" or (kind == "override" and shift.get("rolling_users")):
            groups = []
            for gl, group in self.x.items(shift, "rolling_users", loc):
                if not isinstance(group, list):
                    raise self.x.fail(gl, "each rolling_users entry is a list of user ids")
                groups.append([self.known_person(str(u), [*gl, i]) for i, u in enumerate(group)])
            first = int(self.x.number(shift, "start_rotation_from_user_index", loc, 0))
            if groups and first < len(groups):
                groups = groups[first:] + groups[:first]
        else:
            users = [self.known_person(str(u), ul) for ul, u in self.x.items(shift, "users", loc)]
            groups = [users]
        week_start = self.x.text(shift, "week_start", loc, "SU")
        if week_start not in _DAYS:
            raise self.x.fail([*loc, "week_start"], f"week_start '{week_start}' is not MO..SU")
        rotation_start = shift.get("rotation_start")
        until = shift.get("until")
        return ShiftSpec(
            name=self.x.text(shift, "name", loc, "") or self.x.text(shift, "id", loc, "shift"),
            level=OVERRIDE_LEVEL
            if kind == "override"
            else int(self.x.number(shift, "level", loc, 0)),
            start=_naive(self.x.moment(shift, "start", loc)),
            duration=int(self.x.number(shift, "duration", loc, minimum=1, maximum=366 * 86400)),
            groups=groups,
            frequency=frequency,
            interval=int(self.x.number(shift, "interval", loc, 1, minimum=1, maximum=1000)),
            by_day=by_day,
            week_start=_DAYS[week_start],
            until=_naive(self.x.moment(shift, "until", loc)) if until is not None else None,
            rotation_start=_naive(self.x.moment(shift, "rotation_start", loc))
            if rotation_start is not None
            else None,
            from_web=shift.get("source") in (0, "web", None),
            rolling=kind == "rolling_users",
            time_zone=self.x.opt(shift, "time_zone", loc, str) or zone,
        )

    def schedule(self, schedule: Any, loc: Loc) -> dict[str, Any] | None:
        sid = self.x.text(schedule, "id", loc)
        name = self.names.add(f"schedule:{sid}", self.x.text(schedule, "name", loc, "") or sid)
        zone = self.x.opt(schedule, "time_zone", loc, str)
        layers: list[dict[str, Any]] = []
        for il, shift_id in self.x.items(schedule, "shifts", loc):
            if str(shift_id) not in self.shifts:
                raise self.x.fail(il, f"unknown shift id '{shift_id}'", "add it to on_call_shifts")
            sl, shift = self.shifts[str(shift_id)]
            spec = self.spec(shift, sl, None)
            layers += shift_layers(spec, lambda message, at=sl: self.warn(at, message))
        layers += self.ical_layers(schedule, loc, name, zone)
        if name in self.unreadable:
            return None
        if not layers:
            self.warn(loc, f"schedule '{name}' has no shifts with anyone in them")
            return None
        out: dict[str, Any] = {"name": name, "precedence": "levels", "layers": layers}
        if zone:
            out["time_zone"] = zone
        return out

    def ical_layers(
        self, schedule: Any, loc: Loc, name: str, zone: str | None
    ) -> list[dict[str, Any]]:
        layers: list[dict[str, Any]] = []
        for key, level in (("ical_file_primary", 0), ("ical_file_overrides", OVERRIDE_LEVEL)):
            text = self.x.opt(schedule, key, loc, str)
            if text is None:
                url = self.x.opt(schedule, key.replace("file", "url"), loc, str)
                if url and name not in self.unreadable:
                    self.unreadable[name] = (
                        [*loc, key.replace("file", "url")],
                        f"its calendar is only at {url}, and gameday fetches no URLs",
                    )
                continue
            from simulator.oncall.importers.grafana_ical import ical_layers

            layers += ical_layers(
                self, _calendar_text(self, text, [*loc, key]), [*loc, key], level, zone
            )
        return layers

    def person_named(self, username: str, loc: Loc) -> str:
        """An iCal event names its user by username (or email)."""
        key = self.usernames.get(username)
        if key is None:
            for uid, entry in self.people.items():
                if username in (uid, entry["name"]):
                    key = uid
        if key is None:
            raise self.x.fail(loc, f"the calendar names unknown user '{username}'", "add to users")
        return self.known_person(key, loc)

    def step(self, policy: Any, loc: Loc, chain: str) -> dict[str, Any] | bool | None:
        """One step; None to skip it, False to stop the chain, True to repeat it."""
        kind = self.x.get(policy, "type", loc, str)
        if kind == "wait":
            return {"targets": [], "delay": int(self.x.number(policy, "duration", loc, 300))}
        if kind in ("notify_persons", "notify_person_next_each_time"):
            field = (
                "persons_to_notify"
                if kind == "notify_persons"
                else "persons_to_notify_next_each_time"
            )
            users = [
                {"user": self.known_person(str(u), ul)}
                for ul, u in self.x.items(policy, field, loc)
            ]
            step: dict[str, Any] = {"targets": users}
            if kind == "notify_person_next_each_time":
                step["assign"] = "round_robin"
            return step
        if kind == "notify_on_call_from_schedule":
            sid = self.x.text(policy, "notify_on_call_from_schedule", loc)
            key = f"schedule:{sid}"
            if key not in self.names.by_id:
                raise self.x.fail(
                    [*loc, "notify_on_call_from_schedule"], f"unknown schedule '{sid}'"
                )
            name = self.names.by_id[key]
            if name in self.unreadable:
                where, why = self.unreadable[name]
                raise self.x.fail(
                    where,
                    f"chain '{chain}' pages iCal schedule '{name}', but {why}",
                    "download the .ics and put its text (or a path next to the export) in "
                    "'ical_file_primary'",
                )
            if name not in self.readable:
                self.warn(loc, f"chain '{chain}' pages schedule '{name}', where nobody is on call")
                return None
            return {"targets": [{"schedule": name}]}
        if kind == "repeat_escalation":
            return True
        if kind == "resolve":
            return False
        if kind in ("notify_if_time_from_to", "notify_if_num_alerts_in_window"):
            self.warn(loc, f"chain '{chain}': condition step '{kind}' is read as always true")
            return None
        if kind == "notify_team_members":
            raise self.x.fail(
                [*loc, "type"],
                "notify_team_members: the export has no team member lists",
                "replace the step with notify_persons for the members",
            )
        if kind in _NOT_PAGING:
            self.warn(loc, f"chain '{chain}': step '{kind}' pages nobody and is skipped")
            return None
        raise self.x.fail([*loc, "type"], f"step type '{kind}' is not a Grafana step type")

    def chain(self, chain_id: str, name: str, loc: Loc) -> dict[str, Any]:
        steps: list[dict[str, Any]] = []
        repeat = 0
        found = [
            (pl, p)
            for pl, p in self.x.items(self.x.data, "escalation_policies", [])
            if isinstance(p, dict) and str(p.get("escalation_chain_id")) == chain_id
        ]
        ordered = sorted(found, key=lambda item: self.x.number(item[1], "position", item[0], 0))
        for pl, policy in ordered:
            step = self.step(policy, pl, name)
            if step is True:
                repeat = 5
                break
            if step is False:
                break
            if isinstance(step, dict):
                steps.append(step)
        if not any(s["targets"] for s in steps):
            self.warn(loc, f"escalation chain '{name}' pages nobody")
        if not steps:
            steps = [{"targets": [], "delay": 0}]
        return {"name": self.names.add(f"chain:{chain_id}", name), "repeat": repeat, "steps": steps}


def _naive(moment: Any) -> Any:
    """Grafana's times are wall-clock in the shift's zone: drop any offset given."""
    return moment.replace(tzinfo=None)


def _calendar_text(imp: _Importer, value: str, loc: Loc) -> str:
    if "BEGIN:VCALENDAR" in value:
        return value
    path = Path(imp.x.src.file).parent / value
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise imp.x.fail(
            loc, f"cannot read the calendar '{value}' ({exc})", "give iCal text or a path"
        ) from None


def import_grafana(export: Export) -> Imported:
    """The Grafana OnCall export as an OnCall config."""
    imp = _Importer(export)
    found = [imp.schedule(s, loc) for loc, s in export.items(export.data, "schedules", [])]
    schedules = [s for s in found if s is not None]
    imp.readable = {s["name"] for s in schedules}
    policies = [
        imp.chain(imp.x.text(c, "id", loc), imp.x.text(c, "name", loc, "") or "chain", loc)
        for loc, c in export.items(export.data, "escalation_chains", [])
    ]
    for name, (where, why) in imp.unreadable.items():
        imp.warn(where, f"iCal schedule '{name}' is not imported: {why} (no chain pages it)")
    if not policies:
        raise export.fail([], "the export has no escalation_chains")
    services = []
    for loc, integration in export.items(export.data, "integrations", []):
        route = imp.x.get(integration, "default_route", loc, dict)
        cid = imp.x.text(route, "escalation_chain_id", [*loc, "default_route"])
        if f"chain:{cid}" not in imp.names.by_id:
            raise export.fail(
                [*loc, "default_route", "escalation_chain_id"], f"unknown escalation chain '{cid}'"
            )
        iid = imp.x.text(integration, "id", loc, "") or cid
        services.append(
            {
                "name": imp.names.add(
                    f"integration:{iid}", imp.x.text(integration, "name", loc, "") or cid
                ),
                "policy": imp.names.by_id[f"chain:{cid}"],
            }
        )
    return imp.document(
        "Grafana OnCall",
        export.src.file,
        {"delay": "wait_steps", "empty_step": "skip", "freeze_policy": True, "step_gap": 5},
        schedules,
        policies,
        services,
    )
