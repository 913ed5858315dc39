"""The typed in-memory model of a BPMN 2.0 document.

Every model object is a thin, typed view over one XML element of the parsed
document: it keeps the element (``.xml``), its ``id``, ``kind`` (the BPMN
element name, e.g. ``"userTask"``), ``name`` and source ``line``. The XML tree
stays the single source of truth, which is what makes export loss-free: vendor
extensions, documentation and DI details we do not model are never dropped.

After :func:`bpmn_cx.load` every navigation a rule needs is O(1): look-up by id,
a node's incoming and outgoing flows, its owning lane and its containing scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from lxml import etree

TASK_KINDS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
    }
)
SUBPROCESS_KINDS = frozenset({"subProcess", "adHocSubProcess", "transaction"})
ACTIVITY_KINDS = TASK_KINDS | SUBPROCESS_KINDS | {"callActivity"}
EVENT_KINDS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
CATCH_EVENT_KINDS = frozenset({"startEvent", "intermediateCatchEvent", "boundaryEvent"})
THROW_EVENT_KINDS = frozenset({"endEvent", "intermediateThrowEvent", "implicitThrowEvent"})
GATEWAY_KINDS = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
FLOW_NODE_KINDS = ACTIVITY_KINDS | EVENT_KINDS | GATEWAY_KINDS
EVENT_DEFINITION_KINDS = frozenset(
    {
        "messageEventDefinition",
        "timerEventDefinition",
        "signalEventDefinition",
        "errorEventDefinition",
        "escalationEventDefinition",
        "compensateEventDefinition",
        "conditionalEventDefinition",
        "linkEventDefinition",
        "cancelEventDefinition",
        "terminateEventDefinition",
    }
)
DATA_KINDS = frozenset({"dataObject", "dataObjectReference", "dataStoreReference", "dataStore"})
ROOT_ELEMENT_KINDS = frozenset({"message", "signal", "error", "escalation"})


def _label(text: str | None) -> str:
    """A name as one readable line: modelers store line breaks in names."""
    return " ".join(text.split()) if text else ""


def is_blank(text: str | None) -> bool:
    """Whether a name reads as nothing (its label is ``""``), without making the label."""
    return not text or text.isspace()  # isspace() and split() agree on what is white space


class Element:
    """Base of every model object: one XML element with an id."""

    __slots__ = ("id", "kind", "name", "line", "xml")

    def __init__(self, id: str | None, kind: str, name: str | None, line: int | None, xml: Any) -> None:
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        #: The underlying :mod:`lxml` element (the source of truth for export).
        self.xml: etree._Element = xml

    @property
    def label(self) -> str:
        """The name on one line, or ``""``."""
        return _label(self.name)

    @property
    def documentation(self) -> str:
        """Text of the element's ``<documentation>`` children, joined."""
        from .namespaces import local_name

        parts = [
            (child.text or "").strip()
            for child in self.xml
            if local_name(child.tag) == "documentation"
        ]
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.name else ""
        return f"<{self.kind} {self.id}{name} line {self.line}>"


class EventDefinition(Element):
    """``<messageEventDefinition>``, ``<timerEventDefinition>``, ... of an event."""

    __slots__ = ("event", "ref_id", "ref")

    def __init__(self, id, kind, name, line, xml, event: FlowNode) -> None:
        super().__init__(id, kind, name, line, xml)
        self.event = event
        #: messageRef / signalRef / errorRef / escalationRef / activityRef, as written.
        self.ref_id: str | None = None
        #: The referenced root element (or activity), when it exists.
        self.ref: Element | None = None

    @property
    def trigger(self) -> str:
        """``"message"``, ``"timer"``, ... (the kind without ``EventDefinition``)."""
        return self.kind[: -len("EventDefinition")]


