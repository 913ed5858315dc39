"""``--format text``: findings grouped by file, for people.

Colour (through rich) on a terminal; plain text when the stream is not a
terminal or ``NO_COLOR`` is set. Every finding starts with ``path:line:col``
so that terminals and editors turn it into a link.
"""

from __future__ import annotations

import os

from .base import LintResult, Reporter, plural

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def location(path: str, line: int | None, column: int | None) -> str:
    where = path
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


def summary_line(result: LintResult) -> str:
    files = len(result.files)
    total = len(result.findings)
    if total == 0:
        text = f"No problems found in {plural(files, 'file')}."
    else:
        with_findings = len({f.file for f in result.findings})
        text = (
            f"{plural(total, 'problem')} ({plural(result.errors, 'error')}, "
            f"{plural(result.warnings, 'warning')}, {plural(result.infos, 'info')}) "
            f"in {with_findings} of {plural(files, 'file')}."
        )
    if result.baselined:
        text += f" {result.baselined} known {'problem' if result.baselined == 1 else 'problems'} hidden by the baseline."
    return text


class TextReporter(Reporter):
    name = "text"

    def report(self, result: LintResult) -> None:
        if self.color:
            self._rich(result)
        else:
            self._plain(result)

    def _plain(self, result: LintResult) -> None:
        write = self.stream.write
        first = True
        for path, findings in result.by_file().items():
            if not findings:
                continue
            if not first:
                write("\n")
            first = False
            write(f"{path}\n")
            width = max(len(location(f.file, f.line, f.column)) for f in findings)
            rule_width = max(len(f.rule) for f in findings)
            for f in findings:
                element = f" [{f.element}]" if f.element else ""
                write(f"  {location(f.file, f.line, f.column).ljust(width)}  {f.severity:<7}  "
                      f"{f.rule.ljust(rule_width)}  {f.message}{element}\n")
        if not first:
            write("\n")
        write(summary_line(result) + "\n")

    def _rich(self, result: LintResult) -> None:
        from rich.console import Console
        from rich.text import Text

        console = Console(file=self.stream, force_terminal=True, no_color=False, highlight=False,
                          soft_wrap=True, emoji=False)
        first = True
        for path, findings in result.by_file().items():
            if not findings:
                continue
            if not first:
                console.print()
            first = False
            console.print(Text(path, style="bold underline"))
            width = max(len(location(f.file, f.line, f.column)) for f in findings)
            rule_width = max(len(f.rule) for f in findings)
            uri = "file://" + os.path.abspath(path).replace(os.sep, "/")
            for f in findings:
                where = location(f.file, f.line, f.column)
                row = Text("  ")
                row.append(where, style=f"link {uri}")
                row.append(" " * (width - len(where)) + "  ")
                row.append(f"{f.severity:<7}", style=_STYLE.get(f.severity, ""))
                row.append("  ")
                row.append(f.rule.ljust(rule_width), style="dim")
                row.append("  ")
                row.append(f.message)
                if f.element:
                    row.append(f" [{f.element}]", style="dim")
                console.print(row)
        if not first:
            console.print()
        style = "bold red" if result.errors else ("yellow" if result.findings else "bold green")
        console.print(Text(summary_line(result), style=style))
