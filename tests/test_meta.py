"""The rule set stays consistent: contract, docs, fixtures, presets, README and hooks."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bpmn_cx.linter.api import SEVERITIES, Option
from bpmn_cx.linter.config import PRESETS, Config, check_option
from bpmn_cx.linter.docs import SECTIONS, readme_block
from bpmn_cx.linter.pseudo import DIAGNOSTIC_RULES, LOAD_RULES
from bpmn_cx.linter.registry import REGISTRY, module_name

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
PRESETS_DIR = ROOT / "bpmn_cx" / "presets"

#: bpmnlint 11.x `bpmnlint:recommended` (config/recommended.js): rule -> severity.
BPMNLINT_RECOMMENDED = {
    "ad-hoc-sub-process": "error",
    "conditional-flows": "error",
    "end-event-required": "error",
    "event-based-gateway": "error",
    "event-sub-process-typed-start-event": "error",
    "fake-join": "warning",
    "global": "warning",
    "label-required": "error",
    "link-event": "error",
    "no-bpmndi": "error",
    "no-complex-gateway": "error",
    "no-disconnected": "error",
    "no-duplicate-sequence-flows": "error",
    "no-gateway-join-fork": "error",
    "no-implicit-split": "error",
    "no-implicit-end": "error",
    "no-implicit-start": "error",
    "no-inclusive-gateway": "warning",
    "no-overlapping-elements": "warning",
    "single-blank-start-event": "error",
    "single-event-definition": "error",
    "start-event-required": "error",
    "sub-process-blank-start-event": "error",
    "superfluous-gateway": "warning",
    "superfluous-label": "warning",
    "superfluous-termination": "warning",
}
#: Pseudo-rules that no file can trigger on its own (tested in test_lint_engine).
NO_FIXTURE = {"rule-error"}

RULE_IDS = REGISTRY.ids(kind="rule")
ALL_IDS = REGISTRY.ids()


def _raw_preset(name: str) -> dict:
    with open(PRESETS_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_module_follows_the_contract(rule_id: str) -> None:
    rule = REGISTRY.get(rule_id)  # checks ID == module name, SEVERITY, OPTIONS, check()
    assert rule.error is None, f"{rule_id}: {rule.error}"
    assert rule.module == f"bpmn_cx.rules.{module_name(rule_id)}"
    assert rule.severity in SEVERITIES
    assert all(isinstance(o, Option) for o in rule.options.values())
    for name, option in rule.options.items():
        assert option.help.strip(), f"{rule_id}: option {name!r} has no help"
        check_option(option, option.default, rule_id, name)  # the default passes its own check


@pytest.mark.parametrize("rule_id", ALL_IDS)
def test_rule_docs_have_the_four_sections(rule_id: str) -> None:
    doc = REGISTRY.get(rule_id).doc
    assert doc.summary, f"{rule_id}: no summary line"
    assert not doc.missing_sections, f"{rule_id}: docstring lacks {doc.missing_sections} (needs {SECTIONS})"


@pytest.mark.parametrize("rule_id", sorted(set(ALL_IDS) - NO_FIXTURE))
def test_rule_has_valid_and_invalid_fixtures(rule_id: str) -> None:
    folder = RULES_DIR / rule_id
    names = [p.name for p in folder.glob("*.bpmn*")] if folder.is_dir() else []
    assert any(n.startswith("valid-") for n in names), f"rules/{rule_id}/ has no valid-*.bpmn fixture"
    assert any(n.startswith("invalid-") for n in names), f"rules/{rule_id}/ has no invalid-*.bpmn fixture"


def test_fixture_folders_belong_to_rules() -> None:
    folders = {p.name for p in RULES_DIR.iterdir() if p.is_dir()}
    assert folders <= set(ALL_IDS), f"fixture folders without a rule: {sorted(folders - set(ALL_IDS))}"


def test_every_rule_is_in_the_all_preset() -> None:
    rules = _raw_preset("all").get("rules", {})
    missing = sorted(set(ALL_IDS) - set(rules))
    assert not missing, f"add to bpmn_cx/presets/all.toml: {missing}"
    assert all(value == "error" for value in rules.values())


def test_bpmnlint_preset_is_bpmnlint_recommended() -> None:
    config = Config.preset("bpmnlint")
    got = {rule_id: s.severity for rule_id, s in config.rules.items()}
    assert got == BPMNLINT_RECOMMENDED


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_name_only_real_rules_and_load(preset: str) -> None:
    raw = _raw_preset(preset)
    unknown = sorted(set(raw.get("rules", {})) - set(ALL_IDS))
    assert not unknown, f"preset {preset} names unknown rules: {unknown}"
    config = Config.preset(preset)
    assert set(config.rules) == set(raw.get("rules", {}))


def test_recommended_keeps_the_load_checks_on() -> None:
    rules = Config.preset("recommended").rules
    for rule_id in LOAD_RULES:
        assert rules[rule_id].enabled, rule_id
    assert rules["schema-invalid"].severity == "warning"
    assert Config.preset("all").rules["schema-invalid"].severity == "error"


def test_every_loader_diagnostic_code_is_mapped() -> None:
    sources = (ROOT / "bpmn_cx" / "loader.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Diagnostic\(\s*"([a-z-]+)"', sources))
    codes |= set(re.findall(r'Diagnostic\("([a-z-]+)"', sources))
    assert codes, "found no diagnostics in loader.py"
    assert codes <= set(DIAGNOSTIC_RULES), f"unmapped loader diagnostics: {sorted(codes - set(DIAGNOSTIC_RULES))}"


def test_readme_rules_list_is_in_sync() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_block() in readme, (
        "the README rules list is out of date: run `python -m bpmn_cx.linter.docs README.md`"
    )


def test_precommit_hooks_and_readme_agree() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"bpmn-cx", "bpmn-cx-validate"}
    assert by_id["bpmn-cx"]["entry"] == "bpmn-cx lint"
    assert by_id["bpmn-cx-validate"]["entry"] == "bpmn-cx validate"
    for hook in hooks:
        assert hook["files"] == r"\.(bpmn|bpmn2)$"
        assert "types" not in hook and hook["language"] == "python"
        assert re.search(hook["files"], "models/order.bpmn") and re.search(hook["files"], "a.bpmn2")
        assert not re.search(hook["files"], "order.bpmn.xml")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(repos:.*?)```", readme, re.S)
    assert snippet, "README has no pre-commit snippet"
    config = yaml.safe_load(snippet.group(1))
    used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert used == set(by_id), f"README snippet uses {sorted(used)}, hooks are {sorted(by_id)}"
