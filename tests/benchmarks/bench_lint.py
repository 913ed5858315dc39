"""Lint speed: bpmn-cx against raw lxml parsing and against bpmnlint 11, side by side.

Run it on purpose (it is not collected by pytest)::

    python tests/benchmarks/bench_lint.py            # all sections
    python tests/benchmarks/bench_lint.py --quick    # fewer repetitions

What it measures, with the targets it checks (PASS/FAIL in the last column):

1. a 20,000-task synthetic model (``bpmn_cx.synthetic``, lanes, parallel blocks,
   decisions, full DI) linted with the ``recommended`` preset: within 3x of the
   raw ``lxml`` parse time, and at least 2x faster than bpmnlint 11.x
   (``bpmnlint:recommended``) on the same file. Parse and lint each run in
   fresh processes, round after round (see ``fresh.py``: inside one process
   the heap left by one run speeds up or slows down the next); then the steps
   of a lint, in this process, with the XSD check inline and on its worker
   thread. Wall and CPU time are both shown. ``--instructions`` adds section
   1i: the parse, the load and the rules of a 5,000-task model counted in
   instructions, the work without what memory and neighbours add to it;
2. every rule on its own at 5,000 and 20,000 tasks: at most 4.5x slower for 4x
   the size (linear). Timings at these sizes cross the CPU caches, and on a
   shared VM a plain linear scan then grows anywhere from 4x to 13x, so each
   rule is compared with such scans measured beside it. ``--instructions``
   also counts each rule's instructions under valgrind (section 2i), which no
   cache or neighbour can change: the deterministic verdict;
3. 250 small files in one invocation: faster than bpmnlint on the same files;
4. start-up latency of ``bpmn-cx lint`` on one small file.

bpmnlint is installed with npm into ``tests/benchmarks/.bench/`` (gitignored)
on first use; without node/npm its columns are skipped.

Sections 2 to 4 show CPU time (user + system, of this process or of the
measured command) by default: on a machine shared with other jobs, elapsed time
inflates every step that outlasts a scheduler time slice, which fakes
super-linear growth. ``--clock wall`` measures elapsed time instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BENCH = HERE / ".bench"
NPM_DIR = BENCH / "npm"
BPMNLINT_VERSION = "11"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import fresh  # noqa: E402
from lxml import etree  # noqa: E402

from bpmn_cx.linter.api import RuleContext  # noqa: E402
from bpmn_cx.linter.config import Config  # noqa: E402
from bpmn_cx.linter import schema_check  # noqa: E402
from bpmn_cx.linter.engine import lint_file  # noqa: E402
from bpmn_cx.linter.registry import get_registry  # noqa: E402
from bpmn_cx.loader import load  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402
from bpmn_cx.validation import bpmn_schema  # noqa: E402


#: "cpu" (default): CPU time of this process or of the child (user + system), which
#: other load on a shared machine barely changes; "wall": elapsed time.
CLOCK = "cpu"


def now() -> float:
    return time.process_time() if CLOCK == "cpu" else time.perf_counter()


def best(fn, repeat: int) -> tuple[float, object]:
    """Best time of ``repeat`` runs (the least disturbed by other load on the machine)."""
    result = None
    times = []
    for _ in range(repeat):
        gc.collect()
        start = now()
        result = fn()
        times.append(now() - start)
    return min(times), result


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.1f} ms"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


def table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))


# -- bpmnlint ----------------------------------------------------------------------


def bpmnlint_cli() -> list[str] | None:
    """``[node, bpmnlint.js]``, installing bpmnlint with npm on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None
    script = NPM_DIR / "node_modules" / "bpmnlint" / "bin" / "bpmnlint.js"
    if not script.is_file():
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        (NPM_DIR / "package.json").write_text('{"name": "bench", "private": true}\n')
        print(f"installing bpmnlint@{BPMNLINT_VERSION} into {NPM_DIR} ...", file=sys.stderr)
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", f"bpmnlint@{BPMNLINT_VERSION}"],
                              cwd=NPM_DIR, capture_output=True, text=True)
        if done.returncode != 0 or not script.is_file():
            print(f"npm install failed; skipping bpmnlint:\n{done.stderr[-2000:]}", file=sys.stderr)
            return None
    (BENCH / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}\n')
    return [node, str(script)]


