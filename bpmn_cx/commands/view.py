"""``bpmn-cx view IN [-o OUT]``: the process as the customer lives it.

Keeps the customer's pool or lanes and the lanes the customer touches, hides
the rest behind the line of visibility (placeholders and internal decisions in
one synthetic lane) and writes the result as BPMN (with a regenerated diagram),
as a JSON summary, or as a Mermaid flowchart.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TextIO

from . import customer_option

HELP = "show a process from the customer's side: prune untouched lanes, collapse hidden work"

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN", help="the BPMN file to view")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="write here (atomically) instead of to standard output; never the input file")
    customer_option.add_arguments(parser)
    parser.add_argument("--strict", action="store_true",
                        help="also hide backstage steps (touchpoint lanes keep only what the customer meets)")
    parser.add_argument("--format", choices=("bpmn", "json", "mermaid"), default="bpmn",
                        help="output: BPMN 2.0 with diagram (default), a JSON summary, or Mermaid")
    parser.add_argument("--lane-name", metavar="NAME", default=None,
                        help='name of the synthetic lane (default "Behind the line of visibility")')


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..customer.scope import CustomerError
    from ..customer.view import DEFAULT_LANE_NAME, customer_view
    from ..loader import LoadError, load

    path = args.input
    if not os.path.exists(path):
        print(f"{path}: no such file or directory", file=err)
        return EXIT_USAGE
    if os.path.isdir(path):
        print(f"{path}: is a directory; bpmn-cx view takes one BPMN file", file=err)
        return EXIT_USAGE
    if args.output and os.path.exists(args.output) and _same_file(args.output, path):
        print(f"bpmn-cx view: refusing to overwrite the input file {path}; choose another -o", file=err)
        return EXIT_USAGE
    try:
        customer, names = customer_option.customer_for(path, args)
    except customer_option.CustomerOptionError as exc:
        print(f"bpmn-cx view: {exc}", file=err)
        return EXIT_USAGE
    try:
        model = load(path)
    except LoadError as exc:
        print(str(exc), file=err)
        return EXIT_PROBLEMS
    try:
        view = customer_view(model, customer, strict=args.strict, lane_name=args.lane_name or DEFAULT_LANE_NAME,
                             names=names)
    except CustomerError as exc:
        print(f"{path}: {exc}", file=err)
        return EXIT_USAGE

    if args.format == "json":
        text = json.dumps(view.to_dict(), indent=2, ensure_ascii=False) + "\n"
        data = text.encode("utf-8")
    elif args.format == "mermaid":
        text = view.to_mermaid()
        data = text.encode("utf-8")
    else:
        data = view.to_bytes()
        text = None
    if args.output:
        from ..writer import WriteError, write_atomic

        try:
            write_atomic(args.output, data)
        except WriteError as exc:
            print(str(exc), file=err)
            return EXIT_USAGE
        plan = view.plan
        print(
            f"{args.output}: customer view of {path} for {view.customer.label!r}: "
            f"{len(plan.kept_nodes)} nodes kept, {len(plan.hidden_nodes)} hidden in "
            f"{len(plan.placeholders)} placeholder{'s' * (len(plan.placeholders) != 1)}, "
            f"{len(plan.pruned_lanes)} lane{'s' * (len(plan.pruned_lanes) != 1)} pruned",
            file=err,
        )
        return EXIT_OK
    if text is None:
        text = data.decode("utf-8")
    out.write(text)
    return EXIT_OK
