"""What real modelers write: prefixes, encodings, line ends, DI or not, vendor extensions."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from lxml import etree

import bpmn_cx
from bpmn_cx import LoadError, load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"
MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def line_of(path: Path, needle: str, encoding: str = "utf-8") -> int:
    """1-based line of the first line of ``path`` holding ``needle``."""
    text = path.read_bytes().decode(encoding)
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {path.name}")


def assert_small_process(model: bpmn_cx.Model, names: tuple[str, str, str] = ("Start", "Task", "End")) -> None:
    """The generated fixtures' process: start -> task -> end, fully wired."""
    assert [(n.id, n.kind) for n in model.flow_nodes] == [
        ("Start_1", "startEvent"),
        ("Task_1", "task"),
        ("End_1", "endEvent"),
    ]
    assert tuple(n.name for n in model.flow_nodes) == names
    start, task, end = model.flow_nodes
    assert [f.id for f in start.outgoing] == ["Flow_1"] == [f.id for f in task.incoming]
    assert [f.id for f in task.outgoing] == ["Flow_2"] == [f.id for f in end.incoming]
    assert model.sequence_flows[0].source is start and model.sequence_flows[0].target is task
    assert all(n.scope is model.processes[0] for n in model.flow_nodes)


def test_generated_fixtures_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("load_fixtures", FIXTURES / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)  # type: ignore[union-attr]
    for name, data in generator.outputs().items():
        assert (FIXTURES / name).read_bytes() == data, f"run python fixtures/load/generate.py ({name})"


# -- prefixes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, prefix",
    [
        ("prefix-bpmn.bpmn", "bpmn"),
        ("prefix-bpmn2.bpmn", "bpmn2"),
        ("prefix-semantic.bpmn", "semantic"),
        ("prefix-sem.bpmn", "sem"),
        ("prefix-model.bpmn", "model"),
        ("prefix-bpmn20.bpmn", "bpmn20"),
        ("default-namespace.bpmn", None),
    ],
)
def test_root_prefixes_are_matched_by_namespace(name: str, prefix: str | None) -> None:
    path = FIXTURES / name
    model = load(path)
    assert model.root.prefix == prefix  # the fixture really uses that prefix
    assert model.namespace == MODEL_NS
    assert model.diagnostics == []
    assert_small_process(model)
    assert model.get("Task_1").line == line_of(path, 'id="Task_1"')
    # DI is read whatever the model prefix
    assert model.shape("Task_1").element is model.get("Task_1")
    assert model.edge("Flow_2").waypoints == [(300.0, 118.0), (370.0, 118.0)]


def test_mixed_prefixes_in_one_file() -> None:
    path = FIXTURES / "mixed-prefixes.bpmn"
    model = load(path)
    prefixes = {el.prefix for el in model.root.iter() if isinstance(el.tag, str)}
    assert prefixes == {"bpmn2", "semantic", None, "bpmn"}
    assert model.diagnostics == []
    assert_small_process(model)
    assert [p.id for p in model.processes] == ["Process_1"]


# -- encodings and line ends ----------------------------------------------------------


@pytest.mark.parametrize(
    "name, codec, names, declared",
    [
        ("utf8-bom.bpmn", "utf-8-sig", ("Antrag erhalten", "Prüfung der Größe", "Erledigt"), "UTF-8"),
        ("iso-8859-1.bpmn", "latin-1", ("Antrag erhalten", "Prüfung", "Genehmigt à la carte"), "ISO-8859-1"),
        ("windows-1252.bpmn", "cp1252", ("Anfrage", "Prüfung für 5 €", "„Angebot“ gesendet"), "windows-1252"),
        ("gbk.bpmn", "gbk", ("收到申请", "审批申请", "已批准"), "GBK"),
        ("utf-16.bpmn", "utf-16", ("Start", "Prüfung", "Ende"), "UTF-16"),
    ],
)
def test_encodings_round_trip_names(name: str, codec: str, names: tuple[str, str, str], declared: str) -> None:
    path = FIXTURES / name
    model = load(path)
    assert model.diagnostics == []
    assert model.encoding == declared
    assert_small_process(model, names)
    assert model.get("Task_1").label == names[1]
    assert model.get("End_1").line == line_of(path, 'id="End_1"', codec)


