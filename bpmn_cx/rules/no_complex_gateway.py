"""A complex gateway.

What it does
------------
Reports every complex gateway.

Why it matters
--------------
A complex gateway's behaviour lives in an expression that the diagram does
not show ("two of three votes"). Readers cannot follow the customer's path by
looking at the model, many tools and engines do not support it, and the same
logic can nearly always be drawn with common gateways.

Example
-------
Three parallel votes joined by a complex gateway "Two of three voted".

How to fix
----------
Model the logic with exclusive, parallel or inclusive gateways (and, where a
count matters, a task or a data-based decision that makes the rule visible).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "no-complex-gateway"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind == "complexGateway":
            yield Problem(
                f"{describe(node)} is discouraged: its logic is hidden in an expression; "
                "use common gateways instead",
                node,
            )
