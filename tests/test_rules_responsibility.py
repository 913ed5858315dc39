"""The responsibility rules: who does each step (lanes) and how big a level is.

Until the lint engine exists these tests drive the rule modules directly with
a small harness: load a fixture, call ``check(model, RuleContext(...))`` with
the declared option defaults (plus the fixture's options), compare the
reported element ids with ``rules/<id>/expected.toml``.
"""

from __future__ import annotations

import collections
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import bpmn_cx
from bpmn_cx.linter.api import SEVERITIES, Option, Problem, RuleContext
from bpmn_cx.model import Element, Lane, LaneSet, Model
from bpmn_cx.synthetic import synthetic_model
from rule_harness import defaults, element_id, rule, run

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
CORPUS = ROOT.parent / "shared" / "corpus"

RULE_IDS = [
    "node-outside-lane",
    "empty-lane",
    "ambiguous-lane",
    "unnamed-lane",
    "duplicate-lane-name",
    "max-elements",
]

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)


def ids(problems: list[Problem]) -> collections.Counter[str]:
    return collections.Counter(element_id(p) for p in problems)


def doc(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions {NS} id="Definitions_t" targetNamespace="http://bpmn-cx.example/test">\n'
        f"{body}\n</bpmn:definitions>\n"
    ).encode()


def messages(rule_id: str, source: bytes | Path, options: dict[str, Any] | None = None) -> list[str]:
    return [p.message for p in run(rule_id, bpmn_cx.load(source), options)]


# -- the fixtures -----------------------------------------------------------------


def fixture_cases() -> list[Any]:
    cases = []
    for rule_id in RULE_IDS:
        for path in sorted((RULES_DIR / rule_id).glob("*.bpmn")):
            cases.append(pytest.param(rule_id, path, id=f"{rule_id}/{path.name}"))
    return cases


