"""Benchmark: ``bpmn_cx.dumps`` against ``lxml.etree.tostring`` of the same tree.

Run: ``python tests/benchmarks/bench_dump.py [tasks ...]`` (default 1000 5000 20000).

For synthetic models with DI it times, alternating with lxml so that both see
the same machine load (the ratio is the median over the rounds):

* ``tostring``: ``etree.tostring(model.tree, encoding="UTF-8", xml_declaration=True)``;
* ``dumps unchanged``: a freshly loaded model (byte-identical output);
* ``dumps renamed``: after renaming one task in the middle;
* ``dumps lane removed``: after removing a lane with its nodes (a quarter of
  the model) via :func:`bpmn_cx.edit.remove_lane`;
* ``dumps exact``: the renamed model with the token alignment forced on
  (the default switches it off above ``writer.EXACT_LIMIT`` characters).

The target: ``dumps`` of an unchanged 20k-task model within 2x of tostring.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lxml import etree  # noqa: E402

import bpmn_cx  # noqa: E402
from bpmn_cx import edit  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402
from bpmn_cx.writer import EXACT_LIMIT, dumps  # noqa: E402


def paired(base: Callable[[], object], fn: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """Time ``base`` and ``fn`` alternately: (best base, best fn, median of the per-round ratios).

    Alternating keeps both under the same machine load, so the ratio stays
    meaningful on a busy machine even when the absolute times do not.
    """
    bases, times, ratios = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        base()
        middle = time.perf_counter()
        fn()
        end = time.perf_counter()
        bases.append(middle - start)
        times.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    return min(bases), min(times), statistics.median(ratios)


def main(sizes: list[int]) -> None:
    columns = ["unchanged", "renamed", "lane rm", "exact"]
    header = f"{'tasks':>7} {'MB':>6} {'tostring':>9} " + " ".join(f"{c:>10} {'x':>5}" for c in columns)
    print(f"dumps vs lxml tostring: best time in ms, x = median ratio of alternating runs "
          f"(EXACT_LIMIT = {EXACT_LIMIT:,} chars)")
    print(header)
    print("-" * len(header))
    for n in sizes:
        data = synthetic_model(n, parallel_every=7, decision_every=11)
        rounds = 7 if n <= 5000 else 5
        model = bpmn_cx.load(data)
        assert dumps(model) == data

        def tostring(m: bpmn_cx.Model = model) -> bytes:
            return etree.tostring(m.tree, encoding="UTF-8", xml_declaration=True)

        results = [paired(tostring, lambda: dumps(model), rounds)]
        renamed = bpmn_cx.load(data)
        edit.set_name(renamed, renamed.flow_nodes[len(renamed.flow_nodes) // 2], "Renamed task")
        results.append(paired(tostring, lambda: dumps(renamed), rounds))
        removed = bpmn_cx.load(data)
        edit.remove_lane(removed, removed.lanes[-1], remove_nodes=True)
        results.append(paired(tostring, lambda: dumps(removed), rounds))
        results.append(paired(tostring, lambda: dumps(renamed, exact=True), max(3, rounds // 2)))
        base = min(r[0] for r in results)
        cells = " ".join(f"{r[1] * 1000:>10.1f} {r[2]:>5.2f}" for r in results)
        print(f"{n:>7} {len(data) / 1e6:>6.1f} {base * 1000:>9.1f} {cells}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 20000])
