"""The shared corpus of real files: each one loads or is refused with a LoadError, nothing else.

Skipped when /work/shared/corpus is not beside the checkout. The counts are
printed (``pytest -s`` or the summary line) and recorded as test properties.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bpmn_cx import LoadError, load

KNOWN_CODES = {
    "duplicate-id", "dangling-reference", "missing-reference", "invalid-reference",
    "draft-namespace", "encoding-mismatch", "invalid-namespace-uri",
}


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".md")


def test_every_corpus_file_loads_or_is_refused(corpus_dir: Path, record_property, capsys) -> None:
    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for path in corpus_files(corpus_dir):
        if "negatives" in path.relative_to(corpus_dir).parts:
            continue
        lines = path.read_bytes().count(b"\n") + 1
        try:
            model = load(path)
        except LoadError as error:
            counts["refused"] += 1
            assert error.path == str(path) and error.message
            assert error.line is None or 1 <= error.line <= lines, (path, error.line)
            continue
        # anything but LoadError propagates and fails the test, naming the file
        counts["loaded"] += 1
        for diagnostic in model.diagnostics:
            codes[diagnostic.code] += 1
            assert diagnostic.code in KNOWN_CODES, (path, diagnostic)
            assert diagnostic.line is None or 1 <= diagnostic.line <= lines, (path, diagnostic)
        for flow in model.sequence_flows:
            assert flow.source is None or flow in flow.source.outgoing
    assert counts["loaded"] > 2000  # the corpus is mostly readable BPMN
    record_property("loaded", counts["loaded"])
    record_property("refused", counts["refused"])
    with capsys.disabled():
        print(f"\ncorpus: {counts['loaded']} loaded, {counts['refused']} refused; "
              f"diagnostics: {dict(sorted(codes.items()))}")


def test_every_negative_is_refused_saying_what_it_is(corpus_dir: Path, record_property, capsys) -> None:
    negatives = corpus_files(corpus_dir / "negatives")
    if not negatives:
        pytest.skip("the corpus has no negatives/ folder")
    kinds: Counter[str] = Counter()
    for path in negatives:
        with pytest.raises(LoadError) as info:
            load(path)
        message = info.value.message
        kind = next((k for k in ("XPDL", "DMN", "CMMN") if k in message), None)
        assert kind is not None, (path, message)
        assert "not BPMN" in message
        kinds[kind] += 1
    record_property("negatives_refused", len(negatives))
    with capsys.disabled():
        print(f"\nnegatives: {len(negatives)} refused ({dict(sorted(kinds.items()))})")
