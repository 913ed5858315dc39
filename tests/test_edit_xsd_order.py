"""The checked-in child order table matches the shipped XSDs, and new children follow it."""

from __future__ import annotations

from lxml import etree

from bpmn_cx import xsd_order
from bpmn_cx.namespaces import BPMNDI, DC, DRAFT_MODEL, MODEL

M = f"{{{MODEL}}}"


def test_table_is_generated_from_the_shipped_xsds() -> None:
    # Regenerate with xmlschema and compare with the checked-in module: after a
    # schema change, run `python -m bpmn_cx.xsd_order`.
    expected = xsd_order.render(xsd_order.generate())
    assert xsd_order.TABLE_PATH.read_text(encoding="utf-8") == expected


def test_table_knows_the_orders_that_matter() -> None:
    order = xsd_order.CHILD_ORDER
    process = order["bpmn:tProcess"]
    assert process["bpmn:documentation"] < process["bpmn:extensionElements"] < process["bpmn:laneSet"]
    assert process["bpmn:laneSet"] < process["bpmn:task"] == process["bpmn:sequenceFlow"] == process["bpmn:subProcess"]
    assert process["bpmn:task"] < process["bpmn:textAnnotation"] == process["bpmn:association"]
    task = order["bpmn:tUserTask"]
    assert task["bpmn:extensionElements"] < task["bpmn:incoming"] < task["bpmn:outgoing"] < task["bpmn:ioSpecification"]
    lane = order["bpmn:tLane"]
    assert lane["bpmn:flowNodeRef"] < lane["bpmn:childLaneSet"]
    assert order["bpmndi:BPMNShape"]["dc:Bounds"] < order["bpmndi:BPMNShape"]["bpmndi:BPMNLabel"]
    assert order["bpmndi:BPMNEdge"]["di:waypoint"] < order["bpmndi:BPMNEdge"]["bpmndi:BPMNLabel"]
    definitions = order["bpmn:tDefinitions"]
    assert definitions["bpmn:process"] == definitions["bpmn:collaboration"] < definitions["bpmndi:BPMNDiagram"]
    assert "bpmn:flowElement" in process and "bpmn:rootElement" not in process


def test_type_of_follows_local_elements() -> None:
    lane = etree.Element(f"{M}lane")
    child_set = etree.SubElement(lane, f"{M}childLaneSet")
    assert xsd_order.type_of(lane) == "bpmn:tLane"
    assert xsd_order.type_of(child_set) == "bpmn:tLaneSet"
    assert xsd_order.type_of(etree.Element("{http://vendor.example}thing")) is None
    draft = etree.Element(f"{{{DRAFT_MODEL}}}process")
    assert xsd_order.type_of(draft) == "bpmn:tProcess"


def test_insert_index() -> None:
    task = etree.Element(f"{M}task")
    etree.SubElement(task, f"{M}documentation")
    etree.SubElement(task, "{http://vendor.example}note")  # unknown: moves nothing
    etree.SubElement(task, f"{M}incoming")
    etree.SubElement(task, f"{M}outgoing")
    task.append(etree.Comment("end"))
    etree.SubElement(task, f"{M}standardLoopCharacteristics")
    assert xsd_order.insert_index(task, f"{M}incoming") == 3  # after the last incoming
    assert xsd_order.insert_index(task, f"{M}outgoing") == 4
    assert xsd_order.insert_index(task, f"{M}extensionElements") == 1
    assert xsd_order.insert_index(task, f"{M}documentation") == 1
    assert xsd_order.insert_index(task, f"{M}multiInstanceLoopCharacteristics") == 6
    assert xsd_order.insert_index(task, "{http://vendor.example}other") == 6  # unknown child: last
    shape = etree.Element(f"{{{BPMNDI}}}BPMNShape")
    etree.SubElement(shape, f"{{{BPMNDI}}}BPMNLabel")
    assert xsd_order.insert_index(shape, f"{{{DC}}}Bounds") == 0
    empty = etree.Element(f"{M}laneSet")
    assert xsd_order.insert_index(empty, f"{M}lane") == 0
    vendor = etree.Element("{http://vendor.example}box")
    etree.SubElement(vendor, "{http://vendor.example}a")
    assert xsd_order.insert_index(vendor, f"{M}task") == 1