def bpmnlint_version(cli: list[str]) -> str:
    package = Path(cli[1]).parents[1] / "package.json"
    return json.loads(package.read_text())["version"]


def run_process(argv: list[str], repeat: int, cwd: Path = BENCH) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system, all threads) of a command."""
    import resource

    subprocess.run(argv, cwd=cwd, capture_output=True, env=fresh.ENV)  # untimed: fills the bytecode cache
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=fresh.ENV)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{argv[:3]} failed ({done.returncode}): {done.stderr[-1000:]}")
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return min(walls), min(cpus)


def clocked(argv: list[str], repeat: int) -> float:
    """:func:`run_process` on the clock chosen with ``--clock``."""
    wall, cpu = run_process(argv, repeat)
    return cpu if CLOCK == "cpu" else wall


# -- sections ---------------------------------------------------------------------------


def write_model(tasks: int) -> Path:
    path = BENCH / f"synthetic-{tasks}.bpmn"
    if not path.is_file():
        data = synthetic_model(tasks, lanes=4, parallel_every=9, decision_every=7, customer_lane=True, di=True)
        path.write_bytes(data)
    return path


def best_both(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall time and best CPU time (all threads) of ``repeat`` runs, and a result."""
    result = None
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def section_big(repeat: int, cli: list[str] | None) -> None:
    path = write_model(20_000)
    config = Config.from_dict({"extends": "recommended", "customer": ["Customer"]})

    # 1. The target, in fresh processes: parse and lint alike meet a new heap.
    count = max(3, repeat) | 1  # odd: a true median
    runs = fresh.rounds(("lxml", "lint:recommended:Customer"), path, count)
    parse = [run["lxml"] for run in runs]
    linted = [run["lint:recommended:Customer"] for run in runs]
    ratio = statistics.median(lint.wall / floor.wall for floor, lint in zip(parse, linted))
    cpu_ratio = statistics.median(lint.cpu / floor.cpu for floor, lint in zip(parse, linted))

    # The steps, in this process (a warm heap: see fresh.py; for the breakdown only).
    bpmn_schema()  # compile the XSD outside the timings: once per process, shared by all files
    w_load, c_load, model = best_both(lambda: load(str(path)), repeat)
    w_schema, c_schema, _ = best_both(lambda: bpmn_schema().validate(model.tree), repeat)
    runs_in = []

    def lint_once(parallel: int):
        schema_check.PARALLEL_BYTES = parallel
        timings: dict[str, float] = {}
        start = time.perf_counter()
        found = lint_file(str(path), config, timings=timings)
        runs_in.append((time.perf_counter() - start, timings))
        return found

    default_parallel = schema_check.PARALLEL_BYTES
    try:
        w_inline, c_inline, findings = best_both(lambda: lint_once(1 << 62), repeat)
        runs_in.clear()
        w_worker, c_worker, _ = best_both(lambda: lint_once(default_parallel), repeat)
    finally:
        schema_check.PARALLEL_BYTES = default_parallel
    timings = min(runs_in, key=lambda run: run[0])[1]  # the steps of the fastest run
    rule_times = {k: v for k, v in timings.items() if k not in ("load", "schema-invalid")}
    w_rules = sum(rule_times.values())

    bpmncx_cli = [sys.executable, "-m", "bpmn_cx", "lint", "--config", str(BENCH / "bench.toml"), str(path)]
    (BENCH / "bench.toml").write_text('extends = "recommended"\ncustomer = ["Customer"]\n')
    cx_wall, cx_cpu = run_process(bpmncx_cli, max(1, repeat - 1))
    bl = run_process([*cli, str(path)], 1 if repeat < 3 else 2) if cli is not None else None
    size = path.stat().st_size / 1e6
    print(f"\n20,000 tasks: {size:.1f} MB, {len(model.flow_nodes):,} flow nodes, "
          f"{len(model.sequence_flows):,} flows, {len(model.shapes):,} shapes; {len(findings)} findings")

    def spread(values: list[float]) -> str:
        return f"{ms(min(values))} / {ms(statistics.median(values))}"

    table(f"1. one 20k-task model, recommended preset: {count} rounds of fresh processes "
          "(the clock starts after the imports and the XSD compile)",
          ["step", "wall best / median", "CPU median", "vs parse (median)", "target", "result"],
          [["lxml parse (etree.parse)", spread([p.wall for p in parse]),
            ms(statistics.median(p.cpu for p in parse)), "1.00x", "", ""],
           ["bpmn-cx lint_file", spread([lint.wall for lint in linted]),
            ms(statistics.median(lint.cpu for lint in linted)), f"{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU",
            "<= 3x parse (wall)", verdict(ratio <= 3.0)]])
    table("   its steps, in this process (best of runs; a warm heap makes every step faster than above)",
          ["step", "wall", "CPU (all threads)"],
          [["bpmn_cx.load", ms(w_load), ms(c_load)],
           ["XSD validation of the loaded tree", ms(w_schema), ms(c_schema)],
           ["rules (sum of the rules' wall times)", ms(w_rules), "-"],
           ["lint, XSD check inline", ms(w_inline), ms(c_inline)],
           [f"lint, XSD check on a worker thread (files >= {default_parallel >> 20} MB)", ms(w_worker),
            ms(c_worker)]])
    cli_rows = [["bpmn-cx lint (CLI)", ms(cx_wall), ms(cx_cpu), "", ""]]
    if bl is not None:
        speedup = bl[0] / cx_wall
        cli_rows.append([f"bpmnlint {bpmnlint_version(cli)} (CLI)", ms(bl[0]), ms(bl[1]),
                         ">= 2x bpmn-cx (wall)", verdict(speedup >= 2.0)])
        cli_rows.append(["bpmnlint / bpmn-cx", f"{speedup:.2f}x", f"{bl[1] / cx_cpu:.2f}x", "", ""])
    else:
        cli_rows.append(["bpmnlint (CLI)", "skipped (no node/npm)", "", "", ""])
    table("   the same as command lines (whole process: start-up, imports, XSD compile)",
          ["command", "wall", "CPU (all threads)", "target", "result"], cli_rows)
    slowest = sorted(rule_times.items(), key=lambda kv: -kv[1])[:8]
    print("   slowest rules in the fastest in-process run (a shared analysis counts for the first rule "
          "that needs it): " + ", ".join(f"{rule_id} {ms(t)}" for rule_id, t in slowest))


