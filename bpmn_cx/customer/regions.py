"""Replacing hidden work with as little as keeps the behaviour honest.

Within one scope (a process or a kept sub-process) the nodes are *kept* or
*hidden*. Each weakly connected set of hidden nodes is a **hidden region**; its
*entries* are flows from kept nodes into it, its *exits* flows from it to kept
nodes. This module turns every region into a small graph of synthetic nodes:

* **placeholders** (collapsed sub-processes) standing for hidden work;
* **internal decisions**: hidden gateways that choose between different
  customer-visible outcomes, kept (with a new id) so that a choice is not drawn
  as if everything happened;
* **internal events**: hidden boundary events whose exception path leads to a
  different visible outcome than the normal path, re-attached to the
  placeholder of their host;
* **connectors**: hidden synchronising joins (and gateway-only hubs) that still
  join or split something after the reduction.

How it works (linear in the region size times the number of its terminals / 64):

1. Reachability signatures. For each hidden node, the set of kept exit targets
   it can reach (``out``). A non-parallel gateway is an internal decision when
   its branches reach different sets of exits; a boundary event is pinned when
   its exception path reaches other exits than its host. Synchronising joins
   are pinned too.
2. With the pinned nodes as extra terminals, each node's signature is (kept
   entries and pinned nodes that reach it, kept exits and pinned nodes it
   reaches). Adjacent unpinned nodes with equal signatures are merged. Every
   class has one signature, which is exactly what makes the quotient graph
   preserve reachability between kept nodes: a path ``a -> X1 -> ... -> Xk ->
   b`` implies ``a`` reaches every member of ``Xk`` and every member reaches
   ``b``. Because pinned nodes are terminals, no class-level cycle appears
   that the original does not have.
3. Reduce: drop gateways left with one incoming and one outgoing flow, merge a
   placeholder into its only successor placeholder when that one has no other
   predecessor, and merge placeholders with the same predecessors and
   successors. Each step preserves reachability.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..analysis.flow import is_link_catch, is_link_throw
from ..model import FlowNode, Lane, Scope, SequenceFlow, SubProcess
from .scope import effective_lane

#: Gateways that wait for several incoming branches.
_SYNCHRONISING = frozenset({"parallelGateway", "inclusiveGateway", "complexGateway"})


@dataclass(eq=False)
class SyntheticNode:
    """A node of the view that does not exist in the original model."""

    id: str
    #: The BPMN element to write: ``"subProcess"``, a gateway kind or ``"boundaryEvent"``.
    kind: str
    #: ``"placeholder"``, ``"decision"``, ``"connector"`` or ``"event"``.
    role: str
    name: str
    #: The hidden nodes (direct members of the scope) it stands for, in document order.
    hidden: list[FlowNode]
    scope: Scope
    #: For decisions and events: the hidden gateway or boundary event it represents.
    original: FlowNode | None = None
    #: For events: the placeholder they are attached to.
    attached_to: SyntheticNode | None = None
    #: For decisions: the outgoing view edge that is the default flow.
    default: ViewEdge | None = None
    documentation: str = ""
    #: Events attached to this placeholder.
    boundary_events: list[SyntheticNode] = field(default_factory=list)
    #: Number of hidden steps (activities and events, sub-process contents included).
    steps: int = 0
    #: The hidden nodes' lanes (leaf-most, document order).
    lanes: list[Lane] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name

    @property
    def is_gateway(self) -> bool:
        return self.kind.endswith("Gateway")

    @property
    def is_event(self) -> bool:
        return self.kind.endswith("Event")

    def to_dict(self) -> dict:
        out = {
            "id": self.id,
            "role": self.role,
            "kind": self.kind,
            "name": self.name,
            "hidden": [n.id for n in self.hidden],
        }
        if self.role == "placeholder":
            out["steps"] = self.steps
            out["departments"] = [lane.label or lane.id for lane in self.lanes]
        if self.original is not None:
            out["original"] = self.original.id
        if self.attached_to is not None:
            out["attached_to"] = self.attached_to.id
        return out

    def __repr__(self) -> str:
        return f"<{self.role} {self.id} {self.name!r} hides {len(self.hidden)}>"


ViewNode = FlowNode | SyntheticNode


@dataclass(eq=False)
class ViewEdge:
    """A sequence flow of the view.

    ``flow`` is the original flow it carries (name, condition; and its id when
    ``reuse``: the original flow leaves a kept node and stays as it is, only
    perhaps retargeted). Edges between two kept nodes are always the original
    flow, unchanged.
    """

    source: ViewNode
    target: ViewNode
    flow: SequenceFlow | None
    id: str = ""
    reuse: bool = False

    def __repr__(self) -> str:
        return f"<edge {self.id} {self.source.id} -> {self.target.id}>"


@dataclass(eq=False)
class HiddenRegion:
    """One weakly connected set of hidden nodes in one scope, and what replaces it."""

    id: str
    scope: Scope
    nodes: list[FlowNode]
    entries: list[SequenceFlow]
    exits: list[SequenceFlow]
    placeholders: list[SyntheticNode] = field(default_factory=list)
    decisions: list[SyntheticNode] = field(default_factory=list)
    connectors: list[SyntheticNode] = field(default_factory=list)
    events: list[SyntheticNode] = field(default_factory=list)

    @property
    def synthetic(self) -> list[SyntheticNode]:
        """Everything that replaces the region, placeholders first."""
        return [*self.placeholders, *self.decisions, *self.connectors, *self.events]

    @property
    def steps(self) -> int:
        return _count_steps(self.nodes)

    @property
    def lanes(self) -> list[Lane]:
        return _lanes_of(self.nodes)

    @property
    def single_entry_single_exit(self) -> bool:
        return len({id(f.source) for f in self.entries}) <= 1 and len({id(f.target) for f in self.exits}) <= 1

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "scope": self.scope.id,  # type: ignore[attr-defined]
            "nodes": [n.id for n in self.nodes],
            "steps": self.steps,
            "departments": [lane.label or lane.id for lane in self.lanes],
            "entries": [f.id for f in self.entries],
            "exits": [f.id for f in self.exits],
            "placeholders": [p.id for p in self.placeholders],
            "internal_decisions": [d.id for d in self.decisions],
            "connectors": [c.id for c in self.connectors],
            "internal_events": [e.id for e in self.events],
        }


# -- helpers ------------------------------------------------------------------------


def short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


class IdMaker:
    """Deterministic ids that collide with nothing in the document."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def make(self, prefix: str, seed: str) -> str:
        base = f"{prefix}_{short_hash(seed)}"
        candidate = base
        n = 2
        while candidate in self.taken:
            candidate = f"{base}_{n}"
            n += 1
        self.taken.add(candidate)
        return candidate


