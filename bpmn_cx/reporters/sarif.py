"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

The driver lists every rule with its id, short description (the docstring
summary), full description, help text and ``helpUri`` (the rule's anchor in
the README rules list), and its default level. Each result has a
``physicalLocation`` (file relative to ``%SRCROOT%``, the working directory,
and ``region.startLine``) and, when it concerns an element, a
``logicalLocation`` naming the element id.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..linter.docs import DOCS_URL, SECTIONS, help_uri
from .base import LintResult, Reporter

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def fingerprint(rule: str, file: str, element: str | None, message: str) -> str:
    """Stable across line shifts: the same key the ``--baseline`` matching uses."""
    key = "\x1f".join((rule, file.replace(os.sep, "/"), element or "", message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class SarifReporter(Reporter):
    name = "sarif"

    def _uri(self, path: str) -> tuple[str, bool]:
        """(uri, relative to %SRCROOT%?) for a file path."""
        absolute = os.path.abspath(path)
        try:
            rel = os.path.relpath(absolute, self.cwd)
        except ValueError:
            rel = None
        if rel is not None and not rel.startswith(".."):
            return quote(rel.replace(os.sep, "/")), True
        return "file://" + quote(absolute.replace(os.sep, "/")), False

    def _rule(self, rule_id: str, result: LintResult) -> dict[str, Any]:
        info = result.rules.get(rule_id)
        out: dict[str, Any] = {"id": rule_id}
        if info is None:
            out["shortDescription"] = {"text": rule_id}
            return out
        out["shortDescription"] = {"text": info.summary or rule_id}
        what = info.doc.sections.get("What it does")
        if what:
            out["fullDescription"] = {"text": what}
        help_parts = [f"{h}\n{info.doc.sections[h]}" for h in SECTIONS if info.doc.sections.get(h)]
        if help_parts:
            out["help"] = {"text": "\n\n".join(help_parts)}
        out["helpUri"] = help_uri(rule_id)
        out["defaultConfiguration"] = {"level": _LEVEL.get(info.severity, "warning")}
        out["properties"] = {"tags": ["bpmn", "load" if info.kind == "load" else "lint"]}
        return out

    def report(self, result: LintResult) -> None:
        rule_ids = sorted(set(result.rules) | {f.rule for f in result.findings})
        index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
        results = []
        for f in result.findings:
            uri, relative = self._uri(f.file)
            artifact: dict[str, Any] = {"uri": uri}
            if relative:
                artifact["uriBaseId"] = "%SRCROOT%"
            physical: dict[str, Any] = {"artifactLocation": artifact}
            if f.line:
                region: dict[str, Any] = {"startLine": f.line}
                if f.column:
                    region["startColumn"] = f.column
                physical["region"] = region
            location: dict[str, Any] = {"physicalLocation": physical}
            if f.element:
                location["logicalLocations"] = [{"name": f.element, "kind": "element"}]
            results.append({
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL.get(f.severity, "warning"),
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {"bpmnCxFinding/v1": fingerprint(f.rule, f.file, f.element, f.message)},
            })
        root = self.cwd.replace(os.sep, "/").rstrip("/") + "/"
        if not root.startswith("/"):
            root = "/" + root  # Windows drive paths
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "bpmn-cx",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": DOCS_URL,
                    "rules": [self._rule(rule_id, result) for rule_id in rule_ids],
                }},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + quote(root)}},
                "invocations": [{"executionSuccessful": True}],
                "results": results,
            }],
        }
        json.dump(log, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
