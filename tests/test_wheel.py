"""The built wheel carries the XSDs and their NOTICE, and works without the checkout.

Builds a wheel from a copy of the build inputs (pip wheel, hatchling from the
package index), installs it into a fresh virtual environment that sees the
system's lxml & co. (``--system-site-packages``, plus the site-packages of the
environment running the tests, as a plain path so that an editable install of
the checkout there stays out) and validates files from a temporary folder.
Skipped when no build backend can be had offline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "load"
SCHEMAS = ("BPMN20.xsd", "Semantic.xsd", "BPMNDI.xsd", "DC.xsd", "DI.xsd")
#: pip's words when it cannot get the build backend (no network, no local index).
OFFLINE = ("No matching distribution found", "Could not find a version", "Failed to establish a new connection",
           "Network is unreachable", "Temporary failure in name resolution", "No module named pip")

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a clean copy of what the build needs."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "bpmn_cx", source / "bpmn_cx", ignore=ignore)
    shutil.copytree(ROOT / "schemas", source / "schemas", ignore=ignore)
    done = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", base / "dist", source, cwd=base)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(sign in output for sign in OFFLINE):
            pytest.skip(f"cannot build a wheel offline: {output.strip().splitlines()[-1]}")
        pytest.fail(f"pip wheel failed:\n{output[-3000:]}")
    [built] = (base / "dist").glob("bpmn_cx-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable)."""
    where = tmp_path_factory.mktemp("venv") / "env"
    done = _run(sys.executable, "-m", "venv", "--system-site-packages", where, cwd=where.parent)
    if done.returncode != 0:
        pytest.skip(f"cannot create a virtual environment: {done.stderr.strip()[-300:]}")
    python = where / "bin" / "python"
    # lxml & co. may live in the environment running the tests (a CI venv), not
    # in the system's: add its folders as plain paths. Their .pth files, such as
    # an editable install of this checkout, are not read that way.
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=where.parent)
    outer = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(site.stdout.strip()) / "outer-environment.pth").write_text("\n".join(outer) + "\n")
    done = _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", wheel,
                cwd=where.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return where


def test_wheel_contains_the_schemas_and_notice(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for schema in SCHEMAS:
            name = f"bpmn_cx/schemas/{schema}"
            assert name in names
            assert archive.read(name) == (ROOT / "schemas" / schema).read_bytes()  # unchanged
        assert archive.read("bpmn_cx/schemas/NOTICE") == (ROOT / "schemas" / "NOTICE").read_bytes()
        assert any(n.endswith(".dist-info/licenses/schemas/NOTICE") for n in names)
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
        assert "bpmn_cx/py.typed" in names
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "bpmn-cx = bpmn_cx.cli:entry" in archive.read(entry_points).decode()
        # nothing from the test tree or the corpus
        assert not any(n.startswith(("tests/", "fixtures/")) or "__pycache__" in n for n in names)


def test_installed_package_validates_without_the_checkout(venv: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(FIXTURES / "model-coverage.bpmn", work / "good.bpmn")
    shutil.copy(FIXTURES / "invalid-schema.bpmn", work / "bad.bpmn")
    python = venv / "bin" / "python"
    where = _run(python, "-c", "import bpmn_cx, bpmn_cx.validation as v; "
                 "print(bpmn_cx.__file__); print(v.schema_dir())", cwd=work)
    assert where.returncode == 0, where.stderr
    package_file, schema_dir = where.stdout.split()
    # the installed copy, with its own schemas: not the checkout
    assert Path(package_file).is_relative_to(venv) and not Path(package_file).is_relative_to(ROOT)
    assert Path(schema_dir).is_relative_to(venv) and Path(schema_dir).name == "schemas"
    script = venv / "bin" / "bpmn-cx"
    good = _run(script, "validate", "good.bpmn", cwd=work)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "1 valid, 0 invalid" in good.stdout
    bad = _run(script, "validate", "--format", "json", "bad.bpmn", cwd=work)
    assert bad.returncode == 1 and '"invalid": 1' in bad.stdout
    version = _run(python, "-m", "bpmn_cx", "--version", cwd=work)
    assert version.returncode == 0 and version.stdout.startswith("bpmn-cx ")
