"""Loss-free export: ``dumps(load(x))`` equals ``x``, byte for byte where possible.

Canonical equality is C14N 2.0 with whitespace-only text stripped (lxml), or,
for documents C14N cannot handle (unexpanded entity references), the same
facts compared node by node: names, attributes, namespaces, non-blank text.
"""

from __future__ import annotations

import codecs
import difflib
import os
import stat
from pathlib import Path

import pytest
from lxml import etree

import bpmn_cx
from bpmn_cx import edit
from bpmn_cx.loader import LoadError, load_string
from bpmn_cx.writer import WriteError, declared_encoding, dump, dumps, write_atomic

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "roundtrip"
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

#: Fixtures written back byte for byte (all but the one read in another encoding).
IDENTICAL = sorted(p.name for p in FIXTURES.glob("*.bpmn") if p.name != "windows-1252-declared-utf-8.bpmn")


def parse(data: bytes) -> etree._ElementTree:
    """Parsed like the loader parses (it also accepts namespace URIs with spaces)."""
    return bpmn_cx.load(data).tree


def canonical(tree: etree._ElementTree) -> object:
    try:
        return etree.tostring(tree, method="c14n2", strip_text=True)
    except Exception:  # noqa: BLE001 - entity references: the same facts, by hand
        def text(value: str | None) -> str | None:
            return None if value is None or not value.strip() else value

        out = []
        for node in tree.getroot().iter():
            tag = node.tag if isinstance(node.tag, str) else f"{type(node).__name__}:{node.text}"
            attrib = sorted(node.attrib.items()) if isinstance(node.tag, str) else []
            nsmap = sorted((k or "", v) for k, v in node.nsmap.items()) if isinstance(node.tag, str) else []
            depth = sum(1 for _ in node.iterancestors())
            out.append((depth, tag, attrib, nsmap, text(node.text), text(node.tail)))
        return out


def assert_canonically_equal(model: bpmn_cx.Model, out: bytes) -> None:
    assert canonical(parse(out)) == canonical(model.tree)


# -- own fixtures -------------------------------------------------------------------


