"""A node without outgoing flow that is not an end event (an implicit end).

What it does
------------
Reports activities, events and gateways that have no outgoing sequence flow
and are not end events. Exempt are: event sub-processes, intermediate link
throw events (the path continues at the matching link catch event), the
activities of an ad-hoc sub-process, compensation activities
(``isForCompensation``), and compensation boundary events that an association
links to their compensation activity.

Why it matters
--------------
A path that stops without an end event leaves the reader (and the customer)
without an outcome: is the case finished, rejected, or forgotten? Engines end
such a path silently, which hides mistakes such as a missing flow after a
gateway or a boundary event.

Example
-------
``Log complaint -> (X) Severe? -> Escalate -> (+) Hand over`` where nothing
follows the gateway "Hand over".

How to fix
----------
Lead the path into an end event that names the outcome ("Complaint
answered"), or connect it to where the work continues.

Notes: connections are read from the sequence flows' ``sourceRef`` and
``targetRef`` (bpmnlint reads the optional ``<incoming>``/``<outgoing>``
lists). A compensation boundary event counts as linked when any association in
the file starts at it; bpmnlint only looks at the associations of the
top-level process, so it reports compensation inside sub-processes, where
modelers store the association.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, SubProcess, describe

ID = "no-implicit-end"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _only(node: FlowNode, definition_kind: str) -> bool:
    definitions = node.event_definitions
    return bool(definitions) and all(d.kind == definition_kind for d in definitions)


def _exempt(node: FlowNode, association_sources: set[str]) -> bool:
    kind = node.kind
    if kind == "endEvent":
        return True
    if isinstance(node, SubProcess) and node.triggered_by_event:
        return True
    if kind == "intermediateThrowEvent" and _only(node, "linkEventDefinition"):
        return True
    scope = node.scope
    if isinstance(scope, SubProcess) and scope.kind == "adHocSubProcess":
        return True
    if (
        kind == "boundaryEvent"
        and _only(node, "compensateEventDefinition")
        and node.id in association_sources
    ):
        return True
    return node.is_activity and node.is_for_compensation


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    association_sources = {
        a.source_ref.strip() for a in model.associations if a.source_ref is not None
    }
    for node in model.flow_nodes:
        if node.outgoing or _exempt(node, association_sources):
            continue
        yield Problem(
            f"{describe(node)} has no outgoing sequence flow and is not "
            "an end event: the path ends implicitly",
            node,
        )
