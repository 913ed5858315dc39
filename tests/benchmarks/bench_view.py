"""Customer-view speed: 5k / 10k / 20k-node synthetic models, compared with lint.

Run it on purpose (it is not collected by pytest)::

    python tests/benchmarks/bench_view.py            # 3 repetitions, best time
    python tests/benchmarks/bench_view.py --quick    # 1 repetition

For each size it prints the time to analyse (customer scope, touchpoints,
roles), to plan the view (kept nodes, hidden regions, reduction), to write it
(XML and a regenerated diagram) and the total from a loaded model, plus the
lint time of the same file (``recommended`` preset) when the lint engine is
there. Targets, checked in the last columns:

* linear: the 20k total is at most 4.5x the 5k total (4x the size);
* the view of the 20k model takes at most 2x the lint time of that model.

The models (``bpmn_cx.synthetic``, full DI) have a customer lane and five
departments, blocks of 5 tasks per lane in turn: the departments right after
and right before the customer are touchpoints, the others are hidden behind
placeholders (about a third of the nodes). With decision or parallel blocks
every lane ends up touching the customer and the view would hide nothing, so
they are left out here.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bpmn_cx.customer.analysis import CustomerAnalysis  # noqa: E402
from bpmn_cx.customer.scope import find_customer  # noqa: E402
from bpmn_cx.customer.view import View, plan_view  # noqa: E402
from bpmn_cx.loader import load  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402

SIZES = (5_000, 10_000, 20_000)


def best(fn, repeat: int):
    result, times = None, []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def lint_time(path: str, repeat: int) -> float | None:
    try:
        from bpmn_cx.linter.config import Config
        from bpmn_cx.linter.engine import lint_model
    except ImportError:
        return None
    config = Config.preset("recommended")
    model = load(path)
    seconds, _ = best(lambda: lint_model(model, config, file=path), repeat)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition instead of three")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    folder = HERE / ".bench"
    folder.mkdir(exist_ok=True)

    rows = []
    for size in SIZES:
        data = synthetic_model(size, lanes=6, customer_lane=True)
        path = folder / f"view-{size}.bpmn"
        path.write_bytes(data)
        load_s, model = best(lambda: load(str(path)), repeat)

        def analyse():
            return CustomerAnalysis.build(model, find_customer(model))

        analyse_s, analysis = best(analyse, repeat)
        plan_s, plan = best(lambda: plan_view(model, analysis.scope, analysis=analysis), repeat)
        write_s, data_out = best(lambda: View(plan).to_bytes(), repeat)
        total_s, _ = best(lambda: View(plan_view(model)).to_bytes(), repeat)
        lint_s = lint_time(str(path), repeat)
        rows.append((size, len(model.flow_nodes), len(plan.kept_nodes), len(plan.placeholders), load_s,
                     analyse_s, plan_s, write_s, total_s, lint_s, len(data_out)))

    print(f"{'tasks':>6} {'nodes':>6} {'kept':>6} {'placeh.':>7} {'load':>7} {'analyse':>8} {'plan':>7} "
          f"{'write':>7} {'view':>7} {'lint':>7} {'view/lint':>9}")
    for size, nodes, kept, ph, load_s, an, pl, wr, total, lint_s, _ in rows:
        ratio = f"{total / lint_s:9.2f}" if lint_s else f"{'-':>9}"
        lint_col = f"{lint_s:7.3f}" if lint_s else f"{'-':>7}"
        print(f"{size:>6} {nodes:>6} {kept:>6} {ph:>7} {load_s:7.3f} {an:8.3f} {pl:7.3f} {wr:7.3f} "
              f"{total:7.3f} {lint_col} {ratio}")
    small, large = rows[0], rows[-1]
    growth = large[8] / small[8]
    linear_ok = growth <= 4.5 * (large[1] / small[1]) / 4
    print(f"\nlinear: 20k view / 5k view = {growth:.2f} for {large[1] / small[1]:.2f}x the nodes "
          f"(target <= 4.5x): {'PASS' if linear_ok else 'FAIL'}")
    if large[9]:
        ratio = large[8] / large[9]
        print(f"view vs lint at 20k: {ratio:.2f}x (target <= 2x): {'PASS' if ratio <= 2 else 'FAIL'}")
    else:
        print("view vs lint: bpmn_cx.lint is not available, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
