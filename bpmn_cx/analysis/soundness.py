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

A reachable state where tokens are left but nothing can fire is a
**deadlock**: the tokens wait at a parallel join. A state where one flow holds
two tokens is a **lack of synchronisation**: a merge let parallel branches
through without waiting for each other. Both are reported at the join or
merge, naming the split that causes them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import combinations

from ..model import FlowNode, Model, Scope, SubProcess
from .flow import is_event_subprocess, is_link_catch, is_link_throw, link_name, scope_starts

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


class _Net:
    """A scope as a net of nodes and edges (places), reducible in place."""

    def __init__(self, scope: Scope) -> None:
        self.nodes: list[FlowNode] = [n for n in scope.nodes if not is_event_subprocess(n)]
        index = {id(n): i for i, n in enumerate(self.nodes)}
        self.src: list[int] = []
        self.dst: list[int] = []
        self.alive: list[bool] = []
        #: Edge kinds: "flow", "cond", "default", "interrupt", "nonint".
        self.kind: list[str] = []
        #: Whether a place stands for a chain that contains work (collapsed steps).
        self.work: list[bool] = []
        self.ins: list[list[int]] = [[] for _ in self.nodes]
        self.outs: list[list[int]] = [[] for _ in self.nodes]
        catches: dict[str, list[int]] = {}
        for i, node in enumerate(self.nodes):
            if is_link_catch(node):
                catches.setdefault(link_name(node), []).append(i)
        for i, node in enumerate(self.nodes):
            default = node.default
            for flow in node.outgoing:
                j = index.get(id(flow.target)) if flow.target is not None else None
                if j is None:
                    continue
                # For gateways, a default or conditional flow is just one of the
                # branches; for activities they change which exits fire.
                if node.is_gateway:
                    kind = "flow"
                else:
                    kind = "default" if flow is default else "cond" if flow.is_conditional else "flow"
                self._add(i, j, kind)
            for boundary in node.boundary_events:
                j = index.get(id(boundary))
                if j is not None:
                    self._add(i, j, "interrupt" if boundary.cancel_activity else "nonint")
            if is_link_throw(node):
                for j in catches.get(link_name(node), ()):
                    self._add(i, j, "flow")
        self.starts = [index[id(n)] for n in scope_starts(scope) if id(n) in index]
        self._initial_semantics()

    def _add(self, i: int, j: int, kind: str) -> int:
        e = len(self.src)
        self.src.append(i)
        self.dst.append(j)
        self.alive.append(True)
        self.kind.append(kind)
        self.work.append(False)
        self.outs[i].append(e)
        self.ins[j].append(e)
        return e

    # -- node semantics ------------------------------------------------------
    def _initial_semantics(self) -> None:
        self.join_kind: list[str] = []
        self.split_kind: list[str] = []
        #: Whether firing the node does work (a step, not just routing).
        self.busy: list[bool] = []
        for i, node in enumerate(self.nodes):
            kind = node.kind
            if kind == "parallelGateway":
                join, split = "and", "and"
            elif kind in ("inclusiveGateway", "complexGateway"):
                join, split = "unknown", "or"
            elif kind in ("exclusiveGateway", "eventBasedGateway"):
                join, split = "xor", "xor"
            else:
                join = "xor"  # BPMN's uncontrolled merge
                split = "activity" if any(self.kind[e] != "flow" for e in self.outs[i]) else "and"
            self.join_kind.append(join)
            self.split_kind.append(split)
            self.busy.append(not node.is_gateway)

    def join(self, i: int) -> str:
        return "xor" if len(self.ins[i]) <= 1 else self.join_kind[i]

    def split(self, i: int) -> str:
        return self.split_kind[i]

    def is_fixed(self, i: int) -> bool:
        """Nodes that must stay: starts, ends and terminations."""
        node = self.nodes[i]
        return i in self._start_set or node.kind == "endEvent" or not self.outs[i]

    # -- reduction -----------------------------------------------------------
    def reduce(self) -> None:
        self._start_set = set(self.starts)
        work = deque(range(len(self.nodes)))
        queued = [True] * len(self.nodes)
        removed = [False] * len(self.nodes)
        while work:
            i = work.popleft()
            queued[i] = False
            if removed[i]:
                continue
            touched = self._merge_parallel(i)
            touched.extend(self._drop_choice_self_loops(i))
            touched.extend(self._fuse_successor(i, removed))
            ins, outs = self.ins[i], self.outs[i]
            if (
                len(ins) == 1
                and len(outs) == 1
                and not self.is_fixed(i)
                and self.kind[outs[0]] == "flow"
                and ins[0] != outs[0]
                and self.src[ins[0]] != i
            ):
                e_in, e_out = ins[0], outs[0]
                target = self.dst[e_out]
                # The incoming place now leads straight to the target.
                self.dst[e_in] = target
                self.work[e_in] = self.work[e_in] or self.work[e_out] or self.busy[i]
                self.ins[target] = [e_in if e == e_out else e for e in self.ins[target]]
                self.alive[e_out] = False
                self.ins[i], self.outs[i] = [], []
                removed[i] = True
                touched.extend((self.src[e_in], target))
            for j in touched:
                if not removed[j] and not queued[j]:
                    queued[j] = True
                    work.append(j)

    def _drop_choice_self_loops(self, i: int) -> list[int]:
        """A loop from an exclusive node back to itself changes no token count."""
        if self.split(i) != "xor" or self.join(i) != "xor":
            return []
        loops = [e for e in self.outs[i] if self.dst[e] == i and self.kind[e] == "flow"]
        if not loops or len(loops) == len(self.outs[i]):
            return []
        for e in loops:
            self.alive[e] = False
        self.outs[i] = [e for e in self.outs[i] if e not in loops]
        self.ins[i] = [e for e in self.ins[i] if e not in loops]
        return [i]

    def _fuse_successor(self, i: int, removed: list[bool]) -> list[int]:
        """Fuse ``j`` into ``i`` when ``i``'s only exit is ``j``'s only entry.

        ``j`` can then only ever fire right after ``i``, so firing both at once
        keeps every deadlock and every doubled token (it just shows up on
        ``j``'s exits). ``i`` takes over ``j``'s split and its work.
        """
        outs = self.outs[i]
        if len(outs) != 1 or self.kind[outs[0]] != "flow":
            return []
        e = outs[0]
        j = self.dst[e]
        if j == i or len(self.ins[j]) != 1 or self.is_fixed(j) or self.join_kind[j] == "unknown":
            return []
        self.alive[e] = False
        self.outs[i] = list(self.outs[j])
        for x in self.outs[j]:
            self.src[x] = i
        self.split_kind[i] = self.split_kind[j]
        self.busy[i] = self.busy[i] or self.busy[j] or self.work[e]
        self.ins[j], self.outs[j] = [], []
        removed[j] = True
        return [i] + [self.dst[x] for x in self.outs[i]]

    def _merge_parallel(self, i: int) -> list[int]:
        """Merge duplicate places from node ``i`` when the semantics allow it."""
        outs = self.outs[i]
        if len(outs) < 2:
            return []
        split = self.split(i)
        seen: dict[tuple[int, str], int] = {}
        keep: list[int] = []
        touched: list[int] = []
        for e in outs:
            target = self.dst[e]
            key = (target, self.kind[e])
            if key in seen and self.kind[e] == "flow" and target != i:
                join = self.join(target)
                if (split == "xor" and join == "xor") or (split == "and" and join == "and"):
                    self.alive[e] = False
                    self.ins[target] = [x for x in self.ins[target] if x != e]
                    touched.append(target)
                    continue
            seen.setdefault(key, e)
            keep.append(e)
        if touched:
            self.outs[i] = keep
            touched.append(i)
        return touched

    # -- firing --------------------------------------------------------------
    def options(self, i: int) -> list[tuple[int, ...]]:
        """The sets of places a firing of node ``i`` can put tokens on."""
        outs = self.outs[i]
        if not outs:
            return [()]
        split = self.split(i)
        if split == "xor":
            return [(e,) for e in outs]
        if split == "and":
            return [tuple(outs)]
        if split == "or":
            return _nonempty_subsets(outs)
        normal = [e for e in outs if self.kind[e] == "flow"]
        conditional = [e for e in outs if self.kind[e] == "cond"]
        default = [e for e in outs if self.kind[e] == "default"]
        interrupting = [e for e in outs if self.kind[e] == "interrupt"]
        nonint = [e for e in outs if self.kind[e] == "nonint"]
        base: list[tuple[int, ...]]
        if conditional:
            if len(conditional) > _MAX_CONDITIONAL_SUBSETS:
                choices = [(e,) for e in conditional]
            else:
                choices = _nonempty_subsets(conditional)
            base = [tuple(normal) + c for c in choices]
            if default:
                base.append(tuple(normal) + tuple(default))
        else:
            base = [tuple(normal) + tuple(default)]
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


