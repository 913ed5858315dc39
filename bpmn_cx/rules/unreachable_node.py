"""A flow node that no token can ever reach.

What it does
------------
Follows the token flow from every start of every process (blank, message,
timer, signal and conditional start events, event sub-processes, receive tasks
and event-based gateways that instantiate the process; implicit starts when a
scope has no start event) through sequence flows, boundary events, link
events and compensation, and reports the steps that are never reached. Each
unreachable region is reported once, at its first step, with the number of
steps that depend on it.

Why it matters
--------------
A step nobody can reach is either dead weight or, worse, a part of the
customer's journey that was meant to happen and never will: the refund that
is never paid, the callback that is never made. This is stronger than
``no-disconnected``: a step with flows can still be cut off from every start.

Example
-------
``Start -> Register -> End`` and, next to it, ``Send reminder -> Close case``
where nothing leads into *Send reminder*.

How to fix
----------
Connect the step to the flow that should lead to it, give it a start event of
its own if it begins a separate path, or delete it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import flow_graph, predecessor_map, reachable_nodes
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SubProcess, describe

ID = "unreachable-node"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    reached = reachable_nodes(ctx)
    unreachable = [n for n in model.flow_nodes if id(n) not in reached]
    if not unreachable:
        return
    graph = flow_graph(ctx)
    preds = predecessor_map(ctx)
    inside = {id(n) for n in unreachable}
    covered: set[int] = set()

    def cover(head: FlowNode) -> int:
        """Mark everything only reachable through ``head``; return how many."""
        count = 0
        stack = [head]
        while stack:
            node = stack.pop()
            if id(node) in covered or id(node) not in inside:
                continue
            covered.add(id(node))
            count += 1
            stack.extend(graph.successors(node))
            if isinstance(node, SubProcess):
                stack.extend(node.nodes)
        return count

    def is_head(node: FlowNode) -> bool:
        if isinstance(node.scope, SubProcess) and id(node.scope) in inside:
            return False  # inside an unreachable sub-process: the sub-process is reported
        return not any(id(p) in inside for p in preds.get(id(node), ()))

    heads = [n for n in unreachable if is_head(n)]
    # Unreachable cycles have no head: take their first step in document order.
    for node in heads + unreachable:
        if id(node) in covered:
            continue
        if node not in heads and isinstance(node.scope, SubProcess) and id(node.scope) in inside:
            continue
        more = cover(node) - 1
        if more == 1:
            tail = " (nor can the step that follows it)"
        elif more > 1:
            tail = f" (nor can the {more} steps that follow it)"
        else:
            tail = ""
        yield Problem(f"{describe(node)} cannot be reached from any start event{tail}", node)