def rule_time(rule, model, options, repeat: int) -> float:
    """Best time of one rule alone, with a fresh cache, with the GC off as in the engine.

    Fast rules are repeated until a quarter second has passed, so that a few
    milliseconds of interference from other processes cannot fake a growth.
    """

    def once():
        ctx = RuleContext(options=dict(options), file=str(model.path), customer=["Customer"], cache={},
                          model=model)
        return sum(1 for _ in rule.check(model, ctx))

    times = []
    spent = 0.0
    gc.collect()  # once: with two big models loaded a full collection takes a while
    gc.disable()
    try:
        while len(times) < repeat or (spent < 0.25 and len(times) < 200):
            start = now()
            once()
            elapsed = now() - start
            times.append(elapsed)
            spent += elapsed
    finally:
        gc.enable()
    return min(times)


def _scan_nodes(model, ctx):
    """Touch every flow node once: the lightest linear walk over the model's memory."""
    return iter([sum(1 for n in model.flow_nodes if n.kind)])


def _scan(model, ctx):
    """Touch every flow node and its flow lists: a pure linear walk over the model's memory."""
    return iter([sum(len(n.incoming) + len(n.outgoing) for n in model.flow_nodes)])


def section_rules(repeat: int, only: set[str] | None = None) -> None:
    registry = get_registry()
    small = load(str(write_model(5_000)))
    big = load(str(write_model(20_000)))
    # A linear walk over 4x the objects costs more than 4x once they no longer
    # fit in the CPU caches (more so with other jobs on the machine): the
    # reference scan measures that, and a rule that grows no faster than it is
    # linear. How much more moves from minute to minute on a shared VM (from
    # under 8x to over 12x), so the scan is measured beside each rule, just
    # before and just after it, and the rule is compared with their mean.
    # Two scans: one that reads only each node, one that also reads its flow
    # lists; the larger growth of the two is the reference.
    references = [types.SimpleNamespace(check=_scan_nodes), types.SimpleNamespace(check=_scan)]

    def scan_growth() -> float:
        growths = []
        for ref in references:
            t5, t20 = rule_time(ref, small, {}, repeat), rule_time(ref, big, {}, repeat)
            if t5 > 0:  # a clock that did not move (seen once on this VM) says nothing
                growths.append(t20 / t5)
        return max(growths, default=4.0)

    growths: list[float] = []
    rows = []
    failures = 0
    # Below this a timing is mostly noise, so the ratio cannot say anything.
    noise = 0.001
    measured = [(rule.id, rule, {name: opt.default for name, opt in rule.options.items()})
                for rule in registry.all(kind="rule")]
    schema = types.SimpleNamespace(check=lambda model, ctx: iter([bpmn_schema().validate(model.tree)]))
    measured.append(("schema-invalid (XSD)", schema, {}))
    if only:
        measured = [entry for entry in measured if entry[0] in only]
    for name, rule, options in measured:
        before = scan_growth()
        t5 = rule_time(rule, small, options, repeat)
        t20 = rule_time(rule, big, options, repeat)
        after = scan_growth()
        growths += (before, after)
        ratio = t20 / t5 if t5 > 0 else float("inf")
        normalised = ratio * 4.0 / max((before + after) / 2, 4.0)
        if t20 < noise:
            result = "PASS (noise)"
        elif ratio <= 4.5:
            result = "PASS"
        elif normalised <= 4.5:
            result = "PASS (memory)"
        else:
            result = "FAIL"
            failures += 1
        rows.append([name, ms(t5), ms(t20), f"{ratio:.2f}x", f"{normalised:.2f}x", result])
    rows.sort(key=lambda r: r[0])
    table("2. each rule alone (own cache), 5k -> 20k tasks; target <= 4.5x",
          ["rule", "5k tasks", "20k tasks", "growth", "vs scan", "result"], rows)
    print(f"   reference: linear scans of every node (and of its flow lists), measured before and after each rule, "
          f"grew {min(growths):.2f}x to {max(growths):.2f}x (median {statistics.median(growths):.2f}x) on this "
          "machine; 'vs scan' = growth * 4 / the mean of the two beside the rule")
    print(f"   {failures} rule(s) grow faster than linear" if failures else "   every rule grows linearly")


