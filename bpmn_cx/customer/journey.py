"""Handoffs along the provider's work, and the order the customer lives things in.

The *journey graph* extends the :class:`~bpmn_cx.customer.analysis.ActivityGraph`
of every scope into one graph over the whole model:

* an anchor (activity, start, end or boundary event) leads to the anchors its
  :meth:`~bpmn_cx.customer.analysis.ActivityGraph.links_from` reach (paths
  through gateways and intermediate events only);
* an activity leads to its boundary events (they are part of its work);
* a sub-process with content is entered at its start nodes, and the last
  anchors inside it (those with no link onwards) lead to a virtual *exit*
  from which the sub-process's own links leave. A path through a sub-process
  therefore counts the handoffs inside it too. Event sub-processes are not
  entered from outside: their start events begin paths of their own.

A **handoff** is a link between two provider anchors that do work (an
activity, or a boundary event standing for its host's work, as source; an
activity as target) whose owning lanes (:func:`~bpmn_cx.customer.scope.effective_lane`)
are different and both known. Links to and from the customer are touchpoints,
not handoffs; nodes without a lane hand nothing over to anybody.

Cycles are cut by an iterative depth-first search (roots first, then the
rest in document order); the edges it finds closing a cycle are the *back
edges*. The longest and shortest paths are then dynamic programmes over the
remaining acyclic graph: linear in its size. Link events (throw to catch
by name) and compensation are not followed.

The graph is built once per :class:`CustomerAnalysis` and cached on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.flow import is_event_subprocess, scope_starts
from ..model import FlowNode, Lane, Participant, Process, SequenceFlow, SubProcess, describe
from .analysis import ActivityGraph, CustomerAnalysis, Link, Touchpoint, is_work_free
from .scope import effective_lane, normalize_name


@dataclass(frozen=True)
class Handoff:
    """An edge of the activity graph between two provider activities in different leaf lanes."""

    source: FlowNode
    target: FlowNode
    from_lane: Lane
    to_lane: Lane
    link: Link


class _Exit:
    """Where the path leaves a sub-process after its inner work (not a flow node)."""

    __slots__ = ("subprocess",)

    def __init__(self, subprocess: SubProcess) -> None:
        self.subprocess = subprocess


@dataclass
class JourneyGraph:
    """The journey graph of one analysis, indexed by small integers.

    ``nodes[i]`` is an anchor (a :class:`FlowNode`) or a sub-process exit;
    ``succ[i]`` holds ``(j, handoff_or_None)`` pairs; ``order`` is a
    topological order of all indices once the ``back`` edges are removed.
    """

    analysis: CustomerAnalysis
    nodes: list[FlowNode | _Exit] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)
    succ: list[list[tuple[int, Handoff | None]]] = field(default_factory=list)
    #: The provider lane of each index (``None``: customer node, or no lane).
    lanes: list[Lane | None] = field(default_factory=list)
    order: list[int] = field(default_factory=list)
    back: set[tuple[int, int]] = field(default_factory=set)
    handoffs: list[Handoff] = field(default_factory=list)
    #: Position of each index in ``order``.
    position: list[int] = field(default_factory=list)
    _longest: tuple[list[int], list] | None = field(default=None, repr=False)

    # -- queries ---------------------------------------------------------
    def process_of(self, i: int) -> Process | None:
        node = self.nodes[i]
        if isinstance(node, _Exit):
            node = node.subprocess
        return node.process

    def node_of(self, i: int) -> FlowNode:
        """The flow node of an index (a sub-process for its exit)."""
        node = self.nodes[i]
        return node.subprocess if isinstance(node, _Exit) else node

    def forward_edges(self, i: int) -> Iterable[tuple[int, Handoff | None]]:
        back = self.back
        for j, handoff in self.succ[i]:
            if (i, j) not in back:
                yield j, handoff

    # -- construction ----------------------------------------------------
    @classmethod
    def build(cls, analysis: CustomerAnalysis) -> JourneyGraph:
        journey = cls(analysis)
        journey._build()
        journey._sort()
        return journey

    def _add(self, node: FlowNode | _Exit) -> int:
        i = len(self.nodes)
        self.nodes.append(node)
        self.index[id(node)] = i
        self.succ.append([])
        flow_node = node.subprocess if isinstance(node, _Exit) else node
        lane = None if self.analysis.is_customer(flow_node) else effective_lane(flow_node)
        self.lanes.append(lane)
        return i

    def _lanes_if_handoff(self, source: FlowNode, target: FlowNode) -> tuple[Lane, Lane] | None:
        if not target.is_activity:
            return None
        if not (source.is_activity or (source.kind == "boundaryEvent" and source.attached_to is not None)):
            return None
        analysis = self.analysis
        if analysis.is_customer(source) or analysis.is_customer(target):
            return None
        from_lane, to_lane = effective_lane(source), effective_lane(target)
        if from_lane is None or to_lane is None or from_lane is to_lane:
            return None
        return from_lane, to_lane

    def _handoff(self, link: Link) -> Handoff | None:
        lanes = self._lanes_if_handoff(link.source, link.target)
        if lanes is None:
            return None
        return Handoff(link.source, link.target, lanes[0], lanes[1], link)

    def _direct_handoff(self, source: FlowNode, target: FlowNode, flow: SequenceFlow) -> Handoff | None:
        lanes = self._lanes_if_handoff(source, target)
        if lanes is None:
            return None
        return Handoff(source, target, lanes[0], lanes[1], Link(source, target, (), (flow,)))

    def _build(self) -> None:
        analysis = self.analysis
        graph = analysis.activity_graph or ActivityGraph(analysis.model)
        anchors = [n for n in analysis.model.flow_nodes if not is_work_free(n)]
        exits: dict[int, int] = {}
        for node in anchors:
            self._add(node)
        for node in anchors:
            if isinstance(node, SubProcess) and node.nodes:
                exits[id(node)] = self._add(_Exit(node))
        index = self.index

        def anchors_from(start: FlowNode) -> list[FlowNode]:
            if not is_work_free(start):
                return [start]
            return [link.target for link in graph.links_from(start)]

        for node in anchors:
            i = index[id(node)]
            out_i = exits.get(id(node), i)
            out = self.succ[out_i]
            direct = True
            for flow in node.outgoing:
                target = flow.target
                if target is not None and id(target) not in index:
                    direct = False  # a work-free node: walk through it
                    break
            if direct:
                # The common case, without building a Link per edge: flows
                # straight to anchors (each target once, as links_from does).
                targets: set[int] = set()
                for flow in node.outgoing:
                    target = flow.target
                    if target is None or id(target) in targets:
                        continue
                    targets.add(id(target))
                    handoff = self._direct_handoff(node, target, flow)
                    if handoff is not None:
                        self.handoffs.append(handoff)
                    out.append((index[id(target)], handoff))
            else:
                for link in graph.links_from(node):
                    handoff = self._handoff(link)
                    if handoff is not None:
                        self.handoffs.append(handoff)
                    out.append((index[id(link.target)], handoff))
            for boundary in node.boundary_events:
                j = index.get(id(boundary))
                if j is not None:
                    self.succ[i].append((j, None))
            exit_i = exits.get(id(node))
            if exit_i is None:
                continue
            assert isinstance(node, SubProcess)
            entered = False
            seen: set[int] = set()
            for start in scope_starts(node):
                if is_event_subprocess(start):
                    continue
                for first in anchors_from(start):
                    j = index[id(first)]
                    if j not in seen:
                        seen.add(j)
                        self.succ[i].append((j, None))
                        entered = True
            if not entered:
                self.succ[i].append((exit_i, None))
            for inner in node.nodes:
                if is_work_free(inner) or is_event_subprocess(inner):
                    continue
                if not graph.links_from(inner):
                    self.succ[exits.get(id(inner), index[id(inner)])].append((exit_i, None))

    def _sort(self) -> None:
        """Iterative DFS: reverse post-order, and the edges that close a cycle."""
        n = len(self.nodes)
        indegree = [0] * n
        for out in self.succ:
            for j, _ in out:
                indegree[j] += 1
        state = [0] * n  # 0 new, 1 on the stack, 2 done
        post: list[int] = []
        back = self.back
        succ = self.succ
        # Roots last-to-first so that, in reverse post-order, the first root's
        # nodes come first; nodes on cycles no root reaches are visited after.
        starts = [i for i in reversed(range(n)) if indegree[i] == 0]
        starts.extend(i for i in range(n) if indegree[i] != 0)
        for root in starts:
            if state[root]:
                continue
            state[root] = 1
            stack: list[tuple[int, int]] = [(root, 0)]
            while stack:
                i, k = stack[-1]
                out = succ[i]
                if k < len(out):
                    stack[-1] = (i, k + 1)
                    j = out[k][0]
                    if state[j] == 0:
                        state[j] = 1
                        stack.append((j, 0))
                    elif state[j] == 1:
                        back.add((i, j))
                else:
                    stack.pop()
                    state[i] = 2
                    post.append(i)
        post.reverse()
        self.order = post
        position = [0] * n
        for p, i in enumerate(post):
            position[i] = p
        self.position = position

    # -- dynamic programmes ------------------------------------------------
    def longest(self) -> tuple[list[int], list[tuple[int, Handoff | None] | None]]:
        """Most handoffs on a path ending at each index, with the step that achieved it (cached)."""
        if self._longest is not None:
            return self._longest
        n = len(self.nodes)
        best = [0] * n
        parent: list[tuple[int, Handoff | None] | None] = [None] * n
        for i in self.order:
            here = best[i]
            for j, handoff in self.forward_edges(i):
                value = here + (handoff is not None)
                if value > best[j]:
                    best[j] = value
                    parent[j] = (i, handoff)
        self._longest = (best, parent)
        return best, parent

    def path_to(self, end: int, parent: list[tuple[int, Handoff | None] | None]) -> list[Handoff]:
        """The handoffs on the recorded best path ending at ``end``, in order."""
        out: list[Handoff] = []
        i: int | None = end
        guard = len(self.nodes) + 1
        while i is not None and guard:
            guard -= 1
            step = parent[i]
            if step is None:
                break
            i, handoff = step
            if handoff is not None:
                out.append(handoff)
        out.reverse()
        return out


def journey_graph(analysis: CustomerAnalysis) -> JourneyGraph:
    """The journey graph of ``analysis``, built once and cached on it."""
    cached = analysis.__dict__.get("_journey_graph")
    if cached is None:
        cached = JourneyGraph.build(analysis)
        analysis.__dict__["_journey_graph"] = cached
    return cached


def handoffs(analysis: CustomerAnalysis) -> list[Handoff]:
    """Every handoff of the model, in document order of the source."""
    return list(journey_graph(analysis).handoffs)


def acyclic_order(analysis: CustomerAnalysis) -> tuple[list[FlowNode], set[tuple[int, int]]]:
    """The anchors in a topological order once the back edges are removed, and those edges.

    Back edges are ``(id(source), id(target))``; a sub-process exit stands in
    for the sub-process as the source of the links that leave it.
    """
    journey = journey_graph(analysis)
    nodes = journey.nodes
    order = [node for i in journey.order if isinstance(node := nodes[i], FlowNode)]
    back = {(id(journey.node_of(i)), id(journey.node_of(j))) for i, j in journey.back}
    return order, back


def lane_sequence(path: Iterable[Handoff]) -> list[Lane]:
    """The lanes a path's work passes through, in order (from its handoffs)."""
    lanes: list[Lane] = []
    for handoff in path:
        if not lanes or lanes[-1] is not handoff.from_lane:
            lanes.append(handoff.from_lane)
        lanes.append(handoff.to_lane)
    return lanes


