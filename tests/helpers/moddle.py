"""Import BPMN files with bpmn-moddle (the parser behind bpmn-js) from tests.

``moddle_results(paths)`` returns, per file, the warnings bpmn-moddle reports
(unresolved references, unknown elements or attributes, duplicate ids) and
the error if the import failed. bpmn-moddle is installed once with npm into
``tests/helpers/.node/`` (ignored by git). Tests call :func:`require_moddle`,
which skips them when node or npm is missing or the install fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / ".node"
SCRIPT = HERE / "moddle_check.mjs"
PACKAGE = "bpmn-moddle@9"


def _installed() -> bool:
    return (NODE_DIR / "node_modules" / "bpmn-moddle" / "package.json").is_file()


def ensure_moddle() -> str | None:
    """Install bpmn-moddle if needed. ``None`` when ready, else why it is not available."""
    if shutil.which("node") is None:
        return "node is not installed"
    if _installed():
        return None
    if shutil.which("npm") is None:
        return "npm is not installed"
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    ignore = NODE_DIR / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    try:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", PACKAGE],
            cwd=NODE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return f"npm install {PACKAGE} failed: {exc}"
    return None if _installed() else f"npm install {PACKAGE} did not install it"


def require_moddle() -> None:
    """Skip the calling test when bpmn-moddle cannot be used."""
    import pytest

    reason = ensure_moddle()
    if reason is not None:
        pytest.skip(f"bpmn-moddle unavailable: {reason}")


def moddle_results(paths: list[str | os.PathLike[str]], batch: int = 200) -> dict[str, dict]:
    """``{path: {"warnings": [...], "error": str | None}}`` for each file."""
    out: dict[str, dict] = {}
    env = dict(os.environ, BPMN_CX_NODE_DIR=str(NODE_DIR))
    items = [os.fspath(p) for p in paths]
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        proc = subprocess.run(
            ["node", str(SCRIPT), *chunk],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"bpmn-moddle check failed: {proc.stderr.strip()}")
        for entry in json.loads(proc.stdout):
            out[entry["file"]] = {"warnings": entry.get("warnings", []), "error": entry.get("error")}
    return out
