"""Read BPMN 2.0 XML from any modeler into a :class:`~bpmn_cx.model.Model`.

The parser is hardened: no DTD loading, no external entities, no network, and
a resolver that refuses every external load, so no file other than the input
is ever read. libxml2's entity amplification limit stops entity bombs early.

The model is built in one pass over the elements in document order (no
recursion per node, so a chain of 100,000 tasks loads), followed by one pass
that resolves references and records integrity problems as diagnostics.
"""

from __future__ import annotations

import gc
import io
import os
import re
from collections.abc import Callable
from typing import IO, Any, Union

from lxml import etree

from . import namespaces as ns
from .model import (
    DATA_KINDS,
    EVENT_DEFINITION_KINDS,
    FLOW_NODE_KINDS,
    ROOT_ELEMENT_KINDS,
    SUBPROCESS_KINDS,
    Association,
    Collaboration,
    DataAssociation,
    Diagnostic,
    Diagram,
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
    SequenceFlow,
    Shape,
    SubProcess,
    TextAnnotation,
)

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes], IO[str]]


class LoadError(Exception):
    """The input is not a readable BPMN 2.0 document.

    ``path`` is the file (``None`` for bytes), ``line`` the 1-based line where
    the problem is (``None`` when it concerns the whole file), ``message`` what
    is wrong in words.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class _RefuseExternal(etree.Resolver):
    """Answer every external load (DTD, entity, XInclude) with nothing."""

    def resolve(self, system_url, public_id, context):  # noqa: ANN001 - lxml API
        return self.resolve_string("", context)


def _parser(*, recover: bool = False, encoding: str | None = None) -> etree.XMLParser:
    # huge_tree stays off: XML_PARSE_HUGE would also lift libxml2's entity
    # amplification limit, which is what stops billion-laughs documents.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        collect_ids=False,
        recover=recover,
        encoding=encoding,
    )
    parser.resolvers.add(_RefuseExternal())
    return parser


_XML_DECL = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_RECOVERABLE = {"WAR_NS_URI", "WAR_NS_URI_RELATIVE"}


def _declared_encoding(data: bytes) -> str | None:
    m = _XML_DECL.match(data[:400])
    return m.group(2).decode("ascii").lower() if m else None


def _read(source: Source, path: str | None) -> tuple[bytes, str | None, bool]:
    """Return (bytes, path, is_text): the raw input and where it came from."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), path, False
    if isinstance(source, (str, os.PathLike)):
        fspath = os.fspath(source)
        path = path or fspath
        try:
            with open(fspath, "rb") as fh:
                return fh.read(), path, False
        except FileNotFoundError:
            raise LoadError("no such file", path) from None
        except IsADirectoryError:
            raise LoadError("is a directory, not a BPMN file", path) from None
        except PermissionError:
            raise LoadError("permission denied: cannot read the file", path) from None
        except OSError as exc:
            raise LoadError(f"cannot read the file: {exc.strerror or exc}", path) from None
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(f"load() takes a path, bytes or a file object, not {type(source).__name__}")
    path = path or (getattr(source, "name", None) if isinstance(getattr(source, "name", None), str) else None)
    try:
        data = read()
    except OSError as exc:
        raise LoadError(f"cannot read the input: {exc}", path) from None
    if isinstance(data, str):
        return data.encode("utf-8"), path, True
    return bytes(data), path, False


def _syntax_error(exc: etree.XMLSyntaxError, path: str | None) -> LoadError:
    # The fatal error is the one that stopped the parser; namespace errors
    # before it are usually consequences of the same mistake, not the cause.
    fatal = exc.error_log.filter_from_fatals() or exc.error_log.filter_from_errors()
    entry = fatal[0] if fatal else None
    if entry is not None:
        message, line = entry.message, entry.line
    else:
        message, line = str(exc), getattr(exc, "lineno", None)
    message = re.sub(r",? line \d+, column \d+.*$", "", message).strip()
    return LoadError(f"not well-formed XML: {message}", path, line or None)


