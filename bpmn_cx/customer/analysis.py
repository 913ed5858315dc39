"""The customer's perspective on a process: touchpoints and the roles of nodes.

Given a :class:`~bpmn_cx.customer.scope.CustomerScope`, :class:`CustomerAnalysis`
works out

* the **touchpoints** (interaction edges): message flows between the customer
  scope (a node, or the customer pool's boundary) and a provider node or pool,
  and sequence-flow paths between a customer node and a provider node. A path
  that passes only through gateways and intermediate events (nothing that does
  work) counts as direct, so a gateway drawn in some lane never hides a touch;
* the **onstage** nodes (provider nodes at the end of a touchpoint), the
  **touchpoint lanes** (the lanes owning an onstage node), the **backstage**
  nodes (the other nodes of touchpoint lanes) and the **support** nodes
  (everything else the provider does);
* the **unowned touchpoints**: message flows that end on a provider pool's
  boundary or on a provider node that no lane owns. They are reported, never
  attributed to a guessed lane.

The same analysis serves the customer view, the customer lint rules and the
metrics; :class:`ActivityGraph` (activities linked through work-free
gateways and events) is what the handoff rules build on.

Everything is linear in the size of the model, except that the touchpoint list
itself is as long as it is: one customer task feeding a gateway with ``k``
provider branches has ``k`` touchpoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import Generic, Literal, TypeVar, overload

from ..analysis.flow import link_jumps
from ..model import (
    GATEWAY_KINDS,
    FlowNode,
    Lane,
    MessageFlow,
    Model,
    Participant,
    Process,
    SequenceFlow,
    SubProcess,
)
from .scope import CustomerScope, effective_lane

Role = Literal["customer", "onstage", "backstage", "support"]
Direction = Literal["inbound", "outbound"]

#: Intermediate events do no work: waiting for or signalling something.
_WORK_FREE_EVENTS = frozenset({"intermediateCatchEvent", "intermediateThrowEvent", "implicitThrowEvent"})
#: The kinds :func:`is_work_free` accepts; hot loops test ``node.kind in WORK_FREE_KINDS`` directly.
WORK_FREE_KINDS = GATEWAY_KINDS | _WORK_FREE_EVENTS


def is_work_free(node: FlowNode) -> bool:
    """Gateways and intermediate events: nodes a path passes through without work.

    Start, end and boundary events are not work-free: they begin or end a
    path (a boundary event is part of its host's work).
    """
    return node.kind in WORK_FREE_KINDS


@dataclass(frozen=True, slots=True)
class Link:
    """Two anchors (non-work-free nodes) joined by a path through work-free nodes only."""

    source: FlowNode
    target: FlowNode
    #: The work-free nodes passed, in path order (empty for a direct flow).
    via: tuple[FlowNode, ...]
    #: The sequence flows of the path, in order.
    flows: tuple[SequenceFlow, ...]


class ActivityGraph:
    """Activities (and start, end and boundary events) linked through work-free nodes.

    ``links_from(node)`` are the anchors reachable from ``node`` by sequence
    flows whose interior nodes are all gateways or intermediate events; each
    target appears once, with a shortest path. Results are computed on demand
    and cached, so asking about a few nodes is cheap.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self._forward: dict[int, list[Link]] = {}
        self._backward: dict[int, list[Link]] = {}
        #: Link events, which a path passes like a flow: throw -> catches, and back.
        self.jumps, self.jumps_back = link_jumps(model.flow_nodes)

    def jumps_for(self, forward: bool) -> dict[int, list[FlowNode]]:
        """:attr:`jumps` walking forward, :attr:`jumps_back` walking backward."""
        return self.jumps if forward else self.jumps_back

    @staticmethod
    def is_anchor(node: FlowNode) -> bool:
        return not is_work_free(node)

    def links_from(self, node: FlowNode) -> list[Link]:
        """Anchors after ``node`` (outgoing links)."""
        cached = self._forward.get(id(node))
        if cached is None:
            cached = self._walk(node, forward=True)
            self._forward[id(node)] = cached
        return cached

    def links_to(self, node: FlowNode) -> list[Link]:
        """Anchors before ``node`` (incoming links), each with the path in flow order."""
        cached = self._backward.get(id(node))
        if cached is None:
            cached = self._walk(node, forward=False)
            self._backward[id(node)] = cached
        return cached

    def successors(self, node: FlowNode) -> list[FlowNode]:
        return [link.target for link in self.links_from(node)]

    def predecessors(self, node: FlowNode) -> list[FlowNode]:
        return [link.source for link in self.links_to(node)]

    def _walk(self, start: FlowNode, *, forward: bool) -> list[Link]:
        flows = start.outgoing if forward else start.incoming
        if _direct(flows, forward):
            # The common case: every neighbour is an anchor, so each link is one flow.
            return [Link(start, other, (), (flow,)) if forward else Link(other, start, (), (flow,))
                    for other, flow in _ends(flows, forward)]
        found, parent = _reach(start, forward, self.jumps_for(forward))
        return [_link(start, end, previous, last, parent, forward) for end, previous, last in found]


#: What :func:`_reach` records: each work-free node's ``(previous node, flow into it)``.
_Parents = dict[int, tuple["FlowNode | None", "SequenceFlow | None"]]


def _direct(flows: list[SequenceFlow], forward: bool) -> bool:
    """No flow of ``flows`` leads to a work-free node (so no walk is needed)."""
    kinds = WORK_FREE_KINDS
    if forward:
        for flow in flows:
            target = flow.target
            if target is not None and target.kind in kinds:
                return False
    else:
        for flow in flows:
            source = flow.source
            if source is not None and source.kind in kinds:
                return False
    return True


def _ends(flows: list[SequenceFlow], forward: bool) -> list[tuple[FlowNode, SequenceFlow]]:
    """The nodes at the other end of ``flows`` (targets, or sources when not
    ``forward``), each once with its first flow, in flow order."""
    ends: list[tuple[FlowNode, SequenceFlow]] = []
    seen: set[int] = set()
    for flow in flows:
        end = flow.target if forward else flow.source
        if end is not None and id(end) not in seen:
            seen.add(id(end))
            ends.append((end, flow))
    return ends


def _past_gateway(gateway: FlowNode, forward: bool) -> list[tuple[FlowNode, SequenceFlow]] | None:
    """The anchors one flow beyond the work-free ``gateway`` (after it, or
    before it when not ``forward``), each once with its flow, in flow order;
    ``None`` when a path runs on through another work-free node (then only
    :func:`_reach` finds the anchors). The common shape, read off the flows."""
    flows = gateway.outgoing if forward else gateway.incoming
    return _ends(flows, forward) if _direct(flows, forward) else None


def _reach(
    start: FlowNode, forward: bool, jumps: dict[int, list[FlowNode]] | None = None
) -> tuple[list[tuple[FlowNode, FlowNode, SequenceFlow]], _Parents]:
    """Breadth-first through work-free nodes from ``start``.

    Returns the anchors met, each once and in the order met, as ``(anchor,
    node before it, flow into it)``, and the parent pointers that rebuild each
    path (:func:`_link`). Links are built only for the anchors a caller needs.
    ``jumps`` (:attr:`ActivityGraph.jumps` or ``jumps_back``) lead from link
    events to their partners, which are work-free too.
    """
    kinds = WORK_FREE_KINDS
    flows = start.outgoing if forward else start.incoming
    if len(flows) == 1:
        # The common case of one flow into a gateway that leads straight to
        # anchors (a split, or a join before the next step): no queue needed.
        first = flows[0]
        gateway = first.target if forward else first.source
        if (gateway is not None and gateway is not start and gateway.kind in kinds
                and not (jumps and id(gateway) in jumps)):
            found = []
            seen_targets = set()
            for flow in gateway.outgoing if forward else gateway.incoming:
                nxt = flow.target if forward else flow.source
                if nxt is None:
                    continue
                if nxt.kind in kinds:
                    break  # deeper: walk
                if id(nxt) not in seen_targets:
                    seen_targets.add(id(nxt))
                    found.append((nxt, gateway, flow))
            else:
                return found, {id(start): (None, None), id(gateway): (start, first)}
    parent: _Parents = {id(start): (None, None)}
    queue: list[FlowNode] = [start]
    found: list[tuple[FlowNode, FlowNode, SequenceFlow]] = []
    seen_targets: set[int] = set()
    for node in queue:  # the queue grows while it is read: breadth-first order
        for flow in node.outgoing if forward else node.incoming:
            nxt = flow.target if forward else flow.source
            if nxt is None:
                continue
            key = id(nxt)
            if nxt.kind in kinds:
                if key not in parent:
                    parent[key] = (node, flow)
                    queue.append(nxt)
            elif key not in seen_targets:
                seen_targets.add(key)
                found.append((nxt, node, flow))
        if jumps:
            for nxt in jumps.get(id(node), ()):  # no flow between link partners
                if id(nxt) not in parent:
                    parent[id(nxt)] = (node, None)
                    queue.append(nxt)
    return found, parent


def _link(
    start: FlowNode, end: FlowNode, previous: FlowNode, last: SequenceFlow, parent: _Parents, forward: bool
) -> Link:
    """The :class:`Link` from ``start`` to an anchor ``end`` that :func:`_reach` met."""
    if previous is start:
        return Link(start, end, (), (last,)) if forward else Link(end, start, (), (last,))
    via: list[FlowNode] = []
    flows_path: list[SequenceFlow] = [last]
    node: FlowNode | None = previous
    while node is not start and node is not None:
        via.append(node)
        prev, flow = parent[id(node)]
        if flow is not None:
            flows_path.append(flow)
        node = prev
    if forward:
        via.reverse()
        flows_path.reverse()
        return Link(start, end, tuple(via), tuple(flows_path))
    # Walking backwards the path was collected in flow order already.
    return Link(end, start, tuple(via), tuple(flows_path))


@dataclass(frozen=True, slots=True)
class Touchpoint:
    """One interaction between the customer and the provider."""

    #: ``"message"`` (a message flow) or ``"sequence"`` (a sequence-flow path between lanes).
    kind: Literal["message", "sequence"]
    #: ``"outbound"``: the customer acts towards the provider; ``"inbound"``: the reverse.
    direction: Direction
    #: The customer's end: a flow node, or the customer pool (a message flow on its boundary).
    customer_end: FlowNode | Participant
    #: The provider's end: a flow node, or a provider pool's boundary.
    provider_end: FlowNode | Participant
    #: The provider end's owning lane (the counterpart lane); ``None`` when unowned.
    lane: Lane | None
    #: The message flow, or the sequence flow on the customer's side of the path.
    flow: MessageFlow | SequenceFlow
    #: For sequence touchpoints: the work-free nodes between the two ends.
    via: tuple[FlowNode, ...] = ()
    #: For sequence touchpoints: the flows of the path, in order.
    flows: tuple[SequenceFlow, ...] = ()

    @property
    def id(self) -> str:
        """The message flow's id, or ``"source->target"`` for a sequence path."""
        if self.kind == "message" or not self.via:
            return self.flow.id or "?"
        source, target = (
            (self.customer_end, self.provider_end)
            if self.direction == "outbound"
            else (self.provider_end, self.customer_end)
        )
        return f"{source.id}->{target.id}"

    @property
    def line(self) -> int | None:
        return self.flow.line

    @property
    def unowned(self) -> bool:
        """No lane owns the provider end (a pool boundary, or a node outside every lane)."""
        return self.lane is None

    @property
    def provider_participant(self) -> Participant | None:
        end = self.provider_end
        if isinstance(end, Participant):
            return end
        process = end.process
        return process.participant if process is not None else None

    def to_dict(self) -> dict:
        def ref(end: FlowNode | Participant) -> dict:
            return {"id": end.id, "name": end.label, "kind": end.kind}

        return {
            "id": self.id,
            "kind": self.kind,
            "direction": self.direction,
            "customer": ref(self.customer_end),
            "provider": ref(self.provider_end),
            "lane": None if self.lane is None else {"id": self.lane.id, "name": self.lane.label},
            "flow": self.flow.id,
            "via": [n.id for n in self.via],
            "line": self.line,
        }


T = TypeVar("T")


class _Completed(Generic[T]):
    """A result of :class:`CustomerAnalysis` that the rest of the analysis must
    be worked out for first (see ``CustomerAnalysis._complete``); the value
    lives in the attribute of the same name with a leading underscore."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self.attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_{name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Completed[T]: ...
    @overload
    def __get__(self, obj: CustomerAnalysis, owner: type | None = None) -> T: ...

    def __get__(self, obj: CustomerAnalysis | None, owner: type | None = None) -> T | _Completed[T]:
        if obj is None:
            return self
        obj._complete()
        return getattr(obj, self.attribute)  # type: ignore[no-any-return]


@dataclass
class CustomerAnalysis:
    """Touchpoints and node roles of one model for one customer scope.

    Build it with :meth:`build` (or :func:`analyse`); every list is in
    document order.

    :meth:`build` finds the customer's nodes and the message touchpoints
    only; the sequence touchpoints and the provider roles (onstage,
    backstage, support) are worked out the first time one of them is asked
    for. A lint run whose rules need only the customer's nodes and the
    handoffs never pays for them.
    """

    model: Model
    scope: CustomerScope
    customer_nodes: list[FlowNode] = field(default_factory=list)
    activity_graph: ActivityGraph | None = None
    _roles: dict[int, Role] = field(default_factory=dict, repr=False)
    _touchpoint_lane_ids: set[int] = field(default_factory=set, repr=False)
    #: Per node of ``model.flow_nodes`` (same order): its effective lane, and whether it is the customer's.
    _node_lanes: list[Lane | None] | None = field(default=None, repr=False)
    _node_customer: list[bool] | None = field(default=None, repr=False)
    _message_touchpoints: list[Touchpoint] = field(default_factory=list, repr=False)
    #: Whether the touchpoints and roles below have been worked out (:meth:`_complete`).
    _completed: bool = field(default=False, repr=False)
    _touchpoints: list[Touchpoint] = field(default_factory=list, repr=False)
    _onstage: list[FlowNode] = field(default_factory=list, repr=False)
    _backstage: list[FlowNode] = field(default_factory=list, repr=False)
    _support: list[FlowNode] = field(default_factory=list, repr=False)
    _touchpoint_lanes: list[Lane] = field(default_factory=list, repr=False)
    _unowned_touchpoints: list[Touchpoint] = field(default_factory=list, repr=False)
    _provider_processes: list[Process] = field(default_factory=list, repr=False)

    # -- results -----------------------------------------------------------
    @property
    def message_touchpoints(self) -> list[Touchpoint]:
        """The touchpoints that are message flows, in the order of :attr:`touchpoints` (cheap)."""
        return self._message_touchpoints

    touchpoints = _Completed[list[Touchpoint]](
        "Every touchpoint: message flows first (document order), then sequence paths by line.")
    onstage = _Completed[list[FlowNode]](
        "Provider nodes at the end of a touchpoint (and the hosts of such boundary events).")
    backstage = _Completed[list[FlowNode]]("The other provider nodes of touchpoint lanes.")
    support = _Completed[list[FlowNode]]("Everything else the provider does.")
    touchpoint_lanes = _Completed[list[Lane]]("Leaf-most lanes owning an onstage node, in document order.")
    unowned_touchpoints = _Completed[list[Touchpoint]](
        "Touchpoints whose provider end no lane owns (pool boundaries, lane-less nodes).")
    provider_processes = _Completed[list[Process]](
        "Processes the customer deals with: those holding an onstage node or a customer lane, "
        "and those of pools touched on their boundary.")

    # -- queries -----------------------------------------------------------
    def role(self, node: FlowNode) -> Role:
        """``"customer"``, ``"onstage"``, ``"backstage"`` or ``"support"``."""
        self._complete()
        return self._roles.get(id(node), "support")

    def is_customer(self, node: FlowNode) -> bool:
        # Customer roles are set by build() itself: no need to complete.
        return self._roles.get(id(node)) == "customer"

    def is_onstage(self, node: FlowNode) -> bool:
        self._complete()
        return self._roles.get(id(node)) == "onstage"

    def is_touchpoint_lane(self, lane: Lane | None) -> bool:
        self._complete()
        return lane is not None and id(lane) in self._touchpoint_lane_ids

    def touchpoints_of(self, node: FlowNode) -> list[Touchpoint]:
        """Touchpoints with ``node`` at either end (linear scan; cache it if you loop)."""
        return [t for t in self.touchpoints if t.customer_end is node or t.provider_end is node]

    @property
    def touchpoint_lane_ancestors(self) -> list[Lane]:
        """Ancestors of the touchpoint lanes (kept for display), outermost first."""
        out: list[Lane] = []
        lanes = self.touchpoint_lanes  # first: it completes the analysis
        seen: set[int] = set(self._touchpoint_lane_ids)
        for lane in lanes:
            for ancestor in reversed(lane.ancestors):
                if id(ancestor) not in seen:
                    seen.add(id(ancestor))
                    out.append(ancestor)
        return out

    def to_dict(self) -> dict:
        def lane_ref(lane: Lane) -> dict:
            return {"id": lane.id, "name": lane.label, "path": lane.path}

        return {
            "customer": self.scope.to_dict(),
            "touchpoints": [t.to_dict() for t in self.touchpoints],
            "unowned_touchpoints": [t.to_dict() for t in self.unowned_touchpoints],
            "touchpoint_lanes": [lane_ref(lane) for lane in self.touchpoint_lanes],
            "roles": {
                "customer": [n.id for n in self.customer_nodes],
                "onstage": [n.id for n in self.onstage],
                "backstage": [n.id for n in self.backstage],
                "support": [n.id for n in self.support],
            },
        }

    # -- construction ----------------------------------------------------
    @classmethod
    def build(cls, model: Model, scope: CustomerScope) -> CustomerAnalysis:
        analysis = cls(model, scope)
        analysis.activity_graph = ActivityGraph(model)
        analysis._compute()
        return analysis

    def _node_arrays(self) -> tuple[list[Lane | None], list[bool]]:
        """Per node of ``model.flow_nodes`` (same order): its effective lane and
        whether it is the customer's. For the journey graph's hot loops."""
        if self._node_lanes is None or self._node_customer is None:
            self._node_lanes = _effective_lanes(self.model.flow_nodes)
            roles = self._roles
            self._node_customer = [roles.get(id(node)) == "customer" for node in self.model.flow_nodes]
        return self._node_lanes, self._node_customer

    def _compute(self) -> None:
        """The customer's nodes and the message touchpoints."""
        model, scope = self.model, self.scope
        nodes = model.flow_nodes
        lanes = _effective_lanes(nodes)
        # scope.contains(node) for every node, without a call and a lane walk per node.
        # Lanes hash by identity: a set of the customer's lanes tests each node's lane at C speed.
        customer_lanes = {lane for lane in set(lanes) if lane is not None and id(lane) in scope._lane_ids}
        customer = list(map(customer_lanes.__contains__, lanes))
        process_ids = scope._process_ids
        if process_ids:
            process_of: dict[int, int] = {}  # id(scope) -> id(top-level process)
            for k, node in enumerate(nodes):
                if customer[k]:
                    continue
                key = id(node.scope)
                process = process_of.get(key)
                if process is None:
                    process = process_of[key] = id(node.process)
                if process in process_ids:
                    customer[k] = True
        customer_nodes = self.customer_nodes
        customer_nodes.extend(compress(nodes, customer))
        self._roles.update(dict.fromkeys(map(id, customer_nodes), "customer"))
        self._node_lanes = lanes
        self._node_customer = customer

        touchpoints: list[Touchpoint] = []
        for flow in model.message_flows:
            source, target = flow.source, flow.target
            if source is None or target is None:
                continue
            source_in = scope.contains_end(source)
            target_in = scope.contains_end(target)
            if source_in == target_in:
                continue
            customer_end, provider_end = (source, target) if source_in else (target, source)
            direction: Direction = "outbound" if source_in else "inbound"
            lane = effective_lane(provider_end) if isinstance(provider_end, FlowNode) else None
            touchpoints.append(
                Touchpoint("message", direction, customer_end, provider_end, lane, flow)
            )
        # The order they have in `touchpoints` (see _complete).
        touchpoints.sort(key=lambda t: t.flow.line or 0)
        self._message_touchpoints = touchpoints

    def _complete(self) -> None:
        """The sequence touchpoints and the provider roles, once.

        Everything is stored at the end, so that a failure leaves the
        analysis as it was (and the next question tries again).
        """
        if self._completed:
            return
        model = self.model
        nodes = model.flow_nodes
        lanes, customer = self._node_arrays()
        # Whole-model passes are comprehensions and C-level zips: they touch
        # every node, and a Python loop per node is most of the cost here.
        ids = list(map(id, nodes))
        customer_ids = set(compress(ids, customer))

        touchpoints: list[Touchpoint] = []
        touched_pools: dict[int, Participant] = {}
        onstage_ids: dict[int, FlowNode] = {}

        def mark_onstage(node: FlowNode) -> None:
            onstage_ids.setdefault(id(node), node)
            if node.attached_to is not None:
                # The exception path of a provider activity reaches the customer:
                # that activity is onstage too.
                onstage_ids.setdefault(id(node.attached_to), node.attached_to)

        for touchpoint in self._message_touchpoints:
            provider_end = touchpoint.provider_end
            if isinstance(provider_end, FlowNode):
                mark_onstage(provider_end)
            else:
                touched_pools.setdefault(id(provider_end), provider_end)

        work_free = WORK_FREE_KINDS
        # The links of each customer step (as ActivityGraph.links_from/links_to
        # have them) that leave the customer, outbound then inbound, as
        # (outbound?, step, other end, via, flows). Most steps lead straight
        # to other customer steps: the common shapes are read off the flows,
        # the rest walked, and paths are built only for links that leave.
        found: list[tuple[bool, FlowNode, FlowNode, tuple[FlowNode, ...], tuple[SequenceFlow, ...]]] = []
        add = found.append
        graph = self.activity_graph or ActivityGraph(self.model)
        for node in self.customer_nodes:
            if node.kind in work_free:
                continue
            for forward in (True, False):
                flows = node.outgoing if forward else node.incoming
                if not flows:
                    continue
                jumps = graph.jumps_for(forward)
                if len(flows) == 1:
                    flow = flows[0]
                    other = flow.target if forward else flow.source
                    if other is None:
                        continue
                    if other.kind not in work_free:
                        if id(other) not in customer_ids:
                            add((forward, node, other, (), (flow,)))
                        continue
                    # One flow to or from a gateway (an anchor is never work-free
                    # itself); a link event leads on without flows: walk then.
                    ends = _past_gateway(other, forward) if id(other) not in jumps else None
                    if ends is not None:
                        for end, second in ends:
                            if id(end) not in customer_ids:
                                add((forward, node, end, (other,), (flow, second) if forward else (second, flow)))
                        continue
                elif _direct(flows, forward):
                    for other, flow in _ends(flows, forward):
                        if id(other) not in customer_ids:
                            add((forward, node, other, (), (flow,)))
                    continue
                reached, parent = _reach(node, forward, jumps)
                for end, previous, last in reached:
                    if id(end) not in customer_ids:
                        link = _link(node, end, previous, last, parent, forward)
                        add((forward, node, end, link.via, link.flows))
        for forward, node, other, via, path in found:
            lane = other.lane if other.attached_to is None else effective_lane(other)
            if forward:
                touchpoints.append(Touchpoint("sequence", "outbound", node, other, lane, path[0], via, path))
            else:
                touchpoints.append(Touchpoint("sequence", "inbound", node, other, lane, path[-1], via, path))
            onstage_ids.setdefault(id(other), other)
            if other.attached_to is not None:
                # The exception path of a provider activity reaches the customer:
                # that activity is onstage too.
                onstage_ids.setdefault(id(other.attached_to), other.attached_to)
        # Message flows first (document order), then sequence touchpoints by flow line;
        # the sort is stable, so paths sharing a flow stay in discovery order.
        touchpoints.sort(key=lambda t: t.flow.line or 0)
        touchpoints[:0] = self._message_touchpoints

        # Roles: one comprehension, the rest C-level maps over it.
        for key in customer_ids.intersection(onstage_ids):
            del onstage_ids[key]  # a customer node keeps its role
        onstage_flags = list(map(onstage_ids.__contains__, ids))
        onstage = list(compress(nodes, onstage_flags))
        touched_lanes = set(compress(lanes, onstage_flags))
        touched_lanes.discard(None)
        role_of: list[Role] = [
            "customer" if c else "onstage" if o else "backstage" if lane in touched_lanes else "support"
            for c, o, lane in zip(customer, onstage_flags, lanes)
        ]

        processes: dict[int, Process] = {}
        for node in onstage:
            process = node.process
            if process is not None:
                processes.setdefault(id(process), process)
        for pool in touched_pools.values():
            if pool.process is not None:
                processes.setdefault(id(pool.process), pool.process)
        scope = self.scope
        for lane in scope.lanes:
            process = _process_of_lane(lane)
            if process is not None:
                processes.setdefault(id(process), process)
        customer_processes = {id(p) for p in scope.processes}

        self._touchpoints = touchpoints
        self._unowned_touchpoints = [t for t in touchpoints if t.lane is None]
        self._onstage = onstage
        self._touchpoint_lane_ids = set(map(id, touched_lanes))
        self._touchpoint_lanes = [lane for lane in model.lanes if lane in touched_lanes]
        self._roles.update(zip(ids, role_of))
        self._backstage = list(compress(nodes, map("backstage".__eq__, role_of)))
        self._support = list(compress(nodes, map("support".__eq__, role_of)))
        self._provider_processes = [
            p for p in model.processes if id(p) in processes and id(p) not in customer_processes
        ]
        self._completed = True


def _effective_lanes(nodes: list[FlowNode]) -> list[Lane | None]:
    """:func:`effective_lane` of each node (only boundary events need the host walk)."""
    return [node.lane if node.attached_to is None else effective_lane(node) for node in nodes]


def _process_of_lane(lane: Lane) -> Process | None:
    scope = lane.scope
    while isinstance(scope, SubProcess):
        scope = scope.scope
    return scope if isinstance(scope, Process) else None


def analyse(model: Model, scope: CustomerScope) -> CustomerAnalysis:
    """Shorthand for :meth:`CustomerAnalysis.build`."""
    return CustomerAnalysis.build(model, scope)


def iter_roles(analysis: CustomerAnalysis) -> Iterator[tuple[FlowNode, Role]]:
    """Every flow node with its role, in document order."""
    for node in analysis.model.flow_nodes:
        yield node, analysis.role(node)


__all__ = [
    "ActivityGraph",
    "CustomerAnalysis",
    "Link",
    "Touchpoint",
    "analyse",
    "is_work_free",
    "iter_roles",
]
