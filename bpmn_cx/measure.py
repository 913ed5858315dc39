"""Customer metrics of one model: how the process feels from the customer's side.

``bpmn_cx.metrics(model, customer=None) -> Metrics`` measures

* **touchpoints**: every interaction between the customer and the provider
  (``total``, ``inbound``: the provider acts towards the customer,
  ``outbound``: the customer acts), and the fewest/most on one path;
* **distinct_counterparts**: the provider lanes (or lane-less pools) the
  customer deals with; 1 is a single point of contact;
* **customer_handoffs**: changes of counterpart between consecutive
  touchpoints, fewest and most over the paths;
* **internal_handoffs**: handoffs between provider lanes on one path, fewest
  and most (:mod:`bpmn_cx.customer.journey`);
* **visible_steps** / **invisible_steps** / **visibility_ratio**: the
  provider's steps kept in the customer view and hidden behind the line of
  visibility, counted like the view's placeholders (activities and events;
  a sub-process by its content);
* **hidden_segments**: the hidden regions of the customer view;
* **max_wait_hidden_steps**: the most hidden steps between two consecutive
  touchpoints on one path, and **max_wait_time**: the longest waiting time
  between two consecutive touchpoints that the model states in timer
  durations (ISO 8601 ``timeDuration``; ``"unknown"`` when the model has none);
* **customer_steps**: the customer's own activities, in all and per path;
* **dead_ends** and **responsibility_gaps**: findings of those rule families
  (:data:`DEAD_END_RULES`, :data:`RESPONSIBILITY_GAP_RULES`), and the
  **soundness** verdict of the token game.

Paths
-----
Paths run over the model's flow nodes: sequence flows, an activity to its
boundary events, a sub-process into its start nodes and out of its last
nodes, and link events to their partners. Cycles are cut by an iterative
depth-first search; every path metric is then one dynamic programme over
the remaining acyclic graph in topological order, linear in its size (no
path is ever enumerated, nothing recurses). The state of a node is keyed by
the *last anchor* before it (the last activity or start/end/boundary event:
is it the customer's, or which provider counterpart's), because a sequence
touchpoint is a step from a customer anchor to a provider anchor (or back)
through gateways and intermediate events only; there are at most as many
keys as counterparts.

The customer's paths (touchpoints, customer handoffs, customer steps) run
through the customer's *home* processes: the customer pool's process, the
processes holding customer lanes, or, for a black-box customer pool, the
processes the customer touches. They start at the home processes' starts
and, for the fewest, end at nodes with nothing after them. Message
touchpoints count where the customer's end is (or the provider's end, when
the message flow touches the customer pool's boundary).

Waiting (hidden steps, timer time) also follows message flows, from any
node, and a message touchpoint counts at both of its ends: in a
collaboration the customer's wait between sending a request and receiving
the answer is the provider's work from receiving the request to sending
the answer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

from .model import FlowNode, Lane, Model, Participant, Process, SubProcess

if TYPE_CHECKING:
    from .customer.analysis import CustomerAnalysis, Touchpoint
    from .customer.scope import CustomerScope
    from .customer.view import ViewPlan
    from .linter.api import Finding

#: Rules whose findings count as dead ends (only those that exist are run).
DEAD_END_RULES: tuple[str, ...] = (
    "unreachable-node",
    "no-path-to-end",
    "deadlock",
    "customer-waits-forever",
    "unanswered-request",
)
#: Rules whose findings count as responsibility gaps.
RESPONSIBILITY_GAP_RULES: tuple[str, ...] = (
    "node-outside-lane",
    "ambiguous-lane",
    "unnamed-lane",
    "duplicate-lane-name",
    "unowned-touchpoint",
)

Direction = Literal["lower", "higher", "neutral"]

# -- ISO 8601 durations ----------------------------------------------------------

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)
#: Seconds per unit. Years and months have no fixed length: 365 and 30 days.
_UNIT_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def parse_duration(text: str | None) -> float | None:
    """Seconds of an ISO 8601 duration (``P3D``, ``PT4H30M``, ``P1W``); ``None`` if it is not one.

    Years count 365 days and months 30 days. Expressions (``${delay}``),
    dates and cycles are not durations.
    """
    if not text:
        return None
    value = text.strip().upper()
    if value.startswith("-"):
        return None
    match = _DURATION.match(value)
    if match is None or value in ("P", "PT") or value.endswith("T"):
        return None
    total = 0.0
    for part, unit in zip(match.groups(), _UNIT_SECONDS):
        if part is not None:
            total += float(part.replace(",", ".")) * unit
    return total


def format_duration(seconds: float | None) -> str:
    """``259200`` -> ``"P3D"``; ``None`` -> ``"unknown"``. Days, hours, minutes, seconds only."""
    if seconds is None:
        return "unknown"
    rest = int(round(seconds))
    if rest <= 0:
        return "PT0S"
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")
    return out + ("T" + time if time else "")


def human_duration(seconds: float | None) -> str:
    """``259200`` -> ``"3 days"``, ``5400`` -> ``"1 hour 30 minutes"``; ``None`` -> ``"unknown"``."""
    if seconds is None:
        return "unknown"
    rest = int(round(seconds))
    if rest <= 0:
        return "0"
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts[:2])


def timer_seconds(node: FlowNode) -> float | None:
    """The stated duration of a timer catch event (``timeDuration``), or ``None``."""
    from .namespaces import local_name

    for definition in node.event_definitions:
        if definition.kind != "timerEventDefinition":
            continue
        for child in definition.xml:
            if isinstance(child.tag, str) and local_name(child.tag) == "timeDuration":
                text = "".join(child.xpath("text()"))
                return parse_duration(text)
    return None


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The fewest and the most of something over the paths."""

    min: int
    max: int

    def __str__(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min}–{self.max}"


