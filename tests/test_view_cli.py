"""``bpmn-cx view``: outputs, safe writing, exit codes and messages (in-process)."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import bpmn_cx
from bpmn_cx.cli import main
from helpers.bpmn_text import lanes_doc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
VIEWS = ROOT / "fixtures" / "views"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["view", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_bpmn_to_stdout() -> None:
    code, out, err = run(str(EXAMPLE))
    assert code == 0, err
    assert out.startswith("<?xml")
    model = bpmn_cx.load(out.encode())
    assert "Task_CreditCheck" not in model.all_ids
    assert bpmn_cx.validate(out.encode()).valid


def test_output_file_is_written_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "view.bpmn"
    code, out, err = run(str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert "1 placeholder" in err and "2 lanes pruned" in err
    from bpmn_cx.customer import customer_view

    assert target.read_bytes() == customer_view(bpmn_cx.load(EXAMPLE)).to_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name != "view.bpmn"]  # no temp file left


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "in.bpmn"
    shutil.copy(EXAMPLE, copy)
    before = copy.read_bytes()
    for target in (str(copy), str(tmp_path / "." / "in.bpmn")):
        code, out, err = run(str(copy), "-o", target)
        assert code == 2
        assert "refusing to overwrite the input" in err
        assert copy.read_bytes() == before
    link = tmp_path / "link.bpmn"
    os.symlink(copy, link)
    code, _, err = run(str(copy), "-o", str(link))
    assert code == 2 and copy.read_bytes() == before


def test_no_customer_exits_2_with_the_lanes_seen(tmp_path: Path) -> None:
    path = tmp_path / "nocustomer.bpmn"
    path.write_bytes(lanes_doc([("A", "Sales", ["T"]), ("B", "Private Customer Account Manager", [])],
                               [("T", "task")], []))
    code, out, err = run(str(path))
    assert code == 2
    assert out == ""
    assert "no customer pool or lane found" in err
    assert "Private Customer Account Manager" in err and "Sales" in err
    assert str(path) in err
    assert "Traceback" not in err


def test_ambiguous_customer_exits_2_and_customer_option_resolves_it(tmp_path: Path) -> None:
    path = tmp_path / "two.bpmn"
    path.write_bytes(lanes_doc([("A", "Customer", ["T"]), ("B", "Patient", ["U"]), ("C", "Desk", ["V"])],
                               [("T", "task"), ("U", "task"), ("V", "task")], [("T", "V"), ("V", "U")]))
    code, _, err = run(str(path))
    assert code == 2 and "several pools or lanes could be the customer" in err
    code, out, err = run(str(path), "--customer", "Patient", "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert [lane["id"] for lane in summary["customer"]["lanes"]] == ["B"]
    code, out, _ = run(str(path), "--customer", "A", "--customer", "Patient", "--format", "json")
    assert [lane["id"] for lane in json.loads(out)["customer"]["lanes"]] == ["A", "B"]
    code, _, err = run(str(path), "--customer", "Nobody")
    assert code == 2 and "'Nobody'" in err


def test_json_summary() -> None:
    code, out, err = run(str(VIEWS / "customer-pool.bpmn"), "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert [lane["id"] for lane in summary["kept_lanes"]] == ["Lane_Waiter", "Lane_Accounting"]
    assert [lane["id"] for lane in summary["pruned_lanes"]] == ["Lane_Kitchen"]
    assert len(summary["touchpoints"]) == 4
    assert [t["id"] for t in summary["unowned_touchpoints"]] == ["Msg_Complaint"]
    assert len(summary["hidden_regions"]) == 2 and len(summary["placeholders"]) == 2
    assert summary["summary"]["pruned_lanes"] == 1
    assert summary["dropped_pools"][0]["id"] == "Pool_Supplier"
    assert summary["message_flows"]["dropped"] == ["Msg_Produce"]


def test_mermaid() -> None:
    code, out, err = run(str(EXAMPLE), "--format", "mermaid")
    assert code == 0, err
    assert out.startswith("flowchart LR\n")
    assert 'subgraph Lane_Customer["Customer"]' in out
    assert "Behind the line of visibility" in out
    assert "Task_CreditCheck" not in out
    assert "Gateway_Decision -- \"yes\" --> Task_Approval" in out


def test_strict_hides_backstage(tmp_path: Path) -> None:
    code, out, _ = run(str(VIEWS / "customer-pool.bpmn"), "--strict", "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert summary["strict"] is True
    assert "Task_Pass" in summary["hidden_nodes"]


def test_lane_name_option() -> None:
    code, out, _ = run(str(EXAMPLE), "--lane-name", "Hinter der Sichtlinie")
    assert code == 0 and 'name="Hinter der Sichtlinie"' in out


def test_customer_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "two.bpmn"
    path.write_bytes(lanes_doc([("A", "Customer", ["T"]), ("B", "Patient", ["U"]), ("C", "Desk", ["V"])],
                               [("T", "task"), ("U", "task"), ("V", "task")], [("T", "V"), ("V", "U")]))
    (tmp_path / ".bpmn-cx.toml").write_text('customer = ["Patient"]\n', encoding="utf-8")
    code, out, err = run(str(path), "--format", "json")
    assert code == 0, err
    assert [lane["id"] for lane in json.loads(out)["customer"]["lanes"]] == ["B"]
    # The command line wins over the configuration.
    code, out, _ = run(str(path), "--format", "json", "--customer", "Customer")
    assert [lane["id"] for lane in json.loads(out)["customer"]["lanes"]] == ["A"]


def test_bad_inputs_have_defined_exit_codes(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "missing.bpmn"))
    assert code == 2 and "no such file" in err
    code, _, err = run(str(tmp_path))
    assert code == 2 and "directory" in err
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions", encoding="utf-8")
    code, _, err = run(str(broken))
    assert code == 1 and "not well-formed" in err and "Traceback" not in err
    code, _, err = run(str(EXAMPLE), "-o", str(tmp_path / "no" / "such" / "dir.bpmn"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(str(EXAMPLE), "--format", "svg")
    assert code == 2


def test_help_lists_the_options() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["view", "--help"], stdout=out, stderr=err)
    assert code == 0
