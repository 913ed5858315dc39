"""Customer views import into bpmn-moddle (the parser of bpmn-js) with zero warnings.

bpmn-moddle is installed with npm into tests/helpers/.node/ on first use; the
tests skip when node or npm is not available.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.customer import CustomerError, customer_view
from bpmn_cx.files import collect_files
from bpmn_cx.synthetic import synthetic_model
from helpers.moddle import moddle_results, require_moddle

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ROOT / "fixtures" / "views"
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
CORPUS = ROOT.parent / "shared" / "corpus"


def _strip_position(warning: str) -> str:
    """bpmn-moddle warnings name a line and column, which move in a view ..."""
    warning = re.sub(r"\s*(line|column): \d+", "", warning)
    # ... and the prefix a view writes for an unknown element may differ.
    return re.sub(r"<[\w.-]+:", "<", warning)


def write_views(tmp_path: Path, sources: list[Path], strict: bool = False) -> list[Path]:
    out = []
    for source in sources:
        target = tmp_path / f"{source.stem}{'-strict' if strict else ''}.view.bpmn"
        target.write_bytes(customer_view(bpmn_cx.load(source), strict=strict).to_bytes())
        out.append(target)
    return out


def test_fixture_views_import_without_warnings(tmp_path: Path) -> None:
    require_moddle()
    sources = [*sorted(VIEWS.glob("*.bpmn")), EXAMPLE]
    files = write_views(tmp_path, sources) + write_views(tmp_path, sources, strict=True)
    synthetic = tmp_path / "synthetic.view.bpmn"
    synthetic.write_bytes(customer_view(bpmn_cx.load(
        synthetic_model(300, customer_lane=True, decision_every=7, parallel_every=11))).to_bytes())
    files.append(synthetic)
    results = moddle_results(files)
    assert len(results) == len(files)
    problems = {f: r for f, r in results.items() if r["warnings"] or r["error"]}
    assert problems == {}


def test_the_check_reports_broken_references(tmp_path: Path) -> None:
    """The oracle is not vacuous: a dangling reference is a bpmn-moddle warning."""
    require_moddle()
    data = customer_view(bpmn_cx.load(EXAMPLE)).to_bytes().replace(
        b'targetRef="Task_Approval"', b'targetRef="Task_Nowhere"')
    path = tmp_path / "broken.bpmn"
    path.write_bytes(data)
    (result,) = moddle_results([path]).values()
    assert any("Task_Nowhere" in w for w in result["warnings"])


def test_corpus_views_import_without_new_warnings(tmp_path: Path) -> None:
    """Views of corpus files warn no more than their inputs (vendor extensions
    unknown to bpmn-moddle warn in both)."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")
    require_moddle()
    pairs = []
    for index, path in enumerate(collect_files([str(CORPUS)]).files):
        try:
            view = customer_view(bpmn_cx.load(path))
        except (bpmn_cx.LoadError, CustomerError):
            continue
        target = tmp_path / f"{index}.view.bpmn"
        target.write_bytes(view.to_bytes())
        pairs.append((path, str(target)))
    if not pairs:
        pytest.skip("no corpus file has a customer pool or lane")
    results = moddle_results([p for pair in pairs for p in pair])
    worse = {}
    for source, target in pairs:
        before, after = results[source], results[target]
        assert after["error"] is None, (source, after["error"])
        new = {_strip_position(w) for w in after["warnings"]} - {
            _strip_position(w) for w in before["warnings"]}
        if new:
            worse[source] = sorted(new)
    assert worse == {}