@dataclass(frozen=True)
class TouchpointStep:
    """One touchpoint in journey order, as the comparison aligns it."""

    direction: str
    #: What the customer does or receives: the customer step's name, else the
    #: message flow's, else the provider step's.
    label: str
    #: Who answers for it (lane, or lane-less pool); ``""`` when nobody does.
    counterpart: str
    kind: str
    id: str
    line: int | None
    element: str | None

    @property
    def key(self) -> tuple[str, str]:
        """What the alignment matches on: direction and the label, normalised."""
        from .customer.scope import normalize_name

        return self.direction, normalize_name(self.label)

    @property
    def arrow(self) -> str:
        return "→" if self.direction == "outbound" else "←"

    def to_dict(self) -> dict:
        return {
            "direction": self.direction,
            "label": self.label,
            "counterpart": self.counterpart or None,
            "kind": self.kind,
            "id": self.id,
            "element": self.element,
            "line": self.line,
        }


@dataclass(frozen=True)
class MetricSpec:
    """One row of the metrics table: a dotted name into :meth:`Metrics.to_dict`, and its direction."""

    name: str
    label: str
    #: ``"lower"``: less is better; ``"higher"``: more is better; ``"neutral"``: neither.
    direction: Direction
    help: str
    kind: Literal["count", "ratio", "seconds", "verdict"] = "count"


#: Every metric compared, in table order. The direction says what a change means for the customer.
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("touchpoints.total", "Touchpoints", "neutral",
               "interactions between customer and provider (what they cost shows in outbound, "
               "counterparts and handoffs)"),
    MetricSpec("touchpoints.outbound", "Touchpoints, outbound", "lower",
               "the customer acts towards the provider (effort)"),
    MetricSpec("touchpoints.inbound", "Touchpoints, inbound", "neutral",
               "the provider acts towards the customer (informing is neither good nor bad by itself)"),
    MetricSpec("touchpoints.min", "Touchpoints per path, fewest", "neutral", "over the customer's paths"),
    MetricSpec("touchpoints.max", "Touchpoints per path, most", "neutral", "over the customer's paths"),
    MetricSpec("distinct_counterparts", "Distinct counterparts", "lower",
               "provider lanes the customer deals with; 1 is a single point of contact"),
    MetricSpec("customer_handoffs.min", "Customer handoffs, fewest", "lower",
               "changes of counterpart between consecutive touchpoints"),
    MetricSpec("customer_handoffs.max", "Customer handoffs, most", "lower",
               "changes of counterpart between consecutive touchpoints"),
    MetricSpec("internal_handoffs.min", "Internal handoffs, fewest", "lower",
               "work passed between provider lanes on one path"),
    MetricSpec("internal_handoffs.max", "Internal handoffs, most", "lower",
               "work passed between provider lanes on one path"),
    MetricSpec("visible_steps", "Visible steps", "lower",
               "provider steps the customer sees (kept in the customer view)"),
    MetricSpec("invisible_steps", "Invisible steps", "neutral",
               "provider steps behind the line of visibility (not the customer's burden by itself)"),
    MetricSpec("visibility_ratio", "Visibility ratio", "neutral",
               "visible / (visible + invisible) provider steps", kind="ratio"),
    MetricSpec("hidden_segments", "Hidden segments", "neutral",
               "hidden regions of the customer view (where the line of visibility runs)"),
    MetricSpec("max_wait_hidden_steps", "Longest hidden wait (steps)", "lower",
               "most hidden steps between two consecutive touchpoints"),
    MetricSpec("max_wait_seconds", "Longest stated wait", "lower",
               "most timer time between two consecutive touchpoints", kind="seconds"),
    MetricSpec("customer_steps.total", "Customer steps", "lower", "the customer's own activities"),
    MetricSpec("customer_steps.min", "Customer steps per path, fewest", "lower", "over the customer's paths"),
    MetricSpec("customer_steps.max", "Customer steps per path, most", "lower", "over the customer's paths"),
    MetricSpec("dead_ends", "Dead ends", "lower", "findings of " + ", ".join(DEAD_END_RULES)),
    MetricSpec("responsibility_gaps", "Responsibility gaps", "lower",
               "findings of " + ", ".join(RESPONSIBILITY_GAP_RULES)),
    MetricSpec("soundness", "Soundness", "higher", "sound > inconclusive > unsound", kind="verdict"),
)

