"""The pre-commit hooks, run for real with ``pre-commit try-repo``.

``try-repo`` on a checkout with uncommitted changes makes a shadow commit of
the *tracked* changes only (``git add -u``): new, untracked files such as a
new rule module would be missing. So the test snapshots this checkout's
working tree (the files ``pip install .`` needs plus the hook manifest) into a
temporary git repository and points ``try-repo`` at that. A second temporary
repository holds the models the hooks run on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ("bpmn_cx", "schemas", "pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml")
NETWORK_TROUBLE = ("NewConnectionError", "Temporary failure in name resolution", "No matching distribution",
                   "Could not find a version", "ConnectTimeout", "Network is unreachable")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed"),
]


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def snapshot(target: Path) -> Path:
    target.mkdir()
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "snapshot", cwd=target)
    return target


def try_repo(hook_repo: Path, models: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(["pre-commit", "try-repo", str(hook_repo), "--files", *files],
                            cwd=models, capture_output=True, text=True, env=env, timeout=600)
    output = result.stdout + result.stderr
    if result.returncode not in (0, 1) or "An unexpected error has occurred" in output:
        if any(marker in output for marker in NETWORK_TROUBLE):
            pytest.skip("pre-commit could not install the hook environment (no package index)")
    return result


def test_hooks_fail_on_a_broken_model_and_pass_on_a_clean_one(tmp_path):
    hook_repo = snapshot(tmp_path / "hooks")
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(ROOT / "fixtures" / "lint" / "not-well-formed.bpmn", models / "broken.bpmn")
    shutil.copy(ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn", models / "clean.bpmn")
    # Selected by name, not by type: this must never reach the hooks.
    (models / "notes.txt").write_text("<not>bpmn", encoding="utf-8")
    # The hook reads the repository's config like the CLI does.
    (models / ".bpmn-cx.toml").write_text(
        'extends = []\n[rules]\nduplicate-id = "error"\ndangling-reference = "error"\n'
        'superfluous-gateway = "error"\n', encoding="utf-8")
    git("init", "-q", cwd=models)
    git("add", "-A", cwd=models)

    failing = try_repo(hook_repo, models, "broken.bpmn", "clean.bpmn", "notes.txt")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "bpmn-cx lint" in output and "bpmn-cx validate" in output
    assert output.count("Failed") == 2, output
    assert "broken.bpmn:6" in output and "parse-error" in output
    assert "notes.txt" not in output

    passing = try_repo(hook_repo, models, "clean.bpmn", "notes.txt")
    output = passing.stdout + passing.stderr
    assert passing.returncode == 0, output
    assert output.count("Passed") == 2, output
