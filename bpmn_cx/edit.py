"""Editing a loaded model: add, remove and move elements, keep references intact.

Every function takes the :class:`~bpmn_cx.model.Model` first and changes the
XML tree (the source of truth) *and* the model's indexes together, so the
model stays what :func:`bpmn_cx.load` would build from the edited document:
``by_id``, ``all_ids``, the model and scope lists, ``shapes_by_element``,
``node.incoming``/``outgoing``, ``lane.nodes``, ``node.lane`` and so on.

* Removing a node removes everything that would dangle without it: its
  sequence flows (and their ``incoming``/``outgoing`` entries and ``default``
  attributes at the other end), message flows and associations touching it,
  its boundary events, its ``flowNodeRef`` entries, its DI shapes and edges,
  and, for a sub-process, its whole content including a drill-down diagram.
* New elements go where the XSD's sequences want them (see
  :mod:`bpmn_cx.xsd_order`), indented like their siblings, with the prefix the
  document already uses for the BPMN namespace (none if it is the default
  namespace). Ids are fresh: :func:`new_id`.
* Nothing is laid out automatically: shapes get the bounds you give, and
  :func:`move_shape` moves the ends of the connected edges along.

Model lists (``model.flow_nodes``, ...) get new elements appended; the XML
keeps document order. Write the result with :func:`bpmn_cx.writer.dumps`.

Example: hide the back office behind a placeholder::

    from bpmn_cx import edit, load
    from bpmn_cx.writer import dump

    model = load("credit-inquiry.bpmn")
    lanes = {lane.name: lane for lane in model.lanes}
    consulting = model.node("Task_Consulting")
    decision = model.node("Gateway_Decision")
    edit.remove_lane(model, lanes["Back office"], remove_nodes=True)
    checks = edit.add_subprocess_placeholder(
        model, consulting.scope, name="Internal checks",
        documentation="Credit rating and approval, done by the bank",
        lane=lanes["Consultant"], bounds=(560, 200, 100, 80))
    edit.add_sequence_flow(model, consulting, checks)
    edit.add_sequence_flow(model, checks, decision)
    dump(model, "credit-inquiry.customer.bpmn")
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Union

from lxml import etree

from . import namespaces as ns
from .model import (
    DATA_KINDS,
    EVENT_DEFINITION_KINDS,
    FLOW_NODE_KINDS,
    SUBPROCESS_KINDS,
    Association,
    Bounds,
    DataAssociation,
    Diagram,
    DiagramElement,
    Edge,
    Element,
    EventDefinition,
    FlowNode,
    Lane,
    LaneSet,
    MessageFlow,
    Model,
    Participant,
    Plane,
    Process,
    Scope,
    SequenceFlow,
    Shape,
    SubProcess,
)
from .xsd_order import insert_anchor

__all__ = [
    "EditError",
    "add_edge",
    "add_lane",
    "add_message_flow",
    "add_node",
    "add_sequence_flow",
    "add_shape",
    "add_subprocess_placeholder",
    "consistency_problems",
    "move_lane",
    "move_shape",
    "new_id",
    "reconnect",
    "remove_edge",
    "remove_flow",
    "remove_lane",
    "remove_node",
    "remove_nodes",
    "remove_shape",
    "set_bounds",
    "set_documentation",
    "set_lane",
    "set_name",
    "set_waypoints",
    "structure",
]

BoundsLike = Union[Bounds, Sequence[float]]
Point = Sequence[float]


class EditError(ValueError):
    """An edit that would make the model invalid (bad id, wrong scope, ...)."""


# -- ids ------------------------------------------------------------------------------

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")

#: Id prefixes for new elements, in the style of bpmn-js.
_PREFIX = {
    "sequenceFlow": "Flow",
    "messageFlow": "Flow",
    "lane": "Lane",
    "laneSet": "LaneSet",
    "participant": "Participant",
    "collaboration": "Collaboration",
    "BPMNDiagram": "BPMNDiagram",
    "BPMNPlane": "BPMNPlane",
}

_state: weakref.WeakKeyDictionary[Model, dict[str, Any]] = weakref.WeakKeyDictionary()


def _memo(model: Model) -> dict[str, Any]:
    memo = _state.get(model)
    if memo is None:
        # retired: ids of removed elements, never handed out again (a reader
        # comparing versions would take the new element for the old one)
        memo = _state[model] = {"counters": {}, "retired": set()}
    return memo


def new_id(model: Model, prefix: str) -> str:
    """A fresh id ``<prefix>_<n>``, used by no element of the document (nor by
    one removed from it through this module).

    Ids are deterministic (the same edits give the same ids), which keeps
    repeated exports of the same model identical.
    """
    if not _NCNAME.match(prefix):
        raise EditError(f"{prefix!r} cannot start an XML id")
    memo = _memo(model)
    counters, retired = memo["counters"], memo["retired"]
    n = counters.get(prefix, 0)
    while True:
        n += 1
        candidate = f"{prefix}_{n}"
        if candidate not in model.all_ids and candidate not in model.by_id and candidate not in retired:
            counters[prefix] = n
            return candidate


def _fresh(model: Model, wanted: str | None, prefix: str) -> str:
    if wanted is None:
        return new_id(model, prefix)
    if not _NCNAME.match(wanted):
        raise EditError(f"{wanted!r} is not a valid XML id (letters, digits, '_', '-', '.')")
    if wanted in model.all_ids or wanted in model.by_id:
        raise EditError(f"id {wanted!r} is already used in the document")
    return wanted


def _kind_prefix(kind: str) -> str:
    if kind in _PREFIX:
        return _PREFIX[kind]
    if kind.endswith("Gateway"):
        return "Gateway"
    if kind.endswith("Event"):
        return "Event"
    return "Activity"


# -- XML helpers -----------------------------------------------------------------------


def _q(model: Model, local: str) -> str:
    return f"{{{model.namespace or ns.MODEL}}}{local}"


_DI_Q = {
    "BPMNDiagram": f"{{{ns.BPMNDI}}}BPMNDiagram",
    "BPMNPlane": f"{{{ns.BPMNDI}}}BPMNPlane",
    "BPMNShape": f"{{{ns.BPMNDI}}}BPMNShape",
    "BPMNEdge": f"{{{ns.BPMNDI}}}BPMNEdge",
    "BPMNLabel": f"{{{ns.BPMNDI}}}BPMNLabel",
    "Bounds": f"{{{ns.DC}}}Bounds",
    "waypoint": f"{{{ns.DI}}}waypoint",
}


def _ws(text: str | None) -> bool:
    return text is None or not text.strip()


def _indent_unit(model: Model) -> str | None:
    """The document's indentation step (``None`` for a document on one line)."""
    memo = _memo(model)
    if "indent" not in memo:
        unit = None
        text = model.root.text
        if text is not None and "\n" in text and _ws(text):
            unit = text.rsplit("\n", 1)[1] or None
        memo["indent"] = unit
    return memo["indent"]


def _leading_ws(el: Any) -> str | None:
    prev = el.getprevious()
    text = prev.tail if prev is not None else (el.getparent().text if el.getparent() is not None else None)
    if text is None or "\n" not in text or not _ws(text):
        return None
    return text


