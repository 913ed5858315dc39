"""A process or sub-process without an end event.

What it does
------------
Reports every process and every sub-process (including transactions and
event sub-processes) that has no end event among its direct children.
Ad-hoc sub-processes are exempt: they must not contain end events.

Why it matters
--------------
An end event tells the reader where and how the work is finished, and with
which result. Without one, paths simply stop, and nobody can tell whether
the customer's case is done or was forgotten.

Example
-------
A process ``Enquiry received -> Answer enquiry`` that stops after the task.

How to fix
----------
Add an end event to the process or sub-process and lead every path that
finishes the work into one (give end events names that say the outcome).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, Process, SubProcess, describe

ID = "end-event-required"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    scopes: list[Process | SubProcess] = list(model.processes)
    scopes.extend(node for node in model.flow_nodes if isinstance(node, SubProcess))
    for scope in scopes:
        if scope.kind == "adHocSubProcess":
            continue
        if any(node.kind == "endEvent" for node in scope.nodes):
            continue
        what = describe(scope)
        if isinstance(scope, SubProcess) and scope.triggered_by_event:
            what = "event " + what
        yield Problem(f"{what} has no end event", scope)