#: Soundness verdicts from worst to best.
SOUNDNESS_RANK = {"unsound": 0, "inconclusive": 1, "sound": 2}


@dataclass
class Metrics:
    """The customer metrics of one model. :meth:`to_dict` is the JSON shape."""

    file: str | None
    customer: str
    touchpoints: int = 0
    inbound: int = 0
    outbound: int = 0
    touchpoints_per_path: Span = Span(0, 0)
    distinct_counterparts: int = 0
    #: The counterparts' names, in journey order.
    counterparts: list[str] = field(default_factory=list)
    customer_handoffs: Span = Span(0, 0)
    internal_handoffs: Span = Span(0, 0)
    #: The lanes of one path with the most internal handoffs, in order.
    internal_handoff_lanes: list[str] = field(default_factory=list)
    #: Handoff edges of the model, and those with an end behind the line of visibility.
    handoff_edges: int = 0
    hidden_handoff_edges: int = 0
    visible_steps: int = 0
    invisible_steps: int = 0
    hidden_segments: int = 0
    max_wait_hidden_steps: int = 0
    #: ``None``: the model states no timer duration.
    max_wait_seconds: float | None = None
    customer_steps: int = 0
    customer_steps_per_path: Span = Span(0, 0)
    dead_ends: int = 0
    responsibility_gaps: int = 0
    soundness: str = "sound"
    #: The dead-end and responsibility-gap findings counted above.
    findings: list[Finding] = field(default_factory=list)
    #: Rules that crashed while counting (their findings are missing).
    rule_errors: list[str] = field(default_factory=list)
    touchpoint_sequence: list[TouchpointStep] = field(default_factory=list)

    @property
    def visibility_ratio(self) -> float | None:
        total = self.visible_steps + self.invisible_steps
        return round(self.visible_steps / total, 2) if total else None

    @property
    def max_wait_time(self) -> str:
        """ISO 8601, or ``"unknown"`` when the model states no timer duration."""
        return format_duration(self.max_wait_seconds)

    def to_dict(self, *, sequence: bool = True) -> dict[str, Any]:
        """The JSON shape; ``sequence=False`` leaves out the touchpoint list."""
        out = {
            "file": self.file,
            "customer": self.customer,
            "touchpoints": {
                "total": self.touchpoints,
                "inbound": self.inbound,
                "outbound": self.outbound,
                "min": self.touchpoints_per_path.min,
                "max": self.touchpoints_per_path.max,
            },
            "distinct_counterparts": self.distinct_counterparts,
            "counterparts": list(self.counterparts),
            "customer_handoffs": {"min": self.customer_handoffs.min, "max": self.customer_handoffs.max},
            "internal_handoffs": {
                "min": self.internal_handoffs.min,
                "max": self.internal_handoffs.max,
                "lanes": list(self.internal_handoff_lanes),
                "edges": self.handoff_edges,
                "hidden_edges": self.hidden_handoff_edges,
            },
            "visible_steps": self.visible_steps,
            "invisible_steps": self.invisible_steps,
            "visibility_ratio": self.visibility_ratio,
            "hidden_segments": self.hidden_segments,
            "max_wait_hidden_steps": self.max_wait_hidden_steps,
            "max_wait_time": self.max_wait_time,
            "max_wait_seconds": None if self.max_wait_seconds is None else int(round(self.max_wait_seconds)),
            "customer_steps": {
                "total": self.customer_steps,
                "min": self.customer_steps_per_path.min,
                "max": self.customer_steps_per_path.max,
            },
            "dead_ends": self.dead_ends,
            "responsibility_gaps": self.responsibility_gaps,
            "soundness": self.soundness,
        }
        if sequence:
            out["touchpoint_sequence"] = [t.to_dict() for t in self.touchpoint_sequence]
        return out

    def value(self, name: str) -> Any:
        """A metric by its dotted name (``"customer_handoffs.max"``), as in :meth:`to_dict`."""
        data: Any = self.to_dict(sequence=False)
        for part in name.split("."):
            data = data[part]
        return data

    def rows(self) -> list[tuple[MetricSpec, Any]]:
        """Every metric of :data:`METRICS` with its value."""
        return [(spec, self.value(spec.name)) for spec in METRICS]

    # -- rendering ---------------------------------------------------------------
    def summary_rows(self) -> list[tuple[str, str, str]]:
        """(metric, value, detail) for the text and Markdown tables."""
        wait = f"{self.max_wait_hidden_steps} step{'s' * (self.max_wait_hidden_steps != 1)}"
        ratio = self.visibility_ratio
        if self.max_wait_seconds is None:
            stated, stated_detail = "unknown", "no timer durations in the model"
        else:
            stated = f"{human_duration(self.max_wait_seconds)} ({self.max_wait_time})"
            stated_detail = "timer durations between two consecutive touchpoints"
        lanes = " → ".join(self.internal_handoff_lanes)
        return [
            ("Touchpoints", str(self.touchpoints),
             f"{self.outbound} outbound, {self.inbound} inbound; {self.touchpoints_per_path} per path"),
            ("Distinct counterparts", str(self.distinct_counterparts),
             ", ".join(self.counterparts) if self.counterparts else "-"),
            ("Customer handoffs", str(self.customer_handoffs), "changes of counterpart, fewest–most over paths"),
            ("Internal handoffs", str(self.internal_handoffs),
             (f"most on one path: {lanes}; " if lanes else "")
             + f"{self.hidden_handoff_edges} of {self.handoff_edges} behind the line of visibility"),
            ("Visible steps", str(self.visible_steps), "provider steps in the customer view"),
            ("Invisible steps", str(self.invisible_steps), "provider steps behind the line of visibility"),
            ("Visibility ratio", "-" if ratio is None else f"{ratio:.0%}", "visible / all provider steps"),
            ("Hidden segments", str(self.hidden_segments), "hidden regions of the customer view"),
            ("Longest hidden wait", wait, "hidden steps between two consecutive touchpoints"),
            ("Longest stated wait", stated, stated_detail),
            ("Customer steps", str(self.customer_steps), f"{self.customer_steps_per_path} per path"),
            ("Dead ends", str(self.dead_ends), _rule_counts(self.findings, DEAD_END_RULES)),
            ("Responsibility gaps", str(self.responsibility_gaps),
             _rule_counts(self.findings, RESPONSIBILITY_GAP_RULES)),
            ("Soundness", self.soundness, "token game: deadlocks, lack of synchronisation"),
        ]

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table (for a pull-request comment)."""
        title = os.path.basename(self.file) if self.file else "model"
        lines = [f"**Customer metrics: {md_cell(title)}** (customer: {md_cell(self.customer)})", ""]
        lines.extend(md_table(["Metric", "Value", "Detail"], self.summary_rows()))
        return "\n".join(lines) + "\n"


def _rule_counts(findings: list[Finding], rules: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    wanted = set(rules)
    for finding in findings:
        if finding.rule in wanted:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
    if not counts:
        return "none"
    return ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items()))


# -- Markdown helpers ---------------------------------------------------------------


def md_cell(text: Any) -> str:
    """Text safe inside a GFM table cell: one line, pipes escaped."""
    value = " ".join(str(text).split())
    return value.replace("\\", "\\\\").replace("|", "\\|") if value else " "


def md_table(header: list[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    """A GFM table: header, separator, one line per row, every line with the same cells."""
    width = len(header)
    out = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * width]
    for row in rows:
        cells = [md_cell(c) for c in row]
        cells = (cells + [" "] * width)[:width]
        out.append("| " + " | ".join(cells) + " |")
    return out


# -- the graph of paths ----------------------------------------------------------------

#: DP keys: the last anchor was none (or a message/link jump came in) / the customer's.
_NONE = -1
_CUSTOMER = -2
#: Mask bit for "no touchpoint yet" in the customer-handoff DPs.
_BIT_NONE = 1


class _Graph:
    """Flow nodes (plus sub-process exits) and the edges paths take, as small integers."""

    def __init__(self, model: Model) -> None:
        from .analysis.flow import FlowGraph, is_event_subprocess, scope_starts

        self.model = model
        nodes = model.flow_nodes
        self.nodes: list[FlowNode | None] = list(nodes)
        self.owner: list[FlowNode] = list(nodes)  # the flow node of each index (the sub-process for an exit)
        vin = {id(node): i for i, node in enumerate(nodes)}
        vout = dict(vin)
        for node in nodes:
            if isinstance(node, SubProcess) and node.nodes:
                vout[id(node)] = len(self.nodes)
                self.nodes.append(None)
                self.owner.append(node)
        self.vin = vin
        self.vout = vout
        n = len(self.nodes)
        #: ``(target, reset)``: ``reset`` edges (link events, compensation) start a new anchor context.
        self.seq: list[list[tuple[int, bool]]] = [[] for _ in range(n)]
        self.msg: list[list[int]] = [[] for _ in range(n)]
        seq = self.seq
        for flow in model.sequence_flows:
            s, t = flow.source, flow.target
            if s is None or t is None or id(s) not in vin or id(t) not in vin:
                continue
            seq[vout[id(s)]].append((vin[id(t)], False))
        graph = FlowGraph.build(model)
        for node in nodes:
            i = vin[id(node)]
            for boundary in node.boundary_events:
                if id(boundary) in vin:
                    seq[i].append((vin[id(boundary)], False))
            for extra in graph.extra.get(id(node), ()):
                if extra.attached_to is node or id(extra) not in vin:
                    continue  # boundary events: above
                seq[i].append((vin[id(extra)], True))
            if isinstance(node, SubProcess) and node.nodes:
                out = vout[id(node)]
                entered = False
                for start in scope_starts(node):
                    if not is_event_subprocess(start):
                        seq[i].append((vin[id(start)], False))
                        entered = True
                if not entered:
                    seq[i].append((out, False))
                for inner in node.nodes:
                    if inner.outgoing or is_event_subprocess(inner) or inner.is_for_compensation:
                        continue
                    if inner.kind == "intermediateThrowEvent" and "link" in inner.triggers:
                        continue
                    seq[vout[id(inner)]].append((out, False))
        for flow in model.message_flows:
            s, t = flow.source, flow.target
            if isinstance(s, FlowNode) and isinstance(t, FlowNode) and id(s) in vin and id(t) in vin:
                self.msg[vout[id(s)]].append(vin[id(t)])

    def acyclic(self, with_messages: bool) -> tuple[list[int], list[list[tuple[int, bool]]]]:
        """A topological order and the forward edges once the DFS back edges are cut."""
        n = len(self.nodes)
        succ: list[list[tuple[int, bool]]]
        if with_messages:
            succ = [self.seq[i] + [(j, True) for j in self.msg[i]] for i in range(n)]
        else:
            succ = self.seq
        indegree = [0] * n
        for out in succ:
            for j, _ in out:
                indegree[j] += 1
        state = [0] * n  # 0 new, 1 on the stack, 2 done
        post: list[int] = []
        forward: list[list[tuple[int, bool]]] = [[] for _ in range(n)]
        roots = [i for i in reversed(range(n)) if indegree[i] == 0]
        roots.extend(i for i in range(n) if indegree[i])
        for root in roots:
            if state[root]:
                continue
            state[root] = 1
            stack = [(root, 0)]
            while stack:
                i, k = stack[-1]
                out = succ[i]
                if k < len(out):
                    stack[-1] = (i, k + 1)
                    j, reset = out[k]
                    if state[j] == 1:
                        continue  # a back edge: it closes a cycle
                    forward[i].append((j, reset))
                    if state[j] == 0:
                        state[j] = 1
                        stack.append((j, 0))
                else:
                    stack.pop()
                    state[i] = 2
                    post.append(i)
        post.reverse()
        return post, forward


# -- the dynamic programmes ---------------------------------------------------------------


def _journey_rec() -> list[int]:
    # touchpoints min, max; customer handoffs max (value, mask), min (value, mask); steps min, max
    return [0, 0, 0, _BIT_NONE, 0, _BIT_NONE, 0, 0]


def _merge_journey(a: list[int], b: list[int]) -> list[int]:
    if a[2] > b[2]:
        hmax, mmax = a[2], a[3]
    elif b[2] > a[2]:
        hmax, mmax = b[2], b[3]
    else:
        hmax, mmax = a[2], a[3] | b[3]
    if a[4] < b[4]:
        hmin, mmin = a[4], a[5]
    elif b[4] < a[4]:
        hmin, mmin = b[4], b[5]
    else:
        hmin, mmin = a[4], a[5] | b[5]
    return [min(a[0], b[0]), max(a[1], b[1]), hmax, mmax, hmin, mmin, min(a[6], b[6]), max(a[7], b[7])]


def _touch_journey(rec: list[int], party: int) -> None:
    # The optimum's mask holds the last counterparts of the paths that reach it;
    # values are integers, so paths below the maximum (above the minimum) can
    # never overtake it and need no state: that keeps the DP exact and small.
    bit = 2 << party
    rec[0] += 1
    rec[1] += 1
    if rec[3] & ~(_BIT_NONE | bit):
        rec[2] += 1
    rec[3] = bit
    if not rec[5] & (_BIT_NONE | bit):
        rec[4] += 1
    rec[5] = bit


def _merge_into(states: dict[int, Any], key: int, rec: Any, merge: Any) -> None:
    current = states.get(key)
    states[key] = rec if current is None else merge(current, rec)


@dataclass
class _NodeFacts:
    """What the DPs need per index."""

    #: ``None``: not an anchor; ``_CUSTOMER``; or the provider counterpart's number.
    side: list[int | None]
    #: Message touchpoints counted at the index (counterpart numbers, inbound first).
    touches: list[list[int]]
    #: Either end of a message touchpoint: where a wait begins or ends.
    wait_touch: list[bool]
    customer_step: list[bool]
    hidden_step: list[bool]
    timer: list[float]


def _journey_dp(graph: _Graph, facts: _NodeFacts, home: set[int]) -> tuple[Span, Span, Span]:
    """Touchpoints, customer handoffs and customer steps over the customer's paths."""
    from .analysis.flow import is_event_subprocess

    order, forward = graph.acyclic(with_messages=False)
    n = len(graph.nodes)
    indegree = [0] * n
    for out in forward:
        for j, _ in out:
            indegree[j] += 1
    states: list[dict[int, list[int]] | None] = [None] * n
    for i in range(n):
        node = graph.nodes[i]
        if node is None or indegree[i] or not isinstance(node.scope, Process):
            continue
        if id(node.scope) in home and not is_event_subprocess(node):
            states[i] = {_NONE: _journey_rec()}
    best: list[int] | None = None  # over every reached node (maxima)
    ends: list[int] | None = None  # over reached real ends (minima)
    sinks: list[int] | None = None  # over reached nodes with no forward edge (fallback)
    side, touches, csteps = facts.side, facts.touches, facts.customer_step
    for i in order:
        here = states[i]
        if here is None:
            continue
        states[i] = None
        after: dict[int, list[int]] = {}
        s = side[i]
        for key, rec in here.items():
            rec = list(rec)
            if s is not None:
                if key == _CUSTOMER and s >= 0:
                    _touch_journey(rec, s)
                elif key >= 0 and s == _CUSTOMER:
                    _touch_journey(rec, key)
                new_key = s
            else:
                new_key = key
            for party in touches[i]:
                _touch_journey(rec, party)
            if csteps[i]:
                rec[6] += 1
                rec[7] += 1
            _merge_into(after, new_key, rec, _merge_journey)
        for rec in after.values():
            best = rec if best is None else _merge_journey(best, rec)
            if not graph.seq[i]:
                ends = rec if ends is None else _merge_journey(ends, rec)
            if not forward[i]:
                sinks = rec if sinks is None else _merge_journey(sinks, rec)
        for j, reset in forward[i]:
            there = states[j]
            if there is None:
                there = states[j] = {}
            if reset:
                merged: list[int] | None = None
                for rec in after.values():
                    merged = rec if merged is None else _merge_journey(merged, rec)
                assert merged is not None
                _merge_into(there, _NONE, merged, _merge_journey)
            else:
                for key, rec in after.items():
                    _merge_into(there, key, rec, _merge_journey)
    low = ends or sinks
    if best is None or low is None:
        return Span(0, 0), Span(0, 0), Span(0, 0)
    return Span(low[0], best[1]), Span(low[4], best[2]), Span(low[6], best[7])


