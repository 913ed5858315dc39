"""An event sub-process whose start event has no trigger.

What it does
------------
Reports every start event, directly inside an event sub-process
(``triggeredByEvent="true"``), that has no event definition (a blank start
event).

Why it matters
--------------
An event sub-process is started by an event that happens while its parent
runs: a message from the customer, a timer, an error, an escalation... A blank
start event names no such event, so nothing can ever start the event
sub-process, and the reader cannot tell what it reacts to.

Example
-------
An event sub-process "Account blocked" whose start event "Blocked" is blank.

How to fix
----------
Give the start event the trigger it waits for (message, timer, signal,
conditional, error, escalation or compensation). If the work should simply
follow in order, make it an ordinary sub-process connected by sequence flows.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, SubProcess, describe

ID = "event-sub-process-typed-start-event"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind != "startEvent" or node.event_definitions:
            continue
        scope = node.scope
        if not isinstance(scope, SubProcess) or not scope.triggered_by_event:
            continue
        yield Problem(
            f"{describe(node)} of the event {describe(scope)} has no trigger (event definition): "
            "nothing can start the event sub-process",
            node,
        )
