"""The ``bpmn-cx`` command line. ``main(argv) -> int`` never raises.

Exit codes, the same for every subcommand:

* 0: done, nothing wrong (or only warnings within the limits);
* 1: the input has problems (lint errors, schema violations, unreadable BPMN);
* 2: usage or configuration error, or a path that does not exist;
* 3: an internal error in bpmn-cx (a bug: please report it).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from typing import TextIO

from . import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

#: Subcommand -> module in :mod:`bpmn_cx.commands`. Each module defines
#: ``HELP``, ``add_arguments(parser)`` and ``run(args, out, err) -> int``, and
#: keeps heavy imports inside ``run`` so that start-up stays fast.
COMMANDS = {
    "lint": "lint",
    "validate": "validate",
    "view": "view",
    "export": "export",
    "metrics": "metrics",
    "compare": "compare",
    "rules": "rules",
}


class UsageError(Exception):
    """Bad arguments or configuration: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bpmn-cx",
        description="Read, lint and view BPMN 2.0 processes from the customer's side.",
        epilog="Exit codes: 0 ok, 1 problems found, 2 usage error or missing file, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"bpmn-cx {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f".commands.{module_name}", __package__)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(
    argv: list[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line and return its exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args_list = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args_list
    try:
        parser = build_parser()
        try:
            # argparse prints --help and --version to sys.stdout: send them to `out`.
            with contextlib.redirect_stdout(out):
                args = parser.parse_args(args_list)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if getattr(args, "_run", None) is None:
            parser.print_help(err)
            return EXIT_USAGE
        return int(args._run(args, out, err))
    except UsageError as exc:
        print(str(exc), file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("bpmn-cx: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if debug:
            import traceback

            traceback.print_exc(file=err)
        print(
            f"bpmn-cx: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for details; this is a bug, please report it)",
            file=err,
        )
        return EXIT_INTERNAL


def entry() -> None:
    """The ``bpmn-cx`` console script and ``python -m bpmn_cx``: run, then exit at once.

    After a big model the heap holds a few hundred thousand objects that refer
    to each other, and the interpreter's orderly shutdown would walk them all
    (half a second for a 20,000-task model) only to hand the memory back to
    the system, which the exit does anyway. So the output is flushed and the
    process ends without that walk (mypy does the same). ``main()`` stays an
    ordinary function for callers in the same process.

    For the same reason the cyclic GC is off for the whole run: it would only
    scan live models, and then the last one again as garbage, right before the
    exit frees it all (0.7 s after a 20,000-task lint). Commands that go
    through several models free each one before the next (``bpmn-cx lint``).
    """
    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError, ValueError):
        pass  # a reader that went away, or a closed stream: nothing left to say
    os._exit(code)
