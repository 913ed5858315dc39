"""Two sequence flows with the same source, target and condition.

What it does
------------
Reports every sequence flow that repeats an earlier one: same source node,
same target node and the same condition (or both without one). The first
flow is kept; each repetition is reported, and so are (once each) the source
node ("duplicate outgoing flows") and the target node ("duplicate incoming
flows"), as bpmnlint does.

Why it matters
--------------
Duplicate flows are usually drawn on top of each other, so nobody sees them.
But they are real: an activity with two identical outgoing flows sends two
tokens, and the target runs twice. The customer gets the letter twice, or a
join waits forever.

Example
-------
``Write letter -> Post letter`` drawn twice.

How to fix
----------
Delete the extra sequence flows, keeping one.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SequenceFlow, describe
from ..namespaces import local_name

_TARGET = attrgetter("target")

ID = "no-duplicate-sequence-flows"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _condition_key(flow: SequenceFlow) -> str | None:
    """The condition as written (``None``: no condition element).

    Unlike :attr:`SequenceFlow.condition` the text is not stripped: bpmnlint
    compares the raw expression bodies, and so do we.
    """
    for child in flow.xml:
        if local_name(child.tag) == "conditionExpression":
            text = (child.text or "") + "".join(c.tail or "" for c in child)
            return text if text.strip() else ""
    return None


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    # Group by (source, target) first: reading the condition text of every flow
    # costs more than the grouping, and only repeated pairs need it. A repeated
    # pair leaves a node with more outgoing flows than distinct targets, so
    # only such nodes are grouped (a node's outgoing flows are the flows whose
    # source it is, in document order).
    by_pair: dict[tuple[int, int], tuple[FlowNode, FlowNode, list[SequenceFlow]]] = {}
    for source in model.flow_nodes:
        outgoing = source.outgoing
        if len(outgoing) < 2 or len(set(map(id, map(_TARGET, outgoing)))) == len(outgoing):
            continue
        for flow in outgoing:
            target = flow.target
            if target is not None:
                key = (id(source), id(target))
                entry = by_pair.get(key)
                if entry is None:
                    entry = by_pair[key] = (source, target, [])
                entry[2].append(flow)
    source_reported: set[int] = set()
    target_reported: set[int] = set()
    for source, target, flows in by_pair.values():
        if len(flows) < 2:
            continue
        first: dict[str | None, SequenceFlow] = {}
        for flow in flows:  # document order: the first of equal flows is kept
            key = _condition_key(flow)
            original = first.setdefault(key, flow)
            if original is flow:
                continue
            yield Problem(
                f"{describe(flow)} duplicates {describe(original)}: both lead from {describe(source)} "
                f"to {describe(target)} with the same condition",
                flow,
            )
            if id(source) not in source_reported:
                source_reported.add(id(source))
                yield Problem(
                    f"{describe(source)} has duplicate outgoing sequence flows (to {describe(target)})",
                    source,
                )
            if id(target) not in target_reported:
                target_reported.add(id(target))
                yield Problem(
                    f"{describe(target)} has duplicate incoming sequence flows (from {describe(source)})",
                    target,
                )