def _child(model: Model, parent: Any, tag: str, attrib: dict[str, str] | None = None,
           index: int | None = None, nsmap: dict[str | None, str] | None = None) -> Any:
    """A new element in ``parent`` at its XSD position (or at ``index``), indented."""
    # SubElement resolves the namespace in place: the document's own prefix
    # for it (or none, for the default namespace) instead of a new declaration.
    where, anchor = insert_anchor(parent, tag) if index is None else ("index", None)
    el = etree.SubElement(parent, tag, nsmap=nsmap) if nsmap else etree.SubElement(parent, tag)
    for key, value in (attrib or {}).items():
        el.set(key, value)
    if where == "after" and anchor.getnext() is not el:
        anchor.addnext(el)
    elif where == "before":
        anchor.addprevious(el)
    elif where == "index" and index is not None and index < len(parent) - 1:
        parent.insert(index, el)
    _indent(model, parent, el)
    return el


def _indent(model: Model, parent: Any, el: Any) -> None:
    """Give a new element the whitespace its siblings have (nothing in a one-line file)."""
    unit = _indent_unit(model)
    if unit is None:
        return
    prev, nxt = el.getprevious(), el.getnext()
    if prev is None and nxt is None:
        outer = _leading_ws(parent)
        if outer is None or not _ws(parent.text):
            return
        base = outer.rsplit("\n", 1)[1]
        parent.text = "\n" + base + unit
        el.tail = "\n" + base
    elif nxt is None:
        before_prev = prev.getprevious()
        before = before_prev.tail if before_prev is not None else parent.text
        if not (_ws(prev.tail) and _ws(before)):
            return
        el.tail = prev.tail
        prev.tail = before
    else:
        before = prev.tail if prev is not None else parent.text
        if _ws(before):
            el.tail = before


def _detach(el: Any) -> None:
    """Remove ``el`` from its parent, leaving the whitespace around it tidy."""
    parent = el.getparent()
    if parent is None:
        return
    prev, nxt = el.getprevious(), el.getnext()
    before = (prev.tail if prev is not None else parent.text) or ""
    tail = el.tail or ""
    if tail.strip():  # real character data after the element stays
        merged = before + tail
    elif nxt is None and _ws(before):
        merged = tail  # the last child: what follows is the closing indentation
    else:
        merged = before
    parent.remove(el)
    if prev is not None:
        prev.tail = merged or None
    elif nxt is None and _ws(merged):
        parent.text = None  # no children left: <a/>
    else:
        parent.text = merged or None


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _bounds(value: BoundsLike) -> Bounds:
    if isinstance(value, Bounds):
        return value
    x, y, w, h = (float(v) for v in value)
    if w < 0 or h < 0:
        raise EditError(f"bounds with negative size: {value!r}")
    return Bounds(x, y, w, h)


def _register(model: Model, obj: Element) -> None:
    if obj.id is not None:
        model.by_id.setdefault(obj.id, obj)
        model.all_ids.add(obj.id)


def _text_children(el: Any, local: str, model: Model) -> list[Any]:
    tag = _q(model, local)
    return [child for child in el if child.tag == tag]


# -- names and documentation -----------------------------------------------------------


def set_name(model: Model, element: Element, name: str | None) -> None:
    """Set (or with ``None``, remove) the ``name`` of any element."""
    if name is None:
        element.xml.attrib.pop("name", None)
    else:
        element.xml.set("name", name)
    element.name = name


def set_documentation(model: Model, element: Element, text: str | None) -> None:
    """Replace the element's ``<documentation>`` with one holding ``text`` (``None``: none)."""
    for old in _text_children(element.xml, "documentation", model):
        _detach(old)
    if text is not None:
        doc = _child(model, element.xml, _q(model, "documentation"))
        doc.text = text


# -- diagram interchange -------------------------------------------------------------------


def _plane_of_shape_of(model: Model, element: Element | None) -> Plane | None:
    if element is None or element.id is None:
        return None
    for shape in model.shapes_by_element.get(element.id, ()):
        if shape.plane is not None:
            return shape.plane
    for edge in model.edges_by_element.get(element.id, ()):
        if edge.plane is not None:
            return edge.plane
    return None


def _plane_for(model: Model, element: Element) -> Plane:
    """The plane a new shape or edge of ``element`` belongs on (created if none)."""
    candidates: list[Element | None] = []
    scope = getattr(element, "scope", None)
    if isinstance(element, (SequenceFlow, Association)):
        candidates += [element.source, element.target]
    if isinstance(element, MessageFlow):
        candidates += [element.source, element.target]
    if isinstance(element, Lane):
        candidates += [element.parent, *element.lane_set.lanes] if element.lane_set else [element.parent]
    if isinstance(scope, SubProcess):
        for plane in _planes(model):
            if plane.element is scope:
                return plane  # the drill-down plane of a collapsed sub-process
    while scope is not None:
        candidates.append(scope)
        candidates.extend(scope.nodes[:3])
        if isinstance(scope, Process):
            candidates.append(scope.participant)
            candidates.extend(scope.lanes[:2])
            break
        scope = scope.scope
    if isinstance(element, FlowNode):
        candidates.extend([element.attached_to, *element.incoming[:1], *element.outgoing[:1]])
    for candidate in candidates:
        plane = _plane_of_shape_of(model, candidate)
        if plane is not None:
            return plane
    planes = _planes(model)
    if planes:
        return planes[0]
    return _new_diagram(model)


def _planes(model: Model) -> list[Plane]:
    return [plane for diagram in model.diagrams for plane in diagram.planes]


def _new_diagram(model: Model) -> Plane:
    root = model.root
    nsmap: dict[str | None, str] = {}
    in_scope = root.nsmap
    for prefix, uri in (("bpmndi", ns.BPMNDI), ("dc", ns.DC), ("di", ns.DI)):
        if uri in in_scope.values():
            continue
        name = prefix
        n = 1
        while name in in_scope or name in nsmap:
            n += 1
            name = f"{prefix}{n}"
        nsmap[name] = uri
    diagram_id = new_id(model, "BPMNDiagram")
    xml = _child(model, root, _DI_Q["BPMNDiagram"], {"id": diagram_id}, nsmap=nsmap or None)
    diagram = Diagram(diagram_id, "BPMNDiagram", None, None, xml)
    _register(model, diagram)
    model.diagrams.append(diagram)
    shown: Element | None = model.collaborations[0] if model.collaborations else (
        model.processes[0] if model.processes else None)
    plane_id = new_id(model, "BPMNPlane")
    attrib = {"id": plane_id}
    if shown is not None and shown.id:
        attrib["bpmnElement"] = shown.id
    plane_xml = _child(model, xml, _DI_Q["BPMNPlane"], attrib)
    plane = Plane(plane_id, "BPMNPlane", None, None, plane_xml, diagram)
    plane.element = shown
    _register(model, plane)
    diagram.planes.append(plane)
    return plane


def _set_bounds_xml(model: Model, parent: Any, bounds: Bounds) -> None:
    el = next((c for c in parent if c.tag == _DI_Q["Bounds"]), None)
    if el is None:
        el = _child(model, parent, _DI_Q["Bounds"])
    for key, value in (("x", bounds.x), ("y", bounds.y), ("width", bounds.width), ("height", bounds.height)):
        el.set(key, _num(value))