#: Run under callgrind: each rule once to warm up (the first use of the diagram
#: objects makes them), then once between two calls of getppid(), before each
#: of which callgrind dumps its counts: every second dump is one rule's run.
_COUNT_RULES = r"""
import gc, os, sys
sys.path.insert(0, sys.argv[1])
from bpmn_cx.linter.api import RuleContext
from bpmn_cx.linter.registry import get_registry
from bpmn_cx.loader import load
path, ids = sys.argv[2], sys.argv[3].split(",")
model = load(path)
registry = get_registry()
gc.disable()

def run(rule_id):
    rule = registry.get(rule_id)
    options = {name: option.default for name, option in rule.options.items()}
    ctx = RuleContext(options=options, file=path, customer=["Customer"], cache={}, model=model)
    return sum(1 for _ in rule.check(model, ctx))

for rule_id in ids:
    run(rule_id)
    os.getppid()
    run(rule_id)
    os.getppid()
"""


#: Run under callgrind: the parse, the load and the rules (XSD check off: it
#: runs on another thread, off the critical path), each between two calls of
#: getppid(), after one warm-up of the whole lint (imports, first-use costs).
_COUNT_LINT = r"""
import gc, os, sys
sys.path.insert(0, sys.argv[1])
from lxml import etree
from bpmn_cx.linter.config import Config
from bpmn_cx.linter.engine import lint_model
from bpmn_cx.loader import load
path = sys.argv[2]
config = Config.from_dict({"extends": "recommended", "customer": ["Customer"],
                           "rules": {"schema-invalid": "off"}})
lint_model(load(path), config)
gc.disable()
os.getppid()
etree.parse(path)
os.getppid()
model = load(path)
os.getppid()
lint_model(model, config)
os.getppid()
"""


