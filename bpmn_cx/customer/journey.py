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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import attrgetter, itemgetter

from ..analysis.flow import is_event_subprocess, scope_starts
from ..model import (
    ACTIVITY_KINDS,
    SUBPROCESS_KINDS,
    FlowNode,
    Lane,
    Participant,
    Process,
    SubProcess,
    describe,
)
from .analysis import (
    WORK_FREE_KINDS,
    ActivityGraph,
    CustomerAnalysis,
    Link,
    Touchpoint,
    _direct,
    _ends,
    _link,
    _past_gateway,
    _reach,
)
from .scope import normalize_name


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
    _forward: list[list[tuple[int, Handoff | None]]] | None = field(default=None, repr=False)
    #: How many of ``nodes`` are anchors (flow nodes); the sub-process exits follow them.
    anchors: int = 0

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
        return self.forward()[i]

    def forward(self) -> list[list[tuple[int, Handoff | None]]]:
        """``succ`` without the back edges (shares the lists of nodes that have none)."""
        if self._forward is None:
            forward = list(self.succ)
            back = self.back
            for i in {i for i, _ in back}:
                forward[i] = [edge for edge in forward[i] if (i, edge[0]) not in back]
            self._forward = forward
        return self._forward

    # -- construction ----------------------------------------------------
    @classmethod
    def build(cls, analysis: CustomerAnalysis) -> JourneyGraph:
        journey = cls(analysis)
        journey._build()
        journey._sort()
        return journey

    def _build(self) -> None:
        analysis = self.analysis
        graph = analysis.activity_graph or ActivityGraph(analysis.model)
        flow_nodes = analysis.model.flow_nodes
        node_lanes, node_customer = analysis._node_arrays()
        work_free = WORK_FREE_KINDS
        anchor_flags = [node.kind not in work_free for node in flow_nodes]
        nodes: list[FlowNode | _Exit] = list(compress(flow_nodes, anchor_flags))
        self.nodes = nodes
        # The provider lane of each anchor: None for the customer's nodes.
        lanes: list[Lane | None] = [
            None if is_customer else lane
            for lane, is_customer in compress(zip(node_lanes, node_customer), anchor_flags)
        ]
        self.lanes = lanes
        index = self.index
        index.update(zip(map(id, nodes), range(len(nodes))))
        anchors = self.anchors = len(nodes)
        exits: dict[int, int] = {}
        for i in range(anchors):
            node = nodes[i]
            if isinstance(node, SubProcess) and node.nodes:
                exit_node = _Exit(node)
                exits[id(node)] = index[id(exit_node)] = len(nodes)
                nodes.append(exit_node)
                lanes.append(lanes[i])
        succ: list[list[tuple[int, Handoff | None]]] = [[] for _ in range(len(nodes))]
        self.succ = succ
        handoffs = self.handoffs
        activity_kinds = ACTIVITY_KINDS
        forward_cache = graph._forward
        jumps = graph.jumps  # link events: walked (_reach), never read off the flows
        # Where a handoff can start: work (an activity, or a boundary event for
        # its host) in a provider lane. None where no handoff starts.
        from_lanes = [
            lane if lane is not None and (
                node.kind in activity_kinds or (node.kind == "boundaryEvent" and node.attached_to is not None)
            ) else None
            for node, lane in zip(nodes[:anchors], lanes)
        ]
        # Where the links of each anchor leave from: its exit for a sub-process with content.
        outs = succ[:anchors]
        for node_id, exit_i in exits.items():
            outs[index[node_id]] = succ[exit_i]

        # 1. The links of every anchor. Nothing else is added to a list that
        # gets links (see 2.), so doing all links first keeps each list's order.
        # The common shapes (one flow to the next anchor, or one flow into a
        # gateway that leads straight to anchors) are read off the flows;
        # everything else is walked (_reach). Either way the targets come in
        # the order links_from has them, each once.
        special = [index[key] for key in exits]  # sub-processes with content; boundary hosts below

        def step(i: int, node: FlowNode, end: FlowNode, link: Callable[[], Link]) -> None:
            """Record that anchor ``i`` leads on to ``end``: a handoff when work passes
            from one provider lane to another's activity (only then is ``link`` made)."""
            j = index[id(end)]
            handoff = None
            from_lane = from_lanes[i]
            if from_lane is not None:
                to_lane = lanes[j]
                if to_lane is not None and to_lane is not from_lane and end.kind in activity_kinds:
                    handoff = Handoff(node, end, from_lane, to_lane, link())
                    handoffs.append(handoff)
            outs[i].append((j, handoff))

        for i, node in enumerate(nodes[:anchors]):
            if node.boundary_events:
                special.append(i)
            flows = node.outgoing
            if len(flows) == 1:
                flow = flows[0]
                target = flow.target
                if target is None:
                    continue
                if target.kind not in work_free:
                    step(i, node, target, lambda: Link(node, target, (), (flow,)))
                    continue
                # One flow into a gateway (an anchor is never work-free itself);
                # a link event leads on without flows: walk it (_reach).
                if id(target) not in jumps:
                    ends = _past_gateway(target, True)
                    if ends is not None:
                        for end, second in ends:
                            step(i, node, end, lambda: Link(node, end, (target,), (flow, second)))
                        continue
            elif not flows:
                continue
            elif _direct(flows, True):
                # Several flows, all straight to anchors.
                for target, flow in _ends(flows, True):
                    step(i, node, target, lambda: Link(node, target, (), (flow,)))
                continue
            found, parent = _reach(node, True, jumps)
            for end, previous, last in found:
                # Only a handoff needs its path: the link is built for it alone.
                step(i, node, end, lambda: _link(node, end, previous, last, parent, True))

        # 2. Boundary events, and entering and leaving sub-processes, in anchor order.
        def targets(start: FlowNode) -> list[FlowNode]:
            """The anchors after a node, in :meth:`ActivityGraph.links_from` order."""
            cached = forward_cache.get(id(start))
            if cached is not None:
                return [link.target for link in cached]
            return [end for end, _, _ in _reach(start, True, jumps)[0]]

        special.sort()
        for i in dict.fromkeys(special):
            node = nodes[i]
            for boundary in node.boundary_events:
                j = index.get(id(boundary))
                if j is not None:
                    succ[i].append((j, None))
            exit_i = exits.get(id(node))
            if exit_i is None:
                continue
            assert isinstance(node, SubProcess)
            entered = False
            seen_starts: set[int] = set()
            for start in scope_starts(node):
                if is_event_subprocess(start):
                    continue
                for first in targets(start) if start.kind in work_free else (start,):
                    j = index[id(first)]
                    if j not in seen_starts:
                        seen_starts.add(j)
                        succ[i].append((j, None))
                        entered = True
            if not entered:
                succ[i].append((exit_i, None))
            for inner in node.nodes:
                if inner.kind in work_free or is_event_subprocess(inner):
                    continue
                if not targets(inner):
                    succ[exits.get(id(inner), index[id(inner)])].append((exit_i, None))

    def _sort(self) -> None:
        """Iterative DFS: reverse post-order, and the edges that close a cycle."""
        n = len(self.nodes)
        has_predecessor = set(map(_first, chain.from_iterable(self.succ)))
        post = _reverse_post_order(self.succ, _roots_first(n, has_predecessor), self.back, True)
        self.order = post
        self.position = _inverse(post)

    # -- dynamic programmes ------------------------------------------------
    def longest(self) -> tuple[list[int], list[tuple[int, Handoff | None] | None]]:
        """Most handoffs on a path ending at each index, with the step that achieved it (cached)."""
        if self._longest is not None:
            return self._longest
        n = len(self.nodes)
        best = [0] * n
        parent: list[tuple[int, Handoff | None] | None] = [None] * n
        forward = self.forward()
        for i in self.order:
            here = best[i]
            for j, handoff in forward[i]:
                value = here + 1 if handoff is not None else here
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


