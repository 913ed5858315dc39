"""A start event with a trigger inside an ordinary sub-process.

What it does
------------
Reports start events with an event definition (message, timer, ...) inside a
sub-process, transaction or ad-hoc sub-process. Event sub-processes are exempt:
their start event is the trigger.

Why it matters
--------------
An embedded sub-process starts when the flow reaches it; it cannot wait for a
message or a timer at its start. A trigger there is either ignored or makes
the model invalid, and readers believe in a wait that never happens.

Example
-------
A sub-process *Verify identity* whose start event is a message start event
*Documents received*.

How to fix
----------
Make the start event blank and, if the sub-process really waits, put an
intermediate catching event (message, timer, ...) after it. If the
sub-process should be triggered by the event, make it an event sub-process.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, SubProcess

ID = "sub-process-blank-start-event"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind != "startEvent" or not node.event_definitions:
            continue
        scope = node.scope
        if not isinstance(scope, SubProcess) or scope.triggered_by_event:
            continue
        triggers = ", ".join(node.triggers)
        yield Problem(
            f"start event {node.label or node.id!r} in sub-process {scope.label or scope.id!r} "
            f"has a trigger ({triggers}); a sub-process starts when the flow reaches it, so "
            "its start event must be blank",
            node,
        )