def _wait_dp(graph: _Graph, facts: _NodeFacts) -> tuple[int, float]:
    """Most hidden steps, and most timer seconds, between two consecutive touchpoints."""
    order, forward = graph.acyclic(with_messages=True)
    n = len(graph.nodes)
    states: list[dict[int, list[float]] | None] = [None] * n
    indegree = [0] * n
    for out in forward:
        for j, _ in out:
            indegree[j] += 1
    for i in range(n):
        if not indegree[i]:
            states[i] = {_NONE: [-1.0, -1.0]}  # -1: no touchpoint yet on this path
    best_steps = 0.0
    best_time = 0.0
    side, wait_touch, hidden, timer = facts.side, facts.wait_touch, facts.hidden_step, facts.timer

    def merge(a: list[float], b: list[float]) -> list[float]:
        return [max(a[0], b[0]), max(a[1], b[1])]

    for i in order:
        here = states[i]
        if here is None:
            continue
        states[i] = None
        after: dict[int, list[float]] = {}
        s = side[i]
        for key, rec in here.items():
            steps, time = rec
            touched = 0
            if s is not None:
                if (key == _CUSTOMER and s >= 0) or (key >= 0 and s == _CUSTOMER):
                    touched = 1
                new_key = s
            else:
                new_key = key
            touched += wait_touch[i]
            if touched:
                if steps >= 0:
                    best_steps = max(best_steps, steps)
                    best_time = max(best_time, time)
                steps, time = 0.0, 0.0
            elif steps >= 0:
                steps += hidden[i]
                time += timer[i]
            _merge_into(after, new_key, [steps, time], merge)
        for j, reset in forward[i]:
            there = states[j]
            if there is None:
                there = states[j] = {}
            if reset:
                merged = [max(r[0] for r in after.values()), max(r[1] for r in after.values())]
                _merge_into(there, _NONE, merged, merge)
            else:
                for key, rec in after.items():
                    _merge_into(there, key, rec, merge)
    return int(best_steps), best_time