def analyse_scope(scope: Scope, max_states: int = DEFAULT_MAX_STATES) -> ScopeResult:
    result = ScopeResult(scope)
    net = _Net(scope)
    if not net.nodes:
        return result
    unknown = [net.nodes[i] for i in range(len(net.nodes)) if net.join(i) == "unknown"]
    if unknown:
        result.analysed = False
        result.unanalysed_joins = unknown
        names = ", ".join(f"{n.kind} {n.label or n.id!r}" for n in unknown[:3])
        result.reason = (
            f"it has {len(unknown)} inclusive or complex join(s) ({names}), whose behaviour depends on "
            "which branches are still running; they are not analysed"
        )
        return result
    net.reduce()
    alive = [e for e in range(len(net.src)) if net.alive[e]]
    slot = {e: k for k, e in enumerate(alive)}
    size = len(alive)
    options = {}
    join = {}
    ins = {}
    for i in range(len(net.nodes)):
        if net.ins[i] or i in net._start_set:
            options[i] = [tuple(slot[e] for e in option) for option in net.options(i)]
            join[i] = net.join(i)
            ins[i] = [slot[e] for e in net.ins[i]]
    target = [net.dst[e] for e in alive]
    work = [net.work[e] for e in alive]
    terminate = {i for i, n in enumerate(net.nodes) if n.kind == "endEvent" and "terminate" in n.triggers}

    initial: list[bytes] = []
    if any(net.nodes[i].kind == "startEvent" for i in net.starts):
        groups = [[i] for i in net.starts]  # each start event begins its own instance
    else:
        groups = [net.starts]  # implicit starts are instantiated together
    for group in groups:
        markings = [bytearray(size)]
        for i in group:
            markings = [
                _put(m, option) for m in markings for option in options.get(i, [()])
            ]
        initial.extend(bytes(m) for m in markings)

    seen: set[bytes] = set()
    queue: deque[bytes] = deque()
    for marking in initial:
        if marking not in seen:
            seen.add(marking)
            queue.append(marking)
    deadlocked: dict[int, FlowNode] = {}
    unsynced: dict[int, FlowNode] = {}
    while queue:
        if len(seen) > max_states:
            result.analysed = False
            result.capped = True
            result.reason = f"it has more than {max_states} reachable states (the configured limit)"
            break
        marking = queue.popleft()
        enabled = False
        candidates = {target[k] for k in range(size) if marking[k]}
        for i in sorted(candidates):
            if join.get(i) == "and":
                needed = ins[i]
                if not all(marking[k] for k in needed):
                    continue
                consumptions = [needed]
            else:
                consumptions = [[k] for k in ins.get(i, ()) if marking[k]]
            for consumed in consumptions:
                enabled = True
                base = bytearray(marking)
                for k in consumed:
                    base[k] -= 1
                if i in terminate:
                    successors = [bytes(size)]
                else:
                    successors = [bytes(_put(base, option)) for option in options[i]]
                for successor in successors:
                    doubled = [k for k in range(size) if successor[k] >= 2]
                    if doubled:
                        if not net.busy[i] and all(
                            net.nodes[target[k]].kind == "endEvent" and not work[k] for k in doubled
                        ):
                            # A gateway passing two tokens straight into an end event:
                            # no step runs twice. Keep exploring with one token.
                            fixed = bytearray(successor)
                            for k in doubled:
                                fixed[k] = 1
                            successor = bytes(fixed)
                        else:
                            unsynced.setdefault(i, net.nodes[i])
                            continue  # unsafe: reported; exploring on would not terminate
                    if successor not in seen:
                        seen.add(successor)
                        queue.append(successor)
        if not enabled and any(marking):
            for k in range(size):
                if marking[k]:
                    waiting = target[k]
                    deadlocked.setdefault(waiting, net.nodes[waiting])
    result.states = len(seen)
    for node in deadlocked.values():
        result.deadlocks.append(Deadlock(node, _nearest_split(node, "choice")))
    for node in unsynced.values():
        merge = node
        result.unsynchronized.append(LackOfSynchronization(merge, _nearest_split(merge, "parallel")))
    return result


def _put(marking: bytearray, places: tuple[int, ...]) -> bytearray:
    out = bytearray(marking)
    for k in places:
        out[k] = min(out[k] + 1, 255)
    return out


def analyse(model: Model, max_states: int = DEFAULT_MAX_STATES) -> Soundness:
    """Analyse every process and sub-process of the model."""
    soundness = Soundness()
    scopes: list[Scope] = list(model.processes)
    scopes.extend(n for n in model.flow_nodes if isinstance(n, SubProcess) and n.kind != "adHocSubProcess")
    for scope in scopes:
        soundness.scopes.append(analyse_scope(scope, max_states))
    return soundness
