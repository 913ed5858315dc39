"""One step measured in a fresh interpreter, as a command-line run meets it.

In a long-lived process each run inherits the heap the previous one left:
a parse after a lint finds its memory already mapped and runs twice as fast
as the same parse in a fresh process, while the lint itself meets a heap full
of freed chunks. Comparing the two inside one process flatters whichever
runs second. A probe imports what it needs (for a lint, every active rule's
module), compiles the XSD if the step uses it, and only then starts the
clock: imports are start-up, which the benchmarks time on their own, and the
parse it is compared with does not count ``import lxml`` either.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "lint" / "pass-through-gateways.bpmn"

#: The environment of every measured process: with Python's bytecode cache,
#: as an installed package has it (pip compiles on install), even where the
#: shell says PYTHONDONTWRITEBYTECODE; otherwise each run would compile the
#: modules it imports lazily (the rules) inside the clock.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

_PROBE = r"""
import sys, time
sys.path.insert(0, sys.argv[3])

def peak_kib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise SystemExit("no VmHWM in /proc/self/status")

from lxml import etree
import bpmn_cx
what, path = sys.argv[1], sys.argv[2]
if what == "lxml":
    step = lambda: etree.parse(path)
elif what == "load":
    step = lambda: bpmn_cx.load(path)
elif what == "validate":
    from bpmn_cx.validation import bpmn_schema
    bpmn_schema()
    step = lambda: bpmn_cx.validate(path)
else:  # lint:<preset>[:<customer>]
    from bpmn_cx.linter.config import Config
    from bpmn_cx.linter.engine import lint_file
    from bpmn_cx.validation import bpmn_schema
    from bpmn_cx.linter.registry import get_registry
    _, preset, *customer = what.split(":")
    config = Config.from_dict({"extends": preset, "customer": customer})
    bpmn_schema()
    # Import the rule modules (and the analyses they import) before the
    # clock, as the XSD compile: imports are start-up, measured on their own.
    for rule_id in config.active_rules(None):
        get_registry().get(rule_id)
    step = lambda: lint_file(path, config)
baseline = peak_kib()
wall, cpu = time.perf_counter(), time.process_time()
result = step()
print(time.perf_counter() - wall, time.process_time() - cpu, peak_kib() - baseline)
"""


class Probe(NamedTuple):
    wall: float  #: seconds
    cpu: float  #: seconds of CPU, all threads
    mib: float  #: growth of the peak resident set


def probe(what: str, path: Path) -> Probe:
    """Run one step in a fresh interpreter: ``lxml`` (``etree.parse``), ``load``,
    ``validate`` or ``lint:<preset>[:<customer name>]``."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, what, str(path), str(ROOT)],
        check=True, capture_output=True, text=True, env=ENV,
    ).stdout.split()
    return Probe(float(out[0]), float(out[1]), int(out[2]) / 1024)


def rounds(steps: tuple[str, ...], path: Path, count: int) -> list[dict[str, Probe]]:
    """``count`` rounds of every step, each in its own process; the order turns
    round by round, so that neither step always runs on a freshly quiet machine."""
    for what in steps:  # writes the bytecode cache of whatever the step imports
        probe(what, SMALL)
    out = []
    for index in range(count):
        shift = index % len(steps)
        order = steps[shift:] + steps[:shift]
        out.append({what: probe(what, path) for what in order})
    return out
