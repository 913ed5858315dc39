"""Direct tests of the bpmnlint-compatible flow rules (batch A).

The fixtures under ``rules/<id>/`` are also run by the lint engine's
parametrized test; here they are checked with a minimal harness (load, call
``check`` with the default options) so the rules stand on their own, plus
cases the fixtures do not show: odd inputs, exemption details and 100,000-node
models.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.linter.api import SEVERITIES, Option
from bpmn_cx.model import Element, Model
from bpmn_cx.synthetic import synthetic_model
from rule_harness import defaults, element_id, reported, rule, run, SECTIONS

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"

#: Rule id -> severity in bpmnlint:recommended ("warn" -> "warning"); conditional-event
#: is not in recommended (bpmnlint:all makes every rule an error).
BATCH = {
    "ad-hoc-sub-process": "error",
    "conditional-event": "error",
    "conditional-flows": "error",
    "end-event-required": "error",
    "event-based-gateway": "error",
    "event-sub-process-typed-start-event": "error",
    "fake-join": "warning",
    "no-complex-gateway": "error",
    "no-disconnected": "error",
    "no-duplicate-sequence-flows": "error",
    "no-gateway-join-fork": "error",
    "no-implicit-end": "error",
    "no-implicit-split": "error",
    "no-implicit-start": "error",
}


def bpmn(body: str, *, executable: bool = False, extra: str = "") -> Model:
    """A one-process document around ``body`` (flow elements of the process)."""
    flag = "true" if executable else "false"
    return bpmn_cx.load(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'id="Defs" targetNamespace="http://bpmn-cx.example/test">\n'
            f"{extra}"
            f'<bpmn:process id="Process_1" isExecutable="{flag}">\n{body}\n</bpmn:process>\n'
            "</bpmn:definitions>\n"
        ).encode()
    )


# -- the contract -----------------------------------------------------------------


@pytest.mark.parametrize("rule_id", sorted(BATCH))
def test_module_contract(rule_id: str) -> None:
    module = rule(rule_id)
    assert module.ID == rule_id
    assert module.SEVERITY in SEVERITIES
    assert module.SEVERITY == BATCH[rule_id]
    assert isinstance(module.OPTIONS, dict)
    assert all(isinstance(option, Option) for option in module.OPTIONS.values())
    doc = module.__doc__ or ""
    positions = []
    for section in SECTIONS:
        match = re.search(rf"^{re.escape(section)}\n-{{{len(section)}}}\n", doc, re.MULTILINE)
        assert match, f"{rule_id}: docstring lacks the underlined section {section!r}"
        positions.append(match.start())
    assert positions == sorted(positions), f"{rule_id}: docstring sections out of order"


# -- the fixtures -------------------------------------------------------------------


def _fixture_cases() -> list[tuple[str, str]]:
    cases = []
    for rule_id in sorted(BATCH):
        for path in sorted((RULES_DIR / rule_id).glob("*.bpmn")):
            cases.append((rule_id, path.name))
    return cases


@pytest.mark.parametrize("rule_id", sorted(BATCH))
def test_fixture_directory_complete(rule_id: str) -> None:
    directory = RULES_DIR / rule_id
    names = {p.name for p in directory.glob("*.bpmn")}
    assert any(n.startswith("valid-") for n in names), f"{rule_id}: no valid-* fixture"
    assert any(n.startswith("invalid-") for n in names), f"{rule_id}: no invalid-* fixture"
    expected = tomllib.loads((directory / "expected.toml").read_text(encoding="utf-8"))
    for name in names:
        assert name.startswith(("valid-", "invalid-")), name
        if name.startswith("invalid-"):
            assert name in expected, f"{rule_id}: {name} has no entry in expected.toml"
            assert expected[name]["elements"], f"{rule_id}: {name} expects no problem"
        text = (directory / name).read_text(encoding="utf-8")
        assert "<!-- scenario:" in text, f"{rule_id}: {name} has no scenario comment"
    assert set(expected) <= names, f"{rule_id}: expected.toml names missing fixtures"


@pytest.mark.parametrize(("rule_id", "name"), _fixture_cases())
def test_fixture(rule_id: str, name: str) -> None:
    directory = RULES_DIR / rule_id
    expected = tomllib.loads((directory / "expected.toml").read_text(encoding="utf-8"))
    entry = expected.get(name, {"elements": []})
    model = bpmn_cx.load(directory / name)
    problems = run(rule_id, model, entry.get("options"))
    assert Counter(element_id(p) for p in problems) == Counter(entry["elements"])
    for problem in problems:
        # Every problem pins a modelled element, so the reporter can print its line.
        assert isinstance(problem.element, Element)
        assert isinstance(problem.element.line, int)
        assert problem.message and "None" not in problem.message


# -- behaviour beyond the fixtures ---------------------------------------------------


def test_messages_name_the_label_or_the_id() -> None:
    model = bpmn(
        '<bpmn:task id="Task_Named" name="Check\n  invoice" />'
        '<bpmn:task id="Task_Unnamed" />'
    )
    messages = {element_id(p): p.message for p in run("no-disconnected", model)}
    assert "'Check invoice'" in messages["Task_Named"]
    assert "Task_Unnamed" in messages["Task_Unnamed"]


def test_graph_rules_read_source_and_target_refs_not_reference_lists() -> None:
    # No <incoming>/<outgoing> children at all: bpmnlint would call every node
    # disconnected; the sequence flows say otherwise.
    model = bpmn(
        '<bpmn:startEvent id="S" /><bpmn:task id="A" /><bpmn:task id="B" />'
        '<bpmn:endEvent id="E" />'
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="A" />'
        '<bpmn:sequenceFlow id="F2" sourceRef="A" targetRef="B" />'
        '<bpmn:sequenceFlow id="F3" sourceRef="A" targetRef="B" />'
        '<bpmn:sequenceFlow id="F4" sourceRef="B" targetRef="E" />'
    )
    for rule_id in ("no-disconnected", "no-implicit-start", "no-implicit-end"):
        assert reported(rule_id, model) == []
    assert reported("fake-join", model) == ["B"]
    assert reported("no-implicit-split", model) == ["A"]
    assert reported("no-duplicate-sequence-flows", model) == ["A", "B", "F3"]


def test_duplicate_flows_compare_conditions_as_written() -> None:
    cond = '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{}</bpmn:conditionExpression>'
    model = bpmn(
        '<bpmn:exclusiveGateway id="G" /><bpmn:task id="T" /><bpmn:task id="U" />'
        '<bpmn:sequenceFlow id="Plain" sourceRef="G" targetRef="T" />'
        f'<bpmn:sequenceFlow id="Empty" sourceRef="G" targetRef="T">{cond.format("")}</bpmn:sequenceFlow>'
        f'<bpmn:sequenceFlow id="A1" sourceRef="G" targetRef="T">{cond.format("a")}</bpmn:sequenceFlow>'
        f'<bpmn:sequenceFlow id="A2" sourceRef="G" targetRef="T">{cond.format(" a")}</bpmn:sequenceFlow>'
        f'<bpmn:sequenceFlow id="A3" sourceRef="G" targetRef="T">{cond.format("a")}</bpmn:sequenceFlow>'
        '<bpmn:sequenceFlow id="U1" sourceRef="G" targetRef="U" />'
        '<bpmn:sequenceFlow id="U2" sourceRef="G" targetRef="U" />'
    )
    # A plain flow and an empty condition differ; "a" and " a" differ (bpmnlint
    # compares raw bodies). The gateway is reported once although it has two
    # groups of duplicates.
    assert Counter(element_id(p) for p in run("no-duplicate-sequence-flows", model)) == Counter(
        ["A3", "G", "T", "U2", "U"]
    )


def test_duplicate_flows_ignore_dangling_ends() -> None:
    model = bpmn(
        '<bpmn:task id="T" />'
        '<bpmn:sequenceFlow id="F1" sourceRef="T" targetRef="Nowhere" />'
        '<bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="Nowhere" />'
        '<bpmn:sequenceFlow id="F3" targetRef="T" />'
        '<bpmn:sequenceFlow id="F4" targetRef="T" />'
    )
    assert reported("no-duplicate-sequence-flows", model) == []


def test_broken_references_do_not_crash_any_rule() -> None:
    model = bpmn(
        '<bpmn:task id="T" default="NoSuchFlow" />'
        '<bpmn:boundaryEvent id="B" attachedToRef="Ghost"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>'
        '<bpmn:eventBasedGateway id="G" />'
        '<bpmn:sequenceFlow id="F1" sourceRef="T" />'
        '<bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="Ghost" />'
        '<bpmn:sequenceFlow id="F3" sourceRef="Data" targetRef="T" />'
        '<bpmn:dataObject id="Data" />'
        '<bpmn:association id="A" targetRef="B" />'
        '<bpmn:intermediateCatchEvent id="C"><bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent>',
        executable=True,
    )
    assert model.diagnostics  # the loader noticed
    for rule_id in BATCH:
        for problem in run(rule_id, model):
            assert isinstance(problem.element, Element)
    # The flows that lead nowhere still count as outgoing flows of their sources.
    assert "T" not in reported("no-implicit-end", model)
    assert reported("event-based-gateway", model) == ["G"]
    assert reported("conditional-event", model) == ["C"]


def test_conditional_flows_default_alone_makes_a_conditional_split() -> None:
    model = bpmn(
        '<bpmn:exclusiveGateway id="G" default="F1" /><bpmn:task id="A" /><bpmn:task id="B" />'
        '<bpmn:sequenceFlow id="F1" sourceRef="G" targetRef="A" />'
        '<bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="B" />'
        '<bpmn:parallelGateway id="P" /><bpmn:task id="C" /><bpmn:task id="D" />'
        '<bpmn:sequenceFlow id="P1" sourceRef="P" targetRef="C" />'
        '<bpmn:sequenceFlow id="P2" sourceRef="P" targetRef="D" />'
    )
    assert reported("conditional-flows", model) == ["F2"]


def test_conditional_event_only_in_executable_processes_and_nested_scopes() -> None:
    events = (
        '<bpmn:subProcess id="Sub">'
        '<bpmn:subProcess id="Inner" triggeredByEvent="true">'
        '<bpmn:startEvent id="Deep"><bpmn:conditionalEventDefinition>'
        '<bpmn:condition xsi:type="bpmn:tFormalExpression"> \n </bpmn:condition>'
        "</bpmn:conditionalEventDefinition></bpmn:startEvent>"
        "</bpmn:subProcess>"
        '<bpmn:intermediateCatchEvent id="Fine"><bpmn:conditionalEventDefinition>'
        '<bpmn:condition xsi:type="bpmn:tFormalExpression"><!-- why -->${x}</bpmn:condition>'
        "</bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>"
        '<bpmn:intermediateCatchEvent id="Timer"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>'
        "</bpmn:subProcess>"
    )
    assert reported("conditional-event", bpmn(events, executable=True)) == ["Deep"]
    assert reported("conditional-event", bpmn(events, executable=False)) == []


def test_compensation_exemptions_need_the_right_definitions() -> None:
    model = bpmn(
        '<bpmn:task id="T"><bpmn:outgoing>F</bpmn:outgoing></bpmn:task>'
        '<bpmn:endEvent id="E" />'
        '<bpmn:sequenceFlow id="F" sourceRef="T" targetRef="E" />'
        '<bpmn:boundaryEvent id="Linked" attachedToRef="T"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>'
        '<bpmn:boundaryEvent id="Unlinked" attachedToRef="T"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>'
        '<bpmn:boundaryEvent id="Mixed" attachedToRef="T"><bpmn:compensateEventDefinition />'
        "<bpmn:timerEventDefinition /></bpmn:boundaryEvent>"
        '<bpmn:task id="Undo" isForCompensation="true" />'
        '<bpmn:intermediateThrowEvent id="NotAnActivity" isForCompensation="true" />'
        '<bpmn:startEvent id="S" /><bpmn:sequenceFlow id="F0" sourceRef="S" targetRef="T" />',
        # The association sits in the collaboration, not in the process: still linked.
        extra=(
            '<bpmn:collaboration id="Collab"><bpmn:participant id="Pool" processRef="Process_1" />'
            '<bpmn:association id="A" sourceRef="Linked" targetRef="Undo" /></bpmn:collaboration>\n'
        ),
    )
    assert reported("no-implicit-end", model) == ["Mixed", "NotAnActivity", "Unlinked"]
    # no-disconnected does not ask for the association, only for the trigger.
    assert reported("no-disconnected", model) == ["Mixed", "NotAnActivity"]
    assert reported("no-implicit-start", model) == ["NotAnActivity"]


def test_link_exemptions_need_pure_link_events() -> None:
    model = bpmn(
        '<bpmn:intermediateCatchEvent id="CatchLink"><bpmn:outgoing>F1</bpmn:outgoing>'
        '<bpmn:linkEventDefinition name="x" /></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateCatchEvent id="CatchMixed"><bpmn:outgoing>F2</bpmn:outgoing>'
        '<bpmn:linkEventDefinition name="y" /><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateThrowEvent id="ThrowLink"><bpmn:linkEventDefinition name="z" /></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateThrowEvent id="ThrowMixed"><bpmn:linkEventDefinition name="w" />'
        "<bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>"
        '<bpmn:sequenceFlow id="F1" sourceRef="CatchLink" targetRef="ThrowLink" />'
        '<bpmn:sequenceFlow id="F2" sourceRef="CatchMixed" targetRef="ThrowMixed" />'
    )
    assert reported("no-implicit-start", model) == ["CatchMixed"]
    assert reported("no-implicit-end", model) == ["ThrowMixed"]


def test_ad_hoc_children_exempt_but_not_the_ad_hoc_sub_process() -> None:
    model = bpmn(
        '<bpmn:adHocSubProcess id="AdHoc">'
        '<bpmn:task id="Loose" />'
        '<bpmn:boundaryEvent id="Timer" attachedToRef="Loose"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>'
        "</bpmn:adHocSubProcess>"
    )
    for rule_id in ("no-disconnected", "no-implicit-start", "no-implicit-end"):
        assert reported(rule_id, model) == ["AdHoc"], rule_id
    assert reported("end-event-required", model) == ["Process_1"]


# -- scale: linear, no recursion ------------------------------------------------------


@pytest.fixture(scope="module")
def big_synthetic() -> Model:
    return bpmn_cx.load(synthetic_model(100_000, di=False, parallel_every=7, decision_every=11))


def test_synthetic_100k_is_clean(big_synthetic: Model) -> None:
    assert len(big_synthetic.flow_nodes) > 100_000
    for rule_id in BATCH:
        assert run(rule_id, big_synthetic) == [], rule_id


def _chain(n: int, *, connected: bool) -> bytes:
    """``n`` tasks in one process; chained by sequence flows or all loose."""
    parts = [
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="Defs" targetNamespace="http://bpmn-cx.example/test"><bpmn:process id="Chain">'
    ]
    parts.extend(f'<bpmn:task id="T{i}" />' for i in range(n))
    if connected:
        parts.extend(
            f'<bpmn:sequenceFlow id="F{i}" sourceRef="T{i}" targetRef="T{i + 1}" />' for i in range(n - 1)
        )
    parts.append("</bpmn:process></bpmn:definitions>")
    return "".join(parts).encode()


def test_100k_chain_without_start_and_end() -> None:
    model = bpmn_cx.load(_chain(100_000, connected=True))
    assert reported("no-implicit-start", model) == ["T0"]
    assert reported("no-implicit-end", model) == ["T99999"]
    assert reported("no-disconnected", model) == []
    assert reported("end-event-required", model) == ["Chain"]
    for rule_id in ("fake-join", "no-implicit-split", "no-duplicate-sequence-flows", "conditional-flows"):
        assert run(rule_id, model) == [], rule_id


def test_100k_loose_tasks() -> None:
    model = bpmn_cx.load(_chain(100_000, connected=False))
    problems = run("no-disconnected", model)
    assert len(problems) == 100_000
    assert len({element_id(p) for p in problems}) == 100_000
    assert len(run("no-implicit-end", model)) == 100_000
