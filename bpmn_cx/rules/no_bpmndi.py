"""An element that should be drawn but has no shape or edge in the diagram.

What it does
------------
Reports every element that a diagram shows but for which no ``BPMNShape`` or
``BPMNEdge`` in any diagram refers to it:

* the flow elements of every process and sub-process, nested ones included:
  flow nodes (boundary events too), sequence flows, data object references
  and data store references (a ``dataObject`` itself is never drawn);
* the artifacts of processes, sub-processes and collaborations: text
  annotations, associations and groups;
* the lanes of the first lane set of each process or sub-process, child lanes
  included (modelers only draw the first lane set);
* the pools (participants) and message flows of collaborations.

Data associations are not checked. An element without an ``id`` cannot be
drawn at all and is reported as such (as a finding without element id).
Elements of a collapsed sub-process that is drawn on its own diagram count as
drawn: shapes in every diagram (and every plane, should a diagram have
several) are taken into account. The finding points at the BPMN element and
its line: there is no shape whose line could be given. Choreographies are not
modelled by bpmn-cx, so their content is not checked (bpmnlint checks it).

Why it matters
--------------
A modeler shows only what has a shape. An element without one is invisible to
everybody reading the diagram, but it is still executed, simulated and
exported: the picture and the process disagree.

Example
-------
A task added by a script or a merge tool that never got a ``BPMNShape``, or a
sequence flow whose ``BPMNEdge`` was deleted.

How to fix
----------
Open the file in a modeler that lays out missing shapes (or add the
``BPMNShape``/``BPMNEdge`` by hand), or delete the element if it is a
leftover.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter

from ..linter.api import Option, Problem, RuleContext
from ..model import Element, Lane, Model, SubProcess

ID = "no-bpmndi"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}

_DRAWN_DATA = frozenset({"dataObjectReference", "dataStoreReference"})
_DRAWN_ARTIFACTS = frozenset({"textAnnotation", "association", "group"})
_ID = attrgetter("id")


def _visual_groups(model: Model) -> Iterator[Iterable[Element]]:
    """The elements to check, in groups (lists where possible, for the all-drawn test)."""
    for scope in model.scopes:
        if isinstance(scope, SubProcess) and scope.scope is None:
            continue  # nested in something we do not model, e.g. a choreography
        yield scope.nodes
        yield scope.flows
        yield (d for d in scope.data if d.kind in _DRAWN_DATA)
        yield (a for a in scope.artifacts if a.kind in _DRAWN_ARTIFACTS)
        if scope.lane_sets:
            yield _lanes(scope.lane_sets[0].lanes)
    for collaboration in model.collaborations:
        yield collaboration.participants
        yield collaboration.message_flows
        yield (a for a in collaboration.artifacts if a.kind in _DRAWN_ARTIFACTS)


def _lanes(lanes: list[Lane]) -> Iterator[Lane]:
    """Lanes and their child lanes, depth first, without recursion."""
    stack = list(reversed(lanes))
    while stack:
        lane = stack.pop()
        yield lane
        stack.extend(reversed(lane.child_lanes))


def _what(element: Element) -> str:
    kind = element.kind
    if kind in ("sequenceFlow", "messageFlow", "association"):
        return "edge (BPMNEdge)"
    return "shape (BPMNShape)"


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    drawn = model.drawn_ids()
    for group in _visual_groups(model):
        if isinstance(group, list):
            if drawn.issuperset(map(_ID, group)):
                continue  # all drawn (the usual case): no loop in Python
        for element in group:
            if element.id is None:
                # nothing can refer to it, so it cannot be drawn
                yield Problem(
                    f"{element.kind} {element.label or '(unnamed)'!r} has no id, so no "
                    f"{_what(element)} can draw it",
                    element,
                )
            elif element.id not in drawn:
                yield Problem(
                    f"{element.kind} {element.label or element.id!r} is not in the diagram: it has no "
                    f"{_what(element)}",
                    element,
                )
