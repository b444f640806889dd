"""Load an on-call config file, check its cross-references, and read its Alertmanager file.

Every problem is reported with file, line and column (an :class:`InputError`), and a
misspelled name gets a did-you-mean hint, so a config can be fixed without guessing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import InputError
from simulator.oncall.alertmanager import AlertmanagerConfig, check_alertmanager
from simulator.oncall.model import OnCallConfig
from simulator.oncall.timezones import aware_epoch, is_zone, zone
from simulator.validation import Issue, did_you_mean, validate_document
from simulator.yamlsource import parse_yaml, read_yaml


@dataclass(frozen=True)
class OnCall:
    """A loaded config plus, when it names one, its parsed Alertmanager routing."""

    config: OnCallConfig
    file: str
    alertmanager: AlertmanagerConfig | None = None


def _duplicates(names: list[str], loc: str) -> list[Issue]:
    counts = Counter(names)
    return [
        Issue([loc, i, "name"], f"duplicate name '{n}'", "names must be unique")
        for i, n in enumerate(names)
        if counts[n] > 1 and names.index(n) != i
    ]


def _zone_issues(config: OnCallConfig) -> list[Issue]:
    issues = []
    places: list[tuple[list[str | int], str | None]] = [(["time_zone"], config.time_zone)]
    places += [(["people", i, "time_zone"], p.time_zone) for i, p in enumerate(config.people)]
    places += [(["schedules", i, "time_zone"], s.time_zone) for i, s in enumerate(config.schedules)]
    for loc, name in places:
        if name is not None and not is_zone(name):
            issues.append(
                Issue(
                    loc,
                    f"unknown time zone '{name}'",
                    "use an IANA name such as Europe/Berlin or America/New_York",
                )
            )
    return issues


def _schedule_issues(config: OnCallConfig, people: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    for s, schedule in enumerate(config.schedules):
        if not schedule.layers:
            issues.append(Issue(["schedules", s, "layers"], "a schedule needs at least one layer"))
        for li, layer in enumerate(schedule.layers):
            loc: list[str | int] = ["schedules", s, "layers", li, "users"]
            if not layer.users:
                issues.append(
                    Issue(
                        loc,
                        f"schedule '{schedule.name}' has a layer with no users",
                        "list who takes turns in this rotation",
                    )
                )
            for ui, user in enumerate(layer.users):
                if user not in people:
                    issues.append(
                        Issue([*loc, ui], f"unknown person '{user}'", did_you_mean(user, people))
                    )
        zone_name = schedule.time_zone or config.time_zone
        tz = zone(zone_name if is_zone(zone_name) else "UTC")
        spans = sorted(
            (aware_epoch(o.start, tz), aware_epoch(o.end, tz), i)
            for i, o in enumerate(schedule.overrides)
        )
        latest_end, latest = float("-inf"), -1
        for start, end, cur in spans:
            if start < latest_end:
                issues.append(
                    Issue(
                        ["schedules", s, "overrides", cur],
                        f"override overlaps override {latest} of schedule '{schedule.name}'",
                        "shorten one of them",
                    )
                )
            if end > latest_end:
                latest_end, latest = end, cur
        for oi, override in enumerate(schedule.overrides):
            if override.user not in people:
                issues.append(
                    Issue(
                        ["schedules", s, "overrides", oi, "user"],
                        f"unknown person '{override.user}'",
                        did_you_mean(override.user, people),
                    )
                )
    return issues


def _policy_issues(config: OnCallConfig, people: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    schedules = {s.name for s in config.schedules}
    mode = config.semantics.delay
    for p, policy in enumerate(config.policies):
        previous = 0.0
        for si, step in enumerate(policy.steps):
            loc: list[str | int] = ["policies", p, "steps", si]
            for ti, target in enumerate(step.targets):
                if target.user is not None and target.user not in people:
                    issues.append(
                        Issue(
                            [*loc, "targets", ti, "user"],
                            f"unknown person '{target.user}'",
                            did_you_mean(target.user, people),
                        )
                    )
                if target.schedule is not None and target.schedule not in schedules:
                    issues.append(
                        Issue(
                            [*loc, "targets", ti, "schedule"],
                            f"policy '{policy.name}' names unknown schedule '{target.schedule}'",
                            did_you_mean(target.schedule, schedules),
                        )
                    )
            needs_delay = mode != "wait_steps" or not step.targets
            if needs_delay and step.delay is None:
                what = "a wait step" if mode == "wait_steps" else "each step"
                issues.append(Issue(loc, f"{what} needs a delay under semantics.delay: {mode}"))
            if mode == "wait_steps" and step.targets and step.delay is not None:
                issues.append(
                    Issue(
                        [*loc, "delay"],
                        "under semantics.delay: wait_steps only "
                        "target-less wait steps take a delay",
                        "move the wait into its own step",
                    )
                )
            if mode == "from_trigger" and step.delay is not None:
                if step.delay < previous:
                    issues.append(
                        Issue(
                            [*loc, "delay"],
                            "from_trigger delays count from the "
                            "alert's creation, so they must not decrease",
                        )
                    )
                previous = step.delay
        if mode == "per_step" and policy.repeat and all((s.delay or 0) == 0 for s in policy.steps):
            issues.append(
                Issue(
                    ["policies", p, "repeat"],
                    "repeating a policy whose steps all have zero delay pages everyone at once",
                )
            )
    return issues


def _service_issues(config: OnCallConfig) -> list[Issue]:
    policies = {p.name for p in config.policies}
    return [
        Issue(
            ["services", i, "policy"],
            f"unknown policy '{s.policy}'",
            did_you_mean(s.policy, policies),
        )
        for i, s in enumerate(config.services)
        if s.policy not in policies
    ]


def check_config(config: OnCallConfig) -> list[Issue]:
    """Every cross-reference problem of ``config``."""
    people = {p.name for p in config.people}
    issues = [
        *_duplicates([p.name for p in config.people], "people"),
        *_duplicates([s.name for s in config.schedules], "schedules"),
        *_duplicates([p.name for p in config.policies], "policies"),
        *_duplicates([s.name for s in config.services], "services"),
        *_zone_issues(config),
        *_schedule_issues(config, people),
        *_policy_issues(config, people),
        *_service_issues(config),
    ]
    if config.alertmanager is not None:
        services = {s.name for s in config.services}
        issues += [
            Issue(
                ["alertmanager", "receivers", receiver],
                f"unknown service '{service}'",
                did_you_mean(service, services),
            )
            for receiver, service in config.alertmanager.receivers.items()
            if service not in services
        ]
    return issues


def load_alertmanager(path: Path) -> AlertmanagerConfig:
    """Read a native ``alertmanager.yml``; errors point into that file."""
    src = read_yaml(path)
    return validate_document(
        AlertmanagerConfig, src, what="Alertmanager config", checks=check_alertmanager
    )


def _finish(config: OnCallConfig, file: str, base: Path) -> OnCall:
    if config.alertmanager is None:
        return OnCall(config, file)
    am = load_alertmanager(base / config.alertmanager.config)
    names = {r.name for r in am.receivers}
    unknown = [r for r in config.alertmanager.receivers if r not in names]
    if unknown:
        raise InputError.single(
            file,
            f"alertmanager.receivers: '{unknown[0]}' is not a receiver of "
            f"{config.alertmanager.config}",
            hint=did_you_mean(unknown[0], names),
        )
    return OnCall(config, file, am)


def load_oncall(path: str | Path) -> OnCall:
    """Load and check an on-call config file; raises :class:`InputError` on any problem."""
    src = read_yaml(path)
    config = validate_document(OnCallConfig, src, what="OnCall config", checks=check_config)
    return _finish(config, src.file, Path(path).parent)


def load_oncall_text(text: str, file: str = "<text>", base: Path | None = None) -> OnCall:
    """Load a config from text (importers validate their output with this)."""
    src = parse_yaml(text, file)
    config = validate_document(OnCallConfig, src, what="OnCall config", checks=check_config)
    return _finish(config, file, base or Path.cwd())
