"""Customer metrics: ``bpmn_cx.measure`` and ``bpmn-cx metrics``.

The models are written inline with :func:`doc` (also used by
``test_compare.py``): small processes whose numbers can be worked out by hand.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpmn_cx
from bpmn_cx.cli import main
from bpmn_cx.customer.scope import CustomerNotFound
from bpmn_cx.measure import (
    METRICS,
    Metrics,
    Span,
    compute,
    format_duration,
    human_duration,
    parse_duration,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "fixtures" / "examples"
COMPARE = ROOT / "fixtures" / "compare"

# -- a compact writer for test models -----------------------------------------------------


@dataclass
class Proc:
    """One process. ``lanes``: ``(lane id, lane name, [node specs])``; without lanes, ``nodes``.

    A node spec is ``(id, kind, name)``; kinds besides BPMN's own:
    ``"timer:P3D"`` (a timer catch event), ``"catch"`` (a message catch event),
    ``"messageStart"``, ``"boundary-timer:PT2H@Host"`` (a timer on ``Host``).
    """

    id: str
    pool: str | None = None
    lanes: list[tuple[str, str, list[tuple[str, str, str]]]] = field(default_factory=list)
    nodes: list[tuple[str, str, str]] = field(default_factory=list)
    flows: list[tuple[str, str]] = field(default_factory=list)


def _node_xml(nid: str, kind: str, name: str, incoming: list[str], outgoing: list[str]) -> str:
    body = "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in incoming)
    body += "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing)
    tag = kind
    if kind.startswith("timer:"):
        tag = "intermediateCatchEvent"
        body += (f'<bpmn:timerEventDefinition id="{nid}_T"><bpmn:timeDuration>{kind[6:]}'
                 "</bpmn:timeDuration></bpmn:timerEventDefinition>")
    elif kind == "catch":
        tag = "intermediateCatchEvent"
        body += f'<bpmn:messageEventDefinition id="{nid}_M"/>'
    elif kind.startswith("boundary-timer:"):  # "boundary-timer:PT2H@Host"
        duration, host = kind[15:].split("@")
        return (f'<bpmn:boundaryEvent id={quoteattr(nid)} name={quoteattr(name)} attachedToRef="{host}">{body}'
                f'<bpmn:timerEventDefinition id="{nid}_T"><bpmn:timeDuration>{duration}</bpmn:timeDuration>'
                "</bpmn:timerEventDefinition></bpmn:boundaryEvent>")
    elif kind == "messageStart":
        tag = "startEvent"
        body += f'<bpmn:messageEventDefinition id="{nid}_M"/>'
    return f"<bpmn:{tag} id={quoteattr(nid)} name={quoteattr(name)}>{body}</bpmn:{tag}>"


def doc(*processes: Proc, messages: list[tuple[str, str, str]] = (), black_boxes: list[tuple[str, str]] = ()) -> bytes:
    """A BPMN 2.0 document: processes (each in a pool when it has a ``pool`` name) and message flows."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="Defs" targetNamespace="http://bpmn-cx.example/metrics-test">'
    ]
    pooled = [p for p in processes if p.pool is not None]
    if pooled or black_boxes or messages:
        out.append('<bpmn:collaboration id="Collab">')
        for p in pooled:
            out.append(f'<bpmn:participant id="Pool_{p.id}" name={quoteattr(p.pool)} processRef="{p.id}"/>')
        for pid, name in black_boxes:
            out.append(f"<bpmn:participant id={quoteattr(pid)} name={quoteattr(name)}/>")
        for mid, source, target in messages:
            out.append(f'<bpmn:messageFlow id="{mid}" sourceRef="{source}" targetRef="{target}"/>')
        out.append("</bpmn:collaboration>")
    for p in processes:
        out.append(f'<bpmn:process id="{p.id}" isExecutable="false">')
        nodes = list(p.nodes)
        if p.lanes:
            out.append(f'<bpmn:laneSet id="LS_{p.id}">')
            for lid, name, lane_nodes in p.lanes:
                refs = "".join(f"<bpmn:flowNodeRef>{n[0]}</bpmn:flowNodeRef>" for n in lane_nodes)
                out.append(f"<bpmn:lane id={quoteattr(lid)} name={quoteattr(name)}>{refs}</bpmn:lane>")
                nodes.extend(lane_nodes)
            out.append("</bpmn:laneSet>")
        flow_ids = [f"{p.id}_F{i}" for i in range(len(p.flows))]
        for nid, kind, name in nodes:
            incoming = [fid for fid, (_, t) in zip(flow_ids, p.flows) if t == nid]
            outgoing = [fid for fid, (s, _) in zip(flow_ids, p.flows) if s == nid]
            out.append(_node_xml(nid, kind, name, incoming, outgoing))
        for fid, (source, target) in zip(flow_ids, p.flows):
            out.append(f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}"/>')
        out.append("</bpmn:process>")
    out.append("</bpmn:definitions>\n")
    return "".join(out).encode("utf-8")


