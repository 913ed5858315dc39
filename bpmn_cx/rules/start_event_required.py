"""A process or sub-process without a start event.

What it does
------------
Reports each process and each sub-process (including transactions and event
sub-processes) that contains no start event of its own. Ad-hoc sub-processes
are exempt: their activities start without one.

Why it matters
--------------
Without a start event, nobody can see where the process begins or what
triggers it; engines and simulators either refuse the model or start every
activity without incoming flow at once.

Example
-------
A process whose first element is the task *Check application*, with no start
event in front of it.

How to fix
----------
Add a start event in front of the first activity; for an event sub-process,
add the start event that triggers it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, SubProcess

ID = "start-event-required"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for scope in model.scopes:
        if scope.kind == "adHocSubProcess":
            continue
        if any(n.kind == "startEvent" for n in scope.nodes):
            continue
        what = "sub-process" if isinstance(scope, SubProcess) else "process"
        yield Problem(f"{what} {scope.label or scope.id!r} has no start event", scope)
