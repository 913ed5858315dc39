"""Touchpoints, onstage/backstage/support roles and the activity graph."""

from __future__ import annotations

from pathlib import Path

import bpmn_cx
from bpmn_cx.customer import ActivityGraph, CustomerAnalysis, find_customer, is_work_free
from bpmn_cx.synthetic import synthetic_model
from helpers.bpmn_text import HEAD, lanes_doc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
VIEWS = ROOT / "fixtures" / "views"


def analyse(source, customer=None) -> CustomerAnalysis:
    model = bpmn_cx.load(source)
    return CustomerAnalysis.build(model, find_customer(model, customer))


def ids(nodes) -> list[str]:
    return [n.id for n in nodes]


def test_the_bank_branch_example() -> None:
    a = analyse(EXAMPLE)
    assert [(t.id, t.direction, t.customer_end.id, t.provider_end.id) for t in a.touchpoints] == [
        ("Flow_2", "outbound", "Task_EnterBranch", "Task_Consulting"),
        ("Flow_8", "inbound", "Task_SignContract", "Task_Approval"),
        ("Flow_10", "inbound", "End_Refused", "Task_Refusal"),
    ]
    assert ids(a.onstage) == ["Task_Consulting", "Task_Approval", "Task_Refusal"]
    assert ids(a.backstage) == ["Gateway_Decision"]
    assert ids(a.support) == ["Task_CreditCheck", "Task_ManagerTalk"]
    assert ids(a.touchpoint_lanes) == ["Lane_Consultant"]
    assert a.unowned_touchpoints == []
    assert a.role(a.model.by_id["Task_EnterBranch"]) == "customer"
    assert all(t.lane.id == "Lane_Consultant" for t in a.touchpoints)
    assert a.to_dict()["roles"]["support"] == ["Task_CreditCheck", "Task_ManagerTalk"]


def test_a_gateway_in_another_lane_does_not_hide_a_touch() -> None:
    a = analyse(VIEWS / "gateway-in-other-lane.bpmn")
    touches = [(t.customer_end.id, t.provider_end.id, ids(t.via)) for t in a.touchpoints]
    assert touches == [
        ("Task_Bring", "Task_Weigh", ["Gateway_Route"]),
        ("Task_Bring", "Task_Bulky", ["Gateway_Route"]),
    ]
    assert [f.id for f in a.touchpoints[0].flows] == ["Flow_2", "Flow_Small"]
    assert a.touchpoints[0].id == "Task_Bring->Task_Weigh"
    assert ids(a.touchpoint_lanes) == ["Lane_Counter"]
    # The gateway itself is no touchpoint: it does no work.
    assert a.role(a.model.by_id["Gateway_Route"]) == "support"


def test_message_touchpoints_directions_and_unowned_ones() -> None:
    a = analyse(VIEWS / "customer-pool.bpmn")
    assert [(t.id, t.direction, t.kind) for t in a.touchpoints] == [
        ("Msg_Order", "outbound", "message"),
        ("Msg_Meal", "inbound", "message"),
        ("Msg_Pay", "outbound", "message"),
        ("Msg_Complaint", "outbound", "message"),
    ]
    unowned = a.unowned_touchpoints
    assert [t.id for t in unowned] == ["Msg_Complaint"]
    assert unowned[0].provider_end.id == "Pool_Restaurant" and unowned[0].lane is None
    assert unowned[0].provider_participant.id == "Pool_Restaurant"
    # The kitchen's message to the supplier involves no customer: no touchpoint.
    assert "Msg_Produce" not in [t.id for t in a.touchpoints]
    assert ids(a.onstage) == ["Start_Order", "Task_Serve", "Task_Cash"]
    assert ids(a.backstage) == ["Task_Pass"]
    assert ids(a.provider_processes) == ["Process_Restaurant"]


def test_black_box_customer_touches_at_its_boundary() -> None:
    a = analyse(VIEWS / "black-box-customer.bpmn")
    assert {t.customer_end.id for t in a.touchpoints} == {"Pool_Patient"}
    assert ids(a.touchpoint_lanes) == ["Lane_Reception", "Lane_Doctor"]
    assert a.customer_nodes == []


def test_a_provider_path_through_a_customer_gateway_is_no_touch() -> None:
    # P1 -> gateway drawn in the customer lane -> P2: both ends are provider work.
    data = lanes_doc(
        [("C", "Customer", ["G", "CT"]), ("D", "Desk", ["P1", "P2"])],
        [("P1", "task"), ("G", "exclusiveGateway"), ("P2", "task"), ("CT", "task")],
        [("P1", "G"), ("G", "P2")],
    )
    a = analyse(data)
    assert a.touchpoints == []
    assert a.onstage == [] and a.touchpoint_lanes == []
    assert ids(a.support) == ["P1", "P2"]