def chain(*steps: tuple[str, str, str], lanes: dict[str, str], prefix: str = "") -> bytes:
    """One process with lanes, its steps in a row: ``(lane key, kind, name)``; ids from the position."""
    lane_nodes: dict[str, list[tuple[str, str, str]]] = {key: [] for key in lanes}
    ids = []
    for i, (lane, kind, name) in enumerate(steps):
        nid = f"{prefix}N{i}"
        ids.append(nid)
        lane_nodes[lane].append((nid, kind, name))
    proc = Proc(
        "P",
        pool="Shop",
        lanes=[(f"{prefix}Lane_{key}", name, lane_nodes[key]) for key, name in lanes.items()],
        flows=list(zip(ids, ids[1:])),
    )
    return doc(proc)


LANES = {"c": "Customer", "s": "Sales", "v": "Service", "b": "Back office"}


def m(data: bytes, customer=None) -> Metrics:
    return compute(bpmn_cx.load(data), customer)


# -- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("P3D", 3 * 86400),
        ("PT4H", 4 * 3600),
        ("PT4H30M", 4 * 3600 + 1800),
        ("P1W", 7 * 86400),
        ("PT1.5H", 5400),
        ("PT0,5S", 0.5),
        ("P1Y", 365 * 86400),
        ("P2M", 60 * 86400),
        (" p1dt12h ", 36 * 3600),
        ("PT0S", 0),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", None, "P", "PT", "P1DT", "3 days", "${delay}", "-P1D",
                                  "2024-01-01T00:00:00Z", "R3/PT1H", "P1H"])
def test_not_a_duration(text: str | None) -> None:
    assert parse_duration(text) is None


def test_format_duration() -> None:
    assert format_duration(None) == "unknown"
    assert format_duration(0) == "PT0S"
    assert format_duration(3 * 86400) == "P3D"
    assert format_duration(86400 + 3600 + 61) == "P1DT1H1M1S"
    assert human_duration(5400) == "1 hour 30 minutes"
    assert human_duration(2 * 86400) == "2 days"
    assert human_duration(None) == "unknown"


# -- single metrics on hand-made models -----------------------------------------------------------


def test_single_counterpart_chain() -> None:
    data = chain(("c", "startEvent", "Start"), ("c", "task", "Ask"), ("s", "task", "Answer"),
                 ("s", "task", "Note it"), ("c", "task", "Read answer"), ("c", "endEvent", "Done"),
                 lanes=LANES)
    r = m(data)
    assert (r.touchpoints, r.outbound, r.inbound) == (2, 1, 1)
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.distinct_counterparts == 1
    assert r.counterparts == ["Sales"]
    assert r.customer_handoffs == Span(0, 0)
    assert r.internal_handoffs == Span(0, 0)
    assert r.customer_steps == 2
    assert r.customer_steps_per_path == Span(2, 2)
    assert r.max_wait_hidden_steps == 0
    assert r.max_wait_seconds is None and r.max_wait_time == "unknown"
    assert r.soundness == "sound"
    assert r.dead_ends == 0 and r.responsibility_gaps == 0


def test_customer_handoffs_count_changes_of_counterpart() -> None:
    # Sales -> Service -> Sales: the customer is passed on twice.
    data = chain(("c", "startEvent", "Start"), ("c", "task", "Ask"), ("s", "task", "Take it"),
                 ("c", "task", "Wait"), ("v", "task", "Explain"), ("c", "task", "Ask again"),
                 ("s", "task", "Close"), ("c", "endEvent", "Done"), lanes=LANES)
    r = m(data)
    # Touchpoints: Ask->Sales, Sales->Wait, Wait->Service, Service->Ask again, Ask again->Sales,
    # Sales->Done: counterparts S S V V S S.
    assert r.touchpoints == 6
    assert r.customer_handoffs == Span(2, 2)
    assert r.distinct_counterparts == 2


