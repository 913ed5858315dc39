"""A flow node in a pool with lanes that no lane holds.

What it does
------------
Reports flow nodes at the top level of a process (or of a sub-process with
lanes of its own) when that level has lanes but none of them references the
node. Boundary events take their host's lane and nodes inside a sub-process
take the sub-process's lane, so only the top-level nodes of a laned process
need a lane. A process without lanes is not checked.

Why it matters
--------------
Lanes say who does what. A step outside every lane has no owner: nobody is
responsible for it, and the customer view cannot tell whether the customer
sees it. Some modelers draw the node inside a lane but forget the
``flowNodeRef``, so the diagram looks right while the file says otherwise.

Example
-------
Pool "Bank" with lanes "Sales" and "Back office"; the task "Check credit" is
drawn between them and neither lane lists it.

How to fix
----------
Move the node into the lane of the person or system that does the step (in
most modelers: drag it out of the lane and back in), or add its
``flowNodeRef`` to that lane.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from ..linter.api import Option, Problem, RuleContext
from ..model import describe, FlowNode, Model, Process, Scope

ID = "node-outside-lane"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}

def _describe(node: FlowNode) -> str:
    return describe(node, capitalize=True)


def _where(scope: Scope) -> str:
    if isinstance(scope, Process):
        pool = scope.participant
        if pool is not None and pool.label:
            return f"pool '{pool.label}'"
        return f"process '{scope.label}'" if scope.label else f"process {scope.id}"
    what = _describe(scope)  # type: ignore[arg-type]  # a SubProcess is a FlowNode
    return what[0].lower() + what[1:]


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for scope in model.scopes:
        lanes = scope.lanes
        if not lanes:
            continue
        # Only this level's own lanes count: FlowNode.lane may point at a lane
        # of another process that references the node by mistake.
        held = set(map(id, chain.from_iterable(lane.nodes for lane in lanes)))
        if held.issuperset(map(id, scope.nodes)):
            continue  # every node has its lane (the usual case): no loop in Python
        for node in scope.nodes:
            if id(node) in held:
                continue
            if node.attached_to is not None:
                # A boundary event sits on its host: the host's lane (or the
                # report about the host) covers it.
                continue
            yield Problem(
                f"{_describe(node)} belongs to none of the lanes of {_where(scope)}: "
                "nobody is responsible for it",
                node,
            )
