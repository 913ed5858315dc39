"""The lint engine: stamping, ordering, crashes, shared analyses, load findings, library API."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.linter.api import Finding, Option, Problem
from bpmn_cx.linter.config import Config
from bpmn_cx.linter.engine import lint, lint_model
from bpmn_cx.linter.pseudo import DIAGNOSTIC_RULES, LOAD_RULES
from bpmn_cx.linter.registry import REGISTRY, RuleDefinitionError, rule_from_module
from helpers.bpmn_text import ENTITY_DOC

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "fixtures" / "lint"
PASS_THROUGH = LINT / "pass-through-gateways.bpmn"
DANGLING = LINT / "dangling-flow.bpmn"
BROKEN = LINT / "not-well-formed.bpmn"

DOC = """A test rule.

What it does
------------
Tests.

Why it matters
--------------
Tests.

Example
-------
Tests.

How to fix
----------
Tests.
"""


def make_rule(rule_id: str, check, *, severity: str = "warning", options: dict | None = None) -> types.ModuleType:
    module = types.ModuleType(f"bpmn_cx_test_rules.{rule_id.replace('-', '_')}")
    module.__doc__ = DOC
    module.ID = rule_id
    module.SEVERITY = severity
    module.OPTIONS = options or {}
    module.check = check
    return module


@pytest.fixture
def register():
    added: list[str] = []

    def add(module: types.ModuleType):
        info = REGISTRY.register(module)
        added.append(info.id)
        return info

    yield add
    for rule_id in added:
        REGISTRY.unregister(rule_id)


def only(*rules: str, **extra) -> Config:
    """A config that runs just these rules (at their default severity)."""
    return Config.from_dict({"extends": [], "rules": {r: {} for r in rules}, **extra})


# -- findings ------------------------------------------------------------------


def test_findings_are_immutable_sorted_and_stamped():
    findings = lint(PASS_THROUGH, only("superfluous-gateway"))
    assert [(f.rule, f.severity, f.element, f.line) for f in findings] == [
        ("superfluous-gateway", "warning", "Gateway_A", 7),
        ("superfluous-gateway", "warning", "Gateway_B", 9),
    ]
    assert all(f.file == str(PASS_THROUGH) for f in findings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].line = 3  # type: ignore[misc]
    assert findings == sorted(findings, key=Finding.sort_key)


def test_config_severity_overrides_the_default():
    findings = lint(PASS_THROUGH, Config.from_dict({"extends": [], "rules": {"superfluous-gateway": "error"}}))
    assert {f.severity for f in findings} == {"error"}
    assert lint(PASS_THROUGH, Config.from_dict({"extends": [], "rules": {"superfluous-gateway": "off"}})) == []


def test_ordering_is_by_line_whatever_order_rules_yield(register):
    def backwards(model, ctx):
        for node in reversed(model.flow_nodes):
            yield Problem(f"saw {node.id}", node)

    register(make_rule("test-backwards", backwards))
    findings = lint(PASS_THROUGH, only("test-backwards"))
    lines = [f.line for f in findings]
    assert lines == sorted(lines) and len(lines) == 5
    assert lint(PASS_THROUGH, only("test-backwards")) == findings  # deterministic


def test_problem_element_forms_resolve_to_id_and_line(register):
    def forms(model, ctx):
        yield Problem("by object", model.get("Task_Inspect"))
        yield Problem("by id", "Gateway_B")
        yield Problem("whole file")
        yield Problem("explicit line", "Gateway_A", line=12, column=5)
        yield Problem("unknown id", "Nope_1")

    register(make_rule("test-forms", forms))
    got = {f.message: (f.element, f.line, f.column) for f in lint(PASS_THROUGH, only("test-forms"))}
    assert got["by object"] == ("Task_Inspect", 8, None)
    assert got["by id"] == ("Gateway_B", 9, None)
    # A file-level problem is pinned to <definitions>, so every finding has a line.
    assert got["whole file"] == (None, 4, None)
    assert got["explicit line"] == ("Gateway_A", 12, 5)
    assert got["unknown id"] == ("Nope_1", 4, None)


def test_a_crashing_rule_becomes_rule_error_and_the_run_goes_on(register):
    def boom(model, ctx):
        yield Problem("before the crash", model.flow_nodes[0])
        raise KeyError("Flow_42")

    register(make_rule("test-boom", boom))
    findings = lint(PASS_THROUGH, only("test-boom", "superfluous-gateway"))
    rules = [f.rule for f in findings]
    assert rules.count("superfluous-gateway") == 2  # the other rule still ran
    errors = [f for f in findings if f.rule == "rule-error"]
    assert len(errors) == 1
    assert errors[0].severity == "error" and errors[0].line == 4 and errors[0].element is None
    assert "test-boom" in errors[0].message and "KeyError" in errors[0].message
    # What the rule yielded before it crashed is kept.
    assert "before the crash" in {f.message for f in findings}


def test_rule_error_can_be_turned_off(register):
    def boom(model, ctx):
        raise RuntimeError("bug")
        yield  # pragma: no cover

    register(make_rule("test-boom", boom))
    config = Config.from_dict({"extends": [], "rules": {"test-boom": "warn", "rule-error": "off"}})
    assert lint(PASS_THROUGH, config) == []


def test_crash_in_one_file_does_not_stop_the_next(register, tmp_path):
    from bpmn_cx.cli import main
    import io

    def picky(model, ctx):
        if any(n.id == "Gateway_Stock" for n in model.flow_nodes):
            raise ValueError("cannot handle this one")
        return iter(())

    register(make_rule("test-picky", picky))
    (tmp_path / ".bpmn-cx.toml").write_text('extends = []\n[rules]\ntest-picky = "warn"\nsuperfluous-gateway = "warn"\n')
    for source in (PASS_THROUGH, DANGLING):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    out = io.StringIO()
    code = main(["lint", "--format", "json", str(tmp_path)], stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    by_file = {}
    for f in data["findings"]:
        by_file.setdefault(Path(f["file"]).name, []).append(f["rule"])
    assert by_file["dangling-flow.bpmn"].count("rule-error") == 1
    assert by_file["pass-through-gateways.bpmn"] == ["superfluous-gateway", "superfluous-gateway"]
    assert code == 1


def test_options_are_merged_with_defaults_and_customer_is_passed(register):
    seen = {}

    def spy(model, ctx):
        seen.update(options=dict(ctx.options), customer=list(ctx.customer), file=ctx.file, model=ctx.model,
                    settings=dict(ctx.settings))
        return iter(())

    register(make_rule("test-spy", spy, options={
        "max": Option(int, 3, "a limit", minimum=1),
        "mode": Option(str, "strict", "how", choices=("strict", "loose")),
    }))
    config = Config.from_dict({"extends": [], "customer": ["Customer", "Lane_0"], "customer-names": ["Kunde"],
                               "rules": {"test-spy": {"max": 7}}})
    model = bpmn_cx.load(PASS_THROUGH)
    lint(model, config)
    assert seen["options"] == {"max": 7, "mode": "strict"}
    assert seen["customer"] == ["Customer", "Lane_0"]
    assert seen["file"] == str(PASS_THROUGH) and seen["model"] is model
    assert seen["settings"] == {"customer-names": ["Kunde"]}
    lint(model, Config.from_dict({"extends": [], "rules": {"test-spy": {}}}))
    assert seen["settings"] == {} and seen["customer"] == []


def test_shared_analyses_are_computed_once_per_model(register):
    calls = []

    def compute(model):
        calls.append(model)
        return len(model.flow_nodes)

    def user(model, ctx):
        assert ctx.shared("node-count", compute) == len(model.flow_nodes)
        return iter(())

    register(make_rule("test-share-a", user))
    register(make_rule("test-share-b", user))
    config = only("test-share-a", "test-share-b")
    lint(PASS_THROUGH, config)
    assert len(calls) == 1
    lint(DANGLING, config)
    assert len(calls) == 2 and calls[0] is not calls[1]


# -- load findings -------------------------------------------------------------------


def test_parse_error_is_a_finding_with_a_line_even_when_other_rules_are_selected():
    findings = lint(BROKEN, only("superfluous-gateway"))
    assert [(f.rule, f.severity, f.line, f.element) for f in findings] == [("parse-error", "error", 6, None)]
    assert "not well-formed" in findings[0].message


def test_parse_error_without_a_line_is_pinned_to_line_1(tmp_path):
    empty = tmp_path / "empty.bpmn"
    empty.write_bytes(b"   \n")
    (finding,) = lint(empty, only())
    assert finding.rule == "parse-error" and finding.line == 1 and "empty" in finding.message


def test_parse_error_can_be_turned_off_explicitly():
    assert lint(BROKEN, Config.from_dict({"extends": [], "rules": {"parse-error": "off"}})) == []


def test_bytes_and_models_lint_like_paths():
    data = PASS_THROUGH.read_bytes()
    config = only("superfluous-gateway")
    from_path = lint(PASS_THROUGH, config)
    from_bytes = lint(data, config)
    from_model = lint(bpmn_cx.load(data), config)
    strip = lambda fs: [(f.rule, f.element, f.line, f.message) for f in fs]  # noqa: E731
    assert strip(from_path) == strip(from_bytes) == strip(from_model)
    assert {f.file for f in from_bytes} == {"<input>"}
    (broken,) = lint(BROKEN.read_bytes(), config)
    assert broken.rule == "parse-error"


def test_loader_diagnostics_map_to_pseudo_rules():
    findings = lint(ROOT / "rules" / "dangling-reference" / "invalid-deleted-targets.bpmn", only("dangling-reference"))
    messages = {f.element: f.message for f in findings}
    # missing-reference folds into dangling-reference
    assert "has no sourceRef" in messages["Flow_NoSource"]
    assert all(f.rule == "dangling-reference" and f.severity == "error" for f in findings)
    assert set(DIAGNOSTIC_RULES.values()) <= set(LOAD_RULES)


def test_schema_invalid_is_a_warning_in_recommended_and_an_error_in_all():
    path = ROOT / "rules" / "schema-invalid" / "invalid-unprefixed-attribute-and-bad-boolean.bpmn"
    for preset, severity in (("recommended", "warning"), ("all", "error")):
        found = [f for f in lint(path, Config.preset(preset)) if f.rule == "schema-invalid"]
        assert {f.element for f in found} == {"Task_Pack", "Task_Ship"}
        assert {f.severity for f in found} == {severity}


def test_schema_check_only_runs_when_enabled(monkeypatch):
    import importlib

    validate = importlib.import_module("bpmn_cx.validation")

    def fail():
        raise AssertionError("the XSD must not be consulted")

    monkeypatch.setattr(validate, "bpmn_schema", fail)
    assert lint(PASS_THROUGH, only("superfluous-gateway"))  # would raise if validated


def test_per_file_ignores_and_suppressions(tmp_path):
    folder = tmp_path / "legacy"
    folder.mkdir()
    target = folder / "old.bpmn"
    target.write_bytes(PASS_THROUGH.read_bytes())
    other = tmp_path / "new.bpmn"
    other.write_bytes(PASS_THROUGH.read_bytes())
    config = Config.from_dict(
        {"extends": [], "rules": {"superfluous-gateway": "warn"},
         "per-file-ignores": {"legacy/*.bpmn": ["superfluous-gateway"]},
         "suppress": [{"rule": "superfluous-gateway", "element": "Gateway_A", "files": "new.bpmn"}]},
        base_dir=str(tmp_path),
    )
    assert lint(target, config) == []
    assert [f.element for f in lint(other, config)] == ["Gateway_B"]
    # A suppression limited to other files leaves this one alone.
    config2 = Config.from_dict(
        {"extends": [], "rules": {"superfluous-gateway": "warn"},
         "suppress": [{"rule": "superfluous-gateway", "element": "Gateway_A", "files": ["elsewhere/*.bpmn"]}]},
        base_dir=str(tmp_path),
    )
    assert [f.element for f in lint(other, config2)] == ["Gateway_A", "Gateway_B"]


def test_lint_is_exported_from_the_package():
    code = (
        "import bpmn_cx\n"
        f"fs = bpmn_cx.lint({str(PASS_THROUGH)!r}, {{'extends': [], 'rules': {{'superfluous-gateway': 'warn'}}}})\n"
        "import bpmn_cx.linter.engine\n"  # importing the engine must not rebind the name
        f"fs2 = bpmn_cx.lint({str(PASS_THROUGH)!r}, {{'extends': [], 'rules': {{'superfluous-gateway': 'warn'}}}})\n"
        "print([f.element for f in fs], len(fs2), bpmn_cx.Finding.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['Gateway_A', 'Gateway_B'] 2 Finding"


def test_lint_model_uses_the_model_path():
    model = bpmn_cx.load(PASS_THROUGH)
    assert {f.file for f in lint_model(model, only("superfluous-gateway"))} == {str(PASS_THROUGH)}


def test_bad_arguments_raise_type_errors():
    with pytest.raises(TypeError):
        lint(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        lint(PASS_THROUGH, config=3.5)  # type: ignore[arg-type]


# -- registry ----------------------------------------------------------------------


def test_rule_modules_are_imported_lazily():
    code = (
        "import sys, io\n"
        "from bpmn_cx.cli import main\n"
        f"main(['lint', '--select', 'superfluous-gateway', '--format', 'json', {str(PASS_THROUGH)!r}],"
        " stdout=io.StringIO(), stderr=io.StringIO())\n"
        "mods = [m for m in sys.modules if m.startswith('bpmn_cx.rules.')]\n"
        "print(','.join(sorted(mods)))\n"
        "print('rich' in sys.modules, 'xmlschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "bpmn_cx.rules.superfluous_gateway"
    assert out[1] == "False False"


def test_rule_contract_is_checked():
    with pytest.raises(RuleDefinitionError, match="SEVERITY"):
        rule_from_module(make_rule("test-bad", lambda m, c: (), severity="fatal"))
    bad = make_rule("test-bad", lambda m, c: ())
    bad.OPTIONS = {"max": 3}
    with pytest.raises(RuleDefinitionError, match="OPTIONS"):
        rule_from_module(bad)
    nocheck = make_rule("test-bad", None)
    with pytest.raises(RuleDefinitionError, match="check"):
        rule_from_module(nocheck)


def test_a_rule_module_that_cannot_be_imported_is_a_rule_error(tmp_path, monkeypatch):
    from bpmn_cx.linter.registry import Registry

    package = tmp_path / "fake_rules"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "broken_rule.py").write_text("raise ImportError('half-written module')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry("fake_rules")
    monkeypatch.setattr("bpmn_cx.linter.registry.REGISTRY", registry)
    assert registry.ids(kind="rule") == ["broken-rule"]
    info = registry.get("broken-rule")
    assert "half-written module" in info.error and "could not be loaded" in info.summary
    findings = lint(PASS_THROUGH, Config.from_dict({"extends": [], "rules": {"broken-rule": "warn"}}))
    assert [(f.rule, f.severity) for f in findings] == [("rule-error", "error")]
    assert "half-written module" in findings[0].message


def test_no_rule_crashes_on_any_bundled_fixture():
    """Every rule against every fixture in the repository: crashes show up as rule-error."""
    files = sorted(ROOT.glob("rules/*/*.bpmn")) + sorted(ROOT.glob("fixtures/**/*.bpmn"))
    assert files
    config = Config.preset("all")
    crashes = [f for path in files for f in lint(path, config) if f.rule == "rule-error"]
    assert crashes == [], "\n".join(f"{f.file}: {f.message}" for f in crashes)


def test_one_files_parse_errors_are_not_blamed_on_the_next():
    # lxml keeps a per-thread error log; a stale entry once turned the next
    # file's harmless namespace warning into a parse-error.
    cp1252 = ROOT / "rules" / "encoding-mismatch" / "invalid-windows-1252-bytes.bpmn"
    ns_uri = ROOT / "rules" / "invalid-namespace-uri" / "invalid-uri-with-spaces.bpmn"
    config = Config.preset("all")
    for _ in range(2):
        assert "encoding-mismatch" in {f.rule for f in lint(cp1252, config)}
        rules = {f.rule for f in lint(ns_uri, config)}
        assert "invalid-namespace-uri" in rules and "parse-error" not in rules


def test_timings_are_reported_per_step_when_asked():
    from bpmn_cx.linter.engine import lint_file

    timings: dict[str, float] = {}
    config = Config.from_dict({"extends": [], "rules": {"superfluous-gateway": "warn", "schema-invalid": "warn"}})
    lint_file(str(PASS_THROUGH), config, timings=timings)
    assert {"load", "schema-invalid", "superfluous-gateway"} <= set(timings)
    assert all(t >= 0 for t in timings.values())


def test_config_can_be_a_preset_name_or_a_file(tmp_path):
    assert {f.rule for f in lint(DANGLING, "bpmnlint")} >= {"superfluous-gateway"}
    assert "dangling-reference" not in {f.rule for f in lint(DANGLING, "bpmnlint")}
    path = tmp_path / "lint.toml"
    path.write_text('extends = []\n[rules]\ndangling-reference = "warn"\n', encoding="utf-8")
    assert [(f.rule, f.severity) for f in lint(DANGLING, path)] == [("dangling-reference", "warning")]


def test_problem_about_an_unmodelled_id_gets_that_elements_line(register):
    path = ROOT / "rules" / "duplicate-id" / "valid-unique-ids.bpmn"

    def vendor(model, ctx):
        yield Problem("vendor field", "field_1")
        yield Problem("vendor field again", "field_1")

    register(make_rule("test-vendor", vendor))
    findings = lint(path, only("test-vendor"))
    assert [(f.element, f.line) for f in findings] == [("field_1", 10), ("field_1", 10)]


def test_a_tree_the_xsd_validator_cannot_handle_is_one_finding(tmp_path):
    path = tmp_path / "entities.bpmn"
    path.write_text(ENTITY_DOC, encoding="utf-8")
    (finding,) = lint(path, only("schema-invalid"))
    assert finding.rule == "schema-invalid" and finding.line == 5 and finding.element == "P"
    assert "entity references" in finding.message



def test_the_cyclic_gc_rests_while_a_file_is_linted_and_comes_back(register, monkeypatch):
    import gc

    from bpmn_cx.cli import main
    from bpmn_cx.linter.engine import lint_file

    seen: list[bool] = []

    def record(model, ctx):
        seen.append(gc.isenabled())
        return iter(())

    register(make_rule("test-gc-state", record))
    assert gc.isenabled()
    lint_file(str(PASS_THROUGH), only("test-gc-state"))
    assert seen == [False] and gc.isenabled()
    # The console script runs with the GC off (bpmn_cx.cli.entry); then lint
    # frees each model before the next file's, and the last one never.
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    gc.disable()
    try:
        main(["lint", "--select", "superfluous-gateway", str(PASS_THROUGH), str(DANGLING), str(BROKEN)],
             stdout=io.StringIO(), stderr=io.StringIO())
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert collected == [0, 0]
