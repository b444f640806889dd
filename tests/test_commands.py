"""The slash-command grammar shared by scripts, the TUI and team play."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill.commands import CommandError, load_script, parse_command
from simulator.errors import InputError


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/ack", "ack", ()),
        ("/ack A3", "ack", ("A3",)),
        ("/sev SEV2", "sev", ("2",)),
        ("/sev 1", "sev", ("1",)),
        ("/assign tech Priya N.", "assign", ("tech", "Priya N.")),
        ("/investigate logs checkout", "investigate", ("logs", "checkout")),
        ("/flag new-pricing OFF", "flag", ("new-pricing", "off")),
        ("/scale checkout 12", "scale", ("checkout", "12")),
        ("/shift-traffic eu-west-1 eu-central-1", "shift-traffic", ("eu-west-1", "eu-central-1")),
        ("/silence DiskSpaceLow 30m", "silence", ("DiskSpaceLow", "1800.0")),
        ('/status identified "We found the cause"', "status", ("identified", "We found the cause")),
        ('/update "SEV2, checkout degraded"', "update", ("SEV2, checkout degraded",)),
        ("/resolve", "resolve", ()),
    ],
)
def test_valid_commands_parse(text: str, name: str, args: tuple[str, ...]) -> None:
    """Commands as people type them parse to a name and normalised arguments."""
    cmd = parse_command(text)
    assert (cmd.name, cmd.args) == (name, args)


def test_delegation_and_reason() -> None:
    """A trailing @NAME hands the task over; text after ' -- ' is the reason."""
    cmd = parse_command("/rollback checkout @tech -- errors began with the deploy")
    assert cmd.delegate == "tech"
    assert cmd.reason == "errors began with the deploy"
    assert cmd.args == ("checkout",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ack", "commands start with '/'"),
        ("/rollbak checkout", "did you mean 'rollback'"),
        ("/sev 5", "severity must be 1, 2, 3 or 4"),
        ("/flag x maybe", "usage: /flag NAME on|off"),
        ("/investigate logs", "needs a service"),
        ("/scale checkout lots", "whole number"),
        ('/status "forgot the state"', "give a state"),
        ("/assign boss Alex", "unknown role 'boss'"),
        ('/note "unterminated', "unbalanced quotes"),
        ("/silence X soon", "not a duration"),
    ],
)
def test_malformed_commands_say_what_was_expected(text: str, expected: str) -> None:
    """Every malformed command is rejected with a message that helps fix it."""
    with pytest.raises(CommandError) as info:
        parse_command(text)
    assert expected in str(info.value)


def test_script_sorted_and_validated(tmp_path: Path) -> None:
    """Scripts are read as timed entries, sorted by time; bad entries name their line."""
    good = tmp_path / "s.yaml"
    good.write_text('- {at: 2m, do: "/sev 2"}\n- {at: 30s, do: "/ack", why: paged}\n')
    entries = load_script(good)
    assert [(e.at, e.do) for e in entries] == [(30.0, "/ack"), (120.0, "/sev 2")]
    bad = tmp_path / "bad.yaml"
    bad.write_text('- {at: 2m, do: "/sev 2"}\n- {at: soon, do: "/ack"}\n')
    with pytest.raises(InputError) as info:
        load_script(bad)
    assert "bad.yaml:2:" in str(info.value) and "0.at" not in str(info.value)