def test_min_and_max_over_paths() -> None:
    proc = Proc(
        "P",
        pool="Shop",
        lanes=[
            ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"),
                                 ("Read", "task", "Read"), ("E", "endEvent", "Done")]),
            ("L_S", "Sales", [("G", "exclusiveGateway", "Simple?"), ("A", "task", "Answer"),
                              ("M", "exclusiveGateway", "")]),
            ("L_V", "Service", [("X", "task", "Escalate")]),
            ("L_B", "Back office", [("Y", "task", "Check")]),
        ],
        flows=[("S", "Ask"), ("Ask", "G"), ("G", "A"), ("G", "X"), ("X", "Y"), ("Y", "Read"),
               ("A", "M"), ("M", "Read"), ("Read", "E")],
    )
    r = m(doc(proc))
    # Simple path: Ask -> Sales (Answer) -> Read: no change of counterpart, no hidden step.
    # Escalated: Ask -> Service (Escalate) -> Back office -> Read: Service, then Back office.
    assert r.customer_handoffs == Span(0, 1)
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.internal_handoffs == Span(0, 1)
    assert r.customer_steps_per_path == Span(2, 2)


def test_hidden_wait_and_timer_time() -> None:
    data = chain(("c", "startEvent", "Start"), ("c", "task", "Apply"), ("s", "task", "Receive"),
                 ("b", "task", "Check"), ("b", "timer:P2D", "Two days"), ("b", "task", "Decide"),
                 ("s", "task", "Tell"), ("c", "task", "Read"), ("c", "endEvent", "Done"), lanes=LANES)
    r = m(data)
    # Back office is behind the line: Check, the timer and Decide are hidden.
    assert r.max_wait_hidden_steps == 3
    assert r.max_wait_seconds == 2 * 86400
    assert r.max_wait_time == "P2D"
    assert r.invisible_steps == 3
    assert r.visible_steps == 2
    assert r.visibility_ratio == 0.4
    assert r.hidden_segments == 1
    assert r.internal_handoffs == Span(2, 2)
    assert r.handoff_edges == 2
    assert r.hidden_handoff_edges == 2  # both go to or come from the hidden back office


def test_boundary_timer_counts_on_the_exception_path() -> None:
    proc = Proc("P", pool="Shop", lanes=[
        ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"), ("Read", "task", "Read"),
                             ("E", "endEvent", "Done")]),
        ("L_S", "Sales", [("A", "task", "Answer"), ("T", "boundary-timer:P1D@A", "A day late"),
                          ("R", "task", "Reply")]),
        ("L_B", "Back office", [("X", "task", "Escalate")]),
    ], flows=[("S", "Ask"), ("Ask", "A"), ("A", "R"), ("T", "X"), ("X", "R"), ("R", "Read"), ("Read", "E")])
    r = m(doc(proc))
    assert r.max_wait_seconds == 86400
    assert r.max_wait_hidden_steps == 1  # the escalation, behind the line
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.internal_handoffs == Span(0, 2)


SUBPROCESS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="false">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="L_C" name="Customer"><bpmn:flowNodeRef>S</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Ask</bpmn:flowNodeRef><bpmn:flowNodeRef>E</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="L_S" name="Sales"><bpmn:flowNodeRef>Sub</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="L_V" name="Service"><bpmn:flowNodeRef>Call</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="S" name="Start"/>
    <bpmn:task id="Ask" name="Ask"/>
    <bpmn:subProcess id="Sub" name="Handle request">
      <bpmn:startEvent id="SS" name="In"/>
      <bpmn:task id="T1" name="Look it up"/>
      <bpmn:task id="T2" name="Write answer"/>
      <bpmn:endEvent id="SE" name="Out"/>
      <bpmn:sequenceFlow id="s1" sourceRef="SS" targetRef="T1"/>
      <bpmn:sequenceFlow id="s2" sourceRef="T1" targetRef="T2"/>
      <bpmn:sequenceFlow id="s3" sourceRef="T2" targetRef="SE"/>
    </bpmn:subProcess>
    <bpmn:task id="Call" name="Call the customer"/>
    <bpmn:endEvent id="E" name="Done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Ask"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Ask" targetRef="Sub"/>
    <bpmn:sequenceFlow id="f3" sourceRef="Sub" targetRef="Call"/>
    <bpmn:sequenceFlow id="f4" sourceRef="Call" targetRef="E"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_paths_go_through_sub_processes() -> None:
    r = m(SUBPROCESS)
    # Ask -> Sales (the sub-process), Service (Call) -> Done: two counterparts on the one path.
    assert r.touchpoints == 2
    assert r.customer_handoffs == Span(1, 1)
    assert r.internal_handoffs == Span(1, 1)  # the sub-process's last work hands over to Service
    # The sub-process counts by its content: its two tasks and two events are visible steps.
    assert r.visible_steps == 5
    assert r.customer_steps == 1


