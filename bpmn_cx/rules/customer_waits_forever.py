"""The customer waits for a message that nobody can send.

What it does
------------
Reports message catch events and receive tasks on the customer's side
(the customer pool, or the customer lanes) that no message flow reaches, or
that only senders that can never run reach (steps that no start leads to).
Only waiting for a message counts: timers, conditions and signals do not
wait for anybody in the model. A message flow drawn to the customer pool's
boundary counts as reaching a waiting step of that pool unless both name
different messages. These are not reported:

* a step that itself can never be reached (``unreachable-node`` reports it);
* a branch of an event-based gateway that has another branch that can
  fire (a timer, a fed message...): the customer does not wait forever;
* message start events and message boundary events (they start or
  interrupt something, nobody is stuck on them);
* a customer black-box pool: no step of it waits;
* a catch event that is itself the source of a message flow: it is a
  throw event drawn (or exported) as a catch.

Why it matters
--------------
In the model the customer is stuck: they wait for an offer, a confirmation
or a callback that no step of the provider ever sends. In real life this is
the customer who calls after two weeks to ask what happened.

Example
-------
The customer pool has *Receive offer* (a message catch event) after
*Request offer*, but the bank's pool sends its offer to *Receive contract*
instead, and nothing sends to *Receive offer*.

How to fix
----------
Draw the message flow from the provider step that sends the answer to the
waiting step, or make the sending step reachable; if the customer may wait
in vain, model a timer on an event-based gateway (and what happens then).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis, reachable_nodes
from ..customer.journey import customer_name, party_name, step_name
from ..customer.scope import effective_lane
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, MessageFlow, Model, Participant, describe

ID = "customer-waits-forever"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _waits_for_message(node: FlowNode) -> bool:
    if node.kind == "receiveTask":
        # An instantiating receive task without incoming flow starts the process: nobody waits.
        return not (node.xml.get("instantiate", "false").strip() == "true" and not node.incoming)
    return node.kind == "intermediateCatchEvent" and "message" in node.triggers


def _message_id(node: FlowNode) -> str | None:
    if node.kind == "receiveTask":
        ref = node.message_ref
        return ref.id if ref is not None else (node.xml.get("messageRef") or None)
    for definition in node.event_definitions:
        if definition.kind == "messageEventDefinition":
            value = definition.xml.get("messageRef")
            return value.strip() if value and value.strip() else None
    return None


def _flow_message_id(flow: MessageFlow) -> str | None:
    if flow.message_ref is not None:
        return flow.message_ref.id
    value = flow.xml.get("messageRef")
    return value.strip() if value and value.strip() else None


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    scope = analysis.scope
    waiting = [n for n in analysis.customer_nodes if _waits_for_message(n)]
    if not waiting:
        return
    # A catch event that itself sends a message flow is a throw event drawn
    # (or exported) as a catch: it does not wait for anybody.
    senders = {id(f.source) for f in model.message_flows if f.source is not None}
    waiting = [n for n in waiting if n.kind == "receiveTask" or id(n) not in senders]
    reachable = reachable_nodes(ctx)

    def can_send(flow: MessageFlow) -> bool:
        source = flow.source
        if isinstance(source, FlowNode):
            return id(source) in reachable
        return source is not None  # a pool's boundary: assume it can send

    into: dict[int, list[MessageFlow]] = {}
    for flow in model.message_flows:
        if flow.target is not None:
            into.setdefault(id(flow.target), []).append(flow)

    def pool_flows(node: FlowNode) -> list[MessageFlow]:
        """Live message flows into the boundary of the node's customer pool."""
        process = node.process
        pool = process.participant if process is not None else None
        if pool is None or not scope.has_participant(pool):
            return []
        return [f for f in into.get(id(pool), []) if can_send(f)]

    def fed(node: FlowNode) -> bool:
        if any(can_send(f) for f in into.get(id(node), [])):
            return True
        wanted = _message_id(node)
        return any(
            wanted is None or got is None or wanted == got
            for got in (_flow_message_id(f) for f in pool_flows(node))
        )

    stuck: dict[int, list[MessageFlow]] = {}
    for node in waiting:
        if id(node) not in reachable:
            continue  # unreachable-node reports it
        if not fed(node):
            stuck[id(node)] = into.get(id(node), [])

    def can_fire(target: FlowNode) -> bool:
        return id(target) not in stuck and target.kind != "eventBasedGateway"

    for node in waiting:
        flows = stuck.get(id(node))
        if flows is None:
            continue
        gateways = [f.source for f in node.incoming if f.source is not None]
        if gateways and all(g.kind == "eventBasedGateway" for g in gateways):
            if all(
                any(f.target is not None and f.target is not node and can_fire(f.target) for f in g.outgoing)
                for g in gateways
            ):
                continue  # another branch of the race can fire
        who = customer_name(analysis)
        if not flows:
            why = "no message flow reaches it"
            others = pool_flows(node)
            if others:
                names = ", ".join(dict.fromkeys(f"'{f.label}'" if f.label else (f.id or "?") for f in others))
                why += f", and the messages sent to the pool's boundary are others ({names})"
        else:
            senders = []
            for flow in flows:
                source = flow.source
                if isinstance(source, FlowNode):
                    lane = effective_lane(source)
                    senders.append(step_name(source) + (f" ({party_name(lane)})" if lane is not None else ""))
                elif isinstance(source, Participant):
                    senders.append(step_name(source))
            named = ", ".join(dict.fromkeys(senders)) or "its senders"
            verb = "sends" if len(flows) == 1 else "send"
            why = f"only {named} {verb} to it, and no path from a start ever leads there"
        yield Problem(f"{who[:1].upper()}{who[1:]} waits forever at {describe(node)}: {why}", node)
