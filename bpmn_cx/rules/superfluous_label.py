"""A label on a sequence flow that decides nothing.

What it does
------------
Reports named sequence flows that have no condition, are not the default flow
of their source, and do not leave an exclusive or inclusive gateway that
splits (has more than one outgoing flow).

Unlike bpmnlint, which counts a gateway's outgoing flows from the optional
``<outgoing>`` child elements, the outgoing flows are those whose
``sourceRef`` is the gateway.

Why it matters
--------------
A label on a flow reads like a condition. On an unconditional flow it either
repeats what the diagram already shows or suggests a decision that does not
exist, and readers look for the other branch.

Example
-------
The flow from *Receive order* to *Check stock* labelled *then*; the single
flow out of a parallel gateway labelled *yes*.

How to fix
----------
Remove the label, or, if a decision is meant, model it: an exclusive gateway
with labelled outgoing flows, or a condition on the flow.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "superfluous-label"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}

_DECISIONS = frozenset({"exclusiveGateway", "inclusiveGateway"})


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for flow in model.sequence_flows:
        label = flow.label
        if not label or flow.condition is not None:
            continue
        source = flow.source
        if source is not None:
            if source.default is flow:
                continue
            if source.kind in _DECISIONS and len(source.outgoing) > 1:
                continue
        yield Problem(
            f"sequence flow {flow.id!r} is labelled {label!r} but has no condition and does "
            "not leave a decision: the label is superfluous",
            flow,
        )
