"""Deadlocks and lack of synchronisation, found by playing the token game.

Each process and sub-process is analysed on its own (a sub-process is one
step in its parent). Sequence flows are places; gateways, events and
activities are transitions:

* exclusive and event-based gateways take one token from any incoming flow
  and put one on any single outgoing flow (data is ignored, so every branch
  is possible);
* parallel gateways take one token from each incoming flow and put one on
  every outgoing flow;
* an activity or event starts on a token from any incoming flow (BPMN's
  uncontrolled merge) and puts tokens on all unconditional outgoing flows and
  on any non-empty choice of the conditional ones (or on the default flow);
  an interrupting boundary event replaces the normal exits, a
  non-interrupting one adds to them;
* inclusive gateways split into any non-empty subset of their outgoing flows;
  inclusive and complex *joins* depend on what is still upstream and are not
  analysed: the scope is reported as not analysed instead of guessed.

Before exploring, the net is reduced: chains of one-in/one-out steps collapse
into one place, and parallel places between the same exclusive split and
join (or parallel split and join) merge. A well-structured process then has
a handful of places. Exploration stops at a configurable number of states;
beyond it the result is *inconclusive*.

Scopes that are nothing but properly nested blocks between one start and one
end event (see ``_block_structured``) always reduce to a single place, so one
walk over the flows recognises them and the net is not built at all.

A reachable state where tokens are left but nothing can fire is a
**deadlock**: the tokens wait at a parallel join. A state where one flow holds
two tokens is a **lack of synchronisation**: a merge let parallel branches
through without waiting for each other. Both are reported at the join or
merge, naming the split that causes them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import combinations, compress

from ..model import GATEWAY_KINDS, SUBPROCESS_KINDS, FlowNode, Model, Scope, SubProcess
from .flow import is_link_catch, is_link_throw, link_name, scope_starts

DEFAULT_MAX_STATES = 50_000
#: An activity with more conditional flows than this is treated as choosing exactly one.
_MAX_CONDITIONAL_SUBSETS = 6


@dataclass(frozen=True)
class Deadlock:
    join: FlowNode
    cause: FlowNode | None


@dataclass(frozen=True)
class LackOfSynchronization:
    merge: FlowNode
    cause: FlowNode | None


@dataclass
class ScopeResult:
    scope: Scope
    analysed: bool = True
    #: Why the scope was not (fully) analysed, in words.
    reason: str = ""
    #: Inclusive and complex joins, which are not analysed.
    unanalysed_joins: list[FlowNode] = field(default_factory=list)
    #: Whether exploration stopped at the state limit.
    capped: bool = False
    states: int = 0
    deadlocks: list[Deadlock] = field(default_factory=list)
    unsynchronized: list[LackOfSynchronization] = field(default_factory=list)


@dataclass
class Soundness:
    scopes: list[ScopeResult] = field(default_factory=list)

    @property
    def deadlocks(self) -> list[Deadlock]:
        return [d for s in self.scopes for d in s.deadlocks]

    @property
    def unsynchronized(self) -> list[LackOfSynchronization]:
        return [u for s in self.scopes for u in s.unsynchronized]

    @property
    def inconclusive(self) -> list[ScopeResult]:
        return [s for s in self.scopes if not s.analysed]

    @property
    def verdict(self) -> str:
        """``"sound"``, ``"unsound"`` or ``"inconclusive"``."""
        if self.deadlocks or self.unsynchronized:
            return "unsound"
        if self.inconclusive:
            return "inconclusive"
        return "sound"


# Edge kinds. For gateways every edge is a plain branch; for activities a
# default or conditional flow changes which exits fire, and boundary events
# add (non-interrupting) or replace (interrupting) the normal exits.
_FLOW, _COND, _DEFAULT, _INTERRUPT, _NONINT = range(5)
# Node kinds for joining and splitting tokens. ``_ACTIVITY`` splits by the
# kinds of its edges; ``_UNKNOWN`` joins (inclusive, complex) are not analysed.
_XOR, _AND, _OR, _ACTIVITY, _UNKNOWN = range(5)

_JOIN_OF = {"parallelGateway": _AND, "inclusiveGateway": _UNKNOWN, "complexGateway": _UNKNOWN}
_GATEWAY_SPLIT = {
    "parallelGateway": _AND,
    "inclusiveGateway": _OR,
    "complexGateway": _OR,
    "exclusiveGateway": _XOR,
    "eventBasedGateway": _XOR,
}
#: Splits of nested blocks: whether the split is parallel.
_BLOCK_SPLIT_AND = {"parallelGateway": True, "exclusiveGateway": False, "eventBasedGateway": False}
#: Shared by every node the reduction removed: they are never changed again.
_NONE: tuple[int, ...] = ()


class _Net:
    """A scope as a net of nodes (by index) and edges (places), reducible in place.

    Everything is kept in flat lists indexed by node or edge number, with
    small integers for kinds: no object per node or place, and the
    reduction's inner loop does little more than list look-ups.
    """

    __slots__ = (
        "nodes", "src", "dst", "kind", "alive", "work", "ins", "outs", "join_kind", "split_kind",
        "busy", "pinned", "removed", "starts", "terminate", "unknown",
    )

    def __init__(self, scope: Scope) -> None:
        self.nodes = nodes = [n for n in scope.nodes if not (isinstance(n, SubProcess) and n.triggered_by_event)]
        count = len(nodes)
        # Elements compare by identity, so they can be keys themselves.
        get = {n: i for i, n in enumerate(nodes)}.get
        src: list[int] = []
        dst: list[int] = []
        kind: list[int] = []
        ins: list[list[int]] = [[] for _ in range(count)]
        outs: list[list[int] | tuple[int, ...]] = []
        join_kind: list[int] = []
        split_kind: list[int] = []
        busy: list[bool] = []
        pinned = bytearray(count)  # starts and end events: never reduced away
        terminate: set[int] = set()
        unknown: list[int] = []
        catches: dict[str, list[int]] | None = None
        add_src, add_dst, add_kind = src.append, dst.append, kind.append

        def connect(i: int, j: int, edge_kind: int, out: list[int]) -> None:
            """A place (edge) from node i to node j, numbered in order."""
            e = len(src)
            add_src(i)
            add_dst(j)
            add_kind(edge_kind)
            out.append(e)
            ins[j].append(e)

        gateway_split = _GATEWAY_SPLIT
        for i, node in enumerate(nodes):
            node_kind = node.kind
            out: list[int] = []
            split = gateway_split.get(node_kind)
            if split is not None:
                join = _JOIN_OF.get(node_kind, _XOR)
                if join == _UNKNOWN:
                    unknown.append(i)
                for flow in node.outgoing:
                    j = get(flow.target)
                    if j is not None:
                        connect(i, j, _FLOW, out)
                busy.append(False)
            else:
                join = _XOR  # BPMN's uncontrolled merge
                split = _AND
                default = node.default
                for flow in node.outgoing:
                    j = get(flow.target)
                    if j is None:
                        continue
                    if flow is default:
                        edge_kind = _DEFAULT
                        split = _ACTIVITY
                    elif len(flow.xml) and flow.is_conditional:
                        edge_kind = _COND
                        split = _ACTIVITY
                    else:
                        edge_kind = _FLOW
                    connect(i, j, edge_kind, out)
                busy.append(True)
                if node_kind == "endEvent":
                    pinned[i] = 1
                    if node.event_definitions and "terminate" in node.triggers:
                        terminate.add(i)
            if node.boundary_events:
                for boundary in node.boundary_events:
                    j = get(boundary)
                    if j is not None:
                        connect(i, j, _INTERRUPT if boundary.cancel_activity else _NONINT, out)
                        if split == _AND and not node.is_gateway:
                            split = _ACTIVITY
            if node_kind == "intermediateThrowEvent" and is_link_throw(node):
                if catches is None:
                    catches = {}
                    for c, other in enumerate(nodes):
                        if is_link_catch(other):
                            catches.setdefault(link_name(other), []).append(c)
                for j in catches.get(link_name(node), ()):
                    connect(i, j, _FLOW, out)
            outs.append(out)
            join_kind.append(join)
            split_kind.append(split)
        self.src, self.dst, self.kind = src, dst, kind
        self.alive = bytearray(b"\x01") * len(src)
        #: Whether a place stands for a chain that contains work (collapsed steps).
        self.work = bytearray(len(src))
        self.ins, self.outs = ins, outs
        self.join_kind, self.split_kind, self.busy = join_kind, split_kind, busy
        self.starts = [i for i in map(get, scope_starts(scope)) if i is not None]
        for i in self.starts:
            pinned[i] = 1
        self.pinned = pinned
        self.removed = bytearray(count)
        self.terminate = terminate
        #: Inclusive and complex gateways that join: not analysed.
        self.unknown = [i for i in unknown if len(ins[i]) > 1]

    def join(self, i: int) -> int:
        return _XOR if len(self.ins[i]) <= 1 else self.join_kind[i]

    # -- reduction -----------------------------------------------------------
    def reduce(self) -> None:
        """Shrink the net without changing which deadlocks and doubled tokens it has.

        A work list of nodes; each node, when taken, (1) merges duplicate
        places to the same exclusive or parallel node, (2) drops exclusive
        self-loops, (3) absorbs its successor when it is that successor's only
        way in, and (4) disappears when it is a plain one-in/one-out step.
        Nodes next to a change are queued again. The order matters beyond
        speed: it decides which node of a fused group stays and is named in
        findings, so it is fixed (document order, then first come, first
        served) and must not change.
        """
        src, dst, kind, alive, work = self.src, self.dst, self.kind, self.alive, self.work
        ins, outs = self.ins, self.outs
        join_kind, split_kind, busy = self.join_kind, self.split_kind, self.busy
        pinned, removed = self.pinned, self.removed
        count = len(ins)
        queued = bytearray(b"\x01") * count
        queue = deque(range(count))
        take, put = queue.popleft, queue.append
        while queue:
            i = take()
            queued[i] = 0
            if removed[i]:
                continue
            touched: list[int] = []
            out = outs[i]
            split = split_kind[i]
            # (1) Duplicate places from an exclusive split to an exclusive join
            # (or parallel to parallel) behave as one.
            if len(out) > 1 and (split == _XOR or split == _AND) and (
                len(out) > 2 or dst[out[0]] == dst[out[1]]
            ):
                seen: set[int] = set()
                keep: list[int] = []
                for e in out:
                    if kind[e] == _FLOW:
                        target = dst[e]
                        if target in seen and target != i:
                            target_ins = ins[target]
                            join = _XOR if len(target_ins) <= 1 else join_kind[target]
                            if join == split:
                                alive[e] = 0
                                target_ins.remove(e)
                                touched.append(target)
                                continue
                        seen.add(target)
                    keep.append(e)
                if touched:
                    outs[i] = out = keep
                    touched.append(i)
            # (2) A loop from an exclusive node back to itself changes no token count.
            if split == _XOR and len(out) > 1 and (len(ins[i]) <= 1 or join_kind[i] == _XOR):
                loops = [e for e in out if dst[e] == i and kind[e] == _FLOW]
                if loops and len(loops) != len(out):
                    for e in loops:
                        alive[e] = 0
                    outs[i] = out = [e for e in out if e not in loops]
                    ins[i] = [e for e in ins[i] if e not in loops]
                    touched.append(i)
            # (3) Fuse ``j`` into ``i`` when ``i``'s only exit is ``j``'s only
            # entry: ``j`` can only ever fire right after ``i``, so firing both
            # at once keeps every deadlock and every doubled token (it just
            # shows up on ``j``'s exits). ``i`` takes over ``j``'s split and work.
            if len(out) == 1:
                e = out[0]
                if kind[e] == _FLOW:
                    j = dst[e]
                    if j != i and len(ins[j]) == 1 and not pinned[j] and outs[j] and join_kind[j] != _UNKNOWN:
                        alive[e] = 0
                        outs[i] = out = outs[j]
                        for x in out:
                            src[x] = i
                        split_kind[i] = split_kind[j]
                        busy[i] = busy[i] or busy[j] or bool(work[e])
                        ins[j] = outs[j] = _NONE
                        removed[j] = 1
                        touched.append(i)
                        touched.extend([dst[x] for x in out])
            # (4) A one-in/one-out step: its incoming place now leads straight on.
            if len(out) == 1 and not pinned[i]:
                node_ins = ins[i]
                if len(node_ins) == 1:
                    e_in = node_ins[0]
                    e_out = out[0]
                    if kind[e_out] == _FLOW and e_in != e_out and src[e_in] != i:
                        target = dst[e_out]
                        dst[e_in] = target
                        if work[e_out] or busy[i]:
                            work[e_in] = 1
                        target_ins = ins[target]
                        target_ins[target_ins.index(e_out)] = e_in
                        alive[e_out] = 0
                        ins[i] = outs[i] = _NONE
                        removed[i] = 1
                        touched.append(src[e_in])
                        touched.append(target)
            for j in touched:
                if not removed[j] and not queued[j]:
                    queued[j] = 1
                    put(j)

    # -- firing --------------------------------------------------------------
    def options(self, i: int) -> list[tuple[int, ...]]:
        """The sets of places a firing of node ``i`` can put tokens on."""
        outs = self.outs[i]
        if not outs:
            return [()]
        split = self.split_kind[i]
        if split == _XOR:
            return [(e,) for e in outs]
        if split == _AND:
            return [tuple(outs)]
        if split == _OR:
            return _nonempty_subsets(list(outs))
        kind = self.kind
        normal = tuple(e for e in outs if kind[e] == _FLOW)
        conditional = [e for e in outs if kind[e] == _COND]
        default = tuple(e for e in outs if kind[e] == _DEFAULT)
        interrupting = [e for e in outs if kind[e] == _INTERRUPT]
        nonint = [e for e in outs if kind[e] == _NONINT]
        base: list[tuple[int, ...]]
        if conditional:
            if len(conditional) > _MAX_CONDITIONAL_SUBSETS:
                choices = [(e,) for e in conditional]
            else:
                choices = _nonempty_subsets(conditional)
            base = [normal + c for c in choices]
            if default:
                base.append(normal + default)
        else:
            base = [normal + default]
        result = list(base)
        result.extend((e,) for e in interrupting)
        for e in nonint:
            result.extend(b + (e,) for b in base)
        return result


def _nonempty_subsets(items: list[int]) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for size in range(1, len(items) + 1):
        out.extend(combinations(items, size))
    return out


def _nearest_split(node: FlowNode, kinds: str) -> FlowNode | None:
    """The nearest split upstream of ``node`` that reaches two of its incoming flows.

    ``kinds`` is ``"choice"`` (exclusive, event-based, inclusive, conditional
    activity: causes deadlocks at parallel joins) or ``"parallel"`` (parallel
    and inclusive gateways, activities with several unconditional exits:
    cause lack of synchronisation at merges).
    """

    def is_split(n: FlowNode) -> bool:
        if len(n.outgoing) + len(n.boundary_events) < 2:
            return False
        if kinds == "choice":
            return n.kind in ("exclusiveGateway", "eventBasedGateway", "inclusiveGateway", "complexGateway") or (
                not n.is_gateway and any(f.is_conditional or f.is_default for f in n.outgoing)
            )
        return n.kind in ("parallelGateway", "inclusiveGateway", "complexGateway") or (
            not n.is_gateway and sum(1 for f in n.outgoing if not f.is_conditional and not f.is_default) >= 2
        )

    nearest_any: FlowNode | None = None  # fallback: the nearest such split on any branch
    labels: dict[int, int] = {}
    queue: deque[tuple[FlowNode, int]] = deque()
    for index, flow in enumerate(node.incoming):
        if flow.source is not None:
            queue.append((flow.source, index))
    visited: set[tuple[int, int]] = set()
    while queue:
        current, label = queue.popleft()
        if (id(current), label) in visited:
            continue
        visited.add((id(current), label))
        first = labels.setdefault(id(current), label)
        if is_split(current):
            if first != label:
                return current
            if nearest_any is None:
                nearest_any = current
        if kinds == "choice" and nearest_any is None and current.kind == "boundaryEvent" and current.cancel_activity:
            nearest_any = current  # an interrupting boundary event takes the token elsewhere
        if len(visited) > 4 * (len(node.scope.nodes) if node.scope else 1000) + 100:
            break
        predecessors = [f.source for f in current.incoming if f.source is not None]
        if current.attached_to is not None:
            predecessors.append(current.attached_to)
        if kinds == "choice":
            # A branch can also lose its token through an interrupting boundary event.
            predecessors.extend(b for b in current.boundary_events if b.cancel_activity)
        for predecessor in predecessors:
            if predecessor is not node:
                queue.append((predecessor, label))
    return nearest_any


def _block_structured(scope: Scope) -> bool:
    """Whether the scope is one start event, one end event and properly nested blocks in between.

    Blocks are a split and a join of the same kind (exclusive or event-based
    with an exclusive join or plain merge, parallel or an activity's several
    exits with a parallel join) whose branches are again sequences of blocks;
    no loops, no conditional or default flows on activities, no boundary or
    link events, no inclusive or complex gateways, every node on the way from
    start to end.

    The net reduction shrinks such a scope to one place from the start to the
    end, in whatever order it visits the nodes: without cycles, any step it
    can take is noticed (the node is queued again), and in a nested structure
    there is always one more step (the innermost block's branches shrink to
    duplicate places, which merge, and the split then swallows the join)
    until only the start, one place and the end are left. The token game on
    that net has two states (the token on the place, then none) and finds
    nothing. So for these scopes (almost every generated or hand-drawn
    "happy path") the net is not built at all.

    One walk from the start event in topological order: every edge carries
    the innermost open split (a frame: kind, number of branches, enclosing
    frame); a join must get all its edges from one frame, with as many edges
    as that split has branches, and of the same kind; it then continues in
    the enclosing frame.
    """
    if isinstance(scope, SubProcess) and scope.kind == "adHocSubProcess":
        return False
    nodes = scope.nodes
    starts = [n for n in nodes if n.kind == "startEvent"]
    if len(starts) != 1 or starts[0].incoming:
        return False
    #: Joins some but not all of whose edges have arrived: [arrived, frame].
    waiting: dict[FlowNode, list] = {}
    #: Nodes ready to be walked, with their frame. A chain is followed without it.
    ready: list[tuple[FlowNode, tuple | None]] = [(starts[0], None)]
    pop, push = ready.pop, ready.append
    split_and = _BLOCK_SPLIT_AND
    walked = 0
    ended = False
    while ready:
        node, frame = pop()
        while node is not None:
            walked += 1
            kind = node.kind
            outgoing = node.outgoing
            if node.boundary_events:
                return False
            is_and = split_and.get(kind)
            if is_and is None:
                if kind in GATEWAY_KINDS:
                    return False  # inclusive or complex
                if node.default is not None:
                    return False  # conditional exits
                if kind == "intermediateThrowEvent" and is_link_throw(node):
                    return False
                if not outgoing:
                    if kind != "endEvent" or ended or frame is not None:
                        return False
                    ended = True
                    break
                if kind == "endEvent" or (kind in SUBPROCESS_KINDS and node.triggered_by_event):
                    return False  # an end event that goes on; an event sub-process is no step
                for flow in outgoing:
                    if len(flow.xml) and flow.is_conditional:
                        return False
                is_and = True  # an activity's several exits all fire
            elif not outgoing:
                return False
            if len(outgoing) > 1:
                frame = (is_and, len(outgoing), frame)
            node = None
            next_frame = frame
            for flow in outgoing:
                target = flow.target
                if target is None or target.scope is not scope:
                    return False
                expected = len(target.incoming)
                if expected == 1:
                    if node is None:
                        node = target
                    else:
                        push((target, frame))
                    continue
                entry = waiting.get(target)
                if entry is None:
                    waiting[target] = [1, frame]
                    continue
                if entry[1] is not frame:
                    return False
                entry[0] += 1
                if entry[0] == expected:
                    target_kind = target.kind
                    if (
                        frame is None
                        or frame[1] != expected
                        or frame[0] != (target_kind == "parallelGateway")
                        or target_kind == "inclusiveGateway"
                        or target_kind == "complexGateway"
                    ):
                        return False
                    if node is None:
                        node, next_frame = target, frame[2]
                    else:
                        push((target, frame[2]))
            frame = next_frame
    # Nodes never reached (a cycle, a second start, an event sub-process, an
    # edge from outside) make the count fall short.
    return ended and walked == len(nodes)


def analyse_scope(scope: Scope, max_states: int = DEFAULT_MAX_STATES) -> ScopeResult:
    result = ScopeResult(scope)
    if max_states >= 2 and _block_structured(scope):
        result.states = 2
        return result
    net = _Net(scope)
    if not net.nodes:
        return result
    if net.unknown:
        unknown = [net.nodes[i] for i in net.unknown]
        result.analysed = False
        result.unanalysed_joins = unknown
        names = ", ".join(f"{n.kind} {n.label or n.id!r}" for n in unknown[:3])
        result.reason = (
            f"it has {len(unknown)} inclusive or complex join(s) ({names}), whose behaviour depends on "
            "which branches are still running; they are not analysed"
        )
        return result
    net.reduce()
    # A marking is an int, one bit per place (the alive edges, in order):
    # every explored marking has at most one token per place (a doubled token
    # is either reported and not explored, or fixed to one), so a firing that
    # puts a token on a marked place is exactly a doubled token.
    alive = list(compress(range(len(net.alive)), net.alive))
    bit = {e: 1 << k for k, e in enumerate(alive)}
    target = [net.dst[e] for e in alive]
    nodes = net.nodes
    # Only nodes that can get a token matter: the targets of places and the starts.
    puts: dict[int, list[int]] = {}  # per firing option, the places it marks
    takes: dict[int, list[int]] = {}  # the incoming places
    needs: dict[int, int] = {}  # all incoming places
    is_and: dict[int, bool] = {}
    for i in sorted(set(target).union(net.starts)):
        puts[i] = [sum([bit[e] for e in option]) for option in net.options(i)]
        takes[i] = [bit[e] for e in net.ins[i]]
        needs[i] = sum(takes[i])
        is_and[i] = net.join(i) == _AND
    terminate = net.terminate
    busy = net.busy
    # Places whose doubled token is harmless when a gateway passes it on: they
    # run straight into an end event without any work on the way.
    harmless = sum([bit[e] for e in alive if not net.work[e] and nodes[net.dst[e]].kind == "endEvent"])

    initial: list[int] = []
    if any(nodes[i].kind == "startEvent" for i in net.starts):
        groups = [[i] for i in net.starts]  # each start event begins its own instance
    else:
        groups = [net.starts]  # implicit starts are instantiated together
    for group in groups:
        markings = [0]
        for i in group:
            # Different starts never share a place: ``|`` adds their tokens.
            markings = [m | put for m in markings for put in puts.get(i, [0])]
        initial.extend(markings)

    seen: set[int] = set()
    queue: deque[int] = deque()
    for marking in initial:
        if marking not in seen:
            seen.add(marking)
            queue.append(marking)
    deadlocked: dict[int, FlowNode] = {}
    unsynced: dict[int, FlowNode] = {}
    add, push, take = seen.add, queue.append, queue.popleft
    while queue:
        if len(seen) > max_states:
            result.analysed = False
            result.capped = True
            result.reason = f"it has more than {max_states} reachable states (the configured limit)"
            break
        marking = take()
        enabled = False
        marked = []
        rest = marking
        while rest:
            low = rest & -rest
            marked.append(low.bit_length() - 1)
            rest ^= low
        for i in sorted({target[k] for k in marked}):
            if is_and[i]:
                need = needs[i]
                if marking & need != need:
                    continue
                consumptions = [need]
            else:
                consumptions = [b for b in takes[i] if marking & b]
            for consumed in consumptions:
                enabled = True
                if i in terminate:
                    if 0 not in seen:
                        add(0)
                        push(0)
                    continue
                base = marking ^ consumed
                for put in puts[i]:
                    successor = base | put
                    if base & put:
                        # A doubled token. A gateway passing two tokens straight into
                        # an end event runs no step twice: keep exploring with one.
                        if busy[i] or base & put & ~harmless:
                            unsynced.setdefault(i, nodes[i])
                            continue  # unsafe: reported; exploring on would not terminate
                    if successor not in seen:
                        add(successor)
                        push(successor)
        if not enabled and marked:
            for k in marked:
                waiting = target[k]
                deadlocked.setdefault(waiting, nodes[waiting])
    result.states = len(seen)
    for node in deadlocked.values():
        result.deadlocks.append(Deadlock(node, _nearest_split(node, "choice")))
    for node in unsynced.values():
        result.unsynchronized.append(LackOfSynchronization(node, _nearest_split(node, "parallel")))
    return result


def analyse(model: Model, max_states: int = DEFAULT_MAX_STATES) -> Soundness:
    """Analyse every process and sub-process of the model."""
    soundness = Soundness()
    scopes: list[Scope] = list(model.processes)
    scopes.extend(n for n in model.flow_nodes if isinstance(n, SubProcess) and n.kind != "adHocSubProcess")
    for scope in scopes:
        soundness.scopes.append(analyse_scope(scope, max_states))
    return soundness