_scope_of = attrgetter("scope")
_first = itemgetter(0)


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
    if not journey.handoffs:
        return {}
    # The process of each index, through the (few) distinct scopes. The
    # exits come after the anchors: no type test per node.
    anchors = journey.anchors
    scopes = list(map(_scope_of, journey.nodes[:anchors]))
    scopes.extend(node.subprocess.scope for node in journey.nodes[anchors:])
    process_of: dict[int, int | None] = {}
    for node_scope in dict(zip(map(id, scopes), scopes)).values():
        scope = node_scope
        while isinstance(scope, SubProcess):
            scope = scope.scope
        process_of[id(node_scope)] = None if scope is None else id(scope)
    order = journey.order
    keys = set(process_of.values())
    if len(keys) == 1 and None not in keys:
        # One process (the usual case): the first index in order with the most.
        in_order = list(map(best.__getitem__, order))
        most = max(in_order, default=0)
        if not most:
            return {}
        return {keys.pop(): journey.path_to(order[in_order.index(most)], parent)}
    processes = [process_of[id(scope)] for scope in scopes]
    top: dict[int, int] = {}
    for i in order:
        value = best[i]
        if not value:
            continue
        key = processes[i]
        if key is None:
            continue
        current = top.get(key)
        if current is None or value > best[current]:
            top[key] = i
    return {key: journey.path_to(i, parent) for key, i in top.items()}


