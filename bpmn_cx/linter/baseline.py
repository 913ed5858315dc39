"""Baselines: adopt the linter on an existing repository without fixing everything first.

``bpmn-cx lint --baseline lint-baseline.json --write-baseline models/`` records
today's findings; later runs with ``--baseline lint-baseline.json`` report
only findings that are not in it. A finding matches a baseline entry by file,
rule, element and message, never by line: edits elsewhere in the file move
lines but keep the baseline valid. Entries are counted, so a second identical
finding in the same file is new.

File paths are stored relative to the baseline's folder, with ``/``, so the
baseline works from any working directory and on any OS.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable

from .api import Finding

FORMAT_VERSION = 1

Key = tuple[str, str, str, str]


class BaselineError(Exception):
    """The baseline file cannot be read (the CLI exits with 2)."""


def _rel(file: str, base_dir: str) -> str:
    if file.startswith("<"):
        return file
    try:
        rel = os.path.relpath(os.path.abspath(file), base_dir)
    except ValueError:
        rel = os.path.abspath(file)
    return rel.replace(os.sep, "/")


def key(finding: Finding, base_dir: str) -> Key:
    return (_rel(finding.file, base_dir), finding.rule, finding.element or "", finding.message)


def _base_dir(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def read_baseline(path: str) -> Counter[Key]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: not a bpmn-cx baseline (invalid JSON: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a bpmn-cx baseline (no \"findings\" list)")
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("file", "rule", "message")
        ) or not isinstance(entry.get("element"), (str, type(None))):
            raise BaselineError(f"{path}: findings[{i}] needs the strings file, rule, element and message")
        counts[(entry["file"], entry["rule"], entry.get("element") or "", entry["message"])] += 1
    return counts


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Write the findings as a baseline (atomically); return how many were written."""
    base = _base_dir(path)
    entries = sorted(key(f, base) for f in findings)
    payload = {
        "version": FORMAT_VERSION,
        "tool": "bpmn-cx",
        "findings": [
            {"file": file, "rule": rule, "element": element or None, "message": message}
            for file, rule, element, message in entries
        ],
    }
    from ..writer import WriteError, write_atomic

    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, text.encode("utf-8"))
    except WriteError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.reason}") from None
    return len(entries)


def filter_new(findings: list[Finding], baseline: Counter[Key], baseline_path: str) -> tuple[list[Finding], int]:
    """The findings not covered by the baseline, and how many were covered."""
    base = _base_dir(baseline_path)
    remaining = Counter(baseline)
    out = []
    covered = 0
    for finding in findings:
        k = key(finding, base)
        if remaining[k] > 0:
            remaining[k] -= 1
            covered += 1
        else:
            out.append(finding)
    return out, covered
