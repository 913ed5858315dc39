"""The customer view: fixtures with expected outcomes, invariants, layout, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.customer import CustomerNotFound, View, customer_view, plan_view
from bpmn_cx.synthetic import synthetic_model
from helpers.bpmn_text import HEAD, lanes_doc
from helpers.view_checks import all_problems, layout_problems

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ROOT / "fixtures" / "views"
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
FIXTURES = sorted(p.stem for p in VIEWS.glob("*.bpmn"))


def load_expected(name: str) -> dict:
    return json.loads((VIEWS / f"{name}.expected.json").read_text(encoding="utf-8"))


def view_of(path: Path, **kw) -> View:
    return customer_view(bpmn_cx.load(path), **kw)


def test_every_fixture_has_an_expected_outcome_and_a_scenario() -> None:
    assert len(FIXTURES) >= 8
    for name in FIXTURES:
        assert (VIEWS / f"{name}.expected.json").is_file(), name
        assert "<!-- scenario:" in (VIEWS / f"{name}.bpmn").read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_outcome(name: str) -> None:
    expected = load_expected(name)
    view = view_of(VIEWS / f"{name}.bpmn", **expected.get("options", {}))
    plan = view.plan
    assert [e.id for e in view.customer.elements] == expected["customer"]
    assert [lane.id for lane in view.kept_lanes] == expected["kept_lanes"]
    assert [lane.id for lane in view.pruned_lanes] == expected["pruned_lanes"]
    for lane_id, role in expected.get("lane_roles", {}).items():
        assert plan.lane_roles[lane_id] == role
    assert sorted(n.id for n in plan.kept_nodes) == sorted(expected["kept_nodes"])
    touchpoints = [
        [t.id, t.direction, t.customer_end.id, t.provider_end.id, t.lane.id if t.lane else None]
        for t in view.touchpoints
    ]
    assert touchpoints == expected["touchpoints"]
    assert [t.id for t in view.analysis.unowned_touchpoints] == expected["unowned_touchpoints"]
    placeholders = sorted((sorted(n.id for n in p.hidden), p.name) for p in view.placeholders)
    assert placeholders == sorted((sorted(p["hides"]), p["name"]) for p in expected["placeholders"])
    for want in expected["placeholders"]:
        if "boundary_events" in want:
            got = next(p for p in view.placeholders if sorted(n.id for n in p.hidden) == sorted(want["hides"]))
            assert len(got.boundary_events) == want["boundary_events"]
    decisions = plan.internal_decisions
    assert [d.original.id for d in decisions] == [d["original"] for d in expected["internal_decisions"]]
    view_model = view.model
    for got, want in zip(decisions, expected["internal_decisions"]):
        assert got.name == want["name"]
        assert got.kind == "exclusiveGateway"
        outgoing = sorted(f.name for f in view_model.by_id[got.id].outgoing)
        assert outgoing == want["outgoing_names"]
        if "default_name" in want:
            assert view_model.by_id[got.id].default.name == want["default_name"]
    events = [e for r in plan.regions for e in r.events]
    assert [e.original.id for e in events] == [e["original"] for e in expected["internal_events"]]
    for got, want in zip(events, expected["internal_events"]):
        assert got.name == want["name"]
        node = view_model.by_id[got.id]
        assert node.triggers == [want["trigger"]]
        assert node.attached_to.id == got.attached_to.id
    assert [p.id for p in plan.kept_participants] == expected["kept_pools"]
    assert [p.id for p in plan.dropped_participants] == expected["dropped_pools"]
    if "kept_message_flows" in expected:
        assert [f.id for f in plan.kept_message_flows] == expected["kept_message_flows"]
        assert [f.id for f in plan.dropped_message_flows] == expected["dropped_message_flows"]
    for cycle in expected.get("cycles", []):
        # Each listed pair reaches each other in the view: the loop stayed a loop.
        from helpers.view_checks import reach_sets, scope_graph

        reach = reach_sets(scope_graph(view_model), cycle)
        assert cycle[1] in reach[cycle[0]] and cycle[0] in reach[cycle[1]]
    if "strict" in expected:
        strict = view_of(VIEWS / f"{name}.bpmn", strict=True)
        assert sorted(n.id for n in strict.plan.kept_nodes) == sorted(expected["strict"]["kept_nodes"])
        assert len(strict.placeholders) == expected["strict"]["placeholders"]


@pytest.mark.parametrize("name", [*FIXTURES, "credit-inquiry"])
@pytest.mark.parametrize("strict", [False, True])
def test_view_invariants(name: str, strict: bool) -> None:
    path = EXAMPLE if name == "credit-inquiry" else VIEWS / f"{name}.bpmn"
    assert all_problems(view_of(path, strict=strict)) == []


def test_the_credit_inquiry_example() -> None:
    view = view_of(EXAMPLE)
    assert [lane.id for lane in view.kept_lanes] == ["Lane_Customer", "Lane_Consultant"]
    assert [lane.id for lane in view.pruned_lanes] == ["Lane_BackOffice", "Lane_Manager"]
    (placeholder,) = view.placeholders
    assert placeholder.name == "Internal processing: 2 steps, 2 departments"
    (region,) = view.hidden_regions
    assert [n.id for n in region.nodes] == ["Task_CreditCheck", "Task_ManagerTalk"]
    assert region.single_entry_single_exit
    model = view.model
    node = model.by_id[placeholder.id]
    assert node.kind == "subProcess"
    assert "Task_CreditCheck" in node.documentation and "Check credit rating" in node.documentation
    assert "Task_ManagerTalk" in node.documentation
    # The flow that led into the hidden work keeps its id and now enters the placeholder.
    assert model.by_id["Flow_3"].target is node
    shape = model.shape(placeholder.id)
    assert shape.is_expanded is False
    lane = model.by_id[view.plan.visibility_lanes[0].id]
    assert lane.name == "Behind the line of visibility"
    assert [n.id for n in lane.nodes] == [placeholder.id]


def test_placeholder_ids_are_stable_hashes_of_what_they_hide() -> None:
    first = view_of(EXAMPLE).placeholders[0].id
    # Renaming a visible element does not change the placeholder's id.
    data = EXAMPLE.read_bytes().replace(b'name="Consulting talk"', b'name="Advice"')
    second = customer_view(bpmn_cx.load(data)).placeholders[0].id
    assert first == second and first.startswith("Placeholder_")
    # Hiding other elements does.
    third = customer_view(bpmn_cx.load(EXAMPLE), strict=True).placeholders
    assert any(p.id != first for p in third) or len(third) == 1


def test_same_input_same_bytes_across_processes() -> None:
    """Hash randomisation must not leak into the output (set order, dict order)."""
    code = (
        "import sys, bpmn_cx; from bpmn_cx.customer import customer_view; "
        "sys.stdout.buffer.write(customer_view(bpmn_cx.load(sys.argv[1])).to_bytes())"
    )
    outputs = set()
    for path in (VIEWS / "customer-pool.bpmn", VIEWS / "internal-decision.bpmn"):
        runs = []
        for seed in ("1", "2", "3"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            runs.append(subprocess.run([sys.executable, "-c", code, str(path)], env=env,
                                       capture_output=True, check=True).stdout)
        assert runs[0] == runs[1] == runs[2]
        assert runs[0] == view_of(path).to_bytes()
        outputs.add(runs[0])
    assert len(outputs) == 2


def test_layout_follows_lovem() -> None:
    view = view_of(VIEWS / "customer-pool.bpmn")
    model = view.model
    box = {s.element.id: s.bounds for s in model.shapes if s.element is not None}
    # The customer's pool on top, the provider's below it.
    assert box["Pool_Guest"].bottom <= box["Pool_Restaurant"].y
    # Kept lanes stacked in their original order, the line of visibility last.
    visibility = view.plan.visibility_lanes[0].id
    assert box["Lane_Waiter"].bottom == box["Lane_Accounting"].y
    assert box["Lane_Accounting"].bottom == box[visibility].y
    assert box[visibility].bottom == box["Pool_Restaurant"].bottom
    # Kept shapes keep their x order; nodes sit in their lanes.
    original = bpmn_cx.load(VIEWS / "customer-pool.bpmn")
    kept = [n.id for n in view.plan.kept_nodes]
    assert sorted(kept, key=lambda i: original.shape(i).bounds.x) == sorted(kept, key=lambda i: box[i].x)
    assert layout_problems(model) == []


def test_the_customer_lane_goes_on_top() -> None:
    # The customer lane is drawn last in the original; the view puts it first.
    data = (VIEWS / "bank-branch.bpmn").read_bytes()
    model = bpmn_cx.load(data)
    lane_y = {lane.id: model.shape(lane.id).bounds.y for lane in model.lanes}
    assert lane_y["Lane_Customer"] < lane_y["Lane_Teller"]
    swapped = data.replace(b'bpmnElement="Lane_Customer" isHorizontal="true">\n        <dc:Bounds x="130" y="60"',
                           b'bpmnElement="Lane_Customer" isHorizontal="true">\n        <dc:Bounds x="130" y="620"')
    assert swapped != data
    view = customer_view(bpmn_cx.load(swapped))
    out = view.model
    assert out.shape("Lane_Customer").bounds.y < out.shape("Lane_Teller").bounds.y


def test_placeholders_are_centred_over_what_they_replace() -> None:
    original = bpmn_cx.load(VIEWS / "single-entry-exit.bpmn")
    view = customer_view(original)
    (placeholder,) = view.placeholders
    spans = [original.shape(n.id).bounds for n in placeholder.hidden]
    centre = (min(b.x for b in spans) + max(b.right for b in spans)) / 2
    got = view.model.shape(placeholder.id).bounds
    assert abs(got.x + got.width / 2 - centre) <= 1


def test_overlapping_placeholders_get_rows_of_their_own() -> None:
    view = view_of(VIEWS / "internal-decision.bpmn")
    model = view.model
    synthetic = [model.shape(s.id).bounds for s in view.plan.synthetic_nodes if s.role != "event"]
    for i, a in enumerate(synthetic):
        for b in synthetic[i + 1:]:
            assert not a.overlaps(b)


def test_a_model_without_di_gets_a_complete_diagram() -> None:
    data = synthetic_model(40, lanes=4, customer_lane=True, di=False, decision_every=6)
    view = customer_view(bpmn_cx.load(data))
    assert view.placeholders
    assert all_problems(view) == []
    model = view.model
    assert len(model.diagrams) == 1
    assert all(model.shape(n.id) is not None for n in model.flow_nodes)


def test_pools_left_with_nothing_are_dropped_with_their_messages() -> None:
    view = view_of(VIEWS / "customer-pool.bpmn")
    model = view.model
    assert "Pool_Supplier" not in model.all_ids
    assert "Msg_Produce" not in model.all_ids
    assert model.by_id["Msg_Complaint"].target.id == "Pool_Restaurant"


def test_no_customer_is_an_error_with_a_message() -> None:
    data = lanes_doc([("A", "Sales", ["T"]), ("B", "Shipping", [])], [("T", "task")], [])
    with pytest.raises(CustomerNotFound, match="Sales"):
        customer_view(bpmn_cx.load(data))


def test_view_object_api() -> None:
    source = bpmn_cx.load(EXAMPLE)
    view = customer_view(source, ["Lane_Customer"], lane_name="Backstage")
    assert view.source is source
    assert view.customer.source == "explicit"
    assert isinstance(view.model, bpmn_cx.Model) and view.model.path is None
    assert view.plan.visibility_lanes[0].name == "Backstage"
    assert "Backstage" in view.to_bytes().decode()
    summary = view.to_dict()
    assert summary["summary"]["placeholders"] == 1
    assert summary["file"] == str(EXAMPLE)
    assert summary["hidden_regions"][0]["nodes"] == ["Task_CreditCheck", "Task_ManagerTalk"]
    assert view.to_mermaid().startswith("flowchart LR")
    assert "Placeholder" in repr(view) or "placeholder" in repr(view)
    # The plan alone is pure data: no XML is built for it.
    plan = plan_view(source)
    assert [n.id for n in plan.hidden_nodes] == ["Task_CreditCheck", "Task_ManagerTalk"]


def test_kept_elements_keep_their_extensions_and_documentation() -> None:
    data = EXAMPLE.read_bytes().replace(
        b'<bpmn:userTask id="Task_Consulting" name="Consulting talk">',
        b'<bpmn:userTask id="Task_Consulting" name="Consulting talk"><bpmn:documentation>talk</bpmn:documentation>'
        b'<bpmn:extensionElements><x:prop xmlns:x="http://example.com/x" value="1"/></bpmn:extensionElements>',
    )
    view = customer_view(bpmn_cx.load(data))
    node = view.model.by_id["Task_Consulting"]
    assert node.documentation == "talk"
    assert b'<x:prop xmlns:x="http://example.com/x" value="1"/>' in view.to_bytes()
    assert all_problems(view) == []


def test_data_and_annotations_of_hidden_work_go_with_it() -> None:
    data = EXAMPLE.read_bytes().replace(
        b'<bpmn:sequenceFlow id="Flow_1"',
        b'<bpmn:textAnnotation id="Note_Hidden"><bpmn:text>internal</bpmn:text></bpmn:textAnnotation>'
        b'<bpmn:association id="Assoc_Hidden" sourceRef="Task_CreditCheck" targetRef="Note_Hidden"/>'
        b'<bpmn:textAnnotation id="Note_Kept"><bpmn:text>visible</bpmn:text></bpmn:textAnnotation>'
        b'<bpmn:association id="Assoc_Kept" sourceRef="Task_Consulting" targetRef="Note_Kept"/>'
        b'<bpmn:sequenceFlow id="Flow_1"',
    )
    # XSD order: artifacts follow the flow elements.
    model = bpmn_cx.load(data)
    view = customer_view(model)
    out = view.model
    assert "Note_Hidden" not in out.all_ids and "Assoc_Hidden" not in out.all_ids
    assert "Note_Kept" in out.by_id and out.by_id["Assoc_Kept"].source.id == "Task_Consulting"
    assert not [d for d in out.diagnostics if d.code == "dangling-reference"]


def test_a_hidden_sub_process_takes_its_contents_along() -> None:
    data = lanes_doc(
        [("C", "Customer", ["A", "Z"]), ("D", "Desk", ["B", "Y"]), ("X", "Backoffice", ["S"])],
        [("A", "task"), ("B", "task"), ("Y", "task"), ("Z", "endEvent")],
        [("A", "B"), ("B", "S"), ("S", "Y"), ("Y", "Z")],
    ).replace(
        b'<bpmn:task id="Y"',
        b'<bpmn:subProcess id="S" name="Check"><bpmn:startEvent id="S1"/><bpmn:task id="S2" name="inner"/>'
        b'<bpmn:task id="S3" name="inner 2"/>'
        b'<bpmn:sequenceFlow id="SF1" sourceRef="S1" targetRef="S2"/>'
        b'<bpmn:sequenceFlow id="SF2" sourceRef="S2" targetRef="S3"/></bpmn:subProcess><bpmn:task id="Y"',
    )
    view = customer_view(bpmn_cx.load(data))
    (placeholder,) = view.placeholders
    assert [n.id for n in placeholder.hidden] == ["S"]
    assert placeholder.steps == 2  # the sub-process's two tasks (its start event is no step)
    assert placeholder.name == "Internal processing: 2 steps, 1 department"
    assert "S2" in placeholder.documentation
    out = view.model
    assert not {"S", "S1", "S2", "S3", "SF1"} & out.all_ids
    assert all_problems(view) == []


def test_a_kept_expanded_sub_process_hides_work_inside_it() -> None:
    data = (
        HEAD
        + '<bpmn:process id="P"><bpmn:laneSet id="LS">'
        '<bpmn:lane id="C" name="Customer"><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="D" name="Desk"><bpmn:flowNodeRef>S</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="X" name="Backoffice"><bpmn:flowNodeRef>S2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
        '<bpmn:task id="A"/>'
        '<bpmn:subProcess id="S"><bpmn:startEvent id="S1"/><bpmn:task id="S2"/><bpmn:endEvent id="S3"/>'
        '<bpmn:sequenceFlow id="SF1" sourceRef="S1" targetRef="S2"/>'
        '<bpmn:sequenceFlow id="SF2" sourceRef="S2" targetRef="S3"/></bpmn:subProcess>'
        '<bpmn:sequenceFlow id="F1" sourceRef="A" targetRef="S"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()
    view = customer_view(bpmn_cx.load(data))
    (placeholder,) = view.placeholders
    assert placeholder.scope.id == "S" and [n.id for n in placeholder.hidden] == ["S2"]
    out = view.model
    assert out.by_id[placeholder.id].scope.id == "S"
    assert [f.target.id for f in out.by_id["S1"].outgoing] == [placeholder.id]
    assert all_problems(view) == []


def test_a_provider_pool_without_lanes_gets_placeholders_but_no_synthetic_lane() -> None:
    data = (
        HEAD
        + '<bpmn:collaboration id="C"><bpmn:participant id="PC" name="Customer"/>'
        '<bpmn:participant id="PP" name="Shop" processRef="P"/>'
        '<bpmn:messageFlow id="M1" sourceRef="PC" targetRef="A"/>'
        '<bpmn:messageFlow id="M2" sourceRef="D" targetRef="PC"/></bpmn:collaboration>'
        '<bpmn:process id="P"><bpmn:startEvent id="S"/><bpmn:task id="A" name="Take order"/>'
        '<bpmn:task id="B" name="Pick"/><bpmn:task id="B2" name="Pack"/><bpmn:task id="D" name="Ship"/>'
        '<bpmn:endEvent id="E"/><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="A"/>'
        '<bpmn:sequenceFlow id="F2" sourceRef="A" targetRef="B"/><bpmn:sequenceFlow id="F3" sourceRef="B" targetRef="B2"/>'
        '<bpmn:sequenceFlow id="F4" sourceRef="B2" targetRef="D"/><bpmn:sequenceFlow id="F5" sourceRef="D" targetRef="E"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()
    view = customer_view(bpmn_cx.load(data))
    assert [n.id for n in view.plan.kept_nodes] == ["S", "A", "D", "E"]
    assert [p.name for p in view.placeholders] == ["Internal processing: 2 steps"]
    assert view.plan.visibility_lanes == []
    assert all_problems(view) == []
    pool = view.model.shape("PP").bounds
    assert pool.contains(view.model.shape(view.placeholders[0].id).bounds)
    # The customer's black-box pool is drawn on top.
    assert view.model.shape("PC").bounds.bottom <= pool.y


def test_entities_of_the_input_doctype_stay_declared() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE definitions [<!ENTITY co "ACME Corp">]>\n'
        + lanes_doc([("C", "Customer", ["A"]), ("L", "Desk", ["B"])], [("A", "task"), ("B", "task")],
                    [("A", "B")]).split(b"?>\n", 1)[1].replace(b'name="task A"', b'name="Ask &co;"')
    )
    view = customer_view(bpmn_cx.load(data))
    out = view.to_bytes()
    assert b"<!ENTITY co" in out
    assert bpmn_cx.load(out).by_id["A"].name == "Ask ACME Corp"
    assert view.tree.getroot().get("id") == "Defs"
