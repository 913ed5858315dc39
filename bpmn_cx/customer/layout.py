"""Diagram layout of the customer view (BPMN DI), computed from the original DI.

As LOVEM draws it: the customer's pool (or the pool holding the customer's
lanes) on top, and inside a pool the customer's lanes first; the other kept
lanes follow in their original order, then the synthetic lane *behind the line
of visibility*. Lanes are restacked and resized; every kept shape keeps its x
position (so the x order of the original is kept) and its offset inside its
lane. Placeholders are centred over the span of the shapes they replace.
Shapes that would overlap are pushed down inside their lane, which grows.
Sequence flows are routed orthogonally, message flows vertically.

When the original has no DI for a process, its nodes are laid out left to
right by longest-path rank.

Everything is linear in the number of shapes, apart from the overlap check,
which only compares a shape with the shapes of its lane that reach its x range.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..model import Bounds, FlowNode, Lane, Participant, Process, SubProcess
from .regions import SyntheticNode, ViewEdge, ViewNode
from .scope import effective_lane

TASK_W, TASK_H = 100, 80
GATEWAY = 50
EVENT = 36
POOL_LABEL = 30
LANE_MIN_H = 120
SYNTHETIC_ROW_H = 120
GAP = 40
X_STEP = 150
POOL_GAP = 40


def default_size(kind: str) -> tuple[float, float]:
    if kind.endswith("Gateway"):
        return GATEWAY, GATEWAY
    if kind.endswith("Event"):
        return EVENT, EVENT
    return TASK_W, TASK_H


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
        )

    def as_bounds(self) -> Bounds:
        # Round the edges, not the sizes: boxes stacked edge to edge stay so.
        x, y = round(self.x), round(self.y)
        return Bounds(x, y, round(self.x + self.w) - x, round(self.y + self.h) - y)

    @classmethod
    def of(cls, b: Bounds) -> Box:
        return cls(b.x, b.y, b.width, b.height)


@dataclass
class Band:
    """A horizontal strip of a pool: a kept leaf lane, or the synthetic lane."""

    lane: Lane | None
    synthetic: bool = False
    orig_top: float | None = None
    orig_height: float | None = None
    nodes: list[ViewNode] = field(default_factory=list)
    top: float = 0.0
    height: float = 0.0


@dataclass
class LayoutResult:
    #: Element id -> bounds, in drawing order (pools, lanes, nodes, ...).
    shapes: dict[str, Bounds] = field(default_factory=dict)
    #: Element id -> (dx, dy) applied to a kept shape (to move its label along).
    shifts: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Element id -> waypoints, for sequence flows, message flows and associations.
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    #: Sub-processes drawn expanded (their children have shapes).
    expanded: set[str] = field(default_factory=set)


class ViewLayout:
    """Computes :class:`LayoutResult` for a :class:`~bpmn_cx.customer.view.ViewPlan`."""

    def __init__(self, plan: Any, nodes_by_scope: dict[int, list[ViewNode]], edges: list[ViewEdge]) -> None:
        self.plan = plan
        self.model = plan.model
        self.nodes_by_scope = nodes_by_scope
        self.edges = edges
        self.result = LayoutResult()
        self.boxes: dict[int, Box] = {}  # id(view node) -> box
        self.orig: dict[int, Box | None] = {}
        self.succ: dict[int, list[ViewNode]] = {}
        self.pred: dict[int, list[ViewNode]] = {}
        for edge in edges:
            self.succ.setdefault(id(edge.source), []).append(edge.target)
            self.pred.setdefault(id(edge.target), []).append(edge.source)

    # -- helpers ------------------------------------------------------------
    def original_box(self, node: ViewNode) -> Box | None:
        key = id(node)
        if key in self.orig:
            return self.orig[key]
        box = None
        if isinstance(node, FlowNode):
            shape = self.model.shape(node.id)
            if shape is not None and shape.bounds is not None and shape.bounds.width > 0:
                box = Box.of(shape.bounds)
        else:
            box = self.span_box(node)
        self.orig[key] = box
        return box

    def span_box(self, node: SyntheticNode) -> Box | None:
        """Where a synthetic node goes: centred over the shapes it replaces."""
        left = right = top = None
        for member in node.hidden:
            shape = self.model.shape(member.id)
            if shape is None or shape.bounds is None:
                continue
            b = shape.bounds
            left = b.x if left is None else min(left, b.x)
            right = b.right if right is None else max(right, b.right)
            top = b.y if top is None else min(top, b.y)
        if left is None or right is None or top is None:
            return None
        w, h = default_size(node.kind)
        if node.role == "placeholder":
            w, h = TASK_W, TASK_H
        return Box((left + right) / 2 - w / 2, top, w, h)

    def shape_bounds(self, element: Any) -> Box | None:
        shape = self.model.shape(getattr(element, "id", None))
        if shape is None or shape.bounds is None:
            return None
        return Box.of(shape.bounds)

    # -- the whole diagram ----------------------------------------------------
    def run(self) -> LayoutResult:
        plan = self.plan
        pools = self.ordered_pools()
        processes_drawn: list[Process] = []
        tops = [b.y for p in pools if (b := self.shape_bounds(p)) is not None]
        left_edges = [b.x for p in pools if (b := self.shape_bounds(p)) is not None]
        if not pools:
            # A process without a pool: its lanes (if any) are drawn where they were.
            for process in plan.kept_processes[:1]:
                lane_boxes = [b for lane in process.lanes if (b := self.shape_bounds(lane)) is not None]
                tops = [b.y for b in lane_boxes]
                left_edges = [b.x for b in lane_boxes]
        y = min(tops) if tops else 80.0
        left = min(left_edges) if left_edges else 100.0
        laid: list[tuple[Participant | None, Process | None, float, float, list[Band]]] = []
        entries: list[tuple[Participant | None, Process | None]] = [
            (p, p.process if p.process is not None and plan.is_kept(p.process) else None) for p in pools
        ]
        if not pools:
            entries = [(None, process) for process in plan.kept_processes[:1]]
        for participant, process in entries:
            x0 = left
            box = self.shape_bounds(participant) if participant is not None else None
            if box is not None:
                x0 = box.x
            if process is None:
                height = box.h if box is not None else 80.0
                laid.append((participant, None, y, height, []))
                y += height + POOL_GAP
                continue
            processes_drawn.append(process)
            bands = self.layout_process(process, participant, x0, y)
            height = sum(b.height for b in bands)
            laid.append((participant, process, y, height, bands))
            y += height + POOL_GAP
        # Every pool spans the same width: from its left to the rightmost content.
        right = left + 600.0
        for box in self.boxes.values():
            right = max(right, box.right + 60)
        for participant, process, top, height, bands in laid:
            box = self.shape_bounds(participant) if participant is not None else None
            x0 = box.x if box is not None else left
            if participant is not None:
                self.put(participant.id, Box(x0, top, right - x0, height), None)
            if process is not None:
                self.draw_lanes(process, participant, bands, x0, right)
        for process in processes_drawn:
            self.draw_nodes(process)
        self.route_edges()
        self.route_message_flows(laid)
        return self.result

    def ordered_pools(self) -> list[Participant]:
        plan = self.plan
        pools = list(plan.kept_participants)
        if not pools:
            return []
        customer = plan.customer

        def rank(p: Participant) -> tuple:
            box = self.shape_bounds(p)
            first = 0 if customer.has_participant(p) else 1
            if first and p.process is not None and any(
                customer.has_lane(lane) for lane in p.process.lanes
            ):
                first = 0
            return (first, box.y if box is not None else 0.0, pools.index(p))

        return sorted(pools, key=rank)

    # -- one process ----------------------------------------------------------
    def ordered_leaf_lanes(self, process: Process) -> list[Lane]:
        """Kept lanes without kept children, customer branch first, then original order."""
        plan = self.plan
        customer = plan.customer
        out: list[Lane] = []

        def branch_key(lane: Lane, index: int) -> tuple:
            box = self.shape_bounds(lane)
            has_customer = customer.has_lane(lane) or any(
                customer.has_lane(d) for d in _descendants(lane)
            )
            return (0 if has_customer else 1, box.y if box is not None else 0.0, index)

        top = [lane for ls in process.lane_sets for lane in ls.lanes if plan.is_kept(lane)]
        stack: list[Lane] = []
        ordered_top = [lane for _, lane in sorted(
            ((branch_key(lane, i), lane) for i, lane in enumerate(top)), key=lambda t: t[0])]
        stack.extend(reversed(ordered_top))
        while stack:
            lane = stack.pop()
            children = [c for c in lane.child_lanes if plan.is_kept(c)]
            if not children:
                out.append(lane)
                continue
            ordered = [c for _, c in sorted(
                ((branch_key(c, i), c) for i, c in enumerate(children)), key=lambda t: t[0])]
            stack.extend(reversed(ordered))
        return out

    def band_for(self, node: FlowNode, bands: list[Band], by_lane: dict[int, Band]) -> Band:
        lane = effective_lane(node)
        box = self.original_box(node)
        while lane is not None and id(lane) not in by_lane:
            children = [c for c in lane.child_lanes if self.plan.is_kept(c)]
            if not children:
                lane = None
                break
            chosen = children[0]
            if box is not None:
                for child in children:
                    cb = self.shape_bounds(child)
                    if cb is not None and cb.y <= box.cy <= cb.bottom:
                        chosen = child
                        break
            lane = chosen
        if lane is not None:
            return by_lane[id(lane)]
        lane_bands = [b for b in bands if not b.synthetic]
        if box is not None:
            for band in lane_bands:
                if band.orig_top is not None and band.orig_height is not None and \
                        band.orig_top <= box.cy <= band.orig_top + band.orig_height:
                    return band
        return lane_bands[0]

    def layout_process(self, process: Process, participant: Participant | None, x0: float, top: float) -> list[Band]:
        leafs = self.ordered_leaf_lanes(process)
        bands = [Band(lane) for lane in leafs]
        pool_box = self.shape_bounds(participant) if participant is not None else None
        for band in bands:
            box = self.shape_bounds(band.lane)
            if box is not None:
                band.orig_top, band.orig_height = box.y, box.h
        if not bands:
            band = Band(None)
            if pool_box is not None:
                band.orig_top, band.orig_height = pool_box.y, pool_box.h
            bands.append(band)
        by_lane = {id(b.lane): b for b in bands if b.lane is not None}
        synthetic_band: Band | None = None
        top_nodes = self.nodes_by_scope.get(id(process), [])
        if any(isinstance(n, SyntheticNode) for n in top_nodes):
            synthetic_band = Band(None, synthetic=True)
        for node in top_nodes:
            if isinstance(node, SyntheticNode):
                if node.role != "event":
                    synthetic_band.nodes.append(node)  # type: ignore[union-attr]
            elif node.kind == "boundaryEvent" and node.attached_to is not None:
                continue
            else:
                self.band_for(node, bands, by_lane).nodes.append(node)

        generated = not any(self.original_box(n) is not None for n in top_nodes if isinstance(n, FlowNode))
        self.place_x(top_nodes, generated, x0 + POOL_LABEL + 30)

        all_bands = [*bands, *([synthetic_band] if synthetic_band is not None else [])]
        y = top
        for band in all_bands:
            if band.synthetic:
                self.layout_synthetic_band(band, y)
            else:
                self.layout_band(band, y)
            y += band.height
        return all_bands

    def place_x(self, nodes: list[ViewNode], generated: bool, x0: float) -> None:
        """Give every top-level node of a process a box (y is fixed per band later)."""
        unknown: list[ViewNode] = []
        for node in nodes:
            if isinstance(node, FlowNode) and node.kind == "boundaryEvent" and node.attached_to is not None:
                continue
            if isinstance(node, SyntheticNode) and node.role == "event":
                continue
            box = None if generated else self.original_box(node)
            if box is not None:
                self.boxes[id(node)] = Box(box.x, box.y, box.w, box.h)
            else:
                unknown.append(node)
        if not unknown:
            return
        if generated:
            ranks = _ranks(unknown, self.succ)
            for node in unknown:
                w, h = self.size_of(node)
                cx = x0 + ranks[id(node)] * X_STEP + TASK_W / 2
                self.boxes[id(node)] = Box(cx - w / 2, 0.0, w, h)
            return
        # Mixed: place each unknown node right of its placed predecessors (or
        # left of its placed successors), spreading out from what is placed.
        pending = {id(n): n for n in unknown}
        queue: deque[ViewNode] = deque(n for n in unknown if any(
            id(p) in self.boxes for p in self.pred.get(id(n), [])) or any(
            id(s) in self.boxes for s in self.succ.get(id(n), [])))
        while pending:
            while queue:
                node = queue.popleft()
                if id(node) not in pending:
                    continue
                w, h = self.size_of(node)
                preds = [self.boxes[id(p)] for p in self.pred.get(id(node), []) if id(p) in self.boxes]
                succs = [self.boxes[id(s)] for s in self.succ.get(id(node), []) if id(s) in self.boxes]
                if preds:
                    x = max(b.right for b in preds) + 50
                elif succs:
                    x = min(b.x for b in succs) - 50 - w
                else:
                    continue
                self.boxes[id(node)] = Box(x, 0.0, w, h)
                del pending[id(node)]
                for other in (*self.succ.get(id(node), []), *self.pred.get(id(node), [])):
                    if id(other) in pending:
                        queue.append(other)
            if pending:
                # Nothing placed nearby: start after everything placed so far.
                start = max((b.right for b in self.boxes.values()), default=x0) + 50
                node = next(iter(pending.values()))
                w, h = self.size_of(node)
                self.boxes[id(node)] = Box(start, 0.0, w, h)
                del pending[id(node)]
                for other in (*self.succ.get(id(node), []), *self.pred.get(id(node), [])):
                    if id(other) in pending:
                        queue.append(other)

    def size_of(self, node: ViewNode) -> tuple[float, float]:
        if isinstance(node, SyntheticNode):
            if node.role == "placeholder":
                return TASK_W, TASK_H
            return default_size(node.kind)
        box = self.original_box(node)
        if box is not None:
            return box.w, box.h
        return default_size(node.kind)

    def layout_band(self, band: Band, top: float) -> None:
        """Keep each node's offset inside its lane; push down what would overlap."""
        with_orig: list[tuple[Box, float]] = []
        without: list[Box] = []
        for node in band.nodes:
            box = self.boxes[id(node)]
            orig = self.original_box(node)
            # A node placed from its own original box keeps its offset in the lane.
            if orig is not None and box.x == orig.x and box.y == orig.y:
                with_orig.append((box, orig.y))
            else:
                without.append(box)
        orig_top = band.orig_top
        if orig_top is None and with_orig:
            orig_top = min(y for _, y in with_orig) - 40
        base_h = band.orig_height if band.orig_height else float(LANE_MIN_H)
        shift = 0.0
        if with_orig and orig_top is not None:
            lowest = min(top + (y - orig_top) for _, y in with_orig)
            if lowest < top + 10:
                shift = top + 10 - lowest
            for box, y in with_orig:
                box.y = top + (y - orig_top) + shift
        centre = top + shift + base_h / 2
        for box in without:
            box.y = centre - box.h / 2
        boxes = [box for box, _ in with_orig] + without
        _resolve_overlaps(boxes)
        bottom = max((b.bottom for b in boxes), default=top)
        band.top = top
        band.height = max(base_h, bottom - top + 30)

    def layout_synthetic_band(self, band: Band, top: float) -> None:
        nodes = sorted(band.nodes, key=lambda n: (self.boxes[id(n)].x, n.id))
        rows: list[float] = []  # right edge of the last shape of each row
        for node in nodes:
            box = self.boxes[id(node)]
            for index, row_right in enumerate(rows):
                if box.x >= row_right + GAP:
                    rows[index] = box.right
                    row = index
                    break
            else:
                rows.append(box.right)
                row = len(rows) - 1
            box.y = top + 20 + row * SYNTHETIC_ROW_H + (TASK_H - box.h) / 2
        band.top = top
        band.height = max(LANE_MIN_H + 30, 40 + len(rows) * SYNTHETIC_ROW_H)
        for node in nodes:
            self.record_node(node, self.boxes[id(node)])

    def record_node(self, node: ViewNode, box: Box) -> None:
        self.boxes[id(node)] = box

    # -- drawing -------------------------------------------------------------
    def put(self, element_id: str | None, box: Box, orig: Box | None) -> None:
        if not element_id:
            return
        self.result.shapes[element_id] = box.as_bounds()
        if orig is not None:
            self.result.shifts[element_id] = (box.x - orig.x, box.y - orig.y)

    def draw_lanes(self, process: Process, participant: Participant | None, bands: list[Band],
                   x0: float, right: float) -> None:
        plan = self.plan
        lane_x0 = x0 + POOL_LABEL if participant is not None else x0
        extents: dict[int, tuple[float, float]] = {}
        for band in bands:
            if band.synthetic:
                continue
            lane = band.lane
            while lane is not None:
                lo, hi = extents.get(id(lane), (band.top, band.top + band.height))
                extents[id(lane)] = (min(lo, band.top), max(hi, band.top + band.height))
                lane = lane.parent
        for lane in process.lanes:
            if not plan.is_kept(lane) or id(lane) not in extents:
                continue
            lo, hi = extents[id(lane)]
            x = lane_x0 + POOL_LABEL * lane.depth
            self.put(lane.id, Box(x, lo, right - x, hi - lo), self.shape_bounds(lane))
        visibility = plan.visibility_lane_of(process)
        for band in bands:
            if band.synthetic and visibility is not None:
                self.put(visibility.id, Box(lane_x0, band.top, right - lane_x0, band.height), None)

    def draw_nodes(self, process: Process) -> None:
        """Shapes of the process's nodes, sub-process contents and boundary events."""
        stack: list[tuple[Any, float, float, bool]] = [(process, 0.0, 0.0, True)]
        while stack:
            scope, dx, dy, top_level = stack.pop()
            nodes = self.nodes_by_scope.get(id(scope), [])
            attached: list[ViewNode] = []
            for node in nodes:
                if (isinstance(node, FlowNode) and node.kind == "boundaryEvent" and node.attached_to is not None) \
                        or (isinstance(node, SyntheticNode) and node.role == "event"):
                    attached.append(node)
                    continue
                orig = self.original_box(node) if isinstance(node, FlowNode) else None
                if top_level:
                    box = self.boxes[id(node)]
                else:
                    base = self.original_box(node)
                    if base is None:
                        continue  # content of a sub-process drawn without DI
                    box = Box(base.x + dx, base.y + dy, base.w, base.h)
                    self.boxes[id(node)] = box
                self.put(node.id, box, orig)
                if isinstance(node, SubProcess) and self.nodes_by_scope.get(id(node)):
                    shape = self.model.shape(node.id)
                    expanded = shape is not None and shape.is_expanded is not False and orig is not None \
                        and orig.w > TASK_W * 1.5
                    if expanded:
                        self.result.expanded.add(node.id or "")
                        ndx, ndy = (box.x - orig.x, box.y - orig.y) if orig is not None else (0.0, 0.0)
                        stack.append((node, ndx, ndy, False))
            for node in attached:
                host = node.attached_to
                host_box = self.boxes.get(id(host)) if host is not None else None
                if host_box is None:
                    continue
                orig = self.original_box(node) if isinstance(node, FlowNode) else None
                host_orig = self.original_box(host) if isinstance(host, FlowNode) else None
                if orig is not None and host_orig is not None:
                    box = Box(orig.x + host_box.x - host_orig.x, orig.y + host_box.y - host_orig.y, orig.w, orig.h)
                else:
                    siblings = [n for n in attached if n.attached_to is host]
                    index = siblings.index(node)
                    box = Box(host_box.right - EVENT - 8 - index * (EVENT + 6), host_box.bottom - EVENT / 2,
                              EVENT, EVENT)
                self.boxes[id(node)] = box
                self.put(node.id, box, orig)

    def route_edges(self) -> None:
        for edge in self.edges:
            a = self.boxes.get(id(edge.source))
            b = self.boxes.get(id(edge.target))
            if a is None or b is None or edge.source.id not in self.result.shapes \
                    or edge.target.id not in self.result.shapes:
                continue
            is_boundary = edge.source.kind == "boundaryEvent"
            self.result.edges[edge.id] = route(a, b, from_boundary=is_boundary)

    def route_message_flows(self, laid: list) -> None:
        pool_box: dict[int, Box] = {}
        for participant, _process, _top, _h, _bands in laid:
            if participant is not None and participant.id in self.result.shapes:
                pool_box[id(participant)] = Box.of(self.result.shapes[participant.id])
        for flow in self.plan.kept_message_flows:
            ends = []
            for end in (flow.source, flow.target):
                if isinstance(end, Participant):
                    ends.append(pool_box.get(id(end)))
                else:
                    box = self.boxes.get(id(end))
                    ends.append(box if end is not None and end.id in self.result.shapes else None)
            s, t = ends
            if s is None or t is None:
                continue
            self.result.edges[flow.id or ""] = route_message(
                s, t, isinstance(flow.source, Participant), isinstance(flow.target, Participant))

    def place_artifact(self, element_id: str, orig: Bounds, anchor: ViewNode | None) -> None:
        """Move a kept data object or annotation along with the node it belongs to."""
        dx = dy = 0.0
        if anchor is not None:
            box = self.boxes.get(id(anchor))
            base = self.original_box(anchor)
            if box is None or base is None:
                return
            dx, dy = box.x - base.x, box.y - base.y
        o = Box.of(orig)
        self.put(element_id, Box(o.x + dx, o.y + dy, o.w, o.h), o)


