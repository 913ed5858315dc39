"""A lane that holds no flow node.

What it does
------------
Reports leaf lanes (lanes without child lanes) that reference no existing flow
node. A lane whose child lanes hold the nodes is fine: only the innermost
lanes must have work in them.

Why it matters
--------------
An empty lane names a person, role or system that does nothing in this
process. Either the lane is left over from an earlier version, or the steps
that belong there were drawn in it but never assigned to it (the file's
``flowNodeRef`` list is empty), so tools that read the file see nobody there.

Example
-------
Pool "Bank" with lane "Back office" split into "Credit check" and "Archive";
no step is in "Archive": ``Lane 'Back office / Archive' has no flow nodes``.

How to fix
----------
Delete the lane if the role has nothing to do here, or move the steps it
performs into it (re-drop them into the lane so the modeler records the
reference).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "empty-lane"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for lane in model.lanes:
        if lane.child_lanes or lane.nodes:
            continue
        if lane.node_refs:
            yield Problem(
                f"Lane '{lane.path}' has no flow nodes: its flowNodeRefs name no existing flow node",
                lane,
            )
        else:
            yield Problem(f"Lane '{lane.path}' has no flow nodes", lane)
