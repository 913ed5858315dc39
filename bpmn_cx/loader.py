"""Read BPMN 2.0 XML from any modeler into a :class:`~bpmn_cx.model.Model`.

The parser is hardened: no DTD loading, no external entities, no network, and
a resolver that refuses every external load, so no file other than the input
is ever read. libxml2's entity amplification limit stops entity bombs early.

The model is built in one pass over the elements in document order (no
recursion per node, so a chain of 100,000 tasks loads), followed by one pass
that resolves references and records integrity problems as diagnostics.
Element lines are right past line 65535, where libxml2's own counter stops
(see :func:`source_line`).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from operator import attrgetter
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


def _parser(*, recover: bool = False, encoding: str | None = None, keep_blanks: bool = True) -> etree.XMLParser:
    # huge_tree stays off: XML_PARSE_HUGE would also lift libxml2's entity
    # amplification limit, which is what stops billion-laughs documents.
    # ``keep_blanks=False`` drops the whitespace between elements, for a tree
    # that is only validated (bpmn_cx.validation): no loss there, and a smaller
    # tree to build, walk and free.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=not keep_blanks,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        collect_ids=False,
        recover=recover,
        encoding=encoding,
    )
    parser.resolvers.add(_RefuseExternal())
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return parser


_XML_DECL = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_RECOVERABLE = {"WAR_NS_URI", "WAR_NS_URI_RELATIVE"}


def read_source(path: str) -> bytes:
    """The bytes of a file, or the :class:`LoadError` that :func:`load` would raise."""
    return _read(path, None)[0]


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


def _syntax_error(exc: etree.XMLSyntaxError, path: str | None, log: Any = None) -> LoadError:
    # The fatal error is the one that stopped the parser; namespace errors
    # before it are usually consequences of the same mistake, not the cause.
    log = exc.error_log if log is None else log
    fatal = log.filter_from_fatals() or log.filter_from_errors()
    entry = fatal[0] if fatal else None
    if entry is not None:
        message, line = entry.message, entry.line
    else:
        message, line = str(exc), getattr(exc, "lineno", None)
    message = re.sub(r",? line \d+, column \d+.*$", "", message).strip()
    if "amplification" in message or "entity reference loop" in message.lower():
        return LoadError(
            "refused: its entities would expand far beyond the size of the file "
            f"(an entity bomb such as 'billion laughs'; libxml2: {message})",
            path,
            line or None,
        )
    return LoadError(f"not well-formed XML: {message}", path, line or None)


_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _not_xml(data: bytes, path: str | None) -> LoadError | None:
    """A clearer message than libxml2's for input that is not XML at all."""
    if data.startswith(_UTF16_32_BOMS):
        return None
    head = data[:4096]
    if b"\x00" in head:
        return LoadError("not XML: the file holds binary data (NUL bytes)", path, 1)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return LoadError("not XML: the file does not start with '<' (not a BPMN file?)", path, 1)
    return None


