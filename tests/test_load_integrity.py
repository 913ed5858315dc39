"""Integrity problems the loader reports as diagnostics: the file loads, but not all is well."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpmn_cx import Diagnostic, load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"
INTEGRITY = FIXTURES / "integrity.bpmn"


def line_of(needle: str, path: Path = INTEGRITY) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


#: (code, element id, where the line is, words the message must hold)
EXPECTED = [
    ("dangling-reference", "Participant_Lost", 'id="Participant_Lost"', ["processRef='Process_Missing'"]),
    ("dangling-reference", "MessageFlow_LostMessage", 'id="MessageFlow_LostMessage"', ["messageRef='Message_Missing'"]),
    ("missing-reference", "MessageFlow_NoSource", 'id="MessageFlow_NoSource"', ["<messageFlow>", "no sourceRef"]),
    ("dangling-reference", "Lane_1", "<bpmn:flowNodeRef>Ghost_Task<", ["<lane> Lane_1", "flowNodeRef='Ghost_Task'"]),
    ("duplicate-id", "Task_Dup", 'name="Second of the name"', ["'Task_Dup'", "<task>", f"line {line_of('First of the name')}"]),
    ("duplicate-id", "Input_Dup", '<bpmn:dataInput id="Input_Dup" />\n', ["<dataInput>"]),
    ("dangling-reference", "Task_Send", 'id="Task_Send"', ["<sendTask>", "messageRef='Message_Gone'"]),
    ("dangling-reference", "Def_Catch", 'id="Def_Catch"', ["<messageEventDefinition>", "messageRef='Message_Vanished'"]),
    ("dangling-reference", "Boundary_Lost", 'id="Boundary_Lost"', ["attachedToRef='Host_Missing'"]),
    ("dangling-reference", "Gateway_1", 'id="Gateway_1"', ["default='Flow_Missing'"]),
    ("invalid-reference", "Gateway_2", 'id="Gateway_2"', ["default='Task_Io'", "<task>", "not a sequence flow"]),
    ("dangling-reference", "Flow_BadSource", 'id="Flow_BadSource"', ["sourceRef='Nowhere_1'"]),
    ("dangling-reference", "Flow_BadTarget", 'id="Flow_BadTarget"', ["targetRef='Nowhere_2'"]),
    ("missing-reference", "Flow_NoSource", 'id="Flow_NoSource"', ["<sequenceFlow> Flow_NoSource has no sourceRef"]),
    ("missing-reference", "Flow_NoTarget", 'id="Flow_NoTarget"', ["<sequenceFlow> Flow_NoTarget has no targetRef"]),
    ("invalid-reference", "Flow_ToData", 'id="Flow_ToData"', ["targetRef='DataObject_1'", "<dataObject>", "not a flow node"]),
    ("dangling-reference", "Shape_Orphan", 'id="Shape_Orphan"', ["<BPMNShape>", "bpmnElement='Deleted_Task'"]),
    ("duplicate-id", "Task_Io", '<bpmndi:BPMNShape id="Task_Io"', ["<BPMNShape>", "<task>", f"line {line_of('With data')}"]),
    ("dangling-reference", "Edge_Orphan", 'id="Edge_Orphan"', ["<BPMNEdge>", "bpmnElement='Deleted_Flow'"]),
]


@pytest.fixture(scope="module")
def model():
    return load(INTEGRITY)


def test_every_problem_is_reported_once_with_its_line(model) -> None:
    text = INTEGRITY.read_text(encoding="utf-8")
    got = [(d.code, d.element_id, d.line) for d in model.diagnostics]
    expected = []
    for code, element_id, where, _ in EXPECTED:
        if where.endswith("\n"):  # the second occurrence
            first = text.index(where)
            line = text.count("\n", 0, text.index(where, first + 1)) + 1
        else:
            line = line_of(where)
        expected.append((code, element_id, line))
    assert sorted(got, key=str) == sorted(expected, key=str)
    # in the order a reader meets them in the file
    assert [d.line for d in model.diagnostics] == sorted(d.line for d in model.diagnostics)


@pytest.mark.parametrize("code, element_id, where, words", EXPECTED, ids=[e[1] for e in EXPECTED])
def test_messages_say_what_is_wrong(model, code: str, element_id: str, where: str, words: list[str]) -> None:
    [diagnostic] = [d for d in model.diagnostics if d.element_id == element_id and d.code == code]
    assert isinstance(diagnostic, Diagnostic)
    for word in words:
        assert word in diagnostic.message


def test_what_resolves_still_resolves(model) -> None:
    # problems elsewhere do not stop the rest from being wired up
    assert model.get("Participant_Ok").process is model.get("Process_1")
    assert model.get("Participant_Lost").process is None
    ok = model.get("Flow_Ok")
    assert ok.source is model.get("Start_1") and ok.target is model.get("Task_Io")
    bad = model.get("Flow_BadSource")
    assert bad.source is None and bad.target is model.get("Task_Send")
    assert model.get("Task_Send").incoming == [bad]
    assert model.get("Flow_NoSource").source is None and model.get("Flow_NoSource").source_ref is None
    assert model.get("Boundary_Lost").attached_to is None
    assert model.get("Gateway_1").default is None and model.get("Gateway_2").default is None
    assert model.get("Flow_ToData").target is None
    assert [n.id for n in model.get("Lane_1").nodes] == ["Start_1", "Task_Dup"]
    assert model.get("Lane_1").node_refs == ["Start_1", "Ghost_Task", "Task_Dup"]
    # the first element of a repeated id is the one found by id
    assert model.get("Task_Dup").name == "First of the name"
    assert model.get("Task_Io").kind == "task"
    assert model.shape("Deleted_Task").element is None
    assert model.get("MessageFlow_LostMessage").source is model.get("Participant_Ok")


def test_a_clean_file_has_no_diagnostics() -> None:
    for name in ("model-coverage.bpmn", "vendor-extensions.bpmn", "two-diagrams.bpmn", "no-di.bpmn"):
        assert load(FIXTURES / name).diagnostics == [], name


def test_references_to_elements_kept_but_not_modelled_are_not_dangling() -> None:
    data = b"""<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="D" targetNamespace="x">
  <bpmn:itemDefinition id="Item_1" />
  <bpmn:process id="P">
    <bpmn:task id="T">
      <bpmn:ioSpecification id="Io">
        <bpmn:dataInput id="In_1" itemSubjectRef="Item_1" />
        <bpmn:inputSet id="Set_1"><bpmn:dataInputRefs>In_1</bpmn:dataInputRefs></bpmn:inputSet>
      </bpmn:ioSpecification>
      <bpmn:dataInputAssociation id="A"><bpmn:targetRef>In_1</bpmn:targetRef></bpmn:dataInputAssociation>
    </bpmn:task>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Di"><bpmndi:BPMNPlane id="Pl" bpmnElement="P">
    <bpmndi:BPMNShape id="S" bpmnElement="bpmn:T" />
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""
    model = load(data)
    assert model.diagnostics == []
    # a QName-style reference with a prefix resolves too
    assert model.shape("bpmn:T").element is model.get("T")
    assert {"Item_1", "In_1", "Set_1", "Io"} <= model.all_ids


