"""A process or sub-process with more than one blank start event.

What it does
------------
Reports each process and sub-process (including transactions, ad-hoc and
event sub-processes) that directly contains two or more start events without
an event definition.

Why it matters
--------------
A blank start event means "the process starts here when it is started". With
two of them nobody can tell where an instance begins, whether both paths run,
and which one the customer's request takes.

Example
-------
A process with the blank start events *Request received* and *Walk-in
customer*, both leading into the same flow.

How to fix
----------
Keep one blank start event and merge the paths behind it, or give the start
events triggers (message, timer, ...) that say when each one fires.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, SubProcess

ID = "single-blank-start-event"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for scope in model.scopes:
        blanks = [n for n in scope.nodes if n.kind == "startEvent" and not n.event_definitions]
        if len(blanks) > 1:
            what = "sub-process" if isinstance(scope, SubProcess) else "process"
            names = ", ".join(repr(n.label or n.id) for n in blanks)
            yield Problem(
                f"{what} {scope.label or scope.id!r} has {len(blanks)} blank start events "
                f"({names}); it should have at most one",
                scope,
            )