# -- building it all ----------------------------------------------------------------------

ModelLike = Union[Model, str, "os.PathLike[str]", bytes]


def _step_flags(model: Model, is_step: Any) -> dict[int, bool]:
    """Which nodes count as a step: ``is_step(node)``, a sub-process only when nothing inside counts."""
    depth: dict[int, int] = {}
    for node in model.flow_nodes:
        d = 0
        scope = node.scope
        while isinstance(scope, SubProcess):
            d += 1
            scope = scope.scope
        depth[id(node)] = d
    has_inner: dict[int, bool] = {}
    flags: dict[int, bool] = {}
    for node in sorted(model.flow_nodes, key=lambda n: -depth[id(n)]):
        if isinstance(node, SubProcess) and has_inner.get(id(node)):
            counts = False
        else:
            counts = bool(is_step(node))
        flags[id(node)] = counts
        if (counts or has_inner.get(id(node))) and isinstance(node.scope, SubProcess):
            has_inner[id(node.scope)] = True
    return flags


def _party_of_node(node: FlowNode) -> Lane | Participant | Process | None:
    """Who answers for a provider node, as :func:`~bpmn_cx.customer.journey.counterpart` does."""
    from .customer.scope import effective_lane

    lane = effective_lane(node)
    if lane is not None:
        return lane
    process = node.process
    if process is None or any(ls.lanes for ls in process.lane_sets):
        return None
    return process.participant or process


