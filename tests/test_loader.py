"""Scenario files: broken ones are reported at file:line:column with a way to fix them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.scenario.loader import load_scenario, load_scenario_file, shipped_scenario_paths


def _errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario_file(path)
    return [str(p) for p in info.value.problems]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("path", shipped_scenario_paths(), ids=lambda p: p.stem)
def test_shipped_scenarios_validate_and_ids_match_file_names(path: Path) -> None:
    """Every shipped scenario is valid and is addressable by its file name."""
    loaded = load_scenario_file(path)
    assert loaded.scenario.metadata.id == path.stem
    assert loaded.content_hash.startswith("sha256:")


def test_unknown_fault_target_names_line_and_suggests(tmp_path: Path, checkout_text: str) -> None:
    """A fault on a misspelled service points at the line and suggests the right name."""
    text = checkout_text.replace("    target: checkout\n", "    target: chekout\n", 1)
    errors = _errors(tmp_path, text)
    line = _line_of(text, "target: chekout")
    assert any(f"broken.yaml:{line}:" in e and "did you mean 'checkout'" in e for e in errors)


def test_misspelled_field_is_an_error_at_its_key(tmp_path: Path, checkout_text: str) -> None:
    """Unknown keys are errors (not silently ignored), located at the key itself."""
    text = checkout_text.replace("    cascade: true\n", "    cascades: true\n", 1)
    errors = _errors(tmp_path, text)
    line = _line_of(text, "cascades: true")
    assert errors == [
        f"{tmp_path / 'broken.yaml'}:{line}:5: unknown field 'cascades' at "
        "faults.0.cascades (remove it or check the spelling)"
    ]


def test_dependency_cycle_is_reported(tmp_path: Path, checkout_text: str) -> None:
    """A dependency loop would make impact propagation meaningless, so it is rejected."""
    text = checkout_text.replace(
        "    baseline: {error_rate: 0.001, latency_p99_ms: 80, saturation: 0.3}\n",
        "    baseline: {error_rate: 0.001, latency_p99_ms: 80, saturation: 0.3}\n"
        "    depends_on: [checkout]\n",
        1,
    )
    errors = _errors(tmp_path, text)
    assert any("dependency cycle:" in e and "checkout -> pricing -> checkout" in e for e in errors)


def test_response_to_unknown_mitigation(tmp_path: Path, checkout_text: str) -> None:
    """A fault that responds to a mitigation nobody defined is caught."""
    text = checkout_text.replace(
        "      scale-checkout: no_effect\n", "      scale-chekout: no_effect\n"
    )
    errors = _errors(tmp_path, text)
    line = _line_of(text, "scale-chekout")
    assert any(f":{line}:7:" in e and "unknown mitigation 'scale-chekout'" in e for e in errors)


def test_bad_enum_and_duration(tmp_path: Path, checkout_text: str) -> None:
    """Wrong literals and unreadable durations name what was expected."""
    text = checkout_text.replace("difficulty: beginner", "difficulty: easy").replace(
        "duration: 60m", "duration: an hour"
    )
    errors = _errors(tmp_path, text)
    assert any(
        "metadata.difficulty" in e and "'beginner', 'intermediate' or 'advanced'" in e
        for e in errors
    )
    assert any("metadata.duration" in e and "2m30s" in e for e in errors)


def test_unknown_mitigation_action_tag(tmp_path: Path, checkout_text: str) -> None:
    """Discriminated unions report the unknown tag and the valid ones."""
    text = checkout_text.replace(
        "    action: restart\n    service: checkout", "    action: reboot\n    service: checkout", 1
    )
    errors = _errors(tmp_path, text)
    line = _line_of(text, "action: reboot")
    assert any(f":{line - 1}:" in e or f":{line}:" in e for e in errors)
    assert any("'reboot'" in e and "rollback" in e for e in errors)


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    """Broken YAML is reported with its line and column, not a parser traceback."""
    errors = _errors(tmp_path, "apiVersion: gameday/v1\nkind: Scenario\nmetadata: {id: x\n")
    assert len(errors) == 1
    assert "not valid YAML" in errors[0] and "broken.yaml:4:" in errors[0]


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    """Empty files and top-level lists say what a scenario should look like."""
    assert "empty" in _errors(tmp_path, "")[0]
    assert "YAML mapping" in _errors(tmp_path, "- a\n- b\n")[0]


def test_missing_file_and_unknown_id() -> None:
    """A typo in a shipped id suggests the right one."""
    with pytest.raises(InputError) as info:
        load_scenario("checkout-bad-deplyo")
    assert "did you mean 'checkout-bad-deploy'" in str(info.value)
    with pytest.raises(InputError) as info:
        load_scenario("nope/missing.yaml")
    assert "no such scenario file" in str(info.value)


def test_zero_periods_are_rejected(tmp_path: Path) -> None:
    """A zero flapping period, evaluation interval or patience would loop at one instant."""
    text = (
        "apiVersion: gameday/v1\nkind: Scenario\nmetadata: {id: x, title: x}\n"
        "services: [{name: a}]\n"
        "faults: [{id: f, kind: custom, target: a, start: 1m, impact: {error_rate: 0.5}}]\n"
        "alerts:\n  evaluation_interval: 0s\n  noise: [{kind: flapping, name: X, period: 0}]\n"
        "stakeholders: [{patience: 0}]\ntruth: {severity: 2, root_cause: x}\n"
    )
    errors = _errors(tmp_path, text)
    assert len(errors) == 3
    assert all("greater than 0" in e for e in errors)
    assert any(":8:" in e and "period" in e for e in errors)
