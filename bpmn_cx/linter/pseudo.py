"""Pseudo-rules: problems the engine reports itself, while reading a file.

They are configured like any rule (``"off"``, a severity, presets,
per-file ignores, suppressions) and documented the same way, but have no
``check``: the engine turns :class:`~bpmn_cx.loader.LoadError`, the loader's
diagnostics, XSD violations and crashed rules into findings with these ids.

How the loader's diagnostic codes map onto them:

==========================  =====================
loader diagnostic           rule id
==========================  =====================
``duplicate-id``            ``duplicate-id``
``dangling-reference``      ``dangling-reference``
``missing-reference``       ``dangling-reference`` (a reference with no id at all
                            points nowhere just the same; the message says which)
``invalid-reference``       ``invalid-reference``
``draft-namespace``         ``draft-namespace``
``encoding-mismatch``       ``encoding-mismatch``
``invalid-namespace-uri``   ``invalid-namespace-uri``
==========================  =====================
"""

from __future__ import annotations

from .docs import parse_docstring
from .registry import RuleInfo

#: Rules the engine keeps on even when a preset or ``--select`` leaves them
#: out: without them a file that cannot be checked would pass silently. They
#: can still be turned off explicitly ("off" or ``--ignore``).
ALWAYS_ON = ("parse-error", "rule-error")

#: Loader diagnostic code -> rule id.
DIAGNOSTIC_RULES = {
    "duplicate-id": "duplicate-id",
    "dangling-reference": "dangling-reference",
    "missing-reference": "dangling-reference",
    "invalid-reference": "invalid-reference",
    "draft-namespace": "draft-namespace",
    "encoding-mismatch": "encoding-mismatch",
    "invalid-namespace-uri": "invalid-namespace-uri",
}

