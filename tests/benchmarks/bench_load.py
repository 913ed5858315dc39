"""Load and validation benchmark: ``python tests/benchmarks/bench_load.py``.

Generates synthetic models (lanes, parallel blocks, decisions, full DI) at
1k / 10k / 100k tasks and prints, for each size:

* the file size;
* ``lxml.etree.parse`` time (the floor: no loader can be faster than the parse)
  and ``bpmn_cx.load`` time, and their ratio;
* the peak memory of each (resident set high-water mark minus the mark after
  the imports: tracemalloc would not see libxml2's memory), and their ratio.

Every measurement runs in a fresh interpreter, as a CLI run would: in a
long-lived process each run would inherit the heap the previous one left
(glibc then consolidates millions of freed chunks inside whichever run comes
next). Each round runs the parse and the load back to back; the times shown
are the best of N rounds, the ratio is the median of the rounds' ratios (a
noisy neighbour slows both runs of a round alike, and the floor itself varies
by a third from round to round on a shared VM); memory is the smallest mark.
The "warm" ratio is measured in this process instead, best of N each, with
glibc's free memory trimmed before every run: a long-lived process (an editor,
a server) loading one file after the other.

Then the time to validate a 20k-task file against the OMG XSD (schema compiled
beforehand, as it is once per process), in fresh processes, beside the parse
alone and, when installed, libxml2's own ``xmllint --schema`` on the same file.

Targets: load within 2.5x the parse time and memory, memory growing linearly
with the model, validation of 20k tasks under 0.5 s.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[2]))  # run from a checkout without installing
sys.path.insert(0, str(HERE.parent))

from lxml import etree  # noqa: E402

import bpmn_cx  # noqa: E402
import fresh  # noqa: E402
from bpmn_cx.synthetic import synthetic_model  # noqa: E402
from bpmn_cx.validation import bpmn_schema, validate  # noqa: E402

def model_bytes(tasks: int) -> bytes:
    return synthetic_model(tasks, lanes=6, parallel_every=10, decision_every=7, di=True)


def measure(path: Path, count: int) -> list[dict[str, tuple[float, float]]]:
    """Per round, ``{"lxml": (seconds, MiB), "load": (...)}``, each in a fresh process."""
    return [{what: (run.wall, run.mib) for what, run in one.items()}
            for one in fresh.rounds(("lxml", "load"), path, count)]


def xmllint_seconds(path: Path, count: int) -> tuple[str, float, float, float] | None:
    """(libxml2 version, best wall, its parse, its validation) of ``xmllint --schema``, if installed."""
    exe = shutil.which("xmllint")
    if exe is None:
        return None
    banner = subprocess.run([exe, "--version"], capture_output=True, text=True).stderr
    number = re.search(r"libxml version (\d+)", banner)
    version = (f"libxml2 {int(number[1]) // 10000}.{int(number[1]) // 100 % 100}.{int(number[1]) % 100}"
               if number else "libxml2")
    schema = HERE.parents[2] / "schemas" / "BPMN20.xsd"
    best = (float("inf"), 0.0, 0.0)
    for _ in range(count):
        start = time.perf_counter()
        done = subprocess.run([exe, "--noout", "--nonet", "--timing", "--schema", str(schema), str(path)],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        steps = dict(re.findall(r"^(Parsing|Validating) took (\d+) ms", done.stderr, re.M))
        if wall < best[0]:
            best = (wall, int(steps.get("Parsing", 0)) / 1000, int(steps.get("Validating", 0)) / 1000)
    return (version, *best)


def _malloc_trim() -> Callable[[], object]:
    """glibc's ``malloc_trim(0)``, or a no-op elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    return (lambda: trim(0)) if trim is not None else (lambda: None)


def best_of(rounds: int, *functions: Callable[[], object]) -> list[float]:
    """Best wall time of each function over ``rounds`` alternating rounds, in this process."""
    trim = _malloc_trim()
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for index, function in enumerate(functions):
            gc.collect()
            trim()
            start = time.perf_counter()
            result = function()
            best[index] = min(best[index], time.perf_counter() - start)
            del result
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="task counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of fresh processes per size")
    parser.add_argument("--validate-tasks", type=int, default=20000, help="size of the validation run (0: skip)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        header = (
            f"{'tasks':>7} {'file MB':>8} {'lxml s':>8} {'load s':>8} {'ratio':>6} {'warm':>6}"
            f" {'lxml MB':>8} {'load MB':>8} {'ratio':>6} {'load MB/1k tasks':>17}"
        )
        print(f"bpmn-cx {bpmn_cx.__version__}, lxml {etree.__version__}, libxml2 "
              f"{'.'.join(map(str, etree.LIBXML_VERSION))}, Python {sys.version.split()[0]}, "
              f"{args.rounds} rounds of fresh processes (100k: fewer); ratio = median of the rounds")
        print(header)
        print("-" * len(header))
        for tasks in sizes:
            path = Path(tmp) / f"synthetic-{tasks}.bpmn"
            path.write_bytes(model_bytes(tasks))
            size_mb = path.stat().st_size / 1e6
            rounds = args.rounds if tasks < 100_000 else max(3, args.rounds - 2) | 1  # odd: a true median
            runs = measure(path, rounds)
            parse_s = min(run["lxml"][0] for run in runs)
            load_s = min(run["load"][0] for run in runs)
            ratio = statistics.median(run["load"][0] / run["lxml"][0] for run in runs)
            lxml_mb = min(run["lxml"][1] for run in runs)
            load_mb = min(run["load"][1] for run in runs)
            warm_parse, warm_load = best_of(rounds, lambda: etree.parse(str(path)), lambda: bpmn_cx.load(path))
            print(
                f"{tasks:>7} {size_mb:>8.1f} {parse_s:>8.3f} {load_s:>8.3f} {ratio:>6.2f} {warm_load / warm_parse:>6.2f}"
                f" {lxml_mb:>8.1f} {load_mb:>8.1f} {load_mb / lxml_mb:>6.2f}"
                f" {load_mb / (tasks / 1000):>17.2f}",
                flush=True,
            )
            path.unlink()

        if args.validate_tasks:
            path = Path(tmp) / f"synthetic-{args.validate_tasks}.bpmn"
            path.write_bytes(model_bytes(args.validate_tasks))
            start = time.perf_counter()
            bpmn_schema()
            compile_s = time.perf_counter() - start
            runs = fresh.rounds(("lxml", "validate"), path, args.rounds)
            walls = [run["validate"].wall for run in runs]
            (warm_s,) = best_of(args.rounds, lambda: validate(path))
            valid = validate(path).valid
            print()
            print(f"schema compile (once per process): {compile_s:.3f} s")
            print(f"validate {args.validate_tasks} tasks ({path.stat().st_size / 1e6:.1f} MB, valid={valid}), "
                  f"fresh processes: best {min(walls):.3f} s, median {statistics.median(walls):.3f} s "
                  f"(target < 0.5 s); in this process: {warm_s:.3f} s")
            print(f"   of which no step can go below: etree.parse alone, best "
                  f"{min(run['lxml'].wall for run in runs):.3f} s")
            xmllint = xmllint_seconds(path, args.rounds)
            if xmllint is not None:
                print(f"   xmllint --schema (libxml2's own C validator, {xmllint[0]}), same file: best "
                      f"{xmllint[1]:.3f} s, of which parse {xmllint[2]:.3f} s and validation {xmllint[3]:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
