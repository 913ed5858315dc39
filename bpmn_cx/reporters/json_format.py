"""``--format json``: one JSON object for machines.

::

    {"findings": [{"rule", "severity", "message", "file", "element", "line", "column"}, ...],
     "summary": {"files", "errors", "warnings", "infos"}}
"""

from __future__ import annotations

import json

from .base import LintResult, Reporter


class JsonReporter(Reporter):
    name = "json"

    def report(self, result: LintResult) -> None:
        payload = {
            "findings": [f.to_dict() for f in result.findings],
            "summary": result.summary(),
        }
        json.dump(payload, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
