"""The customer view as a Mermaid flowchart (``bpmn-cx view --format mermaid``).

Pools and lanes become nested subgraphs, the customer's first; placeholders
are drawn as sub-routine boxes in the line-of-visibility subgraph. Only the
top level of each process is drawn (kept sub-processes appear as one box).
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Lane, Participant, Process
from .regions import SyntheticNode, ViewNode
from .scope import effective_lane

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


class _Ids:
    def __init__(self) -> None:
        self.map: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, raw: str | None) -> str:
        raw = raw or "unnamed"
        found = self.map.get(raw)
        if found is not None:
            return found
        safe = _UNSAFE.sub("_", raw)
        if not safe or not safe[0].isalpha():
            safe = "n_" + safe
        if safe in ("end", "graph", "subgraph", "flowchart", "style", "class", "click"):
            safe = "n_" + safe
        candidate, n = safe, 2
        while candidate in self.used:
            candidate, n = f"{safe}_{n}", n + 1
        self.used.add(candidate)
        self.map[raw] = candidate
        return candidate


def _text(label: str) -> str:
    label = " ".join(label.split()) or " "
    return '"' + label.replace('"', "#quot;") + '"'


def _shape(node: ViewNode) -> tuple[str, str]:
    if isinstance(node, SyntheticNode):
        if node.role == "placeholder":
            return "[[", "]]"
        if node.is_gateway:
            return "{", "}"
        return "((", "))"
    if node.is_gateway:
        return "{", "}"
    if node.is_event:
        return "((", "))"
    if node.is_subprocess:
        return "[[", "]]"
    return "[", "]"


def to_mermaid(plan: Any) -> str:
    ids = _Ids()
    lines = ["flowchart LR"]
    customer = plan.customer
    node_lane: dict[int, Lane | None] = {}
    by_lane: dict[int, list[ViewNode]] = {}
    kept_set = {id(n) for n in plan.kept_nodes}

    def top_level(process: Process) -> list[ViewNode]:
        out: list[ViewNode] = [n for n in process.nodes if id(n) in kept_set]
        for region in plan.regions:
            if region.scope is process:
                out.extend(s for s in region.synthetic if s.role != "event")
        return out

    def declare(node: ViewNode, indent: str) -> None:
        left, right = _shape(node)
        label = node.name if isinstance(node, SyntheticNode) else (node.label or node.kind)
        lines.append(f"{indent}{ids(node.id)}{left}{_text(label)}{right}")

    def lane_tree(process: Process, indent: str, nodes: list[ViewNode]) -> None:
        kept_lanes = [lane for lane in process.lanes if plan.is_kept(lane)]
        for node in nodes:
            if isinstance(node, SyntheticNode):
                continue
            lane = effective_lane(node)
            while lane is not None and not plan.is_kept(lane):
                lane = lane.parent
            node_lane[id(node)] = lane
            key = id(lane) if lane is not None else id(process)
            by_lane.setdefault(key, []).append(node)

        def customer_first(lanes: list[Lane]) -> list[Lane]:
            return sorted(lanes, key=lambda lane: 0 if _has_customer(lane) else 1)

        def _has_customer(lane: Lane) -> bool:
            stack = [lane]
            while stack:
                current = stack.pop()
                if customer.has_lane(current):
                    return True
                stack.extend(current.child_lanes)
            return False

        top = customer_first([lane for lane in kept_lanes if lane.parent is None or not plan.is_kept(lane.parent)])
        # An explicit work list of ("open", lane) / ("close", lane): no recursion.
        opened: list[int] = []
        work: list[Any] = []
        for lane in top:
            work.append(("open", lane))
        work.reverse()
        while work:
            action, lane = work.pop()
            if action == "close":
                opened.pop()
                lines.append(f"{indent}{'  ' * len(opened)}end")
                continue
            pad = indent + "  " * len(opened)
            lines.append(f"{pad}subgraph {ids(lane.id)}[{_text(lane.label or lane.id or '')}]")
            opened.append(id(lane))
            for node in by_lane.get(id(lane), []):
                declare(node, pad + "  ")
            children = customer_first([c for c in lane.child_lanes if plan.is_kept(c)])
            work.append(("close", lane))
            for child in reversed(children):
                work.append(("open", child))
        for node in by_lane.get(id(process), []):
            declare(node, indent)
        synthetic = [n for n in nodes if isinstance(n, SyntheticNode)]
        if synthetic:
            visibility = plan.visibility_lane_of(process)
            if visibility is not None:
                lines.append(f"{indent}subgraph {ids(visibility.id)}[{_text(visibility.name)}]")
                for node in synthetic:
                    declare(node, indent + "  ")
                lines.append(f"{indent}end")
            else:
                for node in synthetic:
                    declare(node, indent)

    def pool_rank(p: Participant) -> int:
        if customer.has_participant(p):
            return 0
        if p.process is not None and any(customer.has_lane(lane) for lane in p.process.lanes):
            return 0
        return 1

    pools = sorted(plan.kept_participants, key=pool_rank)
    drawn: set[int] = set()
    for pool in pools:
        process = pool.process if pool.process is not None and plan.is_kept(pool.process) else None
        if process is None:
            lines.append(f"  {ids(pool.id)}[/{_text(pool.label or pool.id or '')}/]")
            continue
        drawn.add(id(process))
        lines.append(f"  subgraph {ids(pool.id)}[{_text(pool.label or pool.id or '')}]")
        lines.append("    direction LR")
        lane_tree(process, "    ", top_level(process))
        lines.append("  end")
    for process in plan.kept_processes:
        if id(process) not in drawn:
            lane_tree(process, "  ", top_level(process))

    top_scopes = {id(p) for p in plan.kept_processes}
    scope_of: dict[int, Any] = {}
    for region in plan.regions:
        for s in region.synthetic:
            scope_of[id(s)] = region.scope
    for edge in plan.edges:
        scope = scope_of.get(id(edge.source)) if isinstance(edge.source, SyntheticNode) else edge.source.scope
        if scope is None or id(scope) not in top_scopes:
            continue
        flow = edge.flow
        label = flow.label if flow is not None else ""
        arrow = f" -- {_text(label)} --> " if label else " --> "
        lines.append(f"  {ids(edge.source.id)}{arrow}{ids(edge.target.id)}")
    for flow in plan.kept_message_flows:
        if flow.source is None or flow.target is None:
            continue
        label = flow.label
        arrow = f" -. {_text(label)} .-> " if label else " -.-> "
        lines.append(f"  {ids(flow.source.id)}{arrow}{ids(flow.target.id)}")
    return "\n".join(lines) + "\n"


__all__ = ["to_mermaid"]