def _di_id(model: Model, element: Element) -> str:
    wanted = f"{element.id}_di"
    if wanted not in model.all_ids and wanted not in model.by_id and _NCNAME.match(wanted):
        return wanted
    return new_id(model, wanted if _NCNAME.match(wanted) else "DI")


def add_shape(
    model: Model,
    element: Element,
    bounds: BoundsLike,
    *,
    plane: Plane | None = None,
    expanded: bool | None = None,
    horizontal: bool | None = None,
    label_bounds: BoundsLike | None = None,
    id: str | None = None,
) -> Shape:
    """Draw ``element`` with a new ``BPMNShape`` of the given bounds ``(x, y, width, height)``.

    ``expanded`` sets ``isExpanded`` (sub-processes), ``horizontal`` sets
    ``isHorizontal`` (pools and lanes; for lanes it defaults to the pool's).
    """
    if element.id is None:
        raise EditError("an element without an id cannot be drawn")
    box = _bounds(bounds)
    plane = plane or _plane_for(model, element)
    shape_id = _fresh(model, id, "Shape") if id is not None else _di_id(model, element)
    attrib = {"id": shape_id, "bpmnElement": element.id}
    if horizontal is None and isinstance(element, (Lane, Participant)):
        horizontal = _horizontal_default(model, element)
    if horizontal is not None:
        attrib["isHorizontal"] = "true" if horizontal else "false"
    if expanded is not None:
        attrib["isExpanded"] = "true" if expanded else "false"
    xml = _child(model, plane.xml, _DI_Q["BPMNShape"], attrib)
    _set_bounds_xml(model, xml, box)
    if label_bounds is not None:
        label = _child(model, xml, _DI_Q["BPMNLabel"])
        _set_bounds_xml(model, label, _bounds(label_bounds))
    shape = Shape(shape_id, "BPMNShape", None, None, xml, plane)
    shape.element = element
    _register(model, shape)
    model.shapes.append(shape)
    plane.shapes.append(shape)
    model.shapes_by_element.setdefault(element.id, []).append(shape)
    return shape


def _horizontal_default(model: Model, element: Element) -> bool | None:
    related: list[Element | None] = []
    if isinstance(element, Lane):
        related = [*(element.lane_set.lanes if element.lane_set else []), element.parent]
        scope = element.scope
        if isinstance(scope, Process):
            related.append(scope.participant)
    related.extend(model.participants)
    for other in related:
        shape = model.shape(other.id) if other is not None and other is not element else None
        if shape is not None and shape.is_horizontal is not None:
            return shape.is_horizontal
    return True


def add_edge(
    model: Model,
    element: Element,
    waypoints: Iterable[Point],
    *,
    plane: Plane | None = None,
    id: str | None = None,
) -> Edge:
    """Draw a flow or association with a new ``BPMNEdge`` through ``waypoints``."""
    if element.id is None:
        raise EditError("an element without an id cannot be drawn")
    points = [(float(x), float(y)) for x, y in waypoints]
    if len(points) < 2:
        raise EditError("an edge needs at least two waypoints")
    plane = plane or _plane_for(model, element)
    edge_id = _fresh(model, id, "Edge") if id is not None else _di_id(model, element)
    xml = _child(model, plane.xml, _DI_Q["BPMNEdge"], {"id": edge_id, "bpmnElement": element.id})
    edge = Edge(edge_id, "BPMNEdge", None, None, xml, plane)
    edge.element = element
    _write_waypoints(model, edge, points)
    _register(model, edge)
    model.edges.append(edge)
    plane.edges.append(edge)
    model.edges_by_element.setdefault(element.id, []).append(edge)
    return edge


def _write_waypoints(model: Model, edge: Edge, points: list[tuple[float, float]]) -> None:
    for old in [c for c in edge.xml if c.tag == _DI_Q["waypoint"]]:
        _detach(old)
    for x, y in points:
        _child(model, edge.xml, _DI_Q["waypoint"], {"x": _num(x), "y": _num(y)})
    edge.forget_geometry()


def _as_shape(model: Model, target: Shape | Element) -> Shape:
    if isinstance(target, Shape):
        return target
    shape = model.shape(target.id)
    if shape is None:
        raise EditError(f"{target.kind} {target.id} has no shape")
    return shape


def _as_edge(model: Model, target: Edge | Element) -> Edge:
    if isinstance(target, Edge):
        return target
    edge = model.edge(target.id)
    if edge is None:
        raise EditError(f"{target.kind} {target.id} has no edge")
    return edge


def set_bounds(model: Model, target: Shape | Element, bounds: BoundsLike) -> Shape:
    """Give a shape (or the first shape of an element) new bounds."""
    shape = _as_shape(model, target)
    _set_bounds_xml(model, shape.xml, _bounds(bounds))
    shape.forget_geometry()
    return shape


def set_waypoints(model: Model, target: Edge | Element, waypoints: Iterable[Point]) -> Edge:
    """Route an edge (or the first edge of a flow) through new waypoints."""
    edge = _as_edge(model, target)
    points = [(float(x), float(y)) for x, y in waypoints]
    if len(points) < 2:
        raise EditError("an edge needs at least two waypoints")
    _write_waypoints(model, edge, points)
    return edge


def move_shape(model: Model, target: Shape | Element, dx: float, dy: float, *, edges: bool = True) -> Shape:
    """Move a shape by ``(dx, dy)`` with its label; with ``edges``, the ends of
    the flows and associations attached to the element move along."""
    shape = _as_shape(model, target)
    box = shape.bounds
    if box is not None:
        _set_bounds_xml(model, shape.xml, Bounds(box.x + dx, box.y + dy, box.width, box.height))
    label = next((c for c in shape.xml if c.tag == _DI_Q["BPMNLabel"]), None)
    label_box = shape.label_bounds
    if label is not None and label_box is not None:
        _set_bounds_xml(model, label, Bounds(label_box.x + dx, label_box.y + dy, label_box.width, label_box.height))
    shape.forget_geometry()
    element = shape.element
    if edges and element is not None:
        for connection in _connections(model, element):
            for edge in model.edges_by_element.get(connection.id or "", ()):
                points = list(edge.waypoints)
                if not points:
                    continue
                if getattr(connection, "source", None) is element:
                    points[0] = (points[0][0] + dx, points[0][1] + dy)
                if getattr(connection, "target", None) is element:
                    points[-1] = (points[-1][0] + dx, points[-1][1] + dy)
                _write_waypoints(model, edge, points)
    return shape


def _connections(model: Model, element: Element) -> list[Element]:
    out: list[Element] = []
    if isinstance(element, FlowNode):
        out.extend(element.incoming)
        out.extend(element.outgoing)
    out.extend(f for f in model.message_flows if f.source is element or f.target is element)
    out.extend(a for a in model.associations if a.source is element or a.target is element)
    return out


def remove_shape(model: Model, shape: Shape) -> None:
    """Remove one DI shape (the element itself stays, undrawn)."""
    removal = _Removal(model)
    removal.add_di(shape)
    removal.apply()


def remove_edge(model: Model, edge: Edge) -> None:
    """Remove one DI edge (the flow itself stays, undrawn)."""
    removal = _Removal(model)
    removal.add_di(edge)
    removal.apply()


# -- flow nodes -------------------------------------------------------------------------