def expected(rule_id: str) -> dict[str, Any]:
    return tomllib.loads((RULES_DIR / rule_id / "expected.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixture_folder_is_complete(rule_id: str) -> None:
    folder = RULES_DIR / rule_id
    names = {p.name for p in folder.glob("*.bpmn")}
    valid = {n for n in names if n.startswith("valid-")}
    invalid = {n for n in names if n.startswith("invalid-")}
    assert valid and invalid, "each rule needs valid and invalid fixtures"
    assert names == valid | invalid, "fixtures are named valid-* or invalid-*"
    table = expected(rule_id)
    assert invalid <= set(table), f"invalid fixtures without an expected.toml entry: {invalid - set(table)}"
    assert set(table) <= names, f"expected.toml names missing fixtures: {set(table) - names}"
    for name, entry in table.items():
        assert set(entry) <= {"elements", "options", "customer"}, name
        if name.startswith("invalid-"):
            assert entry["elements"], f"{name} must expect at least one finding"
        else:
            assert entry.get("elements", []) == [], f"{name} is valid: it expects no finding"
        for option, value in entry.get("options", {}).items():
            declared = rule(rule_id).OPTIONS[option]
            assert isinstance(value, declared.type), (name, option)


@pytest.mark.parametrize(("rule_id", "path"), fixture_cases())
def test_fixture(rule_id: str, path: Path) -> None:
    entry = expected(rule_id).get(path.name, {})
    model = bpmn_cx.load(path)
    problems = run(rule_id, model, entry.get("options"))
    want = collections.Counter(entry.get("elements", []))
    assert ids(problems) == want, [p.message for p in problems]
    for problem in problems:
        # Findings pin an element id and a source line.
        assert isinstance(problem.element, Element) and problem.element.id
        assert (problem.line or problem.element.line), problem.message
        assert problem.message and "\n" not in problem.message


@pytest.mark.parametrize(("rule_id", "path"), fixture_cases())
def test_fixture_is_schema_valid_and_explained(rule_id: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(r"<!-- scenario: \S.*-->", text), "each fixture says what it shows"
    result = bpmn_cx.validate(path)
    assert result.valid, [str(e) for e in result.errors]
    # These fixtures break references on purpose; the loader reports them.
    on_purpose = {"invalid-refs-name-no-node.bpmn", "invalid-listed-by-other-pool.bpmn"}
    assert not bpmn_cx.load(path).diagnostics or path.name in on_purpose


# -- the module contract -------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_module_contract(rule_id: str) -> None:
    module = rule(rule_id)
    assert module.ID == rule_id
    assert module.SEVERITY in SEVERITIES
    assert isinstance(module.OPTIONS, dict)
    for name, option in module.OPTIONS.items():
        assert isinstance(option, Option)
        assert isinstance(option.default, option.type), name
        assert option.help.strip(), name
        if option.minimum is not None:
            assert option.default >= option.minimum
    text = module.__doc__ or ""
    positions = []
    for heading in ("What it does", "Why it matters", "Example", "How to fix"):
        match = re.search(rf"^{heading}\n-{{{len(heading)}}}\n\S", text, re.M)
        assert match, f"docstring section {heading!r} with an underline"
        positions.append(match.start())
    assert positions == sorted(positions)


def test_severities_and_options() -> None:
    assert {rid: rule(rid).SEVERITY for rid in RULE_IDS} == {
        "node-outside-lane": "error",
        "empty-lane": "warning",
        "ambiguous-lane": "error",
        "unnamed-lane": "warning",
        "duplicate-lane-name": "warning",
        "max-elements": "warning",
    }
    option = rule("max-elements").OPTIONS["max"]
    assert (option.type, option.default, option.minimum) == (int, 50, 1)
    assert all(not rule(rid).OPTIONS for rid in RULE_IDS if rid != "max-elements")


# -- messages in plain words ------------------------------------------------------------


def test_node_outside_lane_message() -> None:
    [message] = messages("node-outside-lane", RULES_DIR / "node-outside-lane" / "invalid-task-outside-lanes.bpmn")
    assert message == "Service task 'Check credit' belongs to none of the lanes of pool 'Bank': nobody is responsible for it"


def test_node_outside_lane_names_sub_process_level() -> None:
    [message] = messages("node-outside-lane", RULES_DIR / "node-outside-lane" / "invalid-subprocess-own-lanes.bpmn")
    assert message.startswith("End event 'Score known' belongs to none of the lanes of sub-process 'Check credit'")


def test_empty_lane_message_uses_path() -> None:
    [message] = messages("empty-lane", RULES_DIR / "empty-lane" / "invalid-empty-nested-lane.bpmn")
    assert message == "Lane 'Bank / Back office / Archive' has no flow nodes"


def test_empty_lane_says_when_refs_are_broken() -> None:
    [message] = messages("empty-lane", RULES_DIR / "empty-lane" / "invalid-refs-name-no-node.bpmn")
    assert "flowNodeRefs name no existing flow node" in message


def test_ambiguous_lane_messages() -> None:
    [two] = messages("ambiguous-lane", RULES_DIR / "ambiguous-lane" / "invalid-two-top-lanes.bpmn")
    assert two == "Service task 'Check credit' is referenced by lanes 'Sales' and 'Back office', and neither contains the other"
    [nested] = messages("ambiguous-lane", RULES_DIR / "ambiguous-lane" / "invalid-sibling-child-lanes.bpmn")
    # The parent lane that lists the task too is not one of the two owners.
    assert "'Back office / Credit check' and 'Back office / Archive'" in nested
    [three] = messages("ambiguous-lane", RULES_DIR / "ambiguous-lane" / "invalid-three-unrelated-lanes.bpmn")
    assert three == (
        "Exclusive gateway 'Approved?' is referenced by lanes 'Sales', 'Back office' and 'Manager', "
        "and none of them contains another"
    )


def test_unnamed_lane_messages() -> None:
    [top] = messages("unnamed-lane", RULES_DIR / "unnamed-lane" / "invalid-no-name-attribute.bpmn")
    assert top.startswith("Lane Lane_1 in pool 'Bank' has no name")
    [child] = messages("unnamed-lane", RULES_DIR / "unnamed-lane" / "invalid-unnamed-child-lane.bpmn")
    assert child.startswith("Lane Lane_2 in lane 'Back office' has no name")


def test_duplicate_lane_name_points_at_the_first() -> None:
    path = RULES_DIR / "duplicate-lane-name" / "invalid-three-copies.bpmn"
    model = bpmn_cx.load(path)
    first = model.get("Lane_Sales_1")
    problems = run("duplicate-lane-name", model)
    assert len(problems) == 2
    for problem in problems:
        assert f"the lane on line {first.line}" in problem.message
    [message] = messages("duplicate-lane-name", RULES_DIR / "duplicate-lane-name" / "invalid-nested-siblings.bpmn")
    assert message.startswith("Lane 'Back office / Clerk' has the same name as the lane on line ")
    assert message.endswith("in lane 'Back office'")


def test_max_elements_message_has_the_count() -> None:
    [message] = messages("max-elements", RULES_DIR / "max-elements" / "invalid-fifty-one-at-default.bpmn")
    assert message.startswith("Process 'Long claim handling' has 51 flow nodes on one level, more than 50")
    [sub] = messages("max-elements", RULES_DIR / "max-elements" / "invalid-subprocess-too-big.bpmn", {"max": 5})
    assert sub.startswith("Sub-process 'Fulfil order' has 6 flow nodes on one level, more than 5")


# -- edge cases not worth a fixture ---------------------------------------------------


def test_boundary_event_with_unknown_host_is_outside() -> None:
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Clerk"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:task id="T" name="Work" />
    <bpmn:boundaryEvent id="B" attachedToRef="Missing" />
  </bpmn:process>"""))
    # The host is missing: nothing gives the event a lane.
    assert ids(run("node-outside-lane", model)) == {"B": 1}


def test_boundary_event_listed_while_host_is_not() -> None:
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Clerk"><bpmn:flowNodeRef>B</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:task id="T" name="Work" />
    <bpmn:boundaryEvent id="B" attachedToRef="T" />
  </bpmn:process>"""))
    assert ids(run("node-outside-lane", model)) == {"T": 1}


def test_unnamed_process_without_pool_is_named_by_id() -> None:
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Clerk" /></bpmn:laneSet>
    <bpmn:exclusiveGateway id="G" />
  </bpmn:process>"""))
    [problem] = run("node-outside-lane", model)
    assert problem.message.startswith("Exclusive gateway G belongs to none of the lanes of process P")
    assert run("max-elements", model, {"max": 1}) == []  # one node: within the limit


def test_duplicate_names_in_two_lane_sets_of_one_process_are_fine() -> None:
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="Roles"><bpmn:lane id="L1" name="North"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:laneSet id="Sites"><bpmn:lane id="L2" name="north"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:task id="T" name="Work" />
  </bpmn:process>"""))
    assert run("duplicate-lane-name", model) == []
    assert run("ambiguous-lane", model) == []


