"""Mermaid and Graphviz DOT exports: structure, escaping, identifiers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx import edit
from bpmn_cx.export import dot, mermaid

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
ORDERS = ROOT / "fixtures" / "roundtrip" / "order-handling.bpmn"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

NASTY = 'Say "hi" <b>now</b> & #1; `code` end\\ok\nnext line'


def nasty_model() -> bpmn_cx.Model:
    model = bpmn_cx.load(EXAMPLE)
    edit.set_name(model, model.node("Task_Approval"), NASTY)
    edit.set_name(model, model.get("Lane_Consultant"), 'Consultant "A"')
    node = edit.add_node(model, model.processes[0], "task", id="end", name="end")  # a Mermaid keyword as id
    edit.add_sequence_flow(model, model.node("Task_Approval"), node, name='say "bye"')
    return model


def mermaid_labels(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


# -- Mermaid ----------------------------------------------------------------------------------


def test_mermaid_pools_and_lanes_are_nested_subgraphs() -> None:
    text = mermaid.dumps(bpmn_cx.load(ORDERS))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    subgraph p_Participant_Shop["Web shop"]' in lines
    assert '        subgraph l_Lane_Fulfilment["Fulfilment"]' in lines
    assert '            subgraph l_Lane_Warehouse["Warehouse"]' in lines
    assert '                subgraph n_Sub_Fulfil["Fulfil order"]' in lines  # expanded sub-process
    assert '                    n_Task_Pick("Pick items")' in lines
    assert sum(1 for line in lines if line.strip().startswith("subgraph")) == sum(
        1 for line in lines if line.strip() == "end")
    assert '    p_Participant_Customer["Customer"]' in lines  # black-box pool as a box
    assert "    n_Gateway_OrderOk -->|\"yes\"| n_Sub_Fulfil" in lines  # edge to the subgraph
    assert "    n_Sub_Fulfil -.- n_Boundary_Late" in lines
    assert '    p_Participant_Customer -.->|"order"| n_Start_Order' in lines
    assert '    n_End_Done((("Order completed")))' in "\n".join(lines)
    assert '    n_Gateway_OrderOk{"Order OK?"}' in text


def test_mermaid_escapes_every_label() -> None:
    text = mermaid.dumps(nasty_model())
    for label in mermaid_labels(text):
        assert not set(label) & set('<>&`\n'), label
        assert not re.search(r"#(?!(35|quot|lt|gt|amp|96);)", label), label
    assert ('n_Task_Approval("Say #quot;hi#quot; #lt;b#gt;now#lt;/b#gt; #amp; #35;1; #96;code#96; end\\ok next line")'
            in text)
    assert 'subgraph l_Lane_Consultant["Consultant #quot;A#quot;"]' in text
    assert '-->|"say #quot;bye#quot;"|' in text


def test_mermaid_ids_are_safe_and_unique() -> None:
    model = nasty_model()
    clash = edit.add_node(model, model.processes[0], "task", id="Task.Approval", name="clash")
    text = mermaid.dumps(model)
    ids = re.findall(r"^\s*(n_\w+)[(\[{]", text, re.M)
    assert len(ids) == len(set(ids)) == len(model.flow_nodes)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    # "Task.Approval" and "Task_Approval" both sanitise to the same id: one gets a suffix
    assert "n_end(" in text and clash.id == "Task.Approval"
    assert {"n_Task_Approval", "n_Task_Approval_2"} <= set(ids)


def test_mermaid_unnamed_gateways_show_their_symbol() -> None:
    model = bpmn_cx.load(EXAMPLE)
    gateway = edit.add_node(model, model.processes[0], "parallelGateway")
    assert f'{"n_" + gateway.id}{{"+"}}' in mermaid.dumps(model)


# -- DOT ------------------------------------------------------------------------------------------


def test_dot_clusters_and_edges() -> None:
    text = dot.dumps(bpmn_cx.load(ORDERS))
    assert text.startswith('digraph "Definitions_OrderHandling" {\n')
    assert '    subgraph "cluster_p_Participant_Shop" {' in text
    assert '            subgraph "cluster_l_Lane_Warehouse" {' in text
    assert '                subgraph "cluster_s_Sub_Fulfil" {' in text
    assert text.count("{") == text.count("}")
    # an edge into the expanded sub-process attaches inside and is clipped at its cluster
    assert '"n_Gateway_OrderOk" -> "n_Sub_Start" [label="yes", lhead="cluster_s_Sub_Fulfil"];' in text
    assert '"n_Task_Invoice" -> "p_Participant_Customer" [style=dashed, arrowhead=empty, label="invoice"];' in text


def test_dot_escapes_every_string() -> None:
    text = dot.dumps(nasty_model())
    assert 'label="Say \\"hi\\" <b>now</b> & #1; `code` end\\\\ok\\nnext line"' in text
    # every quoted string is closed: strip escapes, then quotes must pair up on each line
    for line in text.splitlines():
        assert line.replace("\\\\", "").replace('\\"', "").count('"') % 2 == 0, line


def test_quote() -> None:
    assert dot.quote('a"b') == '"a\\"b"'
    assert dot.quote("a\\") == '"a\\\\"'
    assert dot.quote("x\r\ny") == '"x\\ny"'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_the_output(tmp_path: Path) -> None:
    for model in (bpmn_cx.load(ORDERS), nasty_model()):
        source = tmp_path / "model.dot"
        source.write_text(dot.dumps(model), encoding="utf-8")
        result = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_diagrams_of_corpus_files_are_well_formed() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not there")
    files = sorted(p for p in CORPUS.rglob("*.bpmn*") if p.is_file())[::7]
    checked = 0
    for path in files:
        try:
            model = bpmn_cx.load(path)
        except bpmn_cx.LoadError:
            continue
        text = mermaid.dumps(model)
        opened = sum(1 for line in text.splitlines() if line.lstrip().startswith("subgraph "))
        assert opened == sum(1 for line in text.splitlines() if line.strip() == "end"), path
        source = dot.dumps(model)
        assert source.count("{") - source.count("\\{") >= 1
        checked += 1
    assert checked > 50