_DOCS = {
    "parse-error": (
        "error",
        """The file cannot be read as a BPMN 2.0 document.

        What it does
        ------------
        Reports a file that is not XML, is not well-formed, is empty, cannot be
        decoded, or is another format (DMN, CMMN, XPDL, a BPMN fragment without
        ``<definitions>``). No other rule can run on such a file, so this is
        reported even when ``--select`` names other rules.

        Why it matters
        --------------
        A model nobody's tool can open is lost work: the modeler, the engine and
        every reviewer fail on it, usually far away from the edit that broke it.

        Example
        -------
        A merge conflict left ``<<<<<<< HEAD`` in the middle of the XML.

        How to fix
        ----------
        Open the line the finding names and repair the XML there (resolve the
        conflict, close the element, fix the encoding declaration), or export
        the model again from the modeler.
        """,
    ),
    "duplicate-id": (
        "error",
        """Two BPMN elements share one id.

        What it does
        ------------
        Reports every element whose ``id`` is already used by an earlier BPMN
        element (model or diagram) in the same file.

        Why it matters
        --------------
        Ids are how flows, lanes and diagram shapes find their elements. With a
        repeated id, references silently resolve to the wrong element, engines
        refuse to deploy, and modelers show or drop a random one.

        Example
        -------
        A task copied by hand in the XML keeps ``id="Task_1"`` of its original.

        How to fix
        ----------
        Give the later element a new unique id and update the references that
        were meant for it.
        """,
    ),
    "dangling-reference": (
        "error",
        """A reference to an element that does not exist, or a required reference that is missing.

        What it does
        ------------
        Reports sequence flows, message flows, lanes, boundary events,
        participants, data associations and diagram elements whose reference
        (``sourceRef``, ``targetRef``, ``flowNodeRef``, ``attachedToRef``,
        ``processRef``, ``bpmnElement``, ...) names an id that is in no element
        of the file, and flows that have no ``sourceRef`` or ``targetRef`` at
        all (the loader's ``missing-reference``, folded into this rule).

        Why it matters
        --------------
        The model says "this flow goes to X" and there is no X: the diagram
        shows a connection that the process does not have, or the other way
        round. Engines reject such files and modelers repair them by guessing.

        Example
        -------
        ``<bpmn:sequenceFlow id="Flow_3" sourceRef="Task_1" targetRef="Task_9"/>``
        after ``Task_9`` was deleted.

        How to fix
        ----------
        Point the reference at the element that was meant, or delete the
        element that refers to nothing (in a modeler: delete the flow and draw
        it again).
        """,
    ),
    "invalid-reference": (
        "error",
        """A reference to an element of the wrong kind.

        What it does
        ------------
        Reports references that name an existing element which cannot play the
        referenced role: a sequence flow ending on a lane or data object, a
        boundary event attached to a gateway, a participant whose
        ``processRef`` is not a process, a ``default`` that is not a sequence
        flow.

        Why it matters
        --------------
        The file is well-formed and the id exists, so the mistake survives
        until an engine or modeler fails to interpret it, usually by dropping
        the element.

        Example
        -------
        ``<bpmn:sequenceFlow sourceRef="Task_1" targetRef="Lane_2"/>``.

        How to fix
        ----------
        Point the reference at an element of the right kind (a flow node for
        sequence flows, an activity for boundary events, a process for pools).
        """,
    ),
    "schema-invalid": (
        "warning",
        """The file violates the OMG BPMN 2.0 XML Schema.

        What it does
        ------------
        Validates the file against the official BPMN 2.0 XSD (bundled, never
        downloaded) and reports each violation at its line, pinned to the
        nearest element with an id. Files in the pre-release BPMN namespace
        are not validated (``draft-namespace`` reports them instead).

        Why it matters
        --------------
        Many modelers write files that only they can read: misplaced elements,
        unknown attributes in the BPMN namespace, wrong value types. Other
        tools then lose parts of the model on import.

        Example
        -------
        ``<bpmn:task id="Task_1" priority="high"/>``: ``priority`` is not a
        BPMN attribute (vendor attributes belong in their own namespace).

        How to fix
        ----------
        Move vendor data into an extension namespace or ``extensionElements``,
        put elements in the order the schema requires, and fix value types.
        ``bpmn-cx validate FILE`` lists the violations on their own.
        """,
    ),
    "draft-namespace": (
        "warning",
        """The file uses the pre-release BPMN 2.0 namespace.

        What it does
        ------------
        Reports files whose ``<definitions>`` is in the draft namespace
        ``http://schema.omg.org/spec/BPMN/2.0`` instead of the final
        ``http://www.omg.org/spec/BPMN/20100524/MODEL``.

        Why it matters
        --------------
        Current tools do not recognise the draft namespace and read such files
        as empty or reject them; bpmn-cx reads them, but they cannot be checked
        against the schema.

        Example
        -------
        ``<definitions xmlns="http://schema.omg.org/spec/BPMN/2.0">`` written by
        an old modeler.

        How to fix
        ----------
        Replace the namespace URI with the final one (and the DI namespaces
        with the final DI ones), or export the model again from a current
        modeler.
        """,
    ),
    "encoding-mismatch": (
        "warning",
        """The file is not in the encoding it declares.

        What it does
        ------------
        Reports a file that declares (or defaults to) UTF-8 but contains bytes
        that are not UTF-8; bpmn-cx then reads it as Windows-1252, which is what
        such files almost always are.

        Why it matters
        --------------
        Names with accents or umlauts turn into garbage or make other tools
        refuse the file; the damage spreads with every save.

        Example
        -------
        ``<?xml version="1.0" encoding="UTF-8"?>`` followed by a task named
        "Prüfung" saved in Windows-1252.

        How to fix
        ----------
        Re-save the file as UTF-8 (or declare its real encoding).
        """,
    ),
    "invalid-namespace-uri": (
        "warning",
        """A namespace URI in the file is not a valid URI.

        What it does
        ------------
        Reports namespace declarations whose URI is not a valid URI (spaces,
        for example). The file is still read.

        Why it matters
        --------------
        Strict XML tools reject such files, and tools that match namespaces by
        URI may ignore the elements in them.

        Example
        -------
        ``xmlns:ext="http://example.com/my extensions"``.

        How to fix
        ----------
        Use a valid URI (replace spaces by ``%20`` or ``-``), in the
        declaration and wherever the tool that owns the namespace expects it.
        """,
    ),
    "rule-error": (
        "error",
        """A lint rule crashed on this file.

        What it does
        ------------
        When a rule raises an exception, the engine reports it as this finding
        (naming the rule and the error) and goes on with the other rules and
        files.

        Why it matters
        --------------
        A crashed rule checked nothing: the file may have the problems that rule
        looks for. The run fails so that this does not go unnoticed.

        Example
        -------
        ``rule no-implicit-split crashed: KeyError: 'Flow_1'``.

        How to fix
        ----------
        This is a bug in bpmn-cx (or in a plugin rule): please report it with
        the file. Until it is fixed, ignore that rule for the file with
        ``per-file-ignores``.
        """,
    ),
}


def _build() -> dict[str, RuleInfo]:
    return {
        rule_id: RuleInfo(
            id=rule_id,
            severity=severity,
            options={},
            doc=parse_docstring(doc),
            kind="load",
        )
        for rule_id, (severity, doc) in sorted(_DOCS.items())
    }


LOAD_RULES: dict[str, RuleInfo] = _build()
