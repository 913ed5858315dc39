"""Checks of the customer-view invariants, shared by the view tests.

Each check returns a list of problems (empty when all is well), so a failing
test says exactly what broke.
"""

from __future__ import annotations

from collections import deque

import bpmn_cx
from bpmn_cx.model import FlowNode, Model, SubProcess
from bpmn_cx.validation import validate

INTEGRITY_CODES = ("dangling-reference", "duplicate-id", "missing-reference", "invalid-reference")


def scope_graph(model: Model) -> dict[str, list[str]]:
    """Successors by node id: sequence flows within a scope, host -> boundary event, and
    link throw -> the link catches of the same name in its scope."""
    succ: dict[str, list[str]] = {n.id: [] for n in model.flow_nodes if n.id}
    for flow in model.sequence_flows:
        if flow.source is not None and flow.target is not None and flow.source.scope is flow.target.scope:
            succ[flow.source.id].append(flow.target.id)
    for node in model.flow_nodes:
        if node.attached_to is not None and node.attached_to.id in succ:
            succ[node.attached_to.id].append(node.id)
    catches: dict[tuple[int, str], list[str]] = {}
    throws: list[tuple[str, tuple[int, str]]] = []
    for node in model.flow_nodes:
        for definition in node.xml:
            if isinstance(definition.tag, str) and definition.tag.endswith("}linkEventDefinition"):
                key = (id(node.scope), definition.get("name") or node.name or "")
                if node.kind == "intermediateCatchEvent":
                    catches.setdefault(key, []).append(node.id)
                elif node.kind == "intermediateThrowEvent":
                    throws.append((node.id, key))
    for throw, key in throws:
        succ[throw].extend(catches.get(key, ()))
    return succ


def reach_sets(succ: dict[str, list[str]], sources: list[str]) -> dict[str, set[str]]:
    """Nodes reachable from each source by a path of one or more flows."""
    out: dict[str, set[str]] = {}
    for source in sources:
        seen: set[str] = set()
        queue = deque(succ.get(source, ()))
        while queue:
            node = queue.popleft()
            if node in seen:
                continue
            seen.add(node)
            queue.extend(succ.get(node, ()))
        out[source] = seen
    return out


def reachability_problems(original: Model, view_model: Model, kept_ids: list[str]) -> list[str]:
    """For kept nodes a, b: a reaches b in the view iff it does in the original."""
    kept = [k for k in kept_ids if k in view_model.by_id]
    before = reach_sets(scope_graph(original), kept)
    after = reach_sets(scope_graph(view_model), kept)
    kept_set = set(kept)
    problems = []
    for a in kept:
        lost = (before[a] & kept_set) - after[a]
        invented = (after[a] & kept_set) - before[a]
        if lost:
            problems.append(f"{a} no longer reaches {sorted(lost)}")
        if invented:
            problems.append(f"{a} now reaches {sorted(invented)} (it did not before)")
    return problems


def identity_problems(original: Model, view_model: Model, kept_ids: list[str]) -> list[str]:
    problems = []
    for node_id in kept_ids:
        before = original.by_id.get(node_id)
        after = view_model.by_id.get(node_id)
        if after is None:
            problems.append(f"kept {node_id} is missing from the view")
            continue
        if (before.kind, before.name) != (after.kind, after.name):
            problems.append(f"{node_id} changed from {before.kind} {before.name!r} to {after.kind} {after.name!r}")
    return problems


def pruned_problems(view, view_model: Model) -> list[str]:
    """No node of a pruned lane, and nothing hidden, appears in the view."""
    plan = view.plan
    problems = []
    pruned = {id(lane) for lane in plan.pruned_lanes}
    for node in plan.model.flow_nodes:
        lane = node.lane if node.attached_to is None else node.attached_to.lane
        in_pruned = lane is not None and id(lane) in pruned
        if in_pruned and node.id in view_model.all_ids:
            problems.append(f"{node.id} of pruned lane {lane.id} appears in the view")
    for node in plan.hidden_nodes:
        if node.id in view_model.all_ids:
            problems.append(f"hidden {node.id} appears in the view")
    for lane in plan.pruned_lanes:
        if lane.id in view_model.all_ids:
            problems.append(f"pruned lane {lane.id} appears in the view")
    return problems


