"""XSD validation: the library call and ``bpmn-cx validate``."""

from __future__ import annotations

import importlib
import io
import json
import shutil
import socket
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx import LoadError, load
from bpmn_cx.cli import main
from bpmn_cx.validation import SchemaError, ValidationResult, bpmn_schema, compile_schema, readable, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "load"
VALID = FIXTURES / "model-coverage.bpmn"
INVALID = FIXTURES / "invalid-schema.bpmn"
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
validation = importlib.import_module("bpmn_cx.validation")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- the library ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [VALID, EXAMPLE, FIXTURES / "gbk.bpmn", FIXTURES / "utf-16.bpmn",
                                  FIXTURES / "default-namespace.bpmn", FIXTURES / "vendor-extensions.bpmn"])
def test_valid_files_have_no_errors(path: Path) -> None:
    result = validate(path)
    assert isinstance(result, ValidationResult)
    assert result.valid and bool(result) and result.errors == []
    assert result.path == str(path)


def test_every_error_is_reported_with_its_line() -> None:
    result = validate(INVALID)
    assert not result.valid and not result
    found = [(e.line, e.message) for e in result.errors]
    expected_lines = [
        line_of(INVALID, 'isExecutable="maybe"'),
        line_of(INVALID, 'color="red"'),
        line_of(INVALID, 'id="Flow_1"'),
        line_of(INVALID, 'name="again"'),
        line_of(INVALID, 'x="ten"'),
    ]
    assert [line for line, _ in found] == expected_lines
    messages = [message for _, message in found]
    assert "bpmn:process" in messages[0] and "'maybe'" in messages[0] and "boolean" in messages[0]
    assert "bpmn:task" in messages[1] and "'color' is not allowed" in messages[1]
    assert "bpmn:sequenceFlow" in messages[2] and "'targetRef' is required" in messages[2]
    assert "'Task_1' is used by another element too" in messages[3]
    assert "dc:Bounds" in messages[4] and "'ten'" in messages[4]
    for error in result.errors:
        assert isinstance(error, SchemaError) and error.path == str(INVALID)
        assert "{http" not in error.message  # namespaces as prefixes
        assert str(error).startswith(f"{INVALID}:{error.line}")


def test_readable_messages() -> None:
    model_task = "{http://www.omg.org/spec/BPMN/20100524/MODEL}task"
    assert readable(f"Element '{model_task}': This element is not expected.") == \
        "element 'bpmn:task': This element is not expected."
    assert readable("Element '{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape': x").startswith(
        "element 'bpmndi:BPMNShape'")
    assert readable("Element '{http://www.omg.org/spec/DD/20100524/DI}waypoint': x").startswith("element 'di:waypoint'")
    assert readable("Element '{urn:vendor}thing': x").startswith("element '{urn:vendor}thing'")
    bad = readable(f"Element '{model_task}', attribute 'id': '1 a' is not a valid value of the atomic type 'xs:ID'.")
    assert "'1 a' is not a valid id" in bad


def test_validate_accepts_bytes_file_objects_and_models() -> None:
    data = INVALID.read_bytes()
    assert len(validate(data).errors) == 5
    assert validate(data).path is None
    assert validate(data, path="named.bpmn").errors[0].path == "named.bpmn"
    assert len(validate(io.BytesIO(data)).errors) == 5
    assert len(validate(io.StringIO(data.decode())).errors) == 5
    model = load(INVALID)
    assert [e.line for e in validate(model).errors] == [e.line for e in validate(INVALID).errors]
    assert validate(load(VALID)).valid
    assert bpmn_cx.validate is validate  # the package's function, whatever was imported first


def test_what_is_not_bpmn_raises_load_error() -> None:
    for name in ("not-xml.bpmn", "not-well-formed.bpmn", "dmn.dmn", "empty.bpmn"):
        with pytest.raises(LoadError):
            validate(FIXTURES / name)


def test_draft_namespace_is_one_clear_error() -> None:
    result = validate(FIXTURES / "draft-namespace.bpmn")
    [error] = result.errors
    assert "pre-release namespace" in error.message and error.line == 3


def test_windows_1252_declared_as_utf8_is_validated_as_read() -> None:
    assert validate(FIXTURES / "utf8-declared-cp1252.bpmn").valid


def test_entity_references_do_not_crash_the_validator(tmp_path: Path) -> None:
    # libxml2's validator fails with an "internal error" on entity references;
    # they stand for their text (internal) or nothing (external, never read).
    data = b"""<?xml version="1.0"?>
<!DOCTYPE bpmn:definitions [
  <!ENTITY who "Acme">
  <!ENTITY ext SYSTEM "file:///nonexistent">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="P">
    <bpmn:documentation>By &who; and &ext;.</bpmn:documentation>
    <bpmn:task id="T" bad="1" />
  </bpmn:process>
</bpmn:definitions>"""
    [error] = validate(data).errors
    assert error.line == 9 and "'bad' is not allowed" in error.message
    assert validate(data.replace(b' bad="1"', b"")).valid
    model = load(data)
    assert validate(model).errors[0].line == 9
    # the model's own tree is left alone
    assert len(list(model.tree.iter(validation.etree.Entity))) == 2


