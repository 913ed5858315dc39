"""The command line's promises: version, help, exit codes, never a traceback."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx import cli
from bpmn_cx.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "load"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_version() -> None:
    assert run("--version") == (0, f"bpmn-cx {bpmn_cx.__version__}\n", "")


def test_help_lists_the_commands() -> None:
    code, out, err = run("--help")
    assert code == 0 and err == ""
    for command in cli.COMMANDS:
        assert command in out
    assert "Exit codes" in out


def test_no_arguments_prints_help_and_exits_2() -> None:
    code, out, err = run()
    assert code == 2 and out == ""
    assert err.startswith("usage: bpmn-cx") and "validate" in err


def test_unknown_command_exits_2() -> None:
    code, out, err = run("frobnicate")
    assert code == 2 and out == ""
    assert "invalid choice: 'frobnicate'" in err and "Traceback" not in err


def test_unknown_option_exits_2() -> None:
    code, _, err = run("validate", "--no-such-option", str(FIXTURES / "prefix-bpmn.bpmn"))
    assert code == 2 and "unrecognized arguments" in err


@pytest.mark.parametrize("name", ["binary.bpmn", "empty.bpmn", "not-xml.bpmn", "utf-16.bpmn", "xpdl.xpdl"])
def test_never_a_traceback_on_bad_files(name: str) -> None:
    code, out, err = run("validate", str(FIXTURES / name))
    assert code in (0, 1)
    assert "Traceback" not in out + err and "internal error" not in err


def test_an_internal_error_is_exit_3_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sys.modules["bpmn_cx.validation"], "validate", explode)
    code, out, err = run("validate", str(FIXTURES / "prefix-bpmn.bpmn"))
    assert code == 3
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err
    code, _, err = run("--debug", "validate", str(FIXTURES / "prefix-bpmn.bpmn"))
    assert code == 3 and "Traceback" in err  # asked for


def test_interrupt_is_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["bpmn_cx.validation"], "validate", interrupted)
    code, _, err = run("validate", str(FIXTURES / "prefix-bpmn.bpmn"))
    assert code == 130 and "interrupted" in err


def _in_fresh_interpreter(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


def test_python_dash_m(tmp_path: Path) -> None:
    done = _in_fresh_interpreter(sys.executable, "-m", "bpmn_cx", "--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == f"bpmn-cx {bpmn_cx.__version__}\n"
    done = _in_fresh_interpreter(sys.executable, "-m", "bpmn_cx", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("usage: bpmn-cx")
    done = _in_fresh_interpreter(sys.executable, "-m", "bpmn_cx", "validate", str(FIXTURES / "binary.bpmn"),
                                 cwd=tmp_path)
    assert done.returncode == 1 and "not XML" in done.stdout and "Traceback" not in done.stderr


def test_console_script(tmp_path: Path) -> None:
    script = shutil.which("bpmn-cx")
    if script is None:
        pytest.skip("bpmn-cx is not installed on PATH")
    done = _in_fresh_interpreter(script, "--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("bpmn-cx ")
    done = _in_fresh_interpreter(script, "validate", str(FIXTURES / "model-coverage.bpmn"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_quick_exit_loses_no_output(tmp_path: Path) -> None:
    # entry() ends the process without the interpreter's shutdown: every line
    # written to a pipe and to a file must still be there, with the exit code.
    from bpmn_cx.synthetic import synthetic_model

    models = []
    for index in range(3):
        path = tmp_path / f"m{index}.bpmn"
        path.write_bytes(synthetic_model(400, lanes=3, parallel_every=5, decision_every=4, di=True))
        models.append(str(path))
    in_process = io.StringIO()
    expected = main(["lint", "--preset", "all", "--format", "json", *models], stdout=in_process,
                    stderr=io.StringIO())
    done = _in_fresh_interpreter(sys.executable, "-m", "bpmn_cx", "lint", "--preset", "all", "--format", "json",
                                 *models, cwd=tmp_path)
    assert done.returncode == expected == 1
    assert json.loads(done.stdout) == json.loads(in_process.getvalue())
    report = tmp_path / "report.sarif"
    done = _in_fresh_interpreter(sys.executable, "-m", "bpmn_cx", "lint", "--preset", "all", "--format", "sarif",
                                 "--output", str(report), *models, cwd=tmp_path)
    assert done.returncode == 1 and json.loads(report.read_text(encoding="utf-8"))["runs"][0]["results"]
