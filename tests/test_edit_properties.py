"""Property: any sequence of edits keeps the model valid.

After random edits the written document is XSD-valid, reloads to exactly the
structure the edited model holds (ids, scopes, lanes, flows, DI, indexes),
has no diagnostics the original did not have, and exports to JSON that fits
the schema. An edit refused with EditError must leave the model untouched.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpmn_cx
from bpmn_cx import edit
from bpmn_cx.edit import EditError
from bpmn_cx.export import dot, json as json_export, mermaid
from bpmn_cx.model import Model, Participant, SubProcess
from bpmn_cx.synthetic import synthetic_model
from bpmn_cx.validation import validate
from bpmn_cx.writer import dumps

ROOT = Path(__file__).resolve().parents[1]
BASES: dict[str, bytes] = {
    "credit-inquiry": (ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn").read_bytes(),
    "order-handling": (ROOT / "fixtures" / "roundtrip" / "order-handling.bpmn").read_bytes(),
    "default-namespace": (ROOT / "fixtures" / "roundtrip" / "default-namespace.bpmn").read_bytes(),
    "crlf": (ROOT / "fixtures" / "roundtrip" / "crlf.bpmn").read_bytes(),
    "cdata-no-di": (ROOT / "fixtures" / "roundtrip" / "cdata.bpmn").read_bytes(),
    "iso-8859-1": (ROOT / "fixtures" / "roundtrip" / "iso-8859-1.bpmn").read_bytes(),
    "prefixes": (ROOT / "fixtures" / "roundtrip" / "prefixes.bpmn").read_bytes(),
    "vendor-extensions": (ROOT / "fixtures" / "roundtrip" / "vendor-extensions.bpmn").read_bytes(),
    "collapsed-subprocess": (ROOT / "fixtures" / "roundtrip" / "collapsed-subprocess.bpmn").read_bytes(),
    "synthetic": synthetic_model(25, lanes=3, parallel_every=5, decision_every=7),
}

TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from(["\n", "\t", "<", "&", '"', "→"]),
    max_size=16,
) | st.sampled_from(["]]>", "a ]]> b", "  two  spaces  ", "", "&amp;", "-->"])
KINDS = ["task", "userTask", "serviceTask", "sendTask", "subProcess", "callActivity", "startEvent", "endEvent",
         "intermediateThrowEvent", "intermediateCatchEvent", "exclusiveGateway", "parallelGateway"]
TRIGGERS = [None, "message", "timer", "signal", "error", "escalation"]
BOUNDS = st.tuples(st.integers(0, 2000), st.integers(0, 1000), st.integers(10, 200), st.integers(10, 120))
POINTS = st.lists(st.tuples(st.integers(-50, 2000), st.integers(-50, 1000)), min_size=2, max_size=4)


def apply_random_edit(model: Model, data: st.DataObject) -> None:
    op = data.draw(st.sampled_from([
        "remove_node", "add_node", "add_boundary", "add_flow", "remove_flow", "reconnect", "add_lane",
        "remove_lane", "set_lane", "set_name", "set_documentation", "move_shape", "set_bounds",
        "set_waypoints", "placeholder", "message_flow", "move_lane", "remove_di",
    ]))
    draw = data.draw
    nodes = model.flow_nodes
    if op == "remove_node" and nodes:
        edit.remove_node(model, draw(st.sampled_from(nodes)))
    elif op == "add_node":
        scope = draw(st.sampled_from(model.scopes))
        lane = draw(st.sampled_from([None, *model.lanes]))
        bounds = draw(st.none() | BOUNDS)
        kind = draw(st.sampled_from(KINDS))
        trigger = draw(st.sampled_from(TRIGGERS)) if kind.endswith("Event") and kind != "startEvent" else None
        edit.add_node(model, scope, kind, name=draw(st.none() | TEXT), lane=lane, bounds=bounds,
                      event_definition=trigger if trigger not in ("error", "escalation") or kind == "endEvent" else None)
    elif op == "add_boundary":
        hosts = [n for n in nodes if n.is_activity]
        if hosts:
            host = draw(st.sampled_from(hosts))
            edit.add_node(model, host.scope, "boundaryEvent", attached_to=host,
                          event_definition=draw(st.sampled_from(TRIGGERS)),
                          attributes={"cancelActivity": draw(st.sampled_from(["true", "false"]))})
    elif op == "add_flow" and nodes:
        source = draw(st.sampled_from(nodes))
        targets = [n for n in nodes if n.scope is source.scope]
        target = draw(st.sampled_from(targets))
        edit.add_sequence_flow(model, source, target, name=draw(st.none() | TEXT),
                               condition=draw(st.none() | TEXT), waypoints=draw(st.none() | POINTS),
                               default=draw(st.booleans()))
    elif op == "remove_flow" and (model.sequence_flows or model.message_flows):
        edit.remove_flow(model, draw(st.sampled_from([*model.sequence_flows, *model.message_flows])))
    elif op == "reconnect" and model.sequence_flows:
        flow = draw(st.sampled_from(model.sequence_flows))
        candidates = [n for n in nodes if n.scope is flow.scope]
        if candidates:
            end = draw(st.sampled_from(candidates))
            if draw(st.booleans()):
                edit.reconnect(model, flow, target=end)
            else:
                edit.reconnect(model, flow, source=end)
    elif op == "add_lane":
        parent = draw(st.sampled_from([*model.processes, *model.lanes]))
        siblings = len(parent.child_lanes) if hasattr(parent, "child_lanes") else 0
        edit.add_lane(model, parent, name=draw(st.none() | TEXT), bounds=draw(st.none() | BOUNDS),
                      index=draw(st.none() | st.integers(0, max(siblings, 0))))
    elif op == "remove_lane" and model.lanes:
        edit.remove_lane(model, draw(st.sampled_from(model.lanes)), remove_nodes=draw(st.booleans()))
    elif op == "set_lane" and nodes:
        edit.set_lane(model, draw(st.sampled_from(nodes)), draw(st.sampled_from([None, *model.lanes])))
    elif op == "set_name":
        elements = [*nodes, *model.sequence_flows, *model.lanes, *model.participants]
        if elements:
            edit.set_name(model, draw(st.sampled_from(elements)), draw(st.none() | TEXT))
    elif op == "set_documentation" and nodes:
        edit.set_documentation(model, draw(st.sampled_from(nodes)), draw(st.none() | TEXT))
    elif op == "move_shape" and model.shapes:
        edit.move_shape(model, draw(st.sampled_from(model.shapes)), draw(st.integers(-50, 50)),
                        draw(st.integers(-50, 50)))
    elif op == "set_bounds" and model.shapes:
        edit.set_bounds(model, draw(st.sampled_from(model.shapes)), draw(BOUNDS))
    elif op == "set_waypoints" and model.edges:
        edit.set_waypoints(model, draw(st.sampled_from(model.edges)), draw(POINTS))
    elif op == "placeholder":
        process = draw(st.sampled_from(model.processes))
        edit.add_subprocess_placeholder(model, process, name=draw(TEXT), documentation=draw(st.none() | TEXT),
                                        lane=draw(st.sampled_from([None, *process.lanes])),
                                        bounds=draw(st.none() | BOUNDS))
    elif op == "message_flow" and model.collaborations:
        ends = [*model.participants, *nodes]
        source, target = draw(st.sampled_from(ends)), draw(st.sampled_from(ends))
        edit.add_message_flow(model, source, target, waypoints=draw(st.none() | POINTS))
    elif op == "move_lane" and model.lanes:
        lane = draw(st.sampled_from(model.lanes))
        edit.move_lane(model, lane, draw(st.integers(0, len(lane.lane_set.lanes) - 1)))
    elif op == "remove_di" and (model.shapes or model.edges):
        item = draw(st.sampled_from([*model.shapes, *model.edges]))
        if item in model.shapes:
            edit.remove_shape(model, item)
        else:
            edit.remove_edge(model, item)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(base=st.sampled_from(sorted(BASES)), steps=st.integers(1, 10), data=st.data())
def test_random_edits_keep_the_model_valid(base: str, steps: int, data: st.DataObject) -> None:
    original = BASES[base]
    model = bpmn_cx.load(original)
    diagnostics_before = {(d.code, d.element_id) for d in model.diagnostics}
    for _ in range(steps):
        before = dumps(model)
        try:
            apply_random_edit(model, data)
        except EditError:
            # refused edits change nothing
            assert dumps(model) == before
    out = dumps(model)
    result = validate(out)
    assert result.errors == [], [str(e) for e in result.errors[:5]]
    assert edit.consistency_problems(model) == []
    again = bpmn_cx.load(out)
    assert {(d.code, d.element_id) for d in again.diagnostics} <= diagnostics_before
    assert edit.structure(again) == edit.structure(model)
    jsonschema.Draft202012Validator(json_export.schema()).validate(json_export.to_data(model))
    assert mermaid.dumps(model).startswith("flowchart LR\n")
    assert dot.dumps(model).rstrip().endswith("}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(sorted(BASES)), data=st.data())
def test_unchanged_parts_keep_their_bytes(base: str, data: st.DataObject) -> None:
    # Renaming elements changes their lines only: every other line is kept.
    original = BASES[base]
    model = bpmn_cx.load(original)
    named = [n for n in model.flow_nodes if n.name]
    if not named:
        return
    node = data.draw(st.sampled_from(named))
    edit.set_name(model, node, node.name + " (new)")
    out = dumps(model)
    codec = "iso-8859-1" if base == "iso-8859-1" else "utf-8-sig"
    old_lines = original.decode(codec).splitlines()
    new_lines = out.decode(codec).splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    assert len(changed) == 1 and node.id in new_lines[changed[0]]


def test_structure_tells_models_apart() -> None:
    # the comparison the property relies on can fail
    a = bpmn_cx.load(BASES["credit-inquiry"])
    b = bpmn_cx.load(BASES["credit-inquiry"])
    assert edit.structure(a) == edit.structure(b)
    edit.set_name(b, b.node("Task_Approval"), "other")
    assert edit.structure(a) != edit.structure(b)
    c = bpmn_cx.load(BASES["credit-inquiry"])
    edit.set_bounds(c, c.node("Task_Approval"), (0, 0, 1, 1))
    assert edit.structure(a) != edit.structure(c)
    assert isinstance(next(iter(a.participants)), Participant)
    assert not any(isinstance(n, SubProcess) for n in a.flow_nodes)