def test_schema_is_compiled_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = []
    real = validation.compile_schema

    def counting(folder):
        compiled.append(folder)
        return real(folder)

    monkeypatch.setattr(validation, "compile_schema", counting)
    bpmn_schema.cache_clear()
    first = bpmn_schema()
    for _ in range(3):
        validate(VALID)
        validate(INVALID)
        validate(load(VALID))
    assert bpmn_schema() is first
    assert compiled == [validation.schema_dir()]


def test_schema_imports_never_leave_the_schema_folder(tmp_path: Path) -> None:
    # Point the schema's imports at a local server and at a file elsewhere: the
    # resolver still takes the bundled files by name, and never connects.
    folder = tmp_path / "schemas"
    shutil.copytree(validation.schema_dir(), folder)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.3)
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    main_xsd = folder / "BPMN20.xsd"
    text = main_xsd.read_text(encoding="utf-8")
    assert 'schemaLocation="BPMNDI.xsd"' in text and 'schemaLocation="Semantic.xsd"' in text
    text = text.replace('schemaLocation="BPMNDI.xsd"', f'schemaLocation="{url}/BPMNDI.xsd"')
    text = text.replace('schemaLocation="Semantic.xsd"', f'schemaLocation="{(tmp_path / "x" / "Semantic.xsd").as_uri()}"')
    main_xsd.write_text(text, encoding="utf-8")
    try:
        schema = compile_schema(folder)
        tree = load(INVALID).tree
        assert not schema.validate(tree)
        assert len(schema.error_log) == 5
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()


# -- the command ------------------------------------------------------------------------


def test_cli_valid_file_exits_0() -> None:
    code, out, err = run("validate", str(VALID))
    assert code == 0 and err == ""
    assert out.strip() == "1 file checked: 1 valid, 0 invalid"


def test_cli_invalid_file_exits_1_listing_every_error() -> None:
    code, out, err = run("validate", str(INVALID), str(VALID))
    assert code == 1 and err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(f"{INVALID}:{line_of(INVALID, 'isExecutable')}:")
    assert all(": error: " in line for line in lines[:5])
    assert lines[-1] == "2 files checked: 1 valid, 1 invalid (5 errors)"


def test_cli_unreadable_bpmn_is_a_problem_not_a_crash() -> None:
    code, out, err = run("validate", str(FIXTURES / "binary.bpmn"), str(FIXTURES / "not-well-formed.bpmn"))
    assert code == 1 and "Traceback" not in out + err
    assert f"{FIXTURES / 'binary.bpmn'}:1: error: not XML" in out
    assert f"{FIXTURES / 'not-well-formed.bpmn'}:7: error: not well-formed XML" in out


def test_cli_json() -> None:
    code, out, _ = run("validate", "--format", "json", str(INVALID), str(VALID), str(FIXTURES / "dmn.dmn"))
    assert code == 1
    payload = json.loads(out)
    assert payload["summary"] == {"files": 3, "invalid": 2}
    invalid, valid, dmn = payload["files"]
    assert invalid["file"] == str(INVALID) and invalid["valid"] is False
    assert [e["line"] for e in invalid["errors"]] == [4, 5, 6, 7, 12]
    assert {e["kind"] for e in invalid["errors"]} == {"schema"}
    assert valid == {"file": str(VALID), "valid": True, "errors": []}
    assert dmn["errors"][0]["kind"] == "load" and "DMN" in dmn["errors"][0]["message"]
    assert json.loads(run("validate", "--format", "json", str(VALID))[1])["summary"]["invalid"] == 0


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run("validate", str(tmp_path / "nope.bpmn"), str(VALID))
    assert code == 2 and out == ""
    assert f"{tmp_path / 'nope.bpmn'}: no such file or directory" in err


def test_cli_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(VALID, tmp_path / "a.bpmn")
    shutil.copy(INVALID, tmp_path / "sub" / "b.bpmn2")
    (tmp_path / "notes.txt").write_text("not a model")
    (tmp_path / "node_modules").mkdir()
    shutil.copy(INVALID, tmp_path / "node_modules" / "skipped.bpmn")
    code, out, _ = run("validate", str(tmp_path))
    assert code == 1
    assert out.strip().splitlines()[-1] == "2 files checked: 1 valid, 1 invalid (5 errors)"
    assert str(tmp_path / "sub" / "b.bpmn2") in out and "skipped.bpmn" not in out
    code, out, err = run("validate", str(tmp_path / "sub" / ".."), "--format", "json")
    assert code == 1 and len(json.loads(out)["files"]) == 2


def test_cli_folder_without_bpmn_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    code, _, err = run("validate", str(tmp_path))
    assert code == 2 and "no BPMN files" in err