def _home_processes(analysis: CustomerAnalysis) -> set[int]:
    scope = analysis.scope
    home = {id(p) for p in scope.processes}
    for node in analysis.customer_nodes:
        if node.process is not None:
            home.add(id(node.process))
    if not home:  # a black-box customer pool: the customer lives the provider's processes
        home = {id(p) for p in analysis.provider_processes}
        for t in analysis.touchpoints:
            if isinstance(t.provider_end, FlowNode) and t.provider_end.process is not None:
                home.add(id(t.provider_end.process))
    return home


def _touchpoint_label(t: Touchpoint) -> str:
    if isinstance(t.customer_end, FlowNode) and t.customer_end.label:
        return t.customer_end.label
    if t.kind == "message" and t.flow.label:
        return t.flow.label
    end = t.provider_end
    return end.label or end.id or "?"


def _sequence(analysis: CustomerAnalysis) -> list[TouchpointStep]:
    from .customer.journey import counterpart, journey_positions, party_name

    positions = journey_positions(analysis)
    big = len(positions) + 1

    def key(t: Touchpoint) -> tuple:
        end = t.customer_end if isinstance(t.customer_end, FlowNode) else t.provider_end
        pos = positions.get(id(end), big) if isinstance(end, FlowNode) else big
        return pos, t.direction != "inbound", t.line or 0, t.id

    out = []
    for t in sorted(analysis.touchpoints, key=key):
        party = counterpart(t)
        out.append(
            TouchpointStep(
                direction=t.direction,
                label=_touchpoint_label(t),
                counterpart=party_name(party) if party is not None else "",
                kind=t.kind,
                id=t.id,
                line=t.line,
                element=t.flow.id,
            )
        )
    return out