def worst_paths(analysis: CustomerAnalysis) -> dict[int, list[Handoff]]:
    """For each provider process (by ``id``): the handoffs of one path with the most of them.

    Processes without handoffs are left out.
    """
    journey = journey_graph(analysis)
    best, parent = journey.longest()
    top: dict[int, int] = {}
    for i in journey.order:
        process = journey.process_of(i)
        if process is None or best[i] == 0:
            continue
        key = id(process)
        current = top.get(key)
        if current is None or best[i] > best[current]:
            top[key] = i
    return {key: journey.path_to(i, parent) for key, i in top.items()}


def max_handoff_path(analysis: CustomerAnalysis) -> list[Handoff]:
    """The handoffs of one start-to-end path with the most handoffs."""
    journey = journey_graph(analysis)
    best, parent = journey.longest()
    if not best:
        return []
    end = max(journey.order, key=lambda i: (best[i], -journey.position[i]))
    return journey.path_to(end, parent) if best[end] else []


def max_handoffs(analysis: CustomerAnalysis) -> tuple[int, list[Lane]]:
    """The most handoffs on one start-to-end path, and that path's lanes in order."""
    path = max_handoff_path(analysis)
    return len(path), lane_sequence(path)


def min_handoffs(analysis: CustomerAnalysis) -> int:
    """The fewest handoffs on a path from a start of a provider process to an end.

    Starts are the nodes of a top-level provider scope with nothing before
    them once cycles are cut (event sub-processes excepted); ends are nodes
    with nothing after them. 0 when there is no such path.
    """
    journey = journey_graph(analysis)
    n = len(journey.nodes)
    if not n:
        return 0
    customer_processes = {id(p) for p in analysis.scope.processes}
    indegree = [0] * n
    for i in range(n):
        for j, _ in journey.forward_edges(i):
            indegree[j] += 1
    inf = n + 1
    best = [inf] * n
    for i in range(n):
        node = journey.nodes[i]
        if indegree[i] or isinstance(node, _Exit) or not isinstance(node.scope, Process):
            continue
        if id(node.scope) in customer_processes or is_event_subprocess(node):
            continue
        best[i] = 0
    result = inf
    for i in journey.order:
        here = best[i]
        if here == inf:
            continue
        if not journey.succ[i]:
            result = min(result, here)
        for j, handoff in journey.forward_edges(i):
            value = here + (handoff is not None)
            if value < best[j]:
                best[j] = value
    return 0 if result == inf else result


