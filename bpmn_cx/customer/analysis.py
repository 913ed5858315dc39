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

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..model import FlowNode, Lane, MessageFlow, Model, Participant, Process, SequenceFlow, SubProcess
from .scope import CustomerScope, effective_lane

Role = Literal["customer", "onstage", "backstage", "support"]
Direction = Literal["inbound", "outbound"]

#: Intermediate events do no work: waiting for or signalling something.
_WORK_FREE_EVENTS = frozenset({"intermediateCatchEvent", "intermediateThrowEvent", "implicitThrowEvent"})


def is_work_free(node: FlowNode) -> bool:
    """Gateways and intermediate events: nodes a path passes through without work.

    Start, end and boundary events are not work-free: they begin or end a
    path (a boundary event is part of its host's work).
    """
    return node.is_gateway or node.kind in _WORK_FREE_EVENTS


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

    @staticmethod
    def _walk(start: FlowNode, *, forward: bool) -> list[Link]:
        # Breadth-first through work-free nodes; parent pointers rebuild each path.
        parent: dict[int, tuple[FlowNode | None, SequenceFlow | None]] = {id(start): (None, None)}
        queue: deque[FlowNode] = deque([start])
        found: list[tuple[FlowNode, FlowNode, SequenceFlow]] = []  # (target, previous, flow)
        seen_targets: set[int] = set()
        while queue:
            node = queue.popleft()
            flows = node.outgoing if forward else node.incoming
            for flow in flows:
                nxt = flow.target if forward else flow.source
                if nxt is None:
                    continue
                key = id(nxt)
                if is_work_free(nxt):
                    if key not in parent:
                        parent[key] = (node, flow)
                        queue.append(nxt)
                elif key not in seen_targets:
                    seen_targets.add(key)
                    found.append((nxt, node, flow))
        links: list[Link] = []
        for target, previous, last in found:
            via: list[FlowNode] = []
            flows_path: list[SequenceFlow] = [last]
            node = previous
            while node is not start and node is not None:
                via.append(node)
                prev, flow = parent[id(node)]
                if flow is not None:
                    flows_path.append(flow)
                node = prev
            via.reverse()
            flows_path.reverse()
            if forward:
                links.append(Link(start, target, tuple(via), tuple(flows_path)))
            else:
                # Walking backwards the path was collected target-first: flip it.
                via.reverse()
                flows_path.reverse()
                links.append(Link(target, start, tuple(via), tuple(flows_path)))
        return links


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