def test_timer_outside_a_wait_still_makes_the_time_known() -> None:
    data = chain(("c", "startEvent", "Start"), ("c", "timer:PT1H", "An hour"), ("c", "task", "Ask"),
                 ("s", "task", "Answer"), ("c", "endEvent", "Done"), lanes=LANES)
    r = m(data)
    assert r.max_wait_seconds == 0
    assert r.max_wait_time == "PT0S"


def test_collaboration_wait_runs_through_the_provider() -> None:
    customer = Proc("PC", pool="Customer", nodes=[
        ("CS", "startEvent", "Need"), ("Order", "sendTask", "Order"), ("Got", "catch", "Confirmation"),
        ("CE", "endEvent", "Done")], flows=[("CS", "Order"), ("Order", "Got"), ("Got", "CE")])
    shop = Proc("PS", pool="Shop", lanes=[
        ("L_S", "Sales", [("SS", "messageStart", "Order in"), ("Confirm", "sendTask", "Confirm"),
                          ("SE", "endEvent", "Done")]),
        ("L_W", "Warehouse", [("W1", "task", "Reserve"), ("W2", "task", "Book")]),
    ], flows=[("SS", "W1"), ("W1", "W2"), ("W2", "Confirm"), ("Confirm", "SE")])
    r = m(doc(customer, shop, messages=[("M1", "Order", "SS"), ("M2", "Confirm", "Got")]))
    assert (r.touchpoints, r.outbound, r.inbound) == (2, 1, 1)
    assert r.max_wait_hidden_steps == 2
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.customer_steps == 1
    assert r.counterparts == ["Sales"]


def test_black_box_customer_lives_the_provider_process() -> None:
    shop = Proc("PS", pool="Clinic", lanes=[
        ("L_R", "Reception", [("S", "messageStart", "Arrive"), ("R", "task", "Register")]),
        ("L_D", "Doctor", [("D", "sendTask", "Diagnose"), ("E", "endEvent", "Done")]),
    ], flows=[("S", "R"), ("R", "D"), ("D", "E")])
    r = m(doc(shop, black_boxes=[("Pool_Patient", "Patient")],
              messages=[("M1", "Pool_Patient", "S"), ("M2", "D", "Pool_Patient")]))
    assert r.touchpoints == 2
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.customer_handoffs == Span(1, 1)
    assert r.customer_steps == 0


def test_loops_are_cut_not_followed_forever() -> None:
    proc = Proc("P", pool="Shop", lanes=[
        ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"), ("Fix", "task", "Fix it"),
                             ("E", "endEvent", "Done")]),
        ("L_S", "Sales", [("A", "task", "Review"), ("G", "exclusiveGateway", "Complete?")]),
    ], flows=[("S", "Ask"), ("Ask", "A"), ("A", "G"), ("G", "E"), ("G", "Fix"), ("Fix", "A")])
    r = m(doc(proc))
    assert r.touchpoints == 4  # Ask->Review, Review->Done, Review->Fix, Fix->Review
    # The loop is cut where it closes (Fix -> Review): paths count each touchpoint once.
    assert r.touchpoints_per_path == Span(2, 2)
    assert r.customer_handoffs == Span(0, 0)


def test_dead_ends_responsibility_gaps_and_soundness() -> None:
    proc = Proc("P", pool="Shop", lanes=[
        ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"), ("E", "endEvent", "Done")]),
        ("L_S", "Sales", [("Split", "exclusiveGateway", ""), ("A", "task", "Answer"), ("B", "task", "Bill"),
                          ("Merge", "parallelGateway", ""), ("Orphan", "task", "Never")]),
    ], nodes=[("Loose", "task", "Nobody's")],
        flows=[("S", "Ask"), ("Ask", "Split"), ("Split", "A"), ("Split", "B"), ("A", "Merge"), ("B", "Merge"),
               ("Merge", "E"), ("Orphan", "E"), ("Loose", "E")])
    r = m(doc(proc))
    assert r.soundness == "unsound"  # the parallel join waits for a branch the split never takes
    assert {f.rule for f in r.findings} >= {"deadlock", "unreachable-node"}
    assert r.dead_ends == sum(1 for f in r.findings if f.rule in ("deadlock", "unreachable-node",
                                                                  "no-path-to-end", "customer-waits-forever",
                                                                  "unanswered-request"))
    assert r.responsibility_gaps >= 1
    assert any(f.rule == "node-outside-lane" and f.element == "Loose" for f in r.findings)