def journey_positions(analysis: CustomerAnalysis) -> dict[int, int]:
    """A position for every flow node (by ``id``) in the order a case meets it.

    A topological order of sequence flows, boundary events and sub-process
    nesting (a sub-process's content comes right after it), with cycles cut
    by depth-first search: good for listing touchpoints "in journey order".
    """
    cached = analysis.__dict__.get("_journey_positions")
    if cached is not None:
        return cached
    model = analysis.model
    nodes = model.flow_nodes
    index = {id(node): i for i, node in enumerate(nodes)}
    n = len(nodes)
    succ: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for i, node in enumerate(nodes):
        out = succ[i]
        for flow in node.outgoing:
            target = flow.target
            if target is not None and id(target) in index:
                out.append(index[id(target)])
        for boundary in node.boundary_events:
            if id(boundary) in index:
                out.append(index[id(boundary)])
        if isinstance(node, SubProcess):
            for inner in scope_starts(node):
                out.append(index[id(inner)])
        for j in out:
            indegree[j] += 1
    state = [0] * n
    post: list[int] = []
    starts = [i for i in reversed(range(n)) if indegree[i] == 0]
    starts.extend(i for i in range(n) if indegree[i] != 0)
    for root in starts:
        if state[root]:
            continue
        state[root] = 1
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            i, k = stack[-1]
            out = succ[i]
            if k < len(out):
                stack[-1] = (i, k + 1)
                j = out[k]
                if state[j] == 0:
                    state[j] = 1
                    stack.append((j, 0))
            else:
                stack.pop()
                state[i] = 2
                post.append(i)
    post.reverse()
    positions = {id(nodes[i]): p for p, i in enumerate(post)}
    analysis.__dict__["_journey_positions"] = positions
    return positions


