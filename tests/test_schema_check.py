"""The XSD check on a worker thread gives the findings the inline check gives."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bpmn_cx.linter import schema_check
from bpmn_cx.linter.config import Config
from bpmn_cx.linter.engine import lint_file
from bpmn_cx.synthetic import synthetic_model
from helpers.bpmn_text import ENTITY_DOC

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FIXTURE = ROOT / "rules" / "schema-invalid" / "invalid-unprefixed-attribute-and-bad-boolean.bpmn"
ONLY_SCHEMA = Config.from_dict({"extends": [], "rules": {"schema-invalid": "warn", "parse-error": "error"}})


@pytest.fixture
def threaded(monkeypatch):
    """Every file is checked on the worker, however small; the CPU count does not matter."""
    monkeypatch.setattr(schema_check, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(schema_check, "_cpus", lambda: 2)
    started = []
    original = schema_check.Background.__init__

    def counting(self, *args, **kwargs):
        started.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(schema_check.Background, "__init__", counting)
    return started


def inline(path: Path, config: Config) -> list:
    original = schema_check.PARALLEL_BYTES
    schema_check.PARALLEL_BYTES = 1 << 62
    try:
        return lint_file(str(path), config)
    finally:
        schema_check.PARALLEL_BYTES = original


def test_errors_elements_lines_and_columns_match_the_inline_check(threaded) -> None:
    expected = inline(SCHEMA_FIXTURE, Config.preset("all"))
    assert not threaded
    found = lint_file(str(SCHEMA_FIXTURE), Config.preset("all"))
    assert threaded, "the worker did not run"
    assert found == expected
    assert {f.element for f in found if f.rule == "schema-invalid"} == {"Task_Pack", "Task_Ship"}


def test_lines_past_65535_match(threaded, tmp_path: Path) -> None:
    data = synthetic_model(9000, lanes=2, di=True)
    assert data.count(b"\n") > 70_000
    # An attribute the schema does not allow, on the last shape: far past line 65535.
    tag = b"<bpmndi:BPMNShape "
    last = data.rindex(tag)
    path = tmp_path / "big.bpmn"
    path.write_bytes(data[:last] + tag + b'flavour="x" ' + data[last + len(tag):])
    expected = inline(path, ONLY_SCHEMA)
    found = lint_file(str(path), ONLY_SCHEMA)
    assert threaded and found == expected
    (finding,) = found
    assert finding.line == data[:last].count(b"\n") + 1 > 65_535
    assert finding.element == "endEvent_9001_di" and "flavour" in finding.message


def test_a_tree_libxml2_refuses_is_reported_alike(threaded, tmp_path: Path) -> None:
    path = tmp_path / "entities.bpmn"
    path.write_text(ENTITY_DOC, encoding="utf-8")
    expected = inline(path, ONLY_SCHEMA)
    assert lint_file(str(path), ONLY_SCHEMA) == expected and threaded
    (finding,) = expected
    assert "entity references" in finding.message and finding.element == "P"


def test_bytes_are_checked_on_the_worker_too(threaded) -> None:
    from bpmn_cx import lint

    expected = inline(SCHEMA_FIXTURE, ONLY_SCHEMA)
    found = lint(SCHEMA_FIXTURE.read_bytes(), ONLY_SCHEMA)
    assert threaded and [(f.rule, f.element, f.line, f.message) for f in found] == [
        (f.rule, f.element, f.line, f.message) for f in expected]


def test_a_file_that_does_not_parse_leaves_no_thread_behind(threaded, tmp_path: Path) -> None:
    path = tmp_path / "broken.bpmn"
    path.write_bytes(b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process>')
    before = threading.active_count()
    (finding,) = lint_file(str(path), ONLY_SCHEMA)
    assert threaded and finding.rule == "parse-error"
    assert threading.active_count() == before


def test_a_failing_worker_falls_back_to_the_inline_check(threaded, monkeypatch) -> None:
    from bpmn_cx import loader

    original = loader._parse

    def parse(*args, **kwargs):
        if threading.current_thread().name == "bpmn-cx-xsd":
            raise MemoryError("no room for a second tree")
        return original(*args, **kwargs)

    monkeypatch.setattr(loader, "_parse", parse)
    expected = inline(SCHEMA_FIXTURE, ONLY_SCHEMA)
    assert expected and lint_file(str(SCHEMA_FIXTURE), ONLY_SCHEMA) == expected and threaded


def test_small_files_and_single_cpus_stay_on_one_thread(monkeypatch) -> None:
    monkeypatch.setattr(schema_check, "_cpus", lambda: 2)
    assert schema_check.start(b"<x/>" * 10, None) is None  # below PARALLEL_BYTES
    monkeypatch.setattr(schema_check, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(schema_check, "_cpus", lambda: 1)
    assert schema_check.start(b"<x/>" * 10, None) is None


def test_the_corpus_gets_the_same_schema_findings_either_way(threaded, corpus_dir: Path) -> None:
    checked = 0
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix not in (".bpmn", ".bpmn2", ".xml") or not path.is_file() or "negatives" in path.parts:
            continue
        assert lint_file(str(path), ONLY_SCHEMA) == inline(path, ONLY_SCHEMA), path
        checked += 1
    assert checked > 100 and len(threaded) >= checked