def test_clean_model_has_no_findings() -> None:
    r = compute(bpmn_cx.load(EXAMPLES / "credit-inquiry.bpmn"))
    assert r.findings == [] and r.dead_ends == 0 and r.responsibility_gaps == 0
    assert r.visible_steps == 3 and r.invisible_steps == 2 and r.hidden_segments == 1
    assert r.touchpoints == 3 and r.touchpoints_per_path == Span(2, 2)
    assert r.internal_handoffs == Span(3, 3)


def test_explicit_customer_and_missing_customer() -> None:
    data = chain(("c", "startEvent", "Start"), ("c", "task", "Ask"), ("s", "task", "Answer"),
                 ("c", "endEvent", "Done"), lanes={"c": "Member", "s": "Sales"})
    with pytest.raises(CustomerNotFound):
        m(data)
    r = m(data, ["Member"])
    assert r.customer == "Member" and r.touchpoints == 2
    # The library function stays bpmn_cx.metrics whatever is imported first.
    importlib.import_module("bpmn_cx.measure")

    assert bpmn_cx.metrics(bpmn_cx.load(data), "Member").touchpoints == 2


def test_worked_example_numbers() -> None:
    base = compute(bpmn_cx.load(COMPARE / "ordering-departments.bpmn"))
    variant = compute(bpmn_cx.load(COMPARE / "ordering-account-manager.bpmn"))
    assert base.counterparts == ["Sales", "Order management", "Customer service", "Shipping", "Returns"]
    assert variant.counterparts == ["Account manager", "Shipping"]
    assert (base.customer_handoffs, variant.customer_handoffs) == (Span(3, 4), Span(1, 2))
    assert (base.max_wait_seconds, variant.max_wait_seconds) == (3 * 86400, 86400)
    assert (base.max_wait_hidden_steps, variant.max_wait_hidden_steps) == (1, 2)
    assert base.internal_handoffs.max < variant.internal_handoffs.max
    assert variant.hidden_handoff_edges > base.hidden_handoff_edges
    for model in ("ordering-departments.bpmn", "ordering-account-manager.bpmn"):
        assert bpmn_cx.validate(COMPARE / model).valid


# -- the path DPs against brute force -------------------------------------------------------------


def _reference(proc_nodes: dict[str, tuple[str, str]], flows: list[tuple[str, str]]) -> dict[str, Span]:
    """Enumerate every start-to-end path and measure it the slow way."""
    succ: dict[str, list[str]] = {n: [] for n in proc_nodes}
    indegree = {n: 0 for n in proc_nodes}
    for a, b in flows:
        succ[a].append(b)
        indegree[b] += 1
    results: list[tuple[int, int, int]] = []
    for start in (n for n in proc_nodes if indegree[n] == 0):
        stack = [[start]]
        while stack:
            path = stack.pop()
            last = path[-1]
            if succ[last]:
                for nxt in succ[last]:
                    stack.append(path + [nxt])
                continue
            anchors = [n for n in path if proc_nodes[n][1] != "exclusiveGateway"]
            touch: list[str] = []
            for a, b in zip(anchors, anchors[1:]):
                ca, cb = proc_nodes[a][0] == "c", proc_nodes[b][0] == "c"
                if ca and not cb:
                    touch.append(proc_nodes[b][0])
                elif cb and not ca:
                    touch.append(proc_nodes[a][0])
            changes = sum(1 for x, y in zip(touch, touch[1:]) if x != y)
            steps = sum(1 for n in path if proc_nodes[n] == ("c", "task"))
            results.append((len(touch), changes, steps))
    return {
        "touchpoints": Span(min(r[0] for r in results), max(r[0] for r in results)),
        "handoffs": Span(min(r[1] for r in results), max(r[1] for r in results)),
        "steps": Span(min(r[2] for r in results), max(r[2] for r in results)),
    }