def test_cli_usage_errors_exit_2() -> None:
    assert run("validate")[0] == 2
    assert run("validate", "--format", "xml", str(VALID))[0] == 2


def test_a_repeated_id_is_reported_even_when_all_else_is_valid() -> None:
    # libxml2 misses repeated xsd:IDs when it validates while parsing: such a
    # file must still get its error, with the line.
    text = VALID.read_text(encoding="utf-8")
    anchor = '    <bpmn:group id="Group_Checks"'
    assert anchor in text
    data = text.replace(anchor, '    <bpmn:textAnnotation id="Annotation_Score" />\n' + anchor).encode()
    [error] = validate(data).errors
    line = data.decode().splitlines().index('    <bpmn:textAnnotation id="Annotation_Score" />') + 1
    assert error.line == line
    assert "'Annotation_Score' is used by another element too" in error.message
    # repeated ids outside BPMN (Camunda form fields) are no schema matter
    assert validate(FIXTURES / "vendor-extensions.bpmn").valid


def test_validate_agrees_with_the_full_tree_check_on_the_corpus(corpus_dir: Path) -> None:
    # A guard for shortcuts in validate() (such as checking while parsing,
    # which misses repeated ids): on every real file, the same verdict.
    from bpmn_cx.loader import _check_root, _parse

    files = sorted(p for p in corpus_dir.rglob("*.bpmn*") if "negatives" not in p.parts)
    for path in files:
        data = path.read_bytes()
        try:
            tree, _ = _parse(data, str(path), False)
            _check_root(tree.getroot(), str(path))
        except LoadError:
            continue
        shortcut, full = validate(data), validation.validate_tree(tree)
        assert shortcut.valid == full.valid, path
        assert [(e.line, e.message) for e in shortcut.errors] == [(e.line, e.message) for e in full.errors], path


def test_validate_reports_what_the_check_of_the_loaded_tree_reports() -> None:
    # validate() drops the whitespace between elements before checking (a
    # smaller tree); the loaded tree keeps it. Same errors, same lines.
    from bpmn_cx.loader import _parse

    files = sorted(FIXTURES.glob("*.bpmn")) + sorted((ROOT / "rules" / "schema-invalid").glob("*.bpmn"))
    checked = invalid = 0
    for path in files:
        data = path.read_bytes()
        try:
            tree, _ = _parse(data, str(path), False)
            shortcut = validate(data)
        except LoadError:
            continue
        full = validation.validate_tree(tree)
        assert [(e.line, e.message) for e in shortcut.errors] == [(e.line, e.message) for e in full.errors], path
        checked += 1
        invalid += not full.valid
    assert checked >= 20 and invalid >= 2


def _long_document(variant: str) -> tuple[bytes, bytes]:
    """A document of over 70,000 lines, and the start tag of its last element of one kind."""
    from bpmn_cx.synthetic import synthetic_model

    if variant == "default-namespace":  # libxml2 names such elements '*' in its node paths
        data = synthetic_model(16_000, lanes=2, di=False)
        data = data.replace(b"xmlns:bpmn=", b"xmlns=").replace(b"<bpmn:", b"<").replace(b"</bpmn:", b"</")
        return data, b"<task "
    data = synthetic_model(9000, lanes=2, di=True)
    return data.replace(b"\n", b"\r\n") if variant == "crlf" else data, b"<bpmndi:BPMNShape "


@pytest.mark.parametrize("variant", ["prefixed", "crlf", "default-namespace"])
def test_errors_past_line_65535_keep_their_lines(variant: str) -> None:
    # libxml2 finds the line of an element past 65535 from the text around it,
    # which validate() drops: the error's node path finds the element instead.
    data, tag = _long_document(variant)
    last = data.rindex(tag)
    line = data[:last].count(b"\n") + 1
    assert line > 70_000
    (error,) = validate(data[:last] + tag + b'flavour="x" ' + data[last + len(tag):]).errors
    assert error.line == line and "flavour" in error.message


def test_libxml2_node_paths_lead_to_their_elements() -> None:
    from lxml import etree

    from bpmn_cx.validation import _PathIndex

    tree = etree.fromstring(b'<a xmlns="u"><b/><b><c>x</c></b></a>').getroottree()
    index = _PathIndex(tree)  # default namespace: libxml2 writes '*' and counts every element
    assert index.element("/*/*[2]/*").tag == "{u}c"
    assert index.element("/*/*[2]/*/text()").tag == "{u}c"  # a text node: its element
    assert index.element("/*/*[3]") is None
    tree = etree.fromstring(b'<p:a xmlns:p="u" xmlns:q="v"><q:b/><p:b/><p:b/></p:a>').getroottree()
    index, root = _PathIndex(tree), tree.getroot()
    assert index.element("/p:a/p:b[2]") is root[2] and index.element("/p:a/q:b") is root[0]
