"""`bpmn-cx lint`: not implemented yet."""

from __future__ import annotations

import argparse
from typing import TextIO

HELP = "(lint: coming soon)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print("bpmn-cx lint: not implemented yet", file=err)
    return 2
