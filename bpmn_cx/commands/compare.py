"""``bpmn-cx compare BASE VARIANT``: what a process change means for the customer."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from . import customer_option

if TYPE_CHECKING:
    from ..comparison import Comparison

HELP = "compare two variants of a process from the customer's side (metrics, findings, touchpoints)"

FORMATS = ("text", "json", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the BPMN file as it is")
    parser.add_argument("variant", metavar="VARIANT", help="the BPMN file as it would be")
    customer_option.add_arguments(parser, both=True)
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (tables, default), json, or markdown (for a pull-request comment)")
    parser.add_argument("--fail-on-worse", action="store_true",
                        help="exit 1 when any metric is worse in the variant")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..comparison import compare_scoped
    from .metrics import load_for_customer

    loaded = []
    for path in (args.base, args.variant):
        item = load_for_customer(path, args, "compare", err)
        if item is None:
            return 2
        loaded.append(item)
    comparison = compare_scoped(loaded[0], loaded[1])
    for result in (comparison.base, comparison.variant):
        for message in result.rule_errors:
            print(f"bpmn-cx compare: warning: {result.file}: {message}", file=err)
    if args.format == "json":
        json.dump(comparison.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(comparison.to_markdown())
        out.write("\n")
    else:
        render_text(comparison, out)
    if args.fail_on_worse and comparison.worse:
        names = ", ".join(c.spec.label.lower() for c in comparison.worse)
        print(f"bpmn-cx compare: worse in the variant: {names}", file=err)
        return 1
    return 0


def render_text(comparison: Comparison, out: TextIO) -> None:
    from rich.table import Table
    from rich.text import Text

    from .metrics import console

    con = console(out)
    base, variant = comparison.base, comparison.variant
    con.print(Text(f"{base.file or 'base'} → {variant.file or 'variant'} (customer: {variant.customer})",
                   style="bold"))
    verdict_style = "red" if comparison.worse else ("green" if comparison.better else "")
    con.print(Text(comparison.verdict, style=verdict_style))
    table = Table(title="Metrics", title_justify="left")
    for name, justify in (("Metric", "left"), ("Base", "right"), ("Variant", "right"), ("Δ", "right"),
                          ("", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    styles = {"better": "green", "worse": "bold red"}
    for metric, b, v, delta, mark in comparison.metric_rows():
        table.add_row(metric, b, v, delta, Text(mark, style=styles.get(mark, "")))
    con.print(table)
    if comparison.alignment:
        touch = Table(title="Touchpoints in journey order (= same, ≠ other counterpart, + added, − removed)",
                      title_justify="left")
        for name in ("", "Touchpoint", "Base counterpart", "Variant counterpart"):
            touch.add_column(name)
        marks = {"+": "green", "−": "red", "≠": "yellow"}
        for mark, label, b, v in comparison.alignment_rows():
            touch.add_row(Text(mark, style=marks.get(mark, "")), label, b, v)
        con.print(touch)
    diff = comparison.findings
    con.print(Text(f"Findings: {len(diff.new)} new, {len(diff.resolved)} resolved, "
                   f"{len(diff.persisting)} persisting", style="bold"))
    for title, items, style in (("new", diff.new, "red"), ("resolved", diff.resolved, "green")):
        for f in items:
            where = f"{f.file}:{f.line}" if f.line else f.file
            element = f" [{f.element}]" if f.element else ""
            line = Text(f"  {title:<8} ", style=style)
            line.append(f"{where}  {f.rule}  {f.message}{element}")
            con.print(line)
