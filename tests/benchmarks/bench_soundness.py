"""Benchmark: the token-game soundness check (deadlock / lack of synchronisation).

Run: ``python tests/benchmarks/bench_soundness.py``

Prints, for a 300-node process with 8 parallel branches (each with an
exclusive diamond and a rework loop) and for synthetic chains of growing
size: nodes, places left after reduction, explored states and the time.
The issue's target: the 300-node model in under 1 s; the chains linear.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import bpmn_cx  # noqa: E402
from bpmn_cx.analysis.soundness import analyse  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions '
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">\n'
    '<bpmn:process id="P" isExecutable="false">\n'
)


def parallel_branches(branches: int = 8, steps: int = 6) -> bytes:
    """Start, a parallel split into ``branches`` branches, each with tasks,
    an exclusive diamond and a rework loop, a parallel join, end."""
    nodes = ['<bpmn:startEvent id="S"/>', '<bpmn:parallelGateway id="Split"/>',
             '<bpmn:parallelGateway id="Join"/>', '<bpmn:endEvent id="E"/>']
    flows = [("S", "Split"), ("Join", "E")]
    for b in range(branches):
        prev = "Split"
        for s in range(steps):
            t = f"T{b}_{s}"
            nodes.append(f'<bpmn:task id="{t}"/>')
            flows.append((prev, t))
            prev = t
        # exclusive diamond
        nodes += [f'<bpmn:exclusiveGateway id="X{b}"/>', f'<bpmn:task id="A{b}"/>',
                  f'<bpmn:task id="B{b}"/>', f'<bpmn:exclusiveGateway id="M{b}"/>']
        flows += [(prev, f"X{b}"), (f"X{b}", f"A{b}"), (f"X{b}", f"B{b}"), (f"A{b}", f"M{b}"), (f"B{b}", f"M{b}")]
        # rework loop
        nodes += [f'<bpmn:exclusiveGateway id="L{b}"/>', f'<bpmn:task id="W{b}"/>',
                  f'<bpmn:exclusiveGateway id="Q{b}"/>', f'<bpmn:task id="R{b}"/>']
        flows += [(f"M{b}", f"L{b}"), (f"L{b}", f"W{b}"), (f"W{b}", f"Q{b}"), (f"Q{b}", f"R{b}"),
                  (f"R{b}", f"L{b}"), (f"Q{b}", "Join")]
    body = "\n".join(nodes) + "\n" + "\n".join(
        f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{c}"/>' for i, (a, c) in enumerate(flows)
    )
    return (HEAD + body + "\n</bpmn:process>\n</bpmn:definitions>\n").encode()


def cross_linked(branches: int = 8, steps: int = 30) -> bytes:
    """Parallel branches whose decisions can jump into the next branch: no
    reduction untangles this, so the token game really explores."""
    nodes = ['<bpmn:startEvent id="S"/>', '<bpmn:parallelGateway id="Split"/>',
             '<bpmn:parallelGateway id="Join"/>', '<bpmn:endEvent id="E"/>']
    flows = [("S", "Split"), ("Join", "E")]
    for b in range(branches):
        nodes.append(f'<bpmn:exclusiveGateway id="M{b}"/>')
        flows.append(("Split", f"M{b}"))
        prev = f"M{b}"
        for s in range(steps):
            t = f"T{b}_{s}"
            nodes.append(f'<bpmn:task id="{t}"/>')
            flows.append((prev, t))
            prev = t
        nodes.append(f'<bpmn:exclusiveGateway id="X{b}"/>')
        flows += [(prev, f"X{b}"), (f"X{b}", "Join"), (f"X{b}", f"M{(b + 1) % branches}")]
    body = "\n".join(nodes) + "\n" + "\n".join(
        f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{c}"/>' for i, (a, c) in enumerate(flows)
    )
    return (HEAD + body + "\n</bpmn:process>\n</bpmn:definitions>\n").encode()


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"{'model':<34}{'nodes':>8}{'states':>10}{'time (s)':>12}")
    for branches, steps in ((8, 6), (8, 24)):
        model = bpmn_cx.load(parallel_branches(branches, steps))
        result = analyse(model)
        seconds = best(lambda: analyse(model))
        name = f"{branches} parallel branches x {steps + 8}"
        states = sum(s.states for s in result.scopes)
        print(f"{name:<34}{len(model.flow_nodes):>8}{states:>10}{seconds:>12.4f}  verdict={result.verdict}")
    for branches in (4, 6, 8):
        model = bpmn_cx.load(cross_linked(branches, 300 // branches))
        result = analyse(model)
        seconds = best(lambda: analyse(model), 1)
        states = sum(s.states for s in result.scopes)
        name = f"{branches} cross-linked branches"
        print(f"{name:<34}{len(model.flow_nodes):>8}{states:>10}{seconds:>12.4f}  verdict={result.verdict}")
    for tasks in (5_000, 10_000, 20_000):
        model = bpmn_cx.load(synthetic_model(tasks, parallel_every=10, decision_every=7, di=False))
        result = analyse(model)
        seconds = best(lambda: analyse(model), 1)
        states = sum(s.states for s in result.scopes)
        print(f"{'synthetic chain ' + str(tasks):<34}{len(model.flow_nodes):>8}{states:>10}{seconds:>12.4f}  verdict={result.verdict}")


if __name__ == "__main__":
    main()