# -- ping-pong ---------------------------------------------------------------


@dataclass(frozen=True)
class PingPong:
    """Work bouncing between two lanes.

    ``kind`` is ``"loop"`` (a cycle of the journey graph hands work from
    ``lanes[0]`` to ``lanes[1]`` and back: rework) or ``"path"`` (one path
    hands it over ``lanes[0] -> lanes[1] -> lanes[0] -> lanes[1]``).
    ``handoffs`` are the handoffs that show it, in path order; the finding
    goes on the target of the last one.
    """

    kind: str
    lanes: tuple[Lane, Lane]
    handoffs: tuple[Handoff, ...]


def _components(journey: JourneyGraph) -> list[int]:
    """Strongly connected components (iterative Tarjan): a component number per index."""
    n = len(journey.nodes)
    succ = journey.succ
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    counter = 0
    components = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            i, k = work[-1]
            out = succ[i]
            if k < len(out):
                work[-1] = (i, k + 1)
                j = out[k][0]
                if index[j] == -1:
                    index[j] = low[j] = counter
                    counter += 1
                    stack.append(j)
                    on_stack[j] = True
                    work.append((j, 0))
                elif on_stack[j] and index[j] < low[i]:
                    low[i] = index[j]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[i] < low[parent]:
                    low[parent] = low[i]
            if low[i] == index[i]:
                while True:
                    j = stack.pop()
                    on_stack[j] = False
                    comp[j] = components
                    if j == i:
                        break
                components += 1
    return comp


