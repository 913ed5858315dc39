"""An activity or event with more than one incoming sequence flow.

What it does
------------
Reports activities and events that have two or more incoming sequence flows
(an implicit join). Gateways are not affected: joining is their job.

Why it matters
--------------
Several flows entering an activity do not wait for each other: the activity
runs once for every token that arrives. Modelers usually mean "when all of
this is done" (a parallel join) or "whichever came" (an exclusive merge), and
readers guess which one. If the branches ran in parallel, the work is done
twice, and the customer may get two letters.

Example
-------
``Repair for free -> Return device`` and ``Repair for a fee -> Return device``
without a merging gateway.

How to fix
----------
Put a gateway in front of the node: an exclusive gateway to merge alternative
paths, a parallel gateway to wait for all parallel branches.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "fake-join"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        count = len(node.incoming)
        if count > 1 and (node.is_activity or node.is_event):
            yield Problem(
                f"{describe(node)} has {count} incoming sequence flows that do not join: it runs "
                "once per arriving flow; merge them with a gateway",
                node,
            )
