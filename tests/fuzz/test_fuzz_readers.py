"""Every reader, fed broken input: it succeeds or ends with an input error, never anything else.

The property for each tool: given a mutated scenario, script, log or on-call config,
it either works or raises :class:`InputError` (the CLI turns that into one paragraph
and exit 2), within a few seconds of CPU, and leaves the user's file as it was. Any
other exception is a bug, and Hypothesis shrinks the input that shows it.

Small example counts run in CI; ``GAMEDAY_FUZZ_EXAMPLES=2000 pytest tests/fuzz`` runs
them long.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import score_log
from scoring.postmortem import postmortem_markdown
from simulator.drill.commands import read_script
from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.errors import InputError
from simulator.log.jsonl import read_log
from simulator.oncall.loader import load_oncall
from simulator.scenario.loader import SHIPPED_DIR, parse_scenario
from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("GAMEDAY_FUZZ_EXAMPLES", "12"))
CPU_SECONDS = 5.0
"""How long one input may take: a reader that hangs on some input is a bug too."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # CPU time is checked below: wall time is at the mercy of the other tests
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 50,  # CI runs the same examples every time
)
pytestmark = pytest.mark.slow

SCENARIOS = sorted(SHIPPED_DIR.glob("*.yaml"))
GOOD_LOG = ROOT / "tests" / "data" / "checkout-good-seed7.jsonl"
ONCALL = sorted((ROOT / "examples" / "oncall").glob("*.yaml"))


@contextmanager
def input_error_or_success() -> Iterator[None]:
    """The property: no exception but InputError, and no more than CPU_SECONDS of work."""
    started = time.process_time()
    try:
        yield
    except InputError as err:
        assert err.problems, "an InputError must say what is wrong"
        assert all(str(p) for p in err.problems)
    assert time.process_time() - started < CPU_SECONDS


