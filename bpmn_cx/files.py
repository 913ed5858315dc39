"""Turning command-line paths into the BPMN files to work on."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TextIO

#: File endings treated as BPMN when a directory is given.
BPMN_SUFFIXES = (".bpmn", ".bpmn2", ".bpmn20.xml")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


@dataclass
class Collected:
    files: list[str] = field(default_factory=list)
    #: Paths that do not exist, as given.
    missing: list[str] = field(default_factory=list)


def collect_files(paths: list[str]) -> Collected:
    """Expand directories (recursively, sorted) into BPMN files; keep files as given.

    A file named explicitly is always taken, whatever its ending: the user asked
    for it. Missing paths are reported, never skipped silently.
    """
    out = Collected()
    seen: set[str] = set()
    for raw in paths:
        if os.path.isdir(raw):
            found = []
            for folder, dirs, names in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                found.extend(
                    os.path.join(folder, n) for n in names if n.lower().endswith(BPMN_SUFFIXES)
                )
            for path in sorted(found):
                if path not in seen:
                    seen.add(path)
                    out.files.append(path)
        elif os.path.exists(raw):
            if raw not in seen:
                seen.add(raw)
                out.files.append(raw)
        else:
            out.missing.append(raw)
    return out


def files_to_check(paths: list[str], command: str, err: TextIO) -> list[str] | None:
    """The BPMN files to work on, or ``None`` after saying why there are none.

    Every missing path is named on ``err``; a missing path or an empty result is
    a usage error (exit 2) for the caller, never a silent success.
    """
    collected = collect_files(paths)
    for path in collected.missing:
        print(f"{path}: no such file or directory", file=err)
    if collected.missing:
        return None
    if not collected.files:
        patterns = ", ".join(f"*{suffix}" for suffix in BPMN_SUFFIXES)
        print(f"bpmn-cx {command}: no BPMN files found (looked for {patterns})", file=err)
        return None
    return collected.files