def _descendants(lane: Lane) -> list[Lane]:
    out: list[Lane] = []
    stack = list(lane.child_lanes)
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.child_lanes)
    return out


def _resolve_overlaps(boxes: list[Box]) -> None:
    """Push boxes down until no two overlap; boxes further left stay put."""
    active: list[Box] = []  # placed boxes that still reach the current x
    for box in sorted(boxes, key=lambda b: (b.x, b.y)):
        # Boxes come in x order: one that ends left of this box ends left of
        # every later box too.
        limit = box.x
        active = [b for b in active if b.x + b.w + 10 > limit]
        moved = True
        while moved:
            moved = False
            for other in active:
                if box.overlaps(other, gap=10):
                    box.y = other.y + other.h + 20
                    moved = True
        active.append(box)


def _ranks(nodes: list[ViewNode], succ: dict[int, list[ViewNode]]) -> dict[int, int]:
    """Longest-path rank of each node over the flows among them (back edges ignored)."""
    members = {id(n): n for n in nodes}
    state: dict[int, int] = {}
    back: set[tuple[int, int]] = set()
    for root in nodes:
        if id(root) in state:
            continue
        state[id(root)] = 1
        stack = [(root, iter(succ.get(id(root), [])))]
        while stack:
            node, it = stack[-1]
            advanced = False
            for nxt in it:
                if id(nxt) not in members:
                    continue
                s = state.get(id(nxt))
                if s is None:
                    state[id(nxt)] = 1
                    stack.append((nxt, iter(succ.get(id(nxt), []))))
                    advanced = True
                    break
                if s == 1:
                    back.add((id(node), id(nxt)))
            if not advanced:
                state[id(node)] = 2
                stack.pop()
    indegree = {key: 0 for key in members}
    for n in nodes:
        for nxt in succ.get(id(n), []):
            if id(nxt) in members and (id(n), id(nxt)) not in back:
                indegree[id(nxt)] += 1
    rank = {key: 0 for key in members}
    queue = deque(n for n in nodes if indegree[id(n)] == 0)
    while queue:
        node = queue.popleft()
        for nxt in succ.get(id(node), []):
            key = id(nxt)
            if key not in members or (id(node), key) in back:
                continue
            rank[key] = max(rank[key], rank[id(node)] + 1)
            indegree[key] -= 1
            if indegree[key] == 0:
                queue.append(nxt)
    return rank