# ------------------------------------------------------------------ mutations of data
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.just("x" * 100_000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """``original`` with a few keys deleted, renamed or retyped, or items duplicated."""
    doc = json.loads(json.dumps(original, default=str))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "rename", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(JUNK)
        elif action == "rename" and isinstance(parent, dict):
            parent[str(key) + draw(st.sampled_from(["s", "_", "x", "2"]))] = parent.pop(key)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
    return doc


@st.composite
def mangled_text(draw: st.DrawFn, text: str) -> str:
    """``text`` cut, spliced or salted with YAML syntax at random places."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "insert", "drop_line"]))
        if action == "cut":
            text = text[:at]
        elif action == "insert":
            salt = draw(
                st.sampled_from(
                    [
                        "&a ",
                        "*a",
                        "*nope",
                        ": ",
                        "- ",
                        "{",
                        "[",
                        "\t",
                        "'",
                        '"',
                        "!!python/object ",
                        "\n  ",
                        "on",
                        "\x00",
                    ]
                )
            )
            text = text[:at] + salt + text[at:]
        else:
            lines = text.splitlines()
            if lines:
                del lines[draw(st.integers(0, len(lines) - 1))]
            text = "\n".join(lines)
    return text


# ------------------------------------------------------------------ scenarios
SCENARIO_DATA = {p.name: yaml.safe_load(p.read_text()) for p in SCENARIOS}
SCENARIO_TEXT = {p.name: p.read_text() for p in SCENARIOS}


def _play_briefly(text: str) -> None:
    """A scenario that loads must also play: 10 simulated minutes and a few commands."""
    loaded = parse_scenario(text, "fuzz.yaml")
    session = DrillSession(loaded.scenario, seed=1)
    session.advance(300)
    for command in ("/ack", "/sev 2", "/investigate deploys", "/resolve"):
        session.submit(command)
        session.advance(session.now + 60)


@FUZZ
@given(name=st.sampled_from(sorted(SCENARIO_DATA)), data=st.data())
def test_mutated_scenarios_load_or_fail_cleanly(name: str, data: st.DataObject) -> None:
    """Deleted keys, wrong types, typos, duplicates: located errors, or a drill that runs."""
    doc = data.draw(mutated(SCENARIO_DATA[name]))
    with input_error_or_success():
        _play_briefly(yaml.safe_dump(doc, sort_keys=False))


@FUZZ
@given(name=st.sampled_from(sorted(SCENARIO_TEXT)), data=st.data())
def test_mangled_scenario_text_loads_or_fails_cleanly(name: str, data: st.DataObject) -> None:
    """Truncation, stray anchors and aliases, tabs, NUL bytes, Python tags."""
    text = data.draw(mangled_text(SCENARIO_TEXT[name]))
    with input_error_or_success():
        _play_briefly(text)


@FUZZ
@given(depth=st.integers(1, 400), width=st.integers(1, 12), levels=st.integers(1, 12))
def test_nesting_and_aliases_are_bounded(depth: int, width: int, levels: int) -> None:
    """Deep nesting and anchors of anchors are refused quickly, never expanded."""
    nested = "metadata: " + "[" * depth + "]" * depth
    bomb = ["a0: &a0 [x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)
    ]
    for text in (nested, "\n".join(bomb)):
        with input_error_or_success():
            parse_scenario(text, "fuzz.yaml")


# ------------------------------------------------------------------ scripts
ENTRY = st.one_of(
    st.fixed_dictionaries(
        {"at": st.one_of(st.sampled_from(["1m", "90s", "2h", "-1m", "soon", ""]), JUNK),
         "do": st.one_of(st.sampled_from(["/ack", "/sev 2", "/resolve", "/nope", "", "/"]), JUNK)},
        optional={"as": st.one_of(st.sampled_from(["ic", "tech", "boss"]), JUNK), "why": JUNK},
    ),
    JUNK,
)  # fmt: skip


@FUZZ
@given(entries=st.one_of(st.lists(ENTRY, max_size=6), JUNK))
def test_scripts_load_or_fail_cleanly(
    entries: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any YAML value as a script: its entries play, or one located error per mistake."""
    path = tmp_path_factory.mktemp("script") / "script.yaml"
    path.write_text(yaml.safe_dump(entries))
    before = path.read_bytes()
    with input_error_or_success():
        lines = read_script(path)
        loaded = parse_scenario(SCENARIO_TEXT["checkout-bad-deploy.yaml"], "checkout.yaml")
        session = DrillSession(loaded.scenario, seed=1)
        session.run_script(line.entry for line in lines)
    assert path.read_bytes() == before


# ------------------------------------------------------------------ logs
LOG_LINES = GOOD_LOG.read_text().splitlines()


@st.composite
def damaged_log(draw: st.DrawFn) -> list[str]:
    """The good drill's log cut, reordered, with fields deleted or retyped."""
    lines = list(LOG_LINES[: draw(st.integers(0, len(LOG_LINES)))])
    for _ in range(draw(st.integers(0, 5))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["swap", "cut", "field", "garbage", "duplicate"]))
        if action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif action == "garbage":
            lines[i] = draw(st.text(max_size=40))
        elif action == "duplicate":
            lines.insert(i, lines[i])
        else:
            try:
                obj = json.loads(lines[i])
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and obj:
                key = draw(st.sampled_from(sorted(obj)))
                if draw(st.booleans()):
                    del obj[key]
                else:
                    obj[key] = draw(JUNK.filter(lambda v: not isinstance(v, float) or v == v))
                lines[i] = json.dumps(obj)
    return lines


def _score_and_write(path: Path) -> None:
    log = read_log(path)
    card = score_log(log.header, log.events)
    postmortem_markdown(log.header, log.events, card)


@FUZZ
@given(lines=damaged_log())
def test_damaged_logs_score_replay_or_refuse_cleanly(
    lines: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """score/postmortem read what they can; resume refuses what it cannot replay faithfully,
    and a refused resume leaves the file byte for byte as it was."""
    folder = tmp_path_factory.mktemp("log")
    path = folder / "drill.jsonl"
    path.write_text("\n".join(lines) + ("\n" if lines else ""))
    before = path.read_bytes()
    with input_error_or_success():
        _score_and_write(path)
    assert path.read_bytes() == before
    refused = False
    with input_error_or_success():
        try:
            resume_session(path).close()
        except InputError:
            refused = True
            raise
    if refused:
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["drill.jsonl"]


# ------------------------------------------------------------------ on-call configs
ONCALL_DATA = {p.name: yaml.safe_load(p.read_text()) for p in ONCALL}


@FUZZ
@given(name=st.sampled_from(sorted(ONCALL_DATA)), data=st.data())
def test_mutated_oncall_configs_load_or_fail_cleanly(
    name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Schedules and policies with keys deleted, retyped or misspelt."""
    path = tmp_path_factory.mktemp("oncall") / name
    path.write_text(yaml.safe_dump(data.draw(mutated(ONCALL_DATA[name])), sort_keys=False))
    with input_error_or_success():
        load_oncall(path)


def test_the_property_catches_a_bug() -> None:
    """The harness itself: an exception other than InputError is not an acceptable outcome."""
    boom: Callable[[], None] = lambda: [][1]  # noqa: E731
    with pytest.raises(IndexError), input_error_or_success():
        boom()