def _callgrind(script: str, *args: str) -> list[int]:
    """Instructions between the getppid() markers of ``script``, in order."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as tmp:
        out = Path(tmp) / "cg.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--dump-before=getppid", f"--callgrind-out-file={out}",
                        sys.executable, "-c", script, str(ROOT), *args],
                       check=True, capture_output=True, env=fresh.ENV)
        counts = []
        for dump in sorted(Path(tmp).glob("cg.out.*"), key=lambda p: int(p.suffix[1:])):
            text = dump.read_text()
            counts.append(int(next(line for line in text.splitlines() if line.startswith("totals:")).split()[1]))
        return counts


def section_big_instructions() -> None:
    """Section 1 counted in instructions: the work itself, without what the
    machine's memory and neighbours add to the time."""
    if shutil.which("valgrind") is None:
        print("\n1i. skipped: valgrind is not installed")
        return
    path = write_model(5_000)
    # dump 1 is everything before the first marker; then parse, load, rules
    _, parse, loaded, rules = _callgrind(_COUNT_LINT, str(path))[:4]
    rows = [
        ["lxml parse (etree.parse)", f"{parse:,}", "1.00x"],
        ["bpmn_cx.load", f"{loaded:,}", f"{loaded / parse:.2f}x"],
        ["rules (recommended, no XSD)", f"{rules:,}", f"{rules / parse:.2f}x"],
        ["load + rules", f"{loaded + rules:,}", f"{(loaded + rules) / parse:.2f}x"],
    ]
    table("1i. one 5k-task model, recommended preset, in instructions (valgrind --tool=callgrind)",
          ["step", "instructions", "vs parse"], rows)


def count_instructions(path: Path, rule_ids: list[str]) -> dict[str, int]:
    """Instructions each rule executes on the model in ``path`` (valgrind's callgrind)."""
    counts = _callgrind(_COUNT_RULES, str(path), ",".join(rule_ids))
    # dumps: up to the first marker, then per rule a warm-up run and the measured run
    return {rule_id: counts[2 * index + 1] for index, rule_id in enumerate(rule_ids)}


def section_instructions(only: set[str] | None = None) -> None:
    """Section 2 counted in instructions, which caches and neighbours do not change."""
    if shutil.which("valgrind") is None:
        print("\n2i. skipped: valgrind is not installed")
        return
    rule_ids = [rule.id for rule in get_registry().all(kind="rule") if rule.check is not None]
    if only:
        rule_ids = [rule_id for rule_id in rule_ids if rule_id in only]
    small = count_instructions(write_model(5_000), rule_ids)
    big = count_instructions(write_model(20_000), rule_ids)
    rows = []
    failures = 0
    for rule_id in sorted(rule_ids):
        growth = big[rule_id] / small[rule_id] if small[rule_id] else float("inf")
        ok = growth <= 4.5
        failures += not ok
        rows.append([rule_id, f"{small[rule_id]:,}", f"{big[rule_id]:,}", f"{growth:.2f}x", verdict(ok)])
    table("2i. each rule alone, 5k -> 20k tasks, in instructions (valgrind --tool=callgrind); target <= 4.5x",
          ["rule", "5k tasks", "20k tasks", "growth", "result"], rows)
    print(f"   {failures} rule(s) grow faster than linear" if failures else "   every rule grows linearly")