def ping_pongs(analysis: CustomerAnalysis) -> list[PingPong]:
    """Lane pairs that work bounces between: one :class:`PingPong` per pair of lanes.

    A single delegation that comes back once (``X -> Y -> X``) outside a loop
    is normal and not reported. Loops are found first (strongly connected
    components), then paths ``X -> Y -> X -> Y`` by a dynamic programme over
    the acyclic graph whose state is, per node, the longest alternation
    ending there for each previous lane: linear times the number of lanes
    that hand over into one lane.
    """
    journey = journey_graph(analysis)
    found: dict[frozenset[int], PingPong] = {}
    if not journey.handoffs:
        return []
    position = journey.position

    # Loops: a component holding handoffs X -> Y and Y -> X.
    comp = _components(journey)
    inside: dict[int, list[tuple[int, Handoff]]] = {}
    for i, out in enumerate(journey.succ):
        for j, handoff in out:
            if handoff is not None and comp[i] == comp[j]:
                inside.setdefault(comp[i], []).append((position[i], handoff))
    for _, members in sorted(inside.items(), key=lambda item: min(p for p, _ in item[1])):
        members.sort(key=lambda m: m[0])
        first_of: dict[tuple[int, int], Handoff] = {}
        for _, handoff in members:
            first_of.setdefault((id(handoff.from_lane), id(handoff.to_lane)), handoff)
        for _, handoff in members:
            pair = frozenset((id(handoff.from_lane), id(handoff.to_lane)))
            if pair in found:
                continue
            back = first_of.get((id(handoff.to_lane), id(handoff.from_lane)))
            if back is not None:
                found[pair] = PingPong("loop", (handoff.from_lane, handoff.to_lane), (handoff, back))

    # Paths: X -> Y -> X -> Y on the acyclic graph.
    lanes = journey.lanes
    State = dict[int, tuple[int, tuple[Handoff, ...]]]
    states: dict[int, State] = {}
    for i in journey.order:
        here = states.pop(i, None)
        for j, handoff in journey.forward_edges(i):
            if handoff is None:
                if not here or lanes[i] is None or lanes[i] is not lanes[j]:
                    continue
                there = states.setdefault(j, {})
                for prev, (k, chain) in here.items():
                    current = there.get(prev)
                    if current is None or current[0] < k:
                        there[prev] = (k, chain)
                continue
            prior = here.get(id(handoff.to_lane)) if here else None
            if prior is None:
                k, chain = 1, (handoff,)
            else:
                k, chain = prior[0] + 1, (*prior[1], handoff)[-3:]
            if k >= 3:
                pair = frozenset((id(handoff.from_lane), id(handoff.to_lane)))
                if pair not in found:
                    found[pair] = PingPong("path", (chain[0].from_lane, chain[0].to_lane), chain)
            there = states.setdefault(j, {})
            key = id(handoff.from_lane)
            current = there.get(key)
            if current is None or current[0] < k:
                there[key] = (k, chain)
    return list(found.values())