def test_touches_through_intermediate_events_and_boundary_events() -> None:
    data = (
        HEAD
        + '<bpmn:process id="P"><bpmn:laneSet id="LS">'
        '<bpmn:lane id="C" name="Customer"><bpmn:flowNodeRef>CT</bpmn:flowNodeRef>'
        '<bpmn:flowNodeRef>CE</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="D" name="Desk"><bpmn:flowNodeRef>W</bpmn:flowNodeRef>'
        '<bpmn:flowNodeRef>PT</bpmn:flowNodeRef><bpmn:flowNodeRef>B</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="X" name="Backoffice"><bpmn:flowNodeRef>H</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
        '<bpmn:task id="CT"/><bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition/>'
        '</bpmn:intermediateCatchEvent><bpmn:task id="PT"/><bpmn:task id="H"/><bpmn:endEvent id="CE"/>'
        '<bpmn:boundaryEvent id="B" attachedToRef="H"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>'
        '<bpmn:sequenceFlow id="F1" sourceRef="CT" targetRef="W"/>'
        '<bpmn:sequenceFlow id="F2" sourceRef="W" targetRef="PT"/>'
        '<bpmn:sequenceFlow id="F3" sourceRef="B" targetRef="CE"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()
    a = analyse(data)
    touches = {(t.customer_end.id, t.provider_end.id, t.direction) for t in a.touchpoints}
    assert touches == {("CT", "PT", "outbound"), ("CE", "B", "inbound")}
    # The boundary event's host is where the customer is touched: onstage too.
    assert set(ids(a.onstage)) == {"PT", "H", "B"}
    assert set(ids(a.touchpoint_lanes)) == {"D", "X"}


def test_the_activity_graph_links_through_work_free_nodes() -> None:
    data = lanes_doc(
        [("L", "Customer", ["A", "G1", "E", "G2", "B", "C"])],
        [("A", "task"), ("G1", "parallelGateway"), ("E", "intermediateThrowEvent"),
         ("G2", "exclusiveGateway"), ("B", "task"), ("C", "endEvent")],
        [("A", "G1"), ("G1", "E"), ("E", "G2"), ("G1", "G2"), ("G2", "B"), ("G2", "C"), ("G2", "G1")],
    )
    model = bpmn_cx.load(data)
    graph = ActivityGraph(model)
    a, b, c = (model.by_id[x] for x in "ABC")
    links = graph.links_from(a)
    assert ids(graph.successors(a)) == ["B", "C"]
    assert ids(links[0].via) == ["G1", "G2"]  # the shortest path
    assert [f.source.id for f in links[0].flows] == ["A", "G1", "G2"]
    assert ids(graph.predecessors(b)) == ["A"]
    back = graph.links_to(c)[0]
    assert ids(back.via) == ["G1", "G2"] and back.source is a and back.target is c
    assert [f.target.id for f in back.flows] == ["G1", "G2", "C"]
    assert graph.links_from(a) is links  # cached
    assert is_work_free(model.by_id["E"]) and not is_work_free(c)


def test_analysis_is_linear_on_a_long_chain() -> None:
    # 20,000 tasks in four lanes, no recursion anywhere.
    model = bpmn_cx.load(synthetic_model(20_000, customer_lane=True, di=False, decision_every=7))
    a = CustomerAnalysis.build(model, find_customer(model))
    assert len(a.touchpoints) > 1000
    assert len(a.customer_nodes) + len(a.onstage) + len(a.backstage) + len(a.support) == len(model.flow_nodes)


# -- link events: a sequence flow drawn as two events ----------------------------------

LINKS = VIEWS / "link-events.bpmn"


def test_link_events_pair_by_name_within_their_scope() -> None:
    from bpmn_cx.analysis.flow import link_jumps

    model = bpmn_cx.load(LINKS)
    forward, backward = link_jumps(model.flow_nodes)
    by_id = model.by_id
    node_of = {id(n): n for n in model.flow_nodes}
    pairs = {node_of[k].id: ids(v) for k, v in forward.items()}
    assert pairs == {"Link_ToRecords": ["Link_FromCounter"], "Link_ToCounter": ["Link_FromRecords"],
                     "Link_HomeOut": ["Link_HomeIn"]}
    assert ids(backward[id(by_id["Link_FromRecords"])]) == ["Link_ToCounter"]
    # Another scope, or another name, makes no pair.
    data = lanes_doc([("L", "Customer", ["A", "T", "C", "B"])],
                     [("A", "task"), ("T", "intermediateThrowEvent"), ("C", "intermediateCatchEvent"),
                      ("B", "task")], [("A", "T"), ("C", "B")])
    data = data.replace(b'name="intermediateThrowEvent T"/>',
                        b'name="go"><bpmn:linkEventDefinition name="here"/></bpmn:intermediateThrowEvent>')
    data = data.replace(b'name="intermediateCatchEvent C"/>',
                        b'name="go"><bpmn:linkEventDefinition name="there"/></bpmn:intermediateCatchEvent>')
    assert link_jumps(bpmn_cx.load(data).flow_nodes) == ({}, {})


def test_paths_go_on_through_link_events() -> None:
    model = bpmn_cx.load(LINKS)
    graph = ActivityGraph(model)
    take, verify, order, issue = (model.by_id[x] for x in ("Task_Take", "Task_Verify", "Task_Order", "Task_Issue"))
    (link,) = graph.links_from(take)
    assert link.target is verify
    assert ids(link.via) == ["Link_ToRecords", "Link_FromCounter"]
    assert [f.id for f in link.flows] == ["Flow_3", "Flow_4"]  # no flow between the two events
    (back,) = graph.links_to(issue)
    assert back.source is order and ids(back.via) == ["Link_ToCounter", "Link_FromRecords"]
    assert [f.id for f in back.flows] == ["Flow_6", "Flow_7"]


def test_touchpoints_and_handoffs_across_link_events() -> None:
    from bpmn_cx.customer.journey import handoffs

    a = analyse(LINKS)
    assert [(t.direction, t.customer_end.id, t.provider_end.id) for t in a.touchpoints] == [
        ("outbound", "Task_Hand", "Task_Take"), ("inbound", "Task_Collect", "Task_Issue")]
    assert [(h.source.id, h.target.id) for h in handoffs(a)] == [
        ("Task_Take", "Task_Verify"), ("Task_Order", "Task_Issue")]
    assert ids(a.support) == ["Link_FromCounter", "Task_Verify", "Task_Order", "Link_ToCounter"]
