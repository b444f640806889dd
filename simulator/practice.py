"""The practice conventions of incident response, defined once.

Roles and their titles, how often updates are due at each severity, and which
commands are hands-on technical work: the simulated teammates follow these, the
coach hints from them and the grader judges by them, so they cannot disagree.
Pure data and one function; imports nothing of the drill.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal["ic", "tech", "comms", "scribe"]
"""The incident roles a person (human or simulated) can hold."""

ROLES: Final[tuple[Role, ...]] = get_args(Role)
ROLE_TITLES: Final[dict[str, str]] = {
    "ic": "Incident Commander",
    "tech": "Technical Lead",
    "comms": "Communications Lead",
    "scribe": "Scribe",
}
"""The title of each role, as people say it."""

STAFFED_ROLES: Final[tuple[Role, ...]] = ("tech", "comms", "scribe")
"""The roles an Incident Commander hands out to keep the overview."""

HANDS_ON_COMMANDS: Final = frozenset(
    {"investigate", "rollback", "flag", "restart", "scale", "failover", "shift-traffic", "mitigate"}
)
"""Commands that are technical work: an IC running them without ``@delegate`` is hands-on."""

COMMAND_ROLES: Final[dict[str, frozenset[Role]]] = {
    "ack": frozenset({"ic", "tech"}),
    "sev": frozenset({"ic"}),
    "assign": frozenset({"ic"}),
    "page": frozenset({"ic", "tech"}),
    "investigate": frozenset({"ic", "tech"}),
    "rollback": frozenset({"ic", "tech"}),
    "flag": frozenset({"ic", "tech"}),
    "restart": frozenset({"ic", "tech"}),
    "scale": frozenset({"ic", "tech"}),
    "failover": frozenset({"ic", "tech"}),
    "shift-traffic": frozenset({"ic", "tech"}),
    "mitigate": frozenset({"ic", "tech"}),
    "silence": frozenset({"ic", "tech"}),
    "status": frozenset({"ic", "comms"}),
    "update": frozenset({"ic", "comms"}),
    "reply": frozenset({"ic", "comms"}),
    "note": frozenset({"ic", "scribe"}),
    "resolve": frozenset({"ic"}),
    "ask": frozenset(ROLES),
    "say": frozenset(ROLES),
}
"""Who may issue each command, after the incident command roles: the IC declares,
staffs, approves and resolves (and may do anything, hands-on counting against them);
the Tech Lead investigates and mitigates; the Comms Lead owns the status page and
stakeholder replies; the Scribe owns notes and the timeline. Anyone may ask or chat."""

COMMAND_OWNER: Final[dict[str, Role]] = {
    name: next((r for r in ("tech", "comms", "scribe") if r in roles), "ic")
    for name, roles in COMMAND_ROLES.items()
}
"""The role whose job a command is: the one to ask when it is not yours."""

APPROVAL_COMMANDS: Final = frozenset({"failover", "shift-traffic"})
"""Risky, hard-to-undo levers a Tech Lead applies only with the IC's approval (a
scenario mitigation can ask for approval too, with ``approval: true``)."""

ROLE_JOBS: Final[dict[str, str]] = {
    "ic": "declare the severity, hand out roles, decide on risky fixes and resolve",
    "tech": "investigate, propose a fix and apply it (asking the IC before risky ones)",
    "comms": "keep the status page and the stakeholders informed, and answer their questions",
    "scribe": "record decisions and key moments in the timeline",
}
"""Each role's job in one line, for briefings, help and refusals."""


ROLE_OBJECTIVES: Final[dict[str, tuple[str, ...]]] = {
    "tech": (
        "Find what changed before changing anything: /investigate, and say what you see.",
        "Propose a fix and apply it; ask the IC before a risky lever "
        "(/ask ic approve failover REGION).",
        "Tell the channel when a fix is in and whether it worked.",
    ),
    "comms": (
        "Keep the public status page current (/status) at the cadence for the severity.",
        "Keep stakeholders informed (/update) and answer whoever asks (/reply NAME ...).",
        "Say what customers see, not what the servers do, and when the next update comes.",
    ),
    "scribe": (
        "Record each decision and key moment with its time (/note ...).",
        "Capture who decided what and why, for a blameless postmortem.",
        "Ask when something is unclear (/ask ic ...).",
    ),
}
"""What a trainee in each role other than IC practises (the scenario's objectives are
the IC's)."""


def role_briefing(briefing: str, role: str) -> str:
    """A scenario briefing (written for the on-call IC) told to the holder of ``role``."""
    if role == "ic":
        return briefing
    title = ROLE_TITLES[role]
    first, dot, rest = briefing.partition(". ")
    where = first.split(" for ", 1)[1].removesuffix(" this week") if " for " in first else ""
    opening = (
        f"You join the incident as {title}" + (f" for {where}" if where else "") + "; "
        "a teammate is the Incident Commander on call"
    )
    pager = {
        "tech": "The on-call IC will pull you in.",
        "comms": "The IC will hand you the comms once the incident is declared.",
        "scribe": "The IC will ask you to keep the record once the incident is declared.",
    }[role]
    text = opening + dot + rest if dot else opening + "."
    return text.replace("Your pager is on.", pager)


def may_issue(role: str, command: str) -> bool:
    """Whether the holder of ``role`` may issue ``/command`` themselves."""
    return role in COMMAND_ROLES.get(command, frozenset(ROLES))


# Update cadence (seconds) by severity while investigating / once mitigated, after
# GitLab's status cadence; a scenario's ``targets.update_every`` overrides it.
CADENCE_INVESTIGATING: Final[dict[int, float]] = {1: 600.0, 2: 900.0, 3: 1800.0, 4: 1800.0}
CADENCE_MONITORING: Final[dict[int, float]] = {1: 1800.0, 2: 3600.0, 3: 3600.0, 4: 3600.0}
CADENCE_GRACE: Final = 60.0
"""How late an update may be before the grader calls it late."""


def update_cadence(severity: int | None, mitigated: bool, update_every: float | None) -> float:
    """Seconds allowed between updates for a severity (SEV2 when undeclared) and state."""
    if update_every:
        return update_every
    table = CADENCE_MONITORING if mitigated else CADENCE_INVESTIGATING
    return table.get(severity or 2, table[4])
