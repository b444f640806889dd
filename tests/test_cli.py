"""The headless CLI as a user meets it: clear output, clear errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from simulator.scenario.schema import scenario_json_schema
from tests.conftest import ROOT, SCRIPTS
from tui.cli.main import main


def _run(*args: str) -> tuple[int, str, str]:
    """Invoke ``gameday ARGS``; fail on any traceback, whatever the exit code.

    Checked here, for every call, so no test can forget it: a crash surfaces as an
    exception CliRunner caught, or as a traceback printed to stderr.
    """
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"gameday {' '.join(args)} raised {result.exception!r}"
    )
    assert "Traceback" not in result.stderr, f"gameday {' '.join(args)}:\n{result.stderr}"
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_shipped_scenarios() -> None:
    """`gameday list` shows id, difficulty, duration and title of each shipped scenario."""
    code, out, _ = _run("list")
    assert code == 0
    assert "checkout-bad-deploy" in out and "beginner" in out and "1h" in out


def test_validate_ok_and_broken(tmp_path: Path) -> None:
    """`validate` exits 0 on good files and 2 with file:line:column on broken ones."""
    good = ROOT / "scenarios" / "checkout-bad-deploy.yaml"
    code, out, _ = _run("validate", str(good))
    assert code == 0 and "ok" in out
    broken = tmp_path / "mine.yaml"
    broken.write_text(good.read_text().replace("target: checkout", "target: chekout", 1))
    code, _, err = _run("validate", str(good), str(broken))
    assert code == 2
    assert f"gameday: error: {broken}:" in err and "did you mean 'checkout'" in err


def test_schema_is_json_schema_and_checked_in_copy_is_current() -> None:
    """The exported schema describes every field and docs/ carries the current one."""
    code, out, _ = _run("schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"].endswith("2020-12/schema")
    assert "metadata" in schema["properties"]
    assert "description" in schema["$defs"]["Fault"]["properties"]["responses"]
    checked_in = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    assert checked_in == scenario_json_schema(), "run: gameday schema > docs/scenario.schema.json"


def test_run_with_script_prints_summary_and_writes_log(tmp_path: Path) -> None:
    """`run` plays the drill headless and prints impact, alerts, noise and commands."""
    log = tmp_path / "drill.jsonl"
    code, out, _ = _run(
        "run",
        "checkout-bad-deploy",
        "--seed",
        "7",
        "--script",
        str(SCRIPTS / "checkout-bad-deploy-good.yaml"),
        "--log",
        str(log),
    )
    assert code == 0
    assert "mitigated T+" in out and "disable-new-pricing" in out and "0 rejected" in out
    assert log.read_text().splitlines()[0].startswith('{"type":"header"')


def test_run_json_summary() -> None:
    """`run --json` prints the summary as JSON for scripts and CI."""
    code, out, _ = _run("run", "checkout-bad-deploy", "--seed", "3", "--json")
    summary = json.loads(out)["summary"]
    assert code == 0
    assert summary["impact_ongoing_at_end"] is True and summary["commands_accepted"] == 0
    assert 0 < summary["noise_share"] <= 1


def test_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    """Unknown scenario, broken script, wrong flag: one clear message, exit 2."""
    code, _, err = _run("run", "checkout-bad-deplyo")
    assert code == 2 and "did you mean 'checkout-bad-deploy'" in err
    script = tmp_path / "s.yaml"
    script.write_text("- {at: 1m, do: /ack}\n- {at: later, do: /sev 2}\n")
    code, _, err = _run("run", "checkout-bad-deploy", "--script", str(script))
    assert code == 2 and f"{script}:2:" in err
    code, _, err = _run("run", "checkout-bad-deploy", "--role", "boss")
    assert code == 2 and "'boss' is not one of" in err


def test_rejected_script_command_does_not_stop_the_drill(tmp_path: Path) -> None:
    """A malformed command in a script is reported in the summary; the drill still runs."""
    script = tmp_path / "s.yaml"
    script.write_text('- {at: 5m, do: "/rollbak checkout"}\n- {at: 6m, do: "/rollback checkout"}\n')
    code, out, _ = _run("run", "checkout-bad-deploy", "--script", str(script))
    assert code == 0
    assert "1 accepted, 1 rejected" in out and "did you mean 'rollback'" in out
    assert "by rollback-checkout" in out


def test_lazy_table_shows_each_commands_own_short_help() -> None:
    """`gameday --help` lists every command with the first sentence of its docstring."""
    import click

    from tui.cli.main import COMMANDS

    ctx = click.Context(main)
    for name, lazy in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=1000) == lazy.help, f"update COMMANDS[{name!r}]"
    code, out, _ = _run("--help")
    assert code == 0 and all(f"  {name} " in out for name in COMMANDS)


def test_help_imports_no_subcommand() -> None:
    """`gameday --help` loads neither the command modules nor the engine (it must be instant)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom tui.cli.main import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tui.cli.', 'pydantic', 'simpy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['tui.cli.errors', 'tui.cli.main']"


def test_a_mistyped_command_suggests_the_closest_one() -> None:
    """`gameday plya` is a usage error (exit 2) naming the command meant."""
    code, _, err = _run("plya")
    assert code == 2
    assert "No such command 'plya'. Did you mean 'play'?" in err