def test_the_encoding_fixtures_really_use_their_encodings() -> None:
    assert (FIXTURES / "utf8-bom.bpmn").read_bytes().startswith(b"\xef\xbb\xbf<?xml")
    assert "Prüfung".encode("latin-1") in (FIXTURES / "iso-8859-1.bpmn").read_bytes()
    assert "für 5 €".encode("cp1252") in (FIXTURES / "windows-1252.bpmn").read_bytes()
    assert "审批申请".encode("gbk") in (FIXTURES / "gbk.bpmn").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "gbk.bpmn").read_bytes().decode("utf-8")


def test_crlf_line_ends_count_as_one_line() -> None:
    path = FIXTURES / "crlf.bpmn"
    data = path.read_bytes()
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    model = load(path)
    assert_small_process(model)
    for element_id in ("Start_1", "Task_1", "End_1", "Flow_2", "Flow_2_di"):
        assert model.get(element_id).line == line_of(path, f'id="{element_id}"')
    # names keep no stray carriage return
    assert model.get("Task_1").name == "Task"


def test_declared_utf8_but_windows_1252_falls_back_with_a_diagnostic() -> None:
    path = FIXTURES / "utf8-declared-cp1252.bpmn"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    model = load(path)
    assert_small_process(model, ("Anfrage", "Prüfung für 5 €", "Ende"))
    [diagnostic] = model.diagnostics
    assert diagnostic.code == "encoding-mismatch"
    assert "windows-1252" in diagnostic.message
    # the first byte that is not UTF-8 is in the task's name
    assert diagnostic.line == line_of(path, 'id="Task_1"', "cp1252")
    assert model.get("Task_1").line == line_of(path, 'id="Task_1"', "cp1252")


def test_encoding_errors_do_not_leak_into_the_next_file() -> None:
    # lxml's global error log keeps earlier errors: a broken file must not
    # change what the next file reports.
    with pytest.raises(LoadError):
        load(FIXTURES / "not-well-formed.bpmn")
    model = load(FIXTURES / "utf8-declared-cp1252.bpmn")
    assert [d.code for d in model.diagnostics] == ["encoding-mismatch"]
    with pytest.raises(LoadError) as first:
        load(FIXTURES / "not-well-formed.bpmn")
    load(FIXTURES / "prefix-bpmn.bpmn")
    with pytest.raises(LoadError) as again:
        load(FIXTURES / "not-well-formed.bpmn")
    assert (again.value.message, again.value.line) == (first.value.message, first.value.line)


# -- namespaces, DI, extensions ---------------------------------------------------------


def test_draft_namespace_is_read_with_a_diagnostic() -> None:
    path = FIXTURES / "draft-namespace.bpmn"
    model = load(path)
    assert model.namespace == "http://schema.omg.org/spec/BPMN/2.0"
    assert [(n.id, n.kind) for n in model.flow_nodes] == [
        ("Start_1", "startEvent"),
        ("Task_1", "userTask"),
        ("End_1", "endEvent"),
    ]
    assert [f.source.id for f in model.sequence_flows] == ["Start_1", "Task_1"]
    [diagnostic] = model.diagnostics
    assert diagnostic.code == "draft-namespace"
    assert diagnostic.line == line_of(path, "<definitions")
    assert diagnostic.element_id == "Definitions_Draft"
    assert "http://www.omg.org/spec/BPMN/20100524/MODEL" in diagnostic.message


def test_file_without_di() -> None:
    model = load(FIXTURES / "no-di.bpmn")
    assert model.diagrams == [] and model.shapes == [] and model.edges == []
    assert model.shapes_by_element == {} and model.edges_by_element == {}
    assert model.shape("Task_1") is None
    assert [n.kind for n in model.flow_nodes] == ["startEvent", "scriptTask", "endEvent"]
    assert model.processes[0].is_executable
    assert model.diagnostics == []


