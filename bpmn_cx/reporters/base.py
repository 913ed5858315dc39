"""The reporter interface and what every reporter gets."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..linter.api import Finding
    from ..linter.registry import RuleInfo


@dataclass
class LintResult:
    """One lint run: the findings to show (sorted) and the files that were linted."""

    findings: list[Finding]
    files: list[str]
    #: Rule id -> metadata, for reporters that describe rules (SARIF).
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    #: Findings hidden because they are in the ``--baseline`` file.
    baselined: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    def summary(self) -> dict[str, int]:
        return {"files": len(self.files), "errors": self.errors, "warnings": self.warnings, "infos": self.infos}

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings grouped by file, files in linting order (files without findings included)."""
        out: dict[str, list[Finding]] = {path: [] for path in self.files}
        for finding in self.findings:
            out.setdefault(finding.file, []).append(finding)
        return out


class Reporter:
    """Writes a :class:`LintResult` to a stream. Subclasses set ``name`` and ``report``."""

    name = ""

    def __init__(self, stream: TextIO, *, color: bool | None = None, cwd: str | None = None,
                 environ: Any = None) -> None:
        self.stream = stream
        self.environ = os.environ if environ is None else environ
        self.cwd = cwd or os.getcwd()
        self.color = self._use_color() if color is None else color

    def _use_color(self) -> bool:
        # https://no-color.org: any non-empty NO_COLOR turns colour off.
        if self.environ.get("NO_COLOR"):
            return False
        isatty = getattr(self.stream, "isatty", None)
        try:
            return bool(isatty and isatty())
        except (OSError, ValueError):
            return False

    def report(self, result: LintResult) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
