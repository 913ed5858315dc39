"""A start or end event directly inside an ad-hoc sub-process.

What it does
------------
Reports every start event and every end event that is a direct child of an
ad-hoc sub-process. Events inside an ordinary sub-process nested in the ad-hoc
sub-process are not affected.

Why it matters
--------------
The BPMN 2.0 specification forbids start and end events in an ad-hoc
sub-process: its activities are done in any order, as often as needed, until
its completion condition holds. A start event suggests a fixed entry point and
an end event a fixed exit, and both contradict what the reader is told by the
ad-hoc marker. Engines reject such models.

Example
-------
An ad-hoc sub-process "Diagnose problem" holding ``Start -> Read logs`` and
``Call customer -> End``.

How to fix
----------
Delete the start and end events inside the ad-hoc sub-process (connect or
leave loose the activities they were attached to), or make it an ordinary
sub-process if the work really has a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, SubProcess, describe

ID = "ad-hoc-sub-process"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind != "adHocSubProcess" or not isinstance(node, SubProcess):
            continue
        for child in node.nodes:
            if child.kind in ("startEvent", "endEvent"):
                yield Problem(
                    f"{describe(child)} is not allowed inside the {describe(node)}: an ad-hoc "
                    "sub-process has no start or end events",
                    child,
                )
