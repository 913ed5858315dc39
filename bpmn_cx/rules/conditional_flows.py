"""A conditional split with a flow that has neither a condition nor the default marker.

What it does
------------
When a node (gateway, activity or event) has a default outgoing flow or at
least one conditional outgoing flow, it splits conditionally. The rule then
reports each of its outgoing sequence flows that has no condition and is not
its default flow.

Why it matters
--------------
In a conditional split, a flow without a condition is taken always (from an
activity) or its meaning is undefined (from an exclusive or inclusive
gateway). Readers cannot tell when the customer takes that path, and engines
either reject the model or behave differently from what the diagram suggests.

Example
-------
``(X) Within budget?`` with ``yes [${withinBudget}] -> Book trip`` and a plain
``no -> Ask manager``.

How to fix
----------
Give the flow a condition expression, or mark it as the node's default flow
(only one flow can be the default).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "conditional-flows"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    # Only a node with a default flow or a conditional flow can break the rule.
    # A condition is a child element, and most flows have no child at all:
    # find the few candidates first instead of reading every node's flows.
    candidates = {id(flow.source) for flow in model.sequence_flows if len(flow.xml) and flow.is_conditional}
    for node in model.flow_nodes:
        default = node.default
        if default is None and id(node) not in candidates:
            continue
        for flow in node.outgoing:
            if flow is default or flow.is_conditional:
                continue
            target = describe(flow.target) if flow.target is not None else repr(flow.target_ref)
            yield Problem(
                f"{describe(flow)} from {describe(node)} to {target} has no condition and is not "
                "the default flow, although the other outgoing flows are conditional or default",
                flow,
            )
