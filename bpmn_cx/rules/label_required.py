"""An element that needs a label but has none.

What it does
------------
Reports, when their name is missing or blank:

* flow nodes: tasks, call activities, events (boundary and link events
  included) and gateways that split the flow, i.e. have more than one
  outgoing sequence flow;
* conditional sequence flows;
* pools (participants) and lanes.

Exempt are parallel and event-based gateways, gateways that only join (one
outgoing flow or none), and sub-processes of every kind (their content says
what they do).

Unlike bpmnlint, which counts a gateway's outgoing flows from the optional
``<outgoing>`` child elements, the outgoing flows are those whose
``sourceRef`` is the gateway, so files written without those children are
judged the same way.

Why it matters
--------------
A diagram is read through its labels. An unnamed task, event or decision
forces the reader to guess what happens; in a customer journey an unnamed
step is a step nobody can talk about.

Example
-------
An exclusive gateway without a question, splitting into the flows *yes* and
*no*; a user task with an empty name.

How to fix
----------
Name tasks with verb + object (*Check application*), events with a state
(*Application received*), splitting gateways with a question (*Complete?*),
conditional flows with the condition, and pools and lanes with the party or
role.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import SUBPROCESS_KINDS, Model, is_blank

ID = "label-required"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}

_NEVER = frozenset({"parallelGateway", "eventBasedGateway"}) | SUBPROCESS_KINDS


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not is_blank(node.name) or node.kind in _NEVER:
            continue
        if node.is_gateway and len(node.outgoing) <= 1:
            continue  # a join needs no question
        yield Problem(f"{node.kind} {node.id!r} has no label", node)
    for flow in model.sequence_flows:
        if is_blank(flow.name) and flow.condition is not None:
            yield Problem(
                f"conditional sequence flow {flow.id!r} has no label: name the condition", flow
            )
    for participant in model.participants:
        if is_blank(participant.name):
            yield Problem(f"pool (participant) {participant.id!r} has no name", participant)
    for lane in model.lanes:
        if is_blank(lane.name):
            yield Problem(f"lane {lane.id!r} has no name", lane)