def max_handoff_path(analysis: CustomerAnalysis) -> list[Handoff]:
    """The handoffs of one start-to-end path with the most handoffs."""
    journey = journey_graph(analysis)
    best, parent = journey.longest()
    most = max(best, default=0)
    if not most:
        return []
    # The first index in journey order with the most handoffs.
    end = next(i for i in journey.order if best[i] == most)
    return journey.path_to(end, parent)


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
    forward = journey.forward()
    indegree = [0] * n
    for out in forward:
        for j, _ in out:
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
    succ = journey.succ
    for i in journey.order:
        here = best[i]
        if here == inf:
            continue
        if not succ[i]:
            result = min(result, here)
        for j, handoff in forward[i]:
            value = here + 1 if handoff is not None else here
            if value < best[j]:
                best[j] = value
    return 0 if result == inf else result


def _reverse_post_order(
    succ: list, starts: Iterable[int], back: set[tuple[int, int]] | None, pairs: bool
) -> list[int]:
    """Iterative depth-first search from ``starts`` in turn: the reverse post-order.

    ``succ[i]`` lists the successors of ``i`` (``(j, anything)`` pairs when
    ``pairs``); edges found closing a cycle are added to ``back`` when given.
    One iterator per node on the path lets the loop resume where it left off;
    a node with a single successor gets ``done`` instead and its successor is
    dealt with on the way down (most nodes are in chains).
    """
    state = [0] * len(succ)  # 0 new, 1 on the path, 2 done
    post: list[int] = []
    done = ()
    for root in starts:
        if state[root]:
            continue
        state[root] = 1
        path = [root]
        pending = [iter(succ[root])]
        while pending:
            for j in pending[-1]:
                if pairs:
                    j = j[0]
                seen = state[j]
                if not seen:
                    while True:
                        state[j] = 1
                        path.append(j)
                        out = succ[j]
                        if len(out) != 1:
                            pending.append(iter(out))
                            break
                        pending.append(done)
                        k = out[0][0] if pairs else out[0]
                        seen = state[k]
                        if seen:
                            if seen == 1 and back is not None:
                                back.add((j, k))
                            break
                        j = k
                    break
                if seen == 1 and back is not None:
                    back.add((path[-1], j))
            else:
                pending.pop()
                i = path.pop()
                state[i] = 2
                post.append(i)
                while pending and pending[-1] is done:
                    pending.pop()
                    i = path.pop()
                    state[i] = 2
                    post.append(i)
    post.reverse()
    return post


def _roots_first(n: int, has_predecessor: set[int]) -> Iterable[int]:
    """Where the searches start: nodes without predecessors last-to-first, so
    that in reverse post-order the first root's nodes come first; then every
    node in order (those on cycles no root reaches get visited from there)."""
    roots = [i for i in range(n - 1, -1, -1) if i not in has_predecessor]
    return chain(roots, range(n))


def _inverse(order: list[int]) -> list[int]:
    """``position`` with ``position[order[p]] == p`` (``order`` is a permutation)."""
    position = [0] * len(order)
    for p, i in enumerate(order):
        position[i] = p
    return position