@st.composite
def dags(draw: st.DrawFn) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    n = draw(st.integers(3, 9))
    nodes: dict[str, tuple[str, str]] = {"N0": ("c", "startEvent")}
    for i in range(1, n):
        lane = draw(st.sampled_from(["c", "s", "v", "b"]))
        kind = draw(st.sampled_from(["task", "task", "exclusiveGateway"]))
        nodes[f"N{i}"] = (lane, kind)
    flows = []
    for j in range(1, n):
        # every node after the start has a predecessor, plus a few extra edges forward
        i = draw(st.integers(0, j - 1))
        flows.append((f"N{i}", f"N{j}"))
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n))
    for i, j in extra:
        if i < j and (f"N{i}", f"N{j}") not in flows:
            flows.append((f"N{i}", f"N{j}"))
    return nodes, flows


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags())
def test_path_dps_match_brute_force(graph: tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]) -> None:
    nodes, flows = graph
    lanes = {key: [] for key in LANES}
    for nid, (lane, kind) in nodes.items():
        lanes[lane].append((nid, kind, f"{kind} {nid}"))
    proc = Proc("P", pool="Shop", lanes=[(f"L_{k}", LANES[k], v) for k, v in lanes.items()], flows=flows)
    r = m(doc(proc))
    expected = _reference(nodes, flows)
    assert r.touchpoints_per_path == expected["touchpoints"]
    assert r.customer_handoffs == expected["handoffs"]
    assert r.customer_steps_per_path == expected["steps"]


def test_long_chain_needs_no_recursion() -> None:
    from bpmn_cx.synthetic import synthetic_model

    r = compute(bpmn_cx.load(synthetic_model(20_000, lanes=4, customer_lane=True, di=False)))
    assert r.touchpoints > 0
    assert r.touchpoints_per_path.max <= r.touchpoints
    assert r.internal_handoffs.max > 0


# -- the command line ----------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


JSON_KEYS = {
    "file", "customer", "touchpoints", "distinct_counterparts", "counterparts", "customer_handoffs",
    "internal_handoffs", "visible_steps", "invisible_steps", "visibility_ratio", "hidden_segments",
    "max_wait_hidden_steps", "max_wait_time", "max_wait_seconds", "customer_steps", "dead_ends",
    "responsibility_gaps", "soundness", "touchpoint_sequence",
}


