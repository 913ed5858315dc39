"""``bpmn-cx export FILE --format bpmn|json|mermaid|dot [-o OUT]``: write a model in another form.

``bpmn`` writes the document back loss-free (byte for byte when nothing
changed); ``json`` the documented JSON form (schema: ``bpmn_cx/export/
model.schema.json``); ``mermaid`` a flowchart for Markdown; ``dot`` Graphviz
source. Without ``-o`` the result goes to standard output. Files are written
atomically (temporary file + rename): a failed write never leaves a truncated
file. The input is never overwritten unless ``--in-place`` is given.
"""

from __future__ import annotations

import argparse
import os
from typing import TextIO

HELP = "export a BPMN file as BPMN (loss-free), JSON, Mermaid or Graphviz DOT"

FORMATS = ("bpmn", "json", "mermaid", "dot")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the BPMN file to export")
    parser.add_argument("--format", "-f", choices=FORMATS, default="bpmn", help="output format (default: bpmn)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="write the BPMN back to FILE itself (only with --format bpmn)",
    )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..loader import LoadError, load
    from ..writer import WriteError, dumps, write_atomic

    prog = "bpmn-cx export"
    if args.in_place:
        if args.format != "bpmn":
            print(f"{prog}: --in-place writes BPMN; it cannot be used with --format {args.format}", file=err)
            return 2
        if args.output and not _same_file(args.output, args.file):
            print(f"{prog}: use either --in-place or -o OUT, not both", file=err)
            return 2
    target = args.file if args.in_place else args.output
    if not os.path.exists(args.file):
        print(f"{args.file}: no such file or directory", file=err)
        return 2
    if os.path.isdir(args.file):
        print(f"{args.file}: is a directory, not a BPMN file", file=err)
        return 2
    if target is not None and not args.in_place and _same_file(target, args.file):
        print(
            f"{prog}: refusing to overwrite the input file {args.file}; "
            "give another -o OUT, or --in-place to rewrite it",
            file=err,
        )
        return 2
    try:
        model = load(args.file)
    except LoadError as exc:
        print(f"{exc}", file=err)
        return 1
    if args.format == "bpmn":
        data = dumps(model)
    else:
        from ..export import FORMATS as EXPORTERS

        data = EXPORTERS[args.format](model).encode("utf-8")
    if target is None:
        _write_stdout(out, data)
        return 0
    try:
        write_atomic(target, data)
    except WriteError as exc:
        print(f"{prog}: {exc}", file=err)
        return 2
    return 0


def _write_stdout(out: TextIO, data: bytes) -> None:
    """Bytes as they are to a real stdout; decoded for a text-only stream."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
        return
    from ..writer import declared_encoding

    out.write(data.decode(declared_encoding(data), errors="replace").lstrip("\ufeff"))