def route(a: Box, b: Box, *, from_boundary: bool = False) -> list[tuple[float, float]]:
    """An orthogonal route from box ``a`` to box ``b``."""
    if a is b or (a.x == b.x and a.y == b.y):
        loop_x, loop_y = a.right + 25, a.bottom + 25
        points = [(a.right, a.cy), (loop_x, a.cy), (loop_x, loop_y), (a.cx, loop_y), (a.cx, a.bottom)]
        return _clean(points)
    if from_boundary:
        start = (a.cx, a.bottom)
        if b.y >= a.bottom:
            if b.x <= a.cx <= b.right:
                return _clean([start, (a.cx, b.y)])
            end_x = b.x if b.x > a.cx else b.right
            return _clean([start, (a.cx, b.cy), (end_x, b.cy)])
        low = max(a.bottom, b.bottom) + 25
        return _clean([start, (a.cx, low), (b.cx, low), (b.cx, b.bottom)])
    if b.x >= a.right + 10:
        if abs(a.cy - b.cy) < 1:
            return _clean([(a.right, a.cy), (b.x, a.cy)])
        mid = (a.right + b.x) / 2
        return _clean([(a.right, a.cy), (mid, a.cy), (mid, b.cy), (b.x, b.cy)])
    if b.y >= a.bottom + 10 or a.y >= b.bottom + 10:
        down = b.y >= a.bottom
        y1 = a.bottom if down else a.y
        y2 = b.y if down else b.bottom
        if b.x <= a.cx <= b.right:
            return _clean([(a.cx, y1), (a.cx, y2)])
        side = b.x if b.cx > a.cx else b.right
        return _clean([(a.cx, y1), (a.cx, b.cy), (side, b.cy)])
    low = max(a.bottom, b.bottom) + 25
    return _clean([(a.cx, a.bottom), (a.cx, low), (b.cx, low), (b.cx, b.bottom)])


def route_message(s: Box, t: Box, s_pool: bool, t_pool: bool) -> list[tuple[float, float]]:
    """A vertical route between two pools' contents (or pool boundaries)."""
    sx = s.cx
    tx = t.cx
    if s_pool:
        sx = min(max(tx, s.x + 10), s.right - 10)
    if t_pool:
        tx = min(max(sx, t.x + 10), t.right - 10)
    if t.y >= s.bottom:
        y1, y2 = s.bottom, t.y
    elif s.y >= t.bottom:
        y1, y2 = s.y, t.bottom
    else:
        y1, y2 = s.bottom, t.y if t.y > s.cy else t.bottom
    if abs(sx - tx) < 1:
        return _clean([(sx, y1), (sx, y2)])
    mid = (y1 + y2) / 2
    return _clean([(sx, y1), (sx, mid), (tx, mid), (tx, y2)])


def _clean(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x, y in points:
        p = (float(round(x)), float(round(y)))
        if out and out[-1] == p:
            continue
        out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return out


__all__ = ["Box", "LayoutResult", "ViewLayout", "route", "route_message"]