def _walk_descendants(node: FlowNode) -> list[FlowNode]:
    out: list[FlowNode] = []
    if not isinstance(node, SubProcess):
        return out
    stack: list[SubProcess] = [node]
    while stack:
        scope = stack.pop()
        for child in scope.nodes:
            out.append(child)
            if isinstance(child, SubProcess):
                stack.append(child)
    return out


#: Not steps of their own: they route, start, end or belong to another step.
_NOT_STEPS = frozenset({"startEvent", "endEvent", "boundaryEvent"})


def _is_step(node: FlowNode) -> bool:
    return not node.is_gateway and node.kind not in _NOT_STEPS and not _is_link(node)


def _is_link(node: FlowNode) -> bool:
    """A link event: half of a sequence flow drawn as two events, no step of its own."""
    return is_link_throw(node) or is_link_catch(node)


def _count_steps(nodes: Iterable[FlowNode]) -> int:
    """Activities and intermediate events; a hidden sub-process counts what it contains."""
    count = 0
    for node in nodes:
        inner = _walk_descendants(node)
        inner_steps = sum(1 for n in inner if _is_step(n) and not isinstance(n, SubProcess))
        if inner_steps:
            count += inner_steps
        elif _is_step(node):
            count += 1
    return count


def _lanes_of(nodes: Iterable[FlowNode]) -> list[Lane]:
    seen: dict[int, Lane] = {}
    for node in nodes:
        for n in (node, *_walk_descendants(node)):
            lane = effective_lane(n) if not _is_link(n) else None
            if lane is not None:
                seen.setdefault(id(lane), lane)
    return list(seen.values())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _node_line(node: FlowNode, depth: int = 0) -> str:
    lane = effective_lane(node)
    where = f" [{lane.path}]" if lane is not None else ""
    name = f": {node.label}" if node.label else ""
    return f"{'  ' * depth}- {node.id} ({node.kind}){name}{where}"


