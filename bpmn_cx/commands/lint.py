"""``bpmn-cx lint PATH...``: check BPMN files against the configured rules."""

from __future__ import annotations

import argparse
import gc
import os
from typing import TextIO

HELP = "lint BPMN files (bpmnlint-compatible rules plus customer-side checks)"

PRESET_NAMES = ("recommended", "all", "bpmnlint", "customer")
FORMAT_NAMES = ("text", "json", "sarif", "junit", "github", "auto")


def _ids(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    out = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="BPMN files or folders (searched recursively)")
    parser.add_argument("--config", metavar="FILE",
                        help="use this config file for every file (default: the nearest .bpmn-cx.toml "
                             "or pyproject.toml [tool.bpmn-cx] above each file)")
    parser.add_argument("--preset", choices=PRESET_NAMES, metavar="NAME",
                        help=f"lint with this preset instead of the config's `extends` "
                             f"({', '.join(PRESET_NAMES)})")
    parser.add_argument("--select", action="append", metavar="ID[,ID]",
                        help="run only these rules (parse errors are still reported)")
    parser.add_argument("--ignore", action="append", metavar="ID[,ID]", help="do not run these rules")
    parser.add_argument("--customer", action="append", metavar="NAME",
                        help="a customer pool or lane, by name or id (repeatable; replaces the config's)")
    parser.add_argument("--format", choices=FORMAT_NAMES, default="text",
                        help="output format (default: text; auto: github inside GitHub Actions, else text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--max-warnings", type=_non_negative, metavar="N",
                        help="fail (exit 1) when there are more than N warnings")
    parser.add_argument("--baseline", metavar="FILE",
                        help="report only findings that are not in this baseline file")
    parser.add_argument("--write-baseline", action="store_true",
                        help="record the current findings in the --baseline file and exit 0")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..files import files_to_check
    from ..linter.baseline import BaselineError, filter_new, read_baseline, write_baseline
    from ..linter.config import ConfigError, ConfigResolver
    from ..linter.engine import lint_file
    from ..linter.registry import get_registry
    from ..reporters import LintResult, get_reporter

    if args.write_baseline and not args.baseline:
        print("bpmn-cx lint: --write-baseline needs --baseline FILE", file=err)
        return 2

    found = files_to_check(args.paths, "lint", err)
    if found is None:
        return 2
    # "./models/a.bpmn" from expanding "." reads better, and matches baselines, as "models/a.bpmn".
    files = list(dict.fromkeys(os.path.normpath(path) for path in found))

    try:
        resolver = ConfigResolver(
            config_file=args.config,
            preset=args.preset,
            select=_ids(args.select),
            ignore=_ids(args.ignore),
            customer=args.customer,
        )
        resolver.check()
        baseline = read_baseline(args.baseline) if args.baseline and not args.write_baseline else None
    except ConfigError as exc:
        print(f"bpmn-cx lint: config error: {exc}", file=err)
        return 2
    except BaselineError as exc:
        print(f"bpmn-cx lint: {exc}", file=err)
        return 2

    findings = []
    configs = {}
    try:
        for index, path in enumerate(files):
            if index and not gc.isenabled():
                # GC off for the whole run (bpmn_cx.cli.entry): the previous
                # model is garbage by now; free it before the next one comes.
                gc.collect(0)
            config = resolver.for_file(path)
            configs[id(config)] = config
            findings.extend(lint_file(path, config))
    except ConfigError as exc:
        print(f"bpmn-cx lint: config error: {exc}", file=err)
        return 2

    if args.write_baseline:
        try:
            count = write_baseline(args.baseline, findings)
        except BaselineError as exc:
            print(f"bpmn-cx lint: {exc}", file=err)
            return 2
        print(f"bpmn-cx lint: wrote {count} finding{'s' * (count != 1)} to the baseline {args.baseline}",
              file=err)
        return 0

    covered = 0
    if baseline is not None:
        findings, covered = filter_new(findings, baseline, args.baseline)

    registry = get_registry()
    rule_ids = {f.rule for f in findings}
    for config in configs.values():
        rule_ids.update(config.active_rules(None))
    rules = {rule_id: registry.get(rule_id) for rule_id in sorted(rule_ids) if rule_id in registry}
    result = LintResult(findings=findings, files=files, rules=rules, baselined=covered)

    if args.output:
        status = _write_report(args.output, args.format, result, err)
        if status:
            return status
    else:
        get_reporter(args.format, out).report(result)

    if result.errors:
        return 1
    if args.max_warnings is not None and result.warnings > args.max_warnings:
        print(f"bpmn-cx lint: {result.warnings} warnings, more than --max-warnings {args.max_warnings}",
              file=err)
        return 1
    return 0


def _write_report(path: str, format_name: str, result, err: TextIO) -> int:
    """Write the report to ``path`` atomically (never a half-written file)."""
    import io

    from ..reporters import get_reporter
    from ..writer import WriteError, write_atomic

    buffer = io.StringIO()
    get_reporter(format_name, buffer).report(result)
    try:
        write_atomic(path, buffer.getvalue().encode("utf-8"))
    except WriteError as exc:
        print(f"bpmn-cx lint: cannot write {path}: {exc.reason}", file=err)
        return 2
    return 0
