"""The customer-side rules and the journey analyses they share.

The rule fixtures in ``rules/<id>/`` are run by ``test_rule_fixtures.py``;
this module checks the analyses underneath (handoffs, back edges, longest
and shortest paths against brute force, ping-pong), the interplay of the
rules (one ``customer-scope`` finding, no finding twice), the wording of
messages, the CLI, and that 100,000-node chains need no recursion.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.analysis.shared import customer_analysis, customer_error
from bpmn_cx.cli import main
from bpmn_cx.customer.analysis import CustomerAnalysis
from bpmn_cx.customer.journey import (
    acyclic_order,
    contacts,
    handoffs,
    journey_graph,
    max_handoffs,
    min_handoffs,
    ping_pongs,
)
from bpmn_cx.customer.scope import AmbiguousCustomer, CustomerNotFound, find_customer
from bpmn_cx.linter.api import RuleContext
from bpmn_cx.linter.config import Config
from bpmn_cx.linter.engine import lint

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
CUSTOMER_RULES = [
    "customer-scope",
    "customer-waits-forever",
    "excessive-handoffs",
    "handoff-without-artifact",
    "ping-pong-handoff",
    "single-point-of-contact",
    "unanswered-request",
    "unowned-touchpoint",
]

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs" targetNamespace="http://x">\n'
)


def laned_process(steps: list[tuple[str, str, str]], flows: list[tuple[str, str]] | None = None,
                  *, pool: str = "Shop", extra: str = "") -> bytes:
    """One pool with lanes. ``steps``: (kind, id, lane); flows link consecutive steps unless given."""
    if flows is None:
        flows = [(steps[i][1], steps[i + 1][1]) for i in range(len(steps) - 1)]
    lanes: dict[str, list[str]] = {}
    for _, node_id, lane in steps:
        if lane:
            lanes.setdefault(lane, []).append(node_id)
    out = [HEAD, '<bpmn:collaboration id="Collab"><bpmn:participant id="Pool" name="%s" processRef="P"/>'
           "</bpmn:collaboration>" % pool, '<bpmn:process id="P"><bpmn:laneSet id="LS">']
    for i, (lane, refs) in enumerate(lanes.items()):
        out.append(f'<bpmn:lane id="L{i}" name="{lane}">')
        out.extend(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs)
        out.append("</bpmn:lane>")
    out.append("</bpmn:laneSet>")
    for kind, node_id, _ in steps:
        out.append(f'<bpmn:{kind} id="{node_id}" name="{node_id}"/>')
    for i, (a, b) in enumerate(flows):
        out.append(f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{b}"/>')
    out.append(extra)
    out.append("</bpmn:process></bpmn:definitions>")
    return "\n".join(out).encode()


def analysed(data: bytes | str | Path, customer: list[str] | None = None) -> CustomerAnalysis:
    model = bpmn_cx.load(data if isinstance(data, bytes) else str(data))
    return CustomerAnalysis.build(model, find_customer(model, customer))


def run_rules(source, rules: list[str], customer: list[str] | None = None, options: dict | None = None):
    table: dict = {"extends": [], "rules": {r: dict((options or {}).get(r, {})) or "error" for r in rules}}
    if customer:
        table["customer"] = customer
    config = Config.from_dict(table, source="<test>").with_overrides(select=rules)
    return lint(source, config)


# -- the journey graph --------------------------------------------------------


def test_handoffs_of_the_bundled_example() -> None:
    analysis = analysed(ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn")
    pairs = [(h.from_lane.label, h.to_lane.label) for h in handoffs(analysis)]
    assert ("Consultant", "Back office") in pairs
    assert ("Back office", "Department manager") in pairs
    # The customer's own steps are touchpoints, never handoffs.
    assert all("Customer" not in pair for pair in pairs)
    count, lanes = max_handoffs(analysis)
    assert count == 3
    assert [lane.label for lane in lanes] == ["Consultant", "Back office", "Department manager", "Consultant"]
    assert min_handoffs(analysis) == 3


def test_customer_between_two_lanes_is_no_handoff() -> None:
    data = laned_process([
        ("startEvent", "S", "Sales"), ("task", "A", "Sales"), ("task", "C", "Customer"),
        ("task", "B", "Warehouse"), ("endEvent", "E", "Warehouse"),
    ])
    analysis = analysed(data)
    assert handoffs(analysis) == []
    assert max_handoffs(analysis) == (0, [])


def test_gateways_and_events_in_other_lanes_do_not_break_a_handoff() -> None:
    data = laned_process([
        ("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("exclusiveGateway", "G", "Billing"),
        ("intermediateThrowEvent", "I", "Legal"), ("task", "B", "Warehouse"), ("endEvent", "E", "Legal"),
    ])
    found = handoffs(analysed(data))
    assert [(h.source.id, h.target.id) for h in found] == [("A", "B")]
    assert [n.id for n in found[0].link.via] == ["G", "I"]


def test_nodes_without_lane_hand_nothing_over() -> None:
    data = laned_process([
        ("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("task", "N", ""), ("task", "B", "Warehouse"),
    ])
    assert handoffs(analysed(data)) == []


def test_boundary_event_hands_over_in_its_hosts_lane() -> None:
    extra = ('<bpmn:boundaryEvent id="T" attachedToRef="A"><bpmn:timerEventDefinition id="TD"/>'
             '</bpmn:boundaryEvent><bpmn:sequenceFlow id="FB" sourceRef="T" targetRef="M"/>'
             '<bpmn:task id="M" name="Escalate"/>')
    data = laned_process([
        ("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("endEvent", "E", "Sales"), ("task", "M2", "Management"),
    ], flows=[("S", "A"), ("A", "E")], extra=extra)
    data = data.replace(b"<bpmn:flowNodeRef>M2</bpmn:flowNodeRef>", b"<bpmn:flowNodeRef>M</bpmn:flowNodeRef>")
    data = data.replace(b'<bpmn:task id="M2" name="M2"/>', b"")
    found = handoffs(analysed(data))
    assert [(h.source.id, h.target.id, h.from_lane.label, h.to_lane.label) for h in found] == [
        ("T", "M", "Sales", "Management")
    ]
    # The path Start -> A -> (boundary) -> Escalate carries one handoff.
    assert max_handoffs(analysed(data))[0] == 1


def test_back_edges_and_topological_order() -> None:
    data = laned_process(
        [("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("task", "B", "Legal"),
         ("exclusiveGateway", "G", "Legal"), ("task", "C", "Sales"), ("endEvent", "E", "Legal")],
        flows=[("S", "A"), ("A", "B"), ("B", "G"), ("G", "C"), ("C", "B"), ("G", "E")],
    )
    analysis = analysed(data)
    order, back = acyclic_order(analysis)
    model = analysis.model
    assert back == {(id(model.get("C")), id(model.get("B")))}
    position = {id(n): i for i, n in enumerate(order)}
    journey = journey_graph(analysis)
    for i, out in enumerate(journey.succ):
        for j, _ in out:
            if (i, j) not in journey.back:
                assert journey.position[i] < journey.position[j]
    assert position[id(model.get("S"))] < position[id(model.get("A"))] < position[id(model.get("B"))]
    # The loop counts once: A -> B (Sales -> Legal), B -> C (Legal -> Sales); C -> B is cut.
    assert max_handoffs(analysis)[0] == 2


def test_subprocess_content_is_on_the_path() -> None:
    data = laned_process(
        [("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("subProcess", "SP", "Compliance"),
         ("task", "B", "Compliance"), ("endEvent", "E", "Compliance")],
        extra="",
    )
    inner = ('<bpmn:startEvent id="IS"/><bpmn:task id="I1" name="Verify"/><bpmn:task id="I2" name="Score"/>'
             '<bpmn:endEvent id="IE"/><bpmn:sequenceFlow id="IF1" sourceRef="IS" targetRef="I1"/>'
             '<bpmn:sequenceFlow id="IF2" sourceRef="I1" targetRef="I2"/>'
             '<bpmn:sequenceFlow id="IF3" sourceRef="I2" targetRef="IE"/>')
    data = data.replace(b'<bpmn:subProcess id="SP" name="SP"/>', f'<bpmn:subProcess id="SP">{inner}</bpmn:subProcess>'.encode())
    data = data.replace(b'<bpmn:lane id="L2" name="Compliance">', b'<bpmn:lane id="L2" name="Compliance"><bpmn:flowNodeRef>I1</bpmn:flowNodeRef>')
    data = data.replace(b"</bpmn:laneSet>", b'<bpmn:lane id="L9" name="Risk"><bpmn:flowNodeRef>I2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>')
    analysis = analysed(data)
    count, lanes = max_handoffs(analysis)
    # Sales -> Compliance (the sub-process), Compliance -> Risk inside, Risk's end -> exit -> B: SP -> B same lane.
    assert count == 2
    assert [lane.label for lane in lanes] == ["Sales", "Compliance", "Risk"]


def _random_model(rng: random.Random, size: int, lanes: list[str]) -> bytes:
    """A random acyclic process: every node links to 1-2 later nodes; some gateways, customer steps."""
    steps = [("startEvent", "N0", "Customer")]
    for i in range(1, size):
        kind = rng.choice(["task", "task", "task", "exclusiveGateway", "intermediateThrowEvent"])
        steps.append((kind, f"N{i}", rng.choice(lanes + [""])))
    steps.append(("endEvent", f"N{size}", rng.choice(lanes)))
    flows = []
    for i in range(size):
        targets = {i + 1}
        if rng.random() < 0.4 and i + 2 <= size:
            targets.add(rng.randint(i + 2, size))
        flows.extend((f"N{i}", f"N{t}") for t in sorted(targets))
    return laned_process(steps, flows)


def _brute_force(analysis: CustomerAnalysis) -> tuple[int, int]:
    """Max and min handoffs over every start-to-end path, by enumerating the paths."""
    model = analysis.model
    weight = {(id(h.source), id(h.target)) for h in handoffs(analysis)}
    graph = analysis.activity_graph
    start = model.get("N0")
    best_max, best_min = 0, None
    stack = [(start, 0)]
    while stack:
        node, count = stack.pop()
        nexts = graph.successors(node)
        if not nexts:
            best_max = max(best_max, count)
            best_min = count if best_min is None else min(best_min, count)
        for nxt in nexts:
            stack.append((nxt, count + ((id(node), id(nxt)) in weight)))
    return best_max, best_min or 0


@pytest.mark.parametrize("seed", range(40))
def test_longest_and_shortest_paths_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    data = _random_model(rng, rng.randint(3, 14), ["Customer", "Sales", "Legal", "Billing"])
    analysis = analysed(data)
    want_max, want_min = _brute_force(analysis)
    count, lanes = max_handoffs(analysis)
    assert count == want_max
    assert min_handoffs(analysis) == want_min
    if count:
        assert len(lanes) >= count + 1


def test_ping_pong_loop_path_and_normal_delegation() -> None:
    once = laned_process([("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("task", "B", "Legal"),
                          ("task", "C", "Sales"), ("endEvent", "E", "Sales")])
    assert ping_pongs(analysed(once)) == []
    twice = laned_process([("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("task", "B", "Legal"),
                           ("task", "C", "Sales"), ("task", "D", "Legal"), ("endEvent", "E", "Legal")])
    found = ping_pongs(analysed(twice))
    assert [(p.kind, p.handoffs[-1].target.id) for p in found] == [("path", "D")]
    loop = laned_process(
        [("startEvent", "S", "Customer"), ("task", "A", "Sales"), ("task", "B", "Legal"),
         ("exclusiveGateway", "G", "Legal"), ("task", "C", "Sales"), ("endEvent", "E", "Legal")],
        flows=[("S", "A"), ("A", "B"), ("B", "G"), ("G", "C"), ("C", "B"), ("G", "E")],
    )
    found = ping_pongs(analysed(loop))
    assert [(p.kind, {lane.label for lane in p.lanes}) for p in found] == [("loop", {"Sales", "Legal"})]


def test_contacts_in_journey_order() -> None:
    data = laned_process([
        ("startEvent", "S", "Customer"), ("task", "Ask", "Customer"), ("task", "Advise", "Consultant"),
        ("task", "Hand in", "Customer"), ("task", "Scan", "Back office"), ("task", "Sign", "Customer"),
        ("task", "Advise again", "Consultant"), ("endEvent", "E", "Consultant"),
    ])
    data = data.replace(b'id="Hand in"', b'id="HandIn"').replace(b">Hand in<", b">HandIn<").replace(b'"Hand in"', b'"HandIn"')
    data = data.replace(b'id="Advise again"', b'id="Again"').replace(b">Advise again<", b">Again<").replace(b'"Advise again"', b'"Again"')
    found = contacts(analysed(data))
    assert [party.label for party, _ in found] == ["Consultant", "Back office"]


# -- shared accessor and the customer-scope finding ------------------------------


def test_customer_analysis_is_cached_and_errors_are_kept() -> None:
    model = bpmn_cx.load(str(ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"))
    ctx = RuleContext(options={}, model=model)
    first = customer_analysis(ctx)
    assert first is not None and customer_analysis(ctx) is first and customer_error(ctx) is None
    ctx = RuleContext(options={}, model=model, customer=["Nobody"])
    assert customer_analysis(ctx) is None
    assert isinstance(customer_error(ctx), CustomerNotFound)
    ambiguous = bpmn_cx.load(str(RULES_DIR / "customer-scope" / "invalid-ambiguous-client-and-customer.bpmn"))
    ctx = RuleContext(options={}, model=ambiguous)
    assert customer_analysis(ctx) is None and isinstance(customer_error(ctx), AmbiguousCustomer)


@pytest.mark.parametrize("fixture", [
    "invalid-no-customer-pool-or-lane.bpmn", "invalid-ambiguous-client-and-customer.bpmn", "invalid-plain-process.bpmn",
])
def test_only_customer_scope_reports_a_missing_customer(fixture: str) -> None:
    findings = run_rules(RULES_DIR / "customer-scope" / fixture, CUSTOMER_RULES)
    assert [f.rule for f in findings] == ["customer-scope"]
    assert findings[0].element is None and findings[0].line


def test_ambiguous_message_names_the_candidates() -> None:
    [finding] = run_rules(RULES_DIR / "customer-scope" / "invalid-ambiguous-client-and-customer.bpmn", ["customer-scope"])
    assert "'Client'" in finding.message and "'Customer'" in finding.message


def test_customer_rules_are_silent_on_a_model_without_customer_even_when_broken() -> None:
    for rule in CUSTOMER_RULES[1:]:
        folder = RULES_DIR / rule
        findings = run_rules(folder / "valid-no-customer.bpmn", [rule])
        assert findings == [], rule


# -- never the same defect twice --------------------------------------------------


def test_unreachable_waiting_step_is_reported_once() -> None:
    path = RULES_DIR / "customer-waits-forever" / "valid-waiting-step-is-unreachable.bpmn"
    findings = run_rules(path, ["customer-waits-forever", "unreachable-node"])
    # unreachable-node names the island (its entry); the waiting step inside it is not reported again.
    assert [f.rule for f in findings] == ["unreachable-node"]
    assert "Catch_Offer" in findings[0].message or findings[0].element == "Gateway_Island"


def test_step_outside_lanes_is_reported_once() -> None:
    path = RULES_DIR / "unowned-touchpoint" / "valid-step-outside-lanes-left-to-node-outside-lane.bpmn"
    findings = run_rules(path, ["unowned-touchpoint", "node-outside-lane"])
    assert [(f.rule, f.element) for f in findings] == [("node-outside-lane", "Task_Pay")]


def test_unanswered_request_leaves_unreachable_receivers_to_unreachable_node() -> None:
    path = RULES_DIR / "unanswered-request" / "valid-receiver-unreachable.bpmn"
    findings = run_rules(path, ["unanswered-request", "unreachable-node"])
    assert {f.rule for f in findings} == {"unreachable-node"}


def test_unanswered_request_counts_the_sequence_flow_into_the_customer_lane() -> None:
    path = RULES_DIR / "unanswered-request" / "valid-answer-through-customer-lane.bpmn"
    assert run_rules(path, ["unanswered-request"]) == []
    # Without the flow Research -> Hear the answer, the question goes nowhere back.
    flow = b'<bpmn:sequenceFlow id="Flow_5" sourceRef="Task_Research" targetRef="Task_Hear" />'
    assert flow in path.read_bytes()
    broken = path.read_bytes().replace(flow, b"")
    findings = run_rules(broken, ["unanswered-request"])
    assert [f.element for f in findings] == ["MessageFlow_Ask"]


# -- wording ------------------------------------------------------------------------


def test_messages_name_people_and_steps_in_order() -> None:
    [finding] = run_rules(RULES_DIR / "excessive-handoffs" / "invalid-five-handoffs.bpmn", ["excessive-handoffs"])
    order = ["Sales", "Order Management", "Credit Control", "Warehouse", "Shipping", "Billing"]
    positions = [finding.message.index(name) for name in order]
    assert positions == sorted(positions)
    assert "5 times" in finding.message and "'Pick items'" in finding.message
    [finding] = run_rules(RULES_DIR / "single-point-of-contact" / "invalid-three-contacts.bpmn", ["single-point-of-contact"])
    assert "3 different contacts" in finding.message
    assert finding.message.index("Sales") < finding.message.index("Billing") < finding.message.index("Service")
    [finding] = run_rules(RULES_DIR / "ping-pong-handoff" / "invalid-rework-loop.bpmn", ["ping-pong-handoff"])
    assert "Legal" in finding.message and "Sales" in finding.message and "'Revise offer'" in finding.message


def _alternating_chain(tasks: int) -> bytes:
    """The customer starts; then ``tasks`` tasks alternate between Sales and Legal (``tasks - 1`` handoffs)."""
    steps = [("startEvent", "S", "Customer")]
    steps += [("task", f"T{i}", "Sales" if i % 2 == 0 else "Legal") for i in range(tasks)]
    steps.append(("endEvent", "E", "Legal" if tasks % 2 == 0 else "Sales"))
    return laned_process(steps)


def test_a_long_path_gives_a_short_message_with_the_count() -> None:
    [finding] = run_rules(_alternating_chain(400), ["excessive-handoffs"])
    assert "399 times" in finding.message and "across 2 lanes" in finding.message
    assert "… and 389 more handoffs" in finding.message
    # The first steps are named, the later ones are not.
    assert "'T0'" in finding.message and "'T10'" in finding.message
    assert "'T11'" not in finding.message and "'T398'" not in finding.message
    assert len(finding.message) < 1000


def test_a_path_of_a_dozen_handoffs_is_listed_in_full() -> None:
    [finding] = run_rules(_alternating_chain(13), ["excessive-handoffs"])
    assert "12 times" in finding.message and "more handoffs" not in finding.message
    assert finding.message.endswith("Legal ('T11') → Sales ('T12')")
    [finding] = run_rules(_alternating_chain(14), ["excessive-handoffs"])
    assert "13 times" in finding.message and finding.message.endswith("… and 3 more handoffs")


def test_options_change_the_verdict() -> None:
    path = RULES_DIR / "excessive-handoffs" / "invalid-five-handoffs.bpmn"
    assert run_rules(path, ["excessive-handoffs"], options={"excessive-handoffs": {"max": 5}}) == []
    assert len(run_rules(path, ["excessive-handoffs"], options={"excessive-handoffs": {"max": 0}})) == 1
    path = RULES_DIR / "single-point-of-contact" / "invalid-three-contacts.bpmn"
    findings = run_rules(path, ["single-point-of-contact"], options={"single-point-of-contact": {"max-counterparts": 2}})
    assert [f.element for f in findings] == ["Start_Complaint"]


# -- presets and CLI --------------------------------------------------------------------


def test_presets() -> None:
    customer = Config.preset("customer").rules
    assert set(CUSTOMER_RULES) <= set(customer)
    recommended = Config.preset("recommended").rules
    assert "handoff-without-artifact" not in recommended
    assert "customer-waits-forever" in recommended


def test_cli_lints_with_a_named_customer() -> None:
    path = RULES_DIR / "customer-scope" / "valid-explicit-customer.bpmn"
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", "--select", "single-point-of-contact,customer-scope", "--customer", "Requester", str(path)],
                stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", "--select", "customer-scope", str(path)], stdout=out, stderr=err)
    assert "customer-scope" in out.getvalue()
    path = RULES_DIR / "single-point-of-contact" / "invalid-three-contacts.bpmn"
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", "--select", "single-point-of-contact", str(path)], stdout=out, stderr=err)
    assert code == 0  # a warning alone does not fail the run
    assert "single-point-of-contact" in out.getvalue() and "Sales" in out.getvalue() and "Billing" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", "--select", "customer-waits-forever",
                 str(RULES_DIR / "customer-waits-forever" / "invalid-nobody-sends-the-offer.bpmn")], stdout=out, stderr=err)
    assert code == 1 and "Catch_Offer" in out.getvalue()


# -- size ---------------------------------------------------------------------------------


def test_100k_chain_needs_no_recursion() -> None:
    lanes = ["Sales", "Legal", "Billing", "Customer"]
    n = 100_000
    parts = [HEAD, '<bpmn:process id="P"><bpmn:laneSet id="LS">']
    for k, lane in enumerate(lanes):
        parts.append(f'<bpmn:lane id="L{k}" name="{lane}">')
        parts.extend(f"<bpmn:flowNodeRef>T{i}</bpmn:flowNodeRef>" for i in range(k, n, len(lanes)))
        parts.append("</bpmn:lane>")
    parts.append("</bpmn:laneSet>")
    parts.extend(f'<bpmn:task id="T{i}"/>' for i in range(n))
    parts.extend(f'<bpmn:sequenceFlow id="F{i}" sourceRef="T{i}" targetRef="T{i + 1}"/>' for i in range(n - 1))
    parts.append('<bpmn:sequenceFlow id="Back" sourceRef="T99998" targetRef="T0"/>')
    parts.append("</bpmn:process></bpmn:definitions>")
    analysis = analysed("".join(parts).encode())
    # Per round of four: Sales -> Legal -> Billing, then the customer: two handoffs.
    count, lanes_on_path = max_handoffs(analysis)
    assert count == 2 * (n // 4)
    assert len(lanes_on_path) == 3 * (n // 4)
    order, back = acyclic_order(analysis)
    assert len(order) == n and len(back) == 1
    assert ping_pongs(analysis) == []


def test_customer_rules_on_a_synthetic_model() -> None:
    from bpmn_cx.synthetic import synthetic_model

    data = synthetic_model(300, lanes=4, parallel_every=9, decision_every=7, customer_lane=True, di=False)
    findings = run_rules(data, CUSTOMER_RULES)
    assert not any(f.rule == "rule-error" for f in findings)
    assert {f.rule for f in findings} >= {"excessive-handoffs", "single-point-of-contact"}
    assert all(f.line for f in findings)