def _hidden_listing(nodes: list[FlowNode]) -> str:
    lines: list[str] = []
    for node in nodes:
        lines.append(_node_line(node))
        if isinstance(node, SubProcess):
            # Explicit stack of (node, depth) so deep nesting needs no recursion.
            stack = [(child, 1) for child in reversed(node.nodes)]
            while stack:
                child, depth = stack.pop()
                lines.append(_node_line(child, depth))
                if isinstance(child, SubProcess):
                    stack.extend((c, depth + 1) for c in reversed(child.nodes))
    return "\n".join(lines)


# -- strongly connected components (iterative Tarjan) ------------------------------


def _scc(n: int, succ: list[list[int]]) -> tuple[list[int], list[list[int]]]:
    """Component index of every vertex, and the components sinks-first."""
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, pos = work[-1]
            edges = succ[v]
            if pos < len(edges):
                work[-1] = (v, pos + 1)
                w = edges[pos]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = len(comps)
                    members.append(w)
                    if w == v:
                        break
                comps.append(members)
    return comp, comps


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index (earlier in document order) is the root: deterministic.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


# -- the quotient graph --------------------------------------------------------------


@dataclass(eq=False)
class _QNode:
    """A node of the reduced graph during reduction: kept, or a class of hidden nodes."""

    kept: FlowNode | None = None
    role: str = "placeholder"  # placeholder | connector | decision | event | kept
    members: list[int] = field(default_factory=list)  # local indices, hidden nodes
    original: FlowNode | None = None
    host: _QNode | None = None
    attached: list[_QNode] = field(default_factory=list)
    ins: list[_QEdge] = field(default_factory=list)
    outs: list[_QEdge] = field(default_factory=list)
    alive: bool = True
    order: int = 0  # document position for deterministic ordering
    #: For deduplicating sources: target -> the live edge to it.
    out_index: dict[int, _QEdge] = field(default_factory=dict)

    @property
    def dedupe(self) -> bool:
        """Flows out of a class are merged per target; flows out of kept nodes,
        decisions and events each stay (they carry names and conditions)."""
        return self.role in ("placeholder", "connector")


@dataclass(eq=False)
class _QEdge:
    source: _QNode
    target: _QNode
    flow: SequenceFlow | None
    alive: bool = True