def scope_ids(scope: CustomerScope) -> list[str]:
    """The customer's pools and lanes by id: how the lint rules are told about the same customer."""
    return [e.id for e in scope.elements if e.id]


def _lint_families(model: Model, scope: CustomerScope) -> tuple[list[Finding], list[str]]:
    from .linter.engine import lint
    from .linter.registry import get_registry

    registry = get_registry()
    rules = {rule: "error" for rule in (*DEAD_END_RULES, *RESPONSIBILITY_GAP_RULES) if rule in registry}
    if not rules:
        return [], []
    rules["rule-error"] = "error"
    findings = lint(model, {"extends": [], "rules": rules, "customer": scope_ids(scope)})
    errors = [f.message for f in findings if f.rule == "rule-error"]
    return [f for f in findings if f.rule != "rule-error"], errors


def _load(source: ModelLike) -> Model:
    if isinstance(source, Model):
        return source
    from .loader import load

    return load(source)


def compute(
    model: ModelLike,
    customer: CustomerScope | str | Iterable[str] | None = None,
    *,
    names: Iterable[str] | None = None,
    analysis: CustomerAnalysis | None = None,
    plan: ViewPlan | None = None,
) -> Metrics:
    """The customer metrics of ``model`` (a :class:`Model`, a path or bytes).

    ``customer``: a :class:`CustomerScope`, pool/lane names or ids, or ``None``
    to detect the customer by name (``names`` replaces the role list). Raises
    :class:`~bpmn_cx.LoadError` for unreadable input and
    :class:`~bpmn_cx.customer.scope.CustomerError` when there is no customer.
    """
    from .analysis.soundness import analyse as soundness
    from .customer.analysis import CustomerAnalysis
    from .customer.journey import contacts, handoffs, max_handoffs, min_handoffs, party_name
    from .customer.scope import CustomerScope, find_customer
    from .customer.view import plan_view

    model = _load(model)
    if analysis is None:
        scope = customer if isinstance(customer, CustomerScope) else find_customer(model, customer, names=names)
        analysis = CustomerAnalysis.build(model, scope)
    scope = analysis.scope
    if plan is None:
        plan = plan_view(model, scope, analysis=analysis)

    result = Metrics(file=model.path, customer=scope.label)
    tps = analysis.touchpoints
    result.touchpoints = len(tps)
    result.inbound = sum(1 for t in tps if t.direction == "inbound")
    result.outbound = len(tps) - result.inbound
    parties = contacts(analysis)
    result.distinct_counterparts = len(parties)
    result.counterparts = [party_name(party) for party, _ in parties]
    result.touchpoint_sequence = _sequence(analysis)

    # Internal handoffs: the journey module's definition, shared with the handoff rules.
    most, lanes = max_handoffs(analysis)
    result.internal_handoffs = Span(min_handoffs(analysis), most)
    result.internal_handoff_lanes = [lane.label or lane.id or "?" for lane in lanes]
    edges = handoffs(analysis)
    result.handoff_edges = len(edges)
    # The customer cannot watch a handoff that starts or ends behind the line.
    result.hidden_handoff_edges = sum(1 for h in edges if not plan.is_kept(h.source) or not plan.is_kept(h.target))

    # Steps: the view's counting (activities and events; a sub-process by its content).
    view_step = _step_flags(model, lambda n: not n.is_gateway)
    work_step = _step_flags(model, lambda n: n.is_activity)
    is_customer = analysis.is_customer
    for node in model.flow_nodes:
        if is_customer(node):
            if work_step[id(node)]:
                result.customer_steps += 1
        elif view_step[id(node)]:
            if plan.is_kept(node):
                result.visible_steps += 1
            else:
                result.invisible_steps += 1
    result.hidden_segments = len(plan.regions)

    # Paths.
    graph = _Graph(model)
    n = len(graph.nodes)
    party_index: dict[int, int] = {}

    def party_number(party: Any) -> int:
        key = id(party) if party is not None else 0
        number = party_index.get(key)
        if number is None:
            number = party_index[key] = len(party_index)
        return number

    from .customer.analysis import is_work_free
    from .customer.journey import counterpart

    side: list[int | None] = [None] * n
    touches: list[list[int]] = [[] for _ in range(n)]
    customer_step = [False] * n
    hidden_step = [False] * n
    timer = [0.0] * n
    timers_stated = False
    for i, node in enumerate(graph.nodes):
        if node is None:
            continue
        customer_side = is_customer(node)
        if not is_work_free(node):
            side[i] = _CUSTOMER if customer_side else party_number(_party_of_node(node))
        if customer_side:
            customer_step[i] = work_step[id(node)]
        else:
            hidden_step[i] = view_step[id(node)] and not plan.is_kept(node)
        if node.kind in ("intermediateCatchEvent", "boundaryEvent") and "timer" in node.triggers:
            seconds = timer_seconds(node)
            if seconds is not None:
                timer[i] = seconds
                timers_stated = True
    inbound_first = sorted((t for t in tps if t.kind == "message"), key=lambda t: t.direction != "inbound")
    for t in inbound_first:
        end = t.customer_end if isinstance(t.customer_end, FlowNode) else t.provider_end
        if isinstance(end, FlowNode) and id(end) in graph.vin:
            touches[graph.vin[id(end)]].append(party_number(counterpart(t)))
    # A wait is measured on whichever side the path runs: a provider path from
    # receiving the request to sending the answer ends where the answer leaves.
    wait_touch = [bool(t) for t in touches]
    for t in tps:
        if t.kind != "message":
            continue
        for end in (t.customer_end, t.provider_end):
            if isinstance(end, FlowNode) and id(end) in graph.vin:
                wait_touch[graph.vin[id(end)]] = True
    facts = _NodeFacts(side, touches, wait_touch, customer_step, hidden_step, timer)

    per_path, customer_handoffs, steps = _journey_dp(graph, facts, _home_processes(analysis))
    result.touchpoints_per_path = per_path
    result.customer_handoffs = customer_handoffs
    result.customer_steps_per_path = steps
    wait_steps, wait_time = _wait_dp(graph, facts)
    result.max_wait_hidden_steps = wait_steps
    result.max_wait_seconds = wait_time if timers_stated else None

    result.findings, result.rule_errors = _lint_families(model, scope)
    dead = set(DEAD_END_RULES)
    gaps = set(RESPONSIBILITY_GAP_RULES)
    result.dead_ends = sum(1 for f in result.findings if f.rule in dead)
    result.responsibility_gaps = sum(1 for f in result.findings if f.rule in gaps)
    result.soundness = soundness(model).verdict
    return result


#: ``bpmn_cx.metrics(model, customer=None)`` is :func:`compute`.
metrics = compute


__all__ = [
    "DEAD_END_RULES",
    "METRICS",
    "RESPONSIBILITY_GAP_RULES",
    "MetricSpec",
    "Metrics",
    "Span",
    "TouchpointStep",
    "compute",
    "format_duration",
    "human_duration",
    "md_table",
    "metrics",
    "parse_duration",
    "scope_ids",
    "timer_seconds",
]
