"""``bpmn-cx metrics FILE``: the customer metrics of one BPMN file."""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, TextIO

from . import customer_option

if TYPE_CHECKING:
    from rich.console import Console

    from ..customer.scope import CustomerScope
    from ..measure import Metrics
    from ..model import Model

HELP = "customer metrics of a BPMN file: touchpoints, counterparts, handoffs, visibility, waits"

FORMATS = ("text", "json", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a BPMN 2.0 file")
    customer_option.add_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (a table, default), json, or markdown (a table for a pull-request comment)")


def load_for_customer(
    path: str, args: argparse.Namespace, command: str, err: TextIO
) -> tuple[Model, CustomerScope] | None:
    """Load ``path`` and find its customer (see :mod:`.customer_option`):
    ``(model, scope)``, or ``None`` after printing why."""
    from ..customer.scope import CustomerError, find_customer
    from ..loader import LoadError, load

    if not os.path.exists(path):
        print(f"{path}: no such file or directory", file=err)
        return None
    if os.path.isdir(path):
        print(f"{path}: is a folder; bpmn-cx {command} takes BPMN files", file=err)
        return None
    try:
        customer, names = customer_option.customer_for(path, args)
    except customer_option.CustomerOptionError as exc:
        print(f"bpmn-cx {command}: {exc}", file=err)
        return None
    try:
        model = load(path)
    except LoadError as exc:
        print(str(exc), file=err)
        return None
    try:
        scope = find_customer(model, customer, names=names)
    except CustomerError as exc:
        print(f"{path}: {exc}", file=err)
        return None
    return model, scope


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..customer.analysis import CustomerAnalysis
    from ..measure import compute

    loaded = load_for_customer(args.file, args, "metrics", err)
    if loaded is None:
        return 2
    model, scope = loaded
    result = compute(model, analysis=CustomerAnalysis.build(model, scope))
    for message in result.rule_errors:
        print(f"bpmn-cx metrics: warning: {message}; the finding counts may be incomplete", file=err)
    if args.format == "json":
        json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(result.to_markdown())
    else:
        render_text(result, out)
    return 0


def console(out: TextIO) -> Console:
    """A rich console on ``out``: colour on a terminal unless NO_COLOR, a fixed width otherwise."""
    from rich.console import Console

    isatty = getattr(out, "isatty", None)
    try:
        terminal = bool(isatty and isatty())
    except (OSError, ValueError):
        terminal = False
    no_color = bool(os.environ.get("NO_COLOR")) or not terminal
    return Console(file=out, force_terminal=terminal, no_color=no_color, highlight=False, emoji=False,
                   width=None if terminal else 120)


def render_text(result: Metrics, out: TextIO) -> None:
    from rich.table import Table

    table = Table(title=f"Customer metrics: {result.file or 'model'} (customer: {result.customer})",
                  title_justify="left")
    table.add_column("Metric", style="bold")
    table.add_column("Value", justify="right")
    table.add_column("Detail", style="dim")
    for metric, value, detail in result.summary_rows():
        table.add_row(metric, value, detail)
    console(out).print(table)
