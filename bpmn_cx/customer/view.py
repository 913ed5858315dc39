"""The customer view: the process as the customer lives it.

:func:`plan_view` decides, as pure data, what the view keeps and what replaces
the rest (:class:`ViewPlan`); :func:`customer_view` wraps that in a
:class:`View` that also writes the result as a BPMN 2.0 document.

What is kept:

* the customer scope (the customer's pool, or the customer's lanes);
* every touchpoint lane with all its nodes (``strict``: only its onstage nodes);
* the start and end events of the provider's process (and of kept sub-processes);
* boundary events whose host is kept; sub-processes holding kept nodes.

Everything else is hidden. Each connected hidden region is replaced by
placeholders, internal decisions and, where needed, internal events and
connectors (see :mod:`bpmn_cx.customer.regions`), which live in one synthetic
lane below the kept lanes: the *line of visibility*.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import FlowNode, Lane, MessageFlow, Model, Participant, Process, SubProcess
from .analysis import ActivityGraph, CustomerAnalysis, Touchpoint
from .regions import HiddenRegion, IdMaker, SyntheticNode, ViewEdge, reduce_scope
from .scope import CustomerScope, effective_lane, find_customer

if TYPE_CHECKING:
    from lxml import etree

#: The name of the synthetic lane that holds placeholders and internal decisions.
DEFAULT_LANE_NAME = "Behind the line of visibility"

_START_END = ("startEvent", "endEvent")


@dataclass
class VisibilityLane:
    """The synthetic lane of one process: what the customer cannot see."""

    id: str
    name: str
    process: Process
    nodes: list[SyntheticNode] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "process": self.process.id,
                "nodes": [n.id for n in self.nodes]}


@dataclass
class ViewPlan:
    """What the customer view of a model keeps, drops and adds. Pure data."""

    model: Model
    customer: CustomerScope
    analysis: CustomerAnalysis
    strict: bool = False
    lane_name: str = DEFAULT_LANE_NAME
    kept_nodes: list[FlowNode] = field(default_factory=list)
    hidden_nodes: list[FlowNode] = field(default_factory=list)
    kept_lanes: list[Lane] = field(default_factory=list)
    #: Why each kept lane stays: customer, touchpoint, ancestor, events, container.
    lane_roles: dict[str, str] = field(default_factory=dict)
    pruned_lanes: list[Lane] = field(default_factory=list)
    kept_processes: list[Process] = field(default_factory=list)
    dropped_processes: list[Process] = field(default_factory=list)
    kept_participants: list[Participant] = field(default_factory=list)
    dropped_participants: list[Participant] = field(default_factory=list)
    kept_message_flows: list[MessageFlow] = field(default_factory=list)
    dropped_message_flows: list[MessageFlow] = field(default_factory=list)
    regions: list[HiddenRegion] = field(default_factory=list)
    #: Every sequence flow of the view, by scope, in document order of scopes.
    edges: list[ViewEdge] = field(default_factory=list)
    #: The synthetic lane of each process that has lanes and hidden work.
    visibility_lanes: list[VisibilityLane] = field(default_factory=list)
    _kept: set[int] = field(default_factory=set, repr=False)
    _kept_lanes: set[int] = field(default_factory=set, repr=False)
    _kept_processes: set[int] = field(default_factory=set, repr=False)
    _kept_participants: set[int] = field(default_factory=set, repr=False)
    #: Sequence flows the view has decided on (kept, retargeted or dropped).
    _handled_flows: set[int] = field(default_factory=set, repr=False)

    # -- queries -----------------------------------------------------------
    def is_kept(self, element: Any) -> bool:
        """For flow nodes, lanes, processes and pools."""
        key = id(element)
        return (
            key in self._kept
            or key in self._kept_lanes
            or key in self._kept_processes
            or key in self._kept_participants
        )

    @property
    def touchpoints(self) -> list[Touchpoint]:
        return self.analysis.touchpoints

    @property
    def synthetic_nodes(self) -> list[SyntheticNode]:
        return [s for region in self.regions for s in region.synthetic]

    @property
    def placeholders(self) -> list[SyntheticNode]:
        return [p for region in self.regions for p in region.placeholders]

    @property
    def internal_decisions(self) -> list[SyntheticNode]:
        return [d for region in self.regions for d in region.decisions]

    def visibility_lane_of(self, process: Process | None) -> VisibilityLane | None:
        for lane in self.visibility_lanes:
            if lane.process is process:
                return lane
        return None

    def to_dict(self) -> dict:
        """The JSON summary of ``bpmn-cx view --format json``."""

        def lane_ref(lane: Lane) -> dict:
            out = {"id": lane.id, "name": lane.label, "path": lane.path}
            role = self.lane_roles.get(lane.id or "")
            if role:
                out["role"] = role
            return out

        def pool_ref(p: Participant) -> dict:
            return {"id": p.id, "name": p.label, "black_box": p.process is None}

        regions = [r.to_dict() for r in self.regions]
        return {
            "customer": self.customer.to_dict(),
            "strict": self.strict,
            "kept_lanes": [lane_ref(lane) for lane in self.kept_lanes],
            "pruned_lanes": [lane_ref(lane) for lane in self.pruned_lanes],
            "kept_pools": [pool_ref(p) for p in self.kept_participants],
            "dropped_pools": [pool_ref(p) for p in self.dropped_participants],
            "kept_nodes": [n.id for n in self.kept_nodes],
            "hidden_nodes": [n.id for n in self.hidden_nodes],
            "touchpoints": [t.to_dict() for t in self.analysis.touchpoints],
            "unowned_touchpoints": [t.to_dict() for t in self.analysis.unowned_touchpoints],
            "touchpoint_lanes": [lane_ref(lane) for lane in self.analysis.touchpoint_lanes],
            "hidden_regions": regions,
            "placeholders": [p.to_dict() for p in self.placeholders],
            "internal_decisions": [d.to_dict() for d in self.internal_decisions],
            "internal_events": [e.to_dict() for r in self.regions for e in r.events],
            "connectors": [c.to_dict() for r in self.regions for c in r.connectors],
            "line_of_visibility": [v.to_dict() for v in self.visibility_lanes],
            "message_flows": {
                "kept": [f.id for f in self.kept_message_flows],
                "dropped": [f.id for f in self.dropped_message_flows],
            },
            "summary": {
                "kept_nodes": len(self.kept_nodes),
                "hidden_nodes": len(self.hidden_nodes),
                "kept_lanes": len(self.kept_lanes),
                "pruned_lanes": len(self.pruned_lanes),
                "touchpoints": len(self.analysis.touchpoints),
                "unowned_touchpoints": len(self.analysis.unowned_touchpoints),
                "hidden_regions": len(self.regions),
                "placeholders": len(self.placeholders),
                "internal_decisions": len(self.internal_decisions),
            },
        }


def _is_event_subprocess(node: FlowNode) -> bool:
    return isinstance(node, SubProcess) and node.triggered_by_event


def plan_view(
    model: Model,
    customer: CustomerScope | str | Iterable[str] | None = None,
    *,
    strict: bool = False,
    lane_name: str = DEFAULT_LANE_NAME,
    names: Iterable[str] | None = None,
    analysis: CustomerAnalysis | None = None,
) -> ViewPlan:
    """Decide what the customer view keeps and what replaces the rest.

    ``customer`` is a :class:`CustomerScope`, pool/lane names or ids, or
    ``None`` for auto-detection (``names`` overrides the role list). Raises
    :class:`~bpmn_cx.customer.scope.CustomerError` when there is no customer.
    """
    scope = customer if isinstance(customer, CustomerScope) else find_customer(model, customer, names=names)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many long-lived objects, no cycles worth collecting meanwhile
    try:
        if analysis is None:
            analysis = CustomerAnalysis.build(model, scope)
        return _plan(model, scope, analysis, strict, lane_name)
    finally:
        if gc_was_enabled:
            gc.enable()


def _plan(model: Model, scope: CustomerScope, analysis: CustomerAnalysis, strict: bool, lane_name: str) -> ViewPlan:
    plan = ViewPlan(model, scope, analysis, strict=strict, lane_name=lane_name or DEFAULT_LANE_NAME)

    # Processes: the customer's and the provider's; the rest is support and goes.
    kept_process_ids = {id(p) for p in scope.processes} | {id(p) for p in analysis.provider_processes}
    plan.kept_processes = [p for p in model.processes if id(p) in kept_process_ids]
    plan.dropped_processes = [p for p in model.processes if id(p) not in kept_process_ids]
    plan._kept_processes = kept_process_ids

    # Nodes. ``base``: kept for their own sake; ``needed``: sub-processes that
    # contain something kept; then top-down, so hidden sub-processes take
    # their contents with them.
    base: set[int] = set()
    for node in model.flow_nodes:
        role = analysis.role(node)
        if role in ("customer", "onstage") or (role == "backstage" and not strict):
            base.add(id(node))
    needed: set[int] = set()
    for node in reversed(model.flow_nodes):
        if (id(node) in base or id(node) in needed) and isinstance(node.scope, SubProcess):
            needed.add(id(node.scope))
    kept: set[int] = set()
    boundary: list[FlowNode] = []
    for node in model.flow_nodes:
        container = node.scope
        if isinstance(container, SubProcess):
            if id(container) not in kept:
                continue
        elif container is None or id(container) not in kept_process_ids:
            continue
        if node.kind == "boundaryEvent" and node.attached_to is not None:
            boundary.append(node)
            continue
        if id(node) in base or id(node) in needed or node.kind in _START_END:
            kept.add(id(node))
    for node in boundary:
        if id(node.attached_to) in kept and node.attached_to.scope is node.scope:  # type: ignore[union-attr]
            kept.add(id(node))
    jumps = (analysis.activity_graph or ActivityGraph(model)).jumps
    _hide_split_links(model, jumps, kept)
    plan._kept = kept
    plan.kept_nodes = [n for n in model.flow_nodes if id(n) in kept]
    plan.hidden_nodes = [
        n for n in model.flow_nodes if id(n) not in kept and n.process is not None and id(n.process) in kept_process_ids
    ]

    _plan_lanes(plan)
    _plan_pools(plan)

    # Hidden regions, scope by scope: kept processes, then kept sub-processes.
    ids = IdMaker(model.all_ids)
    scopes: list[Any] = list(plan.kept_processes)
    scopes.extend(n for n in plan.kept_nodes if isinstance(n, SubProcess))
    # Flows by the scope of their ends, wherever the file wrote them.
    flows_by_scope: dict[int, list[Any]] = {}
    for flow in model.sequence_flows:
        s, t = flow.source, flow.target
        if s is not None and t is not None and s.scope is t.scope and s.scope is not None:
            flows_by_scope.setdefault(id(s.scope), []).append(flow)
    for container in scopes:
        handled = flows_by_scope.get(id(container), [])
        plan._handled_flows.update(id(f) for f in handled)
        result = reduce_scope(container, lambda n: id(n) in kept, ids, flows=handled, jumps=jumps)
        plan.regions.extend(result.regions)
        plan.edges.extend(result.edges)

    # The line of visibility: one synthetic lane per process that has lanes.
    by_process: dict[int, VisibilityLane] = {}
    for region in plan.regions:
        if not isinstance(region.scope, Process) or not region.scope.lanes:
            continue
        lane = by_process.get(id(region.scope))
        if lane is None:
            lane = VisibilityLane(ids.make("Lane", f"line of visibility {region.scope.id}"),
                                  plan.lane_name, region.scope)
            by_process[id(region.scope)] = lane
        lane.nodes.extend(s for s in region.synthetic)
    plan.visibility_lanes = [by_process[id(p)] for p in plan.kept_processes if id(p) in by_process]
    return plan


def _hide_split_links(model: Model, jumps: dict[int, list[FlowNode]], kept: set[int]) -> None:
    """A link throw and its catches are one sequence flow drawn as two events:
    where the view hides one of them, it hides all, and the hidden region
    around them carries the path on (see reduce_scope)."""
    throws = [node for node in model.flow_nodes if id(node) in jumps]
    changed = bool(throws)
    while changed:  # a catch shared by several throws can pull in another pair
        changed = False
        for throw in throws:
            pair = [throw, *jumps[id(throw)]]
            states = {id(node) in kept for node in pair}
            if len(states) == 2:
                kept.difference_update(map(id, pair))
                changed = True


def _plan_lanes(plan: ViewPlan) -> None:
    model, scope, analysis = plan.model, plan.customer, plan.analysis
    roles: dict[int, str] = {}
    for lane in model.lanes:
        if scope.has_lane(lane):
            roles[id(lane)] = "customer"
    for process in scope.processes:
        for lane in process.lanes:
            roles[id(lane)] = "customer"
    for lane in analysis.touchpoint_lanes:
        roles.setdefault(id(lane), "touchpoint")
    only_events: dict[int, bool] = {}
    for node in plan.kept_nodes:
        lane = effective_lane(node)
        if lane is None or id(lane) in roles:
            continue
        is_event = node.kind in _START_END or (
            node.kind == "boundaryEvent" and node.attached_to is not None and node.attached_to.kind in _START_END
        )
        only_events[id(lane)] = only_events.get(id(lane), True) and is_event
    lanes_by_id = {id(lane): lane for lane in model.lanes}
    for key, events in only_events.items():
        roles[key] = "events" if events else "container"
    for key in list(roles):
        lane = lanes_by_id.get(key)
        if lane is None:
            continue
        for ancestor in lane.ancestors:
            roles.setdefault(id(ancestor), "ancestor")
    plan._kept_lanes = set(roles)
    plan.kept_lanes = [lane for lane in model.lanes if id(lane) in roles]
    plan.pruned_lanes = [lane for lane in model.lanes if id(lane) not in roles]
    plan.lane_roles = {lane.id or "": roles[id(lane)] for lane in plan.kept_lanes}


def _plan_pools(plan: ViewPlan) -> None:
    model, scope = plan.model, plan.customer
    kept: set[int] = {id(p) for p in scope.participants}
    for participant in model.participants:
        if participant.process is not None and id(participant.process) in plan._kept_processes:
            kept.add(id(participant))

    def available(end: Any) -> bool:
        if isinstance(end, Participant):
            return id(end) in kept or end.process is None
        return isinstance(end, FlowNode) and id(end) in plan._kept

    def anchored(end: Any) -> bool:
        if isinstance(end, Participant):
            return id(end) in kept
        return isinstance(end, FlowNode) and id(end) in plan._kept

    black_boxes: set[int] = set()
    for flow in model.message_flows:
        s, t = flow.source, flow.target
        if available(s) and available(t) and (anchored(s) or anchored(t)):
            plan.kept_message_flows.append(flow)
            for end in (s, t):
                if isinstance(end, Participant) and id(end) not in kept:
                    black_boxes.add(id(end))
        else:
            plan.dropped_message_flows.append(flow)
    kept |= black_boxes
    plan._kept_participants = kept
    plan.kept_participants = [p for p in model.participants if id(p) in kept]
    plan.dropped_participants = [p for p in model.participants if id(p) not in kept]


class View:
    """The customer view of a model.

    ``model`` is the view as a loaded :class:`~bpmn_cx.model.Model` (built on
    first access); ``to_bytes()`` is the BPMN 2.0 document. ``customer``,
    ``kept_lanes``, ``pruned_lanes``, ``touchpoints`` and ``hidden_regions``
    describe what happened; ``plan`` has every detail.
    """

    def __init__(self, plan: ViewPlan) -> None:
        self.plan = plan
        self._tree: etree._ElementTree | None = None
        self._bytes: bytes | None = None
        self._model: Model | None = None

    # -- description ------------------------------------------------------
    @property
    def source(self) -> Model:
        """The original model."""
        return self.plan.model

    @property
    def customer(self) -> CustomerScope:
        return self.plan.customer

    @property
    def analysis(self) -> CustomerAnalysis:
        return self.plan.analysis

    @property
    def kept_lanes(self) -> list[Lane]:
        return self.plan.kept_lanes

    @property
    def pruned_lanes(self) -> list[Lane]:
        return self.plan.pruned_lanes

    @property
    def touchpoints(self) -> list[Touchpoint]:
        return self.plan.analysis.touchpoints

    @property
    def hidden_regions(self) -> list[HiddenRegion]:
        return self.plan.regions

    @property
    def placeholders(self) -> list[SyntheticNode]:
        return self.plan.placeholders

    @property
    def kept_nodes(self) -> list[FlowNode]:
        return self.plan.kept_nodes

    # -- output ------------------------------------------------------------
    @property
    def tree(self) -> etree._ElementTree:
        """The view document as an lxml tree (parsed on first access)."""
        if self._tree is None:
            from .write import parse_document

            self._tree = parse_document(self.to_bytes())
        return self._tree

    def to_bytes(self) -> bytes:
        """The view as a BPMN 2.0 document (UTF-8, deterministic)."""
        if self._bytes is None:
            from .write import build_document

            self._bytes = build_document(self.plan)
        return self._bytes

    @property
    def model(self) -> Model:
        """The view, loaded as a model (its ``path`` is ``None``)."""
        if self._model is None:
            from ..loader import load

            self._model = load(self.to_bytes())
        return self._model

    def to_dict(self) -> dict:
        out = self.plan.to_dict()
        out["file"] = self.plan.model.path
        return out

    def to_mermaid(self) -> str:
        from .export import to_mermaid

        return to_mermaid(self.plan)

    def __repr__(self) -> str:
        return (
            f"<View of {self.source.path or '<bytes>'} for {self.customer.label!r}: "
            f"{len(self.plan.kept_nodes)} kept, {len(self.plan.hidden_nodes)} hidden, "
            f"{len(self.placeholders)} placeholders>"
        )


def customer_view(
    model: Model,
    customer: CustomerScope | str | Iterable[str] | None = None,
    *,
    strict: bool = False,
    lane_name: str = DEFAULT_LANE_NAME,
    names: Iterable[str] | None = None,
) -> View:
    """The customer view of ``model``.

    ``customer``: pool or lane names/ids (or a :class:`CustomerScope`); ``None``
    detects the customer by name. ``strict`` also hides backstage nodes.
    ``lane_name`` names the synthetic lane; ``names`` replaces the list of
    customer role names used by auto-detection. Raises
    :class:`~bpmn_cx.customer.scope.CustomerError` when there is no customer.
    """
    return View(plan_view(model, customer, strict=strict, lane_name=lane_name, names=names))


__all__ = ["DEFAULT_LANE_NAME", "View", "ViewPlan", "VisibilityLane", "customer_view", "plan_view"]
