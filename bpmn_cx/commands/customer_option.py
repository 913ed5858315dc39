"""``--customer`` and ``--config`` for the commands that need a customer (view, metrics, compare).

``--customer`` wins; without it, ``customer = [...]`` from the configuration
(``--config FILE``, else the nearest ``.bpmn-cx.toml`` or ``pyproject.toml``
with ``[tool.bpmn-cx]`` above the file, as ``bpmn-cx lint`` finds it); without
either, the customer is detected by name.
"""

from __future__ import annotations

import argparse
import os


class CustomerOptionError(Exception):
    """A usage error: a missing or broken configuration file."""


def add_arguments(parser: argparse.ArgumentParser, *, metavar: str = "NAME|ID", both: bool = False) -> None:
    where = "in both files, " if both else ""
    parser.add_argument("--customer", action="append", metavar=metavar, default=None,
                        help=f"the customer's pool or lane {where}by name or id (repeatable); "
                             "default: from the configuration, else detected by name")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="configuration file to read customer = [...] from "
                             "(default: the nearest .bpmn-cx.toml or pyproject.toml)")


def customer_for(path: str, args: argparse.Namespace) -> tuple[list[str] | None, list[str] | None]:
    """``(customer, names)`` for ``path``: the pools or lanes chosen (``--customer``,
    else the configuration's ``customer``), and the role names that detect the
    customer otherwise (the configuration's ``customer-names``; ``None``: built in).

    Raises :class:`CustomerOptionError` for a ``--config`` that does not exist
    or a configuration that cannot be read.
    """
    from ..linter.config import ConfigError, ConfigResolver

    if args.config and not os.path.isfile(args.config):
        raise CustomerOptionError(f"{args.config}: no such configuration file")
    try:
        config = ConfigResolver(config_file=args.config).for_file(path)
    except ConfigError as exc:
        raise CustomerOptionError(str(exc)) from None
    customer = list(args.customer or config.customer) or None
    return customer, config.customer_names
