"""The model the loader builds: pools, lanes, scopes, events, gateways, data, artifacts, DI."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpmn_cx import load
from bpmn_cx.model import (
    Association,
    Bounds,
    DataAssociation,
    Edge,
    FlowNode,
    Lane,
    Participant,
    Process,
    SequenceFlow,
    Shape,
    SubProcess,
    TextAnnotation,
)
from bpmn_cx.synthetic import synthetic_model

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "load" / "model-coverage.bpmn"


def line_of(needle: str) -> int:
    for number, line in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def model():
    return load(FIXTURE)


def ids(elements) -> list[str]:
    return [e.id for e in elements]


def test_the_fixture_is_clean(model) -> None:
    assert model.diagnostics == []
    assert model.id == "Definitions_Coverage"
    assert model.exporter == "hand-written" and model.exporter_version == "1"
    assert model.target_namespace == "http://bpmn-cx.example/coverage"


def test_every_element_has_its_source_line(model) -> None:
    for element in [*model.flow_nodes, *model.sequence_flows, *model.lanes, *model.participants,
                    *model.message_flows, *model.shapes, *model.edges, *model.data, *model.artifacts]:
        assert element.line == line_of(f'id="{element.id}"'), element.id
        assert model.line_of(element.id) == element.line


def test_pools_and_black_box_pools(model) -> None:
    customer, bank, bureau = model.participants
    assert ids(model.participants) == ["Participant_Customer", "Participant_Bank", "Participant_Bureau"]
    assert all(isinstance(p, Participant) for p in model.participants)
    assert customer.is_black_box and customer.process is None and customer.process_ref is None
    assert bank.process is model.get("Process_Bank") and not bank.is_black_box
    assert bank.process.participant is bank
    assert bureau.process.participant is bureau
    assert [c.id for c in model.collaborations] == ["Collaboration_1"]
    assert model.collaborations[0].participants == model.participants
    assert customer.collaboration is model.collaborations[0]


def test_message_flows_end_at_nodes_or_pools(model) -> None:
    flows = {f.id: f for f in model.message_flows}
    assert list(flows) == ["MessageFlow_Request", "MessageFlow_Offer", "MessageFlow_Query", "MessageFlow_Letter"]
    request = flows["MessageFlow_Request"]
    assert isinstance(request.source, Participant) and request.source.id == "Participant_Customer"
    assert isinstance(request.target, FlowNode) and request.target.id == "Start_Request"
    assert request.message_ref is model.get("Message_Request") and request.name == "Request"
    offer = flows["MessageFlow_Offer"]
    assert (offer.source.id, offer.target.id) == ("Task_SendOffer", "Participant_Customer")
    query = flows["MessageFlow_Query"]
    assert isinstance(query.source, FlowNode) and isinstance(query.target, FlowNode)
    assert query.target.process is model.get("Process_Bureau")
    letter = flows["MessageFlow_Letter"]
    assert isinstance(letter.source, Participant) and isinstance(letter.target, Participant)
    assert all(f.collaboration is model.collaborations[0] for f in model.message_flows)


def test_nested_lanes(model) -> None:
    lanes = {lane.id: lane for lane in model.lanes}
    assert list(lanes) == ["Lane_Bank", "Lane_Front", "Lane_Back", "Lane_Risk"]  # parents first
    bank, front, back, risk = lanes.values()
    assert all(isinstance(lane, Lane) for lane in lanes.values())
    assert (bank.parent, front.parent, back.parent, risk.parent) == (None, bank, bank, back)
    assert bank.child_lanes == [front, back] and back.child_lanes == [risk] and risk.is_leaf
    assert [lane.depth for lane in lanes.values()] == [0, 1, 1, 2]
    assert risk.path == "Bank / Back office / Risk"
    assert risk.ancestors == [back, bank]
    assert bank.node_refs == ["Start_Request", "Task_Check", "Task_Score"]
    assert ids(bank.nodes) == bank.node_refs
    assert ids(risk.nodes) == ["Task_Score"]
    process = model.get("Process_Bank")
    assert process.lanes == [bank, front, back, risk]
    assert [s.id for s in process.lane_sets] == ["LaneSet_Bank"]
    assert risk.scope is process and bank.lane_set.id == "LaneSet_Bank"
    assert risk.lane_set.parent_lane is back


def test_the_deepest_lane_owns_a_node(model) -> None:
    lane = {n.id: (n.lane.id if n.lane else None) for n in model.flow_nodes}
    assert lane["Start_Request"] == "Lane_Bank"  # only the top lane lists it
    assert lane["Task_Check"] == "Lane_Front"  # listed by Bank and Front office
    assert lane["Task_Score"] == "Lane_Risk"  # listed on all three levels
    assert lane["Task_QueryBureau"] == "Lane_Back"
    # sub-process children take the sub-process's lane, through every level
    for inner in ("Review_Start", "SubProcess_Inner", "Inner_Task", "Transaction_Task", "AdHoc_Task", "EventSub_End"):
        assert lane[inner] == "Lane_Back", inner
    # boundary events take their host's lane
    assert lane["Boundary_Timeout"] == "Lane_Risk"
    assert lane["Boundary_Reminder"] == "Lane_Back"
    # a pool without lanes
    assert lane["Start_Bureau"] is None


def test_sub_processes_are_nested_scopes(model) -> None:
    bank = model.get("Process_Bank")
    review = model.get("SubProcess_Review")
    assert isinstance(bank, Process) and isinstance(review, SubProcess)
    assert ids(bank.nodes) == [
        "Start_Request", "Task_Check", "Task_Score", "Boundary_Timeout", "Task_QueryBureau",
        "SubProcess_Review", "Boundary_Reminder", "Gateway_Decision", "Task_SendOffer", "End_Offer", "End_Rejected",
    ]
    assert ids(review.nodes) == [
        "Review_Start", "SubProcess_Inner", "Transaction_Book", "AdHoc_Docs", "Review_End", "EventSub_Stop",
    ]
    assert ids(review.flows) == ["Review_Flow_1", "Review_Flow_2", "Review_Flow_3", "Review_Flow_4"]
    kinds = {n.id: n.kind for n in review.nodes}
    assert kinds["Transaction_Book"] == "transaction" and kinds["AdHoc_Docs"] == "adHocSubProcess"
    assert all(model.get(i).is_subprocess for i in ("SubProcess_Inner", "Transaction_Book", "AdHoc_Docs"))
    inner_task = model.get("Inner_Task")
    assert inner_task.scope is model.get("SubProcess_Inner") and inner_task.process is bank
    event_sub = model.get("EventSub_Stop")
    assert event_sub.triggered_by_event and not review.triggered_by_event
    assert not model.get("EventSub_Start").is_interrupting
    assert model.get("EventSub_Start").triggers == ["signal"]
    assert model.get("EventSub_Start").event_definitions[0].ref is model.get("Signal_Stop")
    assert ids(model.get("EventSub_Stop").flows) == ["EventSub_Flow"]
    walked = [n.id for n in bank.walk_nodes()]
    assert len(walked) == len(set(walked)) == 22  # every node of the pool, once
    assert ids(model.scopes) == ["Process_Bank", "Process_Bureau", "SubProcess_Review", "SubProcess_Inner",
                                 "Transaction_Book", "AdHoc_Docs", "EventSub_Stop"]


def test_boundary_events(model) -> None:
    timeout, reminder = model.get("Boundary_Timeout"), model.get("Boundary_Reminder")
    assert timeout.attached_to is model.get("Task_Score")
    assert model.get("Task_Score").boundary_events == [timeout]
    assert timeout.cancel_activity and timeout.triggers == ["timer"]
    assert reminder.attached_to is model.get("SubProcess_Review") and not reminder.cancel_activity
    assert model.get("SubProcess_Review").boundary_events == [reminder]
    assert reminder.event_definitions[0].ref_id == "Message_Request"
    assert reminder.event_definitions[0].event is reminder
    assert ids(timeout.outgoing) == ["Flow_Timeout"]


def test_gateway_default_and_conditions(model) -> None:
    gateway = model.get("Gateway_Decision")
    assert gateway.is_gateway and gateway.name == "Approved?"
    flows = {f.id: f for f in gateway.outgoing}
    assert list(flows) == ["Flow_Yes", "Flow_No", "Flow_Maybe"]
    assert gateway.default is flows["Flow_No"]
    assert flows["Flow_No"].is_default and not flows["Flow_Yes"].is_default
    assert flows["Flow_Yes"].condition == "${approved}" and flows["Flow_Yes"].is_conditional
    assert flows["Flow_Maybe"].condition == ""  # an empty condition is still a condition
    assert flows["Flow_No"].condition is None and not flows["Flow_No"].is_conditional
    assert all(isinstance(f, SequenceFlow) and f.source is gateway for f in flows.values())
    assert model.get("End_Offer").incoming == [model.get("Flow_Maybe"), model.get("Flow_6")] or \
        ids(model.get("End_Offer").incoming) == ["Flow_Maybe", "Flow_6"]


def test_tasks_events_and_their_references(model) -> None:
    check = model.get("Task_Check")
    assert check.kind == "userTask" and check.is_task and check.is_activity
    assert check.name == "Check\napplication" and check.label == "Check application"
    assert model.get("Task_QueryBureau").message_ref is model.get("Message_Request")
    assert model.get("Task_SendOffer").message_ref is model.get("Message_Offer")
    start = model.get("Start_Request")
    assert start.is_event and start.triggers == ["message"]
    assert start.event_definitions[0].ref is model.get("Message_Request")
    rejected = model.get("End_Rejected")
    assert rejected.triggers == ["error"] and rejected.event_definitions[0].ref is model.get("Error_Rejected")
    assert model.get("Start_Bureau").event_definitions[0].ref is None
    assert ids(model.root_elements) == ["Message_Request", "Message_Offer", "Error_Rejected", "Signal_Stop"]


def test_data_objects_stores_and_associations(model) -> None:
    assert ids(model.data) == ["DataStore_Crm", "DataObject_Application", "DataRef_Application", "DataStoreRef_Crm"]
    assert ids(model.get("Process_Bank").data) == ["DataObject_Application", "DataRef_Application",
                                                   "DataStoreRef_Crm"]
    out_assoc, in_assoc = model.data_associations
    assert isinstance(out_assoc, DataAssociation) and out_assoc.kind == "dataOutputAssociation"
    assert out_assoc.owner is model.get("Task_Check") and out_assoc.target is model.get("DataRef_Application")
    assert model.get("Task_Check").data_associations == [out_assoc]
    assert in_assoc.owner is model.get("Task_Score")
    assert in_assoc.source_refs == ["DataRef_Application", "DataStoreRef_Crm"]
    assert in_assoc.sources == [model.get("DataRef_Application"), model.get("DataStoreRef_Crm")]
    # the target is the task's placeholder property: kept in the XML, not modelled, not dangling
    assert in_assoc.target_ref == "Property_Score" and in_assoc.target is None
    assert "Property_Score" in model.all_ids and model.get("Property_Score") is None


def test_text_annotations_groups_and_associations(model) -> None:
    annotation = model.get("Annotation_Score")
    assert isinstance(annotation, TextAnnotation) and annotation.text == "Score must be above 600"
    assert model.get("Annotation_Pools").text == "Pools talk by messages"
    [association] = model.associations
    assert isinstance(association, Association)
    assert association.source is model.get("Task_Score") and association.target is annotation
    assert ids(model.artifacts) == ["Annotation_Pools", "Annotation_Score", "Association_Score", "Group_Checks"]
    assert ids(model.get("Process_Bank").artifacts) == ["Annotation_Score", "Association_Score", "Group_Checks"]
    assert ids(model.collaborations[0].artifacts) == ["Annotation_Pools"]
    assert model.get("Group_Checks").kind == "group"


def test_di_shapes(model) -> None:
    pool = model.shape("Participant_Bank")
    assert isinstance(pool, Shape) and pool.element is model.get("Participant_Bank")
    assert pool.bounds == Bounds(100, 100, 1400, 480) and pool.is_horizontal is True
    assert model.shape("Lane_Risk").is_horizontal is True
    assert model.shape("Task_Check").is_horizontal is None  # not written
    assert model.shape("SubProcess_Review").is_expanded is True
    assert model.shape("SubProcess_Inner").is_expanded is False
    assert model.shape("Task_Check").is_expanded is None
    start = model.shape("Start_Request")
    assert start.bounds == Bounds(212, 182, 36, 36)
    assert start.label_bounds == Bounds(190, 225, 80, 27)
    assert model.shape("Task_Check").label_bounds is None
    assert model.shape("Participant_Bank").bounds.contains(model.shape("Task_Check").bounds)
    assert model.shape("Task_Score") is model.shapes_by_element["Task_Score"][0]
    assert model.diagrams[0].plane.element is model.collaborations[0]
    assert len(model.diagrams[0].plane.shapes) == len(model.shapes) == 14
    assert all(s.plane is model.diagrams[0].plane for s in model.shapes)
    assert model.get("Task_Check_di") is model.shape("Task_Check")  # DI ids are look-up-able too


def test_di_edges(model) -> None:
    edge = model.edge("Flow_Yes")
    assert isinstance(edge, Edge) and edge.element is model.get("Flow_Yes")
    assert edge.waypoints == [(1125.0, 200.0), (1162.5, 200.0), (1200.0, 200.0)]
    assert edge.label_bounds == Bounds(1150, 182, 18, 14)
    assert model.edge("MessageFlow_Request").element is model.get("MessageFlow_Request")
    assert model.edge("Association_Score").waypoints == [(400.0, 510.0), (450.0, 520.0)]
    assert model.edge("Flow_2") is None
    assert ids(model.edges) == ["Flow_1_di", "Flow_Yes_di", "MessageFlow_Request_di", "Association_Score_di"]


# -- size -----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_chain_of_100000_tasks_loads_with_right_lines() -> None:
    data = synthetic_model(100_000, lanes=4, di=True)
    model = load(data)
    assert model.diagnostics == []
    tasks = [n for n in model.flow_nodes if n.kind == "task"]
    assert len(tasks) == 100_000
    assert len(model.sequence_flows) == 100_001
    lines = data.split(b"\n")
    assert len(lines) > 3 * 65536  # the DI alone goes past the 16-bit line counter
    # nodes near the end of the process, and DI near the end of the file
    for element in (tasks[-1], model.flow_nodes[-1], model.sequence_flows[-1], model.shapes[-1], model.edges[-1]):
        assert element.line > 65535
        assert f'id="{element.id}"'.encode() in lines[element.line - 1], element.id
    # walking the chain is linear and needs no recursion
    node, steps = model.flow_nodes[0], 0
    while node.outgoing:
        node, steps = node.outgoing[0].target, steps + 1
    assert node.kind == "endEvent" and steps == 100_001
    assert tasks[-1].lane is not None and tasks[-1].lane.id.startswith("Lane_")


def _past_the_cap(newline: str) -> str:
    """A process whose interesting part starts after line 66,000 (the lane's references), in every layout."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">\n'
        '  <bpmn:process id="Process_1">\n'
        '    <bpmn:laneSet id="LaneSet_1">\n'
        '      <bpmn:lane id="Lane_1">\n'
    )
    refs = "".join(f"        <bpmn:flowNodeRef>Pad_{i % 33_000}</bpmn:flowNodeRef>\n" for i in range(66_000))
    pads = "".join(f'    <bpmn:task id="Pad_{i}" />\n' for i in range(33_000))
    tail = (
        "        <bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef>\n"
        "      </bpmn:lane>\n"
        "    </bpmn:laneSet>\n"
        + pads
        + '    <bpmn:task id="Task_Children" name="with children">\n'
        '      <bpmn:documentation>first line\nsecond line</bpmn:documentation>\n'
        "    </bpmn:task>\n"
        '    <bpmn:task id="Task_Leaf" />\n'
        "\n\n"
        '    <bpmn:task id="Task_A" /><bpmn:task id="Task_B" />\n'
        '    <bpmn:task id="Task_Gap">\n'
        "\n\n"
        "      <bpmn:incoming>Flow_1</bpmn:incoming>\n"
        "    </bpmn:task>\n"
        '    <bpmn:task id="Task_Comment"><!-- a comment first -->\n'
        "      <bpmn:outgoing>Flow_1</bpmn:outgoing>\n"
        "    </bpmn:task>\n"
        '    <bpmn:task id="Task_Io">\n'
        '      <bpmn:ioSpecification id="Io_1">\n'
        '        <bpmn:dataInput id="Input_Dup" />\n'
        '        <bpmn:dataInput id="Input_Dup" />\n'
        "      </bpmn:ioSpecification>\n"
        "    </bpmn:task>\n"
        '    <bpmn:task id="Task_Leaf" name="again" />\n'
        '    <bpmn:sequenceFlow id="Flow_1" sourceRef="Task_Comment" targetRef="Task_Gap" />\n'
        "    <bpmn:sequenceFlow\n"
        '        id="Flow_Multi"\n'
        '        sourceRef="Task_A" targetRef="Task_B" />\n'
        '    <bpmn:endEvent id="End_Last" /></bpmn:process>\n'
        "</bpmn:definitions>\n"
    )
    return (head + refs + tail).replace("\n", newline)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_lines_past_65535_in_every_layout(newline: str) -> None:
    text = _past_the_cap(newline)
    lines = text.split(newline)

    def line_with(needle: str, start: int = 0) -> int:
        return next(n for n, line in enumerate(lines, start=1) if n > start and needle in line)

    model = load(text.encode())
    for element_id in ("Task_Children", "Task_A", "Task_B", "Task_Gap", "Task_Comment", "Task_Io", "Flow_1",
                       "End_Last", "Pad_32999"):
        expected = line_with(f'id="{element_id}"')
        assert expected > 65535
        assert model.get(element_id).line == expected, element_id
    leaf = model.get("Task_Leaf")
    assert leaf.line == line_with('id="Task_Leaf"')
    # a start tag spread over lines: libxml2's line is where the tag ends, here too
    assert model.get("Flow_Multi").line == line_with('sourceRef="Task_A" targetRef="Task_B" />')
    found = {(d.code, d.element_id): d for d in model.diagnostics}
    # repeated ids and dangling references past the cap point at the right lines
    repeat = found[("duplicate-id", "Task_Leaf")]
    assert repeat.line == line_with('id="Task_Leaf" name="again"')
    assert f"on line {leaf.line}" in repeat.message
    inputs = found[("duplicate-id", "Input_Dup")]
    first_input = line_with('id="Input_Dup"')
    assert inputs.line == first_input + 1 and f"on line {first_input}" in inputs.message
    ghost = found[("dangling-reference", "Lane_1")]
    assert ghost.line == line_with("<bpmn:flowNodeRef>Ghost<") > 65535