def test_fixture_set_covers_the_quirks() -> None:
    names = {p.name for p in FIXTURES.glob("*.bpmn")}
    for wanted in ("prefixes", "default-namespace", "comments", "cdata", "vendor-extensions",
                   "iso-8859-1", "bom", "crlf"):
        assert f"{wanted}.bpmn" in names
    assert (FIXTURES / "bom.bpmn").read_bytes().startswith(codecs.BOM_UTF8)
    crlf = (FIXTURES / "crlf.bpmn").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 10
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "iso-8859-1.bpmn").read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.bpmn")))
def test_fixtures_are_valid_bpmn(name: str) -> None:
    model = bpmn_cx.load(FIXTURES / name)
    expected = ["encoding-mismatch"] if name == "windows-1252-declared-utf-8.bpmn" else []
    assert [d.code for d in model.diagnostics] == expected
    assert bpmn_cx.validate(FIXTURES / name).errors == []
    assert b"<!-- scenario: " in (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", IDENTICAL)
def test_unchanged_fixture_is_written_byte_for_byte(name: str) -> None:
    path = FIXTURES / name
    model = bpmn_cx.load(path)
    assert dumps(model) == path.read_bytes()


def test_example_is_written_byte_for_byte() -> None:
    assert dumps(bpmn_cx.load(EXAMPLE)) == EXAMPLE.read_bytes()


def test_byte_identity_does_not_depend_on_the_fast_path() -> None:
    # A change far away forces the token alignment for the whole document:
    # everything but the changed tag must still come out as written.
    for name in IDENTICAL:
        path = FIXTURES / name
        model = bpmn_cx.load(path)
        model.root.set("id", model.root.get("id") + "X")
        out = dumps(model)
        original = path.read_bytes()
        codec = declared_encoding(original)
        old_lines = original.decode(codec).lstrip("\ufeff").splitlines(True)
        new_lines = out.decode(codec).lstrip("\ufeff").splitlines(True)
        changed = [line for line in difflib.ndiff(old_lines, new_lines) if line[:1] in "+-"]
        assert len(changed) == 2, (name, changed)  # the id's line, before and after
        assert_canonically_equal(model, out)


def test_windows_1252_declared_utf8_is_written_as_real_utf8() -> None:
    path = FIXTURES / "windows-1252-declared-utf-8.bpmn"
    model = bpmn_cx.load(path)
    assert [d.code for d in model.diagnostics] == ["encoding-mismatch"]
    out = dumps(model)
    assert out != path.read_bytes()
    text = out.decode("utf-8")  # valid UTF-8 now
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Prüfen – „schnell“" in text
    again = bpmn_cx.load(out)
    assert again.diagnostics == []
    assert [n.name for n in again.flow_nodes] == [n.name for n in model.flow_nodes]
    assert_canonically_equal(model, out)


def test_iso_8859_1_keeps_its_encoding_and_references_what_it_lacks() -> None:
    path = FIXTURES / "iso-8859-1.bpmn"
    model = bpmn_cx.load(path)
    task = model.node("Task_1")
    edit.set_name(model, task, "Adresse → Straße")
    out = dumps(model)
    assert out.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert b"&#8594;" in out and "Straße".encode("iso-8859-1") in out
    assert bpmn_cx.load(out).node("Task_1").name == "Adresse → Straße"
    assert_canonically_equal(model, out)


def test_setting_model_encoding_converts_the_file() -> None:
    path = FIXTURES / "iso-8859-1.bpmn"
    model = bpmn_cx.load(path)
    model.encoding = "UTF-8"
    out = dumps(model)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert out.decode("utf-8") == path.read_bytes().decode("iso-8859-1").replace("ISO-8859-1", "UTF-8", 1)


def test_unencodable_comment_switches_the_file_to_utf8() -> None:
    # A character reference cannot stand in a comment: the file becomes UTF-8
    # and its declaration says so.
    model = bpmn_cx.load(FIXTURES / "iso-8859-1.bpmn")
    model.root.append(etree.Comment(" → "))
    out = dumps(model)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert " → ".encode() in out
    assert_canonically_equal(model, out)


def test_str_input_is_written_as_utf8_whatever_it_declares() -> None:
    text = (FIXTURES / "iso-8859-1.bpmn").read_bytes().decode("iso-8859-1")
    model = load_string(text)
    out = dumps(model)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert out.decode("utf-8").split("\n", 1)[1] == text.split("\n", 1)[1]


def test_bom_and_crlf_survive_edits() -> None:
    model = bpmn_cx.load(FIXTURES / "bom.bpmn")
    edit.add_node(model, model.processes[0], "task", name="Neu")
    out = dumps(model)
    assert out.startswith(codecs.BOM_UTF8)
    model = bpmn_cx.load(FIXTURES / "crlf.bpmn")
    edit.add_node(model, model.processes[0], "task", name="New", lane=model.lanes[0], bounds=(500, 75, 100, 80))
    out = dumps(model)
    assert out.count(b"\r\n") == out.count(b"\n")
    assert b'name="New"' in out


def test_doctype_and_entities_are_kept() -> None:
    path = FIXTURES / "doctype.bpmn"
    model = bpmn_cx.load(path)
    edit.add_node(model, model.processes[0], "task", name="New")
    out = dumps(model)
    assert b"<!ENTITY company" in out and b"&company;" in out
    assert_canonically_equal(model, out)


def test_without_source_bytes_the_tree_is_serialised_fresh() -> None:
    model = bpmn_cx.load(FIXTURES / "comments.bpmn")
    model.source = None
    out = dumps(model)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert b"<?xml-stylesheet" in out and b"<!-- written by hand -->" in out
    assert_canonically_equal(model, out)


def test_edits_change_only_their_lines_in_quirky_formatting() -> None:
    model = bpmn_cx.load(FIXTURES / "default-namespace.bpmn")
    edit.set_name(model, model.node("Task_2"), 'Answer "today"')
    out = dumps(model).decode()
    original = (FIXTURES / "default-namespace.bpmn").read_text()
    changed = [line for line in difflib.ndiff(original.splitlines(), out.splitlines()) if line[:1] in "+-"]
    assert changed == [
        '-     <task id="Task_2" name="Answer &quot;soon&quot;" />',
        '+     <task id="Task_2" name="Answer &quot;today&quot;" />',
    ]
    # the multi-line root tag, single quotes and <endEvent></endEvent> stay
    assert "             id='Definitions_Default'\n" in out
    assert '<endEvent id="End_1" name="Answered"></endEvent>' in out


def test_new_elements_follow_the_files_style() -> None:
    model = bpmn_cx.load(FIXTURES / "prefixes.bpmn")  # bpmn2:, "/>" without space
    node = edit.add_node(model, model.processes[0], "userTask", name="Added", bounds=(450, 78, 100, 80))
    out = dumps(model).decode()
    assert '<bpmn2:userTask id="Activity_1" name="Added"/>' in out
    assert '<omgdc:Bounds x="450" y="78" width="100" height="80"/>' in out
    assert node.xml.prefix == "bpmn2"
    model = bpmn_cx.load(FIXTURES / "default-namespace.bpmn")
    edit.add_node(model, model.processes[0], "task", name="Added")
    assert '\n    <task id="Activity_1" name="Added" />\n  </process>' in dumps(model).decode()


# -- safe writing -----------------------------------------------------------------------


def test_dump_writes_atomically_and_keeps_permissions(tmp_path: Path) -> None:
    model = bpmn_cx.load(EXAMPLE)
    target = tmp_path / "out.bpmn"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    dump(model, target)
    assert target.read_bytes() == EXAMPLE.read_bytes()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.bpmn"]  # no temporary file left


def test_failed_write_leaves_the_target_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.bpmn"
    target.write_bytes(b"precious")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteError) as info:
        write_atomic(target, b"new content")
    assert "No space left on device" in str(info.value)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bpmn"]


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.bpmn"
    real.write_bytes(b"old")
    link = tmp_path / "link.bpmn"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "frozen.bpmn"
    target.write_bytes(b"old")
    target.chmod(0o444)
    if os.access(target, os.W_OK):  # root writes anyway
        pytest.skip("running as root: read-only files are writable")
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"