class FlowNode(Element):
    """An activity, event or gateway inside a process or sub-process."""

    __slots__ = (
        "scope",
        "incoming",
        "outgoing",
        "lane",
        "event_definitions",
        "attached_to",
        "boundary_events",
        "default",
        "message_ref",
        "data_associations",
    )

    def __init__(self, id, kind, name, line, xml, scope: Scope | None) -> None:
        # Element.__init__ inlined: one call less for each of 100,000s of nodes.
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        self.xml = xml
        #: The process or sub-process that directly contains this node.
        self.scope = scope
        self.incoming: list[SequenceFlow] = []
        self.outgoing: list[SequenceFlow] = []
        #: The owning lane: the deepest lane that references the node. Nodes in a
        #: sub-process without a lane of their own take the sub-process's lane,
        #: boundary events take their host's. ``None`` when no lane owns it.
        self.lane: Lane | None = None
        self.event_definitions: list[EventDefinition] = []
        #: For boundary events: the activity it is attached to.
        self.attached_to: FlowNode | None = None
        #: For activities: the boundary events attached to it.
        self.boundary_events: list[FlowNode] = []
        #: For gateways and activities: the default outgoing flow.
        self.default: SequenceFlow | None = None
        #: For send/receive tasks: the referenced message.
        self.message_ref: Element | None = None
        self.data_associations: list[DataAssociation] = []

    # -- classification -------------------------------------------------
    @property
    def is_activity(self) -> bool:
        return self.kind in ACTIVITY_KINDS

    @property
    def is_task(self) -> bool:
        return self.kind in TASK_KINDS

    @property
    def is_subprocess(self) -> bool:
        return self.kind in SUBPROCESS_KINDS

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def is_gateway(self) -> bool:
        return self.kind in GATEWAY_KINDS

    @property
    def triggers(self) -> list[str]:
        """Event triggers, e.g. ``["message"]``; ``[]`` for a blank event."""
        return [d.trigger for d in self.event_definitions]

    @property
    def cancel_activity(self) -> bool:
        """Boundary events: interrupting (the default) or not."""
        return self.xml.get("cancelActivity", "true").strip() != "false"

    @property
    def is_interrupting(self) -> bool:
        """Start events of event sub-processes: interrupting (the default) or not."""
        return self.xml.get("isInterrupting", "true").strip() != "false"

    @property
    def is_for_compensation(self) -> bool:
        return self.xml.get("isForCompensation", "false").strip() == "true"

    @property
    def process(self) -> Process | None:
        """The top-level process this node belongs to, through nested sub-processes."""
        scope = self.scope
        while isinstance(scope, SubProcess):
            scope = scope.scope
        return scope


class Scope:
    """Something that contains flow elements: a process or a sub-process."""

    __slots__ = ()

    nodes: list[FlowNode]
    flows: list[SequenceFlow]
    lane_sets: list[LaneSet]
    artifacts: list[Element]
    data: list[Element]

    def walk_nodes(self) -> Iterator[FlowNode]:
        """All flow nodes of this scope and its nested sub-processes, without recursion."""
        stack: list[Scope] = [self]
        while stack:
            scope = stack.pop()
            for node in scope.nodes:
                yield node
                if isinstance(node, SubProcess):
                    stack.append(node)

    @property
    def lanes(self) -> list[Lane]:
        """Every lane of the scope's lane sets, parents before children."""
        out: list[Lane] = []
        for lane_set in self.lane_sets:
            stack = list(reversed(lane_set.lanes))
            while stack:
                lane = stack.pop()
                out.append(lane)
                stack.extend(reversed(lane.child_lanes))
        return out


class SubProcess(FlowNode, Scope):
    """``subProcess``, ``adHocSubProcess`` or ``transaction``: a node and a scope."""

    __slots__ = ("nodes", "flows", "lane_sets", "artifacts", "data")

    def __init__(self, id, kind, name, line, xml, scope) -> None:
        super().__init__(id, kind, name, line, xml, scope)
        self.nodes: list[FlowNode] = []
        self.flows: list[SequenceFlow] = []
        self.lane_sets: list[LaneSet] = []
        self.artifacts: list[Element] = []
        self.data: list[Element] = []

    @property
    def triggered_by_event(self) -> bool:
        """An event sub-process."""
        return self.xml.get("triggeredByEvent", "false").strip() == "true"


