"""A shape that does not have the standard size of its element type.

What it does
------------
Compares the bounds of every shape in the diagram with the standard size of
its element type:

=========================  ==============
type                       standard size
=========================  ==============
tasks (all kinds)          100 x 80
call activities            100 x 80
collapsed sub-processes    100 x 80
gateways                   50 x 50
events                     36 x 36
data object references     36 x 50
data store references      50 x 50
empty pools                60 high
=========================  ==============

Expanded sub-processes, pools with a process and lanes follow their content
and are never checked. An empty (black-box) pool is only checked in its fixed
dimension: its height when it is horizontal (the default), its width when it
is vertical. Each standard size is an option named like the bpmnlint option,
e.g. ``"bpmn:Task": {"width": 120, "height": 80}``; leave out ``width`` or
``height`` to check one dimension only, or set ``{}`` to skip a type. The
extra option ``tolerance`` (not in bpmnlint) accepts sizes that differ by at
most that much, for modelers that round coordinates.

The finding points at the BPMN element, with the line of its shape (the size
to fix is there). An element drawn in several diagrams is checked once per
shape.

Why it matters
--------------
Readers recognise element types by their shape and size. A task twice as big
as its neighbours looks more important than it is, and a squashed event can
be mistaken for a task; layouts mixing sizes look unfinished.

Example
-------
A user task drawn 160 x 120 next to tasks of 100 x 80.

How to fix
----------
Reset the element to its default size in the modeler, or configure the sizes
your organisation uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..linter.api import Option, Problem, RuleContext
from ..model import (
    EVENT_KINDS,
    GATEWAY_KINDS,
    SUBPROCESS_KINDS,
    TASK_KINDS,
    Model,
    Participant,
    Shape,
    shape_bounds,
)

ID = "standard-size"
SEVERITY = "warning"


def _size(width: float, height: float, what: str) -> Option:
    return Option(dict, {"width": width, "height": height}, f"Standard size of {what}: width and height.")


OPTIONS: dict[str, Option] = {
    "bpmn:Task": _size(100, 80, "tasks"),
    "bpmn:CallActivity": _size(100, 80, "call activities"),
    "bpmn:SubProcess": _size(100, 80, "collapsed sub-processes"),
    "bpmn:Gateway": _size(50, 50, "gateways"),
    "bpmn:Event": _size(36, 36, "events"),
    "bpmn:DataObjectReference": _size(36, 50, "data object references"),
    "bpmn:DataStoreReference": _size(50, 50, "data store references"),
    "bpmn:Participant": _size(
        60, 60, "empty pools (only the height of horizontal, the width of vertical pools is checked)"
    ),
    "tolerance": Option(
        (int, float), 0, "Accept sizes that differ from the standard by at most this much.", minimum=0
    ),
}


def _option_type(kind: str) -> str | None:
    if kind in TASK_KINDS:
        return "bpmn:Task"
    if kind in GATEWAY_KINDS:
        return "bpmn:Gateway"
    if kind in EVENT_KINDS:
        return "bpmn:Event"
    if kind in SUBPROCESS_KINDS:
        return "bpmn:SubProcess"
    if kind == "callActivity":
        return "bpmn:CallActivity"
    if kind == "dataObjectReference":
        return "bpmn:DataObjectReference"
    if kind == "dataStoreReference":
        return "bpmn:DataStoreReference"
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _expected(shape: Shape, options: dict[str, Any]) -> tuple[float | None, float | None, str] | None:
    """(width, height, what) to check, ``None`` meaning "do not check"."""
    element = shape.element
    assert element is not None
    if isinstance(element, Participant):
        if element.process is not None:
            return None  # a pool with content follows its content
        size = options.get("bpmn:Participant")
        if not isinstance(size, dict):
            return None
        if shape.is_horizontal is not False:
            return None, _number(size.get("height")), "empty pool"
        return _number(size.get("width")), None, "empty pool"
    return _expected_of_kind(element.kind, shape, options)


def _expected_of_kind(
    kind: str, shape: Shape, options: dict[str, Any]
) -> tuple[float | None, float | None, str] | None:
    key = _option_type(kind)
    if key is None:
        return None
    if key == "bpmn:SubProcess":
        if shape.is_expanded:
            return None  # expanded: follows its content
        what = "collapsed sub-process"
    else:
        what = kind
    size = options.get(key)
    if not isinstance(size, dict):
        return None
    return _number(size.get("width")), _number(size.get("height")), what


def _fmt(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value == int(value) else str(value)


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    options = ctx.options
    tolerance = _number(options.get("tolerance")) or 0
    shapes = [shape for shape in model.shapes if shape.element is not None]
    # What to expect depends on the element's kind alone, except for pools
    # and sub-processes (their shape decides): worked out once per kind.
    by_kind: dict[str, tuple[float | None, float | None, str] | None] = {}
    for shape, bounds in zip(shapes, shape_bounds(shapes)):
        if bounds is None:
            continue
        element = shape.element
        kind = element.kind  # type: ignore[union-attr]
        if kind in SUBPROCESS_KINDS or isinstance(element, Participant):
            expected = _expected(shape, options)
        elif kind in by_kind:
            expected = by_kind[kind]
        else:
            expected = by_kind[kind] = _expected_of_kind(kind, shape, options)
        if expected is None:
            continue
        width, height, what = expected
        _, _, actual_width, actual_height = bounds
        # written so that NaN sizes count as wrong
        wrong_width = width is not None and not -tolerance <= actual_width - width <= tolerance
        wrong_height = height is not None and not -tolerance <= actual_height - height <= tolerance
        if not (wrong_width or wrong_height):
            continue
        name = element.label or element.id  # type: ignore[union-attr]
        if width is None:
            detail = f"is {_fmt(actual_height)} high; the standard height is {_fmt(height)}"  # type: ignore[arg-type]
        elif height is None:
            detail = f"is {_fmt(actual_width)} wide; the standard width is {_fmt(width)}"
        else:
            detail = (
                f"is {_fmt(actual_width)} x {_fmt(actual_height)}; the standard size is "
                f"{_fmt(width)} x {_fmt(height)}"
            )
        if what == "collapsed sub-process" and shape.is_expanded is None:
            detail += ' (its shape has no isExpanded="true", so it counts as collapsed)'
        yield Problem(f"{what} {name!r} {detail}", element, line=shape.line)