def test_unwritable_targets_raise_write_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "x.bpmn", b"x")
    with pytest.raises(WriteError, match="is a directory"):
        write_atomic(tmp_path, b"x")


# -- the corpus ---------------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".bpmn", ".bpmn2", ".xml") and p.is_file())


def round_trip_corpus() -> dict[str, int]:
    """Round-trip every loadable corpus file; counts, failures raise AssertionError."""
    counts = {"files": 0, "byte_identical": 0, "canonical_only": 0, "unloadable": 0}
    for path in _corpus_files():
        try:
            model = bpmn_cx.load(path)
        except LoadError:
            counts["unloadable"] += 1
            continue
        counts["files"] += 1
        out = dumps(model)
        if out == path.read_bytes():
            counts["byte_identical"] += 1
            continue
        assert canonical(parse(out)) == canonical(bpmn_cx.load(path).tree), path
        counts["canonical_only"] += 1
    return counts


@pytest.mark.slow
def test_corpus_round_trips() -> None:
    if not _corpus_files():
        pytest.skip("the shared corpus is not there")
    counts = round_trip_corpus()
    print(
        f"\nround trip: {counts['files']} loadable files, {counts['byte_identical']} byte-identical, "
        f"{counts['canonical_only']} canonically equal only ({counts['unloadable']} not loadable, skipped)"
    )
    assert counts["files"] > 100
    assert counts["byte_identical"] + counts["canonical_only"] == counts["files"]


@pytest.mark.slow
def test_corpus_edits_keep_everything_else() -> None:
    # Rename the first named flow node of every file: the output must equal the
    # edited tree, and differ from the input only on that element's tag lines.
    files = _corpus_files()
    if not files:
        pytest.skip("the shared corpus is not there")
    checked = 0
    for path in files[::3]:  # every third file: the same variety, a third of the time
        try:
            model = bpmn_cx.load(path)
        except LoadError:
            continue
        node = next((n for n in model.flow_nodes if n.name and n.id), None)
        if node is None or any(d.code == "encoding-mismatch" for d in model.diagnostics):
            continue
        edit.set_name(model, node, node.name + " (renamed)")
        out = dumps(model)
        assert canonical(parse(out)) == canonical(model.tree), path
        original = path.read_bytes()
        codec = declared_encoding(original)
        old_lines = original.decode(codec).lstrip("\ufeff").splitlines()
        new_lines = out.decode(codec).lstrip("\ufeff").splitlines()
        removed = [
            line
            for line in difflib.unified_diff(old_lines, new_lines, n=0, lineterm="")
            if line.startswith("-") and not line.startswith("---")
        ]
        assert 1 <= len(removed) <= 3, (path, removed[:5])
        checked += 1
    assert checked > 50
