"""A flow node placed in two lanes that do not nest.

What it does
------------
Reports flow nodes referenced by two (or more) lanes of the same lane set
where neither lane contains the other. A node referenced by a lane and by one
of that lane's child lanes is normal (modelers write both) and is not
reported. A process may have several lane sets, each partitioning the work by
another criterion (role, location, ...); lanes of different lane sets are not
compared.

Why it matters
--------------
Each step should have one responsible role. A step in both "Sales" and
"Back office" has two owners, which usually means a copy-paste or a broken
move; tools then pick either lane, so the customer view and handoff counts
depend on the tool.

Example
-------
Task "Check credit" listed under lane "Sales" and lane "Back office":
``Task 'Check credit' is referenced by lanes 'Sales' and 'Back office', and
neither contains the other``.

How to fix
----------
Decide who does the step and remove the node from the other lane (in most
modelers: move the node once, which rewrites the references).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import describe, FlowNode, Lane, Model

ID = "ambiguous-lane"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}

def _describe(node: FlowNode) -> str:
    return describe(node, capitalize=True)


def _number(model: Model) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Pre-order number, last number in the subtree and root lane set of every lane.

    Lane ``a`` contains lane ``b`` iff ``pre[a] <= pre[b] <= last[a]``. One
    explicit-stack walk over the lane trees: linear, no recursion.
    """
    pre: dict[int, int] = {}
    last: dict[int, int] = {}
    root_set: dict[int, int] = {}
    counter = 0
    for top in model.lanes:
        if top.parent is not None:
            continue
        group = id(top.lane_set)
        stack: list[tuple[Lane, bool]] = [(top, False)]
        while stack:
            lane, done = stack.pop()
            key = id(lane)
            if done:
                last[key] = counter - 1
                continue
            if key in pre:  # defensive: a lane object reached twice
                continue
            pre[key] = counter
            root_set[key] = group
            counter += 1
            stack.append((lane, True))
            stack.extend((child, False) for child in reversed(lane.child_lanes))
    return pre, last, root_set


def _names(lanes: list[Lane]) -> str:
    quoted = [f"'{lane.path}'" for lane in lanes]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    pre, last, root_set = _number(model)
    # Most nodes have one lane: remember the first cheaply, keep lists only for the rest.
    first: dict[int, Lane] = {}
    shared: dict[int, list[Lane]] = {}
    nodes: dict[int, FlowNode] = {}
    for lane in model.lanes:
        for node in lane.nodes:
            key = id(node)
            earlier = first.setdefault(key, lane)
            if earlier is lane:
                continue
            found = shared.get(key)
            if found is None:
                shared[key] = [earlier, lane]
                nodes[key] = node
            elif found[-1] is not lane:  # the same lane listing the node twice is harmless
                found.append(lane)
    for key, lanes in shared.items():
        groups: dict[int, list[Lane]] = {}
        for lane in lanes:
            groups.setdefault(root_set.get(id(lane), id(lane)), []).append(lane)
        for group in groups.values():
            if len(group) < 2:
                continue
            group = sorted({id(lane): lane for lane in group}.values(), key=lambda lane: pre[id(lane)])
            # In pre-order, the lanes of the set inside a lane follow it directly;
            # the innermost ones (contained lane follows none) are pairwise unrelated.
            innermost = [
                lane
                for lane, after in zip(group, group[1:] + [None])
                if after is None or not (pre[id(lane)] <= pre[id(after)] <= last[id(lane)])
            ]
            if len(innermost) < 2:
                continue
            if len(innermost) == 2:
                tail = "and neither contains the other"
            else:
                tail = "and none of them contains another"
            yield Problem(
                f"{_describe(nodes[key])} is referenced by lanes {_names(innermost)}, {tail}",
                nodes[key],
            )
