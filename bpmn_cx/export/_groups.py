"""Pools, lanes and expanded sub-processes as nested groups, for the diagram exporters.

Each flow node is placed in exactly one group: the innermost expanded
sub-process that contains it, else the group of its lane, else its pool (or
no group for a process without pool and lanes). A sub-process with content
becomes a group itself, placed where the node would be. Lanes of lane sets
inside sub-processes are not drawn as groups (their nodes sit in the
sub-process group). Everything is built without recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Element, FlowNode, Lane, Model, Participant, SubProcess


@dataclass
class Group:
    kind: str  # "pool", "lane" or "subProcess"
    element: Element
    groups: list[Group] = field(default_factory=list)
    nodes: list[FlowNode] = field(default_factory=list)


@dataclass
class Layout:
    groups: list[Group]  # top level, in document order
    nodes: list[FlowNode]  # nodes outside any group
    black_boxes: list[Participant]  # pools without a process: drawn as nodes
    #: Sub-processes drawn as groups (edges to them go to the group).
    expanded: dict[int, Group]


def layout(model: Model) -> Layout:
    top: list[Group] = []
    loose: list[FlowNode] = []
    expanded: dict[int, Group] = {}
    black_boxes = [p for p in model.participants if p.process is None]
    pools = {id(p.process): p for p in model.participants if p.process is not None}
    for process in model.processes:
        pool = pools.get(id(process))
        pool_group = Group("pool", pool) if pool is not None else None
        if pool_group is not None:
            top.append(pool_group)
        lane_groups: dict[int, Group] = {}
        for lane in process.lanes:  # parents before children
            group = Group("lane", lane)
            lane_groups[id(lane)] = group
            parent = lane_groups.get(id(lane.parent)) if lane.parent is not None else None
            if parent is not None:
                parent.groups.append(group)
            elif pool_group is not None:
                pool_group.groups.append(group)
            else:
                top.append(group)

        def place(node: FlowNode, scope_group: Group | None) -> tuple[list[Group], list[FlowNode]]:
            if scope_group is not None:
                return scope_group.groups, scope_group.nodes
            lane: Lane | None = node.lane
            group = lane_groups.get(id(lane)) if lane is not None else None
            if group is None and pool_group is not None:
                group = pool_group
            if group is None:
                return top, loose
            return group.groups, group.nodes

        stack: list[tuple[list[FlowNode], Group | None]] = [(list(reversed(process.nodes)), None)]
        while stack:
            pending, scope_group = stack[-1]
            if not pending:
                stack.pop()
                continue
            node = pending.pop()
            groups, nodes = place(node, scope_group)
            if isinstance(node, SubProcess) and node.nodes:
                group = Group("subProcess", node)
                expanded[id(node)] = group
                groups.append(group)
                stack.append((list(reversed(node.nodes)), group))
            else:
                nodes.append(node)
    return Layout(top, loose, black_boxes, expanded)


def walk(layout_: Layout) -> Iterator[tuple[str, Group, int]]:
    """``("open", group, depth)`` and ``("close", group, depth)`` in nesting
    order, without recursion."""
    stack: list[tuple[str, Group, int]] = [("group", g, 0) for g in reversed(layout_.groups)]
    while stack:
        what, group, depth = stack.pop()
        if what == "close":
            yield ("close", group, depth)
            continue
        yield ("open", group, depth)
        stack.append(("close", group, depth))
        stack.extend(("group", g, depth + 1) for g in reversed(group.groups))


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


class Ids:
    """Unique, safe identifiers for elements (``prefix`` + sanitised BPMN id)."""

    def __init__(self) -> None:
        self.by_element: dict[int, str] = {}
        self.used: set[str] = set()

    def __call__(self, element: Element, prefix: str) -> str:
        known = self.by_element.get(id(element))
        if known is not None:
            return known
        base = prefix + (_UNSAFE.sub("_", element.id) if element.id else "anonymous")
        name = base
        n = 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        self.by_element[id(element)] = name
        return name
