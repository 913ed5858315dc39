"""Shapes that overlap each other or stick out of their pool or sub-process.

What it does
------------
Checks the diagram geometry, group by group:

* the pools (participants) of each collaboration against each other;
* the flow elements of each process, and of each sub-process, against their
  siblings in the same process or sub-process (a sub-process's content is
  never compared with the elements next to the sub-process);
* each flow element against its container: the pool that shows its process,
  or its expanded sub-process (``isExpanded="true"``). Data store references
  may lie outside, as modelers have long drawn them between pools.

Two shapes overlap when their rectangles intersect, touching edges included.
A boundary event overlapping its own host is fine (it sits on the host's
border), but it is reported when it overlaps anything else, other boundary
events of the same host included. Lanes, labels, text annotations, groups and
sequence flows are not checked: they are drawn over or between other
elements by design.

The finding points at the BPMN element, with the line of its shape (the
coordinates to fix are there). Each element is reported at most once for
overlapping and once for lying outside.

The comparison buckets shapes into a grid with one level per shape size, so
the work grows with the number of shapes, not with the number of pairs;
:func:`find_overlaps` can count the pairs it compared.

Why it matters
--------------
Overlapping shapes hide each other: a task behind another task, or an event
under a gateway, is simply not seen, and the flow looks different from what
is executed. Elements outside their pool appear to belong to another party.

Example
-------
Two tasks pasted at the same position; a task dragged half out of its pool;
an intermediate event placed on top of a sequence of tasks.

How to fix
----------
Move the shapes apart in the modeler, and move elements back inside their
pool or expanded sub-process (or enlarge the container).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ..linter.api import Option, Problem, RuleContext
from ..model import Bounds, Element, FlowNode, Model, Process, Scope, Shape, SubProcess

ID = "no-overlapping-elements"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass
class OverlapStats:
    """What :func:`find_overlaps` did: for tests and benchmarks."""

    shapes: int = 0
    cells: int = 0
    comparisons: int = 0


@dataclass
class _Item:
    element: Element
    shape: Shape
    bounds: Bounds
    box: Box
    # boundary event <-> host pairs may overlap
    exempt: set[int] = field(default_factory=set)


def _box(bounds: Bounds | None) -> Box | None:
    if bounds is None:
        return None
    x0, y0 = bounds.x, bounds.y
    x1, y1 = x0 + bounds.width, y0 + bounds.height
    if not (math.isfinite(x0) and math.isfinite(y0) and math.isfinite(x1) and math.isfinite(y1)):
        return None
    # a negative size still denotes a rectangle; normalise it
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _cells(x0: float, y0: float, x1: float, y1: float, size: float) -> list[tuple[int, int]]:
    floor = math.floor
    return [
        (cx, cy)
        for cx in range(floor(x0 / size), floor(x1 / size) + 1)
        for cy in range(floor(y0 / size), floor(y1 / size) + 1)
    ]


def find_overlaps(
    boxes: Sequence[Box],
    exempt: Callable[[int, int], bool] | None = None,
    stats: OverlapStats | None = None,
) -> list[int | None]:
    """For each box, the index of one box it overlaps (touching counts), or ``None``.

    ``exempt(i, j)`` says that boxes ``i`` and ``j`` may overlap.

    A multi-level grid: level ``L`` has cells of ``base * 2**L`` (``base`` is
    half the median box size) and holds the boxes that fit a cell of that
    level, so every box lies in at most 2 x 2 cells of its own level. Two
    overlapping boxes share a cell on the level of the larger one; each box
    therefore looks at its own level and the levels above it, at most four
    cells each, and marks the larger boxes it overlaps there. A box stops
    searching for itself at its first overlap (what is reported is the set
    of overlapping elements, not every pair), and larger boxes leave the
    lists of unmarked boxes once marked, so a heap of shapes piled on one
    spot costs linear time as well. The work grows with the number of boxes
    times the number of size levels, never with the number of pairs; the one
    case left that is not linear is many large shapes piled on one spot next
    to many small ones that do not touch them.
    """
    n = len(boxes)
    partner: list[int | None] = [None] * n
    if stats is not None:
        stats.shapes += n
    if n < 2:
        return partner
    extents = [max(x1 - x0, y1 - y0) for x0, y0, x1, y1 in boxes]
    median = sorted(extents)[n // 2]
    base = median / 2 if median > 0 else 1.0
    levels = [0] * n
    for index, extent in enumerate(extents):
        level, size = 0, base
        while size < extent:
            size *= 2
            level += 1
        levels[index] = level
    size_of = {level: base * 2**level for level in set(levels)}
    order = sorted(size_of)
    rank = {level: position for position, level in enumerate(order)}
    # per level: cell -> every box of that level in it, and the ones not yet marked
    every: dict[int, dict[tuple[int, int], list[int]]] = {level: {} for level in order}
    unmarked: dict[int, dict[tuple[int, int], list[int]]] = {level: {} for level in order}
    cells = 0
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        level = levels[index]
        grid, open_grid = every[level], unmarked[level]
        for key in _cells(x0, y0, x1, y1, size_of[level]):
            cells += 1
            bucket = grid.get(key)
            if bucket is None:
                grid[key] = [index]
                open_grid[key] = [index]
            else:
                bucket.append(index)
                open_grid[key].append(index)
    comparisons = 0
    for i in range(n):
        ax0, ay0, ax1, ay1 = boxes[i]
        own = levels[i]
        for level in order[rank[own]:]:
            grid, open_grid = every[level], unmarked[level]
            for key in _cells(ax0, ay0, ax1, ay1, size_of[level]):
                if partner[i] is None:
                    for j in grid.get(key, ()):
                        if j == i:
                            continue
                        comparisons += 1
                        bx0, by0, bx1, by1 = boxes[j]
                        if ax1 >= bx0 and bx1 >= ax0 and ay1 >= by0 and by1 >= ay0:
                            if exempt is not None and exempt(i, j):
                                continue
                            partner[i] = j
                            if partner[j] is None:
                                partner[j] = i
                            break
                if level == own:
                    continue  # boxes of the own level search for themselves
                # Larger boxes do not look down at smaller ones: mark those this box overlaps.
                bucket = open_grid.get(key)
                if not bucket:
                    continue
                keep = []
                for j in bucket:
                    if partner[j] is not None:
                        continue
                    comparisons += 1
                    bx0, by0, bx1, by1 = boxes[j]
                    if (
                        ax1 >= bx0 and bx1 >= ax0 and ay1 >= by0 and by1 >= ay0
                        and not (exempt is not None and exempt(i, j))
                    ):
                        partner[j] = i
                        if partner[i] is None:
                            partner[i] = j
                        continue
                    keep.append(j)
                if len(keep) != len(bucket):
                    open_grid[key] = keep
    if stats is not None:
        stats.cells += cells
        stats.comparisons += comparisons
    return partner


def _shape_index(model: Model) -> dict[int, Shape]:
    """Element (by identity) -> the shape that draws it.

    Keyed by the element each shape's reference resolved to: with duplicate
    ids a shape draws one element, not every element of that id, and a
    ``bpmnElement`` with a namespace prefix still finds its element. A later
    diagram wins when an element is drawn twice, as in bpmnlint.
    """
    index: dict[int, Shape] = {}
    for shape in model.shapes:
        if shape.element is not None:
            index[id(shape.element)] = shape
    return index


def _items(shapes: dict[int, Shape], elements: Sequence[Element]) -> list[_Item]:
    items = []
    for element in elements:
        shape = shapes.get(id(element))
        if shape is None:
            continue
        bounds = shape.bounds
        box = _box(bounds)
        if box is None:
            continue
        items.append(_Item(element, shape, bounds, box))  # type: ignore[arg-type]
    return items


def _describe(element: Element) -> str:
    return f"{element.kind} {element.label or element.id!r}"


def _overlaps(items: list[_Item], stats: OverlapStats | None) -> Iterator[Problem]:
    position = {id(item.element): index for index, item in enumerate(items)}
    for index, item in enumerate(items):
        element = item.element
        if isinstance(element, FlowNode):
            host = element.attached_to
            if host is not None and id(host) in position:
                other = position[id(host)]
                item.exempt.add(other)
                items[other].exempt.add(index)

    def exempt(i: int, j: int) -> bool:
        return j in items[i].exempt

    partner = find_overlaps([item.box for item in items], exempt, stats)
    for item, other in zip(items, partner):
        if other is not None:
            yield Problem(
                f"{_describe(item.element)} overlaps {_describe(items[other].element)} in the diagram",
                item.element,
                line=item.shape.line,
            )


def _outside(items: list[_Item], container: Element, frame: Box) -> Iterator[Problem]:
    fx0, fy0, fx1, fy1 = frame
    what = "pool" if container.kind == "participant" else "sub-process"
    for item in items:
        if item.element.kind == "dataStoreReference":
            continue
        b = item.bounds
        inside = b.x >= fx0 and b.y >= fy0 and b.x + b.width <= fx1 and b.y + b.height <= fy1
        if not inside:
            yield Problem(
                f"{_describe(item.element)} lies (partly) outside its {what} "
                f"{container.label or container.id!r} in the diagram",
                item.element,
                line=item.shape.line,
            )


def _scope_elements(scope: Scope) -> list[Element]:
    elements: list[Element] = list(scope.nodes)
    # data object references and data store references; a dataObject has no
    # shape, except from modelers that draw it directly instead of a reference
    elements.extend(scope.data)
    return elements


def check_with_stats(model: Model, stats: OverlapStats | None = None) -> Iterator[Problem]:
    """:func:`check`, counting the work in ``stats``."""
    if not model.shapes:
        return
    shapes = _shape_index(model)
    for collaboration in model.collaborations:
        yield from _overlaps(_items(shapes, collaboration.participants), stats)
    for scope in model.scopes:
        if isinstance(scope, SubProcess):
            if scope.scope is None:
                continue  # nested in something we do not model
            container: Element = scope
            shape = shapes.get(id(scope))
            frame = _box(shape.bounds) if shape is not None and shape.is_expanded else None
        else:
            assert isinstance(scope, Process)
            participant = scope.participant
            container = participant if participant is not None else scope
            shape = shapes.get(id(participant)) if participant is not None else None
            frame = _box(shape.bounds) if shape is not None else None
        items = _items(shapes, _scope_elements(scope))
        yield from _overlaps(items, stats)
        if frame is not None:
            yield from _outside(items, container, frame)


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    yield from check_with_stats(model)