def test_condition_text_around_comments_and_cdata() -> None:
    model = load(b"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <process id="P">
    <exclusiveGateway id="G"/>
    <task id="A"/><task id="B"/><task id="C"/>
    <sequenceFlow id="F1" sourceRef="G" targetRef="A">
      <documentation>not a condition</documentation>
      <conditionExpression>${a &lt; 1} <!-- why --> and b<![CDATA[ && c ]]></conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="F2" sourceRef="G" targetRef="B"><!-- a comment only --></sequenceFlow>
    <sequenceFlow id="F3" sourceRef="G" targetRef="C"><documentation>x</documentation></sequenceFlow>
  </process>
</definitions>""")
    first, second, third = (model.get(i) for i in ("F1", "F2", "F3"))
    assert first.condition == "${a < 1}  and b && c" and first.is_conditional
    assert second.condition is None and not second.is_conditional
    assert third.condition is None and not third.is_conditional


# -- DI objects made on first use --------------------------------------------------------

def di_signature(model) -> dict:
    """Everything the model says about its diagram, in comparable form."""
    def drawing(d):
        return (d.id, d.kind, d.line, d.element_ref, getattr(d.element, "id", None),
                d.plane.id if d.plane is not None else None)

    element_ids = {id(e): e.id for group in (model.flow_nodes, model.sequence_flows, model.participants,
                                             model.lanes, model.message_flows, model.data, model.artifacts,
                                             model.associations, model.processes, model.collaborations)
                   for e in group}
    return {
        # First, while a lazy model still has its DI deferred: drawn_ids() then
        # answers from the loader's references, not from the objects.
        "drawn": sorted(model.drawn_ids()),
        # Likewise for the shape XML of each drawn element.
        "shape_xml": sorted((element_ids.get(key, "?"), xml.get("id"), xml.sourceline)
                            for key, xml in model.shape_xml_index().items()),
        "shapes": [drawing(s) for s in model.shapes],
        "edges": [drawing(e) for e in model.edges],
        "by_element": ({k: [s.id for s in v] for k, v in model.shapes_by_element.items()},
                       {k: [e.id for e in v] for k, v in model.edges_by_element.items()}),
        "planes": [(p.id, [s.id for s in p.shapes], [e.id for e in p.edges])
                   for d in model.diagrams for p in d.planes],
        "by_id": sorted(model.by_id),
        "all_ids": sorted(model.all_ids),
        "diagnostics": model.diagnostics,
    }


def test_di_objects_are_made_on_first_use_and_match_an_eager_build() -> None:
    from bpmn_cx.loader import _load

    data = synthetic_model(30, lanes=3, parallel_every=4, decision_every=3, di=True)
    lazy = load(data)
    assert lazy._pending_di  # nothing made yet
    task = next(n for n in lazy.flow_nodes if n.kind == "task")
    assert lazy.get(task.id) is task and lazy._pending_di  # a node look-up makes no DI
    assert task.id in lazy.drawn_ids() and lazy._pending_di  # nor does asking what is drawn
    shape_id = f"{task.id}_di"
    assert lazy.get(shape_id) is not None and lazy._pending_di is False  # a DI id does
    assert lazy.get(shape_id).element is task and lazy.shape(task.id).id == shape_id
    eager = _load(data, defer_di=False)
    assert eager._pending_di is False
    assert di_signature(load(data)) == di_signature(eager)
    # Each kind is made on its own first use, in either order, to the same end.
    shapes_first = load(data)
    assert len(shapes_first.shapes) == len(eager.shapes) and shapes_first._pending_edges is not None
    edges_first = load(data)
    plane = edges_first.diagrams[0].planes[0]
    assert len(plane.edges) == len(eager.edges) and edges_first._pending_shapes is not None
    assert all(edge.element is not None for edge in edges_first.edges)
    assert di_signature(shapes_first) == di_signature(edges_first) == di_signature(eager)


@pytest.mark.parametrize("name", ["model-coverage.bpmn", "two-diagrams.bpmn", "integrity.bpmn",
                                  "vendor-extensions.bpmn", "prefix-semantic.bpmn", "no-di.bpmn"])
def test_deferred_di_matches_an_eager_build_on_the_fixtures(name: str) -> None:
    from bpmn_cx.loader import _load

    path = FIXTURE.parent / name
    assert di_signature(load(path)) == di_signature(_load(path, defer_di=False))


def test_di_with_problems_is_built_with_the_rest() -> None:
    # A dangling bpmnElement must be reported at load: no deferring then.
    model = load(FIXTURE.parent / "integrity.bpmn")
    assert model._pending_di is False
    assert any(d.code == "dangling-reference" and "bpmnElement" in d.message for d in model.diagnostics)


def test_deferred_di_matches_an_eager_build_on_the_corpus(corpus_dir: Path) -> None:
    from bpmn_cx import LoadError
    from bpmn_cx.loader import _load

    deferred = 0
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix not in (".bpmn", ".bpmn2", ".xml") or not path.is_file() or "negatives" in path.parts:
            continue
        try:
            lazy = load(path)
        except LoadError:
            continue
        deferred += lazy._pending_di
        assert di_signature(lazy) == di_signature(_load(path, defer_di=False)), path
    assert deferred > 100


def test_shape_and_edge_are_found_through_prefixed_references() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:tns="http://example.com/q"
    id="D" targetNamespace="http://example.com/q">
  <process id="P">
    <task id="T1"/><task id="T2"/>
    <sequenceFlow id="F1" sourceRef="T1" targetRef="T2"/>
  </process>
  <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Pl" bpmnElement="tns:P">
    <bpmndi:BPMNShape id="S1" bpmnElement="tns:T1"><dc:Bounds x="0" y="0" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="S2" bpmnElement="T2"><dc:Bounds x="200" y="0" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="E1" bpmnElement="tns:F1"><di:waypoint x="100" y="40"/><di:waypoint x="200" y="40"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>"""
    from bpmn_cx.loader import _load

    # While the DI is deferred, what is drawn (and by which shape) is read from
    # the references alone; the prefixed one must resolve there too.
    lazy = load(data)
    assert lazy._pending_di
    task = lazy.node("T1")
    assert lazy.shape_xml_index()[id(task)].get("id") == "S1"
    assert di_signature(lazy) == di_signature(_load(data, defer_di=False))
    model = load(data)
    assert model.shape("T1").id == "S1" and model.shape("T2").id == "S2"
    assert model.edge("F1").id == "E1"
    assert model.shape("T3") is None and model.edge("T1") is None
    assert "tns:T1" in model.shapes_by_element  # the index keeps the reference as written
    assert model.drawn_ids() >= {"T1", "T2", "F1"}


@pytest.mark.parametrize("name", [None, "", " ", "\n\t ", "\u2003", "A", " A ", "line\nbreak"])
def test_is_blank_agrees_with_the_label(name) -> None:
    from bpmn_cx.model import Element, is_blank

    assert is_blank(name) == (Element("X", "task", name, None, None).label == "")