class Process(Element, Scope):
    """A ``<process>``: the top-level scope of one pool (or a pool-less diagram)."""

    __slots__ = ("nodes", "flows", "lane_sets", "artifacts", "data", "participant")

    def __init__(self, id, kind, name, line, xml) -> None:
        super().__init__(id, kind, name, line, xml)
        self.nodes: list[FlowNode] = []
        self.flows: list[SequenceFlow] = []
        self.lane_sets: list[LaneSet] = []
        self.artifacts: list[Element] = []
        self.data: list[Element] = []
        #: The pool that shows this process, if any.
        self.participant: Participant | None = None

    @property
    def is_executable(self) -> bool:
        return self.xml.get("isExecutable", "false").strip() == "true"


class SequenceFlow(Element):
    __slots__ = ("scope", "source_ref", "target_ref", "source", "target")

    def __init__(self, id, kind, name, line, xml, scope: Scope | None) -> None:
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        self.xml = xml
        self.scope = scope
        #: The ids as written (``None`` when the attribute is missing).
        self.source_ref: str | None = xml.get("sourceRef")
        self.target_ref: str | None = xml.get("targetRef")
        self.source: FlowNode | None = None
        self.target: FlowNode | None = None

    @property
    def condition(self) -> str | None:
        """The condition expression's text, ``""`` for an empty condition, ``None`` if none."""
        expression = self._expression()
        if expression is None:
            return None
        # All direct text nodes: a comment inside the expression splits its text,
        # and the text after the comment is the comment's tail.
        parts = [expression.text or ""]
        parts.extend(child.tail or "" for child in expression)
        return "".join(parts).strip()

    @property
    def is_conditional(self) -> bool:
        return self._expression() is not None

    def _expression(self) -> Any:
        """The ``<conditionExpression>`` child element, if any."""
        xml = self.xml
        if not len(xml):  # most flows have no children: no iteration at all
            return None
        for child in xml:
            tag = child.tag
            # Comments and processing instructions have a function as tag.
            if tag.__class__ is str and (tag.endswith("}conditionExpression") or tag == "conditionExpression"):
                return child
        return None

    @property
    def is_default(self) -> bool:
        return self.source is not None and self.source.default is self


