"""Bad input and hostile input: a clear LoadError, never a crash, never a leak."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from lxml import etree

from bpmn_cx import LoadError, load, loader
from bpmn_cx.cli import main
from bpmn_cx.validation import validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "load"
ROOT = Path(__file__).resolve().parents[1]
SECRET = "TOP-SECRET-7f3a9c"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
DEFS = ('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
        'targetNamespace="http://bpmn-cx.example/x">')


def refused(source, **kwargs) -> LoadError:
    with pytest.raises(LoadError) as info:
        load(source, **kwargs)
    error = info.value
    assert error.message and str(error).endswith(error.message)
    return error


# -- not BPMN at all ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, words",
    [
        ("not-xml.bpmn", ["not XML", "does not start with '<'"]),
        ("binary.bpmn", ["not XML", "binary"]),
        ("empty.bpmn", ["empty"]),
        ("whitespace-only.bpmn", ["empty"]),
    ],
)
def test_not_xml(name: str, words: list[str]) -> None:
    path = FIXTURES / name
    error = refused(path)
    assert error.path == str(path)
    for word in words:
        assert word in error.message
    assert str(error).startswith(f"{path}")


def test_not_well_formed_names_the_line() -> None:
    path = FIXTURES / "not-well-formed.bpmn"
    error = refused(path)
    assert error.line == 7  # the scenario comment says so
    assert "</bpmn:userTask>" in path.read_text().splitlines()[error.line - 1]
    assert error.message.startswith("not well-formed XML:")
    assert "mismatch" in error.message
    assert str(error) == f"{path}:7: {error.message}"


@pytest.mark.parametrize(
    "name, what",
    [("xpdl.xpdl", "an XPDL 2.2 file"), ("dmn.dmn", "a DMN 1.3 file"), ("cmmn.cmmn", "a CMMN 1.1 file")],
)
def test_other_process_formats_say_what_they_are(name: str, what: str) -> None:
    error = refused(FIXTURES / name)
    assert what in error.message and "not BPMN 2.0" in error.message
    assert error.line == 3


@pytest.mark.parametrize(
    "uri, what",
    [
        ("https://www.omg.org/spec/DMN/20240513/MODEL/", "DMN"),
        ("http://www.omg.org/spec/CMMN/20990101/MODEL", "CMMN"),
        ("http://www.wfmc.org/2030/XPDL3.0", "XPDL"),
    ],
)
def test_unknown_versions_of_other_formats_are_recognised(uri: str, what: str) -> None:
    error = refused(f'{HEAD}<definitions xmlns="{uri}" id="X"/>'.encode())
    assert f"{what} file" in error.message and uri in error.message


@pytest.mark.parametrize(
    "name, words",
    [
        ("fragment-process.bpmn", ["BPMN fragment", "<process>", "<definitions>"]),
        ("fragment-shape.bpmn", ["diagram fragment", "<BPMNShape>"]),
        ("no-namespace.bpmn", ["no namespace", 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"']),
        ("other-xml.xml", ["not a BPMN 2.0 document", "project"]),
    ],
)
def test_fragments_and_other_xml(name: str, words: list[str]) -> None:
    error = refused(FIXTURES / name)
    for word in words:
        assert word in error.message
    assert error.line == 3


def test_a_schema_valid_fragment_is_not_a_document_for_validate_either() -> None:
    with pytest.raises(LoadError, match="fragment"):
        validate(FIXTURES / "fragment-process.bpmn")


# -- files that cannot be read ---------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    error = refused(tmp_path / "nope.bpmn")
    assert error.message == "no such file" and error.path == str(tmp_path / "nope.bpmn")


def test_directory(tmp_path: Path) -> None:
    error = refused(tmp_path)
    assert "directory" in error.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.bpmn"
    path.write_bytes((FIXTURES / "prefix-bpmn.bpmn").read_bytes())
    path.chmod(0)
    try:
        assert "permission denied" in refused(path).message
    finally:
        path.chmod(0o600)


def test_permission_denied_as_reported_by_the_os(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The same path for root, who may read any file: the OS's answer is simulated.
    def no_access(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader, "open", no_access, raising=False)
    error = refused(tmp_path / "locked.bpmn")
    assert "permission denied" in error.message


def test_unreadable_file_object() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, *args):  # noqa: ANN002
            raise OSError(5, "Input/output error")

    assert "cannot read" in refused(Broken()).message


def test_unknown_encoding_name() -> None:
    error = refused(f'<?xml version="1.0" encoding="x-no-such-charset"?>\n{DEFS}</bpmn:definitions>'.encode())
    assert "encoding" in error.message.lower()


# -- hostile input ----------------------------------------------------------------------


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def assert_no_secret(data: bytes, tmp_path: Path | None = None) -> None:
    """Load and validate the document, also with the CLI: the secret shows up nowhere."""
    try:
        model = load(data)
    except LoadError as error:
        assert SECRET not in str(error)
    else:
        everything = [etree.tostring(model.tree, encoding="unicode")]
        everything += [str(d) for d in model.diagnostics]
        for element in model.by_id.values():
            everything += [element.name or "", element.documentation]
        assert SECRET not in "\n".join(everything)
    try:
        result = validate(data)
    except LoadError as error:
        assert SECRET not in str(error)
    else:
        assert all(SECRET not in str(e) for e in result.errors)
    if tmp_path is not None:
        path = tmp_path / "hostile.bpmn"
        path.write_bytes(data)
        for argv in (["validate", str(path)], ["validate", "--format", "json", str(path)]):
            out, err = io.StringIO(), io.StringIO()
            code = main(argv, stdout=out, stderr=err)
            assert code in (0, 1) and SECRET not in out.getvalue() + err.getvalue()


def test_external_entity_is_never_read(secret_file: Path) -> None:
    data = f"""{HEAD}<!DOCTYPE bpmn:definitions [
  <!ENTITY xxe SYSTEM "{secret_file.as_uri()}">
]>
{DEFS}
  <bpmn:process id="P"><bpmn:documentation>&xxe;</bpmn:documentation>
    <bpmn:task id="T" name="task" />
  </bpmn:process>
