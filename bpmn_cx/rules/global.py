"""Global messages, signals, errors and escalations that are unnamed, unused or ambiguous.

What it does
------------
Looks at the ``message``, ``signal``, ``error`` and ``escalation`` elements
at the top of the file (the root elements that events, tasks and message
flows refer to) and reports each one that

* has no name (a missing or blank ``name``);
* is used nowhere: no event definition of its type refers to it, and for
  messages no send task, receive task or message flow does either;
* shares its name with another global element of the same type.

Unlike bpmnlint 11, a missing ``name`` attribute counts as missing (bpmnlint
only reports a blank one, so ``<message id="M"/>`` passes there), and
unnamed elements are only reported as unnamed, not also as having a
duplicate name.

Why it matters
--------------
Engines match messages, signals and errors by their definition, and people
by their name. An unnamed definition cannot be talked about, an unused one
is leftover clutter that suggests a trigger that never fires, and two
definitions with the same name make it unclear which one an event catches.

Example
-------
Two ``<signal>`` elements both named *Order cancelled*, of which only one is
used by the throwing event.

How to fix
----------
Name every global element, delete the unused ones (or refer to them where
they were meant to be used), and merge or rename duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Element, Model

ID = "global"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}

_KINDS = ("message", "signal", "error", "escalation")
#: event definition kind -> (global element kind, reference attribute)
_DEFINITION_REFS = {f"{kind}EventDefinition": (kind, f"{kind}Ref") for kind in _KINDS}
_USED_BY = {
    "message": "event, send task, receive task or message flow",
    "signal": "signal event",
    "error": "error event",
    "escalation": "escalation event",
}


def _ref_id(value: str | None) -> str | None:
    """A reference as written, without a namespace prefix (``tns:Msg_1`` -> ``Msg_1``)."""
    if value is None:
        return None
    value = value.strip()
    return value.rpartition(":")[2] if value else None


def _references(model: Model) -> set[tuple[str, str]]:
    """(global kind, id) of every reference to a global element, in one pass."""
    used: set[tuple[str, str]] = set()
    for definition in model.event_definitions:
        target = _DEFINITION_REFS.get(definition.kind)
        if target is not None:
            ref = _ref_id(definition.xml.get(target[1]))
            if ref:
                used.add((target[0], ref))
    for node in model.flow_nodes:
        if node.kind in ("sendTask", "receiveTask"):
            ref = _ref_id(node.xml.get("messageRef"))
            if ref:
                used.add(("message", ref))
    for flow in model.message_flows:
        ref = _ref_id(flow.xml.get("messageRef"))
        if ref:
            used.add(("message", ref))
    return used


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    root = model.root
    elements: list[Element] = [
        e for e in model.root_elements if e.kind in _KINDS and e.xml.getparent() is root
    ]
    if not elements:
        return
    used = _references(model)
    named: dict[tuple[str, str], list[Element]] = {}
    for element in elements:
        if element.name is not None and element.name.strip():
            named.setdefault((element.kind, element.name), []).append(element)
    for element in elements:
        shown = element.label or element.id
        if not element.label:
            yield Problem(f"{element.kind} {element.id!r} has no name", element)
        if element.id is None or (element.kind, element.id) not in used:
            yield Problem(
                f"{element.kind} {shown!r} is not used by any {_USED_BY[element.kind]}", element
            )
        if element.label:
            same = named[(element.kind, element.name)]  # type: ignore[index]
            if len(same) > 1:
                others = len(same) - 1
                yield Problem(
                    f"{element.kind} {shown!r} ({element.id}) has the same name as {others} "
                    f"other {element.kind}{'s' if others > 1 else ''}: names of global "
                    f"{element.kind}s must be unique",
                    element,
                )