def _parse(data: bytes, path: str | None, is_text: bool, *, keep_blanks: bool = True) -> tuple[Any, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise LoadError("the file is empty", path)
    encoding = "utf-8" if is_text else None
    # lxml fills a failed parse's exception error_log from the thread's global
    # log, which still holds earlier files' errors: one file's encoding error
    # would be blamed on the next file. The parser's own log holds this run only.
    etree.clear_error_log()
    parser = _parser(encoding=encoding, keep_blanks=keep_blanks)
    try:
        return etree.fromstring(data, parser, base_url=None).getroottree(), diagnostics
    except etree.XMLSyntaxError as exc:
        log = parser.error_log
        errors = list(log)
        first = errors[0] if errors else None
        if errors and all(e.type_name in _RECOVERABLE for e in errors):
            # A namespace URI with spaces (IBM Process Designer writes these) is
            # only a warning in XML Namespaces; everything else is intact.
            for e in errors:
                diagnostics.append(Diagnostic("invalid-namespace-uri", e.message, None, e.line))
            tree = etree.fromstring(data, _parser(recover=True, encoding=encoding, keep_blanks=keep_blanks)).getroottree()
            return tree, diagnostics
        declared = _declared_encoding(data)
        if (
            first is not None
            and first.domain_name in ("I18N", "PARSER", "IO")
            and ("UTF-8" in first.message or "encoding" in first.message.lower())
            and declared in (None, "utf-8", "utf8")
            and not is_text
        ):
            return _reparse_as_cp1252(data, path, first, diagnostics, keep_blanks)
        raise (_not_xml(data, path) or _syntax_error(exc, path, log)) from None
    except ValueError as exc:  # e.g. an unknown encoding name in the declaration
        raise LoadError(f"cannot decode the file: {exc}", path) from None


def _reparse_as_cp1252(data: bytes, path, first, diagnostics, keep_blanks: bool = True) -> tuple[Any, list[Diagnostic]]:
    """Declared (or assumed) UTF-8 but is not: modelers on Windows write cp1252 bytes."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    parser = _parser(encoding="utf-8", keep_blanks=keep_blanks)
    try:
        tree = etree.fromstring(text.encode("utf-8"), parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise (_not_xml(data, path) or _syntax_error(exc, path, parser.error_log)) from None
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
            f"this is {_article(ns.FOREIGN_ROOTS[uri])} {ns.FOREIGN_ROOTS[uri]} file (root <{local}> in {uri}), "
            "not BPMN 2.0",
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


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml element classes that know their BPMN kind.

    The builder dispatches on ``el.KIND``, a class attribute. ``el.tag`` would
    build a "{namespace}name" string for each element and keep it cached on
    the element: 60 MB for a model of 100,000 tasks. Other elements keep
    lxml's own class.
    """
    lookup = etree.ElementNamespaceClassLookup()
    for uri, kinds in [(uri, _MODEL_KINDS) for uri in ns.MODEL_NAMESPACES] + [(ns.BPMNDI, _DI_TAGS.values())]:
        registry = lookup.get_namespace(uri)
        for kind in kinds:
            registry[kind] = type(f"Bpmn_{kind}", (etree.ElementBase,), {"__slots__": (), "KIND": kind})
    return lookup


_ELEMENT_CLASSES = _element_classes()


def _tag_table(model_ns: str) -> dict[str, str]:
    table = {f"{{{model_ns}}}{kind}": kind for kind in _MODEL_KINDS}
    table.update(_DI_TAGS)
    return table


_SCOPES = (Process, SubProcess)
_SEQUENCE_FLOW = (SequenceFlow,)
_MESSAGE_TASK_KINDS = frozenset({"sendTask", "receiveTask"})
_NODE_REF_KINDS = _MESSAGE_TASK_KINDS | {"boundaryEvent"}


def _line_key(diagnostic: Diagnostic) -> int:
    return diagnostic.line or 0


def _attach(event: FlowNode, host: FlowNode) -> None:
    event.attached_to = host
    host.boundary_events.append(event)


# Element steps (not "//@id", which visits every text node too): half the work.
# ``id =``: an attribute written with space before its equals sign. (An
# encoding that is not ASCII-compatible matches nothing and counts nothing.)
_SPACED_ID = re.compile(rb"id[ \t\r\n]+=")
_ALL_IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
_COUNT_IDS_BELOW = etree.XPath("count(descendant::*/@id)")
_WITH_ID = etree.XPath("descendant-or-self::*[@id]")
_FLOW_NODE_REFS = etree.XPath("*[local-name()='flowNodeRef' and namespace-uri()=$m]/text()", smart_strings=False)


def _top_process(scope: Any) -> Process | None:
    while isinstance(scope, SubProcess):
        scope = scope.scope
    return scope if isinstance(scope, Process) else None


#: How a reference's expected target is named in messages.
_TYPE_WORDS: dict[type, str] = {SequenceFlow: "sequence flow", FlowNode: "flow node", Process: "process"}


def _article(name: str) -> str:
    """``"an"`` before XPDL (said "ex-..."), ``"a"`` before DMN and CMMN."""
    return "an" if name[:1] in "AEIOUX" else "a"


def _child_line(parent: Any, local: str, text: str) -> int | None:
    """Line of the first child ``<local>`` whose text is ``text``."""
    for child in parent:
        if ns.local_name(child.tag) == local and (child.text or "").strip() == text:
            return source_line(child)
    return None


#: libxml2 keeps an element's line in 16 bits: from this line on it stores the
#: cap and ``sourceline`` answers with the line of a nearby text node instead.
LINE_CAP = 65535


def source_line(el: Any) -> int | None:
    """The line where ``el``'s start tag ends, also past line 65535."""
    line = el.sourceline
    return _uncapped_line(el, line) if line is not None and line >= LINE_CAP else line


def _line_before(el: Any, steps: int = 50) -> int:
    """The line of the nearest element before ``el`` in document order whose
    line libxml2 knows (a few dozen steps at most: 0 if none)."""
    node = el
    for _ in range(steps):
        previous = node.getprevious()
        node = previous if previous is not None else node.getparent()
        if node is None:
            break
        if isinstance(node.tag, str):
            line = node.sourceline
            if line is not None and line != LINE_CAP:
                return _uncapped_line(node, line) if line > LINE_CAP else line
    return 0


def _uncapped_line(el: Any, line: int) -> int:
    """Correct a line libxml2 found through a text node.

    For a capped element, libxml2 (xmlGetLineNo) takes the line of its first
    child or else of its next sibling, following elements without text up to
    five steps, and a text node's line is where the text *ends*. Walk the same
    way and take the text's line breaks back off. Exact for indented files;
    off by the character references when a text holds ``&#10;``. When libxml2
    found nothing (``line`` is the cap itself), the nearest element before it
    with a line gives a lower bound.
    """
    if line == LINE_CAP:
        return max(line, _line_before(el))
    text = el.text  # the common case first: an element with text after its start tag
    if text is not None:
        return line - text.count("\n")
    node = el
    for _ in range(5):
        if node is el or isinstance(node.tag, str):  # an element: libxml2 asks its first child
            text = node.text
            if text is not None:
                return line - text.count("\n")
            if len(node):
                node = node[0]  # starts on the line where its parent's start tag ends
                continue
        tail = node.tail
        if tail is not None:
            return line - tail.count("\n")
        node = node.getnext()
        if node is None:  # libxml2 asked the previous node, which ends where this one starts
            break
    return line


def _who(owner: Element) -> str:
    return f"<{owner.kind}> {owner.id}" if owner.id else f"<{owner.kind}>"


class _Builder:
    """Builds the model in one pass over the handled elements in document order."""

    def __init__(self, model: Model, tags: dict[str, str]) -> None:
        self.model = model
        self.tags = tags
        #: Model object by lxml element, for the containers: processes, lanes,
        #: sub-processes, ... Other flow nodes are found through node_now or
        #: by id (see owner_node()); flows and DI never contain anything we model.
        #: Keeping this dict small keeps the look-ups in the CPU cache.
        self.by_xml: dict[Any, Any] = {}
        #: The last flow node read: event definitions and data associations
        #: follow their node in document order.
        self.node_now: FlowNode | None = None
        # (id as written, owner, attribute name, where the target goes, accepted types):
        # the destination is a slot name, a callable, or None (only check it exists).
        # DI references are not in here: resolve() follows shapes_by_element instead.
        self.pending_refs: list[tuple[str, Element, str, Any, tuple[type, ...]]] = []
        self.handlers: dict[str, Callable[[Any, str], None]] = {}
        #: The plane being read: DI shapes and edges are its children.
        self.plane_now: Plane | None = None
        #: (repeat, first) pairs of modelled elements that share an id. Every
        #: modelled element with an id is in by_id or here.
        self.repeats: list[tuple[Element, Element]] = []
        self.by_id = model._by_id
        self.diagnostics = model.diagnostics
        #: Defer the Shape and Edge objects (see build()); their elements, by
        #: kind and in document order, wait here meanwhile. Each kind is made on
        #: its own first use: a rule about shapes needs no edge.
        self.defer = False
        self.deferred: dict[str, list[Any]] = {"BPMNShape": [], "BPMNEdge": []}
        #: The ids of the deferred elements (their objects are not in by_id
        #: yet), the bpmnElement of each (``None`` if it has none, as written,
        #: beside its element in ``deferred``), and whether one is not on a plane.
        self.deferred_ids: list[str] = []
        self.deferred_refs: dict[str, list[str | None]] = {"BPMNShape": [], "BPMNEdge": []}
        #: The references of deferred drawings that are ids in by_id, and the
        #: others (all found by can_defer()).
        self.direct_refs: set[str] = set()
        self.indirect_refs: set[str] = set()
        self.outside_plane = False
        #: Planes already made, by element: making deferred DI reuses them.
        self.planes: dict[Any, Plane] | None = None
        # flow nodes, sequence flows, shapes and edges: see hot_handlers()
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
            dataInputAssociation=self.data_association,
            dataOutputAssociation=self.data_association,
            association=self.association,
            textAnnotation=self.artifact,
            group=self.artifact,
            BPMNDiagram=self.diagram,
            BPMNPlane=self.plane,
        )

    # -- helpers --------------------------------------------------------
    def register(self, obj: Element) -> None:
        self.by_xml[obj.xml] = obj
        oid = obj.id
        if oid is None:
            return
        first = self.by_id.setdefault(oid, obj)
        if first is not obj:
            self.duplicate(obj, first)

    def owner_node(self, el: Any) -> FlowNode | None:
        """The flow node whose direct child ``el`` is (``None`` if the parent is none)."""
        parent = el.getparent()
        node = self.node_now
        if node is not None and node.xml is parent:
            return node
        found = self.by_xml.get(parent)
        if found is None:
            # Not the last node (a sub-process's own data associations may follow
            # its children): every flow node outside by_xml is by_id's entry for its id.
            parent_id = parent.get("id") if parent is not None else None
            found = self.by_id.get(parent_id) if parent_id is not None else None
            if found is not None and found.xml is not parent:
                found = None
        return found if isinstance(found, FlowNode) else None

    def duplicate(self, obj: Element, first: Element) -> None:
        # Reported after the build: lines past 65535 are only right by then.
        self.repeats.append((obj, first))

    def report_repeats(self) -> None:
        for obj, first in self.repeats:
            self.diagnostics.append(
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
        obj = Process(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.processes.append(obj)

    def event_definition(self, el, kind):
        event = self.owner_node(el)
        if event is None:
            # A reusable definition at root level; kept in the XML, not modelled.
            return
        obj = EventDefinition(el.get("id"), kind, el.get("name"), source_line(el), el, event)
        self.register(obj)
        event.event_definitions.append(obj)
        self.model.event_definitions.append(obj)
        for attribute in ("messageRef", "signalRef", "errorRef", "escalationRef", "activityRef"):
            value = el.get(attribute)
            if value is not None:
                obj.ref_id = value.strip()
                self.ref(obj, attribute, value, "ref")

    def lane_set(self, el, kind):
        parent = self.by_xml.get(el.getparent())
        scope = parent if isinstance(parent, (Process, SubProcess)) else None
        parent_lane = parent if isinstance(parent, Lane) else None
        if parent_lane is not None:
            scope = parent_lane.scope
        obj = LaneSet(el.get("id"), kind, el.get("name"), source_line(el), el, scope, parent_lane)
        self.register(obj)
        self.model.lane_sets.append(obj)
        if parent_lane is None and scope is not None:
            scope.lane_sets.append(obj)

    def lane(self, el, kind):
        lane_set = self.by_xml.get(el.getparent())
        if not isinstance(lane_set, LaneSet):
            return
        obj = Lane(el.get("id"), kind, el.get("name"), source_line(el), el, lane_set, lane_set.parent_lane)
        self.register(obj)
        self.model.lanes.append(obj)
        obj.node_refs = [ref.strip() for ref in _FLOW_NODE_REFS(el, m=self.model.namespace) if ref.strip()]
        lane_set.lanes.append(obj)
        if lane_set.parent_lane is not None:
            lane_set.parent_lane.child_lanes.append(obj)

    def collaboration(self, el, kind):
        obj = Collaboration(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.collaborations.append(obj)

    def participant(self, el, kind):
        collaboration = self.by_xml.get(el.getparent())
        if not isinstance(collaboration, Collaboration):
            collaboration = None
        obj = Participant(el.get("id"), kind, el.get("name"), source_line(el), el, collaboration)
        self.register(obj)
        self.model.participants.append(obj)
        if collaboration is not None:
            collaboration.participants.append(obj)
        self.ref(obj, "processRef", obj.process_ref, "process", (Process,))

    def message_flow(self, el, kind):
        collaboration = self.by_xml.get(el.getparent())
        if not isinstance(collaboration, Collaboration):
            collaboration = None
        obj = MessageFlow(el.get("id"), kind, el.get("name"), source_line(el), el, collaboration)
        self.register(obj)
        self.model.message_flows.append(obj)
        if collaboration is not None:
            collaboration.message_flows.append(obj)
        self.ref(obj, "messageRef", el.get("messageRef"), "message_ref")

    def data(self, el, kind):
        obj = Element(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.data.append(obj)
        scope = self.by_xml.get(el.getparent())
        if isinstance(scope, (Process, SubProcess)):
            scope.data.append(obj)
        for attribute in ("dataObjectRef", "dataStoreRef"):
            self.ref(obj, attribute, el.get(attribute), None)

    def data_association(self, el, kind):
        obj = DataAssociation(el.get("id"), kind, el.get("name"), source_line(el), el,
                              self.owner_node(el))
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
        obj = Association(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.associations.append(obj)
        self._add_artifact(el, obj)
        self.ref(obj, "sourceRef", obj.source_ref, "source")
        self.ref(obj, "targetRef", obj.target_ref, "target")

    def artifact(self, el, kind):
        cls = TextAnnotation if kind == "textAnnotation" else Element
        obj = cls(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self._add_artifact(el, obj)

    def _add_artifact(self, el, obj) -> None:
        self.model.artifacts.append(obj)
        container = self.by_xml.get(el.getparent())
        if isinstance(container, (Process, SubProcess, Collaboration)):
            container.artifacts.append(obj)

    def root_element(self, el, kind):
        obj = Element(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.root_elements.append(obj)

    # -- diagram interchange ----------------------------------------------
    def diagram(self, el, kind):
        obj = Diagram(el.get("id"), kind, el.get("name"), source_line(el), el)
        self.register(obj)
        self.model.diagrams.append(obj)

    def plane(self, el, kind):
        diagram = self.by_xml.get(el.getparent())
        obj = Plane(el.get("id"), kind, el.get("name"), source_line(el), el,
                    diagram if isinstance(diagram, Diagram) else None)
        self.register(obj)
        obj._model = self.model
        self.plane_now = obj
        if obj.diagram is not None:
            obj.diagram.planes.append(obj)
        self.ref(obj, "bpmnElement", obj.element_ref, "element")

    # -- the elements big models are made of ----------------------------------
    def hot_handlers(self) -> dict[str, Callable[[Any, str], None]]:
        """Handlers for flow nodes, sequence flows, shapes and edges.

        A model of 100,000 tasks has 600,000 of these, so they are closures over
        local variables rather than methods (no ``self.`` look-ups, no helper
        calls), share the scope of the previous element instead of looking it
        up, and leave DI references to resolve() by way of shapes_by_element.
        """
        model = self.model
        claim = self.by_id.setdefault  # -> the first element with that id
        repeat = self.repeats.append
        by_xml = self.by_xml
        pending = self.pending_refs.append
        flow_nodes = model.flow_nodes.append
        sequence_flows = model.sequence_flows.append
        shapes = model._shapes.append
        edges = model._edges.append
        shapes_by_element = model._shapes_by_element
        edges_by_element = model._edges_by_element
        planes = self.planes
        # The scope of the previous flow node or flow, and its element: the next
        # one is nearly always in the same scope (no dict look-up then).
        scope_xml: Any = None
        scope: Process | SubProcess | None = None
        plane: Plane | None = None

        def flow_node(el: Any, kind: str) -> None:
            nonlocal scope_xml, scope
            parent = el.getparent()
            if parent is not scope_xml:
                scope_xml = parent
                scope = by_xml.get(parent)
                if not isinstance(scope, _SCOPES):
                    scope = None
            is_scope = kind in SUBPROCESS_KINDS
            line = el.sourceline
            if line >= LINE_CAP:  # _uncapped_line(), its common case inlined
                text = el.text
                line = line - text.count("\n") if text is not None and line > LINE_CAP else _uncapped_line(el, line)
            obj = (SubProcess if is_scope else FlowNode)(el.get("id"), kind, el.get("name"), line, el, scope)
            oid = obj.id
            if oid is None:
                by_xml[el] = obj  # not reachable by an id (see owner_node)
            else:
                first = claim(oid, obj)
                if first is not obj:
                    repeat((obj, first))
                    by_xml[el] = obj  # not reachable by its id
                elif is_scope:
                    by_xml[el] = obj
            self.node_now = obj
            flow_nodes(obj)
            if scope is not None:
                scope.nodes.append(obj)
            if kind in _NODE_REF_KINDS:  # only these carry a reference attribute
                if kind == "boundaryEvent":
                    self.ref(obj, "attachedToRef", el.get("attachedToRef"), _attach, (FlowNode,))
                elif kind in _MESSAGE_TASK_KINDS:
                    self.ref(obj, "messageRef", el.get("messageRef"), "message_ref")
            default = el.get("default")
            if default is not None:
                pending((default.strip(), obj, "default", "default", _SEQUENCE_FLOW))

        def sequence_flow(el: Any, kind: str) -> None:
            nonlocal scope_xml, scope
            parent = el.getparent()
            if parent is not scope_xml:
                scope_xml = parent
                scope = by_xml.get(parent)
                if not isinstance(scope, _SCOPES):
                    scope = None
            line = el.sourceline
            if line >= LINE_CAP:  # _uncapped_line(), its common cases inlined
                text = el.text
                if text is None and not len(el):
                    text = el.tail  # a flow without children: libxml2 took the text after it
                line = line - text.count("\n") if text is not None and line > LINE_CAP else _uncapped_line(el, line)
            obj = SequenceFlow(el.get("id"), kind, el.get("name"), line, el, scope)
            oid = obj.id
            if oid is not None:
                first = claim(oid, obj)
                if first is not obj:
                    repeat((obj, first))
            sequence_flows(obj)
            if scope is not None:
                scope.flows.append(obj)

        def new_plane(el: Any, kind: str) -> None:
            nonlocal plane
            if planes is not None:  # making deferred DI: the plane exists
                plane = planes.get(el)
                return
            self.plane(el, kind)
            plane = self.plane_now

        def drawing_handler(cls: type, every: Callable[[Any], None],
                            by_element: dict[str, list[Any]], on_plane: Callable[[Plane], list[Any]]
                            ) -> Callable[[Any, str], None]:
            """The handler for one kind of drawing (shapes or edges)."""

            def drawing(el: Any, kind: str) -> None:
                line = el.sourceline
                if line >= LINE_CAP:  # _uncapped_line(), its common case inlined
                    text = el.text
                    line = line - text.count("\n") if text is not None and line > LINE_CAP else _uncapped_line(el, line)
                obj = cls(el.get("id"), kind, None, line, el, plane)
                oid = obj.id
                if oid is not None:
                    first = claim(oid, obj)
                    if first is not obj:
                        repeat((obj, first))
                every(obj)
                if plane is not None:
                    on_plane(plane).append(obj)
                ref = obj.element_ref
                if ref is not None:  # resolve() follows these lists: no pending entry
                    ref = ref.strip()
                    drawn = by_element.get(ref)
                    if drawn is None:
                        by_element[ref] = [obj]
                    else:
                        drawn.append(obj)

            return drawing

        shape = drawing_handler(Shape, shapes, shapes_by_element, attrgetter("_shapes"))
        edge = drawing_handler(Edge, edges, edges_by_element, attrgetter("_edges"))

        handlers = dict.fromkeys(FLOW_NODE_KINDS, flow_node)
        handlers.update(sequenceFlow=sequence_flow, BPMNPlane=new_plane, BPMNShape=shape, BPMNEdge=edge)
        if self.defer:
            deferred_id = self.deferred_ids.append

            def deferring(wait: Callable[[Any], None], refer: Callable[[str | None], None]
                          ) -> Callable[[Any, str], None]:
                """The handler that defers one kind of drawing (shapes or edges)."""

                def deferred(el: Any, kind: str) -> None:
                    wait(el)
                    if plane is None or el.getparent() is not plane.xml:
                        self.outside_plane = True
                    value = el.get("id")
                    if value is not None:
                        deferred_id(value)
                    refer(el.get("bpmnElement"))

                return deferred

            handlers.update({kind: deferring(self.deferred[kind].append, self.deferred_refs[kind].append)
                             for kind in self.deferred})
        return handlers

    # -- the passes ---------------------------------------------------------
    def build(self, *, defer_di: bool = False) -> bool:
        """Build the model; ``False`` when deferring DI was asked for but cannot be done.

        With ``defer_di``, shapes and edges become objects only when first used
        (Model._make_di), provided that nothing about them needs reporting: their
        ids repeat no other id and each of their references resolves. Then they
        have no say in the diagnostics, and making them later gives the objects
        and look-ups an eager build gives. Otherwise the caller builds again
        without deferring, so that every diagnostic reads as it always has.
        """
        self.defer = defer_di
        handlers = {**self.handlers, **self.hot_handlers()}
        for el in self.model.root.iter(*self.tags):
            kind = el.KIND  # see _element_classes()
            handlers[kind](el, kind)
        deferred = any(self.deferred.values())
        if deferred and not self.can_defer():
            return False
        self.report_repeats()
        self.collect_ids()
        self.resolve()
        self.assign_lanes()
        # Integrity problems in the order a reader meets them in the file.
        self.diagnostics.sort(key=_line_key)
        if deferred:
            model = self.model
            model._pending_shapes = partial(self.make_deferred_di, "BPMNShape")
            model._pending_edges = partial(self.make_deferred_di, "BPMNEdge")
            model._pending_drawn = self.deferred_drawn_ids
            model._pending_shape_xml = self.deferred_shape_xml
        return True

    def can_defer(self) -> bool:
        """Whether the deferred shapes and edges have nothing to report (see build())."""
        if self.outside_plane:  # its plane would be whichever came before it
            return False
        by_id = self.by_id
        ids = self.deferred_ids
        unique = set(ids)
        if len(unique) != len(ids) or not by_id.keys().isdisjoint(unique):
            return False
        lookup = self.lookup
        # Set operations in C for the common case; only the rest one by one. A
        # direct hit names its own element: deferred_drawn_ids() reuses them.
        refs = self.written_refs()
        direct = self.direct_refs = refs.intersection(by_id)
        if len(direct) < len(refs):
            self.indirect_refs = refs.difference(direct)
            for ref in self.indirect_refs:
                value = ref.strip()
                if value not in by_id and lookup(value) is None:
                    return False
        return True

    def written_refs(self) -> set[str]:
        """The bpmnElement values of the deferred drawings, as written."""
        refs: set[str | None] = set(self.deferred_refs["BPMNShape"])
        refs.update(self.deferred_refs["BPMNEdge"])
        refs.discard(None)
        return refs  # type: ignore[return-value]  # None is gone

    def deferred_drawn_ids(self) -> set[str]:
        """Model.drawn_ids() while DI is deferred: can_defer() has proved that every
        drawing is on a plane and every reference resolves."""
        by_id, lookup = self.by_id, self.lookup
        drawn = set(self.direct_refs)  # by_id holds no DI object while all DI waits
        for ref in self.indirect_refs:
            value = ref.strip()
            target = by_id.get(value) or lookup(value)
            drawn.add(target.id if target is not None and target.id is not None else value)
        return drawn

    def deferred_shape_xml(self) -> dict[int, Any]:
        """Model.shape_xml_index() while the shapes are deferred: each reference
        resolved as _make_deferred_di() resolves it (can_defer() has proved that
        every one names a modelled element)."""
        by_id, lookup = self.by_id, self.lookup
        index: dict[int, Any] = {}
        for el, ref in zip(self.deferred["BPMNShape"], self.deferred_refs["BPMNShape"]):
            if ref is None:
                continue
            value = ref.strip()
            target = by_id.get(value) or lookup(value)
            if target is not None:
                index[id(target)] = el
        return index

    def make_deferred_di(self, kind: str) -> None:
        """Make the deferred shapes (``"BPMNShape"``) or edges (``"BPMNEdge"``);
        the model calls this once per kind."""
        with _gc_paused():
            self._make_deferred_di(kind)

    def _make_deferred_di(self, kind: str) -> None:
        self.defer = False
        if self.planes is None:
            self.planes = {obj.xml: obj for obj in self.by_xml.values() if isinstance(obj, Plane)}
        handlers = self.hot_handlers()
        on_plane, make = handlers["BPMNPlane"], handlers[kind]
        parent: Any = None
        for el in self.deferred[kind]:
            if el.getparent() is not parent:
                parent = el.getparent()
                on_plane(parent, "BPMNPlane")
            make(el, kind)
        self.deferred[kind] = []
        self.deferred_refs[kind] = []
        model = self.model
        by_element = model._shapes_by_element if kind == "BPMNShape" else model._edges_by_element
        by_id, lookup = self.by_id, self.lookup
        for value, drawings in by_element.items():
            target = by_id.get(value) or lookup(value)
            for drawing in drawings:
                drawing.element = target

    def collect_ids(self) -> None:
        model = self.model
        root = model.root
        all_ids = model.all_ids
        # Every id in the document, vendor elements included: iGrafx DI points at
        # its own departments, and a reference to one is not dangling. When the
        # document has no id beyond the modelled ones (counting is cheaper than
        # listing), those are all there is and their repeats are reported already.
        root_id = root.get("id")
        all_ids.update(self.deferred_ids)
        modelled_ids = len(self.by_id) + len(self.repeats) + len(self.deferred_ids)
        if root_id not in self.by_id and self._count_ids_below(root) == modelled_ids:
            all_ids.update(self.by_id)
            if root_id is not None:
                all_ids.add(root_id)
            return
        ids = _ALL_IDS(root)
        all_ids.update(ids)
        if len(all_ids) == len(ids):
            return
        seen: set[str] = set()
        repeated = {value for value in ids if value in seen or seen.add(value)}  # type: ignore[func-returns-value]
        # Only BPMN ids must be unique (Camunda form fields repeat theirs on
        # purpose). Repeats among modelled elements were reported by register().
        reported = {d.element_id for d in self.diagnostics if d.code == "duplicate-id"}
        repeated -= reported
        if not repeated:
            return
        bpmn_namespaces = {model.namespace, ns.BPMNDI, ns.DC, ns.DI}
        # One walk for all repeated values: an XPath query per value would make
        # a file with many repeats quadratic.
        hits: dict[str, list[Any]] = {}
        for el in _WITH_ID(root):
            value = el.get("id")
            if value in repeated and ns.namespace_of(el.tag) in bpmn_namespaces:
                hits.setdefault(value, []).append(el)
        for value in sorted(hits):
            first, *others = hits[value]
            for el in others:
                self.diagnostics.append(
                    Diagnostic(
                        "duplicate-id",
                        f"id {value!r} of <{ns.local_name(el.tag)}> is already used by "
                        f"<{ns.local_name(first.tag)}> on line {source_line(first)}",
                        value,
                        source_line(el),
                    )
                )

    def _count_ids_below(self, root: Any) -> int:
        """How many ``id`` attributes the elements below the root have.

        Counting them in the source bytes is cheaper than walking the tree. Each
        ``id`` attribute written ``id=`` is one ``id=`` in the bytes, but so is
        ``xml:id=``, ``vendor:id=`` or text that only looks like one (in a
        comment, say): the count can only be too high. So a count that equals
        the modelled ids is exact; any other count is redone on the tree.
        """
        data = self.model.source
        modelled = len(self.by_id) + len(self.repeats) + len(self.deferred_ids)
        if data is not None and _SPACED_ID.search(data) is None:
            # Every id attribute is written ``id=`` then: count those.
            found = data.count(b"id=") - (root.get("id") is not None)
            if found == modelled:
                return found
        return int(_COUNT_IDS_BELOW(root))

    def lookup(self, value: str) -> Element | None:
        """The modelled element an id refers to; QName references may carry a prefix."""
        target = self.by_id.get(value)
        if target is None and ":" in value:
            target = self.by_id.get(value.rpartition(":")[2])
        return target

    def exists(self, value: str) -> bool:
        """An element we keep in the XML but do not model has this id."""
        all_ids = self.model.all_ids
        return value in all_ids or value.rpartition(":")[2] in all_ids

    def resolve(self) -> None:
        model = self.model
        by_id = self.by_id
        all_ids = model.all_ids
        diagnostics = self.diagnostics
        lookup = self.lookup
        for value, owner, attribute, setter, types in self.pending_refs:
            target = lookup(value)
            if target is None:
                if not self.exists(value):
                    self.dangling(owner, attribute, value)
                continue
            if not isinstance(target, types):
                wanted = " or ".join(_TYPE_WORDS.get(t, t.__name__) for t in types)
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
        # DI: one look-up per drawn element, whatever the number of shapes.
        for by_element in (model._shapes_by_element, model._edges_by_element):
            for value, drawings in by_element.items():
                target = by_id.get(value)
                if target is None:
                    target = lookup(value)
                if target is not None:
                    for drawing in drawings:
                        drawing.element = target
                elif not self.exists(value):
                    for drawing in drawings:
                        self.dangling(drawing, "bpmnElement", value)
        for flow in model.sequence_flows:
            value = flow.source_ref
            if value is None:
                self.missing(flow, "sourceRef")
            else:
                node = by_id.get(value.strip())
                if isinstance(node, FlowNode):
                    flow.source = node
                    node.outgoing.append(flow)
                else:
                    self.bad_flow_end(flow, "sourceRef", value, node)
            value = flow.target_ref
            if value is None:
                self.missing(flow, "targetRef")
            else:
                node = by_id.get(value.strip())
                if isinstance(node, FlowNode):
                    flow.target = node
                    node.incoming.append(flow)
                else:
                    self.bad_flow_end(flow, "targetRef", value, node)
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

    def bad_flow_end(self, flow: SequenceFlow, attribute: str, value: str, node: Element | None) -> None:
        if node is None and value.strip() not in self.model.all_ids:
            self.dangling(flow, attribute, value)
            return
        kind = node.kind if node is not None else "non-flow-node element"
        self.diagnostics.append(
            Diagnostic("invalid-reference",
                       f"{_who(flow)} {attribute}={value!r} refers to a <{kind}>, not a flow node",
                       flow.id, flow.line)
        )

    def missing(self, owner: Element, attribute: str) -> None:
        self.model.diagnostics.append(
            Diagnostic("missing-reference", f"{_who(owner)} has no {attribute}", owner.id, owner.line)
        )

    def dangling(self, owner: Element, attribute: str, value: str) -> None:
        line = owner.line
        if isinstance(owner, (Lane, DataAssociation)):
            # The reference is a child element (<flowNodeRef>, <sourceRef>): point at
            # it, not at a lane that may list a thousand nodes.
            line = _child_line(owner.xml, attribute, value) or line
        self.model.diagnostics.append(
            Diagnostic("dangling-reference",
                       f"{_who(owner)} {attribute}={value!r} refers to no element",
                       owner.id, line)
        )

    def assign_lanes(self) -> None:
        for lane in self.model.lanes:  # parents come before their children
            depth = lane.depth
            home = _top_process(lane.scope)
            for node in lane.nodes:
                if home is not None and node.process is not home:
                    # A lane can only own work of its own pool's process.
                    self.model.diagnostics.append(
                        Diagnostic(
                            "invalid-reference",
                            f"{_who(lane)} flowNodeRef={node.id!r} refers to a node of another process",
                            lane.id,
                            lane.line,
                        )
                    )
                    continue
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
    return _load(source, path=path)


def _load(source: Source, *, path: str | None = None, defer_di: bool = True) -> Model:
    data, path, is_text = _read(source, path)
    tree, diagnostics = _parse(data, path, is_text)
    model_ns, root_diagnostics = _check_root(tree.getroot(), path)

    def new_model() -> Model:
        model = Model(tree, path)
        model.source = data
        model.namespace = model_ns
        model.diagnostics.extend(diagnostics)
        model.diagnostics.extend(root_diagnostics)
        return model

    tags = _tag_table(model_ns)
    with _gc_paused():
        model = new_model()
        if not _Builder(model, tags).build(defer_di=defer_di):
            model = new_model()  # DI with something to report: build it with the rest
            _Builder(model, tags).build()
    return model


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # The build allocates one long-lived object per element; letting the cyclic
    # GC scan them over and over costs a third of the load time for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc_was_enabled:
            gc.enable()


def load_string(text: str, *, path: str | None = None) -> Model:
    """Load from a ``str`` of XML (its encoding declaration is ignored)."""
    return load(io.StringIO(text), path=path)
