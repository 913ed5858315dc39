"""``bpmn-cx validate PATH...``: check files against the OMG BPMN 2.0 XSD.

Exit 0 when every file is valid, 1 when a file is invalid or cannot be read as
BPMN (not XML, not well-formed, DMN, ...), 2 when a path does not exist or a
folder holds no BPMN file.
"""

from __future__ import annotations

import argparse
import json
from typing import TextIO

HELP = "validate BPMN files against the OMG BPMN 2.0 XML Schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="BPMN files or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..files import files_to_check
    from ..loader import LoadError
    from ..validation import validate

    files = files_to_check(args.paths, "validate", err)
    if files is None:
        return 2
    results = []
    invalid = 0
    for path in files:
        try:
            result = validate(path)
            errors = [(e.line, e.column, e.message, "schema") for e in result.errors]
        except LoadError as exc:
            errors = [(exc.line, None, exc.message, "load")]
        invalid += bool(errors)
        results.append((path, errors))
    if args.format == "json":
        payload = {
            "files": [
                {
                    "file": path,
                    "valid": not errors,
                    "errors": [
                        {"line": ln, "column": col, "message": msg, "kind": kind} for ln, col, msg, kind in errors
                    ],
                }
                for path, errors in results
            ],
            "summary": {"files": len(results), "invalid": invalid},
        }
        out.write(json.dumps(payload, indent=2) + "\n")
    else:
        for path, errors in results:
            for line, column, message, _kind in errors:
                where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
                print(f"{where}: error: {message}", file=out)
        count = sum(len(e) for _, e in results)
        files = len(results)
        print(
            f"{files} file{'s' * (files != 1)} checked: {files - invalid} valid, {invalid} invalid"
            + (f" ({count} error{'s' * (count != 1)})" if count else ""),
            file=out,
        )
    return 1 if invalid else 0
