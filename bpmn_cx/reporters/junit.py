"""``--format junit``: JUnit XML for CI dashboards.

One ``<testsuite>`` per file, one ``<testcase>`` per file and rule with
findings: errors and warnings are a ``<failure>`` (its ``type`` is the worst
severity), infos only go to ``<system-out>``. A file without findings gets
one passing test case, so that dashboards count it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .base import LintResult, Reporter, plural
from .text import location

_RANK = {"error": 0, "warning": 1, "info": 2}


def _clean(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


class JunitReporter(Reporter):
    name = "junit"

    def report(self, result: LintResult) -> None:
        suites = []
        total_tests = total_failures = 0
        for path, findings in result.by_file().items():
            by_rule: dict[str, list] = {}
            for f in findings:
                by_rule.setdefault(f.rule, []).append(f)
            cases = []
            failures = 0
            if not by_rule:
                cases.append(f"    <testcase classname={quoteattr(_clean(path))} name=\"bpmn-cx lint\"/>")
            for rule, items in sorted(by_rule.items()):
                worst = min(items, key=lambda f: _RANK.get(f.severity, 9)).severity
                lines = "\n".join(
                    _clean(f"{location(f.file, f.line, f.column)}: {f.severity}: {f.message}"
                           + (f" [{f.element}]" if f.element else ""))
                    for f in items
                )
                head = f"    <testcase classname={quoteattr(_clean(path))} name={quoteattr(rule)}>"
                if worst in ("error", "warning"):
                    failures += 1
                    message = f"{plural(len(items), worst if len(items) == 1 else 'problem')} ({rule})"
                    body = (f"      <failure type={quoteattr(worst)} message={quoteattr(message)}>"
                            f"{escape(lines)}</failure>")
                else:
                    body = f"      <system-out>{escape(lines)}</system-out>"
                cases.append(f"{head}\n{body}\n    </testcase>")
            total_tests += len(cases)
            total_failures += failures
            suites.append(
                f"  <testsuite name={quoteattr(_clean(path))} tests=\"{len(cases)}\" "
                f"failures=\"{failures}\" errors=\"0\">\n" + "\n".join(cases) + "\n  </testsuite>"
            )
        write = self.stream.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(f'<testsuites name="bpmn-cx" tests="{total_tests}" failures="{total_failures}" errors="0">\n')
        for suite in suites:
            write(suite + "\n")
        write("</testsuites>\n")
