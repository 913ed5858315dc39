"""A flow node from which no end can ever be reached.

What it does
------------
Reports reachable steps from which every path stays in a loop without exit,
so the process (or the customer's case) can never finish. A path ends at an
end event or at a step without outgoing flow; boundary events count as exits
of their host. Each trap is reported once, where the process enters it.
Unreachable steps are left to ``unreachable-node``, and a sub-process whose
inside never finishes is reported inside, not again outside.

Why it matters
--------------
A case that can never finish is a customer who is never done: the request
stays open, the reminder loop runs forever, nobody closes the file.

Example
-------
``Check documents -> Ask for missing documents -> Check documents`` with no
flow leaving the loop when the documents are complete.

How to fix
----------
Give the loop an exit: a gateway with a flow that leaves it when the work is
done, a timer boundary event that escalates, or an end event.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import finishing_nodes, flow_graph, predecessor_map, reachable_nodes
from ..analysis.flow import scope_starts
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, describe

ID = "no-path-to-end"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    reached = reachable_nodes(ctx)
    finishing = finishing_nodes(ctx)
    stuck = reached - finishing  # both hold flow nodes only
    if not stuck:
        return
    graph = flow_graph(ctx)
    preds = predecessor_map(ctx)
    starts = {id(n) for scope in model.scopes for n in scope_starts(scope)}
    for node in model.flow_nodes:
        if id(node) not in stuck:
            continue
        entered_here = id(node) in starts or any(
            id(p) in reached and id(p) not in stuck for p in preds.get(id(node), ())
        )
        if entered_here:
            yield Problem(
                f"no end can be reached from {describe(node)}: every path from here runs into "
                f"a loop without exit ({_loop(node, graph, stuck)})",
                node,
            )


def _loop(node: FlowNode, graph, stuck: set[int]) -> str:
    """Follow the trap from ``node`` until a step repeats, for the message."""
    names: list[str] = []
    seen: dict[int, int] = {}
    current: FlowNode | None = node
    while current is not None and id(current) not in seen and len(names) < 6:
        seen[id(current)] = len(names)
        names.append(current.label or current.id or "?")
        current = next((s for s in graph.successors(current) if id(s) in stuck), None)
    if current is not None and id(current) in seen:
        names.append(f"back to {current.label or current.id}")
    elif current is not None:
        names.append("...")
    return " -> ".join(names)
