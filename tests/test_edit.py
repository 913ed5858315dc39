"""The editing API: references stay consistent, output stays XSD-valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx import edit
from bpmn_cx.edit import EditError
from bpmn_cx.model import Bounds, FlowNode, Model, SubProcess
from bpmn_cx.validation import validate
from bpmn_cx.writer import dumps

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
ORDERS = ROOT / "fixtures" / "roundtrip" / "order-handling.bpmn"
FIXTURES = ROOT / "fixtures" / "roundtrip"


def check(model: Model, *, original_diagnostics: list | None = None) -> bytes:
    """Written, XSD-valid, reloads to the same structure, no new diagnostics."""
    out = dumps(model)
    result = validate(out)
    assert result.errors == [], [str(e) for e in result.errors[:5]]
    assert edit.consistency_problems(model) == []
    again = bpmn_cx.load(out)
    before = {(d.code, d.element_id) for d in (original_diagnostics or [])}
    assert {(d.code, d.element_id) for d in again.diagnostics} <= before
    return out


def element_xml(data: bytes) -> dict[str, str]:
    """Every element with an id, as its canonical XML (for 'the rest is intact')."""
    from lxml import etree

    tree = bpmn_cx.load(data).tree
    return {
        el.get("id"): etree.tostring(el, method="c14n")
        for el in tree.iter()
        if isinstance(el.tag, str) and el.get("id")
    }


def mentions(data: bytes, element_id: str) -> bool:
    return re.search(rb"[>\"\s]" + re.escape(element_id.encode()) + rb"[<\"\s]", data) is not None


# -- the acceptance scenario: delete a lane's nodes ---------------------------------------------


def test_delete_back_office_lane_from_credit_inquiry() -> None:
    model = bpmn_cx.load(EXAMPLE)
    before = element_xml(EXAMPLE.read_bytes())
    lane = next(lane for lane in model.lanes if lane.name == "Back office")
    removed_nodes = [n.id for n in lane.nodes]
    removed_flows = [f.id for n in lane.nodes for f in (*n.incoming, *n.outgoing)]
    assert removed_nodes == ["Task_CreditCheck"] and sorted(removed_flows) == ["Flow_3", "Flow_4"]
    edit.remove_lane(model, lane, remove_nodes=True)
    out = check(model)
    for gone in [*removed_nodes, *removed_flows, "Lane_BackOffice"]:
        assert not mentions(out, gone), gone
        assert gone not in model.by_id and gone not in model.all_ids
    assert model.shape("Task_CreditCheck") is None and model.edge("Flow_3") is None
    consulting, manager = model.node("Task_Consulting"), model.node("Task_ManagerTalk")
    assert consulting.outgoing == [] and manager.incoming == []
    after = element_xml(out)
    touched = {"Lane_BackOffice", "LaneSet_Branch", "Process_CreditInquiry", "Task_Consulting",
               "Task_ManagerTalk", "Plane_CreditInquiry", "Diagram_CreditInquiry", "Definitions_CreditInquiry"}
    gone_di = {f"{i}_di" for i in [*removed_nodes, *removed_flows, "Lane_BackOffice"]}
    for key, xml in before.items():
        if key in touched or key in gone_di or key in removed_nodes or key in removed_flows:
            continue
        assert after.get(key) == xml, key  # every other element exactly as it was


def test_delete_lanes_from_order_handling() -> None:
    model = bpmn_cx.load(ORDERS)
    fulfilment = next(lane for lane in model.lanes if lane.name == "Fulfilment")
    inside = {n.id for lane in [fulfilment, *fulfilment.child_lanes] for n in lane.nodes}
    assert inside == {"Sub_Fulfil", "Boundary_Late", "Task_Ship"}
    edit.remove_lane(model, fulfilment, remove_nodes=True)
    out = check(model)
    # the sub-process content, its boundary events and the flows touching it all went
    for gone in ["Sub_Fulfil", "Task_Pick", "Boundary_OutOfStock", "Flow_S4", "Boundary_Late", "Flow_5",
                 "Task_Ship", "Message_Parcel", "Flow_Yes", "Lane_Warehouse", "LaneSet_Fulfilment"]:
        assert not mentions(out, gone), gone
    assert [lane.id for lane in model.lanes] == ["Lane_Sales", "Lane_Finance"]
    gateway = model.node("Gateway_OrderOk")
    assert [f.id for f in gateway.outgoing] == ["Flow_No"] and gateway.default.id == "Flow_No"
    assert model.node("Task_Apologise").incoming == []
    assert {f.id for f in model.message_flows} == {"Message_PlaceOrder", "Message_Rejection",
                                                  "Message_Invoice", "Message_Apology"}
    # and then the sales lane: the data object's association and the annotation go with its task
    sales = next(lane for lane in model.lanes if lane.name == "Sales")
    edit.remove_lane(model, sales, remove_nodes=True)
    out = check(model)
    for gone in ["Task_Check", "DataOutput_Order", "Association_Check", "Message_PlaceOrder", "Start_Order",
                 "Task_Apologise", "Message_Apology"]:
        assert not mentions(out, gone), gone
    assert model.get("Annotation_Check") is not None  # the annotation itself stays
    assert model.get("DataRef_Order") is not None  # and so does the data object
    assert [n.id for n in model.flow_nodes] == ["Task_Invoice", "End_Done"]
    assert {f.id for f in model.message_flows} == {"Message_Invoice"}


def test_remove_lane_keeping_nodes_moves_them_to_the_parent_lane() -> None:
    model = bpmn_cx.load(ORDERS)
    warehouse = next(lane for lane in model.lanes if lane.name == "Warehouse")
    edit.remove_lane(model, warehouse)
    check(model)
    fulfilment = next(lane for lane in model.lanes if lane.name == "Fulfilment")
    assert [n.id for n in fulfilment.nodes] == ["Sub_Fulfil", "Boundary_Late"]
    assert model.node("Task_Pick").lane is fulfilment  # inherited through the sub-process
    assert model.node("Boundary_OutOfStock").lane is fulfilment


def test_remove_last_child_lane_drops_the_child_lane_set() -> None:
    model = bpmn_cx.load(ORDERS)
    for name in ("Warehouse", "Shipping"):
        edit.remove_lane(model, next(lane for lane in model.lanes if lane.name == name))
    out = check(model)
    assert b"childLaneSet" not in out
    fulfilment = model.get("Lane_Fulfilment")
    assert fulfilment.child_lanes == [] and {n.id for n in fulfilment.nodes} == {"Sub_Fulfil", "Boundary_Late", "Task_Ship"}


# -- nodes -----------------------------------------------------------------------------------


def test_remove_node_cleans_every_reference() -> None:
    model = bpmn_cx.load(ORDERS)
    edit.remove_node(model, model.node("Task_Pick"))
    out = check(model)
    assert model.node("Boundary_OutOfStock") is None  # attached to it
    assert model.node("Task_Backorder") is not None  # downstream of the boundary event: stays
    assert model.node("Task_Backorder").incoming == []
    assert [f.id for f in model.node("Sub_Start").outgoing] == []
    assert b"Flow_S1" not in out and b"Flow_S5" not in out
    sub = model.node("Sub_Fulfil")
    assert isinstance(sub, SubProcess)
    assert [n.id for n in sub.nodes] == ["Sub_Start", "Task_Pack", "Sub_End", "Task_Backorder"]
    assert [f.id for f in sub.flows] == ["Flow_S3", "Flow_S4"]


def test_removing_a_default_flow_removes_the_default_attribute() -> None:
    model = bpmn_cx.load(ORDERS)
    edit.remove_node(model, model.node("Task_Reject"))
    out = check(model)
    gateway = model.node("Gateway_OrderOk")
    assert gateway.default is None and "default" not in gateway.xml.attrib
    assert b'default="Flow_No"' not in out


def test_remove_nodes_in_one_pass() -> None:
    model = bpmn_cx.load(EXAMPLE)
    nodes = [n for n in model.flow_nodes if n.is_task]
    edit.remove_nodes(model, nodes)
    check(model)
    assert [n.kind for n in model.flow_nodes] == ["startEvent", "exclusiveGateway", "endEvent", "endEvent"]
    assert model.sequence_flows == []


DRILL_DOWN = (FIXTURES / "collapsed-subprocess.bpmn").read_bytes()


def test_removing_a_collapsed_subprocess_removes_its_drill_down_diagram() -> None:
    model = bpmn_cx.load(DRILL_DOWN)
    assert model.diagnostics == []
    edit.remove_node(model, model.node("Sub"))
    out = check(model)
    assert b"SubDiagram" not in out and b"Inner" not in out
    assert [d.id for d in model.diagrams] == ["Main"]
    # the data association reading the sub-process's data object went too
    assert b'id="In"' not in out and model.node("T").data_associations == []


def test_add_node_uses_the_documents_prefix_and_xsd_position() -> None:
    model = bpmn_cx.load(ORDERS)
    process = model.processes[0]
    lane = model.get("Lane_Finance")
    node = edit.add_node(model, process, "userTask", name="Call back", lane=lane, bounds=(1200, 620, 100, 80),
                         documentation="Phone the customer")
    out = check(model)
    assert node.id == "Activity_1" and node.lane is lane and node in lane.nodes
    assert model.shape(node.id).bounds == Bounds(1200, 620, 100, 80)
    children = [child.tag.rpartition("}")[2] for child in process.xml if isinstance(child.tag, str)]
    position = list(process.xml).index(node.xml)
    # after the last flow element, before the artifacts, as tProcess demands
    assert children[position - 1] == "sequenceFlow" and children[position + 1] == "textAnnotation"
    assert b'<bpmn:userTask id="Activity_1" name="Call back">\n      <bpmn:documentation>Phone the customer' in out
    assert b"<bpmn:flowNodeRef>Activity_1</bpmn:flowNodeRef>\n      </bpmn:lane>" in out


def test_add_node_in_default_namespace_is_unprefixed() -> None:
    model = bpmn_cx.load(FIXTURES / "default-namespace.bpmn")
    edit.add_node(model, model.processes[0], "task", name="Plain", lane=model.lanes[1], bounds=(500, 180, 100, 80))
    out = check(model)
    assert b'<task id="Activity_1" name="Plain" />' in out
    assert b"<flowNodeRef>Activity_1</flowNodeRef>" in out


def test_boundary_events_and_event_definitions() -> None:
    model = bpmn_cx.load(EXAMPLE)
    host = model.node("Task_Consulting")
    event = edit.add_node(model, host.scope, "boundaryEvent", name="Customer leaves", attached_to=host,
                          event_definition="message", attributes={"cancelActivity": "false"})
    end = edit.add_node(model, host.scope, "endEvent", name="Lost", lane=host.lane)
    edit.add_sequence_flow(model, event, end)
    out = check(model)
    assert event.attached_to is host and event in host.boundary_events
    assert event.lane is host.lane and event.triggers == ["message"] and not event.cancel_activity
    assert b'attachedToRef="Task_Consulting"' in out
    with pytest.raises(EditError):
        edit.add_node(model, host.scope, "boundaryEvent")  # no host
    with pytest.raises(EditError):
        edit.add_node(model, host.scope, "boundaryEvent", attached_to=model.node("Gateway_Decision"))
    with pytest.raises(EditError):
        edit.add_node(model, host.scope, "task", event_definition="timer")
    with pytest.raises(EditError):
        edit.add_node(model, host.scope, "notAKind")


def test_subprocess_placeholder_and_reconnecting_flows() -> None:
    model = bpmn_cx.load(EXAMPLE)
    consultant = next(lane for lane in model.lanes if lane.name == "Consultant")
    back_office = next(lane for lane in model.lanes if lane.name == "Back office")
    manager = next(lane for lane in model.lanes if lane.name == "Department manager")
    placeholder = edit.add_subprocess_placeholder(
        model, model.processes[0], name="Internal checks", documentation="Credit check and talk with the manager",
        lane=consultant, bounds=(620, 230, 100, 80))
    into = model.get("Flow_3")
    out_of = model.get("Flow_5")
    edit.reconnect(model, into, target=placeholder, waypoints=[(570, 270), (620, 270)])
    edit.reconnect(model, out_of, source=placeholder)
    for lane in (back_office, manager):
        edit.remove_lane(model, lane, remove_nodes=True)
    out = check(model)
    assert placeholder.incoming == [into] and placeholder.outgoing == [out_of]
    assert model.shape(placeholder.id).is_expanded is False
    assert placeholder.documentation == "Credit check and talk with the manager"
    assert b'<bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Consulting" targetRef="Activity_1" />' in out
    assert model.edge("Flow_3").waypoints == [(570, 270), (620, 270)]
    assert [n.name for n in model.flow_nodes if n.lane is None] == []


# -- flows ---------------------------------------------------------------------------------------


def test_add_sequence_flow_writes_incoming_outgoing_when_the_file_does() -> None:
    model = bpmn_cx.load(EXAMPLE)
    a, b = model.node("Task_Refusal"), model.node("Task_SignContract")
    flow = edit.add_sequence_flow(model, a, b, name="anyway", condition="${true}", waypoints=[(0, 0), (10, 10)])
    out = check(model)
    assert flow in a.outgoing and flow in b.incoming
    assert a.xml.findtext("{http://www.omg.org/spec/BPMN/20100524/MODEL}outgoing") is not None
    assert flow.condition == "${true}"
    # the file declares no xsi: prefix, so the new element does
    assert (b'<bpmn:conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            b'xsi:type="bpmn:tFormalExpression">${true}</bpmn:conditionExpression>') in out


def test_add_sequence_flow_without_incoming_outgoing_style() -> None:
    model = bpmn_cx.load(FIXTURES / "cdata.bpmn")  # no <incoming>/<outgoing> anywhere
    a, b = model.node("Script_1"), model.node("End_Small")
    flow = edit.add_sequence_flow(model, a, b, default=False)
    out = check(model)
    assert b"<bpmn:incoming>" not in out and b"<bpmn:outgoing>" not in out
    assert flow in b.incoming


def test_default_flow_and_invalid_flows() -> None:
    model = bpmn_cx.load(EXAMPLE)
    gateway = model.node("Gateway_Decision")
    flow = edit.add_sequence_flow(model, gateway, model.node("End_Refused"), default=True)
    check(model)
    assert gateway.default is flow and flow.is_default
    with pytest.raises(EditError):
        edit.add_sequence_flow(model, model.node("End_Refused"), gateway)  # from an end event
    other = bpmn_cx.load(ORDERS)
    with pytest.raises(EditError):  # across scopes
        edit.add_sequence_flow(other, other.node("Task_Pick"), other.node("Task_Ship"))


def test_message_flows() -> None:
    model = bpmn_cx.load(ORDERS)
    customer = model.get("Participant_Customer")
    flow = edit.add_message_flow(model, model.node("Task_Check"), customer, name="question",
                                 waypoints=[(300, 150), (300, 80)])
    check(model)
    assert flow in model.message_flows and flow.collaboration is model.collaborations[0]
    with pytest.raises(EditError):
        edit.add_message_flow(model, model.node("Task_Check"), model.node("Task_Ship"))  # same pool
    edit.remove_flow(model, flow)
    edit.remove_flow(model, model.get("Flow_7"))
    out = check(model)
    assert b"question" not in out and b"Flow_7" not in out
    assert model.node("Task_Invoice").incoming == []


# -- lanes -------------------------------------------------------------------------------------


def test_add_lanes_creates_lane_sets() -> None:
    model = bpmn_cx.load(FIXTURES / "prefixes.bpmn")  # no lanes at all
    process = model.processes[0]
    top = edit.add_lane(model, process, name="Everyone", bounds=(70, 50, 400, 200))
    child = edit.add_lane(model, top, name="Front")
    first = edit.add_lane(model, top, name="Back", index=0)
    edit.set_lane(model, model.node("Task_1"), child)
    edit.set_lane(model, model.node("Start_1"), first)
    out = check(model)
    assert [lane.name for lane in top.child_lanes] == ["Back", "Front"]
    assert model.node("Task_1").lane is child and model.node("End_1").lane is None
    assert b"<bpmn2:laneSet" in out and b"<bpmn2:childLaneSet" in out
    assert model.shape(top.id).is_horizontal is True
    edit.move_lane(model, first, 1)
    check(model)
    assert [lane.name for lane in top.child_lanes] == ["Front", "Back"]
    edit.set_lane(model, model.node("Task_1"), None)
    check(model)
    assert model.node("Task_1").lane is None and child.nodes == []


# -- DI -------------------------------------------------------------------------------------------


def test_move_shape_moves_label_and_edge_ends() -> None:
    model = bpmn_cx.load(ORDERS)
    start = model.node("Start_Order")
    edit.move_shape(model, start, 10, -5)
    check(model)
    assert model.shape("Start_Order").bounds == Bounds(192, 167, 36, 36)
    assert model.shape("Start_Order").label_bounds == Bounds(174, 210, 73, 14)
    assert model.edge("Flow_1").waypoints[0] == (228, 185)
    assert model.edge("Message_PlaceOrder").waypoints[-1] == (210, 167)


def test_bounds_waypoints_and_removing_di() -> None:
    model = bpmn_cx.load(EXAMPLE)
    edit.set_bounds(model, model.node("Task_Approval"), (1, 2, 3.5, 4))
    edit.set_waypoints(model, model.get("Flow_Yes"), [(0, 0), (5, 5), (9, 0)])
    out = check(model)
    assert b'<dc:Bounds x="1" y="2" width="3.5" height="4" />' in out
    assert model.edge("Flow_Yes").waypoints == [(0, 0), (5, 5), (9, 0)]
    edit.remove_shape(model, model.shape("Task_Approval"))
    edit.remove_edge(model, model.edge("Flow_Yes"))
    check(model)
    assert model.shape("Task_Approval") is None and model.node("Task_Approval") is not None
    with pytest.raises(EditError):
        edit.set_waypoints(model, model.get("Flow_No"), [(0, 0)])
    with pytest.raises(EditError):
        edit.set_bounds(model, model.node("Task_Approval"), (0, 0, 1, 1))  # no shape any more


def test_drawing_a_model_without_di_creates_a_diagram() -> None:
    model = bpmn_cx.load(FIXTURES / "cdata.bpmn")
    assert model.diagrams == []
    edit.add_shape(model, model.node("Start_1"), (100, 100, 36, 36))
    edit.add_edge(model, model.get("Flow_1"), [(136, 118), (200, 118)])
    out = check(model)
    assert len(model.diagrams) == 1 and model.diagrams[0].plane.element is model.processes[0]
    assert b'<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"' in out


# -- ids, names, documentation ---------------------------------------------------------------------


def test_ids_are_fresh_deterministic_and_never_reused() -> None:
    model = bpmn_cx.load(EXAMPLE)
    assert edit.new_id(model, "Flow") == "Flow_6"  # the first free one (Flow_6 and Flow_7 are not used)
    assert edit.new_id(model, "Flow") == "Flow_7"  # counting on, even if Flow_6 was not used
    assert edit.new_id(bpmn_cx.load(EXAMPLE), "Flow") == "Flow_6"  # the same on a fresh load
    edit.remove_flow(model, model.get("Flow_1"))
    assert "Flow_1" not in model.all_ids
    edit.remove_flow(model, model.get("Flow_8"))
    flow = edit.add_sequence_flow(model, model.node("Start_Visit"), model.node("Task_EnterBranch"))
    assert flow.id == "Flow_11"  # Flow_8 is free again, but retired: never handed out
    with pytest.raises(EditError):
        edit.add_node(model, model.processes[0], "task", id="Task_Approval")  # taken
    with pytest.raises(EditError):
        edit.add_node(model, model.processes[0], "task", id="1 bad id")
    node = edit.add_node(model, model.processes[0], "task", id="Flow_1")  # explicit: allowed
    assert model.get("Flow_1") is node
    check(model)


def test_names_and_documentation() -> None:
    model = bpmn_cx.load(EXAMPLE)
    task = model.node("Task_Approval")
    edit.set_name(model, task, 'Hand over <the> "approval" & smile')
    edit.set_documentation(model, task, "first")
    edit.set_documentation(model, task, "second")
    out = check(model)
    assert task.documentation == "second" and out.count(b"<bpmn:documentation>") == 1
    assert bpmn_cx.load(out).node("Task_Approval").name == 'Hand over <the> "approval" & smile'
    edit.set_name(model, task, None)
    edit.set_documentation(model, task, None)
    out = check(model)
    assert task.name is None and b'<bpmn:userTask id="Task_Approval">' in out


def test_consistency_problems_notices_edits_behind_the_apis_back() -> None:
    model = bpmn_cx.load(EXAMPLE)
    assert edit.consistency_problems(model) == []
    node = model.node("Task_Approval")
    node.xml.getparent().remove(node.xml)  # the XML changed, the indexes did not
    problems = edit.consistency_problems(model)
    assert any("Task_Approval" in p and "not in the document" in p for p in problems)


def test_new_nodes_in_a_subprocess_inherit_its_lane() -> None:
    model = bpmn_cx.load(ORDERS)
    sub = model.node("Sub_Fulfil")
    node = edit.add_node(model, sub, "task", name="Weigh parcel", bounds=(800, 420, 100, 50))
    check(model)
    assert node.lane is model.get("Lane_Warehouse") and node.scope is sub
    assert isinstance(node, FlowNode) and node in sub.nodes
