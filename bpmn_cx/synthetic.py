"""Synthetic BPMN models of any size, for benchmarks and property tests.

``synthetic_model(n)`` writes one pool with lanes and a chain of ``n`` tasks,
optionally with parallel blocks, exclusive decisions and full DI. Element
counts grow linearly with ``n``, so timings at 1k / 10k / 100k tasks show how
an algorithm scales.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'id="Definitions_synthetic" targetNamespace="http://bpmn-cx.example/synthetic">\n'
)

TASK_W, TASK_H = 100, 80
EVENT = 36
GATEWAY = 50
STEP = 150
LANE_H = 200


def synthetic_model(
    tasks: int,
    *,
    lanes: int = 4,
    parallel_every: int = 0,
    branches: int = 2,
    decision_every: int = 0,
    customer_lane: bool = False,
    di: bool = True,
    block: int = 5,
) -> bytes:
    """A BPMN document with ``tasks`` tasks in one pool.

    * ``lanes``: lanes the tasks are spread over, ``block`` consecutive tasks per lane;
    * ``parallel_every``: every that many tasks, a parallel split into ``branches``
      single-task branches and a join;
    * ``decision_every``: every that many tasks, an exclusive split whose two
      branches merge again;
    * ``customer_lane``: name lane 0 "Customer" (the others are departments);
    * ``di``: write shapes and edges with waypoints.
    """
    lane_names = [f"Department {i}" for i in range(lanes)]
    if customer_lane and lanes:
        lane_names[0] = "Customer"
    nodes: list[tuple[str, str, str, int, int]] = []  # id, kind, name, lane, x-slot
    flows: list[tuple[str, str, str]] = []
    lane_of = [[] for _ in range(lanes)]
    slot = 0
    counter = 0

    def add(kind: str, name: str, lane: int) -> str:
        node_id = f"{kind}_{len(nodes)}"
        nodes.append((node_id, kind, name, lane, slot))
        lane_of[lane].append(node_id)
        return node_id

    def flow(a: str, b: str) -> None:
        flows.append((f"Flow_{len(flows)}", a, b))

    prev = add("startEvent", "Start", 0)
    slot += 1
    i = 0
    while i < tasks:
        lane = (i // block) % lanes if lanes else 0
        if parallel_every and i and i % parallel_every == 0 and tasks - i >= branches:
            split = add("parallelGateway", "", lane)
            flow(prev, split)
            slot += 1
            join_slot = slot + 1
            branch_ids = []
            for b in range(branches):
                t = add("task", f"Parallel task {i + b}", (lane + b) % lanes)
                nodes[-1] = (t, "task", f"Parallel task {i + b}", (lane + b) % lanes, slot)
                flow(split, t)
                branch_ids.append(t)
            slot = join_slot
            join = add("parallelGateway", "", lane)
            for t in branch_ids:
                flow(t, join)
            slot += 1
            prev = join
            i += branches
            continue
        if decision_every and i and i % decision_every == 0 and tasks - i >= 2:
            split = add("exclusiveGateway", f"Decision {counter}?", lane)
            counter += 1
            flow(prev, split)
            slot += 1
            a = add("task", f"Option A {i}", lane)
            b = add("task", f"Option B {i}", (lane + 1) % lanes)
            flow(split, a)
            flow(split, b)
            slot += 1
            merge = add("exclusiveGateway", "", lane)
            flow(a, merge)
            flow(b, merge)
            slot += 1
            prev = merge
            i += 2
            continue
        t = add("task", f"Task {i}", lane)
        flow(prev, t)
        slot += 1
        prev = t
        i += 1
    end = add("endEvent", "End", 0)
    flow(prev, end)

    out: list[str] = [_HEADER]
    out.append(
        '  <bpmn:collaboration id="Collaboration_1">\n'
        '    <bpmn:participant id="Participant_1" name="Organisation" processRef="Process_1" />\n'
        "  </bpmn:collaboration>\n"
        '  <bpmn:process id="Process_1" isExecutable="false">\n'
    )
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for fid, a, b in flows:
        outgoing.setdefault(a, []).append(fid)
        incoming.setdefault(b, []).append(fid)
    if lanes:
        out.append('    <bpmn:laneSet id="LaneSet_1">\n')
        for index, name in enumerate(lane_names):
            out.append(f'      <bpmn:lane id="Lane_{index}" name={quoteattr(name)}>\n')
            out.extend(f"        <bpmn:flowNodeRef>{nid}</bpmn:flowNodeRef>\n" for nid in lane_of[index])
            out.append("      </bpmn:lane>\n")
        out.append("    </bpmn:laneSet>\n")
    for node_id, kind, name, _lane, _slot in nodes:
        out.append(f"    <bpmn:{kind} id={quoteattr(node_id)} name={quoteattr(name)}>\n")
        out.extend(f"      <bpmn:incoming>{f}</bpmn:incoming>\n" for f in incoming.get(node_id, ()))
        out.extend(f"      <bpmn:outgoing>{f}</bpmn:outgoing>\n" for f in outgoing.get(node_id, ()))
        out.append(f"    </bpmn:{kind}>\n")
    for fid, a, b in flows:
        out.append(f'    <bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}" />\n')
    out.append("  </bpmn:process>\n")

    if di:
        out.append(
            '  <bpmndi:BPMNDiagram id="Diagram_1">\n'
            '    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="Collaboration_1">\n'
        )
        width = (slot + 2) * STEP
        height = max(lanes, 1) * LANE_H
        out.append(
            '      <bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">\n'
            f'        <dc:Bounds x="0" y="0" width="{width + 30}" height="{height}" />\n'
            "      </bpmndi:BPMNShape>\n"
        )
        for index in range(lanes):
            out.append(
                f'      <bpmndi:BPMNShape id="Lane_{index}_di" bpmnElement="Lane_{index}" isHorizontal="true">\n'
                f'        <dc:Bounds x="30" y="{index * LANE_H}" width="{width}" height="{LANE_H}" />\n'
                "      </bpmndi:BPMNShape>\n"
            )
        centre: dict[str, tuple[float, float, float]] = {}
        # Several nodes may share a slot (parallel branches): stack them in the lane.
        used: dict[tuple[int, int], int] = {}
        for node_id, kind, _name, lane, x_slot in nodes:
            w, h = (
                (EVENT, EVENT)
                if kind.endswith("Event")
                else (GATEWAY, GATEWAY)
                if kind.endswith("Gateway")
                else (TASK_W, TASK_H)
            )
            stack = used.get((lane, x_slot), 0)
            used[(lane, x_slot)] = stack + 1
            cx = 30 + STEP // 2 + x_slot * STEP
            cy = lane * LANE_H + LANE_H // 2 + stack * 10
            x, y = cx - w // 2, cy - h // 2
            centre[node_id] = (cx, cy, w / 2)
            out.append(
                f'      <bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}">\n'
                f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />\n'
                "      </bpmndi:BPMNShape>\n"
            )
        for fid, a, b in flows:
            ax, ay, aw = centre[a]
            bx, by, bw = centre[b]
            out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">\n')
            out.append(f'        <di:waypoint x="{ax + aw}" y="{ay}" />\n')
            if ay != by:
                mid = (ax + aw + bx - bw) / 2
                out.append(f'        <di:waypoint x="{mid}" y="{ay}" />\n')
                out.append(f'        <di:waypoint x="{mid}" y="{by}" />\n')
            out.append(f'        <di:waypoint x="{bx - bw}" y="{by}" />\n')
            out.append("      </bpmndi:BPMNEdge>\n")
        out.append("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n")
    out.append("</bpmn:definitions>\n")
    return "".join(out).encode("utf-8")
