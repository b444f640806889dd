"""Import the PagerDuty Terraform provider's resources from a directory of ``.tf`` files.

Many teams keep their policies as code, so ``gameday oncall import terraform DIR``
reads ``pagerduty_user`` (and ``data "pagerduty_user"``), ``pagerduty_schedule``,
``pagerduty_escalation_policy`` and ``pagerduty_service`` resources with
``python-hcl2``, resolves references such as ``pagerduty_schedule.primary.id`` to
the resources they name, and hands the result to the PagerDuty importer in the API's
shape, so both paths share one reading of PagerDuty's semantics. Terraform sends
layers in the order written, lowest precedence first (what the API's PUT takes).

Terraform is evaluated by Terraform, not here: variables, locals, ``count``,
``for_each`` and IDs of objects defined elsewhere are refused with the resource, the
field and the workaround.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
from lark.exceptions import LarkError

from simulator.errors import InputError
from simulator.oncall.importers.common import Export, Imported
from simulator.oncall.importers.pagerduty import import_pagerduty
from simulator.yamlsource import LocatedYAML

_REFERENCE = re.compile(r"^\$\{((?:data\.)?pagerduty_[a-z_]+\.[A-Za-z0-9_-]+)\.id\}$")
_KINDS = (
    "pagerduty_user",
    "pagerduty_schedule",
    "pagerduty_escalation_policy",
    "pagerduty_service",
)


def _parse(path: Path) -> dict[str, Any]:
    options = hcl2.SerializationOptions(
        strip_string_quotes=True, explicit_blocks=False, with_comments=False
    )
    try:
        with path.open(encoding="utf-8") as handle:
            parsed: dict[str, Any] = hcl2.load(handle, serialization_options=options)
    except (LarkError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError.single(str(path), f"not valid HCL: {first}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(str(path), f"cannot read: {exc}") from None
    return parsed


class _Resources:
    """Every PagerDuty resource of the directory, by address (``pagerduty_user.ana``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found: dict[str, tuple[Path, dict[str, Any]]] = {}
        files = sorted(folder.glob("*.tf"))
        if not files:
            raise InputError.single(str(folder), "no .tf files here", hint="name the directory")
        for path in files:
            tree = _parse(path)
            for section, prefix in (("resource", ""), ("data", "data.")):
                for entry in tree.get(section) or []:
                    for kind, named in (entry or {}).items():
                        if kind not in _KINDS or not isinstance(named, dict):
                            continue
                        for label, body in named.items():
                            self.add(path, f"{prefix}{kind}.{label}", body)

    def add(self, path: Path, address: str, body: Any) -> None:
        if not isinstance(body, dict):
            raise InputError.single(str(path), f"{address}: expected a block")
        for meta in ("count", "for_each"):
            if meta in body:
                raise InputError.single(
                    str(path),
                    f"{address} uses {meta}, which gameday does not evaluate",
                    hint="write one resource per schedule/policy, or import the API's "
                    "responses with `gameday oncall import pagerduty`",
                )
        self.found[address] = (path, body)

    def of(self, kind: str) -> list[tuple[str, Path, dict[str, Any]]]:
        return [(a, p, b) for a, (p, b) in self.found.items() if a.split(".")[-2] == kind]

    def ref(self, value: Any, path: Path, where: str, kinds: tuple[str, ...]) -> str:
        """The address a ``x.y.id`` reference names; an error for anything unresolvable."""
        match = _REFERENCE.match(str(value))
        address = match.group(1) if match else None
        if address is None or address not in self.found:
            hint = (
                "refer to a resource in these files (e.g. pagerduty_user.ana.id); variables, "
                "locals and literal IDs are not evaluated"
            )
            raise InputError.single(str(path), f"{where}: cannot resolve '{value}'", hint=hint)
        if address.split(".")[-2] not in kinds:
            raise InputError.single(str(path), f"{where}: '{value}' is not a {' or '.join(kinds)}")
        if address.startswith("data.") and not address.startswith("data.pagerduty_user."):
            raise InputError.single(
                str(path),
                f"{where}: {address} is defined outside these files",
                hint="import its API response with `gameday oncall import pagerduty`",
            )
        return address


def _blocks(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = body.get(key) or []
    blocks = value if isinstance(value, list) else [value]
    return [b for b in blocks if isinstance(b, dict)]


def _number(value: Any) -> Any:
    """Terraform writes some numbers as strings ("600") and unset ones as "null"."""
    if isinstance(value, str):
        if value == "null":
            return None
        try:
            return int(value)
        except ValueError:
            return value
    return value


def _bundle(res: _Resources) -> dict[str, Any]:
    users = [
        {
            "id": address,
            "name": body.get("name") or body.get("email") or address,
            "email": body.get("email"),
            "time_zone": body.get("time_zone"),
        }
        for address, _, body in res.of("pagerduty_user")
    ]
    schedules = []
    for address, path, body in res.of("pagerduty_schedule"):
        layers = []
        for i, layer in enumerate(_blocks(body, "layer")):
            users_ref = layer.get("users")
            if not isinstance(users_ref, list):
                raise InputError.single(
                    str(path),
                    f"{address}.layer[{i}].users: expected a list of pagerduty_user references",
                    hint="variables are not evaluated: list the users in the layer",
                )
            where = f"{address}.layer[{i}].users"
            layers.append(
                {
                    **{
                        k: _number(v) for k, v in layer.items() if k not in ("users", "restriction")
                    },
                    "users": [
                        {"user": {"id": res.ref(u, path, where, ("pagerduty_user",))}}
                        for u in users_ref
                    ],
                    "restrictions": [
                        {k: _number(v) for k, v in r.items()} for r in _blocks(layer, "restriction")
                    ],
                }
            )
        # The PagerDuty importer takes GET's order (highest first); Terraform's is PUT's.
        schedules.append(
            {
                "id": address,
                "name": body.get("name") or address,
                "time_zone": body.get("time_zone"),
                "schedule_layers": list(reversed(layers)),
            }
        )
    policies = []
    for address, path, body in res.of("pagerduty_escalation_policy"):
        rules = []
        for i, rule in enumerate(_blocks(body, "rule")):
            targets = []
            for target in _blocks(rule, "target"):
                kind = target.get("type") or "user_reference"
                wanted = ("pagerduty_schedule",) if "schedule" in kind else ("pagerduty_user",)
                where = f"{address}.rule[{i}].target"
                targets.append({"type": kind, "id": res.ref(target.get("id"), path, where, wanted)})
            strategy = _blocks(rule, "escalation_rule_assignment_strategy")
            rules.append(
                {
                    "escalation_delay_in_minutes": _number(rule.get("escalation_delay_in_minutes")),
                    "targets": targets,
                    "escalation_rule_assignment_strategy": strategy[0] if strategy else None,
                }
            )
        policies.append(
            {
                "id": address,
                "name": body.get("name") or address,
                "num_loops": _number(body.get("num_loops")),
                "escalation_rules": rules,
            }
        )
    services = []
    for address, path, body in res.of("pagerduty_service"):
        where = f"{address}.escalation_policy"
        urgency = _blocks(body, "incident_urgency_rule")
        urgency_rule: dict[str, Any] | None = None
        if urgency:
            urgency_rule = {k: v for k, v in urgency[0].items() if not isinstance(v, list)}
            for part in ("during_support_hours", "outside_support_hours"):
                if _blocks(urgency[0], part):
                    urgency_rule[part] = _blocks(urgency[0], part)[0]
        hours = _blocks(body, "support_hours")
        services.append(
            {
                "id": address,
                "name": body.get("name") or address,
                "escalation_policy": {
                    "id": res.ref(
                        body.get("escalation_policy"), path, where, ("pagerduty_escalation_policy",)
                    )
                },
                "acknowledgement_timeout": _number(body.get("acknowledgement_timeout")),
                "auto_resolve_timeout": _number(body.get("auto_resolve_timeout")),
                "incident_urgency_rule": urgency_rule,
                "support_hours": hours[0] if hours else None,
            }
        )
    return {
        "users": users,
        "schedules": schedules,
        "escalation_policies": policies,
        "services": services,
    }


def import_terraform(folder: Path) -> Imported:
    """The PagerDuty resources of the ``.tf`` files in ``folder`` as an OnCall config."""
    if not folder.is_dir():
        raise InputError.single(str(folder), "not a directory", hint="name the Terraform directory")
    bundle = _bundle(_Resources(folder))
    source = LocatedYAML(data=bundle, file=str(folder), positions={}, key_positions={})
    return import_pagerduty([Export(source)], system="PagerDuty (Terraform)")
