"""``bpmn-cx export``: formats, output files, refusals and error exits; the JSON form and its schema."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import jsonschema
import pytest

import bpmn_cx
from bpmn_cx import edit
from bpmn_cx.cli import main
from bpmn_cx.export import json as json_export

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
FIXTURES = ROOT / "fixtures" / "roundtrip"
ORDERS = FIXTURES / "order-handling.bpmn"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- the command ---------------------------------------------------------------------------


def test_bpmn_to_stdout_is_the_file() -> None:
    code, out, err = run(str(EXAMPLE))
    assert (code, err) == (0, "")
    assert out == EXAMPLE.read_text(encoding="utf-8")


def test_bpmn_to_stdout_decodes_the_files_encoding() -> None:
    code, out, _ = run(str(FIXTURES / "iso-8859-1.bpmn"), "--format", "bpmn")
    assert code == 0
    assert out == (FIXTURES / "iso-8859-1.bpmn").read_bytes().decode("iso-8859-1")


@pytest.mark.parametrize("fmt", ["bpmn", "json", "mermaid", "dot"])
def test_every_format_to_a_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, out, err = run(str(ORDERS), "--format", fmt, "-o", str(target))
    assert (code, out, err) == (0, "", "")
    data = target.read_bytes()
    if fmt == "bpmn":
        assert data == ORDERS.read_bytes()
    elif fmt == "json":
        jsonschema.Draft202012Validator(json_export.schema()).validate(json.loads(data))
    elif fmt == "mermaid":
        assert data.startswith(b"flowchart LR\n")
    else:
        assert data.startswith(b'digraph "Definitions_OrderHandling" {')


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "model.bpmn"
    copy.write_bytes(EXAMPLE.read_bytes())
    before = copy.stat().st_mtime_ns
    for target in (str(copy), str(tmp_path / "." / "model.bpmn")):
        code, out, err = run(str(copy), "-o", target)
        assert code == 2 and "refusing to overwrite the input" in err and "--in-place" in err
    assert copy.read_bytes() == EXAMPLE.read_bytes() and copy.stat().st_mtime_ns == before


def test_in_place_rewrites_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "model.bpmn"
    copy.write_bytes((FIXTURES / "crlf.bpmn").read_bytes())
    code, out, err = run(str(copy), "--in-place")
    assert (code, out, err) == (0, "", "")
    assert copy.read_bytes() == (FIXTURES / "crlf.bpmn").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["model.bpmn"]


def test_in_place_only_for_bpmn_and_not_with_another_output(tmp_path: Path) -> None:
    code, _, err = run(str(EXAMPLE), "--format", "json", "--in-place")
    assert code == 2 and "--in-place" in err
    code, _, err = run(str(EXAMPLE), "--in-place", "-o", str(tmp_path / "x.bpmn"))
    assert code == 2 and "either --in-place or -o" in err


def test_unwritable_output_is_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = run(str(EXAMPLE), "-o", str(tmp_path / "no" / "such" / "dir" / "x.bpmn"))
    assert code == 2 and "does not exist" in err and "Traceback" not in err
    code, _, err = run(str(EXAMPLE), "-f", "json", "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            code, _, err = run(str(EXAMPLE), "-o", str(locked / "x.bpmn"))
            assert code == 2 and "cannot write" in err
        finally:
            locked.chmod(0o700)


def test_existing_output_survives_a_failed_export(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me")
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions xmlns:bpmn='x'>")
    code, _, err = run(str(broken), "-f", "json", "-o", str(target))
    assert code == 1 and "not well-formed" in err
    assert target.read_text() == "keep me"


def test_missing_and_unreadable_inputs() -> None:
    code, _, err = run("no-such-file.bpmn")
    assert code == 2 and "no such file" in err
    code, _, err = run(str(ROOT / "fixtures"))
    assert code == 2 and "is a directory" in err


def test_not_bpmn_is_exit_1(tmp_path: Path) -> None:
    dmn = tmp_path / "decision.dmn"
    dmn.write_text('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" />')
    code, out, err = run(str(dmn), "-f", "mermaid")
    assert code == 1 and out == "" and "DMN" in err


def test_usage_errors() -> None:
    code, _, err = run(str(EXAMPLE), "--format", "svg")
    assert code == 2 and "invalid choice" in err
    code, _, _ = run()
    assert code == 2


# -- the JSON form ------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_export.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_json_of_the_order_example() -> None:
    model = bpmn_cx.load(ORDERS)
    data = json.loads(json_export.dumps(model))
    jsonschema.Draft202012Validator(json_export.schema()).validate(data)
    assert data["format"] == "bpmn-cx-model" and data["version"] == 1
    assert [p["id"] for p in data["pools"]] == ["Participant_Customer", "Participant_Shop"]
    assert data["pools"][0]["process"] is None
    process = data["processes"][0]
    assert process["pool"] == "Participant_Shop"
    fulfilment = process["lanes"][1]
    assert fulfilment["id"] == "Lane_Fulfilment" and fulfilment["nodes"] == []
    assert [lane["id"] for lane in fulfilment["lanes"]] == ["Lane_Warehouse", "Lane_Shipping"]
    nodes = {n["id"]: n for n in process["nodes"]}
    assert nodes["Task_Pick"] == {
        "id": "Task_Pick", "kind": "task", "name": "Pick items", "lane": "Lane_Warehouse", "scope": "Sub_Fulfil",
        "line": 73, "attachedTo": None, "triggers": [], "documentation": None,
    }
    assert nodes["Boundary_Late"]["attachedTo"] == "Sub_Fulfil" and nodes["Boundary_Late"]["triggers"] == ["timer"]
    assert nodes["Start_Order"]["triggers"] == ["message"]
    flows = {f["id"]: f for f in process["flows"]}
    assert flows["Flow_Yes"]["condition"] == "${orderOk}" and not flows["Flow_Yes"]["isDefault"]
    assert flows["Flow_No"]["isDefault"] and flows["Flow_S1"]["scope"] == "Sub_Fulfil"
    assert {m["id"]: (m["source"], m["target"]) for m in data["messageFlows"]}["Message_PlaceOrder"] == (
        "Participant_Customer", "Start_Order")


def test_json_is_deterministic_and_keeps_unicode() -> None:
    model = bpmn_cx.load(FIXTURES / "bom.bpmn")
    text = json_export.dumps(model)
    assert text == json_export.dumps(bpmn_cx.load(FIXTURES / "bom.bpmn"))
    assert "日本への発送 (€ 12)" in text and text.endswith("}\n")


def test_json_after_edits_has_null_lines_for_new_elements() -> None:
    model = bpmn_cx.load(EXAMPLE)
    node = edit.add_node(model, model.processes[0], "task", name="New")
    data = json_export.to_data(model)
    jsonschema.Draft202012Validator(json_export.schema()).validate(data)
    entry = next(n for n in data["processes"][0]["nodes"] if n["id"] == node.id)
    assert entry["line"] is None and entry["lane"] is None


def test_schema_rejects_what_it_should() -> None:
    data = json_export.to_data(bpmn_cx.load(EXAMPLE))
    validator = jsonschema.Draft202012Validator(json_export.schema())
    broken = json.loads(json.dumps(data))
    broken["processes"][0]["nodes"][0]["kind"] = "dance"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(data))
    del broken["processes"][0]["flows"][0]["isDefault"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(data))
    broken["extra"] = 1
    assert not validator.is_valid(broken)


def test_json_of_corpus_files_fits_the_schema() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not there")
    validator = jsonschema.Draft202012Validator(json_export.schema())
    files = sorted(p for p in CORPUS.rglob("*.bpmn*") if p.is_file())[::10]
    checked = 0
    for path in files:
        try:
            model = bpmn_cx.load(path)
        except bpmn_cx.LoadError:
            continue
        errors = list(validator.iter_errors(json.loads(json_export.dumps(model))))
        assert errors == [], (path, errors[0].message)
        checked += 1
    assert checked > 50
