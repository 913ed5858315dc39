"""Loss-free export: write a :class:`~bpmn_cx.model.Model` back to BPMN XML.

The lxml tree is the source of truth, so every vendor extension, DI detail,
documentation, comment and namespace declaration it holds is written back.
On top of that the writer keeps the *formatting* of the input wherever the
content did not change:

* a model that was loaded and not changed is written byte for byte as it was
  read (XML declaration, DOCTYPE, BOM, CRLF, quoting, attribute layout, ``/>``
  style, character references, trailing newline);
* after edits, unchanged markup keeps its original bytes and only the changed
  and new elements are written fresh (in the file's own ``/>`` and line-ending
  style), so a version-control diff shows the edit and nothing else.

How: the current tree is serialised by lxml (fast, and always the truth). Its
tokens (tags, text, comments, ...) are aligned with the tokens of the original
text; an original token is reused only when it is *equivalent* to the current
one (same name, namespace declarations, attributes and character data after
XML normalisation), so stale bytes can never leak into the output, whatever
was changed in the tree and by whom. Unchanged documents skip the alignment:
one string comparison proves that the lxml output equals the input up to the
file's ``/>`` and CRLF style.

The output keeps the input encoding (``model.encoding``; set it to ``"UTF-8"``
to convert a file). Input that was not valid in its declared encoding (read
as windows-1252 by the loader) is written as UTF-8, and so is a document
whose encoding Python cannot write; the XML declaration always names the
encoding actually used.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .model import Model

__all__ = ["WriteError", "declared_encoding", "dump", "dumps", "write_atomic"]

#: Above this many characters the token alignment is skipped for *changed*
#: documents: their output is lxml's serialisation in the file's ``/>`` and
#: line-ending style (still equivalent, and byte-identical for files written
#: in that style). Unchanged documents are byte-identical at any size.
EXACT_LIMIT = 2_000_000


class WriteError(OSError):
    """A file could not be written; ``path`` says which, the message why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    @property
    def reason(self) -> str:
        """Why, without the "cannot write" that callers put in their own words."""
        return self.message.removeprefix("cannot write: ")


# -- public API ------------------------------------------------------------


def dumps(model: Model, *, exact: bool | None = None) -> bytes:
    """The document as bytes, in the input's encoding (see the module docs).

    ``exact`` controls the token alignment for changed documents: ``None``
    (default) aligns documents up to :data:`EXACT_LIMIT` characters, ``True``
    always, ``False`` never.
    """
    return _Writer(model, exact).write()


