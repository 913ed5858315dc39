"""The ``schema-invalid`` step: libxml2's XSD verdict on a file, as findings.

libxml2 validates without holding Python's GIL, so a big file is validated on
a second thread while the engine loads it and runs the rules: the check then
costs next to no time on the critical path, where on a 20k-task model it
would add a fifth to the run.

The worker parses its own copy of the bytes. It cannot check the tree the
model was built from: the validator records every ``xsd:ID`` in the string
dictionary of the tree it checks, and the main thread's trees share one
dictionary with everything else the main thread parses, reads and compiles
meanwhile. A tree parsed on the worker gets a dictionary of its own (lxml
keeps one per thread). Its copy is parsed without the whitespace between
elements: the errors are the same and the tree is smaller. Lines past 65535,
which libxml2 can only tell from that whitespace, are then worked out from
each error's node path in the model's tree (validation.error_lines()).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from .. import namespaces as ns

#: Files at least this big are validated on a worker thread (when the process
#: may run on more than one CPU); below it, a thread gains nothing measurable.
PARALLEL_BYTES = 1 << 20


@dataclass(frozen=True)
class Verdict:
    """What libxml2 said about one tree."""

    #: ``(line, column, message, node path)`` of each error, in libxml2's
    #: order; lines as libxml2 gives them (see validation.error_lines()).
    errors: tuple[tuple[int | None, int | None, str, str | None], ...] = ()
    #: libxml2 refused to validate the tree at all; ``errors`` holds why.
    refused: bool = False


def verdict_of(tree: Any) -> Verdict:
    """Validate a parsed tree against the BPMN 2.0 XSD."""
    from lxml import etree

    from ..validation import bpmn_schema, readable

    schema = bpmn_schema()
    try:
        if schema.validate(tree):
            return Verdict()
    except etree.XMLSchemaValidateError as exc:
        # Entity references kept from a DOCTYPE: libxml2 cannot validate the
        # tree. Say so once instead of crashing or passing silently.
        entries = list(schema.error_log)
        detail = readable(entries[0].message) if entries else str(exc)
        if "entity reference" in detail:
            detail = ("the file uses entity references (&name;) from a DOCTYPE, which XML Schema "
                      "validation does not support; replace them by their text")
        line = entries[0].line if entries and entries[0].line else None
        return Verdict(((line, None, f"cannot validate against the BPMN 2.0 XSD: {detail}", None),), refused=True)
    return Verdict(tuple((e.line or None, e.column or None, readable(e.message), e.path) for e in schema.error_log))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class Background:
    """The verdict on a file's bytes, worked out on a worker thread."""

    def __init__(self, data: bytes, path: str | None) -> None:
        from ..validation import bpmn_schema

        bpmn_schema()  # compiled here, once, never on two threads at a time
        self._verdict: Verdict | None = None
        #: The worker's tree, once parsed. Whoever holds the model should hold
        #: it too: freeing it on the worker would stop the main thread for as
        #: long (a tenth of a second at 20k tasks) while it holds the GIL.
        self.tree: Any = None
        self._thread = threading.Thread(target=self._work, args=(data, path), name="bpmn-cx-xsd", daemon=True)
        self._thread.start()

    def _work(self, data: bytes, path: str | None) -> None:
        from ..loader import _parse

        try:
            tree, _ = _parse(data, path, False, keep_blanks=False)
            self.tree = tree
            if ns.namespace_of(tree.getroot().tag) != ns.MODEL:
                return  # the engine does not validate such a file: nothing to say
            self._verdict = verdict_of(tree)
        except Exception:  # noqa: BLE001 - the engine then validates on its own thread
            self._verdict = None

    def verdict(self) -> Verdict | None:
        """Wait for the worker; ``None`` when it could not say (validate inline then)."""
        self._thread.join()
        return self._verdict


def start(data: bytes, path: str | None) -> Background | None:
    """A background check of a big file, or ``None`` when it would not pay."""
    if len(data) < PARALLEL_BYTES or _cpus() < 2:
        return None
    return Background(data, path)