@dataclass
class CustomerAnalysis:
    """Touchpoints and node roles of one model for one customer scope.

    Build it with :meth:`build` (or :func:`analyse`); every list is in
    document order.
    """

    model: Model
    scope: CustomerScope
    customer_nodes: list[FlowNode] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    onstage: list[FlowNode] = field(default_factory=list)
    backstage: list[FlowNode] = field(default_factory=list)
    support: list[FlowNode] = field(default_factory=list)
    #: Leaf-most lanes owning an onstage node, in document order.
    touchpoint_lanes: list[Lane] = field(default_factory=list)
    #: Touchpoints whose provider end no lane owns (pool boundaries, lane-less nodes).
    unowned_touchpoints: list[Touchpoint] = field(default_factory=list)
    #: Processes the customer deals with: those holding an onstage node or a
    #: customer lane, and those of pools touched on their boundary.
    provider_processes: list[Process] = field(default_factory=list)
    activity_graph: ActivityGraph | None = None
    _roles: dict[int, Role] = field(default_factory=dict, repr=False)
    _touchpoint_lane_ids: set[int] = field(default_factory=set, repr=False)

    # -- queries -----------------------------------------------------------
    def role(self, node: FlowNode) -> Role:
        """``"customer"``, ``"onstage"``, ``"backstage"`` or ``"support"``."""
        return self._roles.get(id(node), "support")

    def is_customer(self, node: FlowNode) -> bool:
        return self._roles.get(id(node)) == "customer"

    def is_onstage(self, node: FlowNode) -> bool:
        return self._roles.get(id(node)) == "onstage"

    def is_touchpoint_lane(self, lane: Lane | None) -> bool:
        return lane is not None and id(lane) in self._touchpoint_lane_ids

    def touchpoints_of(self, node: FlowNode) -> list[Touchpoint]:
        """Touchpoints with ``node`` at either end (linear scan; cache it if you loop)."""
        return [t for t in self.touchpoints if t.customer_end is node or t.provider_end is node]

    @property
    def touchpoint_lane_ancestors(self) -> list[Lane]:
        """Ancestors of the touchpoint lanes (kept for display), outermost first."""
        out: list[Lane] = []
        seen: set[int] = set(self._touchpoint_lane_ids)
        for lane in self.touchpoint_lanes:
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

    def _compute(self) -> None:
        model, scope = self.model, self.scope
        roles = self._roles
        for node in model.flow_nodes:
            if scope.contains(node):
                roles[id(node)] = "customer"
                self.customer_nodes.append(node)

        touchpoints: list[Touchpoint] = []
        touched_pools: dict[int, Participant] = {}
        onstage_ids: dict[int, FlowNode] = {}

        def mark_onstage(node: FlowNode) -> None:
            onstage_ids.setdefault(id(node), node)
            if node.attached_to is not None:
                # The exception path of a provider activity reaches the customer:
                # that activity is onstage too.
                onstage_ids.setdefault(id(node.attached_to), node.attached_to)

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
            if isinstance(provider_end, FlowNode):
                mark_onstage(provider_end)
            else:
                touched_pools.setdefault(id(provider_end), provider_end)

        graph = self.activity_graph
        assert graph is not None
        for node in self.customer_nodes:
            if is_work_free(node):
                continue
            for link in graph.links_from(node):
                target = link.target
                if roles.get(id(target)) == "customer":
                    continue
                touchpoints.append(
                    Touchpoint("sequence", "outbound", node, target, effective_lane(target),
                               link.flows[0], link.via, link.flows)
                )
                mark_onstage(target)
            for link in graph.links_to(node):
                source = link.source
                if roles.get(id(source)) == "customer":
                    continue
                touchpoints.append(
                    Touchpoint("sequence", "inbound", node, source, effective_lane(source),
                               link.flows[-1], link.via, link.flows)
                )
                mark_onstage(source)
        # Message flows first (document order), then sequence touchpoints by flow line;
        # the sort is stable, so paths sharing a flow stay in discovery order.
        touchpoints.sort(key=lambda t: (t.kind != "message", t.flow.line or 0))
        self.touchpoints = touchpoints
        self.unowned_touchpoints = [t for t in touchpoints if t.lane is None]

        lane_ids: set[int] = set()
        lanes_by_id: dict[int, Lane] = {}
        for node in model.flow_nodes:
            if id(node) in onstage_ids and roles.get(id(node)) != "customer":
                roles[id(node)] = "onstage"
                self.onstage.append(node)
                lane = effective_lane(node)
                if lane is not None and id(lane) not in lane_ids:
                    lane_ids.add(id(lane))
                    lanes_by_id[id(lane)] = lane
        self._touchpoint_lane_ids = lane_ids
        self.touchpoint_lanes = [lane for lane in model.lanes if id(lane) in lane_ids]

        for node in model.flow_nodes:
            key = id(node)
            if key in roles:
                continue
            if id(effective_lane(node)) in lane_ids:
                roles[key] = "backstage"
                self.backstage.append(node)
            else:
                roles[key] = "support"
                self.support.append(node)

        processes: dict[int, Process] = {}
        for node in self.onstage:
            process = node.process
            if process is not None:
                processes.setdefault(id(process), process)
        for pool in touched_pools.values():
            if pool.process is not None:
                processes.setdefault(id(pool.process), pool.process)
        for lane in scope.lanes:
            process = _process_of_lane(lane)
            if process is not None:
                processes.setdefault(id(process), process)
        customer_processes = {id(p) for p in scope.processes}
        self.provider_processes = [
            p for p in model.processes if id(p) in processes and id(p) not in customer_processes
        ]


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
