"""Control flow over a model: what starts, what follows what, what can finish.

The successor relation used by the dead-end rules is BPMN's token flow, not
just sequence flows: a host activity leads to its boundary events, a link
throw event leads to the catch events of the same name in its scope, a
compensation boundary event leads to its compensation activity, and reaching
a sub-process starts its inner start events (and makes its event
sub-processes ready to trigger).

Everything here is linear in the size of the model and uses explicit stacks,
so 100,000-node chains are fine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import FlowNode, Model, Scope, SubProcess


def is_link_throw(node: FlowNode) -> bool:
    return node.kind == "intermediateThrowEvent" and "link" in node.triggers


def is_link_catch(node: FlowNode) -> bool:
    return node.kind == "intermediateCatchEvent" and "link" in node.triggers


def link_name(node: FlowNode) -> str:
    """Link events pair up by the name of their link definition (or the event's)."""
    for definition in node.event_definitions:
        if definition.kind == "linkEventDefinition":
            name = definition.xml.get("name")
            if name and name.strip():
                return " ".join(name.split())
    return node.label


def link_jumps(nodes: Iterable[FlowNode]) -> tuple[dict[int, list[FlowNode]], dict[int, list[FlowNode]]]:
    """Where link events lead, both ways: each throw event (by ``id()``) to the
    catch events of the same name in its scope, and each such catch back to
    its throws. A link pair is a sequence flow drawn as two events."""
    throws: list[FlowNode] = []
    catches: dict[tuple[int, str], list[FlowNode]] = {}
    for node in nodes:
        kind = node.kind
        if kind == "intermediateThrowEvent" or kind == "intermediateCatchEvent":
            if "link" not in node.triggers:
                continue
            if kind == "intermediateThrowEvent":
                throws.append(node)
            else:
                catches.setdefault((id(node.scope), link_name(node)), []).append(node)
    forward: dict[int, list[FlowNode]] = {}
    backward: dict[int, list[FlowNode]] = {}
    for throw in throws:
        targets = catches.get((id(throw.scope), link_name(throw)))
        if targets:
            forward[id(throw)] = list(targets)
            for catch in targets:
                backward.setdefault(id(catch), []).append(throw)
    return forward, backward


def _instantiates(node: FlowNode) -> bool:
    """A receive task or event-based gateway that starts the process on its own."""
    if node.kind == "receiveTask":
        return node.xml.get("instantiate", "false").strip() == "true"
    if node.kind == "eventBasedGateway":
        return node.xml.get("instantiate", "false").strip() == "true"
    return False


def is_event_subprocess(node: FlowNode) -> bool:
    return isinstance(node, SubProcess) and node.triggered_by_event


def scope_starts(scope: Scope) -> list[FlowNode]:
    """The nodes a scope begins with when it is instantiated.

    Its start events; without start events, BPMN instantiates every node that
    has no incoming flow (boundary events, compensation handlers, link catches
    and event sub-processes excepted). An ad-hoc sub-process enables all its
    children.
    """
    nodes = scope.nodes
    if isinstance(scope, SubProcess) and scope.kind == "adHocSubProcess":
        return [n for n in nodes if n.kind != "boundaryEvent" and not is_event_subprocess(n)]
    starts = [n for n in nodes if n.kind == "startEvent" or (not n.incoming and _instantiates(n))]
    if any(n.kind == "startEvent" for n in starts):
        return starts
    return [
        n
        for n in nodes
        if not n.incoming
        and n.kind != "boundaryEvent"
        and not n.is_for_compensation
        and not is_link_catch(n)
        and not is_event_subprocess(n)
    ]


@dataclass
class FlowGraph:
    """Successors of every flow node, following BPMN token flow within a scope."""

    model: Model
    #: Extra successors besides sequence flows (boundary events, link catches, compensation).
    extra: dict[int, list[FlowNode]] = field(default_factory=dict)
    #: The node of each key of ``extra``.
    origin: dict[int, FlowNode] = field(default_factory=dict)

    @classmethod
    def build(cls, model: Model) -> FlowGraph:
        graph = cls(model)
        links, _ = link_jumps(model.flow_nodes)
        compensation: dict[str, list[FlowNode]] = {}
        for association in model.associations:
            source, target = association.source, association.target
            if isinstance(source, FlowNode) and isinstance(target, FlowNode) and target.is_for_compensation:
                compensation.setdefault(source.id or "", []).append(target)
        for node in model.flow_nodes:
            extra: list[FlowNode] = list(node.boundary_events)
            caught = links.get(id(node))
            if caught:
                extra.extend(caught)
            if node.kind == "boundaryEvent" and "compensate" in node.triggers:
                extra.extend(compensation.get(node.id or "", ()))
            if extra:
                graph.extra[id(node)] = extra
                graph.origin[id(node)] = node
        return graph

    def successors(self, node: FlowNode) -> list[FlowNode]:
        out = [flow.target for flow in node.outgoing if flow.target is not None]
        extra = self.extra.get(id(node))
        if extra:
            out.extend(extra)
        return out


def reachable(model: Model, graph: FlowGraph | None = None) -> set[int]:
    """``id()`` of every node a token can reach from some start.

    Each process is instantiated by its starts (message, timer, signal... start
    events are starts too). Reaching a sub-process reaches its starts and makes
    its event sub-processes (and their start events) reachable.
    """
    graph = graph or FlowGraph.build(model)
    extra = graph.extra
    # The nodes themselves, not their id(): elements hash by identity, and
    # a set of nodes needs no call per look-up. id() once at the end.
    seen: set[FlowNode] = set()
    mark = seen.add
    stack: list[FlowNode] = []
    push = stack.append

    def enter(scope: Scope) -> None:
        stack.extend(scope_starts(scope))
        for node in scope.nodes:
            if is_event_subprocess(node):
                push(node)

    for process in model.processes:
        enter(process)
    # graph.successors() inlined: this loop runs once per node and flow.
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        mark(node)
        if isinstance(node, SubProcess):
            enter(node)
        for flow in node.outgoing:
            target = flow.target
            if target is not None and target not in seen:
                push(target)
        if extra:
            more = extra.get(id(node))
            if more:
                for target in more:
                    if target not in seen:
                        push(target)
    return set(map(id, seen))


def _scope_depth(model: Model) -> list[Scope]:
    """All scopes, the most deeply nested first."""
    depth: dict[int, int] = {}
    scopes: list[Scope] = list(model.processes)
    for process in model.processes:
        depth[id(process)] = 0
    for node in model.flow_nodes:  # document order: a sub-process before its children
        if isinstance(node, SubProcess):
            parent = node.scope
            depth[id(node)] = depth.get(id(parent), 0) + 1 if parent is not None else 1
            scopes.append(node)
    scopes.sort(key=lambda s: -depth.get(id(s), 0))
    return scopes


def can_finish(model: Model, graph: FlowGraph | None = None, *, trust_subprocesses: bool = False) -> set[int]:
    """``id()`` of every node from which its scope can still be left normally.

    A path ends at an end event or at a node without outgoing flow (an implicit
    end). A sub-process passes the token on only if its inside can finish;
    its boundary events are exits either way. With ``trust_subprocesses``,
    every sub-process is assumed to finish (so that a stuck inside is blamed
    on the inside only, not again on every step before it).
    """
    graph = graph or FlowGraph.build(model)
    extra = graph.extra
    # The extra successors backwards (boundary events, link catches,
    # compensation: few); sequence flows are walked back by node.incoming.
    extra_back: dict[int, list[FlowNode]] = {}
    for key, targets in extra.items():
        node = graph.origin[key]
        for target in targets:
            extra_back.setdefault(id(target), []).append(node)
    finishing: set[FlowNode] = set()  # nodes, not id(): see reachable()
    # Sub-processes whose inside cannot finish (scopes come deepest first, so a
    # scope's sub-processes are settled before it): only their boundary
    # events lead on, never their outgoing flows.
    stuck: set[Scope] = set()
    for scope in _scope_depth(model):
        nodes = scope.nodes
        if not nodes:
            continue
        # The nodes that lead nowhere inside the scope: where a path ends.
        stack: list[FlowNode] = []
        for node in nodes:
            if stuck and node in stuck and not trust_subprocesses:
                continue  # it never finishes itself; only its boundary events may
            leads_on = False
            for flow in node.outgoing:
                target = flow.target
                if target is not None and target.scope is scope:
                    leads_on = True
                    break
            else:
                more = extra.get(id(node)) if extra else None
                if more:
                    leads_on = any(target.scope is scope for target in more)
            if not leads_on:
                stack.append(node)
        while stack:
            node = stack.pop()
            if node in finishing:
                continue
            finishing.add(node)
            for flow in node.incoming:
                source = flow.source
                if (
                    source is not None
                    and source.scope is scope
                    and source not in finishing
                    and (trust_subprocesses or source not in stuck)
                ):
                    stack.append(source)
            if extra_back:
                back = extra_back.get(id(node))
                if back:
                    for source in back:
                        if source.scope is scope and source not in finishing:
                            stack.append(source)
        starts = scope_starts(scope)
        if starts and not any(start in finishing for start in starts):
            stuck.add(scope)
    return set(map(id, finishing))


def predecessors(model: Model, graph: FlowGraph) -> dict[int, list[FlowNode]]:
    """The reverse of :meth:`FlowGraph.successors`, for every node."""
    out: dict[int, list[FlowNode]] = {}
    for node in model.flow_nodes:
        for successor in graph.successors(node):
            out.setdefault(id(successor), []).append(node)
    return out