def _flow_order(analysis: CustomerAnalysis) -> list[int]:
    """The order of :func:`journey_positions`, as indices into ``model.flow_nodes``."""
    nodes = analysis.model.flow_nodes
    n = len(nodes)
    index = dict(zip(map(id, nodes), range(n)))
    get = index.get
    succ: list[list[int]] = []
    append = succ.append
    subprocess_kinds = SUBPROCESS_KINDS
    for node in nodes:
        flows = node.outgoing
        if len(flows) == 1:  # the common case, without a comprehension
            j = get(id(flows[0].target))
            out = [] if j is None else [j]
        else:
            out = [j for flow in flows if (j := get(id(flow.target))) is not None]
        if node.boundary_events:
            out.extend(j for boundary in node.boundary_events if (j := get(id(boundary))) is not None)
        if node.kind in subprocess_kinds and isinstance(node, SubProcess):
            out.extend(index[id(inner)] for inner in scope_starts(node))
        append(out)
    return _reverse_post_order(succ, _roots_first(n, set(chain.from_iterable(succ))), None, False)


def journey_positions(analysis: CustomerAnalysis) -> dict[int, int]:
    """A position for every flow node (by ``id``) in the order a case meets it.

    A topological order of sequence flows, boundary events and sub-process
    nesting (a sub-process's content comes right after it), with cycles cut
    by depth-first search: good for listing touchpoints "in journey order".
    """
    cached = analysis.__dict__.get("_journey_positions")
    if cached is not None:
        return cached
    order = _flow_order(analysis)
    positions = dict(zip(map(id, map(analysis.model.flow_nodes.__getitem__, order)), range(len(order))))
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
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        path = [root]
        # One iterator per node on the path: the for loop resumes where it left off.
        pending = [iter(succ[root])]
        while pending:
            i = path[-1]
            for j, _ in pending[-1]:
                if index[j] == -1:
                    index[j] = low[j] = counter
                    counter += 1
                    stack.append(j)
                    on_stack[j] = True
                    path.append(j)
                    pending.append(iter(succ[j]))
                    break
                if on_stack[j] and index[j] < low[i]:
                    low[i] = index[j]
            else:
                pending.pop()
                path.pop()
                if path:
                    parent = path[-1]
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

    # Loops: a component holding handoffs X -> Y and Y -> X. Without back
    # edges the graph is acyclic and every component a single node without
    # a loop on itself: nothing to look for.
    if journey.back:
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

    # Paths: X -> Y -> X -> Y on the acyclic graph. The state of a node maps
    # id(lane the work came from) to (alternations so far, last three handoffs).
    lanes = journey.lanes
    forward = journey.forward()
    State = dict[int, tuple[int, tuple[Handoff, ...]]]
    states: dict[int, State] = {}
    # A state handed on unchanged along a flow inside one lane is shared, not
    # copied (most steps pass it on that way); `shared` marks the nodes whose
    # state must be copied before anything is merged into it.
    shared: set[int] = set()
    for i in journey.order:
        here = states.pop(i, None)
        lane = lanes[i]
        for j, handoff in forward[i]:
            if handoff is None:
                if not here or lane is None or lane is not lanes[j]:
                    continue
                there = states.get(j)
                if there is None:
                    states[j] = here
                    shared.add(j)
                    continue
                if j in shared:
                    there = states[j] = dict(there)
                    shared.discard(j)
                for prev, (k, steps) in here.items():
                    current = there.get(prev)
                    if current is None or current[0] < k:
                        there[prev] = (k, steps)
                continue
            prior = here.get(id(handoff.to_lane)) if here else None
            if prior is None:
                k, steps = 1, (handoff,)
            else:
                k, steps = prior[0] + 1, (*prior[1], handoff)[-3:]
            if k >= 3:
                pair = frozenset((id(handoff.from_lane), id(handoff.to_lane)))
                if pair not in found:
                    found[pair] = PingPong("path", (steps[0].from_lane, steps[0].to_lane), steps)
            there = states.get(j)
            if there is None:
                states[j] = {id(handoff.from_lane): (k, steps)}
                continue
            if j in shared:
                there = states[j] = dict(there)
                shared.discard(j)
            key = id(handoff.from_lane)
            current = there.get(key)
            if current is None or current[0] < k:
                there[key] = (k, steps)
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
