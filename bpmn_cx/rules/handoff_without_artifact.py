"""A handoff where nothing visible carries the work across.

What it does
------------
For every handoff (a link between provider activities in different lanes,
through gateways and intermediate events only), checks that something
carries the case from one lane to the other: a data output association
from the giving step (or, for a boundary event, its host) to a data
object or data store, a data input association from a data object or data
store into the taking step, or a message flow from the giving side to the
taking side (steps or intermediate events on the way). Reports the taking
step of each handoff without one.

Off in ``recommended``: many good models leave data out on purpose. Turn
it on where the model is used to design the handover itself.

Why it matters
--------------
What is not handed over gets asked again: the next team calls the customer
for information the first team already had. Drawing the file, form or
record that travels makes the handover's content explicit and shows where
a shared system would remove it.

Example
-------
Sales' *Take order* leads to Warehouse's *Pick items*, but neither writes
nor reads an order document: how does the warehouse know what to pick?

How to fix
----------
Add the data object (e.g. *Order*) as the output of the giving step and the
input of the taking step, or a data store both use, or the message that
carries the work.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis
from ..customer.journey import Handoff, handoffs, party_name, step_name
from ..linter.api import Option, Problem, RuleContext
from ..model import DATA_KINDS, Element, FlowNode, Lane, Model

ID = "handoff-without-artifact"
SEVERITY = "info"
OPTIONS: dict[str, Option] = {}


def _is_data(element: Element | None) -> bool:
    return element is not None and element.kind in DATA_KINDS


def _writes_data(node: FlowNode) -> bool:
    associations = node.data_associations
    return bool(associations) and any(
        a.kind == "dataOutputAssociation" and _is_data(a.target) for a in associations
    )


def _reads_data(node: FlowNode) -> bool:
    associations = node.data_associations
    return bool(associations) and any(
        a.kind == "dataInputAssociation" and any(_is_data(s) for s in a.sources) for a in associations
    )


def _carried(handoff: Handoff, messages: dict[int, set[int]]) -> bool:
    source, target = handoff.source, handoff.target
    host = source.attached_to
    if _writes_data(source) or (host is not None and _writes_data(host)) or _reads_data(target):
        return True
    if not messages:
        return False
    givers = [source] if host is None else [source, host]
    via = list(handoff.link.via)
    takers = {id(target)} | {id(n) for n in via}
    for giver in [*givers, *via]:
        if messages.get(id(giver), set()) & (takers - {id(giver)}):
            return True
    return False


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    found = handoffs(analysis)
    if not found:
        return
    messages: dict[int, set[int]] = {}
    for flow in model.message_flows:
        if isinstance(flow.source, FlowNode) and isinstance(flow.target, FlowNode):
            messages.setdefault(id(flow.source), set()).add(id(flow.target))
    # A lane or step is named in many findings: name each once.
    names: dict[int, str] = {}

    def party(lane: Lane) -> str:
        name = names.get(id(lane))
        if name is None:
            name = names[id(lane)] = party_name(lane)
        return name

    def step(node: FlowNode) -> str:
        name = names.get(id(node))
        if name is None:
            name = names[id(node)] = step_name(node)
        return name

    for handoff in found:
        if _carried(handoff, messages):
            continue
        yield Problem(
            f"{party(handoff.to_lane)} ({step(handoff.target)}) takes over from "
            f"{party(handoff.from_lane)} ({step(handoff.source)}) with nothing handed over: "
            "no data object, data store or message carries the work across",
            handoff.target,
        )
