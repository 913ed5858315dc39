"""A process level with more flow nodes than a reader can take in.

What it does
------------
Counts the flow nodes (activities, events, gateways) on each process level:
the top level of a process, and each sub-process on its own. Nodes inside a
sub-process count for the sub-process, not for the level that contains it.
Reports each level with more than ``max`` nodes (default 50).

Why it matters
--------------
The first of the Seven Process Modeling Guidelines (7PMG, Mendling, Reijers
and van der Aalst) is "use as few elements as possible": larger models are
harder to understand and contain more errors, and the authors suggest
decomposing models with more than 50 elements. A customer journey nobody can
read in one go hides its handoffs and dead ends.

Example
-------
A claims process with 80 tasks, events and gateways on one level: ``Process
'Claims' has 80 flow nodes on one level; more than 50``.

How to fix
----------
Group related steps into sub-processes (collapsed ones keep the top level
short), or split the model into separate processes linked by call
activities or messages. Raise ``max`` if your team agreed on another limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import describe, Model, Process, SubProcess

ID = "max-elements"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {
    "max": Option(
        int,
        50,
        "The most flow nodes allowed on one process or sub-process level.",
        minimum=1,
    ),
}

def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    limit = ctx.options.get("max", OPTIONS["max"].default)
    for scope in model.scopes:
        count = len(scope.nodes)
        if count <= limit:
            continue
        if isinstance(scope, Process):
            pool = scope.participant
            if scope.label:
                what = f"Process '{scope.label}'"
            elif pool is not None and pool.label:
                what = f"Process of pool '{pool.label}'"
            else:
                what = f"Process {scope.id}"
        elif isinstance(scope, SubProcess):
            what = describe(scope, capitalize=True)
        else:  # not reachable: a scope is a process or a sub-process
            continue
        yield Problem(
            f"{what} has {count} flow nodes on one level, more than {limit}: "
            "split it into sub-processes (7PMG: use as few elements as possible)",
            scope,
        )