def _scope_of(target: Scope | Participant) -> Scope:
    if isinstance(target, Participant):
        if target.process is None:
            raise EditError(f"pool {target.label or target.id} is a black box: it has no process")
        return target.process
    if not isinstance(target, (Process, SubProcess)):
        raise EditError(f"{getattr(target, 'kind', type(target).__name__)} cannot contain flow nodes")
    return target


def _uses_flow_refs(model: Model) -> bool:
    """Does the document list ``incoming``/``outgoing`` in its nodes (bpmn-js does)?"""
    memo = _memo(model)
    if "flow_refs" not in memo:
        tags = (_q(model, "incoming"), _q(model, "outgoing"))
        found = next(model.root.iter(*tags), None) is not None
        memo["flow_refs"] = found or not model.sequence_flows
    return memo["flow_refs"]


def add_node(
    model: Model,
    scope: Scope | Participant,
    kind: str,
    *,
    id: str | None = None,
    name: str | None = None,
    lane: Lane | None = None,
    bounds: BoundsLike | None = None,
    documentation: str | None = None,
    attached_to: FlowNode | None = None,
    event_definition: str | None = None,
    expanded: bool | None = None,
    attributes: dict[str, str] | None = None,
) -> FlowNode:
    """Add a flow node of ``kind`` (``"task"``, ``"userTask"``, ``"exclusiveGateway"``, ...).

    * ``scope``: the process (or its pool) or sub-process that contains it;
    * ``lane``: put it in this lane (a ``flowNodeRef``);
    * ``bounds``: draw it, ``(x, y, width, height)``; ``expanded`` for sub-processes;
    * ``attached_to``: the host activity, required for a ``boundaryEvent``;
    * ``event_definition``: a trigger for events, e.g. ``"message"`` or ``"timer"``;
    * ``attributes``: further XML attributes, e.g. ``{"cancelActivity": "false"}``.

    Returns the new :class:`FlowNode` (a :class:`SubProcess` for sub-process kinds).
    """
    if kind not in FLOW_NODE_KINDS:
        raise EditError(f"{kind!r} is not a BPMN flow node kind")
    container = _scope_of(scope)
    if kind == "boundaryEvent":
        if attached_to is None:
            raise EditError("a boundaryEvent needs attached_to (its host activity)")
        if not attached_to.is_activity:
            raise EditError(f"a boundary event attaches to an activity, not a {attached_to.kind}")
        if attached_to.scope is not container:
            raise EditError("a boundary event lives in the same scope as its host")
    elif attached_to is not None:
        raise EditError("only a boundaryEvent can be attached to an activity")
    if lane is not None and lane.scope is not _lane_scope_of(container):
        raise EditError(f"lane {lane.label or lane.id} belongs to another process")
    node_id = _fresh(model, id, _kind_prefix(kind))
    attrib = {"id": node_id}
    if name is not None:
        attrib["name"] = name
    if attached_to is not None:
        attrib["attachedToRef"] = attached_to.id or ""
    attrib.update(attributes or {})
    xml = _child(model, container.xml, _q(model, kind), attrib)
    cls = SubProcess if kind in SUBPROCESS_KINDS else FlowNode
    node = cls(node_id, kind, name, None, xml, container)
    _register(model, node)
    model.flow_nodes.append(node)
    container.nodes.append(node)
    if documentation is not None:
        set_documentation(model, node, documentation)
    if attached_to is not None:
        node.attached_to = attached_to
        attached_to.boundary_events.append(node)
    if event_definition is not None:
        _add_event_definition(model, node, event_definition)
    if lane is not None:
        _add_ref(model, lane, node)
    _assign_lane(node, lane)
    if bounds is not None:
        add_shape(model, node, bounds, expanded=expanded)
    return node


def _lane_scope_of(scope: Scope) -> Scope:
    # Nodes of a sub-process may sit in the lanes of the enclosing process.
    while isinstance(scope, SubProcess) and not scope.lane_sets:
        scope = scope.scope
    return scope


def _add_event_definition(model: Model, node: FlowNode, trigger: str) -> EventDefinition:
    kind = trigger if trigger.endswith("EventDefinition") else f"{trigger}EventDefinition"
    if kind not in EVENT_DEFINITION_KINDS:
        raise EditError(f"{trigger!r} is not an event trigger")
    if not node.is_event:
        raise EditError(f"a {node.kind} has no event definitions")
    definition_id = new_id(model, kind[0].upper() + kind[1:])
    xml = _child(model, node.xml, _q(model, kind), {"id": definition_id})
    definition = EventDefinition(definition_id, kind, None, None, xml, node)
    _register(model, definition)
    node.event_definitions.append(definition)
    model.event_definitions.append(definition)
    return definition


def add_subprocess_placeholder(
    model: Model,
    scope: Scope | Participant,
    *,
    name: str,
    documentation: str | None = None,
    lane: Lane | None = None,
    bounds: BoundsLike | None = None,
    id: str | None = None,
) -> SubProcess:
    """A collapsed, empty sub-process standing for work the reader need not see."""
    node = add_node(model, scope, "subProcess", id=id, name=name, lane=lane, bounds=bounds,
                    documentation=documentation, expanded=False)
    assert isinstance(node, SubProcess)
    return node


def remove_node(model: Model, node: FlowNode) -> None:
    """Remove a flow node and everything that would dangle without it (see the module docs)."""
    remove_nodes(model, [node])


def remove_nodes(model: Model, nodes: Iterable[FlowNode]) -> None:
    """Remove several flow nodes at once (one pass over the model, whatever their number)."""
    removal = _Removal(model)
    for node in nodes:
        removal.add_node(node)
    removal.apply()


def set_lane(model: Model, node: FlowNode, lane: Lane | None) -> None:
    """Move a node into ``lane`` (``None``: into no lane): its ``flowNodeRef`` moves."""
    if lane is not None and (node.scope is None or lane.scope is not _lane_scope_of(node.scope)):
        raise EditError(f"lane {lane.label or lane.id} belongs to another process")
    for other in model.lanes:
        if node.id in other.node_refs:
            _drop_refs(model, other, {node.id})
    if lane is not None:
        _add_ref(model, lane, node)
    _assign_lanes(model)


def _add_ref(model: Model, lane: Lane, node: FlowNode) -> None:
    ref = _child(model, lane.xml, _q(model, "flowNodeRef"))
    ref.text = node.id
    lane.node_refs.append(node.id or "")
    lane.nodes.append(node)


def _drop_refs(model: Model, lane: Lane, node_ids: set[str | None]) -> None:
    tag = _q(model, "flowNodeRef")
    for ref in [c for c in lane.xml if c.tag == tag and (c.text or "").strip() in node_ids]:
        _detach(ref)
    lane.node_refs = [r for r in lane.node_refs if r not in node_ids]
    lane.nodes = [n for n in lane.nodes if n.id not in node_ids]


def _assign_lane(node: FlowNode, lane: Lane | None) -> None:
    """The lane of one new node, the way the loader assigns it."""
    if lane is None and node.attached_to is not None:
        lane = node.attached_to.lane
    if lane is None and isinstance(node.scope, SubProcess):
        lane = node.scope.lane
    node.lane = lane


