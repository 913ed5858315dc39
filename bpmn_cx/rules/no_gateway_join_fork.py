"""A gateway that joins and forks at the same time.

What it does
------------
Reports gateways with more than one incoming and more than one outgoing
sequence flow.

Why it matters
--------------
A gateway that both merges and splits does two things whose semantics differ
(does it wait for all incoming flows? does it take one or all outgoing
ones?). Readers misread it, and tools disagree about how it behaves.

Example
-------
A parallel gateway "Sync and fan out" with two incoming flows (frontend and
backend built) and two outgoing ones (deploy, publish docs).

How to fix
----------
Split it into two gateways: one that joins, followed by one that forks.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "no-gateway-join-fork"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.is_gateway and len(node.incoming) > 1 and len(node.outgoing) > 1:
            yield Problem(
                f"{describe(node)} both joins ({len(node.incoming)} incoming flows) "
                f"and forks ({len(node.outgoing)} outgoing flows)",
                node,
            )
