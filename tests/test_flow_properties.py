"""reachable() and can_finish() against plain fixed-point definitions, on random models.

The analyses walk the graph once (can_finish() walks sequence flows backwards
through ``incoming``); the definitions here iterate until nothing changes,
which is slow but obviously right.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bpmn_cx import load
from bpmn_cx.analysis.flow import FlowGraph, can_finish, is_event_subprocess, reachable, scope_starts
from bpmn_cx.model import FlowNode, Model, Scope, SubProcess

_KINDS = ["task", "task", "exclusiveGateway", "endEvent", "startEvent"]


@st.composite
def models(draw: st.DrawFn) -> bytes:
    """A process with a few nodes and one sub-process, flows drawn at random
    (also across scopes, which BPMN forbids but files contain)."""
    outer = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=7))
    inner = draw(st.lists(st.sampled_from(_KINDS), max_size=4))
    nodes = [(f"n{i}", kind, "outer") for i, kind in enumerate(outer)]
    nodes += [(f"i{i}", kind, "inner") for i, kind in enumerate(inner)]
    ids = [node_id for node_id, _, _ in nodes] + ["S"]
    with_boundary = draw(st.booleans())
    if with_boundary:
        ids.append("B")
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=14))
    flows = {"outer": [], "inner": []}
    for k, (source, target) in enumerate(pairs):
        where = "inner" if source.startswith("i") else "outer"
        flows[where].append(f'<sequenceFlow id="f{k}" sourceRef="{source}" targetRef="{target}"/>')

    def elements(where: str) -> str:
        return "".join(f'<{kind} id="{node_id}"/>' for node_id, kind, place in nodes if place == where)

    boundary = '<boundaryEvent id="B" attachedToRef="S"/>' if with_boundary else ""
    return (
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">'
        f'<process id="P">{elements("outer")}'
        f'<subProcess id="S">{elements("inner")}{"".join(flows["inner"])}</subProcess>'
        f'{boundary}{"".join(flows["outer"])}</process></definitions>'
    ).encode()


def _reference_reachable(model: Model, graph: FlowGraph) -> set[int]:
    seen: set[int] = set()
    frontier: list[FlowNode] = []

    def enter(scope: Scope) -> None:
        frontier.extend(scope_starts(scope))
        frontier.extend(n for n in scope.nodes if is_event_subprocess(n))

    for process in model.processes:
        enter(process)
    while frontier:
        node = frontier.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SubProcess):
            enter(node)
        frontier.extend(graph.successors(node))
    return seen


def _reference_can_finish(model: Model, graph: FlowGraph, trust: bool) -> set[int]:
    finishing: set[int] = set()

    def inside_finishes(scope: Scope) -> bool:
        starts = scope_starts(scope)
        return not scope.nodes or not starts or any(id(s) in finishing for s in starts)

    changed = True
    while changed:
        changed = False
        for node in model.flow_nodes:
            if id(node) in finishing:
                continue
            stuck = isinstance(node, SubProcess) and not trust and not inside_finishes(node)
            successors = node.boundary_events if stuck else graph.successors(node)
            inside = [s for s in successors if s is not None and s.scope is node.scope]
            if any(id(s) in finishing for s in inside) or (not inside and not stuck):
                finishing.add(id(node))
                changed = True
    return finishing


#: A sub-process whose inside loops forever: only its boundary event leads on.
_STUCK_INSIDE = (
    b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">'
    b'<process id="P"><startEvent id="n0"/><endEvent id="n1"/><endEvent id="n2"/>'
    b'<subProcess id="S"><startEvent id="i0"/><task id="i1"/>'
    b'<sequenceFlow id="f0" sourceRef="i0" targetRef="i1"/><sequenceFlow id="f1" sourceRef="i1" targetRef="i0"/>'
    b'</subProcess><boundaryEvent id="B" attachedToRef="S"/>'
    b'<sequenceFlow id="f2" sourceRef="n0" targetRef="S"/><sequenceFlow id="f3" sourceRef="S" targetRef="n1"/>'
    b'<sequenceFlow id="f4" sourceRef="B" targetRef="n2"/></process></definitions>'
)


@settings(max_examples=300, deadline=None)
@given(models())
@example(_STUCK_INSIDE)
@example(_STUCK_INSIDE.replace(b'<boundaryEvent id="B" attachedToRef="S"/>', b"").replace(
    b'<sequenceFlow id="f4" sourceRef="B" targetRef="n2"/>', b""))
def test_reachable_and_can_finish_match_their_definitions(data: bytes) -> None:
    model = load(data)
    graph = FlowGraph.build(model)
    assert reachable(model, graph) == _reference_reachable(model, graph)
    for trust in (False, True):
        assert can_finish(model, graph, trust_subprocesses=trust) == _reference_can_finish(model, graph, trust)
