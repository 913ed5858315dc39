"""The soundness analysis' shortcut for block-structured scopes.

``bpmn_cx.analysis.soundness`` skips building the Petri net for a scope that
is only properly nested blocks between one start and one end event: the net
reduction would shrink it to one place anyway. These tests check that the
shortcut gives exactly what the full analysis gives (state count included),
and that it declines everything else: mismatched joins, loops, several end
events, boundary events, conditional exits, nodes off the path.
"""

from __future__ import annotations

import random

import pytest

import bpmn_cx
from bpmn_cx.analysis import soundness
from bpmn_cx.analysis.soundness import _block_structured, analyse
from bpmn_cx.synthetic import synthetic_model

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">\n'
    '<bpmn:process id="Process_1">\n'
)


def doc(nodes: list[tuple[str, str]], flows: list[tuple[str, str]], extra: str = "") -> bytes:
    body = [f'<bpmn:{kind} id="{nid}"/>' for nid, kind in nodes]
    body += [f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{b}"/>' for i, (a, b) in enumerate(flows)]
    return (HEAD + "\n".join(body) + extra + "\n</bpmn:process>\n</bpmn:definitions>\n").encode()


def summary(result: soundness.Soundness) -> list[tuple]:
    return [
        (
            s.analysed,
            s.capped,
            s.reason,
            s.states,
            [j.id for j in s.unanalysed_joins],
            [(d.join.id, d.cause.id if d.cause else None) for d in s.deadlocks],
            [(u.merge.id, u.cause.id if u.cause else None) for u in s.unsynchronized],
        )
        for s in result.scopes
    ]


def full(model: bpmn_cx.Model, max_states: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The analysis with the shortcut switched off."""
    with monkeypatch.context() as patch:
        patch.setattr(soundness, "_block_structured", lambda scope: False)
        return summary(analyse(model, max_states))


def nested(rng: random.Random) -> bytes:
    """A random properly nested model, nodes and flows in shuffled document order."""
    nodes: list[tuple[str, str]] = [("Start", "startEvent")]
    flows: list[tuple[str, str]] = []

    def block(entry: str, depth: int) -> str:
        current = entry
        for _ in range(rng.randint(1, 3)):
            if depth > 3 or rng.random() < 0.4:
                step = f"N{len(nodes)}"
                nodes.append((step, rng.choice(["task", "userTask", "exclusiveGateway", "parallelGateway"])))
                flows.append((current, step))
                current = step
                continue
            split_kind = rng.choice(["exclusiveGateway", "eventBasedGateway", "parallelGateway", "task"])
            join_kind = "parallelGateway" if split_kind in ("parallelGateway", "task") else rng.choice(
                ["exclusiveGateway", "task"]
            )
            split = f"N{len(nodes)}"
            nodes.append((split, split_kind))
            flows.append((current, split))
            ends = [split if rng.random() < 0.2 else block(split, depth + 1) for _ in range(rng.randint(2, 3))]
            join = f"N{len(nodes)}"
            nodes.append((join, join_kind))
            flows.extend((end, join) for end in ends)
            current = join
        return current

    last = block("Start", 0)
    nodes.append(("End", "endEvent"))
    flows.append((last, "End"))
    rng.shuffle(nodes)
    rng.shuffle(flows)
    return doc(nodes, flows)


@pytest.mark.parametrize(
    "options",
    [
        {"parallel_every": 9, "decision_every": 7},
        {"parallel_every": 4, "decision_every": 3, "branches": 3},
        {"decision_every": 2},
        {},
    ],
)
def test_synthetic_models_take_the_shortcut_with_the_same_result(options, monkeypatch) -> None:
    model = bpmn_cx.load(synthetic_model(300, di=False, **options))
    assert _block_structured(model.processes[0])
    for max_states in (50_000, 2):
        assert summary(analyse(model, max_states)) == full(model, max_states, monkeypatch)
    assert summary(analyse(model)) == [(True, False, "", 2, [], [], [])]


def test_random_nested_models_match_the_full_analysis(monkeypatch) -> None:
    rng = random.Random(20240611)
    for _ in range(150):
        model = bpmn_cx.load(nested(rng))
        assert _block_structured(model.processes[0])
        assert summary(analyse(model)) == full(model, 50_000, monkeypatch)


def test_a_state_limit_of_one_still_caps(monkeypatch) -> None:
    model = bpmn_cx.load(synthetic_model(20, di=False, parallel_every=5))
    result = analyse(model, 1)
    assert result.verdict == "inconclusive" and result.scopes[0].capped
    assert summary(result) == full(model, 1, monkeypatch)


DIAMOND = [("S", "startEvent"), ("X", "exclusiveGateway"), ("A", "task"), ("B", "task"), ("E", "endEvent")]


@pytest.mark.parametrize(
    ("name", "data", "deadlocks", "unsynchronized"),
    [
        (
            "exclusive split, parallel join",
            doc(DIAMOND + [("J", "parallelGateway")],
                [("S", "X"), ("X", "A"), ("X", "B"), ("A", "J"), ("B", "J"), ("J", "E")]),
            ["J"],
            [],
        ),
        (
            "parallel split, exclusive merge",
            doc(DIAMOND + [("P", "parallelGateway"), ("M", "exclusiveGateway"), ("T", "task")],
                [("S", "P"), ("P", "A"), ("P", "B"), ("A", "M"), ("B", "M"), ("M", "T"), ("T", "E")]),
            [],
            ["M"],
        ),
        (
            "rework loop",
            doc(DIAMOND + [("M", "exclusiveGateway")],
                [("S", "M"), ("M", "A"), ("A", "X"), ("X", "M"), ("X", "E")]),
            [],
            [],
        ),
        (
            "two end events",
            doc(DIAMOND + [("E2", "endEvent")], [("S", "X"), ("X", "A"), ("X", "B"), ("A", "E"), ("B", "E2")]),
            [],
            [],
        ),
        (
            "a node off the path",
            doc(DIAMOND, [("S", "A"), ("A", "E")]),
            [],
            [],
        ),
        (
            "interrupting boundary event on a parallel branch",
            doc(DIAMOND + [("P", "parallelGateway"), ("J", "parallelGateway"), ("T", "endEvent")],
                [("S", "P"), ("P", "A"), ("P", "B"), ("A", "J"), ("B", "J"), ("J", "E"), ("Bnd", "T")],
                extra='<bpmn:boundaryEvent id="Bnd" attachedToRef="A"/>'),
            ["J"],
            [],
        ),
    ],
)
def test_other_shapes_are_left_to_the_full_analysis(name, data, deadlocks, unsynchronized, monkeypatch) -> None:
    model = bpmn_cx.load(data)
    assert not _block_structured(model.processes[0]), name
    result = analyse(model)
    assert [d.join.id for d in result.deadlocks] == deadlocks
    assert [u.merge.id for u in result.unsynchronized] == unsynchronized
    assert summary(result) == full(model, 50_000, monkeypatch)


def test_conditional_exits_of_an_activity_are_not_a_plain_split() -> None:
    nodes = [("S", "startEvent"), ("A", "task"), ("B", "task"), ("C", "task"), ("J", "parallelGateway"),
             ("E", "endEvent")]
    plain = doc(nodes, [("S", "A"), ("A", "B"), ("A", "C"), ("B", "J"), ("C", "J"), ("J", "E")])
    assert _block_structured(bpmn_cx.load(plain).processes[0])
    assert analyse(bpmn_cx.load(plain)).verdict == "sound"
    conditional = plain
    for flow in (b"F1", b"F2"):
        start = conditional.index(b'<bpmn:sequenceFlow id="' + flow + b'"')
        end = conditional.index(b"/>", start)
        conditional = (
            conditional[:end] + b"><bpmn:conditionExpression>x</bpmn:conditionExpression></bpmn:sequenceFlow>"
            + conditional[end + 2:]
        )
    model = bpmn_cx.load(conditional)
    assert not _block_structured(model.processes[0])
    # With conditions, A may take only one of its exits: the join can wait forever.
    assert [d.join.id for d in analyse(model).deadlocks] == ["J"]