def dump(model: Model, path: str | os.PathLike[str], *, exact: bool | None = None) -> None:
    """Write the document to ``path`` atomically (see :func:`write_atomic`)."""
    write_atomic(path, dumps(model, exact=exact))


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` without ever leaving a half-written file.

    The bytes go to a temporary file in the target directory, are flushed to
    disk, and replace the target in one ``os.replace``. An existing target
    keeps its permission bits; a symbolic link keeps pointing to the (new)
    file; a read-only file is refused. On any failure the target is
    untouched, the temporary file is removed and :class:`WriteError` says
    what went wrong.
    """
    shown = os.fspath(path)
    # Through a symbolic link: replace the file it points to, keep the link.
    target = os.path.realpath(shown)
    folder = os.path.dirname(target)
    if os.path.isdir(target):
        raise WriteError(shown, "is a directory")
    if not os.path.isdir(folder):
        raise WriteError(shown, f"the folder {os.path.dirname(os.path.abspath(shown))} does not exist")
    if os.path.exists(target) and not os.access(target, os.W_OK):
        raise WriteError(shown, "cannot write: the file is read-only")
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise WriteError(shown, f"cannot write: {exc.strerror or exc}") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
        )
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise WriteError(shown, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def declared_encoding(data: bytes) -> str:
    """The Python codec for XML bytes: from the BOM, else the declaration, else UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _DECL_ENCODING.search(data[:200].decode("ascii", errors="replace").split("?>", 1)[0])
    if m is not None:
        declared = m.group(0).split("=", 1)[1].strip()[1:-1]
        return _python_codec(declared) or "utf-8"
    return "utf-8"


# -- tokens ------------------------------------------------------------------

# One markup token: comment, CDATA section, processing instruction, end tag,
# or start/empty tag (attribute values may contain '>', never '<').
_MARKUP = re.compile(
    r"""(<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</[^>]*>|<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)""",
    re.S,
)
# Only tags: three times faster, and enough for text without comments, CDATA,
# processing instructions or '>' inside attribute values (_RISKY finds those,
# erring on the side of caution).
_SIMPLE_TAG = re.compile(r"(<[^>]*>)")
_RISKY = re.compile(r"""<[!?]|=\s*(?:"[^"<]*>|'[^'<]*>)""")
_PROLOG = re.compile(
    r"""\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*'|\[(?:[^\]"']|"[^"]*"|'[^']*')*\])*>""",
    re.S,
)
_EPILOG = re.compile(r"""\s+|<\?.*?\?>|<!--.*?-->""", re.S)
_TAG_NAME = re.compile(r"</?([^\s/>]+)")
_ATTR = re.compile(r"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_END = re.compile(r"\s*/?>")
_REF = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][\w.:-]*);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_DECL = re.compile(r"<\?xml\s.*?\?>", re.S)
_DECL_ENCODING = re.compile(r"""(\sencoding\s*=\s*)(["'])[^"']*(["'])""")


def _ref(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] == "#":
        try:
            return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
        except (ValueError, OverflowError):
            return f"\x00{name}\x00"
    # Entities other than the predefined five stay references in the tree: a
    # marker that can never equal real character data.
    return _PREDEFINED.get(name) or f"\x00{name}\x00"


def _text_value(raw: str) -> str:
    """Character data of raw text, after XML line-end normalisation."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _REF.sub(_ref, raw) if "&" in raw else raw


def _attr_value(raw: str) -> str:
    """An attribute value after XML attribute-value normalisation (CDATA type)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", " ").replace("\r", " ")
    if "\n" in raw or "\t" in raw:
        raw = raw.replace("\n", " ").replace("\t", " ")
    return _REF.sub(_ref, raw) if "&" in raw else raw


def _tag_key(raw: str, empty: bool) -> tuple[Any, ...]:
    """Name, namespace declarations and attributes of a start tag, as values."""
    m = _TAG_NAME.match(raw)
    if m is None:
        return ("?", raw)
    pos = m.end()
    decls: list[tuple[str, str]] = []
    attrs: list[tuple[str, str]] = []
    end = len(raw)
    while True:
        a = _ATTR.match(raw, pos)
        if a is None:
            break
        name = a.group(1)
        value = _attr_value(a.group(2) if a.group(2) is not None else a.group(3))
        if name == "xmlns" or name.startswith("xmlns:"):
            decls.append((name, value))
        else:
            attrs.append((name, value))
        pos = a.end()
    tail = _TAG_END.match(raw, pos)
    if tail is None or tail.end() != end:
        return ("?", raw)  # not a tag we understand: reused only if identical
    return ("<", m.group(1), tuple(decls), tuple(attrs), empty or raw.endswith("/>"))


def _key(raw: str) -> tuple[Any, ...]:
    if raw[0] != "<":
        return ("t", _text_value(raw))
    second = raw[1:2]
    if second == "/":
        m = _TAG_NAME.match(raw)
        return ("/", m.group(1) if m else raw)
    if second == "!":
        if raw.startswith("<!--"):
            return ("!", raw.replace("\r\n", "\n").replace("\r", "\n"))
        return ("c", raw[9:-3].replace("\r\n", "\n").replace("\r", "\n"))
    if second == "?":
        return ("?", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return _tag_key(raw, False)


def _tokens(text: str, *, lxml: bool = False) -> list[str]:
    """Markup and text tokens; ``<a ...></a>`` is one token (it equals ``<a .../>``).

    ``lxml``: the text is lxml's output, which escapes ``>`` in attribute
    values, so only comments, CDATA and PIs need the full tokenizer.
    """
    if lxml:
        simple = "<!" not in text and "<?" not in text
    else:
        simple = _RISKY.search(text) is None
    pattern = _SIMPLE_TAG if simple else _MARKUP
    tokens = [p for p in pattern.split(text) if p]
    if "></" not in text:
        return tokens
    out: list[str] = []
    append = out.append
    for token in tokens:
        if token[:2] == "</" and out:
            last = out[-1]
            if last[0] == "<" and last[1] not in "/!?" and last[-2:] != "/>":
                start, end = _TAG_NAME.match(last), _TAG_NAME.match(token)
                if start and end and start.group(1) == end.group(1) and "</" not in last:
                    out[-1] = last + token
                    continue
        append(token)
    return out


def _token_key(raw: str) -> tuple[Any, ...]:
    if raw[0] == "<" and raw[1:2] not in ("/", "!", "?") and raw.endswith(">") and not raw.endswith("/>"):
        # a merged <a ...></a> pair?
        close = raw.rfind("</")
        if close > 0 and raw[close - 1] == ">":
            head = raw[:close]
            m = _MARKUP.fullmatch(head)
            if m is not None:
                return _tag_key(head, True)
    return _key(raw)


# -- alignment -------------------------------------------------------------------


def _common_prefix(a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int) -> int:
    limit = min(ahi - alo, bhi - blo)
    n = 0
    step = 32
    while n < limit:
        k = min(step, limit - n)
        if a[alo + n : alo + n + k] == b[blo + n : blo + n + k]:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = max(1, k // 2)
    return n


def _common_suffix(a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int) -> int:
    limit = min(ahi - alo, bhi - blo)
    n = 0
    step = 32
    while n < limit:
        k = min(step, limit - n)
        if a[ahi - n - k : ahi - n] == b[bhi - n - k : bhi - n]:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = max(1, k // 2)
    return n


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first)."""
    tails: list[int] = []  # smallest j ending a chain of each length
    tail_index: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
        back[k] = tail_index[pos - 1] if pos else -1
    out = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    out.reverse()
    return out


def _lcs(a: list[int], alo: int, ahi: int, b: list[int], blo: int, bhi: int) -> list[tuple[int, int]]:
    """Exact longest common subsequence of two small ranges (dynamic programming)."""
    n, m = ahi - alo, bhi - blo
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = table[i], table[i + 1]
        ai = a[alo + i]
        for j in range(m - 1, -1, -1):
            if ai == b[blo + j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = below[j] if below[j] >= row[j + 1] else row[j + 1]
    out = []
    i = j = 0
    while i < n and j < m:
        if a[alo + i] == b[blo + j]:
            out.append((alo + i, blo + j))
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _align(a: list[int], b: list[int]) -> list[tuple[int, int, int]]:
    """Matching runs ``(i, j, length)`` of two sequences, in order on both sides.

    A patience diff with exact small gaps: common prefixes and suffixes match,
    then elements unique in both ranges serve as anchors (their longest
    increasing chain), and the ranges between anchors are aligned the same
    way. No recursion: an explicit stack. Runs, not pairs: an unchanged
    stretch of 100,000 tokens is one tuple.
    """
    blocks: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        n = _common_prefix(a, alo, ahi, b, blo, bhi)
        if n:
            blocks.append((alo, blo, n))
            alo += n
            blo += n
        n = _common_suffix(a, alo, ahi, b, blo, bhi)
        if n:
            blocks.append((ahi - n, bhi - n, n))
            ahi -= n
            bhi -= n
        if alo >= ahi or blo >= bhi:
            continue
        count_a = Counter(a[alo:ahi])
        count_b = Counter(b[blo:bhi])
        where_b = {}
        for j in range(blo, bhi):
            v = b[j]
            if count_b[v] == 1 and count_a.get(v) == 1:
                where_b[v] = j
        if where_b:
            candidates = [(i, where_b[a[i]]) for i in range(alo, ahi) if a[i] in where_b]
            anchors = _lis(candidates)
            pi, pj = alo, blo
            for i, j in anchors:
                blocks.append((i, j, 1))
                if i > pi and j > pj:
                    stack.append((pi, i, pj, j))
                pi, pj = i + 1, j + 1
            if ahi > pi and bhi > pj:
                stack.append((pi, ahi, pj, bhi))
        elif (ahi - alo) * (bhi - blo) <= 40_000:
            blocks.extend((i, j, 1) for i, j in _lcs(a, alo, ahi, b, blo, bhi))
    blocks.sort()
    merged: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if merged:
            pi, pj, pn = merged[-1]
            if pi + pn == i and pj + pn == j:
                merged[-1] = (pi, pj, pn + n)
                continue
        merged.append((i, j, n))
    return merged


# -- the writer ------------------------------------------------------------------


@dataclass
class _Source:
    text: str  # the decoded input, without BOM
    bom: bool
    encoding: str  # the encoding to write
    prolog_end: int  # where the root element starts
    epilog_start: int  # where the root element ends
    verbatim: bool  # the input's bytes are valid output as they are


def _python_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _split_prolog(text: str) -> int | None:
    pos = 0
    n = len(text)
    while pos < n:
        if text.startswith("<", pos) and pos + 1 < n and text[pos + 1] not in "!?":
            return pos
        m = _PROLOG.match(text, pos)
        if m is None or m.end() == pos:
            return None
        pos = m.end()
    return None


def _split_epilog(text: str, start: int) -> int | None:
    """Where the root element's markup ends (start of the epilog)."""
    name = _TAG_NAME.match(text, start)
    if name is None:
        return None
    qname = name.group(1)
    closing = text.rfind("</" + qname)
    if closing > start:
        end = text.find(">", closing)
        if end < 0:
            return None
        end += 1
    else:
        m = _MARKUP.match(text, start)  # an empty root <definitions .../>
        if m is None or not m.group(0).endswith("/>"):
            return None
        end = m.end()
    pos = end
    while pos < len(text):
        m = _EPILOG.match(text, pos)
        if m is None or m.end() == pos:
            return None
        pos = m.end()
    return end


class _Writer:
    def __init__(self, model: Model, exact: bool | None) -> None:
        self.model = model
        self.exact = exact
        self.tree = model.tree
        self.root = model.root

    # -- source ---------------------------------------------------------------
    def source(self) -> _Source | None:
        model = self.model
        data = getattr(model, "source", None)
        if not data:
            return None
        bom = False
        verbatim = True
        if any(d.code == "encoding-mismatch" for d in model.diagnostics):
            # The loader read undeclared-UTF-8 bytes as windows-1252: so do we,
            # and write UTF-8, which the declaration (or its absence) promises.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            encoding = "UTF-8"
            verbatim = False
        else:
            # Read as the parser did; write in model.encoding, which a caller
            # may have changed (e.g. to "UTF-8") to convert the file.
            read_as = self.tree.docinfo.encoding or "UTF-8"
            encoding = model.encoding or read_as
            codec = _python_codec(read_as)
            if codec is None:
                return None
            if _python_codec(encoding) is None:
                encoding = "UTF-8"
            if _python_codec(encoding) != codec:
                verbatim = False
            if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
                bom = _python_codec(encoding) == "utf-8"
                data = data[3:]
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if text.startswith("\ufeff"):
                text = text[1:]
        start = _split_prolog(text)
        if start is None:
            return None
        end = _split_epilog(text, start)
        if end is None:
            return None
        # A str given to load() was encoded as UTF-8, whatever it declares.
        declared = _DECL.match(text)
        if declared is not None:
            verbatim = verbatim and _fix_declaration(declared.group(0), encoding) == declared.group(0)
        return _Source(text, bom, encoding, start, end, verbatim)

    # -- the parts -------------------------------------------------------------
    def write(self) -> bytes:
        src = self.source()
        body = etree.tostring(self.root, encoding="unicode", with_tail=False)
        if src is None:
            return self.fresh_document(body)
        text = src.text
        original = text[src.prolog_end : src.epilog_start]
        style = _Style(original)
        restyled = style.bulk(body)
        unchanged = restyled is not None and restyled == original
        if unchanged:
            out_body = original
        elif self.use_exact(len(original)):
            out_body = _splice(original, body, style)
        else:
            out_body = restyled if restyled is not None else style.crlf(body)
        raw_prolog, raw_epilog = text[: src.prolog_end], text[src.epilog_start :]
        prolog = self.prolog(raw_prolog, style, src.encoding)
        epilog = self.epilog(raw_epilog, style)
        data = self.model.source
        if unchanged and prolog == raw_prolog and epilog == raw_epilog and src.verbatim and data is not None:
            return data  # nothing changed: the input, byte for byte
        return self.encode(prolog + out_body + epilog, src.encoding, src.bom)

    def use_exact(self, size: int) -> bool:
        if self.exact is None:
            return size <= EXACT_LIMIT
        return self.exact

    def top_level(self, preceding: bool) -> list[str]:
        nodes = list(self.root.itersiblings(preceding=preceding))
        if preceding:
            nodes.reverse()
        return [etree.tostring(n, encoding="unicode", with_tail=False) for n in nodes]

    def doctype(self) -> str | None:
        docinfo = self.tree.docinfo
        if not docinfo.doctype and docinfo.internalDTD is None:
            return None
        full = etree.tostring(self.tree, encoding="unicode")
        m = re.match(r"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", full, re.S)
        return m.group(0) if m else None

    def has_doctype(self) -> bool:
        docinfo = self.tree.docinfo
        return bool(docinfo.doctype) or docinfo.internalDTD is not None

    def prolog(self, raw: str, style: _Style, encoding: str) -> str:
        # The DOCTYPE is kept as written while the tree has one: lxml cannot
        # always re-serialise an internal subset (parameter entities), and the
        # entities it declares may be referenced in the body.
        wanted = self.top_level(preceding=True)
        decl = _DECL.match(raw)
        found = []
        doctype = None
        pos = decl.end() if decl else 0
        while pos < len(raw):
            m = _PROLOG.match(raw, pos)
            if m is None or m.end() == pos:
                break
            token = m.group(0)
            if token.startswith("<!DOCTYPE"):
                doctype = token
            elif not token.isspace():
                found.append(token)
            pos = m.end()
        keep_doctype = doctype is not None and self.has_doctype()
        if (doctype is None or keep_doctype) and [_prolog_key(t) for t in found] == [
            _prolog_key(t) for t in wanted
        ]:
            out = raw
        else:
            head = decl.group(0) + style.newline if decl else ""
            if keep_doctype:
                head += doctype + style.newline
            elif self.has_doctype():
                head += (self.doctype() or "") + style.newline
            out = head + "".join(style.crlf(t) + style.newline for t in wanted)
        if decl is not None:
            return _fix_declaration(out, encoding)
        if _python_codec(encoding) not in ("utf-8", "utf-16"):
            return f'<?xml version="1.0" encoding="{encoding}"?>{style.newline}' + out
        return out

    def epilog(self, raw: str, style: _Style) -> str:
        current = self.top_level(preceding=False)
        found = [t for t in (m.group(0) for m in _EPILOG.finditer(raw)) if not t.isspace()]
        if [_prolog_key(t) for t in found] == [_prolog_key(t) for t in current]:
            return raw
        trailing = style.newline if raw.endswith(("\n", "\r")) or not raw else ""
        if not current:
            return trailing
        return "".join(style.newline + style.crlf(t) for t in current) + trailing

    def fresh_document(self, body: str) -> bytes:
        """No usable source text: lxml's serialisation with a standard declaration."""
        encoding = self.model.encoding or "UTF-8"
        if _python_codec(encoding) is None:
            encoding = "UTF-8"
        doctype = self.doctype()
        head = f'<?xml version="1.0" encoding="{encoding}"?>\n'
        if doctype:
            head += doctype + "\n"
        head += "".join(t + "\n" for t in self.top_level(preceding=True))
        tail = "".join("\n" + t for t in self.top_level(preceding=False))
        return self.encode(head + body + tail + "\n", encoding, False)

    def encode(self, text: str, encoding: str, bom: bool) -> bytes:
        codec = _python_codec(encoding) or "utf-8"
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            data = self.encode_with_references(text, codec)
        if bom and codec == "utf-8":
            data = codecs.BOM_UTF8 + data
        return data

    def encode_with_references(self, text: str, codec: str) -> bytes:
        """Characters the encoding lacks become character references where XML
        allows them (text and attribute values); anywhere else, write UTF-8."""
        for m in _MARKUP.finditer(text):
            token = m.group(0)
            if token[1] == "!" or token[1] == "?":
                checked = token
            else:
                checked = " ".join(_TAG_NAME.findall(token) + [a.group(1) for a in _ATTR.finditer(token)])
            try:
                checked.encode(codec)
            except UnicodeEncodeError:
                return _fix_declaration(text, "UTF-8").encode("utf-8")
        return text.encode(codec, errors="xmlcharrefreplace")


def _fix_declaration(text: str, encoding: str) -> str:
    """Make the XML declaration at the start of ``text`` (if any) name ``encoding``."""
    offset = 1 if text.startswith("\ufeff") else 0
    m = _DECL.match(text, offset)
    if m is None:
        return text
    decl = m.group(0)
    current = _DECL_ENCODING.search(decl)
    if current is None:
        if _python_codec(encoding) == "utf-8":
            return text  # UTF-8 is what a declaration without encoding means
        new = re.sub(
            r"""(version\s*=\s*(["'])[^"']*\2)""",
            lambda v: f'{v.group(1)} encoding="{encoding}"',
            decl,
            count=1,
        )
    else:
        declared = current.group(0).split("=", 1)[1].strip()[1:-1]
        if _python_codec(declared) == _python_codec(encoding):
            return text
        quote = current.group(2)
        new = decl[: current.start()] + f"{current.group(1)}{quote}{encoding}{quote}" + decl[current.end() :]
    return text[: m.start()] + new + text[m.end() :]


def _prolog_key(token: str) -> str:
    return " ".join(token.replace("\r\n", "\n").split())


class _Style:
    """The file's ``/>`` spelling and line ends, for markup written fresh.

    Read from the first 64k characters: enough to see a file's habits, and
    cheap for files of any size.
    """

    def __init__(self, original: str) -> None:
        sample = original[:65536]
        spaced = sample.count(" />")
        self.space_before_slash = spaced > sample.count("/>") - spaced
        crlf = sample.count("\r\n")
        self.crlf_lines = crlf > 0 and crlf == sample.count("\n")
        self.newline = "\r\n" if self.crlf_lines else "\n"

    def crlf(self, text: str) -> str:
        return text.replace("\n", "\r\n") if self.crlf_lines else text

    def bulk(self, body: str) -> str | None:
        """The lxml output in the file's style, when that is a pure string edit.

        Only when the output has no comments, CDATA or processing instructions:
        then every ``/>`` closes a tag (lxml escapes ``>`` in text and values).
        """
        if "<!" in body or "<?" in body:
            return None
        if self.space_before_slash:
            body = body.replace("/>", " />")
        return self.crlf(body)

    def fresh(self, token: str) -> str:
        """A token taken from lxml's output, in the file's style."""
        if token[0] == "<":
            second = token[1:2]
            if second not in ("/", "!", "?") and self.space_before_slash and token.endswith("/>"):
                if not token.endswith(" />"):
                    return token[:-2] + " />"
            if second in ("!", "?"):
                return self.crlf(token)
            return token
        return self.crlf(token)


def _escape_attr(value: str, quote: str) -> str:
    out = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return out.replace(quote, "&quot;" if quote == '"' else "&apos;")


def _patch_tag(old: str, new_key: tuple[Any, ...]) -> str | None:
    """The original tag ``old`` with the attribute values of ``new_key``.

    Keeps the original layout (attribute order, spacing, quotes) and changes
    only what changed; ``None`` when the name or namespace declarations differ.
    """
    old_key = _token_key(old)
    if old_key[0] != "<" or new_key[0] != "<":
        return None
    if old_key[1] != new_key[1] or old_key[2] != new_key[2] or old_key[4] != new_key[4]:
        return None
    merged_end = ""
    head = old
    if old_key[4] and not old.endswith("/>"):  # a merged <a></a> pair
        close = old.rfind("</")
        head, merged_end = old[:close], old[close:]
    new_attrs = dict(new_key[3])
    pieces = []
    pos = _TAG_NAME.match(head).end()
    pieces.append(head[:pos])
    seen = set()
    while True:
        a = _ATTR.match(head, pos)
        if a is None:
            break
        name = a.group(1)
        if name.startswith("xmlns") and (name == "xmlns" or name[5] == ":"):
            pieces.append(a.group(0))
        elif name in new_attrs:
            seen.add(name)
            quote = '"' if a.group(2) is not None else "'"
            raw = a.group(2) if a.group(2) is not None else a.group(3)
            if _attr_value(raw) == new_attrs[name]:
                pieces.append(a.group(0))
            else:
                value_start = a.start(2) if a.group(2) is not None else a.start(3)
                pieces.append(head[a.start() : value_start] + _escape_attr(new_attrs[name], quote) + quote)
        # an attribute that is gone: dropped with its leading space
        pos = a.end()
    for name, value in new_key[3]:
        if name not in seen:
            pieces.append(f' {name}="{_escape_attr(value, chr(34))}"')
    pieces.append(head[pos:])
    return "".join(pieces) + merged_end


def _same_tag(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Equal start tags up to attribute order (which XML does not give meaning)."""
    return (
        a[0] == b[0] == "<"
        and a[1] == b[1]
        and a[2] == b[2]
        and a[4] == b[4]
        and sorted(a[3]) == sorted(b[3])
    )


def _splice(original: str, body: str, style: _Style) -> str:
    """The current body, reusing every original token that is equivalent.

    ``body`` is lxml's serialisation of the current tree. Each of its tokens
    is written as the aligned original token when the two are equivalent, as
    the original tag with only the changed attribute values replaced when an
    element was changed, and as lxml wrote it (in the file's style) when new.
    """
    old = _tokens(original)
    # Tokens are numbered so that equal numbers mean equivalent tokens. Most
    # tokens occur byte-identical on both sides (after putting lxml's output
    # in the file's style) and are numbered by their text; only the others
    # need the costlier parse into a key.
    bulk = style.bulk(body)
    styled = _tokens(bulk, lxml=True) if bulk is not None else [style.fresh(t) for t in _tokens(body, lxml=True)]
    old_set = set(old)
    new_set = set(styled)
    numbers: dict[str, int] = dict(zip(old_set & new_set, range(len(old_set) + len(new_set))))
    by_key: dict[tuple[Any, ...], int] = {}
    keys: dict[int, tuple[Any, ...]] = {}
    counter = len(numbers)
    # Tokens only lxml wrote (new or changed markup, or the same in another
    # spelling) are parsed; an original token only when it might be one of
    # those in another spelling: removed elements cost no parsing.
    names: set[str] = set()
    for raw in new_set - old_set:
        key = _token_key(raw)
        number = by_key.get(key)
        if number is None:
            number = by_key[key] = counter
            counter += 1
            keys[number] = key
            if key[0] in ("<", "/"):
                names.add(key[1])
        numbers[raw] = number
    for raw in old_set - new_set:
        if raw[0] == "<" and raw[1] not in "!?":
            name = _TAG_NAME.match(raw)
            if name is None or name.group(1) not in names:
                numbers[raw] = counter  # matches nothing: no key needed
                counter += 1
                continue
        key = _token_key(raw)
        number = by_key.get(key)
        if number is None:
            number = counter
            counter += 1
            keys[number] = key
        numbers[raw] = number

    def key_of(number: int, raw: str) -> tuple[Any, ...]:
        key = keys.get(number)
        if key is None:
            key = keys[number] = _token_key(raw)
        return key

    a = list(map(numbers.__getitem__, old))
    b = list(map(numbers.__getitem__, styled))
    blocks = _align(a, b)
    out: list[str] = []
    prev_i = -1
    j = 0
    nb = len(styled)
    p = 0
    n_blocks = len(blocks)
    while j < nb:
        if p < n_blocks and blocks[p][1] == j:
            i0, _, length = blocks[p]
            out.extend(old[i0 : i0 + length])
            prev_i = i0 + length - 1
            j += length
            p += 1
            continue
        # A run of new tokens j..k-1 replacing the old tokens between prev_i
        # and next_i: changed start tags keep their original layout when an
        # original of the same element is among those (by id, else by name).
        k = blocks[p][1] if p < n_blocks else nb
        next_i = blocks[p][0] if p < n_blocks else len(old)
        by_id: dict[str, int] = {}
        tags: list[int] = []
        for t in range(prev_i + 1, next_i):
            key = key_of(a[t], old[t])
            if key[0] == "<":
                tags.append(t)
                ident = next((v for n, v in key[3] if n == "id"), None)
                if ident is not None:
                    by_id.setdefault(ident, t)
        used: set[int] = set()
        for jj in range(j, k):
            token = styled[jj]
            key = key_of(b[jj], styled[jj])
            written = None
            if key[0] == "<":
                ident = next((v for n, v in key[3] if n == "id"), None)
                t = by_id.get(ident) if ident is not None else None
                if t is None or t in used:
                    # no original with that id (new, or the id itself changed):
                    # the next unused original tag of the same name
                    t = next((c for c in tags if c not in used and key_of(a[c], old[c])[1] == key[1]), None)
                if t is not None and t not in used:
                    patched = _patch_tag(old[t], key)
                    if patched is not None and _same_tag(_token_key(patched), key):
                        written = patched
                        used.add(t)
            out.append(written if written is not None else token)
        j = k
    return "".join(out)
