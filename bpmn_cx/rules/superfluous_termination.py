"""A terminate end event where a plain end event does the same.

What it does
------------
In each process and sub-process, looks at the elements the flow ends in (flow
nodes without outgoing sequence flows). If exactly one of them is a terminate
end event and every other one is an interrupting event sub-process, the
terminate end event is reported: there is no other path left that it could
stop. This is deliberately the basic case only; no flow analysis is done, so
a terminate end event next to any other end is never reported.

Unlike bpmnlint, which reads outgoing flows from the optional ``<outgoing>``
child elements, the outgoing flows are those whose ``sourceRef`` is the node.

Why it matters
--------------
A terminate end event tells the reader "this stops everything else that is
still running". Where nothing else can run, it promises a drama that does not
happen and hides the real cases in other diagrams where termination matters.

Example
-------
``Start -> Check -> Approve -> (terminate end)`` with no other end in the
process.

How to fix
----------
Replace the terminate end event with a plain end event.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SubProcess

ID = "superfluous-termination"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def _is_terminate_end(node: FlowNode) -> bool:
    return node.kind == "endEvent" and any(
        d.kind == "terminateEventDefinition" for d in node.event_definitions
    )


def _is_interrupting_event_subprocess(node: FlowNode) -> bool:
    return (
        isinstance(node, SubProcess)
        and node.triggered_by_event
        and any(n.kind == "startEvent" and n.is_interrupting for n in node.nodes)
    )


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for scope in model.scopes:
        ends = [n for n in scope.nodes if not n.outgoing]
        terminates = [n for n in ends if _is_terminate_end(n)]
        if len(terminates) != 1:
            continue
        terminate = terminates[0]
        if all(n is terminate or _is_interrupting_event_subprocess(n) for n in ends):
            what = "sub-process" if isinstance(scope, SubProcess) else "process"
            yield Problem(
                f"terminate end event {terminate.label or terminate.id!r} has nothing to "
                f"terminate: no other path of {what} {scope.label or scope.id!r} can still be "
                "running when it is reached, so a plain end event does the same",
                terminate,
            )
