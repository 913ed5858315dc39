"""A conditional event without a condition in an executable process.

What it does
------------
In processes marked ``isExecutable="true"``, reports every event (start,
intermediate, boundary) whose conditional event definition has no condition
expression, or an empty one. Processes that are not executable are sketches
and are left alone.

Why it matters
--------------
A conditional event waits until its condition becomes true. Without a
condition the engine has nothing to evaluate: the event either never fires or
the deployment fails, and the path behind it is dead.

Example
-------
An executable claims process with an intermediate catch event "Claim approved"
that has ``<conditionalEventDefinition/>`` but no ``<condition>``.

How to fix
----------
Give the conditional event definition a ``<condition>`` expression the engine
can evaluate (e.g. ``${approved}``), or use another trigger (message, signal,
timer) if the event waits for something else.

Notes: only the event's first conditional event definition is checked, as in
bpmnlint. A condition consisting only of white space counts as missing (bpmnlint
accepts one written as a blank CDATA section).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, describe
from ..namespaces import local_name

ID = "conditional-event"
# bpmnlint:recommended leaves this rule off; bpmnlint:all makes it an error.
# It can only fire on executable processes, so it is enabled here as an error.
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _has_condition(node: FlowNode) -> bool | None:
    """``None`` when the node has no conditional event definition."""
    for definition in node.event_definitions:
        if definition.kind == "conditionalEventDefinition":
            for child in definition.xml:
                if local_name(child.tag) == "condition":
                    # Text after a comment inside the expression is its tail.
                    text = (child.text or "") + "".join(c.tail or "" for c in child)
                    return bool(text.strip())
            return False
    return None


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for process in model.processes:
        if not process.is_executable:
            continue
        for node in process.walk_nodes():
            if not node.is_event or _has_condition(node) is not False:
                continue
            yield Problem(
                f"conditional {describe(node)} has no condition: the engine has nothing to evaluate",
                node,
            )
