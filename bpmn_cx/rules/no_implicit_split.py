"""An activity or event that splits the flow without a gateway.

What it does
------------
Reports activities and events with more than one outgoing sequence flow that
has neither a condition nor the default marker. Gateways are not affected.

Why it matters
--------------
Unconditional flows leaving an activity all fire at once: an implicit
parallel split. Readers usually take it for a decision ("either or"), so the
diagram tells a different story from what happens to the customer's case.

Example
-------
A task "Build release" with plain flows to "Test release" and "Tag version".

How to fix
----------
Put a parallel gateway after the node if both paths run, or an exclusive
gateway (or conditions plus a default flow) if only one of them does.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "no-implicit-split"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if len(node.outgoing) < 2 or not (node.is_activity or node.is_event):
            continue
        default = node.default
        plain = sum(1 for flow in node.outgoing if flow is not default and not flow.is_conditional)
        if plain > 1:
            yield Problem(
                f"{describe(node)} splits the flow implicitly: its {plain} outgoing flows without "
                "condition all run, in parallel; use a gateway",
                node,
            )
