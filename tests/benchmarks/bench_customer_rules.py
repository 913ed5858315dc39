"""Speed of the customer-side rules against the bpmnlint-compatible rule set.

Run it on purpose (it is not collected by pytest)::

    python tests/benchmarks/bench_customer_rules.py            # 5k / 10k / 20k nodes
    python tests/benchmarks/bench_customer_rules.py --quick    # fewer repetitions

For synthetic models (``bpmn_cx.synthetic``, a "Customer" lane, lanes,
parallel blocks, decisions, DI) of about 5,000, 10,000 and 20,000 flow
nodes, it runs the lint engine on the loaded model twice: with ``--select``
of the customer rules (the ``customer`` preset) and with ``--select`` of
the bpmnlint-compatible rules (the ``bpmnlint`` preset). Loading is not
timed (it is the same for both). Targets, checked in the last columns:

* the customer rules take at most 2x the time of the bpmnlint set on the
  20k-node model;
* they grow linearly: at most 2.5x the time for 2x the nodes.

It also prints each customer rule on its own at 20k nodes (the shared
analyses, customer scope, journey graph, reachability, are computed by the
first rule that needs them; alone, each rule pays for them).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bpmn_cx.linter.config import Config  # noqa: E402
from bpmn_cx.linter.engine import lint_model  # noqa: E402
from bpmn_cx.loader import load  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402

#: Flow nodes per synthetic task with these settings (gateways add some).
SETTINGS = {"lanes": 5, "parallel_every": 9, "decision_every": 7, "customer_lane": True, "di": True}


def best(fn, repeat: int) -> tuple[float, object]:
    result = None
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))


def model_with_nodes(nodes: int):
    """A synthetic model with about ``nodes`` flow nodes."""
    tasks = nodes
    model = load(synthetic_model(tasks, **SETTINGS))
    # Gateways add nodes: scale the task count once so the total is close to the target.
    tasks = max(10, int(tasks * nodes / max(1, len(model.flow_nodes))))
    return load(synthetic_model(tasks, **SETTINGS))


def selected(preset: str) -> tuple[Config, list[str]]:
    rules = sorted(Config.preset(preset).rules)
    config = Config.from_dict({"extends": [preset]}, source="<bench>").with_overrides(select=rules)
    return config, rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else 5

    customer, customer_rules = selected("customer")
    bpmnlint, _ = selected("bpmnlint")
    sizes = [5_000, 10_000, 20_000]
    rows = []
    times: dict[int, tuple[float, float]] = {}
    models = {}
    for size in sizes:
        model = model_with_nodes(size)
        models[size] = model
        t_customer, found = best(lambda: lint_model(model, customer), repeat)
        t_bpmnlint, _ = best(lambda: lint_model(model, bpmnlint), repeat)
        times[size] = (t_customer, t_bpmnlint)
        ratio = t_customer / t_bpmnlint if t_bpmnlint else float("inf")
        rows.append([
            f"{len(model.flow_nodes):,}",
            ms(t_customer),
            ms(t_bpmnlint),
            f"{ratio:.2f}x",
            f"{len(found):,}",
        ])
    table(
        f"Customer rules ({len(customer_rules)}) vs bpmnlint-compatible rules, engine with --select, model loaded once",
        ["flow nodes", "customer rules", "bpmnlint set", "ratio", "customer findings"],
        rows,
    )

    growth_rows = []
    ok = True
    for small, big in zip(sizes, sizes[1:]):
        grow = times[big][0] / times[small][0]
        node_grow = len(models[big].flow_nodes) / len(models[small].flow_nodes)
        linear = grow <= 1.25 * node_grow
        ok &= linear
        growth_rows.append([f"{small:,} -> {big:,}", f"{node_grow:.2f}x", f"{grow:.2f}x", "PASS" if linear else "FAIL"])
    table("Growth of the customer rules (linear: time grows at most 1.25x as fast as the model)",
          ["nodes", "model", "time", "linear"], growth_rows)

    t_customer, t_bpmnlint = times[sizes[-1]]
    within = t_customer <= 2 * t_bpmnlint
    ok &= within
    print(f"\nat {len(models[sizes[-1]].flow_nodes):,} nodes: customer rules {ms(t_customer)}, "
          f"bpmnlint set {ms(t_bpmnlint)} -> {'PASS' if within else 'FAIL'} (target: at most 2x)")

    model = models[sizes[-1]]
    single_rows = []
    for rule in customer_rules:
        config = Config.from_dict({"extends": ["customer"]}, source="<bench>").with_overrides(select=[rule])
        t_rule, found = best(lambda: lint_model(model, config), repeat)
        single_rows.append([rule, ms(t_rule), f"{len(found):,}"])
    table(f"Each customer rule alone at {len(model.flow_nodes):,} nodes (pays for its shared analyses)",
          ["rule", "time", "findings"], single_rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
