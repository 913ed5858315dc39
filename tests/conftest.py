"""Fixtures shared by the test modules: where the test data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The shared corpus of real-world files beside the checkout (never copied into it).
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root folder."""
    return ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus; the test is skipped when it is not there."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared BPMN corpus is not there ({CORPUS})")
    return CORPUS