class _Reducer:
    def __init__(self) -> None:
        self.nodes: list[_QNode] = []

    def add_edge(self, source: _QNode, target: _QNode, flow: SequenceFlow | None) -> _QEdge | None:
        if source.dedupe:
            if source is target and source.role == "placeholder":
                # Hidden work looping onto itself is invisible to the customer.
                return None
            existing = source.out_index.get(id(target))
            if existing is not None and existing.alive:
                return None
        edge = _QEdge(source, target, flow)
        source.outs.append(edge)
        target.ins.append(edge)
        if source.dedupe:
            source.out_index[id(target)] = edge
        return edge

    @staticmethod
    def live(edges: list[_QEdge]) -> list[_QEdge]:
        return [e for e in edges if e.alive]

    def compact(self, node: _QNode) -> None:
        node.ins = self.live(node.ins)
        node.outs = self.live(node.outs)

    def run(self) -> None:
        changed = True
        while changed:
            changed = self._local()
            changed = self._parallel() or changed

    def _local(self) -> bool:
        """Drop 1-in/1-out gateways and merge placeholders in series, to a fixpoint."""
        any_change = False
        work = [n for n in self.nodes if n.role != "kept"]
        while work:
            node = work.pop()
            if not node.alive:
                continue
            self.compact(node)
            if (node.role in ("connector", "decision") and node.ins
                    and all(e.source is node for e in node.ins) and all(e.target is node for e in node.outs)):
                # A gateway that only loops onto itself (what led in and out was
                # dropped around it) joins and decides nothing: it goes too.
                for edge in node.ins:
                    edge.alive = False
                node.alive = False
                any_change = True
                continue
            if node.role in ("connector", "decision") and len(node.ins) == 1 and len(node.outs) == 1:
                incoming, outgoing = node.ins[0], node.outs[0]
                if incoming.source is node or outgoing.target is node:
                    continue  # a gateway looping onto itself: leave it
                incoming.alive = outgoing.alive = False
                node.alive = False
                source, target = incoming.source, outgoing.target
                # The dropped gateway is still hidden work's shape: a neighbouring
                # placeholder lists it among what it stands for.
                for neighbour in (source, target):
                    if neighbour.role == "placeholder":
                        neighbour.members.extend(node.members)
                        break
                self.add_edge(source, target, incoming.flow)
                any_change = True
                for other in (source, target):
                    if other.role != "kept":
                        work.append(other)
                continue
            if node.role == "connector" and not node.ins and not node.outs:
                node.alive = False
                any_change = True
                continue
            if node.role == "placeholder" and len(node.outs) == 1:
                edge = node.outs[0]
                nxt = edge.target
                if nxt is not node and nxt.role == "placeholder" and nxt.alive:
                    self.compact(nxt)
                    if len(nxt.ins) == 1:
                        self._merge_into(node, nxt, skip=edge)
                        any_change = True
                        work.append(node)
                        continue
            if node.role == "placeholder" and len(node.ins) == 1:
                prev = node.ins[0].source
                if prev is not node and prev.role == "placeholder" and prev.alive:
                    self.compact(prev)
                    if len(prev.outs) == 1:
                        work.append(prev)
        return any_change

    def _merge_into(self, keep: _QNode, gone: _QNode, skip: _QEdge | None = None) -> None:
        """Merge ``gone`` into ``keep`` (both placeholders); edges move to ``keep``."""
        if skip is not None:
            skip.alive = False
        gone.alive = False
        keep.members.extend(gone.members)
        keep.order = min(keep.order, gone.order)
        for event in gone.attached:
            event.host = keep
            keep.attached.append(event)
        gone.attached = []
        for edge in gone.ins:
            if not edge.alive:
                continue
            edge.alive = False
            source = keep if edge.source is gone else edge.source
            self.add_edge(source, keep, edge.flow)
        for edge in gone.outs:
            if not edge.alive:
                continue
            edge.alive = False
            target = keep if edge.target is gone else edge.target
            self.add_edge(keep, target, edge.flow)
        self.compact(keep)

    def _parallel(self) -> bool:
        """Merge placeholders with the same predecessors and the same successors."""
        groups: dict[tuple, list[_QNode]] = {}
        for node in self.nodes:
            if not node.alive or node.role != "placeholder":
                continue
            self.compact(node)
            if not node.ins and not node.outs:
                continue
            if any(e.source is node for e in node.ins):
                continue  # self-loops make "the same neighbours" ambiguous
            if node.attached:
                continue  # its boundary events make it an outcome of its own
            key = (
                tuple(sorted({id(e.source) for e in node.ins})),
                tuple(sorted({id(e.target) for e in node.outs})),
            )
            groups.setdefault(key, []).append(node)
        changed = False
        for members in groups.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda n: n.order)
            keep = members[0]
            for other in members[1:]:
                self._merge_into(keep, other)
                changed = True
        return changed


@dataclass
class ScopeResult:
    regions: list[HiddenRegion]
    #: Every sequence flow of the view in this scope (kept ones and new ones).
    edges: list[ViewEdge]