# -- contacts ----------------------------------------------------------------

Party = Lane | Participant | Process


def _has_lanes(process: Process | None) -> bool:
    return process is not None and bool(process.lane_sets) and any(ls.lanes for ls in process.lane_sets)


def counterpart(touchpoint: Touchpoint) -> Party | None:
    """Who answers for a touchpoint: the provider end's lane.

    A pool without lanes owns its nodes and its boundary as a whole (the
    pool, or the process when it has no pool); a black-box pool owns its
    boundary. ``None`` when nobody does: a node outside every lane of a laned
    pool, or the boundary of a pool that has lanes.
    """
    if touchpoint.lane is not None:
        return touchpoint.lane
    end = touchpoint.provider_end
    if isinstance(end, Participant):
        if end.process is None or not _has_lanes(end.process):
            return end
        return None
    process = end.process
    if process is None or _has_lanes(process):
        return None
    return process.participant or process


def contacts(analysis: CustomerAnalysis) -> list[tuple[Party, Touchpoint]]:
    """The distinct parties the customer deals with, in journey order, each with its first touchpoint.

    Journey order is the position of the touchpoint's customer end (its
    provider end for a touchpoint on the customer pool's boundary) in
    :func:`journey_positions`; unowned touchpoints are left out.
    """
    positions = journey_positions(analysis)
    big = len(positions) + 1

    def key(t: Touchpoint) -> tuple[int, int]:
        end = t.customer_end if isinstance(t.customer_end, FlowNode) else t.provider_end
        pos = positions.get(id(end), big) if isinstance(end, FlowNode) else big
        return pos, t.line or 0

    out: list[tuple[Party, Touchpoint]] = []
    seen: set[int] = set()
    for touchpoint in sorted(analysis.touchpoints, key=key):
        party = counterpart(touchpoint)
        if party is None or id(party) in seen:
            continue
        seen.add(id(party))
        out.append((party, touchpoint))
    return out


# -- words -------------------------------------------------------------------


def party_name(party: Party) -> str:
    """A lane, pool or process in plain words: its name, else what it is and its id."""
    if party.label:
        return party.label
    what = "lane" if isinstance(party, Lane) else "pool" if isinstance(party, Participant) else "process"
    return f"unnamed {what} {party.id or '?'}"


def step_name(node: FlowNode | Participant) -> str:
    """``'Check credit'``, or a description when the node has no name."""
    if isinstance(node, Participant):
        return f"pool '{node.label}'" if node.label else f"pool {node.id}"
    if node.label:
        return f"'{node.label}'"
    return describe(node)


def customer_name(analysis: CustomerAnalysis) -> str:
    """``"the customer"``, or ``"the customer ('Patient')"`` when the scope is named otherwise."""
    label = analysis.scope.label
    if not label or normalize_name(label) in ("customer", "customers"):
        return "the customer"
    return f"the customer ('{label}')"


def describe_path(path: Iterable[Handoff]) -> str:
    """``Sales ('Take order') → Warehouse ('Pick items') → ...`` for a path's handoffs."""
    parts: list[str] = []
    last: Lane | None = None
    for handoff in path:
        if last is not handoff.from_lane:
            if parts:
                parts.append("…")
            parts.append(f"{party_name(handoff.from_lane)} ({step_name(handoff.source)})")
        parts.append(f"{party_name(handoff.to_lane)} ({step_name(handoff.target)})")
        last = handoff.to_lane
    text = ""
    for part in parts:
        if not text:
            text = part
        elif part == "…" or text.endswith("…"):
            text += " " + part
        else:
            text += " → " + part
    return text


__all__ = [
    "Handoff",
    "Party",
    "PingPong",
    "contacts",
    "customer_name",
    "counterpart",
    "describe_path",
    "party_name",
    "ping_pongs",
    "step_name",
    "JourneyGraph",
    "acyclic_order",
    "handoffs",
    "journey_graph",
    "journey_positions",
    "lane_sequence",
    "max_handoff_path",
    "max_handoffs",
    "min_handoffs",
    "worst_paths",
]
