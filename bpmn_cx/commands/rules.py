"""``bpmn-cx rules [ID]``: list the lint rules, or show one rule's documentation."""

from __future__ import annotations

import argparse
from typing import TextIO

HELP = "list the lint rules and their severity in each preset, or show one rule's docs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", metavar="ID", help="show the documentation of this rule")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                        help="output format of the list (default: text)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..linter.config import PRESETS, ConfigError
    from ..linter.docs import help_uri, options_rows, presets_of, render_markdown_table, render_text
    from ..linter.registry import get_registry

    registry = get_registry()
    if args.rule:
        if args.rule not in registry:
            hint = registry.suggest(args.rule)
            print(f"bpmn-cx rules: unknown rule {args.rule!r}"
                  + (f" (did you mean {hint!r}?)" if hint else "") + "; `bpmn-cx rules` lists them", file=err)
            return 2
        rule = registry.get(args.rule)
        if args.format == "json":
            import json

            payload = {
                "id": rule.id, "severity": rule.severity, "kind": rule.kind, "summary": rule.summary,
                "presets": presets_of(rule.id), "helpUri": help_uri(rule.id),
                "sections": rule.doc.sections,
                "options": [dict(zip(("name", "type", "default", "help"), row)) for row in options_rows(rule)],
            }
            out.write(json.dumps(payload, indent=2) + "\n")
        else:
            out.write(render_text(rule))
        return 0

    try:
        rules = list(registry.all())
        table = {rule.id: presets_of(rule.id) for rule in rules}
    except ConfigError as exc:  # a broken bundled preset: a bug, but say what it is
        print(f"bpmn-cx rules: {exc}", file=err)
        return 3
    if args.format == "markdown":
        out.write(render_markdown_table(registry) + "\n")
        return 0
    if args.format == "json":
        import json

        payload = [
            {"id": r.id, "severity": r.severity, "kind": r.kind, "summary": r.summary, "presets": table[r.id]}
            for r in rules
        ]
        out.write(json.dumps(payload, indent=2) + "\n")
        return 0
    headers = ["rule", "default", *PRESETS, "what it reports"]
    rows = []
    for rule in rules:
        short = {"warning": "warn"}
        rows.append([rule.id, short.get(rule.severity, rule.severity)]
                    + [short.get(table[rule.id][p], table[rule.id][p]) for p in PRESETS]
                    + [rule.summary + (" (load check)" if rule.kind == "load" else "")])
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(len(headers) - 1)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths)) + "  " + headers[-1] + "\n")
    for row in rows:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[-1] + "\n")
    out.write(f"\n{len(rules)} rules. `bpmn-cx rules ID` shows one rule's documentation and options.\n")
    return 0
