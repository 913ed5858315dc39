"""The customer sends a request that nothing ever answers.

What it does
------------
For every message flow from the customer to a provider step *p*, follows
what can happen after *p* in its process: sequence flows, boundary events,
link events, the content of sub-processes and what follows a sub-process
once *p* inside it is done, and message flows to other provider pools (a
front office that passes the case to a back office, which answers). The request is answered when one of those steps
sends a message flow to the customer (a customer step or the customer
pool's boundary) or passes the work to a customer lane by a sequence flow.
A message to a black-box pool is answered when that pool sends anything to
the customer. It is one reverse search from the answering steps, so it is
linear in the size of the model.

Not reported: a request whose sender or receiver no path reaches
(``unreachable-node`` reports that), and a message that ends on the
boundary of a pool with a process (``unowned-touchpoint`` reports that
when nobody owns it).

Why it matters
--------------
The customer asked for something and, as far as the process goes, never
hears back: no confirmation, no decision, no "we are working on it". That
is the moment customers start to chase, call and complain.

Example
-------
The customer sends *Complaint* to the service desk's *Receive complaint*;
after it the desk only files the complaint and ends. Nothing sends the
customer an answer.

How to fix
----------
Add the answer: a message flow from the step that decides (or an early
acknowledgement) back to the customer. If the answer really goes out
through another channel, model that step and its message flow.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis, predecessor_map, reachable_nodes
from ..customer.journey import customer_name, party_name, step_name
from ..customer.analysis import CustomerAnalysis
from ..customer.scope import effective_lane
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, Participant, SubProcess

ID = "unanswered-request"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def _answering(model: Model, analysis: CustomerAnalysis) -> tuple[list[FlowNode], set[int]]:
    """``id()`` of provider nodes from which the customer can still hear back,
    and of the pools that send to the customer from their boundary."""
    scope = analysis.scope
    seeds: list[FlowNode] = []
    pools: set[int] = set()
    for flow in model.message_flows:
        source, target = flow.source, flow.target
        if source is None or target is None or not scope.contains_end(target) or scope.contains_end(source):
            continue
        if isinstance(source, FlowNode):
            seeds.append(source)
        elif isinstance(source, Participant):
            pools.add(id(source))
    for node in analysis.customer_nodes:
        for flow in node.incoming:
            source = flow.source
            if source is not None and not analysis.is_customer(source):
                seeds.append(source)
    return seeds, pools


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    requests = [t for t in analysis.message_touchpoints if t.direction == "outbound"]
    if not requests:
        return
    seeds, answering_pools = _answering(model, analysis)
    preds = predecessor_map(ctx)
    reachable = reachable_nodes(ctx)
    # The provider may pass the case to another of its pools by message
    # (front office -> back office), and the answer come from there.
    forwarded: dict[int, list[FlowNode]] = {}
    for flow in model.message_flows:
        source, target = flow.source, flow.target
        if (
            isinstance(source, FlowNode) and isinstance(target, FlowNode)
            and not analysis.is_customer(source) and not analysis.is_customer(target)
        ):
            forwarded.setdefault(id(target), []).append(source)

    # Reverse search. A node answers if a successor answers; a sub-process
    # answers if something inside it does; everything inside a sub-process
    # answers if what follows the sub-process does.
    answers: set[int] = set()
    opened: set[int] = set()
    stack: list[FlowNode] = list(seeds)
    while stack:
        node = stack.pop()
        if id(node) in answers:
            continue
        answers.add(id(node))
        scope = node.scope
        if isinstance(scope, SubProcess) and id(scope) not in answers:
            stack.append(scope)
        for sender in forwarded.get(id(node), ()):
            if id(sender) not in answers:
                stack.append(sender)
        for pred in preds.get(id(node), ()):
            if isinstance(pred, SubProcess) and id(pred) not in opened:
                opened.add(id(pred))
                stack.extend(pred.walk_nodes())
            if id(pred) not in answers:
                stack.append(pred)

    who = customer_name(analysis)
    for touchpoint in requests:
        receiver = touchpoint.provider_end
        sender = touchpoint.customer_end
        if isinstance(sender, FlowNode) and id(sender) not in reachable:
            continue
        if isinstance(receiver, Participant):
            if receiver.process is not None or id(receiver) in answering_pools:
                continue
            where = step_name(receiver)
        else:
            if id(receiver) not in reachable or id(receiver) in answers:
                continue
            lane = effective_lane(receiver)
            where = step_name(receiver) + (f" ({party_name(lane)})" if lane is not None else "")
        flow = touchpoint.flow
        what = f"'{flow.label}'" if flow.label else "a message"
        source = f" from {step_name(sender)}" if isinstance(sender, FlowNode) else ""
        if isinstance(receiver, Participant):
            tail = f"which never sends anything back to {who}"
        else:
            tail = f"and nothing after {step_name(receiver)} ever sends anything back to {who}"
        yield Problem(f"{who[:1].upper()}{who[1:]} sends {what}{source} to {where}, {tail}", flow)
