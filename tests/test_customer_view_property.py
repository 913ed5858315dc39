"""Property tests of the customer view over generated models (hypothesis).

For random processes (random lanes, node kinds, flows with loops, boundary
events, an expanded sub-process, a customer lane or a customer pool talking by
messages, with or without DI) the view must keep every kept node with its id,
name and type; preserve reachability between kept nodes exactly (no lost
paths, no invented ones); show nothing of a pruned lane; be XSD-valid without
dangling references; and lay out without overlapping shapes.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bpmn_cx
from bpmn_cx.customer import customer_view
from helpers.view_checks import all_problems, reach_sets, scope_graph

KINDS = [
    "task", "userTask", "serviceTask", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
    "intermediateCatchEvent", "intermediateThrowEvent", "startEvent", "endEvent", "subProcess",
]
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Defs" targetNamespace="http://x">\n'
)


@st.composite
def models(draw) -> bytes:
    n_lanes = draw(st.integers(2, 6))
    n = draw(st.integers(2, 26))
    pool_mode = draw(st.booleans())  # customer as a separate pool with message flows
    nested = draw(st.booleans()) and n_lanes >= 3
    with_di = draw(st.booleans())
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(n)]
    # Few customer nodes and few touchpoints, so that much is hidden.
    lanes = [draw(st.sampled_from([0] + [1 + (k % (n_lanes - 1)) for k in range(2 * n_lanes)])) for _ in range(n)]
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n * 2))
    # A backbone chain, partly: connected stretches make structured hidden regions.
    backbone = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    edges += [(i, i + 1) for i in range(n - 1) if backbone[i]]
    edges = sorted({(a, b) for a, b in edges if kinds[a] != "endEvent" and kinds[b] != "startEvent"})
    hosts = [i for i in range(n) if kinds[i] in ("task", "userTask", "serviceTask", "subProcess")]
    boundaries: list[tuple[int, int, bool]] = []
    if hosts:
        for _ in range(draw(st.integers(0, 2))):
            host = draw(st.sampled_from(hosts))
            target = draw(st.integers(0, n - 1))
            if kinds[target] != "startEvent":
                boundaries.append((host, target, draw(st.booleans())))
    customer_nodes = draw(st.integers(1, 5)) if pool_mode else 0
    messages = []
    if pool_mode:
        for _ in range(draw(st.integers(1, 4))):
            c = draw(st.integers(0, customer_nodes - 1))
            p = draw(st.integers(-1, n - 1))  # -1: the provider pool's boundary
            messages.append((c, p, draw(st.booleans())))

    names = ["Customer" if i == 0 and not pool_mode else f"Dept {i}" for i in range(n_lanes)]
    out = [HEAD, '<bpmn:collaboration id="Collab">\n']
    if pool_mode:
        out.append('<bpmn:participant id="P_C" name="Customer" processRef="Proc_C"/>\n')
    out.append('<bpmn:participant id="P_P" name="Provider" processRef="Proc_P"/>\n')
    for k, (c, p, outbound) in enumerate(messages):
        cid, pid = f"C{c}", ("P_P" if p < 0 else f"N{p}")
        if p >= 0 and kinds[p] == "subProcess":
            pid = f"N{p}"
        a, b = (cid, pid) if outbound else (pid, cid)
        out.append(f'<bpmn:messageFlow id="M{k}" sourceRef="{a}" targetRef="{b}"/>\n')
    out.append("</bpmn:collaboration>\n")
    if pool_mode:
        out.append('<bpmn:process id="Proc_C" isExecutable="false">\n')
        for i in range(customer_nodes):
            out.append(f'<bpmn:task id="C{i}" name="Customer step {i}"/>\n')
        for i in range(customer_nodes - 1):
            out.append(f'<bpmn:sequenceFlow id="CF{i}" sourceRef="C{i}" targetRef="C{i + 1}"/>\n')
        out.append("</bpmn:process>\n")
    out.append('<bpmn:process id="Proc_P" isExecutable="false">\n<bpmn:laneSet id="LS">\n')

    def lane_xml(i: int) -> str:
        refs = "".join(f"<bpmn:flowNodeRef>N{j}</bpmn:flowNodeRef>" for j in range(n) if lanes[j] == i)
        refs += "".join(
            f"<bpmn:flowNodeRef>B{k}</bpmn:flowNodeRef>" for k, (h, _t, _c) in enumerate(boundaries) if lanes[h] == i
        )
        return f'<bpmn:lane id="L{i}" name={quoteattr(names[i])}>{refs}</bpmn:lane>\n'

    if nested:
        # The last two lanes become children of a parent lane.
        for i in range(n_lanes - 2):
            out.append(lane_xml(i))
        out.append('<bpmn:lane id="LParent" name="Department group"><bpmn:childLaneSet id="CLS">\n')
        out.append(lane_xml(n_lanes - 2))
        out.append(lane_xml(n_lanes - 1))
        out.append("</bpmn:childLaneSet></bpmn:lane>\n")
    else:
        for i in range(n_lanes):
            out.append(lane_xml(i))
    out.append("</bpmn:laneSet>\n")
    for i, kind in enumerate(kinds):
        if kind == "subProcess":
            out.append(
                f'<bpmn:subProcess id="N{i}" name="Sub {i}">'
                f'<bpmn:startEvent id="N{i}_s"/><bpmn:task id="N{i}_t" name="Inner {i}"/>'
                f'<bpmn:endEvent id="N{i}_e"/>'
                f'<bpmn:sequenceFlow id="N{i}_f1" sourceRef="N{i}_s" targetRef="N{i}_t"/>'
                f'<bpmn:sequenceFlow id="N{i}_f2" sourceRef="N{i}_t" targetRef="N{i}_e"/>'
                "</bpmn:subProcess>\n"
            )
        else:
            out.append(f'<bpmn:{kind} id="N{i}" name="{kind} {i}"/>\n')
    for k, (host, _target, interrupting) in enumerate(boundaries):
        cancel = "" if interrupting else ' cancelActivity="false"'
        out.append(
            f'<bpmn:boundaryEvent id="B{k}" name="Boundary {k}" attachedToRef="N{host}"{cancel}>'
            f'<bpmn:errorEventDefinition/></bpmn:boundaryEvent>\n'
            if interrupting else
            f'<bpmn:boundaryEvent id="B{k}" name="Boundary {k}" attachedToRef="N{host}"{cancel}>'
            f'<bpmn:timerEventDefinition/></bpmn:boundaryEvent>\n'
        )
    for k, (a, b) in enumerate(edges):
        out.append(f'<bpmn:sequenceFlow id="F{k}" sourceRef="N{a}" targetRef="N{b}"/>\n')
    for k, (_host, target, _c) in enumerate(boundaries):
        out.append(f'<bpmn:sequenceFlow id="BF{k}" sourceRef="B{k}" targetRef="N{target}"/>\n')
    out.append("</bpmn:process>\n")
    if with_di:
        out.append('<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="PL" bpmnElement="Collab">\n')
        y0 = 0
        if pool_mode:
            out.append(f'<bpmndi:BPMNShape id="P_C_di" bpmnElement="P_C" isHorizontal="true">'
                       f'<dc:Bounds x="0" y="0" width="{150 * n + 300}" height="150"/></bpmndi:BPMNShape>\n')
            for i in range(customer_nodes):
                out.append(f'<bpmndi:BPMNShape id="C{i}_di" bpmnElement="C{i}">'
                           f'<dc:Bounds x="{100 + 150 * i}" y="35" width="100" height="80"/></bpmndi:BPMNShape>\n')
            y0 = 200
        out.append(f'<bpmndi:BPMNShape id="P_P_di" bpmnElement="P_P" isHorizontal="true">'
                   f'<dc:Bounds x="0" y="{y0}" width="{150 * n + 300}" height="{200 * n_lanes}"/>'
                   "</bpmndi:BPMNShape>\n")
        for i in range(n_lanes):
            out.append(f'<bpmndi:BPMNShape id="L{i}_di" bpmnElement="L{i}" isHorizontal="true">'
                       f'<dc:Bounds x="30" y="{y0 + 200 * i}" width="{150 * n + 270}" height="200"/>'
                       "</bpmndi:BPMNShape>\n")
        for i, kind in enumerate(kinds):
            w, h = (50, 50) if "Gateway" in kind else (36, 36) if "Event" in kind else (100, 80)
            out.append(f'<bpmndi:BPMNShape id="N{i}_di" bpmnElement="N{i}">'
                       f'<dc:Bounds x="{100 + 150 * i}" y="{y0 + 200 * lanes[i] + 60}" width="{w}" height="{h}"/>'
                       "</bpmndi:BPMNShape>\n")
        for k, (host, _t, _c) in enumerate(boundaries):
            out.append(f'<bpmndi:BPMNShape id="B{k}_di" bpmnElement="B{k}">'
                       f'<dc:Bounds x="{150 + 150 * host}" y="{y0 + 200 * lanes[host] + 122}" width="36" height="36"/>'
                       "</bpmndi:BPMNShape>\n")
        out.append("</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n")
    out.append("</bpmn:definitions>\n")
    return "".join(out).encode("utf-8")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(), st.booleans())
def test_view_invariants_hold_for_generated_models(data: bytes, strict: bool) -> None:
    model = bpmn_cx.load(data)
    assert not [d for d in model.diagnostics if d.code == "dangling-reference"]
    view = customer_view(model, strict=strict)
    problems = all_problems(view)
    assert problems == [], "\n".join(problems) + "\n\n" + data.decode()


@settings(max_examples=150, deadline=None)
@given(models())
def test_view_is_deterministic(data: bytes) -> None:
    first = customer_view(bpmn_cx.load(data)).to_bytes()
    second = customer_view(bpmn_cx.load(data)).to_bytes()
    assert first == second


def test_the_reachability_check_notices_an_invented_path() -> None:
    """The property test's oracle is not vacuous: a view that links two kept
    nodes the original does not link is reported."""
    data = (HEAD + '<bpmn:process id="P"><bpmn:laneSet id="LS">'
            '<bpmn:lane id="L0" name="Customer"><bpmn:flowNodeRef>A</bpmn:flowNodeRef>'
            '<bpmn:flowNodeRef>B</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
            '<bpmn:task id="A" name="a"/><bpmn:task id="B" name="b"/></bpmn:process>'
            "</bpmn:definitions>").encode()
    original = bpmn_cx.load(data)
    linked = bpmn_cx.load(data.replace(b'<bpmn:task id="B" name="b"/>',
                                        b'<bpmn:task id="B" name="b"/><bpmn:sequenceFlow id="X" sourceRef="A" targetRef="B"/>'))
    from helpers.view_checks import reachability_problems

    assert reachability_problems(original, linked, ["A", "B"]) == ["A now reaches ['B'] (it did not before)"]
    assert reach_sets(scope_graph(original), ["A"]) == {"A": set()}


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])


# -- the region reduction on its own -------------------------------------------------

REGION_KINDS = ["task", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
                "eventBasedGateway", "intermediateCatchEvent", "userTask"]


@st.composite
def graphs(draw) -> tuple[bytes, list[bool]]:
    n = draw(st.integers(2, 30))
    kinds = [draw(st.sampled_from(REGION_KINDS)) for _ in range(n)]
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n * 3))
    backbone = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    edges = sorted(set(edges) | {(i, i + 1) for i in range(n - 1) if backbone[i]})
    kept = [draw(st.integers(0, 9)) < 3 for _ in range(n)]
    tasks = [i for i in range(n) if "ask" in kinds[i]]
    boundaries = []
    if tasks:
        for _ in range(draw(st.integers(0, 3))):
            boundaries.append((draw(st.sampled_from(tasks)), draw(st.integers(0, n - 1)), draw(st.booleans())))
    out = [HEAD, '<bpmn:process id="P" isExecutable="false">\n']
    for i, kind in enumerate(kinds):
        out.append(f'<bpmn:{kind} id="N{i}" name="n{i}"/>\n')
    for k, (host, target, interrupting) in enumerate(boundaries):
        cancel = "" if interrupting else ' cancelActivity="false"'
        out.append(f'<bpmn:boundaryEvent id="B{k}" attachedToRef="N{host}"{cancel}>'
                   f'<bpmn:messageEventDefinition/></bpmn:boundaryEvent>\n')
        out.append(f'<bpmn:sequenceFlow id="BF{k}" sourceRef="B{k}" targetRef="N{target}"/>\n')
    for k, (a, b) in enumerate(edges):
        out.append(f'<bpmn:sequenceFlow id="F{k}" sourceRef="N{a}" targetRef="N{b}"/>\n')
    out.append("</bpmn:process></bpmn:definitions>\n")
    return "".join(out).encode(), kept


def _view_graph(result, model) -> dict[int, list]:
    succ: dict[int, list] = {}
    for edge in result.edges:
        succ.setdefault(id(edge.source), []).append(edge.target)
    for node in model.flow_nodes:
        if node.attached_to is not None:
            succ.setdefault(id(node.attached_to), []).append(node)
    for region in result.regions:
        for event in region.events:
            if event.attached_to is not None:
                succ.setdefault(id(event.attached_to), []).append(event)
    return succ


def _reach(succ: dict[int, list], start) -> set[int]:
    seen: set[int] = set()
    stack = list(succ.get(id(start), ()))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(succ.get(id(node), ()))
    return seen


# Found by this test: a hidden join looping onto itself through a hidden gateway,
# with nothing kept around them, was left behind as a gateway with one flow in and out.
_ISOLATED_LOOP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
    b'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs" targetNamespace="http://x">\n'
    b'<bpmn:process id="P" isExecutable="false">\n<bpmn:parallelGateway id="N0" name="n0"/>\n'
    b'<bpmn:exclusiveGateway id="N1" name="n1"/>\n<bpmn:exclusiveGateway id="N2" name="n2"/>\n'
    b'<bpmn:exclusiveGateway id="N3" name="n3"/>\n<bpmn:sequenceFlow id="F0" sourceRef="N0" targetRef="N0"/>\n'
    b'<bpmn:sequenceFlow id="F1" sourceRef="N0" targetRef="N1"/>\n'
    b'<bpmn:sequenceFlow id="F2" sourceRef="N1" targetRef="N0"/>\n</bpmn:process></bpmn:definitions>\n',
    [False, False, True, True],
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
@example(_ISOLATED_LOOP)
def test_region_reduction_preserves_reachability_and_adds_no_loops(case) -> None:
    from bpmn_cx.customer.regions import IdMaker, reduce_scope

    data, kept_flags = case
    model = bpmn_cx.load(data)
    process = model.processes[0]
    kept = {f"N{i}" for i, flag in enumerate(kept_flags) if flag}

    def is_kept(node) -> bool:
        host = node.attached_to
        return (host.id if host is not None else node.id) in kept

    result = reduce_scope(process, is_kept, IdMaker(model.all_ids))
    kept_nodes = [n for n in process.nodes if is_kept(n)]
    original = {}
    for node in model.flow_nodes:
        original.setdefault(id(node), [])
    for flow in model.sequence_flows:
        original[id(flow.source)].append(flow.target)
    for node in model.flow_nodes:
        if node.attached_to is not None:
            original[id(node.attached_to)].append(node)
    view = _view_graph(result, model)
    kept_ids = {id(n) for n in kept_nodes}
    for node in kept_nodes:
        before = _reach(original, node) & kept_ids
        after = _reach(view, node) & kept_ids
        assert before == after, f"{node.id}: {sorted(before - after)} lost, {sorted(after - before)} invented"

    synthetic = [s for r in result.regions for s in r.synthetic]
    for s in synthetic:
        if id(s) in _reach(view, s):
            # A synthetic node on a cycle of the view: one of the nodes it
            # stands for was on a cycle of the original.
            assert any(id(m) in _reach(original, m) for m in s.hidden), f"{s} sits on an invented loop"
        outs = [e.target for e in result.edges if e.source is s]
        ins = [e.source for e in result.edges if e.target is s]
        if s.role == "decision":
            assert len({id(t) for t in outs}) >= 2, f"{s} decides nothing"
        if s.role in ("connector", "decision"):
            assert not (len(ins) == 1 and len(outs) == 1), f"{s} has one flow in and one out"
        if s.role == "placeholder" and len(outs) == 1 and outs[0] is not s:
            t = outs[0]
            t_ins = [e.source for e in result.edges if e.target is t]
            assert not (getattr(t, "role", None) == "placeholder" and len(t_ins) == 1), \
                f"{s} and {t} should have been merged"
    hidden = [n for n in process.nodes if not is_kept(n)]
    covered = [m for r in result.regions for m in r.nodes]
    assert sorted(n.id for n in covered) == sorted(n.id for n in hidden)