def _parse(data: bytes, path: str | None, is_text: bool) -> tuple[Any, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    if not data.strip():
        raise LoadError("the file is empty", path)
    encoding = "utf-8" if is_text else None
    try:
        return etree.fromstring(data, _parser(encoding=encoding), base_url=None).getroottree(), diagnostics
    except etree.XMLSyntaxError as exc:
        errors = list(exc.error_log)
        first = errors[0] if errors else None
        if errors and all(e.type_name in _RECOVERABLE for e in errors):
            # A namespace URI with spaces (IBM Process Designer writes these) is
            # only a warning in XML Namespaces; everything else is intact.
            for e in errors:
                diagnostics.append(Diagnostic("invalid-namespace-uri", e.message, None, e.line))
            tree = etree.fromstring(data, _parser(recover=True, encoding=encoding)).getroottree()
            return tree, diagnostics
        declared = _declared_encoding(data)
        if (
            first is not None
            and first.domain_name in ("I18N", "PARSER", "IO")
            and ("UTF-8" in first.message or "encoding" in first.message.lower())
            and declared in (None, "utf-8", "utf8")
            and not is_text
        ):
            return _reparse_as_cp1252(data, path, first, diagnostics)
        raise _syntax_error(exc, path) from None
    except ValueError as exc:  # e.g. an unknown encoding name in the declaration
        raise LoadError(f"cannot decode the file: {exc}", path) from None


def _reparse_as_cp1252(data: bytes, path, first, diagnostics) -> tuple[Any, list[Diagnostic]]:
    """Declared (or assumed) UTF-8 but is not: modelers on Windows write cp1252 bytes."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        tree = etree.fromstring(text.encode("utf-8"), _parser(encoding="utf-8")).getroottree()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    diagnostics.append(
        Diagnostic(
            "encoding-mismatch",
            f"the file is not valid UTF-8 ({first.message.strip()}); read it as windows-1252",
            None,
            first.line,
        )
    )
    return tree, diagnostics


def _check_root(root: Any, path: str | None) -> tuple[str, list[Diagnostic]]:
    tag = root.tag
    uri, local = ns.namespace_of(tag), ns.local_name(tag)
    if uri in ns.MODEL_NAMESPACES:
        if local != "definitions":
            raise LoadError(
                f"this is a BPMN fragment with root element <{local}>; a BPMN 2.0 document's "
                "root element is <definitions>",
                path,
                root.sourceline,
            )
        if uri == ns.DRAFT_MODEL:
            return uri, [
                Diagnostic(
                    "draft-namespace",
                    f"uses the pre-release BPMN 2.0 namespace {ns.DRAFT_MODEL}; the final "
                    f"standard namespace is {ns.MODEL}",
                    root.get("id"),
                    root.sourceline,
                )
            ]
        return uri, []
    if uri in ns.FOREIGN_ROOTS:
        raise LoadError(
            f"this is a {ns.FOREIGN_ROOTS[uri]} file (root <{local}> in {uri}), not BPMN 2.0",
            path,
            root.sourceline,
        )
    if "XPDL" in uri.upper():
        raise LoadError(f"this is an XPDL file ({uri}), not BPMN 2.0", path, root.sourceline)
    if "/DMN/" in uri:
        raise LoadError(f"this is a DMN file ({uri}), not BPMN 2.0", path, root.sourceline)
    if "/CMMN/" in uri:
        raise LoadError(f"this is a CMMN file ({uri}), not BPMN 2.0", path, root.sourceline)
    if uri in (ns.BPMNDI, ns.DC, ns.DI):
        raise LoadError(
            f"this is a BPMN diagram fragment with root element <{local}>; a BPMN 2.0 "
            "document's root element is <definitions>",
            path,
            root.sourceline,
        )
    if not uri and local == "definitions":
        raise LoadError(
            f"<definitions> has no namespace; a BPMN 2.0 file declares xmlns=\"{ns.MODEL}\"",
            path,
            root.sourceline,
        )
    shown = f"{{{uri}}}{local}" if uri else local
    raise LoadError(
        f"not a BPMN 2.0 document: the root element is <{shown}>, expected "
        f"<definitions> in {ns.MODEL}",
        path,
        root.sourceline,
    )


# Every tag the builder handles, for lxml's C-level tag filter: the rest of the
# tree (waypoint-free DI labels, extension elements, incoming/outgoing lists)
# never becomes a Python object during load.
_CONTAINER_KINDS = {"process", "laneSet", "childLaneSet", "lane", "collaboration",
                    "participant", "messageFlow", "sequenceFlow", "dataInputAssociation",
                    "dataOutputAssociation", "association", "textAnnotation", "group"}
_MODEL_KINDS = FLOW_NODE_KINDS | EVENT_DEFINITION_KINDS | DATA_KINDS | ROOT_ELEMENT_KINDS | _CONTAINER_KINDS
_DI_TAGS = {
    f"{{{ns.BPMNDI}}}BPMNDiagram": "BPMNDiagram",
    f"{{{ns.BPMNDI}}}BPMNPlane": "BPMNPlane",
    f"{{{ns.BPMNDI}}}BPMNShape": "BPMNShape",
    f"{{{ns.BPMNDI}}}BPMNEdge": "BPMNEdge",
}


def _tag_table(model_ns: str) -> dict[str, str]:
    table = {f"{{{model_ns}}}{kind}": kind for kind in _MODEL_KINDS}
    table.update(_DI_TAGS)
    return table




_ANY = (Element,)


def _attach(event: FlowNode, host: FlowNode) -> None:
    event.attached_to = host
    host.boundary_events.append(event)


_ALL_IDS = etree.XPath("//@id", smart_strings=False)
_FLOW_NODE_REFS = etree.XPath("*[local-name()='flowNodeRef' and namespace-uri()=$m]/text()", smart_strings=False)


def _who(owner: Element) -> str:
    return f"<{owner.kind}> {owner.id}" if owner.id else f"<{owner.kind}>"


class _Builder:
    def __init__(self, model: Model, tags: dict[str, str]) -> None:
        self.model = model
        self.tags = tags
        self.by_xml: dict[Any, Any] = {}
        # (id as written, owner, attribute name, where the target goes, accepted types):
        # the destination is a slot name, a callable, or None (only check it exists).
        self.pending_refs: list[tuple[str, Element, str, Any, tuple[type, ...]]] = []
        self.handlers: dict[str, Callable[[Any, str], None]] = {}
        #: The plane being read: DI shapes and edges are its children.
        self.plane_now: Plane | None = None
        for kind in FLOW_NODE_KINDS:
            self.handlers[kind] = self.flow_node
        for kind in EVENT_DEFINITION_KINDS:
            self.handlers[kind] = self.event_definition
        for kind in DATA_KINDS:
            self.handlers[kind] = self.data
        for kind in ROOT_ELEMENT_KINDS:
            self.handlers[kind] = self.root_element
        self.handlers.update(
            process=self.process,
            laneSet=self.lane_set,
            childLaneSet=self.lane_set,
            lane=self.lane,
            collaboration=self.collaboration,
            participant=self.participant,
            messageFlow=self.message_flow,
            sequenceFlow=self.sequence_flow,
            dataInputAssociation=self.data_association,
            dataOutputAssociation=self.data_association,
            association=self.association,
            textAnnotation=self.artifact,
            group=self.artifact,
            BPMNDiagram=self.diagram,
            BPMNPlane=self.plane,
            BPMNShape=self.shape,
            BPMNEdge=self.edge,
        )

    # -- helpers --------------------------------------------------------
    def register(self, obj: Element) -> None:
        self.by_xml[obj.xml] = obj
        if obj.id is None:
            return
        by_id = self.model.by_id
        first = by_id.get(obj.id)
        if first is None:
            by_id[obj.id] = obj
        else:
            self.model.diagnostics.append(
                Diagnostic(
                    "duplicate-id",
                    f"id {obj.id!r} of <{obj.kind}> is already used by <{first.kind}> on line {first.line}",
                    obj.id,
                    obj.line,
                )
            )

    def ref(self, owner: Element, attribute: str, value: str | None, setter: Any,
            types: tuple[type, ...] = (Element,)) -> None:
        if value is None:
            return
        self.pending_refs.append((value.strip(), owner, attribute, setter, types))

    # -- semantic elements --------------------------------------------------
    def process(self, el, kind):
        obj = Process(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.processes.append(obj)

    def flow_node(self, el, kind):
        scope = self.by_xml.get(el.getparent())
        if not isinstance(scope, (Process, SubProcess)):
            scope = None
        cls = SubProcess if kind in SUBPROCESS_KINDS else FlowNode
        obj = cls(el.get("id"), kind, el.get("name"), el.sourceline, el, scope)
        self.register(obj)
        self.model.flow_nodes.append(obj)
        if scope is not None:
            scope.nodes.append(obj)
        if kind == "boundaryEvent":
            self.ref(obj, "attachedToRef", el.get("attachedToRef"), _attach, (FlowNode,))
        default = el.get("default")
        if default is not None:
            self.ref(obj, "default", default, "default", (SequenceFlow,))
        if kind in ("sendTask", "receiveTask"):
            self.ref(obj, "messageRef", el.get("messageRef"),
                     "message_ref")

    def event_definition(self, el, kind):
        event = self.by_xml.get(el.getparent())
        if not isinstance(event, FlowNode):
            # A reusable definition at root level; kept in the XML, not modelled.
            return
        obj = EventDefinition(el.get("id"), kind, el.get("name"), el.sourceline, el, event)
        self.register(obj)
        event.event_definitions.append(obj)
        self.model.event_definitions.append(obj)
        for attribute in ("messageRef", "signalRef", "errorRef", "escalationRef", "activityRef"):
            value = el.get(attribute)
            if value is not None:
                obj.ref_id = value.strip()
                self.ref(obj, attribute, value, "ref")

    def sequence_flow(self, el, kind):
        scope = self.by_xml.get(el.getparent())
        if not isinstance(scope, (Process, SubProcess)):
            scope = None
        obj = SequenceFlow(el.get("id"), kind, el.get("name"), el.sourceline, el, scope)
        self.register(obj)
        self.model.sequence_flows.append(obj)
        if scope is not None:
            scope.flows.append(obj)

    def lane_set(self, el, kind):
        parent = self.by_xml.get(el.getparent())
        scope = parent if isinstance(parent, (Process, SubProcess)) else None
        parent_lane = parent if isinstance(parent, Lane) else None
        if parent_lane is not None:
            scope = parent_lane.scope
        obj = LaneSet(el.get("id"), kind, el.get("name"), el.sourceline, el, scope, parent_lane)
        self.register(obj)
        self.model.lane_sets.append(obj)
        if parent_lane is None and scope is not None:
            scope.lane_sets.append(obj)

    def lane(self, el, kind):
        lane_set = self.by_xml.get(el.getparent())
        if not isinstance(lane_set, LaneSet):
            return
        obj = Lane(el.get("id"), kind, el.get("name"), el.sourceline, el, lane_set, lane_set.parent_lane)
        self.register(obj)
        self.model.lanes.append(obj)
        obj.node_refs = [ref.strip() for ref in _FLOW_NODE_REFS(el, m=self.model.namespace) if ref.strip()]
        lane_set.lanes.append(obj)
        if lane_set.parent_lane is not None:
            lane_set.parent_lane.child_lanes.append(obj)

    def collaboration(self, el, kind):
        obj = Collaboration(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.collaborations.append(obj)

    def participant(self, el, kind):
        collaboration = self.by_xml.get(el.getparent())
        if not isinstance(collaboration, Collaboration):
            collaboration = None
        obj = Participant(el.get("id"), kind, el.get("name"), el.sourceline, el, collaboration)
        self.register(obj)
        self.model.participants.append(obj)
        if collaboration is not None:
            collaboration.participants.append(obj)
        self.ref(obj, "processRef", obj.process_ref, "process", (Process,))

    def message_flow(self, el, kind):
        collaboration = self.by_xml.get(el.getparent())
        if not isinstance(collaboration, Collaboration):
            collaboration = None
        obj = MessageFlow(el.get("id"), kind, el.get("name"), el.sourceline, el, collaboration)
        self.register(obj)
        self.model.message_flows.append(obj)
        if collaboration is not None:
            collaboration.message_flows.append(obj)
        self.ref(obj, "messageRef", el.get("messageRef"), "message_ref")

    def data(self, el, kind):
        obj = Element(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.data.append(obj)
        scope = self.by_xml.get(el.getparent())
        if isinstance(scope, (Process, SubProcess)):
            scope.data.append(obj)
        for attribute in ("dataObjectRef", "dataStoreRef"):
            self.ref(obj, attribute, el.get(attribute), None)

    def data_association(self, el, kind):
        owner = self.by_xml.get(el.getparent())
        obj = DataAssociation(el.get("id"), kind, el.get("name"), el.sourceline, el,
                              owner if isinstance(owner, FlowNode) else None)
        self.register(obj)
        self.model.data_associations.append(obj)
        if obj.owner is not None:
            obj.owner.data_associations.append(obj)
        for child in el:
            local = ns.local_name(child.tag)
            text = (child.text or "").strip()
            if not text:
                continue
            if local == "sourceRef":
                obj.source_refs.append(text)
                self.ref(obj, "sourceRef", text, obj.sources.append)
            elif local == "targetRef":
                obj.target_ref = text
                self.ref(obj, "targetRef", text, "target")

    def association(self, el, kind):
        obj = Association(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.associations.append(obj)
        self._add_artifact(el, obj)
        self.ref(obj, "sourceRef", obj.source_ref, "source")
        self.ref(obj, "targetRef", obj.target_ref, "target")

    def artifact(self, el, kind):
        cls = TextAnnotation if kind == "textAnnotation" else Element
        obj = cls(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self._add_artifact(el, obj)

    def _add_artifact(self, el, obj) -> None:
        self.model.artifacts.append(obj)
        container = self.by_xml.get(el.getparent())
        if isinstance(container, (Process, SubProcess, Collaboration)):
            container.artifacts.append(obj)

    def root_element(self, el, kind):
        obj = Element(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.root_elements.append(obj)

    # -- diagram interchange ----------------------------------------------
    def diagram(self, el, kind):
        obj = Diagram(el.get("id"), kind, el.get("name"), el.sourceline, el)
        self.register(obj)
        self.model.diagrams.append(obj)

    def plane(self, el, kind):
        diagram = self.by_xml.get(el.getparent())
        obj = Plane(el.get("id"), kind, el.get("name"), el.sourceline, el,
                    diagram if isinstance(diagram, Diagram) else None)
        self.register(obj)
        self.plane_now = obj
        if obj.diagram is not None:
            obj.diagram.planes.append(obj)
        self.ref(obj, "bpmnElement", obj.element_ref, "element")

    def shape(self, el, kind):
        plane = self.plane_now
        obj = Shape(el.get("id"), kind, None, el.sourceline, el, plane)
        self.register_di(obj)
        self.model.shapes.append(obj)
        if plane is not None:
            plane.shapes.append(obj)
        ref = obj.element_ref
        if ref is not None:
            ref = ref.strip()
            shapes = self.model.shapes_by_element.get(ref)
            if shapes is None:
                self.model.shapes_by_element[ref] = [obj]
            else:
                shapes.append(obj)
            self.pending_refs.append((ref, obj, "bpmnElement", "element", _ANY))

    def edge(self, el, kind):
        plane = self.plane_now
        obj = Edge(el.get("id"), kind, None, el.sourceline, el, plane)
        self.register_di(obj)
        self.model.edges.append(obj)
        if plane is not None:
            plane.edges.append(obj)
        ref = obj.element_ref
        if ref is not None:
            ref = ref.strip()
            edges = self.model.edges_by_element.get(ref)
            if edges is None:
                self.model.edges_by_element[ref] = [obj]
            else:
                edges.append(obj)
            self.pending_refs.append((ref, obj, "bpmnElement", "element", _ANY))

    def register_di(self, obj: Element) -> None:
        # DI elements are never parents of modelled elements: no by_xml entry.
        by_id = self.model.by_id
        if obj.id is not None and obj.id not in by_id:
            by_id[obj.id] = obj
        elif obj.id is not None:
            self.register(obj)

    # -- the passes ---------------------------------------------------------
    def build(self) -> None:
        tags = self.tags
        handlers = self.handlers
        for el in self.model.root.iter(*tags):
            kind = tags[el.tag]
            handlers[kind](el, kind)
        self.collect_ids()
        self.resolve()
        self.assign_lanes()

    def collect_ids(self) -> None:
        model = self.model
        # Every id in the document, vendor elements included: iGrafx DI points at
        # its own departments, and a reference to one is not dangling.
        ids = _ALL_IDS(model.root)
        all_ids = model.all_ids
        repeated: set[str] = set()
        for value in ids:
            if value in all_ids:
                repeated.add(value)
            all_ids.add(value)
        if not repeated:
            return
        # Only BPMN ids must be unique (Camunda form fields repeat theirs on
        # purpose). Repeats among modelled elements were reported by register().
        reported = {d.element_id for d in model.diagnostics if d.code == "duplicate-id"}
        bpmn_namespaces = {model.namespace, ns.BPMNDI, ns.DC, ns.DI}
        for value in sorted(repeated - reported):
            hits = [el for el in model.root.xpath("//*[@id=$v]", v=value)
                    if ns.namespace_of(el.tag) in bpmn_namespaces]
            for el in hits[1:]:
                model.diagnostics.append(
                    Diagnostic(
                        "duplicate-id",
                        f"id {value!r} of <{ns.local_name(el.tag)}> is already used by "
                        f"<{ns.local_name(hits[0].tag)}> on line {hits[0].sourceline}",
                        value,
                        el.sourceline,
                    )
                )

    def resolve(self) -> None:
        model = self.model
        by_id = model.by_id
        all_ids = model.all_ids
        diagnostics = model.diagnostics
        for value, owner, attribute, setter, types in self.pending_refs:
            # QName-typed references may carry a prefix of the target namespace.
            target = by_id.get(value)
            if target is None and ":" in value:
                target = by_id.get(value.rpartition(":")[2])
            if target is None:
                if value in all_ids or value.rpartition(":")[2] in all_ids:
                    continue  # an element we keep in the XML but do not model
                diagnostics.append(
                    Diagnostic(
                        "dangling-reference",
                        f"{_who(owner)} {attribute}={value!r} refers to no element",
                        owner.id,
                        owner.line,
                    )
                )
                continue
            if not isinstance(target, types):
                wanted = " or ".join(t.__name__ for t in types)
                diagnostics.append(
                    Diagnostic(
                        "invalid-reference",
                        f"{_who(owner)} {attribute}={value!r} refers to a <{target.kind}>, "
                        f"not a {wanted}",
                        owner.id,
                        owner.line,
                    )
                )
                continue
            if setter is None:
                continue
            if isinstance(setter, str):
                setattr(owner, setter, target)
            elif setter is _attach:
                _attach(owner, target)  # type: ignore[arg-type]
            else:
                setter(target)
        for flow in model.sequence_flows:
            self.resolve_flow_end(flow, "sourceRef", flow.source_ref, True)
            self.resolve_flow_end(flow, "targetRef", flow.target_ref, False)
        for flow in model.message_flows:
            for attribute, value, is_source in (("sourceRef", flow.source_ref, True),
                                                ("targetRef", flow.target_ref, False)):
                if value is None:
                    self.missing(flow, attribute)
                    continue
                end = by_id.get(value.strip())
                if isinstance(end, (FlowNode, Participant)):
                    if is_source:
                        flow.source = end
                    else:
                        flow.target = end
                elif end is None and value.strip() not in all_ids:
                    self.dangling(flow, attribute, value)
        for lane in model.lanes:
            for ref in lane.node_refs:
                node = by_id.get(ref)
                if isinstance(node, FlowNode):
                    lane.nodes.append(node)
                elif node is None and ref not in all_ids:
                    self.dangling(lane, "flowNodeRef", ref)
        for participant in model.participants:
            if participant.process is not None:
                participant.process.participant = participant

    def resolve_flow_end(self, flow: SequenceFlow, attribute: str, value: str | None, is_source: bool) -> None:
        if value is None:
            self.missing(flow, attribute)
            return
        node = self.model.by_id.get(value.strip())
        if isinstance(node, FlowNode):
            if is_source:
                flow.source = node
                node.outgoing.append(flow)
            else:
                flow.target = node
                node.incoming.append(flow)
        elif node is None and value.strip() not in self.model.all_ids:
            self.dangling(flow, attribute, value)
        else:
            kind = node.kind if node is not None else "non-flow-node element"
            self.model.diagnostics.append(
                Diagnostic("invalid-reference",
                           f"{_who(flow)} {attribute}={value!r} refers to a <{kind}>, not a flow node",
                           flow.id, flow.line)
            )

    def missing(self, owner: Element, attribute: str) -> None:
        self.model.diagnostics.append(
            Diagnostic("missing-reference", f"{_who(owner)} has no {attribute}", owner.id, owner.line)
        )

    def dangling(self, owner: Element, attribute: str, value: str) -> None:
        self.model.diagnostics.append(
            Diagnostic("dangling-reference",
                       f"{_who(owner)} {attribute}={value!r} refers to no element",
                       owner.id, owner.line)
        )

    def assign_lanes(self) -> None:
        for lane in self.model.lanes:  # parents come before their children
            depth = lane.depth
            for node in lane.nodes:
                if node.lane is None or depth > node.lane.depth:
                    node.lane = lane
        # Document order puts a sub-process before its children; boundary events
        # may come before their host, hence the second loop.
        for node in self.model.flow_nodes:
            if node.lane is None:
                host = node.attached_to
                if host is not None and host.lane is not None:
                    node.lane = host.lane
                elif isinstance(node.scope, SubProcess):
                    node.lane = node.scope.lane
        for node in self.model.flow_nodes:
            if node.lane is None and node.attached_to is not None:
                node.lane = node.attached_to.lane


def load(source: Source, *, path: str | None = None) -> Model:
    """Load a BPMN 2.0 document from a path, bytes or a file object.

    Raises :class:`LoadError` when the input cannot be read as BPMN 2.0 (not
    XML, not well-formed, another format such as DMN or XPDL, a fragment).
    Integrity problems that do not stop reading (duplicate ids, dangling
    references, ...) are recorded on ``model.diagnostics`` instead.
    """
    data, path, is_text = _read(source, path)
    tree, diagnostics = _parse(data, path, is_text)
    model_ns, root_diagnostics = _check_root(tree.getroot(), path)
    model = Model(tree, path)
    model.namespace = model_ns
    model.diagnostics.extend(diagnostics)
    model.diagnostics.extend(root_diagnostics)
    # The build allocates one long-lived object per element; letting the cyclic
    # GC scan them over and over costs a third of the load time for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _Builder(model, _tag_table(model_ns)).build()
    finally:
        if gc_was_enabled:
            gc.enable()
    return model


def load_string(text: str, *, path: str | None = None) -> Model:
    """Load from a ``str`` of XML (its encoding declaration is ignored)."""
    return load(io.StringIO(text), path=path)