def section_many(repeat: int, cli: list[str] | None) -> None:
    folder = BENCH / "small"
    if not folder.is_dir() or len(list(folder.glob("*.bpmn"))) != 250:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for i in range(250):
            data = synthetic_model(10 + i % 30, lanes=3, parallel_every=6, decision_every=5,
                                   customer_lane=True, di=True)
            (folder / f"model-{i:03d}.bpmn").write_bytes(data)
    (BENCH / "bench.toml").write_text('extends = "recommended"\ncustomer = ["Customer"]\n')
    t_cx = clocked([sys.executable, "-m", "bpmn_cx", "lint", "--config", str(BENCH / "bench.toml"),
                        "--format", "json", str(folder)], repeat)
    rows = [["bpmn-cx lint small/ (one process)", ms(t_cx), "", ""]]
    if cli is not None:
        t_bl = clocked([*cli, str(folder / "*.bpmn")], max(1, repeat - 1))
        rows.append([f"bpmnlint {bpmnlint_version(cli)} 'small/*.bpmn'", ms(t_bl), "bpmn-cx faster",
                     verdict(t_cx < t_bl)])
        rows.append(["bpmnlint / bpmn-cx", f"{t_bl / t_cx:.2f}x", "", ""])
    else:
        rows.append(["bpmnlint", "skipped (no node/npm)", "", ""])
    table("3. 250 small files in one invocation, recommended preset", ["run", "time", "target", "result"], rows)


def section_startup(repeat: int, cli: list[str] | None) -> None:
    path = ROOT / "fixtures" / "lint" / "pass-through-gateways.bpmn"
    t_python = clocked([sys.executable, "-c", "pass"], repeat)
    t_import = clocked([sys.executable, "-c", "import bpmn_cx"], repeat)
    t_lint = clocked([sys.executable, "-m", "bpmn_cx", "lint", "--config", str(BENCH / "bench.toml"),
                          str(path)], repeat)
    t_select = clocked([sys.executable, "-m", "bpmn_cx", "lint", "--select", "superfluous-gateway",
                            str(path)], repeat)
    rows = [
        ["python -c pass", ms(t_python)],
        ["python -c 'import bpmn_cx'", ms(t_import)],
        ["bpmn-cx lint one small file (recommended)", ms(t_lint)],
        ["bpmn-cx lint --select one-rule (no XSD)", ms(t_select)],
    ]
    if cli is not None:
        rows.append([f"bpmnlint {bpmnlint_version(cli)} one small file", ms(clocked([*cli, str(path)], repeat))])
    table("4. start-up latency", ["command", "time"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-bpmnlint", action="store_true", help="skip the bpmnlint comparison")
    parser.add_argument("--sections", default="1,2,3,4", help="which sections to run (default: 1,2,3,4)")
    parser.add_argument("--rules", default="", help="section 2: only these rule ids, comma-separated")
    parser.add_argument("--instructions", action="store_true",
                        help="sections 1 and 2 also count instructions under valgrind (minutes; "
                             "what caches and other jobs do to the timings cannot change those counts)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="cpu: CPU time, robust on a busy machine (default); wall: elapsed time")
    args = parser.parse_args()
    global CLOCK
    CLOCK = args.clock
    sections = {int(part) for part in args.sections.split(",") if part.strip()}
    repeat = 2 if args.quick else 5
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / "bench.toml").write_text('extends = "recommended"\ncustomer = ["Customer"]\n')
    cli = None if args.no_bpmnlint or not sections & {1, 3, 4} else bpmnlint_cli()
    print(f"bpmn-cx lint benchmark (python {sys.version.split()[0]}, lxml {etree.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; best of {repeat}; "
          f"{'CPU time (user+system)' if CLOCK == 'cpu' else 'wall time'})")
    if 1 in sections:
        section_big(repeat, cli)
        if args.instructions:
            section_big_instructions()
    if 2 in sections:
        only = {r.strip() for r in args.rules.split(",") if r.strip()} or None
        section_rules(max(2, repeat - 2), only)
        if args.instructions:
            section_instructions(only)
    if 3 in sections:
        section_many(max(1, repeat - 2), cli)
    if 4 in sections:
        section_startup(repeat, cli)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
