"""Every corpus file with a detectable customer pool or lane yields a valid view.

The corpus (real files from many modelers) lives beside the checkout in
``../shared/corpus``; the test skips when it is absent. Views must build
without errors, be XSD-valid when the input is, add no integrity problems
(dangling references, duplicate ids), and satisfy the view invariants.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.customer import CustomerError, customer_view
from bpmn_cx.files import collect_files
from bpmn_cx.validation import validate
from helpers import view_checks as checks

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_models():
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")
    for path in collect_files([str(CORPUS)]).files:
        try:
            yield path, bpmn_cx.load(path)
        except bpmn_cx.LoadError:
            continue


@pytest.mark.slow
def test_corpus_views_are_valid(capsys) -> None:
    counts = collections.Counter()
    failures: dict[str, list[str]] = {}
    for path, model in corpus_models():
        counts["files"] += 1
        try:
            views = [customer_view(model), customer_view(model, strict=True)]
        except CustomerError:
            continue
        counts["views"] += 1
        input_valid = validate(model).valid
        before = collections.Counter(d.code for d in model.diagnostics if d.code in checks.INTEGRITY_CODES)
        for view in views:
            data = view.to_bytes()
            out = bpmn_cx.load(data)
            kept = [n.id for n in view.plan.kept_nodes]
            problems = (
                checks.identity_problems(model, out, kept)
                + checks.reachability_problems(model, out, kept)
                + checks.pruned_problems(view, out)
                + checks.message_flow_problems(view, out)
                + checks.layout_problems(out)
            )
            after = collections.Counter(d.code for d in out.diagnostics if d.code in checks.INTEGRITY_CODES)
            if after - before:
                problems.append(f"new integrity problems: {dict(after - before)}")
            if input_valid:
                problems += [f"XSD: {e}" for e in validate(data).errors]
            if problems:
                failures[f"{path} (strict={view.plan.strict})"] = problems[:5]
    with capsys.disabled():
        print(f"\ncorpus: {counts['views']} of {counts['files']} readable files have a customer; "
              f"all their views checked")
    assert counts["views"] > 0
    assert failures == {}
