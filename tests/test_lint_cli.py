"""``bpmn-cx lint`` and ``bpmn-cx rules`` end to end, in process."""

from __future__ import annotations

import io
import json
import os
import types
from pathlib import Path

import pytest

from bpmn_cx.cli import main
from bpmn_cx.linter.docs import render_markdown_table
from bpmn_cx.linter.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "fixtures" / "lint"
CLI = ROOT / "fixtures" / "cli"
PASS_THROUGH = LINT / "pass-through-gateways.bpmn"   # 2 superfluous-gateway warnings
DANGLING = LINT / "dangling-flow.bpmn"               # 1 dangling-reference error + 1 warning
BROKEN = LINT / "not-well-formed.bpmn"
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
SELECT = "superfluous-gateway,dangling-reference"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def run_json(*args: str) -> tuple[int, dict]:
    code, out, err = run(*args, "--format", "json")
    assert "Traceback" not in err
    return code, json.loads(out)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository with no config of its own (a marker stops discovery above tmp_path)."""
    (tmp_path / ".bpmn-cx.toml").write_text('extends = "recommended"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return target


# -- exit codes ----------------------------------------------------------------------------


def test_warnings_only_exit_0_and_max_warnings():
    assert run("lint", "--select", SELECT, str(PASS_THROUGH))[0] == 0
    assert run("lint", "--select", SELECT, "--max-warnings", "2", str(PASS_THROUGH))[0] == 0
    code, _, err = run("lint", "--select", SELECT, "--max-warnings", "1", str(PASS_THROUGH))
    assert code == 1 and "2 warnings, more than --max-warnings 1" in err


def test_errors_exit_1():
    code, data = run_json("lint", "--select", SELECT, str(DANGLING))
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [
        ("superfluous-gateway", "warning"), ("dangling-reference", "error")]


def test_parse_error_exits_1_even_with_select():
    code, data = run_json("lint", "--select", "superfluous-gateway", str(BROKEN))
    assert code == 1
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("parse-error", 6)]


def test_usage_errors_exit_2(tmp_path):
    assert run("lint", str(tmp_path / "missing.bpmn"))[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("lint", str(empty))
    assert code == 2 and "no BPMN files found" in err
    code, _, err = run("lint", "--select", "no-such-rule", str(PASS_THROUGH))
    assert code == 2 and "unknown rule id 'no-such-rule'" in err
    assert run("lint", "--preset", "nope", str(PASS_THROUGH))[0] == 2
    assert run("lint", "--format", "yaml", str(PASS_THROUGH))[0] == 2
    assert run("lint", "--max-warnings", "-1", str(PASS_THROUGH))[0] == 2
    code, _, err = run("lint", "--write-baseline", str(PASS_THROUGH))
    assert code == 2 and "needs --baseline" in err


def test_the_bundled_example_lints_without_crashes():
    code, data = run_json("lint", str(EXAMPLE))
    rules = {f["rule"] for f in data["findings"]}
    assert not rules & {"parse-error", "rule-error", "schema-invalid", "dangling-reference"}
    assert code == (1 if data["summary"]["errors"] else 0)


# -- rule selection ----------------------------------------------------------------------------


def test_select_and_ignore_are_comma_lists_and_repeatable():
    _, data = run_json("lint", "--select", "superfluous-gateway", "--select", "dangling-reference", str(DANGLING))
    assert {f["rule"] for f in data["findings"]} == {"superfluous-gateway", "dangling-reference"}
    _, data = run_json("lint", "--select", SELECT, "--ignore", "dangling-reference", str(DANGLING))
    assert {f["rule"] for f in data["findings"]} == {"superfluous-gateway"}


def test_preset_option(project):
    target = copy(PASS_THROUGH, project / "m.bpmn")
    _, data = run_json("lint", "--preset", "bpmnlint", str(target))
    rules = {f["rule"] for f in data["findings"]}
    assert "superfluous-gateway" in rules and "schema-invalid" not in rules
    _, data = run_json("lint", "--preset", "customer", str(target))
    assert {f["rule"] for f in data["findings"]} <= {"parse-error", "rule-error"} | set(
        __import__("bpmn_cx.linter.config", fromlist=["preset_rules"]).preset_rules("customer"))


def test_customer_option_reaches_the_rules(project):
    seen = []

    def spy(model, ctx):
        seen.append(list(ctx.customer))
        return iter(())

    module = types.ModuleType("bpmn_cx_test_rules.test_customer_spy")
    module.__doc__ = "Spy.\n\nWhat it does\n---\nx\n"
    module.ID, module.SEVERITY, module.OPTIONS, module.check = "test-customer-spy", "info", {}, spy
    REGISTRY.register(module)
    try:
        (project / ".bpmn-cx.toml").write_text(
            'extends = []\ncustomer = ["From config"]\n[rules]\ntest-customer-spy = "info"\n', encoding="utf-8")
        target = copy(PASS_THROUGH, project / "m.bpmn")
        run("lint", str(target))
        run("lint", "--customer", "Customer", "--customer", "Lane_0", str(target))
    finally:
        REGISTRY.unregister("test-customer-spy")
    assert seen == [["From config"], ["Customer", "Lane_0"]]


def test_folders_are_expanded(project):
    copy(PASS_THROUGH, project / "models" / "a.bpmn")
    copy(PASS_THROUGH, project / "models" / "deep" / "b.bpmn2")
    (project / "models" / "notes.txt").write_text("not a model")
    _, data = run_json("lint", "--select", SELECT, "models")
    assert data["summary"]["files"] == 2
    assert sorted({f["file"] for f in data["findings"]}) == [
        os.path.join("models", "a.bpmn"), os.path.join("models", "deep", "b.bpmn2")]


# -- output ------------------------------------------------------------------------------------


def test_output_file(project):
    target = copy(DANGLING, project / "m.bpmn")
    code, out, _ = run("lint", "--select", SELECT, "--format", "sarif", "--output", "report.sarif", str(target))
    assert code == 1 and out == ""
    log = json.loads((project / "report.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"superfluous-gateway", "dangling-reference"}
    assert not list(project.glob(".report.sarif.tmp-*"))
    code, _, err = run("lint", "--output", str(project / "no" / "such" / "dir" / "r.txt"), str(target))
    assert code == 2 and "cannot write" in err


def test_text_output_is_plain_in_a_file_and_names_path_and_line(project):
    target = copy(PASS_THROUGH, project / "m.bpmn")
    run("lint", "--select", SELECT, "-o", "out.txt", str(target))
    text = (project / "out.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert f"{target}:7  warning  superfluous-gateway" in text


def test_format_auto_under_github_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run("lint", "--select", SELECT, "--format", "auto", str(PASS_THROUGH))
    assert out.startswith(f"::warning file={PASS_THROUGH},line=7,title=superfluous-gateway::")


# -- baseline ------------------------------------------------------------------------------------


def test_baseline_roundtrip_survives_line_shifts(project):
    target = copy(DANGLING, project / "models" / "order.bpmn")
    code, _, err = run("lint", "--select", SELECT, "--baseline", "baseline.json", "--write-baseline", "models")
    assert code == 0 and "wrote 2 findings" in err
    stored = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert {(e["file"], e["rule"], e["element"]) for e in stored["findings"]} == {
        ("models/order.bpmn", "superfluous-gateway", "Gateway_Stock"),
        ("models/order.bpmn", "dangling-reference", "Flow_Ghost"),
    }
    assert all("line" not in e for e in stored["findings"])

    code, out, _ = run("lint", "--select", SELECT, "--baseline", "baseline.json", "models")
    assert code == 0 and "No problems found in 1 file. 2 known problems hidden by the baseline." in out

    # Lines move (a comment at the top), the baseline still matches.
    text = target.read_text(encoding="utf-8").replace("<bpmn:process", "<!-- a\nb\nc -->\n  <bpmn:process", 1)
    target.write_text(text, encoding="utf-8")
    code, data = run_json("lint", "--select", SELECT, "--baseline", "baseline.json", "models")
    assert code == 0 and data["findings"] == []

    # A new finding is reported, the known ones stay hidden; same from another folder.
    text = text.replace('targetRef="Task_Deleted"/>',
                        'targetRef="Task_Deleted"/>\n    <bpmn:sequenceFlow id="Flow_New" sourceRef="Start_Order" targetRef="Gone"/>')
    target.write_text(text, encoding="utf-8")
    os.chdir(project / "models")
    code, data = run_json("lint", "--select", SELECT, "--baseline", "../baseline.json", ".")
    assert code == 1
    assert [(f["rule"], f["element"]) for f in data["findings"]] == [("dangling-reference", "Flow_New")]


def test_baseline_counts_duplicates(project):
    copy(PASS_THROUGH, project / "m.bpmn")
    run("lint", "--select", SELECT, "--baseline", "b.json", "--write-baseline", "m.bpmn")
    stored = json.loads((project / "b.json").read_text(encoding="utf-8"))
    stored["findings"] = stored["findings"][:1]
    (project / "b.json").write_text(json.dumps(stored), encoding="utf-8")
    _, data = run_json("lint", "--select", SELECT, "--baseline", "b.json", "m.bpmn")
    assert len(data["findings"]) == 1


def test_bad_baselines_exit_2(project):
    copy(PASS_THROUGH, project / "m.bpmn")
    code, _, err = run("lint", "--baseline", "missing.json", "m.bpmn")
    assert code == 2 and "--write-baseline" in err
    (project / "bad.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("lint", "--baseline", "bad.json", "m.bpmn")
    assert code == 2 and "not a bpmn-cx baseline" in err
    (project / "bad2.json").write_text('{"findings": [{"file": 1}]}', encoding="utf-8")
    assert run("lint", "--baseline", "bad2.json", "m.bpmn")[0] == 2


# -- the example project in fixtures/cli ------------------------------------------------------------


def test_example_project_config(monkeypatch):
    monkeypatch.chdir(CLI / "project")
    code, data = run_json("lint", ".")
    by_file: dict[str, set] = {}
    for f in data["findings"]:
        by_file.setdefault(f["file"].replace(os.sep, "/"), set()).add((f["rule"], f["element"]))
    assert data["summary"]["files"] == 3
    # pyproject: superfluous-gateway is an error; Gateway_B is suppressed in orders/
    assert by_file["orders/return.bpmn"] == {("superfluous-gateway", "Gateway_A")}
    # per-file-ignores: nothing from legacy/
    assert "legacy/old-return.bpmn" not in by_file
    # strict/.bpmn-cx.toml (extends ../pyproject.toml) also turns on dangling-reference
    assert by_file["strict/order.bpmn"] == {("superfluous-gateway", "Gateway_Stock"),
                                            ("dangling-reference", "Flow_Ghost")}
    assert code == 1


# -- bpmn-cx rules ------------------------------------------------------------------------------------


def test_rules_list_shows_every_rule_and_preset():
    code, out, _ = run("rules")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header[:6] == ["rule", "default", "recommended", "all", "bpmnlint", "customer"]
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line and not line[0].isdigit()}
    for rule_id in REGISTRY.ids():
        assert rule_id in rows
    assert rows["superfluous-gateway"][1:5] == ["warn", "warn", "error", "warn"]
    assert rows["schema-invalid"][1:5] == ["warn", "warn", "error", "off"]


def test_rules_id_prints_docs_and_options():
    code, out, _ = run("rules", "superfluous-gateway")
    assert code == 0
    for heading in ("What it does", "Why it matters", "Example", "How to fix", "Options"):
        assert f"\n{heading}\n" in out
    assert "This rule has no options." in out
    assert "recommended=warning" in out
    optioned = next((r for r in REGISTRY.all() if r.options), None)
    if optioned is not None:
        _, out, _ = run("rules", optioned.id)
        for name in optioned.options:
            assert name in out
    code, _, err = run("rules", "superfluos-gateway")
    assert code == 2 and "did you mean 'superfluous-gateway'" in err


def test_rules_markdown_and_json():
    code, out, _ = run("rules", "--format", "markdown")
    assert code == 0 and out == render_markdown_table() + "\n"
    code, out, _ = run("rules", "--format", "json")
    data = json.loads(out)
    assert {r["id"] for r in data} == set(REGISTRY.ids())
    code, out, _ = run("rules", "parse-error", "--format", "json")
    assert json.loads(out)["kind"] == "load"


def test_the_config_example_in_rule_docs_is_valid_configuration(tmp_path):
    import textwrap
    import tomllib

    from bpmn_cx.linter.config import load_config

    optioned = [r for r in REGISTRY.all() if r.options]
    if not optioned:
        pytest.skip("no rule has options")
    for rule in optioned:
        _, out, _ = run("rules", rule.id)
        snippet = textwrap.dedent(out.split("Configure it in pyproject.toml:\n", 1)[1])
        tomllib.loads(snippet)  # valid TOML
        path = tmp_path / "pyproject.toml"
        path.write_text(snippet, encoding="utf-8")
        config = load_config(path)  # and a valid configuration
        assert config.rules[rule.id].enabled
