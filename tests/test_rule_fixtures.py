"""Every rule fixture in ``rules/<rule-id>/``, run through the engine with only that rule.

``valid-*.bpmn`` must report nothing; ``invalid-*.bpmn`` must report exactly
the multiset of element ids in ``expected.toml`` (``""`` for a finding with
no element). Options and customer scopes come from the fixture's entry and
go through the same validation as a user's configuration. Every finding must
have a source line.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bpmn_cx.linter.config import Config
from bpmn_cx.linter.engine import lint
from bpmn_cx.linter.registry import REGISTRY

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
ENTRY_KEYS = {"elements", "options", "customer"}


def _expected(folder: Path) -> dict:
    path = folder / "expected.toml"
    if not path.is_file():
        return {}
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _cases():
    for folder in sorted(p for p in RULES_DIR.iterdir() if p.is_dir()):
        expected = _expected(folder)
        for path in sorted(folder.iterdir()):
            if path.suffix in (".bpmn", ".bpmn2") and path.name.startswith(("valid-", "invalid-")):
                yield pytest.param(folder.name, path, expected.get(path.name), id=f"{folder.name}/{path.name}")


CASES = list(_cases())


@pytest.mark.parametrize(("rule_id", "path", "entry"), CASES)
def test_fixture(rule_id: str, path: Path, entry: dict | None) -> None:
    assert rule_id in REGISTRY, f"rules/{rule_id}/ has fixtures but there is no rule {rule_id!r}"
    invalid = path.name.startswith("invalid-")
    if invalid:
        assert entry is not None, f"rules/{rule_id}/expected.toml has no entry for {path.name}"
    entry = entry or {}
    unknown = set(entry) - ENTRY_KEYS
    assert not unknown, f"unknown keys in the expected.toml entry for {path.name}: {sorted(unknown)}"
    if not invalid:
        assert not entry.get("elements"), f"{path.name} is a valid-* fixture but expects findings"
    table = {"extends": [], "rules": {rule_id: dict(entry.get("options", {}))}}
    if "customer" in entry:
        table["customer"] = entry["customer"]
    config = Config.from_dict(table, source=f"rules/{rule_id}/expected.toml").with_overrides(select=[rule_id])

    findings = lint(path, config)

    others = [f for f in findings if f.rule != rule_id]
    assert not others, "other findings (a crash or an unreadable fixture?):\n" + "\n".join(
        f"  {f.line}: {f.rule}: {f.message}" for f in others
    )
    missing_line = [f for f in findings if not f.line or f.line < 1]
    assert not missing_line, f"findings without a source line: {missing_line}"
    got = Counter(f.element or "" for f in findings)
    want = Counter(entry.get("elements", []))
    assert got == want, (
        f"{rule_id} on {path.name}: expected {sorted(want.elements())}, got {sorted(got.elements())}\n"
        + "\n".join(f"  line {f.line}: {f.element}: {f.message}" for f in findings)
    )


def test_expected_entries_name_existing_fixtures() -> None:
    stale = []
    for folder in sorted(p for p in RULES_DIR.iterdir() if p.is_dir()):
        for name in _expected(folder):
            if not (folder / name).is_file():
                stale.append(f"rules/{folder.name}/expected.toml: {name}")
    assert not stale, "entries for fixtures that do not exist:\n" + "\n".join(stale)


def test_fixtures_were_found() -> None:
    assert any(case.values[0] == "superfluous-gateway" for case in CASES)
