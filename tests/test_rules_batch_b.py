"""Direct tests of the bpmnlint-compatible rules, batch B.

Rules: global, label-required, link-event, no-bpmndi, no-inclusive-gateway,
no-overlapping-elements, single-blank-start-event, single-event-definition,
standard-size, start-event-required, sub-process-blank-start-event,
superfluous-termination, superfluous-label.

The fixtures under ``rules/<id>/`` are also run by the lint engine's
parametrized test; here they are checked with a minimal harness (load, call
``check`` with the default options plus the fixture's options) so the rules
stand on their own, plus cases the fixtures do not show: odd inputs, exemption
details, and the work the overlap check does on large diagrams (counted
comparisons, never timings).
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.linter.api import SEVERITIES, Option
from bpmn_cx.model import Element, Model
from bpmn_cx.rules import no_overlapping_elements as overlap
from bpmn_cx.synthetic import synthetic_model
from rule_harness import defaults, element_id, reported, rule, run, SECTIONS

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"

#: Rule id -> severity in bpmnlint:recommended ("warn" -> "warning"); standard-size is
#: not in recommended and gets "warning".
BATCH = {
    "global": "warning",
    "label-required": "error",
    "link-event": "error",
    "no-bpmndi": "error",
    "no-inclusive-gateway": "warning",
    "no-overlapping-elements": "warning",
    "single-blank-start-event": "error",
    "single-event-definition": "error",
    "standard-size": "warning",
    "start-event-required": "error",
    "sub-process-blank-start-event": "error",
    "superfluous-termination": "warning",
    "superfluous-label": "warning",
}


_NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'targetNamespace="http://bpmn-cx.example/tests"'
)


def doc(body: str, di: str = "", roots: str = "") -> Model:
    """A document with ``roots`` (global elements), one process ``P`` around ``body`` and ``di``."""
    plane = (
        f'<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="PL" bpmnElement="P">{di}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        if di
        else ""
    )
    return bpmn_cx.load(
        f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {_NS} id="Defs">{roots}'
        f'<bpmn:process id="P" isExecutable="false">{body}</bpmn:process>{plane}</bpmn:definitions>'.encode()
    )


def shape(element: str, x: float, y: float, w: float, h: float, extra: str = "") -> str:
    return (
        f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
    )


# -- contract and fixtures ------------------------------------------------------


@pytest.mark.parametrize("rule_id", sorted(BATCH))
def test_rule_module_follows_the_contract(rule_id: str) -> None:
    module = rule(rule_id)
    assert module.ID == rule_id
    assert module.SEVERITY == BATCH[rule_id]
    assert module.SEVERITY in SEVERITIES
    assert isinstance(module.OPTIONS, dict)
    for name, option in module.OPTIONS.items():
        assert isinstance(option, Option), name
        assert isinstance(option.default, option.type), name
        assert option.help.strip(), name
    text = module.__doc__ or ""
    positions = []
    for section in SECTIONS:
        heading = f"\n{section}\n{'-' * len(section)}\n"
        assert heading in text, f"{rule_id}: missing docstring section {section!r}"
        positions.append(text.index(heading))
    assert positions == sorted(positions)
    assert callable(module.check)


def _fixtures() -> list[tuple[str, str]]:
    out = []
    for rule_id in sorted(BATCH):
        for path in sorted((RULES_DIR / rule_id).glob("*.bpmn")):
            out.append((rule_id, path.name))
    return out


@pytest.mark.parametrize("rule_id", sorted(BATCH))
def test_fixture_directory_is_complete(rule_id: str) -> None:
    directory = RULES_DIR / rule_id
    names = sorted(p.name for p in directory.glob("*.bpmn"))
    assert any(n.startswith("valid-") for n in names), rule_id
    assert any(n.startswith("invalid-") for n in names), rule_id
    assert all(n.startswith(("valid-", "invalid-")) for n in names), names
    expected = tomllib.loads((directory / "expected.toml").read_text(encoding="utf-8"))
    for name in names:
        if name.startswith("invalid-"):
            assert name in expected, f"{rule_id}/{name} has no expected.toml entry"
            assert expected[name]["elements"], f"{rule_id}/{name} expects no finding"
    assert set(expected) <= set(names), "expected.toml names a fixture that does not exist"
    for name in names:
        text = (directory / name).read_text(encoding="utf-8")
        assert "<!-- scenario:" in text, f"{rule_id}/{name} has no scenario comment"


@pytest.mark.parametrize(("rule_id", "name"), _fixtures())
def test_fixture(rule_id: str, name: str) -> None:
    directory = RULES_DIR / rule_id
    entry = tomllib.loads((directory / "expected.toml").read_text(encoding="utf-8")).get(name, {})
    model = bpmn_cx.load(directory / name)
    assert not model.diagnostics, model.diagnostics  # fixtures are clean apart from what they show
    problems = run(rule_id, model, entry.get("options"))
    want = Counter(entry.get("elements", [])) if name.startswith("invalid-") or entry else Counter()
    assert Counter(element_id(p) for p in problems) == want
    for problem in problems:
        element = problem.element
        line = problem.line if problem.line is not None else getattr(element, "line", None)
        assert isinstance(line, int) and line > 0, problem
        # the message names the element by its label or id
        assert isinstance(element, Element)
        assert (element.label and element.label in problem.message) or (
            element.id and element.id in problem.message
        ), problem.message


# -- global ---------------------------------------------------------------------------


def test_global_reference_with_namespace_prefix_counts_as_use() -> None:
    model = doc(
        '<bpmn:startEvent id="S" name="In"><bpmn:messageEventDefinition messageRef="tns:M"/></bpmn:startEvent>',
        roots='<bpmn:message id="M" name="Order"/>',
    )
    assert reported("global", model) == []


def test_global_message_used_only_by_a_message_flow_or_a_receive_task() -> None:
    model = bpmn_cx.load(
        f'<bpmn:definitions {_NS} id="Defs"><bpmn:message id="M1" name="A"/><bpmn:message id="M2" name="B"/>'
        '<bpmn:message id="M3" name="C"/>'
        '<bpmn:collaboration id="C"><bpmn:participant id="X" name="X" processRef="P"/>'
        '<bpmn:participant id="Y" name="Y"/>'
        '<bpmn:messageFlow id="MF" sourceRef="Y" targetRef="X" messageRef="M1"/></bpmn:collaboration>'
        '<bpmn:process id="P"><bpmn:receiveTask id="R" name="Wait" messageRef="M2"/></bpmn:process>'
        "</bpmn:definitions>".encode()
    )
    problems = run("global", model)
    assert [element_id(p) for p in problems] == ["M3"]
    assert "'C' is not used" in problems[0].message


def test_global_reference_of_the_wrong_type_does_not_count() -> None:
    # a signal id in a messageRef is no use of the signal
    model = doc(
        '<bpmn:startEvent id="S" name="In"><bpmn:messageEventDefinition messageRef="Sig"/></bpmn:startEvent>',
        roots='<bpmn:signal id="Sig" name="Go"/>',
    )
    assert reported("global", model) == ["Sig"]


def test_global_unnamed_elements_are_not_also_duplicates() -> None:
    model = doc(
        '<bpmn:endEvent id="E1" name="a"><bpmn:errorEventDefinition errorRef="Err1"/></bpmn:endEvent>'
        '<bpmn:endEvent id="E2" name="b"><bpmn:errorEventDefinition errorRef="Err2"/></bpmn:endEvent>',
        roots='<bpmn:error id="Err1"/><bpmn:error id="Err2" name=""/>',
    )
    problems = run("global", model)
    assert sorted(element_id(p) for p in problems) == ["Err1", "Err2"]
    assert all("has no name" in p.message for p in problems)


def test_global_each_failure_is_its_own_problem() -> None:
    # unnamed + unused on one element: two problems
    model = doc('<bpmn:task id="T" name="t"/>', roots='<bpmn:escalation id="Esc" name=" "/>')
    assert reported("global", model) == ["Esc", "Esc"]


# -- label-required ---------------------------------------------------------------------


def test_label_required_gateway_only_when_it_splits() -> None:
    model = doc(
        '<bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/><bpmn:task id="C" name="c"/>'
        '<bpmn:inclusiveGateway id="Join"/><bpmn:inclusiveGateway id="Split"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="A" targetRef="Join"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="Join" targetRef="Split"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="Split" targetRef="B"/>'
        '<bpmn:sequenceFlow id="f4" sourceRef="Split" targetRef="C"/>'
    )
    assert reported("label-required", model) == ["Split"]


def test_label_required_name_of_line_breaks_only_is_missing() -> None:
    model = doc('<bpmn:task id="T" name="&#10;&#13;&#9; "/><bpmn:task id="U" name="Check&#10;order"/>')
    assert reported("label-required", model) == ["T"]


# -- link-event -------------------------------------------------------------------------------


def test_link_event_blank_link_name_is_unnamed_and_not_paired() -> None:
    model = doc(
        '<bpmn:intermediateThrowEvent id="T" name="t"><bpmn:linkEventDefinition name="  "/></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateCatchEvent id="C" name="c"><bpmn:linkEventDefinition name="  "/></bpmn:intermediateCatchEvent>'
    )
    problems = run("link-event", model)
    assert sorted(element_id(p) for p in problems) == ["C", "T"]
    assert all("no link name" in p.message for p in problems)


def test_link_event_two_catches_without_throw_are_duplicates() -> None:
    model = doc(
        '<bpmn:intermediateCatchEvent id="C1" name="a"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateCatchEvent id="C2" name="b"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>'
    )
    problems = run("link-event", model)
    assert sorted(element_id(p) for p in problems) == ["C1", "C2"]
    assert all("shares the link name 'L'" in p.message for p in problems)


def test_link_event_ignores_other_events() -> None:
    model = doc(
        '<bpmn:intermediateThrowEvent id="T" name="t"><bpmn:signalEventDefinition/></bpmn:intermediateThrowEvent>'
        '<bpmn:intermediateCatchEvent id="C" name="c"/>'
    )
    assert reported("link-event", model) == []


# -- no-bpmndi ----------------------------------------------------------------------------------


def test_no_bpmndi_accepts_prefixed_references_and_any_diagram() -> None:
    model = bpmn_cx.load(
        f'<bpmn:definitions {_NS} xmlns:tns="http://bpmn-cx.example/tests" id="Defs">'
        '<bpmn:process id="P"><bpmn:task id="T1" name="a"/><bpmn:task id="T2" name="b"/></bpmn:process>'
        '<bpmndi:BPMNDiagram id="D1"><bpmndi:BPMNPlane id="PL1" bpmnElement="P">'
        '<bpmndi:BPMNShape id="S1" bpmnElement="tns:T1"><dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        '<bpmndi:BPMNDiagram id="D2"><bpmndi:BPMNPlane id="PL2" bpmnElement="P">'
        '<bpmndi:BPMNShape id="S2" bpmnElement="T2"><dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>".encode()
    )
    assert reported("no-bpmndi", model) == []


def test_no_bpmndi_element_without_id_is_reported_at_its_line() -> None:
    model = doc(
        '<bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/>\n'
        '<bpmn:sequenceFlow sourceRef="A" targetRef="B"/>',
        di=shape("A", 0, 0, 100, 80) + shape("B", 200, 0, 100, 80),
    )
    (problem,) = run("no-bpmndi", model)
    assert problem.element is not None and getattr(problem.element, "id", "x") is None
    assert problem.element.line == 2
    assert "has no id" in problem.message


def test_no_bpmndi_ignores_data_objects_and_data_associations() -> None:
    model = doc(
        '<bpmn:dataObject id="DO"/><bpmn:dataObjectReference id="DOR" dataObjectRef="DO"/>'
        '<bpmn:task id="T" name="t"><bpmn:dataOutputAssociation id="DA"><bpmn:targetRef>DOR</bpmn:targetRef>'
        "</bpmn:dataOutputAssociation></bpmn:task>",
        di=shape("T", 0, 0, 100, 80) + shape("DOR", 200, 0, 36, 50),
    )
    assert reported("no-bpmndi", model) == []


# -- no-overlapping-elements: the algorithm ------------------------------------------------------


def test_find_overlaps_touching_counts_and_gaps_do_not() -> None:
    boxes = [(0, 0, 10, 10), (10, 0, 20, 10), (30, 0, 40, 10), (40.5, 0, 50, 10)]
    partner = overlap.find_overlaps(boxes)
    assert partner[0] == 1 and partner[1] == 0
    assert partner[2] is None and partner[3] is None


def test_find_overlaps_respects_exempt_pairs() -> None:
    boxes = [(0, 0, 100, 80), (80, 60, 116, 96), (200, 0, 300, 80)]
    partner = overlap.find_overlaps(boxes, lambda i, j: {i, j} == {0, 1})
    assert partner == [None, None, None]
    # the same pair without the exemption overlaps
    assert overlap.find_overlaps(boxes)[:2] == [1, 0]


def test_find_overlaps_pile_on_one_spot_is_linear() -> None:
    n = 5000
    stats = overlap.OverlapStats()
    partner = overlap.find_overlaps([(10.0, 10.0, 110.0, 90.0)] * n, stats=stats)
    assert all(p is not None for p in partner)
    # every pair overlaps (n*n/2 pairs), but each box needs one partner
    assert stats.comparisons <= 4 * n


def test_find_overlaps_vertical_column_is_not_quadratic() -> None:
    # A top-to-bottom layout: every shape shares its x range with all others,
    # which is the worst case of a sweep over x alone.
    n = 20000
    stats = overlap.OverlapStats()
    partner = overlap.find_overlaps([(0.0, 120.0 * i, 100.0, 120.0 * i + 80) for i in range(n)], stats=stats)
    assert partner == [None] * n
    assert stats.comparisons <= 4 * n
    assert stats.cells <= 4 * n


def test_find_overlaps_grid_layout_and_one_huge_box() -> None:
    side = 120
    boxes = [(150.0 * c, 150.0 * r, 150.0 * c + 100, 150.0 * r + 80) for r in range(side) for c in range(side)]
    # a huge shape far away: it must not blow up the grid
    boxes.append((1e7, 1e7, 1e9, 1e9))
    stats = overlap.OverlapStats()
    partner = overlap.find_overlaps(boxes, stats=stats)
    assert partner == [None] * len(boxes)
    assert stats.comparisons <= 8 * len(boxes)
    assert stats.cells <= 4 * len(boxes)


def test_find_overlaps_agrees_with_all_pairs_on_random_boxes() -> None:
    import random

    rng = random.Random(7)
    for _ in range(30):
        boxes = []
        for _ in range(rng.randint(2, 60)):
            x, y = rng.uniform(-500, 500), rng.uniform(-500, 500)
            w, h = rng.choice([(36, 36), (50, 50), (100, 80), (300, 200), (0, 0)])
            boxes.append((x, y, x + w, y + h))
        partner = overlap.find_overlaps(boxes)
        for i, a in enumerate(boxes):
            hits = [
                j
                for j, b in enumerate(boxes)
                if j != i and a[2] >= b[0] and b[2] >= a[0] and a[3] >= b[1] and b[3] >= a[1]
            ]
            assert (partner[i] is not None) == bool(hits), (i, boxes)
            if partner[i] is not None:
                assert partner[i] in hits


def test_find_overlaps_names_the_partners_the_grid_alone_names() -> None:
    # The sweep only picks which boxes go into the grid; the partner each
    # message names must be the one the grid picks with every box in it.
    import random

    rng = random.Random(11)
    for round_ in range(60):
        boxes = []
        for _ in range(rng.randint(2, 80)):
            if round_ % 3 == 0:  # rows and columns of equal shapes, some touching
                x, y = rng.randrange(0, 20) * 50.0, rng.randrange(0, 20) * 40.0
                w, h = 50.0, 40.0
            else:
                x, y = rng.uniform(-400, 400), rng.uniform(-400, 400)
                w, h = rng.choice([(36, 36), (100, 80), (300, 200), (0, 0), (10, 400)])
            boxes.append((x, y, x + w, y + h))
        exempt = (lambda i, j: (i + j) % 5 == 0) if round_ % 2 else None
        expected: list = [None] * len(boxes)
        overlap._grid(boxes, range(len(boxes)), exempt, expected, None)
        assert overlap.find_overlaps(boxes, exempt) == expected, boxes


def test_shape_bounds_in_bulk_match_each_shape_bounds() -> None:
    from bpmn_cx.model import shape_bounds

    data = synthetic_model(40, lanes=2, parallel_every=4, decision_every=3, di=True)
    one_by_one = [(b.x, b.y, b.width, b.height) if (b := s.bounds) is not None else None
                  for s in bpmn_cx.load(data).shapes]
    model = bpmn_cx.load(data)
    assert shape_bounds(model.shapes) == one_by_one
    # the tuples read in bulk are what Shape.bounds then gives as objects
    assert [(b.x, b.y, b.width, b.height) for s in model.shapes if (b := s.bounds) is not None] == \
        [box for box in one_by_one if box is not None]


# -- no-overlapping-elements: the rule ------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_20k() -> Model:
    return bpmn_cx.load(synthetic_model(20000, parallel_every=7, decision_every=11))


def test_no_overlap_on_20k_synthetic_model_with_linear_work(synthetic_20k: Model) -> None:
    stats = overlap.OverlapStats()
    problems = list(overlap.check_with_stats(synthetic_20k, stats))
    assert problems == []
    # every flow node and the pool took part ...
    assert stats.shapes == len(synthetic_20k.flow_nodes) + len(synthetic_20k.participants)
    assert stats.shapes > 20000
    # ... and the work grew with the shapes, not with the pairs (~4*10^8)
    assert stats.comparisons <= 4 * stats.shapes


def test_no_overlap_reports_the_shape_line_and_the_other_element() -> None:
    model = doc(
        '<bpmn:task id="A" name="Alpha"/><bpmn:task id="B" name="Beta"/>',
        di=shape("A", 0, 0, 100, 80) + "\n\n" + shape("B", 50, 40, 100, 80),
    )
    problems = {element_id(p): p for p in run("no-overlapping-elements", model)}
    assert set(problems) == {"A", "B"}
    assert problems["B"].line == model.shape("B").line != model.get("B").line
    assert "'Alpha' overlaps task 'Beta'" in problems["A"].message


def test_no_overlap_ignores_unusable_bounds() -> None:
    model = doc(
        '<bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/><bpmn:task id="C" name="c"/>',
        di=shape("A", "NaN", 0, 100, 80) + shape("B", 0, 0, "INF", 80) + shape("C", 0, 0, 100, 80),
    )
    assert reported("no-overlapping-elements", model) == []


def test_no_overlap_negative_size_is_a_rectangle_too() -> None:
    model = doc(
        '<bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/>',
        di=shape("A", 100, 80, -100, -80) + shape("B", 50, 40, 100, 80),
    )
    assert reported("no-overlapping-elements", model) == ["A", "B"]


def test_no_overlap_duplicate_ids_use_the_resolved_element_only() -> None:
    # three data object references share an id; the one shape draws the first
    model = doc(
        '<bpmn:dataObject id="DO"/>'
        + '<bpmn:dataObjectReference id="R" dataObjectRef="DO"/>' * 3,
        di=shape("R", 0, 0, 36, 50),
    )
    assert reported("no-overlapping-elements", model) == []


def test_no_overlap_finds_shapes_with_prefixed_references() -> None:
    di = shape("A", 0, 0, 100, 80).replace('bpmnElement="A"', 'bpmnElement="tns:A"') + shape("B", 50, 0, 100, 80)
    model = bpmn_cx.load(
        f'<bpmn:definitions {_NS} xmlns:tns="http://bpmn-cx.example/tests" id="Defs">'
        '<bpmn:process id="P"><bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/></bpmn:process>'
        f'<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="PL" bpmnElement="P">{di}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>".encode()
    )
    assert reported("no-overlapping-elements", model) == ["A", "B"]


def test_no_overlap_sub_process_without_is_expanded_does_not_frame_its_content() -> None:
    body = '<bpmn:subProcess id="S" name="s"><bpmn:task id="T" name="t"/></bpmn:subProcess>'
    inner = shape("T", 500, 500, 100, 80)
    assert reported("no-overlapping-elements", doc(body, di=shape("S", 0, 0, 300, 200) + inner)) == []
    expanded = shape("S", 0, 0, 300, 200, ' isExpanded="true"') + inner
    assert reported("no-overlapping-elements", doc(body, di=expanded)) == ["T"]


def test_no_overlap_deeply_nested_sub_processes() -> None:
    depth = 200  # libxml2 limits nesting to 256 levels without XML_PARSE_HUGE
    body = "".join(f'<bpmn:subProcess id="S{i}" name="s">' for i in range(depth))
    body += '<bpmn:task id="T" name="t"/>' + "</bpmn:subProcess>" * depth
    di = "".join(shape(f"S{i}", i, i, 1000 - 2 * i, 1000 - 2 * i, ' isExpanded="true"') for i in range(depth))
    di += shape("T", 400, 400, 100, 80)
    model = doc(body, di=di)
    assert reported("no-overlapping-elements", model) == []
    for rule_id in BATCH:
        run(rule_id, model)  # no rule recurses per node


# -- standard-size ------------------------------------------------------------------------------------


def test_standard_size_nan_is_non_standard_and_line_is_the_shape() -> None:
    model = doc('<bpmn:task id="T" name="t"/>', di="\n" + shape("T", 0, 0, "NaN", 80))
    (problem,) = run("standard-size", model)
    assert element_id(problem) == "T"
    assert problem.line == model.shape("T").line


def test_standard_size_empty_size_or_non_numbers_skip_a_type() -> None:
    model = doc('<bpmn:task id="T" name="t"/>', di=shape("T", 0, 0, 10, 10))
    assert reported("standard-size", model, {"bpmn:Task": {}}) == []
    assert reported("standard-size", model, {"bpmn:Task": {"width": True, "height": "80"}}) == []
    assert reported("standard-size", model, {"bpmn:Task": {"width": 10}}) == []
    assert reported("standard-size", model, {"bpmn:Task": {"height": 11}}) == ["T"]


def test_standard_size_tolerance() -> None:
    model = doc('<bpmn:task id="T" name="t"/>', di=shape("T", 0, 0, 102, 78))
    assert reported("standard-size", model, {"tolerance": 1}) == ["T"]
    assert reported("standard-size", model, {"tolerance": 2}) == []


def test_standard_size_each_shape_of_an_element_is_checked() -> None:
    diagrams = "".join(
        f'<bpmndi:BPMNDiagram id="D{i}"><bpmndi:BPMNPlane id="PL{i}" bpmnElement="P">'
        + shape("T", 0, 0, 120, 80).replace('id="T_di"', f'id="T_di{i}"')
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        for i in range(2)
    )
    model = bpmn_cx.load(
        f'<bpmn:definitions {_NS} id="Defs"><bpmn:process id="P"><bpmn:userTask id="T" name="t"/>'
        f"</bpmn:process>{diagrams}</bpmn:definitions>".encode()
    )
    assert reported("standard-size", model) == ["T", "T"]


def test_standard_size_message_explains_a_missing_is_expanded() -> None:
    model = doc('<bpmn:subProcess id="S" name="Review"/>', di=shape("S", 0, 0, 400, 300))
    (problem,) = run("standard-size", model)
    assert "isExpanded" in problem.message and "400 x 300" in problem.message


# -- start events -----------------------------------------------------------------------------------


def test_start_event_required_inside_an_ad_hoc_sub_process_still_applies_to_nested_ones() -> None:
    model = doc(
        '<bpmn:startEvent id="S" name="s"/>'
        '<bpmn:adHocSubProcess id="AH" name="ah"><bpmn:subProcess id="Inner" name="i">'
        '<bpmn:task id="T" name="t"/></bpmn:subProcess></bpmn:adHocSubProcess>'
    )
    assert reported("start-event-required", model) == ["Inner"]


def test_single_blank_start_event_message_names_the_events() -> None:
    model = doc('<bpmn:startEvent id="A" name="Walk-in"/><bpmn:startEvent id="B"/>')
    (problem,) = run("single-blank-start-event", model)
    assert element_id(problem) == "P"
    assert "'Walk-in'" in problem.message and "'B'" in problem.message


def test_sub_process_blank_start_event_in_nested_event_sub_process_is_fine() -> None:
    model = doc(
        '<bpmn:subProcess id="S" name="s"><bpmn:startEvent id="S0"/>'
        '<bpmn:subProcess id="E" name="e" triggeredByEvent="true">'
        '<bpmn:startEvent id="E0" name="t"><bpmn:timerEventDefinition/></bpmn:startEvent></bpmn:subProcess>'
        '<bpmn:subProcess id="N" name="n"><bpmn:startEvent id="N0" name="m"><bpmn:messageEventDefinition/>'
        "</bpmn:startEvent></bpmn:subProcess></bpmn:subProcess>"
    )
    assert reported("sub-process-blank-start-event", model) == ["N0"]


def test_single_event_definition_counts_only_own_definitions() -> None:
    model = doc(
        '<bpmn:startEvent id="S" name="s"><bpmn:timerEventDefinition/></bpmn:startEvent>'
        '<bpmn:endEvent id="E" name="e"><bpmn:terminateEventDefinition/><bpmn:terminateEventDefinition/></bpmn:endEvent>'
    )
    problems = run("single-event-definition", model)
    assert [element_id(p) for p in problems] == ["E"]
    assert "terminate, terminate" in problems[0].message


# -- superfluous-termination / superfluous-label / no-inclusive-gateway -----------------------------


def test_superfluous_termination_found_from_source_refs_alone() -> None:
    # no <incoming>/<outgoing> children: the flows' sourceRef tells the ends
    model = doc(
        '<bpmn:startEvent id="S" name="s"/><bpmn:task id="T" name="t"/>'
        '<bpmn:endEvent id="E" name="e"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E"/>'
    )
    assert reported("superfluous-termination", model) == ["E"]


def test_superfluous_termination_any_other_end_keeps_it_silent() -> None:
    # a stray start event without outgoing flow is another "end" of the basic check
    model = doc(
        '<bpmn:startEvent id="S" name="s"/><bpmn:startEvent id="Stray" name="x"/>'
        '<bpmn:endEvent id="E" name="e"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="E"/>'
    )
    assert reported("superfluous-termination", model) == []


def test_superfluous_label_default_and_dangling_flows() -> None:
    model = doc(
        '<bpmn:exclusiveGateway id="G" default="f1"/><bpmn:task id="A" name="a"/>'
        '<bpmn:sequenceFlow id="f1" name="otherwise" sourceRef="G" targetRef="A"/>'
        '<bpmn:sequenceFlow id="f2" name="then" sourceRef="Nowhere" targetRef="A"/>'
    )
    # the default flow of a gateway that does not split still may carry a label
    assert reported("superfluous-label", model) == ["f2"]


def test_no_inclusive_gateway_reports_every_inclusive_gateway_only() -> None:
    model = doc(
        '<bpmn:inclusiveGateway id="I1"/><bpmn:exclusiveGateway id="X"/>'
        '<bpmn:subProcess id="S"><bpmn:inclusiveGateway id="I2"/></bpmn:subProcess>'
    )
    assert reported("no-inclusive-gateway", model) == ["I1", "I2"]


# -- scale ------------------------------------------------------------------------------------------------


def test_all_batch_rules_are_silent_on_a_clean_20k_model(synthetic_20k: Model) -> None:
    for rule_id in BATCH:
        problems = run(rule_id, synthetic_20k)
        assert problems == [], (rule_id, problems[:3])


def test_every_fixture_problem_has_finite_numbers_in_messages() -> None:
    # guard against "nan"/"inf" leaking into the standard-size wording for normal input
    model = bpmn_cx.load(RULES_DIR / "standard-size" / "invalid-non-standard-sizes.bpmn")
    for problem in run("standard-size", model):
        assert "nan" not in problem.message.lower()
        numbers = [float(t) for t in problem.message.replace(";", " ").split() if t.replace(".", "").isdigit()]
        assert numbers and all(math.isfinite(n) for n in numbers)
