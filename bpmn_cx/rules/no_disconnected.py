"""A flow node without any sequence flow.

What it does
------------
Reports activities, gateways and events that have neither incoming nor
outgoing sequence flows. Exempt are: event sub-processes (an event starts
them, not a flow), compensation activities (``isForCompensation``) and
boundary events whose only trigger is compensation (they are linked by an
association), and the activities of an ad-hoc sub-process (they are loose by
design). Data objects, annotations and other artifacts are not flow nodes.

Why it matters
--------------
A node that nothing leads to and that leads nowhere is never reached: it is a
leftover, or a step someone forgot to connect. Readers wonder when it
happens, and the customer's path on the diagram is incomplete.

Example
-------
A task "Archive claim" placed next to the claim process with no arrows.

How to fix
----------
Connect the node with sequence flows where it belongs in the flow, or delete
it. If it reacts to an event, make it (part of) an event sub-process or
attach a boundary event.

Notes: connections are read from the sequence flows' ``sourceRef`` and
``targetRef``; bpmnlint reads the optional ``<incoming>``/``<outgoing>``
lists instead, and reports every node of a file that omits them. Call
activities are checked too (bpmnlint's list of node types misses them).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SubProcess, describe

ID = "no-disconnected"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _exempt(node: FlowNode) -> bool:
    if isinstance(node, SubProcess) and node.triggered_by_event:
        return True
    if node.is_activity and node.is_for_compensation:
        return True
    if node.kind == "boundaryEvent":
        definitions = node.event_definitions
        if len(definitions) == 1 and definitions[0].kind == "compensateEventDefinition":
            return True
    scope = node.scope
    return isinstance(scope, SubProcess) and scope.kind == "adHocSubProcess"


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.incoming or node.outgoing or _exempt(node):
            continue
        yield Problem(
            f"{describe(node)} is not connected: it has no incoming "
            "and no outgoing sequence flow",
            node,
        )
