"""An inclusive (OR) gateway.

What it does
------------
Reports every inclusive gateway.

Why it matters
--------------
An inclusive gateway activates any subset of its outgoing paths, and its join
waits for exactly those paths that were started. Few readers get these
semantics right, and many engines implement the join differently. Exclusive and
parallel gateways say the same thing in a way everyone reads alike.

Example
-------
``Order -> (O) -> Gift wrap / Express shipping -> (O) -> Ship``: which
combination of paths runs, and what the join waits for, is not obvious.

How to fix
----------
Model the choice with exclusive gateways (one decision per option) or with a
parallel split plus exclusive gateways on each branch.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "no-inclusive-gateway"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind == "inclusiveGateway":
            yield Problem(
                f"inclusive gateway {node.label or node.id!r} is hard to read: use exclusive "
                "or parallel gateways instead",
                node,
            )