def message_flow_problems(view, view_model: Model) -> list[str]:
    plan = view.plan
    problems = []
    for flow in plan.kept_message_flows:
        if flow.id not in view_model.by_id:
            problems.append(f"kept message flow {flow.id} is missing")
    for flow in plan.dropped_message_flows:
        if flow.id in view_model.all_ids:
            problems.append(f"dropped message flow {flow.id} is still there")
    kept_ids = {n.id for n in plan.kept_nodes}
    for flow in plan.model.message_flows:
        ends = (flow.source, flow.target)
        if all(e is not None and (e.id in kept_ids or e.kind == "participant") for e in ends) and any(
            e.id in kept_ids for e in ends
        ) and all(e.id in view_model.by_id for e in ends) and flow.id not in view_model.by_id:
            problems.append(f"message flow {flow.id} between kept elements was dropped")
    for participant in view_model.participants:
        process = participant.process
        if process is None and not any(
            participant in (f.source, f.target) for f in view_model.message_flows
        ) and not plan.customer.has_participant(plan.model.by_id.get(participant.id)):
            problems.append(f"pool {participant.id} is left with nothing")
    return problems


def validity_problems(view_model: Model, data: bytes) -> list[str]:
    problems = [f"XSD: {e}" for e in validate(data).errors]
    problems += [f"{d.code}: {d.message}" for d in view_model.diagnostics if d.code in INTEGRITY_CODES]
    return problems


def layout_problems(view_model: Model) -> list[str]:
    """Every drawn node sits in a lane, no two sibling shapes overlap, flows are orthogonal."""
    problems = []
    shapes = {}
    for shape in view_model.shapes:
        if shape.element is not None and shape.bounds is not None:
            shapes[shape.element.id] = shape.bounds
    for node in view_model.flow_nodes:
        if node.scope is not None and not isinstance(node.scope, SubProcess) and node.id not in shapes:
            problems.append(f"{node.id} has no shape")
    by_scope: dict[int, list[FlowNode]] = {}
    for node in view_model.flow_nodes:
        if node.kind == "boundaryEvent" or node.id not in shapes:
            continue
        by_scope.setdefault(id(node.scope), []).append(node)
    for nodes in by_scope.values():
        ordered = sorted(nodes, key=lambda n: shapes[n.id].x)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if shapes[b.id].x >= shapes[a.id].right:
                    break
                if shapes[a.id].overlaps(shapes[b.id]):
                    problems.append(f"{a.id} and {b.id} overlap")
    for node in view_model.flow_nodes:
        if node.lane is None or node.id not in shapes or node.lane.id not in shapes:
            continue
        if isinstance(node.scope, SubProcess):
            continue
        lane_box, box = shapes[node.lane.id], shapes[node.id]
        if not lane_box.contains(box, tolerance=1) and node.kind != "boundaryEvent":
            problems.append(f"{node.id} is drawn outside its lane {node.lane.id}")
    for edge in view_model.edges:
        if edge.element is None or edge.element.kind != "sequenceFlow":
            continue
        points = edge.waypoints
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            if x1 != x2 and y1 != y2:
                problems.append(f"flow {edge.element.id} has a diagonal segment")
                break
    lanes = [s for s in view_model.shapes if s.element is not None and s.element.kind == "lane"]
    for i, a in enumerate(lanes):
        for b in lanes[i + 1 :]:
            if a.element.parent is None and b.element.parent is None and a.bounds.overlaps(b.bounds):
                problems.append(f"lanes {a.element.id} and {b.element.id} overlap")
    return problems


def all_problems(view) -> list[str]:
    data = view.to_bytes()
    view_model = bpmn_cx.load(data)
    kept_ids = [n.id for n in view.plan.kept_nodes]
    original = view.plan.model
    return (
        validity_problems(view_model, data)
        + identity_problems(original, view_model, kept_ids)
        + reachability_problems(original, view_model, kept_ids)
        + pruned_problems(view, view_model)
        + message_flow_problems(view, view_model)
        + layout_problems(view_model)
    )