def test_several_diagrams_in_one_file() -> None:
    model = load(FIXTURES / "two-diagrams.bpmn")
    assert [d.id for d in model.diagrams] == ["Diagram_Main", "Diagram_Sub"]
    main, sub = model.diagrams
    assert main.plane.element is model.get("Process_1")
    assert sub.plane.element is model.get("Sub_1")
    assert [s.id for s in main.plane.shapes] == ["Start_1_di", "Sub_1_di"]
    assert [e.id for e in main.plane.edges] == ["Flow_1_di"]
    assert [s.id for s in sub.plane.shapes] == ["Inner_1_di"]
    inner = model.shape("Inner_1")
    assert inner.plane is sub.plane and inner.element is model.get("Inner_1")
    assert model.shape("Sub_1").is_expanded is False
    assert model.get("Inner_1").scope is model.get("Sub_1")
    assert model.diagnostics == []


def test_vendor_extensions_stay_in_the_xml() -> None:
    path = FIXTURES / "vendor-extensions.bpmn"
    model = load(path)
    # Camunda repeats form field ids on purpose: not a BPMN id, not a problem
    assert model.diagnostics == []
    task = model.get("Task_1")
    assert task.xml.get("{http://camunda.org/schema/1.0/bpmn}assignee") == "demo"
    assert model.processes[0].xml.get("{http://camunda.org/schema/1.0/bpmn}historyTimeToLive") == "P30D"
    extension = {etree.QName(el).localname for el in task.xml.iter() if isinstance(el.tag, str)}
    assert {"formField", "taskDefinition", "signavioMetaData"} <= extension
    shape = model.shape("Task_1")
    assert shape.xml.get("{http://bpmn.io/schema/bpmn/biocolor/1.0}stroke") == "#1e88e5"
    written = etree.tostring(model.tree, encoding="unicode")
    for needle in ('camunda:formKey="embedded:app:forms/start.html"', "zeebe:taskDefinition",
                   'signavio:signavioMetaData metaKey="bgcolor"', 'bioc:fill="#bbdefb"'):
        assert needle in written
    # the form fields' ids are known (a reference to them is not dangling)
    assert "amount" in model.all_ids


# -- sources load() accepts --------------------------------------------------------------


def test_load_accepts_path_str_bytes_and_file_objects() -> None:
    path = FIXTURES / "windows-1252.bpmn"
    data = path.read_bytes()
    expected = ("Anfrage", "Prüfung für 5 €", "„Angebot“ gesendet")
    from_path = load(path)
    assert from_path.path == str(path)
    assert_small_process(from_path, expected)
    assert load(str(path)).path == str(path)
    for source in (data, bytearray(data), memoryview(data), io.BytesIO(data)):
        model = load(source)
        assert model.path is None
        assert_small_process(model, expected)
    with open(path, "rb") as fh:
        model = load(fh)
    assert model.path == str(path)
    assert_small_process(model, expected)
    assert load(data, path="given.bpmn").path == "given.bpmn"


def test_load_accepts_text_file_objects() -> None:
    # A str has no bytes to decode: its encoding declaration is ignored.
    text = (FIXTURES / "windows-1252.bpmn").read_bytes().decode("cp1252")
    assert 'encoding="windows-1252"' in text
    model = load(io.StringIO(text))
    assert_small_process(model, ("Anfrage", "Prüfung für 5 €", "„Angebot“ gesendet"))
    assert bpmn_cx.loader.load_string(text).get("End_1").name == "„Angebot“ gesendet"
    with open(FIXTURES / "gbk.bpmn", encoding="gbk") as fh:
        model = load(fh)
    assert model.path == str(FIXTURES / "gbk.bpmn")
    assert_small_process(model, ("收到申请", "审批申请", "已批准"))


def test_load_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        load(42)  # type: ignore[arg-type]