def test_repeated_ids_outside_bpmn_are_not_reported() -> None:
    model = load(FIXTURES / "vendor-extensions.bpmn")
    text = (FIXTURES / "vendor-extensions.bpmn").read_text(encoding="utf-8")
    assert text.count('camunda:formField id="amount"') == 2
    assert model.diagnostics == []


def test_many_repeated_ids_are_reported_in_linear_time() -> None:
    # 3,000 repeated ids of unmodelled elements: one walk, not one query per id
    inputs = "".join(f'<bpmn:dataInput id="In_{i}" /><bpmn:dataInput id="In_{i}" />\n' for i in range(3000))
    data = f"""<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
<bpmn:process id="P"><bpmn:task id="T"><bpmn:ioSpecification id="Io">
{inputs}</bpmn:ioSpecification></bpmn:task></bpmn:process>
</bpmn:definitions>""".encode()
    model = load(data)
    repeats = [d for d in model.diagnostics if d.code == "duplicate-id"]
    assert len(repeats) == 3000
    assert repeats[0].element_id == "In_0" and repeats[0].line == 4
    assert repeats[-1].element_id == "In_2999" and repeats[-1].line == 3003


@pytest.mark.parametrize("spelling", ['id="In"', "id = 'In'", 'id\n  ="In"'])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_repeated_ids_of_unmodelled_elements_whatever_the_spelling(spelling: str, encoding: str) -> None:
    # The id count is taken from the source bytes when it can be exact; a
    # spaced ``id =`` or a UTF-16 file must still be checked on the tree.
    text = f"""<?xml version="1.0" encoding="{encoding}"?>
<!-- a comment that mentions id="T" -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
<bpmn:process id="P"><bpmn:task id="T"><bpmn:ioSpecification id="Io">
<bpmn:dataInput {spelling} /><bpmn:dataInput {spelling} />
</bpmn:ioSpecification></bpmn:task></bpmn:process>
</bpmn:definitions>"""
    model = load(text.encode(encoding))
    repeats = [d for d in model.diagnostics if d.code == "duplicate-id"]
    # (libxml2 gives an element the line its start tag ends on)
    assert [(d.element_id, d.line) for d in repeats] == [("In", 5 + 2 * spelling.count("\n"))]
    assert {"In", "Io", "T", "P"} <= model.all_ids


def test_all_ids_without_unmodelled_elements() -> None:
    # Every id is modelled: the count from the bytes settles it, even with a
    # namespaced id attribute that only looks like one.
    data = b"""<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:v="urn:v" id="D" targetNamespace="x">
<bpmn:process id="P"><bpmn:task id="T" v:id="T" /><bpmn:task id="T2" /></bpmn:process>
</bpmn:definitions>"""
    model = load(data)
    assert model.diagnostics == []
    assert model.all_ids == {"D", "P", "T", "T2"}
