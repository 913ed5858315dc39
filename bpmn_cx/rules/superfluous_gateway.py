"""A gateway with exactly one incoming and one outgoing flow.

What it does
------------
Reports gateways that have one incoming and one outgoing sequence flow: they
neither split nor join anything.

Why it matters
--------------
A gateway that decides nothing is noise. Readers look for the decision or the
synchronisation it promises and find none; the customer's path looks more
complicated than it is.

Example
-------
``Start -> (X) -> Review -> End`` where the exclusive gateway has one
outgoing flow.

How to fix
----------
Delete the gateway and connect its incoming flow directly to its target, or
add the missing branch if one was intended.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "superfluous-gateway"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.is_gateway and len(node.incoming) == 1 and len(node.outgoing) == 1:
            yield Problem(
                f"{node.kind} {node.label or node.id!r} has one incoming and one outgoing flow: "
                "it neither splits nor joins",
                node,
            )
