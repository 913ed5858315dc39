"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

``::error file=F,line=L,col=C,title=RULE::MESSAGE``; warnings become
``::warning``, infos ``::notice``. Values are escaped as the Actions runner
expects: ``%``, CR and LF in the message; additionally ``:`` and ``,`` in
properties.
"""

from __future__ import annotations

from .base import LintResult, Reporter
from .text import summary_line

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def report(self, result: LintResult) -> None:
        write = self.stream.write
        for f in result.findings:
            props = [f"file={escape_property(f.file)}"]
            if f.line:
                props.append(f"line={f.line}")
                if f.column:
                    props.append(f"col={f.column}")
            props.append(f"title={escape_property(f.rule)}")
            message = f.message + (f" [{f.element}]" if f.element else "")
            write(f"::{_COMMAND.get(f.severity, 'warning')} {','.join(props)}::{escape_data(message)}\n")
        write(summary_line(result) + "\n")
