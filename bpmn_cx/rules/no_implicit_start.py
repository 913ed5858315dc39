"""A node without incoming flow that is not a start event (an implicit start).

What it does
------------
Reports activities, events and gateways that have no incoming sequence flow
and are not start events. Exempt are: boundary events, intermediate link catch
events (the path comes from the matching link throw event), event
sub-processes, the activities of an ad-hoc sub-process and compensation
activities (``isForCompensation``).

Why it matters
--------------
Work that nothing leads to starts out of nowhere: readers cannot tell what
triggers it or when the customer meets it, and engines either never run it
or start it together with the process.

Example
-------
A task "Call applicant" with a flow to the end event but no flow into it.

How to fix
----------
Connect the node to the flow that leads to it, or put a start event (with
the right trigger) in front of it.

Notes: connections are read from the sequence flows' ``sourceRef`` and
``targetRef``; bpmnlint reads the optional ``<incoming>``/``<outgoing>``
lists instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SubProcess, describe

ID = "no-implicit-start"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _exempt(node: FlowNode) -> bool:
    kind = node.kind
    if kind == "startEvent" or kind == "boundaryEvent":
        return True
    if node.is_activity and node.is_for_compensation:
        return True
    scope = node.scope
    if isinstance(scope, SubProcess) and scope.kind == "adHocSubProcess":
        return True
    if isinstance(node, SubProcess) and node.triggered_by_event:
        return True
    if kind == "intermediateCatchEvent":
        definitions = node.event_definitions
        return bool(definitions) and all(d.kind == "linkEventDefinition" for d in definitions)
    return False


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.incoming or _exempt(node):
            continue
        yield Problem(
            f"{describe(node)} has no incoming sequence flow and is not "
            "a start event: the path starts implicitly",
            node,
        )
