"""What-if comparison: ``bpmn_cx.comparison`` and ``bpmn-cx compare``.

Each variant pair changes one thing, so that the metric it is about moves in
the direction its :class:`~bpmn_cx.measure.MetricSpec` declares.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpmn_cx
from bpmn_cx.cli import main
from bpmn_cx.comparison import (
    Comparison,
    align_touchpoints,
    compare,
    diff_findings,
    lcs_pairs,
    metric_changes,
)
from bpmn_cx.linter.api import Finding
from bpmn_cx.measure import METRICS, TouchpointStep, compute
from test_metrics import LANES, Proc, assert_gfm_tables, chain, doc

ROOT = Path(__file__).resolve().parents[1]
COMPARE = ROOT / "fixtures" / "compare"
BASE = COMPARE / "ordering-departments.bpmn"
VARIANT = COMPARE / "ordering-account-manager.bpmn"

SPEC = {spec.name: spec for spec in METRICS}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def cmp(base: bytes, variant: bytes, customer=None) -> Comparison:
    return compare(bpmn_cx.load(base), bpmn_cx.load(variant), customer)


# -- identical inputs ------------------------------------------------------------------------


def test_identical_inputs_show_no_difference() -> None:
    result = compare(BASE, BASE)
    assert result.identical
    assert all(c.delta in (0, None) and c.better is None for c in result.metrics)
    assert not result.findings.new and not result.findings.resolved
    assert result.findings.persisting  # the same findings on both sides
    assert all(a.status == "same" for a in result.alignment)
    assert len(result.alignment) == 7
    assert result.verdict == "No change for the customer."
    code, out, err = run("compare", str(BASE), str(BASE), "--fail-on-worse", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["worse"] == [] and data["better"] == []
    assert data["touchpoints"]["added"] == data["touchpoints"]["removed"] == 0


# -- element ids that differ between variants ------------------------------------------------------


def _renamed(prefix: str) -> bytes:
    # Same process, every id different; an element without a lane makes a finding to match.
    proc = Proc(
        f"{prefix}P",
        pool="Shop",
        lanes=[
            (f"{prefix}L_C", "Customer", [(f"{prefix}S", "startEvent", "Start"), (f"{prefix}Ask", "task", "Ask"),
                                          (f"{prefix}E", "endEvent", "Done")]),
            (f"{prefix}L_S", "Sales", [(f"{prefix}A", "task", "Answer"), (f"{prefix}N", "task", "Note")]),
        ],
        nodes=[(f"{prefix}X", "task", "Forgotten")],
        flows=[(f"{prefix}S", f"{prefix}Ask"), (f"{prefix}Ask", f"{prefix}A"), (f"{prefix}A", f"{prefix}N"),
               (f"{prefix}N", f"{prefix}E"), (f"{prefix}X", f"{prefix}E")],
    )
    return doc(proc)


def test_different_ids_same_process_is_identical() -> None:
    result = cmp(_renamed("a_"), _renamed("b_"))
    assert result.identical, result.verdict
    rules = {b.rule for b, _ in result.findings.persisting}
    assert {"node-outside-lane", "unreachable-node"} <= rules
    for b, v in result.findings.persisting:
        if b.element:  # matched although no element kept its id
            assert "a_" in b.element and "b_" in v.element
    assert all(a.status == "same" for a in result.alignment)


def test_different_ids_and_a_real_change() -> None:
    base = _renamed("a_")
    variant = _renamed("b_").replace(b'name="Forgotten"', b'name="Something else"')
    result = cmp(base, variant)
    # The lane-less task has another label now: its findings (and its flow's) cannot be matched.
    assert {f.element for f in result.findings.new} == {"b_X", "b_P_F4"}
    assert {f.element for f in result.findings.resolved} == {"a_X", "a_P_F4"}
    assert not result.identical


def test_findings_match_by_id_then_by_lane_and_label() -> None:
    def finding(rule: str, element: str | None, message: str = "m") -> Finding:
        return Finding("f.bpmn", 1, None, rule, "error", message, element)

    base_model = bpmn_cx.load(_renamed("a_"))
    variant_model = bpmn_cx.load(_renamed("b_"))
    base = [finding("r1", "a_A"), finding("r2", "a_A"), finding("r1", "a_N"), finding("r3", None, "file"),
            finding("r4", "a_A")]
    variant = [finding("r1", "b_A"), finding("r2", "b_N"), finding("r3", None, "file"), finding("r5", "b_A"),
               finding("r1", "b_N")]
    diff = diff_findings(base_model, base, variant_model, variant)
    pairs = {(b.rule, b.element, v.element) for b, v in diff.persisting}
    assert pairs == {("r1", "a_A", "b_A"), ("r1", "a_N", "b_N"), ("r3", None, None)}
    assert {(f.rule, f.element) for f in diff.resolved} == {("r2", "a_A"), ("r4", "a_A")}
    assert {(f.rule, f.element) for f in diff.new} == {("r2", "b_N"), ("r5", "b_A")}


def test_same_id_different_rule_is_not_a_match() -> None:
    model = bpmn_cx.load(_renamed("a_"))
    base = [Finding("f", 1, None, "x", "error", "m", "a_A")]
    variant = [Finding("f", 1, None, "y", "error", "m", "a_A")]
    diff = diff_findings(model, base, model, variant)
    assert len(diff.new) == 1 and len(diff.resolved) == 1 and not diff.persisting


# -- each metric's direction, on variant pairs --------------------------------------------------------

START = ("c", "startEvent", "Start")
END = ("c", "endEvent", "Done")


def _pair_one_vs_two_counterparts() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("c", "task", "Read"),
                 ("s", "task", "Follow up"), ("c", "task", "Reply"), ("s", "task", "Close"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("c", "task", "Read"),
                    ("v", "task", "Follow up"), ("c", "task", "Reply"), ("s", "task", "Close"), END, lanes=LANES)
    return base, variant


def _pair_internal_handoffs() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("s", "task", "Check"),
                 ("c", "task", "Read"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("b", "task", "Check"),
                    ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    return base, variant


def _pair_customer_steps() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Fill in form"), ("c", "task", "Ask"), ("s", "task", "Answer"), END,
                    lanes=LANES)
    return base, variant


def _pair_timer() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("s", "timer:PT4H", "Wait"),
                 ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("s", "timer:P2D", "Wait"),
                    ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    return base, variant


def _pair_dead_end() -> tuple[bytes, bytes]:
    def proc(sales: list[tuple[str, str, str]], flows: list[tuple[str, str]]) -> bytes:
        return doc(Proc("P", pool="Shop", lanes=[
            ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"), ("E", "endEvent", "Done")]),
            ("L_S", "Sales", sales),
        ], flows=[("S", "Ask"), ("Ask", "A"), ("A", "E"), *flows]))

    base = proc([("A", "task", "Answer")], [])
    variant = proc([("A", "task", "Answer"), ("Z", "task", "Stray")], [("Z", "E")])  # nothing leads to Z
    return base, variant


def _pair_gap() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), END, lanes=LANES)
    variant = base.replace(b"<bpmn:flowNodeRef>N2</bpmn:flowNodeRef>", b"")  # Answer: in no lane now
    assert variant != base
    return base, variant


def _pair_unsound() -> tuple[bytes, bytes]:
    def proc(join: str) -> bytes:
        return doc(Proc("P", pool="Shop", lanes=[
            ("L_C", "Customer", [("S", "startEvent", "Start"), ("Ask", "task", "Ask"), ("E", "endEvent", "Done")]),
            ("L_S", "Sales", [("G", "exclusiveGateway", "Which?"), ("A", "task", "A"), ("B", "task", "B"),
                              ("J", join, "")]),
        ], flows=[("S", "Ask"), ("Ask", "G"), ("G", "A"), ("G", "B"), ("A", "J"), ("B", "J"), ("J", "E")]))

    return proc("exclusiveGateway"), proc("parallelGateway")


def _pair_visible_steps() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("b", "task", "Archive"),
                 ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("s", "task", "Archive"),
                    ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    return base, variant


def _pair_outbound() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("c", "task", "Read"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("c", "task", "Read"),
                    ("s", "task", "Follow up"), ("c", "task", "Read again"), END, lanes=LANES)
    return base, variant


def _pair_hidden_wait() -> tuple[bytes, bytes]:
    base = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("b", "task", "Check"),
                 ("s", "task", "Reply"), ("c", "task", "Read"), END, lanes=LANES)
    variant = chain(START, ("c", "task", "Ask"), ("s", "task", "Answer"), ("b", "task", "Check"),
                    ("b", "task", "Check again"), ("b", "task", "Approve"), ("s", "task", "Reply"),
                    ("c", "task", "Read"), END, lanes=LANES)
    return base, variant


#: Pair -> the metrics it must make worse (the reverse pair makes them better).
WORSE = [
    (_pair_one_vs_two_counterparts, ["distinct_counterparts", "customer_handoffs.min", "customer_handoffs.max"]),
    (_pair_internal_handoffs, ["internal_handoffs.min", "internal_handoffs.max"]),
    (_pair_customer_steps, ["customer_steps.total", "customer_steps.min", "customer_steps.max"]),
    (_pair_timer, ["max_wait_seconds"]),
    (_pair_dead_end, ["dead_ends"]),
    (_pair_gap, ["responsibility_gaps"]),
    (_pair_unsound, ["soundness"]),
    (_pair_visible_steps, ["visible_steps"]),
    (_pair_outbound, ["touchpoints.outbound"]),
    (_pair_hidden_wait, ["max_wait_hidden_steps"]),
]


@pytest.mark.parametrize(("pair", "names"), WORSE, ids=[p.__name__[6:] for p, _ in WORSE])
def test_direction_worse_and_better(pair, names: list[str]) -> None:
    base, variant = pair()
    forward = cmp(base, variant)
    for name in names:
        change = forward.change(name)
        assert change.changed, name
        assert change.better is False, (name, change)
        assert name in [c.name for c in forward.worse]
    backward = cmp(variant, base)
    for name in names:
        assert backward.change(name).better is True, name
    # Neutral metrics never count as better or worse.
    for result in (forward, backward):
        for change in result.metrics:
            if change.spec.direction == "neutral":
                assert change.better is None


def test_every_directed_metric_is_covered_by_a_pair() -> None:
    covered = {name for _, names in WORSE for name in names}
    directed = {spec.name for spec in METRICS if spec.direction != "neutral"}
    assert directed == covered


def test_soundness_rank_and_unknown_values() -> None:
    from bpmn_cx.comparison import _better, _delta

    soundness = SPEC["soundness"]
    assert _better(soundness, "sound", "inconclusive") is False
    assert _better(soundness, "unsound", "inconclusive") is True
    assert _delta(soundness, "sound", "unsound") is None
    wait = SPEC["max_wait_seconds"]
    assert _better(wait, None, 3600) is None and _delta(wait, None, 3600) is None
    ratio = SPEC["visibility_ratio"]
    assert _better(ratio, 0.5, 0.9) is None and _delta(ratio, 0.5, 0.9) == 0.4


def test_fail_on_worse_exit_codes(tmp_path: Path) -> None:
    base, variant = _pair_one_vs_two_counterparts()
    (tmp_path / "base.bpmn").write_bytes(base)
    (tmp_path / "variant.bpmn").write_bytes(variant)
    code, _, err = run("compare", str(tmp_path / "base.bpmn"), str(tmp_path / "variant.bpmn"), "--fail-on-worse")
    assert code == 1
    assert "distinct counterparts" in err
    code, _, _ = run("compare", str(tmp_path / "base.bpmn"), str(tmp_path / "variant.bpmn"))
    assert code == 0
    code, _, err = run("compare", str(tmp_path / "variant.bpmn"), str(tmp_path / "base.bpmn"), "--fail-on-worse")
    assert code == 0, err


# -- touchpoint alignment ---------------------------------------------------------------------------


def _step(label: str, counterpart: str = "Sales", direction: str = "outbound") -> TouchpointStep:
    return TouchpointStep(direction, label, counterpart, "message", label, 1, label)


def test_alignment_added_removed_changed() -> None:
    base = [_step("Order"), _step("Confirmation", "Sales", "inbound"), _step("Ask", "Service"),
            _step("Goods", "Shipping", "inbound")]
    variant = [_step("order"), _step("Confirmation", "Account manager", "inbound"),
               _step("Goods", "Shipping", "inbound"), _step("Feedback", "Account manager")]
    aligned = align_touchpoints(base, variant)
    assert [(a.status, a.step.label) for a in aligned] == [
        ("same", "order"),
        ("changed", "Confirmation"),
        ("removed", "Ask"),
        ("same", "Goods"),
        ("added", "Feedback"),
    ]


def test_direction_is_part_of_the_label() -> None:
    aligned = align_touchpoints([_step("Order", direction="outbound")], [_step("Order", direction="inbound")])
    assert [a.status for a in aligned] == ["removed", "added"]


def _lcs_length(a: list[int], b: list[int]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=14), st.lists(st.integers(0, 4), max_size=14))
def test_lcs_pairs_is_a_longest_common_subsequence(a: list[int], b: list[int]) -> None:
    pairs = lcs_pairs(a, b)
    assert [i for i, _ in pairs if i is not None] == list(range(len(a)))
    assert [j for _, j in pairs if j is not None] == list(range(len(b)))
    matches = [(i, j) for i, j in pairs if i is not None and j is not None]
    assert all(a[i] == b[j] for i, j in matches)
    assert len(matches) == _lcs_length(a, b)


def test_lcs_gives_up_gracefully_beyond_the_limit() -> None:
    a, b = list(range(50)), list(range(50, 100))
    pairs = lcs_pairs(a, b, max_edits=10)
    assert len(pairs) == 100 and all(i is None or j is None for i, j in pairs)
    long = list(range(5000))
    assert len(lcs_pairs(long, long[::-1], max_edits=200)) >= 5000


# -- the worked example ------------------------------------------------------------------------------


def test_worked_example() -> None:
    result = compare(BASE, VARIANT)
    assert result.change("distinct_counterparts").base == 5
    assert result.change("distinct_counterparts").variant == 2
    assert result.change("distinct_counterparts").better is True
    assert result.change("customer_handoffs.max").better is True
    assert result.change("internal_handoffs.max").better is False
    assert "contacts 5 → 2" in result.verdict
    assert "(moved behind the line of visibility)" in result.verdict
    statuses = [(a.status, a.step.label) for a in result.alignment]
    assert ("changed", "Place order") in statuses
    assert ("removed", "Ask when the goods arrive") in statuses
    assert ("same", "Goods received") in statuses
    rules_resolved = {f.rule for f in result.findings.resolved}
    assert {"ping-pong-handoff", "single-point-of-contact"} <= rules_resolved
    # The variant's ids differ where the work changed; what stayed matches by id.
    assert any(b.element == v.element for b, v in result.findings.persisting)


def test_cli_json_shape() -> None:
    code, out, err = run("compare", str(BASE), str(VARIANT), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"metrics", "findings", "touchpoints", "verdict", "better", "worse", "base", "variant"}
    assert [name for name in data["metrics"]] == [spec.name for spec in METRICS]
    for row in data["metrics"].values():
        assert set(row) == {"base", "variant", "delta", "better"}
    assert data["metrics"]["distinct_counterparts"] == {"base": 5, "variant": 2, "delta": -3, "better": True}
    assert set(data["findings"]) == {"new", "resolved", "persisting"}
    assert data["touchpoints"]["removed"] == 2 and data["touchpoints"]["changed_counterpart"] == 4


def test_cli_markdown_renders() -> None:
    code, out, err = run("compare", str(BASE), str(VARIANT), "--format", "markdown")
    assert code == 0, err
    assert_gfm_tables(out, 2)  # metrics, touchpoints
    assert re.search(r"^\| Distinct counterparts \| 5 \| 2 \| -3 \| ✅ better \|$", out, re.M)
    assert out.startswith("### Customer impact: ordering-departments.bpmn → ordering-account-manager.bpmn")


def test_cli_text() -> None:
    code, out, err = run("compare", str(BASE), str(VARIANT))
    assert code == 0, err
    assert "contacts 5 → 2" in out
    assert "Distinct counterparts" in out and "better" in out and "worse" in out
    assert "\x1b[" not in out


def test_readme_shows_the_generated_comparison() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code, out, _ = run("compare", str(BASE.relative_to(ROOT)), str(VARIANT.relative_to(ROOT)),
                       "--format", "markdown")
    assert code == 0
    # Every row of the metrics and touchpoint tables, as the tool prints them today.
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len(rows) > 20
    missing = [row for row in rows if row not in readme]
    assert not missing, "README's worked example is out of date; regenerate it: " + "; ".join(missing)


# -- bad input -------------------------------------------------------------------------------------


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    code, out, err = run("compare", str(BASE), str(tmp_path / "missing.bpmn"))
    assert code == 2 and out == "" and "missing.bpmn: no such file or directory" in err
    bad = tmp_path / "bad.bpmn"
    bad.write_bytes(b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>")
    code, out, err = run("compare", str(bad), str(BASE))
    assert code == 2 and out == "" and str(bad) in err and "Traceback" not in err


def test_no_customer_in_one_variant(tmp_path: Path) -> None:
    nobody = tmp_path / "nobody.bpmn"
    nobody.write_bytes(chain(("s", "startEvent", "Start"), ("s", "task", "Work"), ("s", "endEvent", "End"),
                             lanes={"s": "Sales"}))
    code, out, err = run("compare", str(BASE), str(nobody), "--fail-on-worse")
    assert code == 2 and out == ""
    assert f"{nobody}: no customer pool or lane found" in err
    code, _, err = run("compare", str(BASE), str(nobody), "--customer", "Customer")
    assert code == 2 and "no pool or lane is named or has the id 'Customer'" in err


def test_library_raises_for_bad_input(tmp_path: Path) -> None:
    from bpmn_cx.customer.scope import CustomerNotFound

    nobody = chain(("s", "startEvent", "Start"), ("s", "task", "Work"), ("s", "endEvent", "End"),
                   lanes={"s": "Sales"})
    with pytest.raises(CustomerNotFound):
        compare(BASE, nobody)
    with pytest.raises(bpmn_cx.LoadError):
        compare(BASE, b"not xml")
    importlib.import_module("bpmn_cx.comparison")

    assert bpmn_cx.compare(BASE, BASE).identical  # the function, whatever was imported first


def test_metric_changes_cover_every_metric() -> None:
    a = compute(bpmn_cx.load(BASE))
    changes = metric_changes(a, a)
    assert [c.name for c in changes] == [spec.name for spec in METRICS]