def reduce_scope(
    scope: Scope,
    is_kept: Callable[[FlowNode], bool],
    ids: IdMaker,
    *,
    flows: Iterable[SequenceFlow] | None = None,
    region_prefix: str = "HiddenRegion",
    jumps: dict[int, list[FlowNode]] | None = None,
) -> ScopeResult:
    """Compute the hidden regions of one scope and the view's flows there.

    ``is_kept`` decides for each direct node of the scope; boundary events must
    already follow their hosts. ``flows`` are the sequence flows between the
    scope's nodes (default: those written inside the scope element; some tools
    write a sub-process's flows into the enclosing process instead).
    ``jumps`` lead from link throw events to their catch events (by ``id()``
    of the throw): a path goes on there as along a flow. A link pair must be
    kept or hidden as a whole.
    """
    jumps = jumps or {}
    nodes = list(scope.nodes)
    member = {id(n) for n in nodes}
    flows = [
        f
        for f in (scope.flows if flows is None else flows)
        if f.source is not None and f.target is not None and id(f.source) in member and id(f.target) in member
    ]
    kept_flag = {id(n): bool(is_kept(n)) for n in nodes}
    edges: list[ViewEdge] = []
    # Flows between kept nodes stay as they are.
    for flow in flows:
        if kept_flag[id(flow.source)] and kept_flag[id(flow.target)]:
            edges.append(ViewEdge(flow.source, flow.target, flow, flow.id or "", True))  # type: ignore[arg-type]

    hidden = [n for n in nodes if not kept_flag[id(n)]]
    if not hidden:
        return ScopeResult([], edges)

    # Weakly connected components of the hidden nodes (flows and attachments).
    adjacency: dict[int, list[FlowNode]] = {id(n): [] for n in hidden}
    for flow in flows:
        s, t = flow.source, flow.target
        if not kept_flag[id(s)] and not kept_flag[id(t)]:
            adjacency[id(s)].append(t)  # type: ignore[arg-type]
            adjacency[id(t)].append(s)  # type: ignore[arg-type]
    for node in hidden:
        host = node.attached_to
        if host is not None and id(host) in member and not kept_flag[id(host)]:
            adjacency[id(node)].append(host)
            adjacency[id(host)].append(node)
        for catch in jumps.get(id(node), ()):
            if id(catch) in member and not kept_flag[id(catch)]:
                adjacency[id(node)].append(catch)
                adjacency[id(catch)].append(node)
    region_of: dict[int, int] = {}
    groups: list[list[FlowNode]] = []
    for node in hidden:
        if id(node) in region_of:
            continue
        number = len(groups)
        group: list[FlowNode] = []
        region_of[id(node)] = number
        stack = [node]
        while stack:
            current = stack.pop()
            group.append(current)
            for other in adjacency[id(current)]:
                if id(other) not in region_of:
                    region_of[id(other)] = number
                    stack.append(other)
        groups.append(group)
    position = {id(n): i for i, n in enumerate(nodes)}
    for group in groups:
        group.sort(key=lambda n: position[id(n)])

    flows_by_region: list[list[SequenceFlow]] = [[] for _ in groups]
    for flow in flows:
        s, t = flow.source, flow.target
        if not kept_flag[id(s)]:
            flows_by_region[region_of[id(s)]].append(flow)
        elif not kept_flag[id(t)]:
            flows_by_region[region_of[id(t)]].append(flow)

    regions: list[HiddenRegion] = []
    for group, region_flows in zip(groups, flows_by_region):
        region, region_edges = _reduce_region(scope, group, region_flows, kept_flag, ids, region_prefix, jumps)
        regions.append(region)
        edges.extend(region_edges)
    return ScopeResult(regions, edges)