def _assign_lanes(model: Model) -> None:
    """Every node's lane again, by the loader's rules: the deepest lane that
    references the node; else, for a boundary event, its host's; else, inside
    a sub-process, the sub-process's. Linear; scopes are walked top-down with
    an explicit stack so that inherited lanes are known before they are used."""
    deepest: dict[int, Lane] = {}
    for lane in model.lanes:
        depth = lane.depth
        for node in lane.nodes:
            current = deepest.get(id(node))
            if current is None or depth > current.depth:
                deepest[id(node)] = lane
    for node in model.flow_nodes:
        node.lane = deepest.get(id(node))
    stack: list[Scope] = list(model.processes)
    while stack:
        scope = stack.pop()
        inherited = scope.lane if isinstance(scope, SubProcess) else None
        for node in scope.nodes:
            if node.lane is None and node.attached_to is None and inherited is not None:
                node.lane = inherited
        for node in scope.nodes:
            if node.lane is None and node.attached_to is not None:
                node.lane = node.attached_to.lane or inherited
        stack.extend(node for node in scope.nodes if isinstance(node, SubProcess))
    for node in model.flow_nodes:
        if node.lane is None and node.attached_to is not None:
            node.lane = node.attached_to.lane


# -- sequence and message flows -------------------------------------------------------------


def _flow_ref(model: Model, node: FlowNode, local: str, flow_id: str) -> None:
    ref = _child(model, node.xml, _q(model, local))
    ref.text = flow_id


def _drop_flow_ref(model: Model, node: FlowNode, local: str, flow_id: str | None) -> None:
    tag = _q(model, local)
    for ref in [c for c in node.xml if c.tag == tag and (c.text or "").strip() == flow_id]:
        _detach(ref)


#: Gateways that may name a default flow (the XSD gives the others no ``default``).
_DEFAULT_GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway", "complexGateway"})


def add_sequence_flow(
    model: Model,
    source: FlowNode,
    target: FlowNode,
    *,
    id: str | None = None,
    name: str | None = None,
    condition: str | None = None,
    waypoints: Iterable[Point] | None = None,
    default: bool = False,
) -> SequenceFlow:
    """Connect two nodes of the same scope with a new sequence flow.

    ``condition`` adds a ``conditionExpression``; ``default`` makes it the
    source's default flow; ``waypoints`` draw it.
    """
    if source.scope is None or source.scope is not target.scope:
        raise EditError("a sequence flow connects nodes of the same process or sub-process")
    if source.kind == "endEvent" or target.kind in ("startEvent", "boundaryEvent"):
        raise EditError(f"a sequence flow cannot go from a {source.kind} to a {target.kind}")
    if default and not (source.is_activity or source.kind in _DEFAULT_GATEWAYS):
        raise EditError(f"a {source.kind} has no default flow")
    scope = source.scope
    flow_id = _fresh(model, id, "Flow")
    attrib = {"id": flow_id}
    if name is not None:
        attrib["name"] = name
    attrib["sourceRef"] = source.id or ""
    attrib["targetRef"] = target.id or ""
    xml = _child(model, scope.xml, _q(model, "sequenceFlow"), attrib)
    if condition is not None:
        expression = _child(model, xml, _q(model, "conditionExpression"))
        expression.set(f"{{{ns.XSI}}}type", _xsi_type(model, "tFormalExpression"))
        expression.text = condition
    flow = SequenceFlow(flow_id, "sequenceFlow", name, None, xml, scope)
    flow.source, flow.target = source, target
    _register(model, flow)
    model.sequence_flows.append(flow)
    scope.flows.append(flow)
    source.outgoing.append(flow)
    target.incoming.append(flow)
    if _uses_flow_refs(model):
        _flow_ref(model, source, "outgoing", flow_id)
        _flow_ref(model, target, "incoming", flow_id)
    if default:
        source.xml.set("default", flow_id)
        source.default = flow
    if waypoints is not None:
        add_edge(model, flow, waypoints)
    return flow


def _xsi_type(model: Model, local: str) -> str:
    """``tFormalExpression`` as a QName in the document's prefix for the BPMN namespace."""
    uri = model.namespace or ns.MODEL
    nsmap = model.root.nsmap
    if nsmap.get(None) == uri:
        return local
    prefix = next((p for p, u in nsmap.items() if u == uri and p), None)
    return f"{prefix}:{local}" if prefix else local


def reconnect(
    model: Model,
    flow: SequenceFlow,
    *,
    source: FlowNode | None = None,
    target: FlowNode | None = None,
    waypoints: Iterable[Point] | None = None,
) -> SequenceFlow:
    """Give a sequence flow a new source and/or target (same scope), keeping its id,
    name and condition. A flow that was its old source's default stops being it."""
    new_source = source or flow.source
    new_target = target or flow.target
    if new_source is None or new_target is None:
        raise EditError("the flow has no resolved source or target")
    if new_source.scope is not flow.scope or new_target.scope is not flow.scope:
        raise EditError("a sequence flow connects nodes of its own process or sub-process")
    refs = _uses_flow_refs(model)
    if source is not None and source is not flow.source:
        old = flow.source
        if old is not None:
            if flow in old.outgoing:
                old.outgoing.remove(flow)
            _drop_flow_ref(model, old, "outgoing", flow.id)
            if old.default is flow:
                old.xml.attrib.pop("default", None)
                old.default = None
        flow.xml.set("sourceRef", source.id or "")
        flow.source_ref = source.id
        flow.source = source
        source.outgoing.append(flow)
        if refs:
            _flow_ref(model, source, "outgoing", flow.id or "")
    if target is not None and target is not flow.target:
        old = flow.target
        if old is not None:
            if flow in old.incoming:
                old.incoming.remove(flow)
            _drop_flow_ref(model, old, "incoming", flow.id)
        flow.xml.set("targetRef", target.id or "")
        flow.target_ref = target.id
        flow.target = target
        target.incoming.append(flow)
        if refs:
            _flow_ref(model, target, "incoming", flow.id or "")
    if waypoints is not None:
        if model.edge(flow.id) is not None:
            set_waypoints(model, flow, waypoints)
        else:
            add_edge(model, flow, waypoints)
    return flow


def add_message_flow(
    model: Model,
    source: FlowNode | Participant,
    target: FlowNode | Participant,
    *,
    id: str | None = None,
    name: str | None = None,
    waypoints: Iterable[Point] | None = None,
) -> MessageFlow:
    """Connect two pools (or nodes in different pools) with a new message flow."""
    ends = [_pool_of(source), _pool_of(target)]
    if ends[0] is None or ends[1] is None:
        raise EditError("message flows connect elements of pools in a collaboration")
    if ends[0] is ends[1]:
        raise EditError("a message flow connects two different pools")
    collaboration = ends[0].collaboration
    if collaboration is None or collaboration is not ends[1].collaboration:
        raise EditError("both pools must be in the same collaboration")
    flow_id = _fresh(model, id, "Flow")
    attrib = {"id": flow_id}
    if name is not None:
        attrib["name"] = name
    attrib["sourceRef"] = source.id or ""
    attrib["targetRef"] = target.id or ""
    xml = _child(model, collaboration.xml, _q(model, "messageFlow"), attrib)
    flow = MessageFlow(flow_id, "messageFlow", name, None, xml, collaboration)
    flow.source, flow.target = source, target
    _register(model, flow)
    model.message_flows.append(flow)
    collaboration.message_flows.append(flow)
    if waypoints is not None:
        add_edge(model, flow, waypoints)
    return flow


def _pool_of(end: FlowNode | Participant) -> Participant | None:
    if isinstance(end, Participant):
        return end
    process = end.process
    return process.participant if process is not None else None