def test_cli_json() -> None:
    code, out, err = run("metrics", str(COMPARE / "ordering-departments.bpmn"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == JSON_KEYS
    assert data["touchpoints"] == {"total": 7, "inbound": 4, "outbound": 3, "min": 5, "max": 7}
    assert data["distinct_counterparts"] == 5
    assert data["customer_handoffs"] == {"min": 3, "max": 4}
    assert data["max_wait_time"] == "P3D" and data["max_wait_seconds"] == 3 * 86400
    assert data["soundness"] == "sound"
    for spec in METRICS:  # every compared metric is addressable in the JSON
        value = data
        for part in spec.name.split("."):
            value = value[part]


def test_cli_text_is_a_table() -> None:
    code, out, _ = run("metrics", str(EXAMPLES / "credit-inquiry.bpmn"))
    assert code == 0
    assert "Distinct counterparts" in out and "Consultant" in out
    assert "┃" in out or "|" in out  # drawn as a table
    assert "\x1b[" not in out  # no colour codes when not a terminal


def table_blocks(markdown: str) -> list[list[str]]:
    blocks, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def cells(line: str) -> int:
    """Cells of a GFM table row: unescaped pipes minus one."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def assert_gfm_tables(markdown: str, expected: int) -> None:
    blocks = table_blocks(markdown)
    assert len(blocks) == expected
    for block in blocks:
        assert len(block) >= 3  # header, separator, at least one row
        width = cells(block[0])
        assert width >= 2
        assert re.fullmatch(r"\|(---\|)+", block[1]) and cells(block[1]) == width
        for row in block:
            assert row.endswith("|") and cells(row) == width, row
    # And a GFM parser (markdown-it, which rich ships with) sees the same tables and rows.
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(markdown)
    assert sum(1 for t in tokens if t.type == "table_open") == expected
    rows = sum(1 for t in tokens if t.type == "tr_open")
    assert rows == sum(len(block) - 1 for block in blocks)  # every line but the separator


def test_cli_markdown_renders_as_a_table() -> None:
    code, out, _ = run("metrics", str(COMPARE / "ordering-account-manager.bpmn"), "--format", "markdown")
    assert code == 0
    assert_gfm_tables(out, 1)
    assert "| Distinct counterparts | 2 | Account manager, Shipping |" in out


def test_markdown_escapes_pipes(tmp_path: Path) -> None:
    data = chain(("c", "startEvent", "Start"), ("c", "task", "Ask"), ("s", "task", "Answer"),
                 ("c", "endEvent", "Done"), lanes={"c": "Customer", "s": "Sales | Support"})
    path = tmp_path / "pipes.bpmn"
    path.write_bytes(data)
    code, out, _ = run("metrics", str(path), "--format", "markdown")
    assert code == 0
    assert_gfm_tables(out, 1)
    assert "Sales \\| Support" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or directory"),
        (b"<bpmn:definitions", "not well-formed"),
        (b"<html/>", ""),
    ],
)
def test_cli_bad_input(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "model.bpmn"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run("metrics", str(path))
    assert code == 2
    assert out == ""
    assert str(path) in err and message in err
    assert "Traceback" not in err


def test_cli_no_customer(tmp_path: Path) -> None:
    path = tmp_path / "nobody.bpmn"
    path.write_bytes(chain(("s", "startEvent", "Start"), ("s", "task", "Work"), ("s", "endEvent", "End"),
                           lanes={"s": "Sales"}))
    code, _, err = run("metrics", str(path))
    assert code == 2
    assert f"{path}: no customer pool or lane found" in err
    code, _, err = run("metrics", str(path), "--customer", "Sales")
    assert code == 0, err


def test_cli_customer_and_role_names_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "gym.bpmn"
    path.write_bytes(chain(("p", "startEvent", "Start"), ("p", "task", "Ask for a plan"),
                           ("d", "task", "Write the plan"), ("p", "task", "Train"), ("p", "endEvent", "End"),
                           lanes={"p": "Member", "d": "Coach"}))
    code, _, err = run("metrics", str(path))
    assert code == 2 and "no customer pool or lane found" in err  # "Member" is no built-in role name
    # customer-names: the roles that mark the customer in this organisation.
    (tmp_path / ".bpmn-cx.toml").write_text('customer-names = ["Member"]\n', encoding="utf-8")
    code, out, err = run("metrics", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["touchpoints"]["total"] == 2
    # customer: the pool or lane itself; --customer wins over both.
    (tmp_path / ".bpmn-cx.toml").write_text('customer = ["Coach"]\n', encoding="utf-8")
    code, out, _ = run("metrics", str(path), "--format", "json")
    assert json.loads(out)["customer"] == "Coach"
    code, out, _ = run("metrics", str(path), "--format", "json", "--customer", "Member")
    assert json.loads(out)["customer"] == "Member"
    # An explicit --config is read instead; a missing one is a usage error.
    other = tmp_path / "other.toml"
    other.write_text('customer = ["Member"]\n', encoding="utf-8")
    code, out, _ = run("metrics", str(path), "--format", "json", "--config", str(other))
    assert json.loads(out)["customer"] == "Member"
    code, _, err = run("metrics", str(path), "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such configuration file" in err
    (tmp_path / ".bpmn-cx.toml").write_text('customer = "Coach"\nsurprise = 1\n', encoding="utf-8")
    code, _, err = run("metrics", str(path))
    assert code == 2 and "bpmn-cx metrics:" in err and "Traceback" not in err
    code, _, err = run("compare", str(path), str(path))
    assert code == 2 and "bpmn-cx compare:" in err


def test_cli_folder_is_bad_input(tmp_path: Path) -> None:
    code, _, err = run("metrics", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_identical_models_identical_metrics() -> None:
    a = compute(bpmn_cx.load(COMPARE / "ordering-departments.bpmn"))
    b = compute(bpmn_cx.load((COMPARE / "ordering-departments.bpmn").read_bytes()))
    da, db = a.to_dict(), b.to_dict()
    da.pop("file"), db.pop("file")
    assert da == db


def test_all_metrics_have_a_direction() -> None:
    assert {spec.direction for spec in METRICS} <= {"lower", "higher", "neutral"}
    names = [spec.name for spec in METRICS]
    assert len(names) == len(set(names))
    for must in ("distinct_counterparts", "customer_handoffs.max", "internal_handoffs.max", "dead_ends",
                 "responsibility_gaps", "customer_steps.total", "max_wait_hidden_steps", "soundness"):
        assert must in names