def _reduce_region(
    scope: Scope,
    group: list[FlowNode],
    flows: list[SequenceFlow],
    kept_flag: dict[int, bool],
    ids: IdMaker,
    region_prefix: str,
    jumps: dict[int, list[FlowNode]],
) -> tuple[HiddenRegion, list[ViewEdge]]:
    n = len(group)
    local = {id(node): i for i, node in enumerate(group)}
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    internal: list[tuple[int, int, SequenceFlow | None]] = []
    exits: list[list[tuple[FlowNode, SequenceFlow]]] = [[] for _ in range(n)]
    entries: list[list[tuple[FlowNode, SequenceFlow]]] = [[] for _ in range(n)]
    entry_flows: list[SequenceFlow] = []
    exit_flows: list[SequenceFlow] = []
    out_degree = [0] * n
    in_degree = [0] * n
    for flow in flows:
        s, t = flow.source, flow.target
        si, ti = local.get(id(s)), local.get(id(t))
        if si is not None:
            out_degree[si] += 1
        if ti is not None:
            in_degree[ti] += 1
        if si is not None and ti is not None:
            succ[si].append(ti)
            pred[ti].append(si)
            internal.append((si, ti, flow))
        elif si is not None:
            exits[si].append((t, flow))  # type: ignore[arg-type]
            exit_flows.append(flow)
        elif ti is not None:
            entries[ti].append((s, flow))  # type: ignore[arg-type]
            entry_flows.append(flow)
    for i, node in enumerate(group):
        host = node.attached_to
        if host is not None and id(host) in local:
            h = local[id(host)]
            succ[h].append(i)
            pred[i].append(h)
            internal.append((h, i, None))
    # Link events: the path goes on from a throw to its catches, without a flow.
    leaps: list[tuple[int, int]] = []
    for i, node in enumerate(group):
        for catch in jumps.get(id(node), ()):
            j = local.get(id(catch))
            if j is not None:
                succ[i].append(j)
                pred[j].append(i)
                out_degree[i] += 1
                in_degree[j] += 1
                internal.append((i, j, None))
                leaps.append((i, j))

    # Terminal bits: kept exit targets and kept entry sources, by object.
    bit_of: dict[tuple[str, int], int] = {}

    def bit(kind: str, obj: object) -> int:
        key = (kind, id(obj))
        b = bit_of.get(key)
        if b is None:
            b = bit_of[key] = 1 << len(bit_of)
        return b

    exit_bits = [0] * n
    entry_bits = [0] * n
    for i in range(n):
        for target, _ in exits[i]:
            exit_bits[i] |= bit("x", target)
        for source, _ in entries[i]:
            entry_bits[i] |= bit("e", source)

    comp, comps = _scc(n, succ)

    def propagate(pinned_bits: list[int]) -> tuple[list[int], list[int]]:
        """Per component: terminals reachable (out) and reaching (in)."""
        out = [0] * len(comps)
        for c, members in enumerate(comps):  # sinks first
            value = 0
            for u in members:
                value |= exit_bits[u]
                for w in succ[u]:
                    value |= pinned_bits[w]
                    cw = comp[w]
                    if cw != c:
                        value |= out[cw]
            out[c] = value
        inn = [0] * len(comps)
        for c in range(len(comps) - 1, -1, -1):  # sources first
            value = 0
            for u in comps[c]:
                value |= entry_bits[u]
                for w in pred[u]:
                    value |= pinned_bits[w]
                    cw = comp[w]
                    if cw != c:
                        value |= inn[cw]
            inn[c] = value
        return inn, out

    none_pinned = [0] * n
    _, out1 = propagate(none_pinned)

    def exits_out(i: int) -> int:
        return out1[comp[i]]

    role: list[str] = ["" for _ in range(n)]
    for i, node in enumerate(group):
        if node.is_gateway:
            if node.kind != "parallelGateway" and out_degree[i] >= 2:
                outcomes = set()
                for w in succ[i]:
                    outcomes.add(out1[comp[w]])
                for target, _ in exits[i]:
                    outcomes.add(bit("x", target))
                if len(outcomes) > 1:
                    role[i] = "decision"
                    continue
            if node.kind in _SYNCHRONISING and in_degree[i] >= 2:
                role[i] = "connector"  # a synchronising join: pinned
        elif node.kind == "boundaryEvent":
            host = node.attached_to
            if host is not None and id(host) in local and exits_out(i) != exits_out(local[id(host)]):
                role[i] = "event"

    def pinned_bits_now() -> list[int]:
        return [bit("p", group[i]) if role[i] else 0 for i in range(n)]

    # Pin boundary events whose signature still differs from their host's:
    # they cannot be merged into the host's class, and an attachment is not a flow.
    while True:
        pinned_bits = pinned_bits_now()
        inn, out = propagate(pinned_bits)
        changed = False
        for i, node in enumerate(group):
            if role[i] or node.kind != "boundaryEvent":
                continue
            host = node.attached_to
            if host is None or id(host) not in local:
                continue
            h = local[id(host)]
            if (inn[comp[i]], out[comp[i]]) != (inn[comp[h]], out[comp[h]]) and not role[h]:
                role[i] = "event"
                changed = True
        if not changed:
            break

    sig = [(inn[comp[i]], out[comp[i]]) for i in range(n)]
    uf = _UnionFind(n)
    for s, t, _flow in internal:
        if not role[s] and not role[t] and sig[s] == sig[t]:
            uf.union(s, t)

    # Build the quotient graph.
    reducer = _Reducer()
    qnode_of: list[_QNode | None] = [None] * n
    for i in range(n):
        if role[i]:
            q = _QNode(role=role[i], members=[i], original=group[i], order=i)
            reducer.nodes.append(q)
            qnode_of[i] = q
    classes: dict[int, _QNode] = {}
    for i in range(n):
        if role[i]:
            continue
        root = uf.find(i)
        q = classes.get(root)
        if q is None:
            q = classes[root] = _QNode(role="placeholder", members=[], order=i)
            reducer.nodes.append(q)
        q.members.append(i)
        qnode_of[i] = q
    for q in classes.values():
        if all(group[i].is_gateway for i in q.members):
            q.role = "connector"
    kept_nodes: dict[int, _QNode] = {}

    def image(node: FlowNode) -> _QNode:
        i = local.get(id(node))
        if i is not None:
            return qnode_of[i]  # type: ignore[return-value]
        q = kept_nodes.get(id(node))
        if q is None:
            q = kept_nodes[id(node)] = _QNode(kept=node, role="kept")
            reducer.nodes.append(q)
        return q

    for i, node in enumerate(group):
        if role[i] == "event":
            host = node.attached_to
            q = qnode_of[i]
            assert q is not None and host is not None
            q.host = qnode_of[local[id(host)]]
            q.host.attached.append(q)  # type: ignore[union-attr]
    for flow in flows:
        source, target = image(flow.source), image(flow.target)  # type: ignore[arg-type]
        if source is target and source.role in ("placeholder", "connector"):
            continue  # inside one class
        reducer.add_edge(source, target, flow)
    for i, j in leaps:
        source, target = qnode_of[i], qnode_of[j]
        if source is target and source.role in ("placeholder", "connector"):  # type: ignore[union-attr]
            continue
        reducer.add_edge(source, target, None)  # type: ignore[arg-type]

    reducer.run()

    # Name the survivors and emit the view's flows.
    region_id = ids.make(region_prefix, " ".join(node.id or f"#{i}" for i, node in enumerate(group)))
    region = HiddenRegion(region_id, scope, list(group), entry_flows, exit_flows)
    synthetic_of: dict[int, SyntheticNode] = {}
    survivors = sorted((q for q in reducer.nodes if q.alive and q.role != "kept"), key=lambda q: q.order)
    for q in survivors:
        q.members.sort()
        hidden_nodes = [group[i] for i in q.members]
        synthetic = _make_synthetic(q, hidden_nodes, scope, ids)
        synthetic_of[id(q)] = synthetic
        {
            "placeholder": region.placeholders,
            "decision": region.decisions,
            "connector": region.connectors,
            "event": region.events,
        }[q.role].append(synthetic)
    for q in survivors:
        if q.role == "event" and q.host is not None:
            synthetic = synthetic_of[id(q)]
            host = synthetic_of.get(id(q.host))
            synthetic.attached_to = host
            if host is not None:
                host.boundary_events.append(synthetic)

    def view_node(q: _QNode) -> ViewNode:
        return q.kept if q.kept is not None else synthetic_of[id(q)]

    view_edges: list[ViewEdge] = []
    for q in [*survivors, *kept_nodes.values()]:
        for edge in q.outs:
            if not edge.alive:
                continue
            source, target = view_node(edge.source), view_node(edge.target)
            flow = edge.flow
            reuse = flow is not None and isinstance(source, FlowNode) and flow.source is source
            if reuse:
                view_edge = ViewEdge(source, target, flow, flow.id or "", True)  # type: ignore[union-attr]
            else:
                seed = f"{source.id}>{target.id}>{flow.id if flow is not None else ''}"
                label_flow = flow if flow is not None and _carries_label(edge.source, flow) else None
                view_edge = ViewEdge(source, target, label_flow, ids.make("Flow", seed), False)
            view_edges.append(view_edge)
            if isinstance(source, SyntheticNode) and source.role == "decision":
                original = source.original
                if original is not None and original.default is not None and flow is original.default:
                    source.default = view_edge
    return region, view_edges