def remove_flow(model: Model, flow: SequenceFlow | MessageFlow) -> None:
    """Remove a sequence or message flow with its DI, ``incoming``/``outgoing``
    entries, ``default`` reference and associations."""
    removal = _Removal(model)
    removal.add_flow(flow)
    removal.apply()


# -- lanes ------------------------------------------------------------------------------------


def add_lane(
    model: Model,
    parent: Scope | Participant | Lane,
    *,
    id: str | None = None,
    name: str | None = None,
    bounds: BoundsLike | None = None,
    index: int | None = None,
) -> Lane:
    """A new lane in a process (or its pool), or a child lane of ``parent`` lane.

    The lane set is created when there is none; ``index`` places the lane among
    its siblings (default: last). ``bounds`` draw it.
    """
    if isinstance(parent, Lane):
        lane_set = next((s for s in model.lane_sets if s.parent_lane is parent), None)
        if lane_set is None:
            set_id = new_id(model, "LaneSet")
            xml = _child(model, parent.xml, _q(model, "childLaneSet"), {"id": set_id})
            lane_set = LaneSet(set_id, "childLaneSet", None, None, xml, parent.scope, parent)
            _register(model, lane_set)
            model.lane_sets.append(lane_set)
        parent_lane: Lane | None = parent
    else:
        scope = _scope_of(parent)
        lane_set = scope.lane_sets[0] if scope.lane_sets else None
        if lane_set is None:
            set_id = new_id(model, "LaneSet")
            xml = _child(model, scope.xml, _q(model, "laneSet"), {"id": set_id})
            lane_set = LaneSet(set_id, "laneSet", None, None, xml, scope, None)
            _register(model, lane_set)
            model.lane_sets.append(lane_set)
            scope.lane_sets.append(lane_set)
        parent_lane = None
    lane_id = _fresh(model, id, "Lane")
    attrib = {"id": lane_id}
    if name is not None:
        attrib["name"] = name
    position = None
    if index is not None and 0 <= index < len(lane_set.lanes):
        position = list(lane_set.xml).index(lane_set.lanes[index].xml)
    xml = _child(model, lane_set.xml, _q(model, "lane"), attrib, index=position)
    lane = Lane(lane_id, "lane", name, None, xml, lane_set, parent_lane)
    _register(model, lane)
    model.lanes.append(lane)
    if index is not None and 0 <= index < len(lane_set.lanes):
        lane_set.lanes.insert(index, lane)
        if parent_lane is not None:
            parent_lane.child_lanes.insert(index, lane)
    else:
        lane_set.lanes.append(lane)
        if parent_lane is not None:
            parent_lane.child_lanes.append(lane)
    if bounds is not None:
        add_shape(model, lane, bounds)
    return lane


def move_lane(model: Model, lane: Lane, index: int) -> None:
    """Put a lane at position ``index`` among its siblings (the DI is not re-laid out)."""
    siblings = lane.lane_set.lanes
    if not 0 <= index < len(siblings):
        raise EditError(f"lane index {index} out of range 0..{len(siblings) - 1}")
    if siblings.index(lane) == index:
        return
    siblings.remove(lane)
    siblings.insert(index, lane)
    if lane.parent is not None:
        lane.parent.child_lanes.remove(lane)
        lane.parent.child_lanes.insert(index, lane)
    parent_xml = lane.lane_set.xml
    _detach(lane.xml)
    lane.xml.tail = None
    if index + 1 < len(siblings):
        position = list(parent_xml).index(siblings[index + 1].xml)
    else:
        position = list(parent_xml).index(siblings[index - 1].xml) + 1
    parent_xml.insert(position, lane.xml)
    _indent(model, parent_xml, lane.xml)
    # model.lanes keeps parents before children; the new order is document order
    order = {el: n for n, el in enumerate(model.root.iter(_q(model, "lane")))}
    model.lanes.sort(key=lambda other: order.get(other.xml, len(order)))


def remove_lane(model: Model, lane: Lane, *, remove_nodes: bool = False) -> None:
    """Remove a lane with its child lanes and DI.

    With ``remove_nodes``, the flow nodes in it (and in its child lanes) are
    removed too, as by :func:`remove_node`. Otherwise they stay: in the parent
    lane when there is one, else in no lane.
    """
    removal = _Removal(model)
    lanes = [lane]
    stack = list(lane.child_lanes)
    while stack:
        child = stack.pop()
        lanes.append(child)
        stack.extend(child.child_lanes)
    kept: list[FlowNode] = []
    for each in lanes:
        if remove_nodes:
            for node in each.nodes:
                removal.add_node(node)
        else:
            kept.extend(each.nodes)
    removal.add_lane(lane)
    removal.apply()
    if kept and lane.parent is not None and lane.parent.id in model.by_id:
        seen: set[int] = set()
        for node in kept:
            if id(node) in seen or node.id not in model.by_id:
                continue
            seen.add(id(node))
            if node not in lane.parent.nodes:
                _add_ref(model, lane.parent, node)
    _assign_lanes(model)


# -- removal --------------------------------------------------------------------------------------


