"""Reporters: text, json, sarif (validated against the SARIF 2.1.0 schema), junit, github."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bpmn_cx.linter.api import Finding
from bpmn_cx.linter.registry import REGISTRY
from bpmn_cx.reporters import FORMAT_CHOICES, LintResult, get_reporter, resolve_format
from bpmn_cx.reporters.github import escape_data, escape_property

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-2.1.0.json"


def finding(file="models/a.bpmn", line=7, rule="superfluous-gateway", severity="warning",
            message="gateway decides nothing", element="Gateway_1", column=None) -> Finding:
    return Finding(file=file, line=line, column=column, rule=rule, severity=severity,
                   message=message, element=element)


def sample() -> LintResult:
    findings = [
        finding(),
        finding(line=3, rule="dangling-reference", severity="error",
                message="<sequenceFlow> F targetRef='X' refers to no element", element="Flow_1", column=5),
        finding(line=1, rule="parse-error", severity="error", message="not well-formed XML", element=None,
                file="models/b.bpmn"),
        finding(line=9, rule="soundness-inconclusive", severity="info", message="too many states", element="Process_1"),
    ]
    findings.sort(key=Finding.sort_key)
    rules = {r: REGISTRY.get(r) for r in ("superfluous-gateway", "dangling-reference", "parse-error",
                                          "soundness-inconclusive", "label-required")}
    return LintResult(findings=findings, files=["models/a.bpmn", "models/b.bpmn", "models/clean.bpmn"], rules=rules)


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(fmt: str, result: LintResult | None = None, stream: io.StringIO | None = None, **kwargs) -> str:
    stream = stream if stream is not None else io.StringIO()
    get_reporter(fmt, stream, **kwargs).report(result or sample())
    return stream.getvalue()


# -- text ------------------------------------------------------------------------


def test_text_is_plain_when_not_a_tty_and_grouped_by_file():
    text = render("text", environ={})
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "models/a.bpmn"
    assert lines[1].startswith("  models/a.bpmn:3:5  error    dangling-reference")
    assert lines[1].endswith("[Flow_1]")
    assert "models/a.bpmn:7" in lines[2] and "warning" in lines[2]
    assert "models/a.bpmn:9" in lines[3] and "info" in lines[3]
    assert "models/b.bpmn" in lines and "  models/b.bpmn:1  error    parse-error  not well-formed XML" in lines
    assert "models/clean.bpmn" not in text  # files without findings are only counted
    assert lines[-1] == "4 problems (2 errors, 1 warning, 1 info) in 2 of 3 files."


def test_text_is_coloured_on_a_tty_unless_no_color():
    coloured = render("text", stream=FakeTTY(), environ={})
    assert "\x1b[" in coloured and "dangling-reference" in coloured
    assert "file://" in coloured  # path:line is a terminal hyperlink
    plain = render("text", stream=FakeTTY(), environ={"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    # An empty NO_COLOR does not count (no-color.org).
    assert "\x1b[" in render("text", stream=FakeTTY(), environ={"NO_COLOR": ""})


def test_text_summary_when_clean_and_with_baseline():
    clean = LintResult(findings=[], files=["a.bpmn"], baselined=3)
    assert render("text", clean, environ={}) == (
        "No problems found in 1 file. 3 known problems hidden by the baseline.\n"
    )


# -- json -----------------------------------------------------------------------------


def test_json_shape():
    data = json.loads(render("json"))
    assert set(data) == {"findings", "summary"}
    assert data["summary"] == {"files": 3, "errors": 2, "warnings": 1, "infos": 1}
    first = data["findings"][0]
    assert list(first) == ["rule", "severity", "message", "file", "element", "line", "column"]
    assert first == {"rule": "dangling-reference", "severity": "error",
                     "message": "<sequenceFlow> F targetRef='X' refers to no element",
                     "file": "models/a.bpmn", "element": "Flow_1", "line": 3, "column": 5}
    assert data["findings"][-1]["element"] is None


# -- sarif ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_sarif_validates_against_the_official_schema(sarif_validator, tmp_path):
    text = render("sarif", cwd=str(tmp_path))
    log = json.loads(text)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_schema_catches_a_broken_log(sarif_validator):
    # The validator is not vacuous: a log without a driver name is rejected.
    log = json.loads(render("sarif"))
    del log["runs"][0]["tool"]["driver"]["name"]
    assert list(sarif_validator.iter_errors(log))


def test_sarif_content(tmp_path):
    result = sample()
    result.files = [str(tmp_path / "models" / "a.bpmn")]
    result.findings = [
        finding(file=str(tmp_path / "models" / "a.bpmn")),
        finding(file="/elsewhere/b.bpmn", rule="parse-error", severity="error", element=None, line=1),
    ]
    log = json.loads(render("sarif", result, cwd=str(tmp_path)))
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "label-required" in ids  # active rules are described even without results
    sg = rules[ids.index("superfluous-gateway")]
    assert sg["helpUri"].endswith("#rule-superfluous-gateway")
    assert sg["shortDescription"]["text"] == REGISTRY.get("superfluous-gateway").summary
    assert sg["defaultConfiguration"]["level"] == "warning"
    assert "How to fix" in sg["help"]["text"]
    first, second = run["results"]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "superfluous-gateway"
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "models/a.bpmn", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {"startLine": 7}
    assert location["logicalLocations"] == [{"name": "Gateway_1", "kind": "element"}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert second["level"] == "error" and "logicalLocations" not in second["locations"][0]
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///elsewhere/b.bpmn"
    # Fingerprints ignore the line: a moved finding keeps its identity.
    moved = json.loads(render("sarif", LintResult(
        findings=[finding(file=str(tmp_path / "models" / "a.bpmn"), line=70)], files=[]), cwd=str(tmp_path)))
    assert moved["runs"][0]["results"][0]["partialFingerprints"] == first["partialFingerprints"]


def test_info_is_a_sarif_note():
    log = json.loads(render("sarif"))
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["soundness-inconclusive"] == "note"


# -- junit --------------------------------------------------------------------------------


def test_junit_one_testcase_per_file_and_rule():
    root = ET.fromstring(render("junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"models/a.bpmn", "models/b.bpmn", "models/clean.bpmn"}
    a = suites["models/a.bpmn"]
    cases = {c.get("name"): c for c in a.findall("testcase")}
    assert set(cases) == {"dangling-reference", "superfluous-gateway", "soundness-inconclusive"}
    assert cases["dangling-reference"].find("failure").get("type") == "error"
    assert cases["superfluous-gateway"].find("failure").get("type") == "warning"
    assert cases["soundness-inconclusive"].find("failure") is None  # infos do not fail
    assert "too many states" in cases["soundness-inconclusive"].find("system-out").text
    assert a.get("tests") == "3" and a.get("failures") == "2"
    clean = suites["models/clean.bpmn"].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    assert root.get("tests") == "5" and root.get("failures") == "3"


def test_junit_escapes_xml():
    result = LintResult(findings=[finding(message='a <b> & "c"\x01', file="m&n.bpmn")], files=["m&n.bpmn"])
    root = ET.fromstring(render("junit", result))
    failure = root.find("testsuite/testcase/failure")
    assert 'a <b> & "c"' in failure.text and root.find("testsuite").get("name") == "m&n.bpmn"


# -- github ---------------------------------------------------------------------------------


def test_github_workflow_commands():
    lines = render("github").splitlines()
    assert lines[0] == ("::error file=models/a.bpmn,line=3,col=5,title=dangling-reference::"
                        "<sequenceFlow> F targetRef='X' refers to no element [Flow_1]")
    assert lines[1].startswith("::warning file=models/a.bpmn,line=7,title=superfluous-gateway::")
    assert lines[2].startswith("::notice file=models/a.bpmn,line=9,")
    assert lines[3].startswith("::error file=models/b.bpmn,line=1,title=parse-error::not well-formed XML")


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("dir,with:colon%") == "dir%2Cwith%3Acolon%25"
    result = LintResult(findings=[finding(file="a,b:c.bpmn", message="line one\nline two: 100%")], files=[])
    line = render("github", result).splitlines()[0]
    assert line == "::warning file=a%2Cb%3Ac.bpmn,line=7,title=superfluous-gateway::line one%0Aline two: 100%25 [Gateway_1]"


def test_auto_picks_github_inside_actions():
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"
    assert render("auto", environ={"GITHUB_ACTIONS": "true"}).startswith("::error ")


def test_every_format_has_a_reporter():
    for fmt in FORMAT_CHOICES:
        assert render(fmt, LintResult(findings=[], files=[]), environ={}) is not None
    with pytest.raises(ValueError):
        get_reporter("yaml", io.StringIO())