@pytest.mark.parametrize("reverse", [False, True])
def test_ambiguous_lane_does_not_depend_on_lane_order(reverse: bool) -> None:
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="A" name="A">
        <bpmn:flowNodeRef>T</bpmn:flowNodeRef>
        <bpmn:childLaneSet id="CA">
          <bpmn:lane id="A1" name="A1">
            <bpmn:flowNodeRef>T</bpmn:flowNodeRef>
            <bpmn:childLaneSet id="CA1">
              <bpmn:lane id="A11" name="A11"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane>
            </bpmn:childLaneSet>
          </bpmn:lane>
          <bpmn:lane id="A2" name="A2"><bpmn:flowNodeRef>U</bpmn:flowNodeRef></bpmn:lane>
        </bpmn:childLaneSet>
      </bpmn:lane>
      <bpmn:lane id="B" name="B"><bpmn:flowNodeRef>U</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:task id="T" name="Deep" />
    <bpmn:task id="U" name="Shared" />
  </bpmn:process>"""))
    if reverse:  # children before parents: the rule must not rely on document order
        model.lanes.reverse()
    [problem] = run("ambiguous-lane", model)
    assert element_id(problem) == "U"
    assert "'A / A2'" in problem.message and "'B'" in problem.message


# -- scale ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_model_bytes() -> bytes:
    return synthetic_model(100_000, lanes=4, di=False)


def test_100k_tasks_linear(big_model_bytes: bytes) -> None:
    model = bpmn_cx.load(big_model_bytes)
    assert len(model.flow_nodes) == 100_002
    [problem] = run("max-elements", model)
    assert element_id(problem) == "Process_1"
    assert "100002 flow nodes" in problem.message
    for rule_id in ("node-outside-lane", "empty-lane", "ambiguous-lane", "unnamed-lane", "duplicate-lane-name"):
        assert run(rule_id, model) == [], rule_id


def test_100k_tasks_one_node_outside_and_one_shared(big_model_bytes: bytes) -> None:
    data = big_model_bytes.replace(b"<bpmn:flowNodeRef>task_77777</bpmn:flowNodeRef>\n", b"", 1)
    assert data != big_model_bytes
    # Also list task_7 (a lane 1 task) in lane 0: two unrelated lanes.
    data = data.replace(
        b'<bpmn:lane id="Lane_0" name="Department 0">\n',
        b'<bpmn:lane id="Lane_0" name="Department 0">\n        <bpmn:flowNodeRef>task_7</bpmn:flowNodeRef>\n',
        1,
    )
    model = bpmn_cx.load(data)
    assert ids(run("node-outside-lane", model)) == {"task_77777": 1}
    assert ids(run("ambiguous-lane", model)) == {"task_7": 1}


def test_deeply_nested_lanes_do_not_recurse() -> None:
    # libxml2 refuses documents nested deeper than 256 levels, so grow the lane
    # tree on the loaded model: 5000 levels is far beyond Python's recursion limit.
    model = bpmn_cx.load(doc("""
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS"><bpmn:lane id="L0" name="Level 0" /><bpmn:lane id="Other" name="Other" /></bpmn:laneSet>
    <bpmn:task id="T" name="Work" />
  </bpmn:process>"""))
    top, other, task = model.get("L0"), model.get("Other"), model.get("T")
    lane = top
    for level in range(1, 5000):
        child_set = LaneSet(f"S{level}", "childLaneSet", None, None, None, top.scope, lane)
        child = Lane(f"L{level}", "lane", f"Level {level}", None, None, child_set, lane)
        child_set.lanes.append(child)
        lane.child_lanes.append(child)
        model.lanes.append(child)
        lane = child
    lane.nodes.append(task)
    assert lane.depth == 4999
    assert ids(run("empty-lane", model)) == {"Other": 1}
    other.nodes.append(task)
    assert ids(run("ambiguous-lane", model)) == {"T": 1}
    problem = run("ambiguous-lane", model)[0]
    assert "'Other'" in problem.message and "Level 4998 / Level 4999'" in problem.message


# -- real files ----------------------------------------------------------------------


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".bpmn", ".bpmn2") and p.is_file())


def test_corpus_smoke() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("the shared corpus is absent")
    laned = 0
    for path in files:
        try:
            model = bpmn_cx.load(path)
        except bpmn_cx.LoadError:
            continue
        if model.lanes:
            laned += 1
        for rule_id in RULE_IDS:
            for problem in run(rule_id, model):
                assert problem.element is not None and (problem.line or problem.element.line), (path, problem)
    assert laned > 0


def test_corpus_parent_and_child_references_are_not_ambiguous() -> None:
    path = CORPUS / "bpmn-js" / "test" / "spec" / "features" / "modeling" / "lanes" / "lanes-flow-nodes.bpmn"
    if not path.is_file():
        pytest.skip("the shared corpus is absent")
    model = bpmn_cx.load(path)
    assert any(len([lane for lane in model.lanes if node in lane.nodes]) > 1 for node in model.flow_nodes)
    assert run("ambiguous-lane", model) == []