</bpmn:definitions>""".encode()
    model = load(data)  # it loads: the reference stays a reference
    assert model.get("T").name == "task"
    assert_no_secret(data, secret_file.parent)


def test_external_entity_in_an_attribute_is_refused(secret_file: Path) -> None:
    data = f"""{HEAD}<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>
{DEFS}<bpmn:process id="P"><bpmn:task id="T" name="&xxe;" /></bpmn:process></bpmn:definitions>""".encode()
    error = refused(data)
    assert SECRET not in str(error)
    assert_no_secret(data, secret_file.parent)


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">\n<!ATTLIST bpmn:task name CDATA "{SECRET}">\n')
    data = f"""{HEAD}<!DOCTYPE bpmn:definitions SYSTEM "{dtd.as_uri()}">
{DEFS}<bpmn:process id="P"><bpmn:task id="T" /><bpmn:task id="U" name="x&leak;" /></bpmn:process></bpmn:definitions>
""".encode()
    assert_no_secret(data, tmp_path)
    without_use = data.replace(b"&leak;", b"")
    model = load(without_use)
    assert model.get("T").name is None  # no default attribute from the DTD


def test_parameter_entities_are_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "param.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">')
    data = f"""{HEAD}<!DOCTYPE bpmn:definitions [
  <!ENTITY % remote SYSTEM "{dtd.as_uri()}">
  %remote;
]>
{DEFS}<bpmn:process id="P"><bpmn:documentation>&leak;</bpmn:documentation></bpmn:process></bpmn:definitions>
""".encode()
    assert_no_secret(data, tmp_path)


def test_no_network_request_is_ever_made() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.5)
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    documents = [
        f'{HEAD}<!DOCTYPE bpmn:definitions SYSTEM "{url}/a.dtd">\n{DEFS}</bpmn:definitions>',
        f'{HEAD}<!DOCTYPE bpmn:definitions [<!ENTITY e SYSTEM "{url}/e">]>\n{DEFS}'
        "<bpmn:process id=\"P\"><bpmn:documentation>&e;</bpmn:documentation></bpmn:process></bpmn:definitions>",
        f'{HEAD}<!DOCTYPE bpmn:definitions [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>\n{DEFS}</bpmn:definitions>',
        f'{HEAD}{DEFS[:-1]} xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{url}/x.bpmn" /></bpmn:definitions>',
        f'{HEAD}{DEFS[:-1]} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="http://www.omg.org/spec/BPMN/20100524/MODEL {url}/BPMN20.xsd"></bpmn:definitions>',
    ]
    try:
        for document in documents:
            data = document.encode()
            for action in (load, validate):
                try:
                    action(data)
                except LoadError:
                    pass
        with pytest.raises(socket.timeout):
            connection, _ = server.accept()
            connection.close()
    finally:
        server.close()


_BOMB = f"""{HEAD}<!DOCTYPE bpmn:definitions [
  <!ENTITY lol0 "lol">
{{entities}}
]>
{DEFS}<bpmn:process id="P">{{use}}</bpmn:process></bpmn:definitions>
"""


def billion_laughs(where: str) -> bytes:
    entities = "\n".join(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    use = '<bpmn:task id="T" name="&lol9;" />' if where == "attribute" else \
        "<bpmn:documentation>&lol9;</bpmn:documentation>"
    return _BOMB.format(entities=entities, use=use).encode()


def quadratic_blowup(where: str) -> bytes:
    entities = f'  <!ENTITY big "{"x" * 50_000}">'
    refs = "&big;" * 50_000
    use = f'<bpmn:task id="T" name="{refs}" />' if where == "attribute" else \
        f"<bpmn:documentation>{refs}</bpmn:documentation>"
    return _BOMB.format(entities=entities, use=use).encode()


@pytest.mark.parametrize("where", ["attribute", "content"])
@pytest.mark.parametrize("bomb", [billion_laughs, quadratic_blowup])
def test_entity_bombs_fail_fast(bomb, where: str) -> None:
    data = bomb(where)
    start = time.perf_counter()
    error = refused(data)
    assert time.perf_counter() - start < 2.0
    assert "entity bomb" in error.message
    with pytest.raises(LoadError):
        validate(data)


@pytest.mark.parametrize("bomb", ["billion_laughs", "quadratic_blowup"])
def test_entity_bombs_use_bounded_memory(bomb: str, tmp_path: Path) -> None:
    # In a fresh process: this one's peak memory belongs to other tests.
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(Path(__file__).parent)!r})
        import bpmn_cx, test_load_errors as t
        data = t.{bomb}("content") + b""
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for where in ("content", "attribute"):
            try:
                bpmn_cx.load(t.{bomb}(where))
            except bpmn_cx.LoadError:
                pass
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    grown_kib = int(out.stdout.strip())
    assert grown_kib < 64 * 1024, f"peak memory grew by {grown_kib} KiB"