def _carries_label(source: _QNode, flow: SequenceFlow) -> bool:
    """Keep a flow's name and condition when its source is the node that owns them."""
    return source.role in ("decision", "event") and source.original is flow.source


def _make_synthetic(q: _QNode, hidden: list[FlowNode], scope: Scope, ids: IdMaker) -> SyntheticNode:
    seed = " ".join(n.id or "?" for n in hidden)
    if q.role == "placeholder":
        steps = _count_steps(hidden)
        lanes = _lanes_of(hidden)
        parts = [_plural(steps, "step")] if steps else []
        if lanes:
            parts.append(_plural(len({lane.path for lane in lanes}), "department"))
        name = "Internal processing" + (": " + ", ".join(parts) if parts else "")
        doc = (
            f"Stands for {_plural(steps, 'step')} the customer does not see "
            f"(hidden by bpmn-cx view):\n{_hidden_listing(hidden)}"
        )
        node = SyntheticNode(ids.make("Placeholder", seed), "subProcess", "placeholder", name, hidden,
                             scope, documentation=doc, steps=steps, lanes=lanes)
        return node
    if q.role == "decision":
        original = q.original
        assert original is not None
        kind = original.kind if original.kind != "eventBasedGateway" else "exclusiveGateway"
        name = f"Internal decision: {original.label}" if original.label else "Internal decision"
        lane = effective_lane(original)
        where = f" in {lane.path}" if lane is not None else ""
        doc = (
            f"A decision taken behind the line of visibility{where}: it stands for the hidden "
            f"gateway {original.id}" + (f" ({original.label})" if original.label else "")
            + ". Its outcomes lead to different things the customer sees."
        )
        return SyntheticNode(ids.make("InternalDecision", seed), kind, "decision", name, hidden, scope,
                             original=original, documentation=doc, lanes=_lanes_of(hidden))
    if q.role == "event":
        original = q.original
        assert original is not None
        name = f"Internal: {original.label}" if original.label else "Internal event"
        doc = (
            f"Stands for the hidden boundary event {original.id}"
            + (f" ({original.label})" if original.label else "")
            + f" on {original.attached_to.id if original.attached_to is not None else '?'}: hidden work "
            "can end this way, which the customer notices."
        )
        return SyntheticNode(ids.make("InternalEvent", seed), "boundaryEvent", "event", name, hidden, scope,
                             original=original, documentation=doc, lanes=_lanes_of(hidden))
    # connector
    first = hidden[0]
    kind = first.kind if first.kind != "eventBasedGateway" else "exclusiveGateway"
    doc = "Stands for the hidden gateway(s) " + ", ".join(n.id or "?" for n in hidden) + "."
    return SyntheticNode(ids.make("Gateway", "connector " + seed), kind, "connector", "", hidden, scope,
                         original=first, documentation=doc, lanes=_lanes_of(hidden))


__all__ = [
    "HiddenRegion",
    "IdMaker",
    "ScopeResult",
    "SyntheticNode",
    "ViewEdge",
    "ViewNode",
    "reduce_scope",
    "short_hash",
]