class LaneSet(Element):
    __slots__ = ("scope", "parent_lane", "lanes")

    def __init__(self, id, kind, name, line, xml, scope: Scope | None, parent_lane: Lane | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.scope = scope
        #: For a ``childLaneSet``: the lane it subdivides.
        self.parent_lane = parent_lane
        self.lanes: list[Lane] = []


class Lane(Element):
    __slots__ = ("lane_set", "parent", "child_lanes", "node_refs", "nodes", "depth")

    def __init__(self, id, kind, name, line, xml, lane_set: LaneSet, parent: Lane | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.lane_set = lane_set
        #: The enclosing lane, ``None`` for a top-level lane.
        self.parent = parent
        self.child_lanes: list[Lane] = []
        #: ``flowNodeRef`` ids as written, in order.
        self.node_refs: list[str] = []
        #: The referenced flow nodes that exist, in order.
        self.nodes: list[FlowNode] = []
        self.depth: int = 0 if parent is None else parent.depth + 1

    @property
    def scope(self) -> Scope | None:
        return self.lane_set.scope if self.lane_set is not None else None

    @property
    def is_leaf(self) -> bool:
        return not self.child_lanes

    @property
    def ancestors(self) -> list[Lane]:
        """Enclosing lanes, innermost first."""
        out = []
        lane = self.parent
        while lane is not None:
            out.append(lane)
            lane = lane.parent
        return out

    @property
    def path(self) -> str:
        """``"Bank / Back office / Credit check"``: the lane names from the top."""
        names = [lane.label or lane.id or "?" for lane in reversed(self.ancestors)]
        names.append(self.label or self.id or "?")
        return " / ".join(names)


class Participant(Element):
    """A pool. A black-box pool has no process."""

    __slots__ = ("collaboration", "process_ref", "process")

    def __init__(self, id, kind, name, line, xml, collaboration: Collaboration | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.collaboration = collaboration
        self.process_ref: str | None = xml.get("processRef")
        self.process: Process | None = None

    @property
    def is_black_box(self) -> bool:
        return self.process is None


class Collaboration(Element):
    __slots__ = ("participants", "message_flows", "artifacts")

    def __init__(self, id, kind, name, line, xml) -> None:
        super().__init__(id, kind, name, line, xml)
        self.participants: list[Participant] = []
        self.message_flows: list[MessageFlow] = []
        self.artifacts: list[Element] = []


#: A message flow end: a flow node, or a pool's boundary.
MessageEnd = Union[FlowNode, Participant]


class MessageFlow(Element):
    __slots__ = ("collaboration", "source_ref", "target_ref", "source", "target", "message_ref")

    def __init__(self, id, kind, name, line, xml, collaboration: Collaboration | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.collaboration = collaboration
        self.source_ref: str | None = xml.get("sourceRef")
        self.target_ref: str | None = xml.get("targetRef")
        self.source: MessageEnd | None = None
        self.target: MessageEnd | None = None
        self.message_ref: Element | None = None


class DataAssociation(Element):
    """``dataInputAssociation`` / ``dataOutputAssociation`` of an activity or event."""

    __slots__ = ("owner", "source_refs", "target_ref", "sources", "target")

    def __init__(self, id, kind, name, line, xml, owner: FlowNode | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.owner = owner
        self.source_refs: list[str] = []
        self.target_ref: str | None = None
        self.sources: list[Element] = []
        self.target: Element | None = None


class Association(Element):
    """An artifact association (e.g. a text annotation to a task)."""

    __slots__ = ("source_ref", "target_ref", "source", "target")

    def __init__(self, id, kind, name, line, xml) -> None:
        super().__init__(id, kind, name, line, xml)
        self.source_ref: str | None = xml.get("sourceRef")
        self.target_ref: str | None = xml.get("targetRef")
        self.source: Element | None = None
        self.target: Element | None = None


class TextAnnotation(Element):
    __slots__ = ()

    @property
    def text(self) -> str:
        from .namespaces import local_name

        for child in self.xml:
            if local_name(child.tag) == "text":
                return child.text or ""
        return ""


@dataclass(frozen=True, slots=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def contains(self, other: Bounds, tolerance: float = 0.0) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def overlaps(self, other: Bounds) -> bool:
        """Interiors intersect (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


def _bounds_of(el: Any) -> Bounds | None:
    """Read the ``dc:Bounds`` child of a DI element (``None`` if it has none)."""
    box = read_box(el)
    return None if box is None else Bounds(*box)


#: (x, y, width, height), as in :class:`Bounds`
BoundsTuple = tuple[float, float, float, float]


def read_box(el: Any) -> BoundsTuple | None:
    """The first ``dc:Bounds`` child of ``el`` as a tuple (``None`` if it has none)."""
    try:
        child = el[0]  # the XSD puts the bounds first: no need to walk the children
    except IndexError:
        return None
    if child.tag != _DC_BOUNDS:
        for child in el:
            if child.tag == _DC_BOUNDS:
                break
        else:
            return None
    get = child.get
    try:
        return float(get("x", 0)), float(get("y", 0)), float(get("width", 0)), float(get("height", 0))
    except ValueError:  # not a number: the XSD check reports it
        return None


def shape_bounds(shapes: Iterable[Shape]) -> list[BoundsTuple | None]:
    """``(x, y, width, height)`` of each shape's :attr:`Shape.bounds` (``None`` alike), in bulk.

    For rules that look at every shape: no :class:`Bounds` object is made, the
    numbers are read once and kept on the shape (``Shape.bounds`` makes the
    object from them when asked).
    """
    out: list[BoundsTuple | None] = []
    append = out.append
    for shape in shapes:
        box = shape._bounds
        if box.__class__ is not tuple:
            if box is _UNSET:
                box = shape._bounds = read_box(shape.xml)
            elif box is not None:
                box = (box.x, box.y, box.width, box.height)
        append(box)
    return out


_UNSET: Any = object()
_DC_BOUNDS = "{http://www.omg.org/spec/DD/20100524/DC}Bounds"
_DI_WAYPOINT = "{http://www.omg.org/spec/DD/20100524/DI}waypoint"
_BPMN_LABEL = "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNLabel"


class DiagramElement(Element):
    """A ``BPMNShape`` or ``BPMNEdge``; ``element`` is the BPMN element it draws.

    Geometry is read from the XML on first access and cached: most runs never
    look at most of it, and loading stays close to the raw parse time.
    """

    __slots__ = ("plane", "element_ref", "element", "_label_bounds")

    def __init__(self, id, kind, name, line, xml, plane: Plane | None) -> None:
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        self.xml = xml
        self.plane = plane
        self.element_ref: str | None = xml.get("bpmnElement")
        self.element: Element | None = None
        self._label_bounds: Any = _UNSET

    @property
    def label_bounds(self) -> Bounds | None:
        """Bounds of the external label (``BPMNLabel``), if the modeler wrote them."""
        if self._label_bounds is _UNSET:
            self._label_bounds = None
            for child in self.xml:
                if child.tag == _BPMN_LABEL:
                    self._label_bounds = _bounds_of(child)
                    break
        return self._label_bounds

    def forget_geometry(self) -> None:
        """Drop cached geometry after the XML was edited."""
        self._label_bounds = _UNSET


class Shape(DiagramElement):
    __slots__ = ("_bounds",)

    def __init__(self, id, kind, name, line, xml, plane) -> None:
        # DiagramElement.__init__ inlined: one call less for each of 100,000s of shapes.
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        self.xml = xml
        self.plane = plane
        self.element_ref: str | None = xml.get("bpmnElement")
        self.element: Element | None = None
        self._label_bounds: Any = _UNSET
        self._bounds: Any = _UNSET

    @property
    def bounds(self) -> Bounds | None:
        bounds = self._bounds
        if bounds is _UNSET:
            bounds = self._bounds = _bounds_of(self.xml)
        elif bounds.__class__ is tuple:  # read by shape_bounds()
            bounds = self._bounds = Bounds(*bounds)
        return bounds

    def forget_geometry(self) -> None:
        super().forget_geometry()
        self._bounds = _UNSET

    @property
    def is_horizontal(self) -> bool | None:
        value = self.xml.get("isHorizontal")
        return None if value is None else value.strip() == "true"

    @property
    def is_expanded(self) -> bool | None:
        value = self.xml.get("isExpanded")
        return None if value is None else value.strip() == "true"


class Edge(DiagramElement):
    __slots__ = ("_waypoints",)

    def __init__(self, id, kind, name, line, xml, plane) -> None:
        # DiagramElement.__init__ inlined: one call less for each of 100,000s of edges.
        self.id = id
        self.kind = kind
        self.name = name
        self.line = line
        self.xml = xml
        self.plane = plane
        self.element_ref: str | None = xml.get("bpmnElement")
        self.element: Element | None = None
        self._label_bounds: Any = _UNSET
        self._waypoints: Any = _UNSET

    @property
    def waypoints(self) -> list[tuple[float, float]]:
        if self._waypoints is _UNSET:
            points = []
            for child in self.xml:
                if child.tag == _DI_WAYPOINT:
                    try:
                        points.append((float(child.get("x", 0)), float(child.get("y", 0))))
                    except ValueError:
                        continue
            self._waypoints = points
        return self._waypoints

    def forget_geometry(self) -> None:
        super().forget_geometry()
        self._waypoints = _UNSET


class Plane(Element):
    __slots__ = ("diagram", "element_ref", "element", "_shapes", "_edges", "_model")

    def __init__(self, id, kind, name, line, xml, diagram: Diagram | None) -> None:
        super().__init__(id, kind, name, line, xml)
        self.diagram = diagram
        self.element_ref: str | None = xml.get("bpmnElement")
        self.element: Element | None = None
        self._shapes: list[Shape] = []
        self._edges: list[Edge] = []
        #: The model whose DI objects are made on first use (see Model.shapes).
        self._model: Model | None = None

    @property
    def shapes(self) -> list[Shape]:
        if self._model is not None and self._model._pending_shapes is not None:
            self._model._make_shapes()
        return self._shapes

    @property
    def edges(self) -> list[Edge]:
        if self._model is not None and self._model._pending_edges is not None:
            self._model._make_edges()
        return self._edges


class Diagram(Element):
    __slots__ = ("planes",)

    def __init__(self, id, kind, name, line, xml) -> None:
        super().__init__(id, kind, name, line, xml)
        self.planes: list[Plane] = []

    @property
    def plane(self) -> Plane | None:
        return self.planes[0] if self.planes else None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while loading: the file was readable, but not all is well."""

    code: str
    message: str
    element_id: str | None = None
    line: int | None = None


class Model:
    """A loaded BPMN 2.0 document. Build it with :func:`bpmn_cx.load`."""

    def __init__(self, tree: Any, path: str | None) -> None:
        #: The lxml ``ElementTree``: the source of truth for export.
        self.tree: etree._ElementTree = tree
        self.root: etree._Element = tree.getroot()
        self.path = path
        #: The document's declared encoding (``"UTF-8"`` when undeclared).
        self.encoding: str = tree.docinfo.encoding or "UTF-8"
        #: The raw input as read (``None`` when not loaded from bytes): the
        #: writer reuses its formatting wherever the content is unchanged.
        self.source: bytes | None = None
        #: Objects that live and die with the model, such as the lint engine's
        #: second parse of the file for the XSD check (freeing a big tree
        #: takes a while: once, with the model, rather than twice).
        self._companions: list[Any] = []
        # Model._drawn_through(): (count of drawings, index) by id() of the list.
        self._indirect: dict[int, tuple[int, dict[str, list[Any]]]] = {}
        #: The BPMN model namespace the file uses (the OMG one, or the draft).
        self.namespace: str = ""
        self.processes: list[Process] = []
        self.collaborations: list[Collaboration] = []
        self.participants: list[Participant] = []
        self.message_flows: list[MessageFlow] = []
        self.flow_nodes: list[FlowNode] = []
        self.sequence_flows: list[SequenceFlow] = []
        self.lanes: list[Lane] = []
        self.lane_sets: list[LaneSet] = []
        self.data: list[Element] = []
        self.data_associations: list[DataAssociation] = []
        self.associations: list[Association] = []
        self.artifacts: list[Element] = []
        self.root_elements: list[Element] = []
        self.event_definitions: list[EventDefinition] = []
        self.diagrams: list[Diagram] = []
        self.diagnostics: list[Diagnostic] = []
        #: Every ``id`` attribute in the document, modelled or not.
        self.all_ids: set[str] = set()
        self._shapes: list[Shape] = []
        self._edges: list[Edge] = []
        self._by_id: dict[str, Element] = {}
        self._shapes_by_element: dict[str, list[Shape]] = {}
        self._edges_by_element: dict[str, list[Edge]] = {}
        # Make the Shape objects and the Edge objects, or None once made. The
        # loader defers them (half the elements of a file with a diagram) when
        # it has checked their ids and references without them: the first use
        # of a kind makes all of that kind, and an id look-up that needs a DI
        # object makes both.
        self._pending_shapes: Callable[[], None] | None = None
        self._pending_edges: Callable[[], None] | None = None
        # While all DI is deferred: the ids its drawings draw, from the loader's
        # checked references (no Shape or Edge object needed).
        self._pending_drawn: Callable[[], set[str]] | None = None
        # While the shapes are deferred: shape_xml_index() from the loader's
        # checked references (no Shape object needed).
        self._pending_shape_xml: Callable[[], dict[int, Any]] | None = None

    @property
    def _pending_di(self) -> bool:
        """Whether some shapes or edges are not made yet."""
        return self._pending_shapes is not None or self._pending_edges is not None

    def _make_shapes(self) -> None:
        make, self._pending_shapes = self._pending_shapes, None
        if make is not None:
            make()

    def _make_edges(self) -> None:
        make, self._pending_edges = self._pending_edges, None
        if make is not None:
            make()

    def _make_di(self) -> None:
        self._make_shapes()
        self._make_edges()

    @property
    def shapes(self) -> list[Shape]:
        """Every ``BPMNShape`` of every diagram, in document order."""
        if self._pending_shapes is not None:
            self._make_shapes()
        return self._shapes

    @property
    def edges(self) -> list[Edge]:
        """Every ``BPMNEdge`` of every diagram, in document order."""
        if self._pending_edges is not None:
            self._make_edges()
        return self._edges

    @property
    def by_id(self) -> dict[str, Element]:
        """Every modelled element by id (the first one, when ids repeat)."""
        if self._pending_shapes is not None or self._pending_edges is not None:
            self._make_di()
        return self._by_id

    @property
    def shapes_by_element(self) -> dict[str, list[Shape]]:
        """DI shapes by ``bpmnElement`` (as written, without surrounding space)."""
        if self._pending_shapes is not None:
            self._make_shapes()
        return self._shapes_by_element

    @property
    def edges_by_element(self) -> dict[str, list[Edge]]:
        """DI edges by ``bpmnElement`` (as written, without surrounding space)."""
        if self._pending_edges is not None:
            self._make_edges()
        return self._edges_by_element

    # -- definitions attributes -----------------------------------------
    @property
    def id(self) -> str | None:
        return self.root.get("id")

    @property
    def target_namespace(self) -> str | None:
        return self.root.get("targetNamespace")

    @property
    def exporter(self) -> str | None:
        return self.root.get("exporter")

    @property
    def exporter_version(self) -> str | None:
        return self.root.get("exporterVersion")

    # -- look-ups ---------------------------------------------------------
    def get(self, element_id: str | None) -> Element | None:
        if element_id is None:
            return None
        found = self._by_id.get(element_id)
        if found is None and self._pending_di:
            # Deferred DI ids never repeat a modelled id: only a miss can be one.
            self._make_di()
            found = self._by_id.get(element_id)
        return found

    def __getitem__(self, element_id: str) -> Element:
        found = self.get(element_id)
        if found is None:
            raise KeyError(element_id)
        return found

    def __contains__(self, element_id: object) -> bool:
        return isinstance(element_id, str) and self.get(element_id) is not None

    def node(self, element_id: str) -> FlowNode | None:
        found = self._by_id.get(element_id)  # flow nodes are never deferred
        return found if isinstance(found, FlowNode) else None

    def shape_xml_index(self) -> dict[int, Any]:
        """``id()`` of each element that a ``BPMNShape`` draws -> that shape's XML element.

        An element drawn twice keeps the later shape; shapes that draw nothing
        are left out. While the shapes are not made yet (see :attr:`shapes`),
        this makes none: a rule that only reads each shape's bounds (with
        :func:`read_box`) then costs no ``Shape`` object per shape.
        """
        if self._pending_shapes is not None and self._pending_shape_xml is not None:
            return self._pending_shape_xml()
        return {id(shape.element): shape.xml for shape in self.shapes if shape.element is not None}

    def drawn_ids(self) -> set[str]:
        """Ids of the elements that some shape or edge on a diagram plane draws.

        References are resolved as :attr:`DiagramElement.element` resolves them
        (a prefixed ``tns:Task_1`` draws ``Task_1``); a reference to nothing
        counts as written, without surrounding space. Drawings outside a plane
        draw nothing. A new set on each call.
        """
        if self._pending_shapes is not None and self._pending_edges is not None and self._pending_drawn:
            return self._pending_drawn()
        drawn: set[str] = set()
        add = drawn.add
        for group in (self.shapes, self.edges):
            for di in group:
                if di.plane is None:
                    continue
                element = di.element
                if element is not None and (element_id := element.id) is not None:
                    add(element_id)
                elif di.element_ref:
                    add(di.element_ref.strip())
        return drawn

    def shape(self, element_id: str | None) -> Shape | None:
        """The first DI shape that draws the element, also through a prefixed
        reference (``bpmnElement="tns:Task_1"`` draws ``Task_1``)."""
        if not element_id:
            return None
        shapes = self.shapes_by_element.get(element_id) or self._drawn_through(self._shapes).get(element_id)
        return shapes[0] if shapes else None

    def edge(self, element_id: str | None) -> Edge | None:
        """The first DI edge that draws the element (see :meth:`shape`)."""
        if not element_id:
            return None
        edges = self.edges_by_element.get(element_id) or self._drawn_through(self._edges).get(element_id)
        return edges[0] if edges else None

    def _drawn_through(self, drawings: list[Any]) -> dict[str, list[Any]]:
        """Drawings whose reference is not their element's id as written, by that id.

        Built on the first miss and again once drawings were added (a miss is
        common: most elements of some files have no shape).
        """
        key = id(drawings)
        cached = self._indirect.get(key)
        if cached is None or cached[0] != len(drawings):
            index: dict[str, list[Any]] = {}
            for drawing in drawings:
                element = drawing.element
                if element is not None and element.id and (drawing.element_ref or "").strip() != element.id:
                    index.setdefault(element.id, []).append(drawing)
            cached = self._indirect[key] = (len(drawings), index)
        return cached[1]

    def line_of(self, element_id: str | None) -> int | None:
        found = self.get(element_id)
        return found.line if found is not None else None

    @property
    def scopes(self) -> list[Scope]:
        """Every process and sub-process."""
        out: list[Scope] = list(self.processes)
        # filter() with the type check as a C function: rules ask for this often
        out.extend(filter(SubProcess.__instancecheck__, self.flow_nodes))
        return out

    def participant_of(self, process: Process) -> Participant | None:
        return process.participant

    def __repr__(self) -> str:
        return (
            f"<Model {self.path or '<bytes>'}: {len(self.processes)} processes, "
            f"{len(self.flow_nodes)} nodes, {len(self.lanes)} lanes>"
        )


_KIND_WORDS = {
    "subProcess": "sub-process",
    "adHocSubProcess": "ad-hoc sub-process",
    "callActivity": "call activity",
}


def human_kind(kind: str) -> str:
    """``"exclusiveGateway"`` -> ``"exclusive gateway"``; ``"subProcess"`` -> ``"sub-process"``."""
    words = _KIND_WORDS.get(kind)
    if words is not None:
        return words
    out = []
    for ch in kind:
        if ch.isupper() and out:
            out.append(" ")
        out.append(ch.lower())
    return "".join(out)


def describe(element: Element, *, capitalize: bool = False) -> str:
    """An element in words for messages: ``task 'Check credit'`` or ``task Task_1``."""
    kind = human_kind(element.kind)
    if capitalize:
        kind = kind[:1].upper() + kind[1:]
    if element.label:
        return f"{kind} '{element.label}'"
    return f"{kind} {element.id or '(no id)'}"


def lane_container(lane: Lane) -> str:
    """Where a lane sits, in words: its parent lane, pool, process or sub-process."""
    if lane.parent is not None:
        return f"lane '{lane.parent.path}'"
    scope = lane.scope
    if isinstance(scope, Process):
        pool = scope.participant
        if pool is not None and pool.label:
            return f"pool '{pool.label}'"
        return f"process '{scope.label}'" if scope.label else f"process {scope.id}"
    if isinstance(scope, SubProcess):
        return describe(scope)
    return "the file"
