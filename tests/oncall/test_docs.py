"""The format documentation's examples are real: they load with the real loader."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from simulator.oncall.loader import load_oncall, load_oncall_text
from simulator.oncall.model import OnCallConfig

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "oncall-format.md"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.S)


def test_full_config_examples_in_the_docs_load() -> None:
    """Every complete config in docs/oncall-format.md validates, cross-references and all."""
    full = [b for b in yaml_blocks() if "apiVersion" in b]
    assert full
    for block in full:
        assert load_oncall_text(block, "docs/oncall-format.md").config.kind == "OnCall"


def test_fragments_in_the_docs_are_valid_yaml() -> None:
    """Fragments parse as YAML."""
    for block in yaml_blocks():
        assert yaml.safe_load(block) is not None


def test_every_field_is_documented() -> None:
    """Each model field appears in the format doc with an example row."""
    text = DOC.read_text()
    schema = OnCallConfig.model_json_schema()
    fields = set(schema["properties"])
    for model in schema["$defs"].values():
        fields |= set(model.get("properties", {}))
    missing = sorted(f for f in fields if f"`{f}`" not in text)
    assert missing == []


def test_shipped_examples_load_and_differ_meaningfully() -> None:
    """examples/oncall: ten people each; the proposal changes delays, schedules and routing."""
    current = load_oncall(ROOT / "examples" / "oncall" / "current.yaml")
    proposed = load_oncall(ROOT / "examples" / "oncall" / "proposed.yaml")
    assert len(current.config.people) == len(proposed.config.people) == 10
    assert current.config.policies[0].steps[0].delay == 1800
    assert proposed.config.policies[0].steps[0].delay == 600
    assert proposed.alertmanager is not None and current.alertmanager is None