class _Removal:
    """Collects what goes, with everything that would dangle, and removes it in one pass."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.doomed: dict[int, Element] = {}
        self.nodes: list[FlowNode] = []
        self.flows: list[SequenceFlow] = []
        self.lanes: list[Lane] = []
        self._message_ends: dict[int, list[MessageFlow]] | None = None
        self._associations: dict[int, list[Association]] | None = None

    def _take(self, obj: Element) -> bool:
        if id(obj) in self.doomed:
            return False
        self.doomed[id(obj)] = obj
        return True

    def message_flows_of(self, end: Element) -> list[MessageFlow]:
        if self._message_ends is None:
            index: dict[int, list[MessageFlow]] = {}
            for flow in self.model.message_flows:
                for e in (flow.source, flow.target):
                    if e is not None:
                        index.setdefault(id(e), []).append(flow)
            self._message_ends = index
        return self._message_ends.get(id(end), [])

    def associations_of(self, end: Element) -> list[Association]:
        if self._associations is None:
            index: dict[int, list[Association]] = {}
            for assoc in self.model.associations:
                for e in (assoc.source, assoc.target):
                    if e is not None:
                        index.setdefault(id(e), []).append(assoc)
            self._associations = index
        return self._associations.get(id(end), [])

    def add_di(self, di: DiagramElement) -> None:
        self._take(di)

    def add_drawing(self, element: Element) -> None:
        model = self.model
        if element.id is None:
            return
        for shape in model.shapes_by_element.get(element.id, ()):
            self._take(shape)
        for edge in model.edges_by_element.get(element.id, ()):
            self._take(edge)
        for assoc in self.associations_of(element):
            self.add_artifact(assoc)

    def add_artifact(self, artifact: Element) -> None:
        """An artifact, association or data association, with its DI."""
        if self._take(artifact):
            self.add_drawing(artifact)

    def add_flow(self, flow: SequenceFlow | MessageFlow) -> None:
        if not self._take(flow):
            return
        if isinstance(flow, SequenceFlow):
            self.flows.append(flow)
        self.add_drawing(flow)

    def add_lane(self, lane: Lane) -> None:
        stack = [lane]
        while stack:
            current = stack.pop()
            if not self._take(current):
                continue
            self.lanes.append(current)
            self.add_drawing(current)
            for lane_set in self.model.lane_sets:
                if lane_set.parent_lane is current:
                    self._take(lane_set)
            stack.extend(current.child_lanes)

    def add_node(self, node: FlowNode) -> None:
        stack: list[FlowNode] = [node]
        while stack:
            current = stack.pop()
            if not self._take(current):
                continue
            self.nodes.append(current)
            self.add_drawing(current)
            stack.extend(current.boundary_events)
            for flow in (*current.incoming, *current.outgoing):
                self.add_flow(flow)
            for flow in self.message_flows_of(current):
                self.add_flow(flow)
            for definition in current.event_definitions:
                self._take(definition)
            for association in current.data_associations:
                self.add_artifact(association)
            if isinstance(current, SubProcess):
                stack.extend(current.nodes)
                for flow in current.flows:
                    self.add_flow(flow)
                for lane_set in current.lane_sets:
                    self._take(lane_set)
                    for lane in lane_set.lanes:
                        self.add_lane(lane)
                for artifact in current.artifacts:
                    self.add_artifact(artifact)
                for data in current.data:
                    if self._take(data):
                        self.add_drawing(data)
                for plane in _planes(self.model):
                    if plane.element is current:
                        self._take(plane)
                        for di in (*plane.shapes, *plane.edges):
                            self._take(di)
                        if plane.diagram is not None and len(plane.diagram.planes) == 1:
                            self._take(plane.diagram)

    # -- applying ---------------------------------------------------------------------------
    def apply(self) -> None:
        model = self.model
        doomed = self.doomed
        if not doomed:
            return

        def gone(obj: Any) -> bool:
            return obj is not None and id(obj) in doomed

        # Data associations whose data object goes, from nodes that stay.
        for association in model.data_associations:
            if not gone(association) and (
                gone(association.target) or any(gone(s) for s in association.sources)
            ):
                self.add_artifact(association)

        # References held by what stays.
        for flow in self.flows:
            source, target = flow.source, flow.target
            if source is not None and not gone(source):
                if flow in source.outgoing:
                    source.outgoing.remove(flow)
                _drop_flow_ref(model, source, "outgoing", flow.id)
                if source.default is flow:
                    source.xml.attrib.pop("default", None)
                    source.default = None
            if target is not None and not gone(target):
                if flow in target.incoming:
                    target.incoming.remove(flow)
                _drop_flow_ref(model, target, "incoming", flow.id)
        removed_ids: set[str | None] = {n.id for n in self.nodes if n.id is not None}
        if removed_ids:
            for lane in model.lanes:
                if not gone(lane) and not removed_ids.isdisjoint(lane.node_refs):
                    _drop_refs(model, lane, removed_ids)
        for definition in model.event_definitions if self.nodes else ():
            if not gone(definition) and gone(definition.ref) and isinstance(definition.ref, FlowNode):
                definition.xml.attrib.pop("activityRef", None)
                definition.ref = None
                definition.ref_id = None

        # Emptied lane sets go too (an empty childLaneSet says nothing).
        if self.lanes:
            for lane_set in model.lane_sets:
                if not gone(lane_set) and lane_set.lanes and all(gone(lane) for lane in lane_set.lanes):
                    self._take(lane_set)

        # Every list that holds a removed object, with the objects to drop
        # (worked out while the XML still says where artifacts live):
        # only those lists are touched, so removing one node from a big model
        # costs a few C-level list scans, not a pass over every list.
        drops: dict[int, tuple[list[Any], list[Any]]] = {}
        di_keys: list[tuple[dict[str, Any], str]] = []

        def drop(items: list[Any] | None, obj: Any) -> None:
            if items is not None:
                drops.setdefault(id(items), (items, []))[1].append(obj)

        for obj in doomed.values():
            if isinstance(obj, FlowNode):
                drop(model.flow_nodes, obj)
                drop(obj.scope.nodes if obj.scope is not None else None, obj)
                drop(obj.attached_to.boundary_events if obj.attached_to is not None else None, obj)
            elif isinstance(obj, SequenceFlow):
                drop(model.sequence_flows, obj)
                drop(obj.scope.flows if obj.scope is not None else None, obj)
            elif isinstance(obj, MessageFlow):
                drop(model.message_flows, obj)
                drop(obj.collaboration.message_flows if obj.collaboration is not None else None, obj)
            elif isinstance(obj, Lane):
                drop(model.lanes, obj)
                drop(obj.lane_set.lanes if obj.lane_set is not None else None, obj)
                drop(obj.parent.child_lanes if obj.parent is not None else None, obj)
            elif isinstance(obj, LaneSet):
                drop(model.lane_sets, obj)
                if obj.parent_lane is None and obj.scope is not None:
                    drop(obj.scope.lane_sets, obj)
            elif isinstance(obj, (Shape, Edge)):
                is_shape = isinstance(obj, Shape)
                drop(model.shapes if is_shape else model.edges, obj)
                if obj.plane is not None:
                    drop(obj.plane.shapes if is_shape else obj.plane.edges, obj)
                index = model.shapes_by_element if is_shape else model.edges_by_element
                key = obj.element_ref.strip() if obj.element_ref is not None else None
                if key is not None and key in index:
                    drop(index[key], obj)
                    di_keys.append((index, key))
            elif isinstance(obj, DataAssociation):
                drop(model.data_associations, obj)
                drop(obj.owner.data_associations if obj.owner is not None else None, obj)
            elif isinstance(obj, EventDefinition):
                drop(model.event_definitions, obj)
                drop(obj.event.event_definitions, obj)
            elif isinstance(obj, Plane):
                drop(obj.diagram.planes if obj.diagram is not None else None, obj)
            elif isinstance(obj, Diagram):
                drop(model.diagrams, obj)
            else:  # artifacts, associations and data objects
                container = self.container_of(obj)
                if isinstance(obj, Association):
                    drop(model.associations, obj)
                if obj.kind in DATA_KINDS:
                    drop(model.data, obj)
                    drop(container.data if isinstance(container, (Process, SubProcess)) else None, obj)
                else:
                    drop(model.artifacts, obj)
                    drop(getattr(container, "artifacts", None), obj)
        # The XML: every doomed element leaves the tree (descendants go along).
        for obj in doomed.values():
            _detach(obj.xml)

        # Ids and indexes.
        retired = _memo(model)["retired"]
        for obj in doomed.values():
            for el in obj.xml.iter():
                value = el.get("id") if isinstance(el.tag, str) else None
                if value is not None:
                    holder = model.by_id.get(value)
                    if holder is None or gone(holder):
                        model.by_id.pop(value, None)
                        model.all_ids.discard(value)
                        retired.add(value)
        for items, objs in drops.values():
            if len(objs) <= 16:
                for obj in objs:
                    try:
                        items.remove(obj)  # identity comparison, in C
                    except ValueError:
                        pass
            else:
                ids = {id(o) for o in objs}
                items[:] = [o for o in items if id(o) not in ids]
        for index, key in di_keys:
            if key in index and not index[key]:
                del index[key]
        if self.lanes:
            _assign_lanes(model)

    def container_of(self, obj: Element) -> Element | None:
        """The process, sub-process or collaboration whose XML holds ``obj``."""
        parent = obj.xml.getparent()
        if parent is None:
            return None
        found = self.model.by_id.get(parent.get("id") or "")
        if found is not None and found.xml is parent:
            return found
        for candidate in (*self.model.processes, *self.model.collaborations):
            if candidate.xml is parent:
                return candidate
        return None


# -- consistency ----------------------------------------------------------------------------------


def consistency_problems(model: Model, *, reload: bool = True) -> list[str]:
    """Where the model's indexes disagree with its XML (empty when all is well).

    Checks the links between model objects and the tree, and with ``reload``
    also writes the document, loads it again and compares the two models'
    structure (ids, kinds, names, scopes, lanes, flows, DI). For tests and for
    checking your own edits; linear in the model size.
    """
    problems: list[str] = []
    root = model.root

    def attached(obj: Element) -> bool:
        el = obj.xml
        while el is not None:
            if el is root:
                return True
            el = el.getparent()
        return False

    for name in ("flow_nodes", "sequence_flows", "message_flows", "lanes", "shapes", "edges"):
        for obj in getattr(model, name):
            if not attached(obj):
                problems.append(f"{name}: {obj.kind} {obj.id} is not in the document")
            elif obj.id is not None and obj.id not in model.all_ids:
                problems.append(f"{name}: {obj.kind} {obj.id} missing from all_ids")
            elif obj.id is not None and obj.id not in model.by_id:
                problems.append(f"{name}: {obj.kind} {obj.id} missing from by_id")
    for key, obj in model.by_id.items():
        if not attached(obj):
            problems.append(f"by_id[{key!r}] is not in the document")
    for node in model.flow_nodes:
        for flow in node.incoming:
            if flow.target is not node:
                problems.append(f"{node.id}: incoming {flow.id} does not end there")
        for flow in node.outgoing:
            if flow.source is not node:
                problems.append(f"{node.id}: outgoing {flow.id} does not start there")
        for event in node.boundary_events:
            if event.attached_to is not node:
                problems.append(f"{node.id}: boundary event {event.id} is attached elsewhere")
    for flow in model.sequence_flows:
        for end, where in ((flow.source, "outgoing"), (flow.target, "incoming")):
            if end is not None and flow not in getattr(end, where):
                problems.append(f"{flow.id}: not in {end.id}.{where}")
            if end is not None and not attached(end):
                problems.append(f"{flow.id}: connects {end.id}, which is not in the document")
    for lane in model.lanes:
        if [n.id for n in lane.nodes] != [r for r in lane.node_refs if isinstance(model.by_id.get(r), FlowNode)]:
            problems.append(f"lane {lane.id}: nodes and flowNodeRefs differ")
        for node in lane.nodes:
            if not attached(node):
                problems.append(f"lane {lane.id}: node {node.id} is not in the document")
    for key, shapes in model.shapes_by_element.items():
        for shape in shapes:
            if shape.element_ref is None or shape.element_ref.strip() != key:
                problems.append(f"shapes_by_element[{key!r}] holds a shape of {shape.element_ref!r}")
            if not attached(shape):
                problems.append(f"shapes_by_element[{key!r}]: shape {shape.id} is not in the document")
    for key, edges in model.edges_by_element.items():
        for edge in edges:
            if not attached(edge):
                problems.append(f"edges_by_element[{key!r}]: edge {edge.id} is not in the document")
    if reload:
        from .loader import load
        from .writer import dumps

        fresh = load(dumps(model), path=model.path)
        mine, theirs = structure(model), structure(fresh)
        for part in mine:
            if mine[part] != theirs[part]:
                keys = set(mine[part]) | set(theirs[part])
                different = sorted(k for k in keys if mine[part].get(k) != theirs[part].get(k))
                for key in different[:5]:
                    problems.append(
                        f"{part}[{key!r}]: the model has {mine[part].get(key)!r}, "
                        f"the written document {theirs[part].get(key)!r}"
                    )
    return problems


def structure(model: Model) -> dict[str, dict[str, Any]]:
    """The model's structure as plain data, comparable between two models.

    Orders that edits may legitimately change (a node's incoming flows, the
    model-wide lists) are compared as sorted lists; orders the document keeps
    (lane references, a scope's nodes and flows, child lanes) as they are.
    """

    def ident(obj: Any) -> str | None:
        return getattr(obj, "id", None) if obj is not None else None

    def ids(items: Iterable[Any]) -> list[str | None]:
        return [ident(o) for o in items]

    def sorted_ids(items: Iterable[Any]) -> list[str]:
        return sorted(str(ident(o)) for o in items)

    out: dict[str, dict[str, Any]] = {
        "nodes": {
            str(n.id): (n.kind, n.name, ident(n.scope), ident(n.lane), ident(n.attached_to),
                        sorted_ids(n.incoming), sorted_ids(n.outgoing), ident(n.default),
                        n.triggers, sorted_ids(n.boundary_events), n.documentation)
            for n in model.flow_nodes
        },
        "scopes": {
            str(s.id): (ids(s.nodes), ids(s.flows), ids(s.lane_sets), sorted_ids(s.artifacts), sorted_ids(s.data))
            for s in model.scopes  # type: ignore[attr-defined]
        },
        "flows": {
            str(f.id): (f.name, ident(f.source), ident(f.target), ident(f.scope), f.condition, f.is_default)
            for f in model.sequence_flows
        },
        "message_flows": {
            str(f.id): (f.name, ident(f.source), ident(f.target), ident(f.collaboration))
            for f in model.message_flows
        },
        "lanes": {
            str(lane.id): (lane.name, ident(lane.parent), ident(lane.lane_set), lane.node_refs,
                           ids(lane.nodes), ids(lane.child_lanes), lane.depth)
            for lane in model.lanes
        },
        "lane_sets": {
            str(s.id): (ident(s.scope), ident(s.parent_lane), ids(s.lanes)) for s in model.lane_sets
        },
        "participants": {
            str(p.id): (p.name, ident(p.process), ident(p.collaboration)) for p in model.participants
        },
        "shapes": {
            str(s.id): (s.element_ref, ident(s.element), ident(s.plane), s.bounds, s.label_bounds,
                        s.is_expanded, s.is_horizontal)
            for s in model.shapes
        },
        "edges": {
            str(e.id): (e.element_ref, ident(e.element), ident(e.plane), e.waypoints) for e in model.edges
        },
        "di_index": {
            **{f"shape {k}": ids(v) for k, v in model.shapes_by_element.items()},
            **{f"edge {k}": ids(v) for k, v in model.edges_by_element.items()},
        },
        "planes": {
            str(p.id): (ident(p.element), ids(p.shapes), ids(p.edges))
            for d in model.diagrams for p in d.planes
        },
        "data": {
            str(o.id): (o.kind, o.name) for o in model.data
        },
        "associations": {
            str(a.id): (ident(a.source), ident(a.target)) for a in model.associations
        },
        "data_associations": {
            str(a.id): (ident(a.owner), ids(a.sources), ident(a.target)) for a in model.data_associations
        },
        "event_definitions": {
            str(d.id): (d.kind, ident(d.event), d.ref_id) for d in model.event_definitions
        },
        "ids": {
            "by_id": sorted(model.by_id),
            "all_ids": sorted(model.all_ids),
            "artifacts": sorted_ids(model.artifacts),
            "diagrams": sorted_ids(model.diagrams),
        },
    }
    return out
