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

A sort-and-sweep along one axis first finds the shapes that overlap
anything at all (usually none); only those go through a grid with one level
per shape size, which picks the partner named in each finding. Layouts where
the sweep would compare too many pairs go through the grid directly. Either
way the work grows with the number of shapes, not with the number of pairs;
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
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, le
from typing import Any

from ..linter.api import Option, Problem, RuleContext
from ..loader import source_line
from ..model import Element, FlowNode, Model, Process, Scope, SubProcess, read_box

ID = "no-overlapping-elements"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}

Box = tuple[float, float, float, float]  # left, top, right, bottom

#: Pairs per box a sweep may compare (drawn diagrams need up to about five)
#: before the grid takes over: a pair costs the sweep far less than a box the grid.
_SWEEP_BUDGET = 8


@dataclass
class OverlapStats:
    """What :func:`find_overlaps` did: for tests and benchmarks."""

    shapes: int = 0
    cells: int = 0
    comparisons: int = 0


def _box(bounds: tuple[float, float, float, float] | None) -> Box | None:
    """Left, top, right, bottom of ``(x, y, width, height)``; ``None`` unless all are finite."""
    if bounds is None:
        return None
    x0, y0, width, height = bounds
    x1, y1 = x0 + width, y0 + height
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


def _sweep(
    lo: Sequence[float], hi: Sequence[float], other_lo: Sequence[float], other_hi: Sequence[float], budget: int
) -> tuple[list[tuple[int, int]] | None, int]:
    """The pairs of boxes that intersect, by a sweep along one axis, and the pairs compared.

    ``None`` (nothing compared) when more than ``budget`` pairs overlap along
    the axis: they are counted before any is compared.
    """
    n = len(lo)
    order = sorted(range(n), key=lo.__getitem__)
    starts = list(map(lo.__getitem__, order))
    ends = list(map(hi.__getitem__, order))
    # Any intersecting pair is found from the box of the two that starts
    # first: the other starts inside its span (every box has hi >= lo), at a
    # later position of the sorted order. Only boxes whose successor in that
    # order starts inside them have such pairs.
    first = list(compress(range(n - 1), map(le, starts[1:], ends)))
    stops = list(map(bisect_right, repeat(starts), map(ends.__getitem__, first), map(add, first, repeat(2))))
    compared = sum(stops) - sum(first) - len(first)
    if compared > budget:
        return None, 0
    pairs: list[tuple[int, int]] = []
    for p, stop in zip(first, stops):
        i = order[p]
        a0, a1 = other_lo[i], other_hi[i]
        for j in order[p + 1 : stop]:
            if other_lo[j] <= a1 and a0 <= other_hi[j]:
                pairs.append((i, j))
    return pairs, compared


def _overlapping(
    boxes: Sequence[Box], exempt: Callable[[int, int], bool] | None
) -> tuple[list[int] | None, int]:
    """The indices of the boxes that overlap some box (sorted), and the pairs compared.

    ``None`` when neither axis can be swept within the budget (or the boxes
    are not all finite and normalised): then every box may overlap.
    """
    n = len(boxes)
    x0s, y0s, x1s, y1s = zip(*boxes)
    # NaN, infinity or a sum too large: leave it to the grid, which treats
    # such boxes as it always did
    if not math.isfinite(sum(x0s) + sum(y0s) + sum(x1s) + sum(y1s)):
        return None, 0
    if not (all(map(le, x0s, x1s)) and all(map(le, y0s, y1s))):
        return None, 0
    budget = _SWEEP_BUDGET * n
    # Left to right first: pools and lanes are laid out that way.
    pairs, compared = _sweep(x0s, x1s, y0s, y1s, budget)
    if pairs is None:
        pairs, compared = _sweep(y0s, y1s, x0s, x1s, budget)
        if pairs is None:
            return None, 0
    marked: set[int] = set()
    for i, j in pairs:
        # the grid asks exempt() in either order: skip a pair only if both say so
        if exempt is not None and exempt(i, j) and exempt(j, i):
            continue
        marked.add(i)
        marked.add(j)
    return sorted(marked), compared


def find_overlaps(
    boxes: Sequence[Box],
    exempt: Callable[[int, int], bool] | None = None,
    stats: OverlapStats | None = None,
) -> list[int | None]:
    """For each box, the index of one box it overlaps (touching counts), or ``None``.

    ``exempt(i, j)`` says that boxes ``i`` and ``j`` may overlap.

    First a sort-and-sweep along x (or y, if x would compare more than
    ``_SWEEP_BUDGET`` pairs per box) finds the boxes that overlap anything:
    in a finished diagram none do, and that is the answer. The others, or all
    boxes if neither axis can be swept within the budget, go through a grid
    that chooses each box's partner. A box without overlaps never changes
    the grid's state and leaves the order in which the others are visited
    as it is, so the partners are the same as with every box in the grid.

    The grid has several levels: level ``L`` has cells of ``base * 2**L``
    (``base`` is half the median size of all boxes) and holds the boxes that
    fit a cell of that level, so every box lies in at most 2 x 2 cells of its
    own level. Two overlapping boxes share a cell on the level of the larger
    one; each box therefore looks at its own level and the levels above it,
    at most four cells each, and marks the larger boxes it overlaps there. A
    box stops searching for itself at its first overlap (what is reported is
    the set of overlapping elements, not every pair), and larger boxes leave
    the lists of unmarked boxes once marked, so a heap of shapes piled on one
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
    candidates, compared = _overlapping(boxes, exempt)
    if stats is not None:
        stats.comparisons += compared
    if candidates is not None and not candidates:
        return partner
    _grid(boxes, range(n) if candidates is None else candidates, exempt, partner, stats)
    return partner


def _grid(
    boxes: Sequence[Box],
    indices: Sequence[int],
    exempt: Callable[[int, int], bool] | None,
    partner: list[int | None],
    stats: OverlapStats | None,
) -> None:
    """Set ``partner`` for the boxes at ``indices`` (ascending), by the grid of :func:`find_overlaps`."""
    n = len(boxes)
    # the cell size comes from every box, not only the ones in the grid
    extents = [max(x1 - x0, y1 - y0) for x0, y0, x1, y1 in boxes]
    median = sorted(extents)[n // 2]
    base = median / 2 if median > 0 else 1.0
    levels = [0] * n
    for index in indices:
        extent = extents[index]
        level, size = 0, base
        while size < extent:
            size *= 2
            level += 1
        levels[index] = level
    size_of = {level: base * 2**level for level in {levels[index] for index in indices}}
    order = sorted(size_of)
    rank = {level: position for position, level in enumerate(order)}
    # per level: cell -> every box of that level in it, and the ones not yet marked
    every: dict[int, dict[tuple[int, int], list[int]]] = {level: {} for level in order}
    unmarked: dict[int, dict[tuple[int, int], list[int]]] = {level: {} for level in order}
    cells = 0
    for index in indices:
        x0, y0, x1, y1 = boxes[index]
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
    for i in indices:
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


@dataclass
class _Items:
    """The elements of one group that are drawn with usable bounds, in the group's order."""

    elements: list[Element]
    #: the XML of the shape that draws each element
    shapes: list[Any]
    #: x, y, x + width, y + height as written (for "inside its container")
    raw: list[Box]
    #: the same rectangle normalised (for overlaps)
    boxes: list[Box]


def _items(shape_of: dict[int, Any], elements: Sequence[Element]) -> _Items:
    shapes = list(map(shape_of.get, map(id, elements)))
    if shapes.count(None):
        drawn = [(element, shape) for element, shape in zip(elements, shapes) if shape is not None]
        elements = [element for element, _ in drawn]
        shapes = [shape for _, shape in drawn]
    if not shapes:
        return _Items([], [], [], [])
    geometry = list(map(read_box, shapes))
    if not geometry.count(None):
        # Whole columns at a time: usable, non-negative sizes are the rule.
        xs, ys, widths, heights = zip(*geometry)
        rights, bottoms = list(map(add, xs, widths)), list(map(add, ys, heights))
        # a sum of finite numbers that overflows only sends us the long way
        if math.isfinite(sum(xs) + sum(ys) + sum(rights) + sum(bottoms)) and min(widths) >= 0 <= min(heights):
            boxes = list(zip(xs, ys, rights, bottoms))
            return _Items(list(elements), shapes, boxes, boxes)
    items = _Items([], [], [], [])
    isfinite = math.isfinite
    for element, shape, bounds in zip(elements, shapes, geometry):
        if bounds is None:
            continue
        x0, y0, width, height = bounds
        x1, y1 = x0 + width, y0 + height
        if not (isfinite(x0) and isfinite(y0) and isfinite(x1) and isfinite(y1)):
            continue
        items.elements.append(element)
        items.shapes.append(shape)
        items.raw.append((x0, y0, x1, y1))
        # a negative size still denotes a rectangle; normalise it
        items.boxes.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return items


def _describe(element: Element) -> str:
    return f"{element.kind} {element.label or element.id!r}"


def _overlaps(items: _Items, stats: OverlapStats | None) -> Iterator[Problem]:
    elements = items.elements
    # boundary event <-> host pairs may overlap
    allowed: dict[int, set[int]] = {}
    hosts = list(map(getattr, elements, repeat("attached_to"), repeat(None)))
    if hosts.count(None) != len(hosts):
        position = {id(e): k for k, e in enumerate(elements)}
        for index, (element, host) in enumerate(zip(elements, hosts)):
            if host is not None and isinstance(element, FlowNode):
                other = position.get(id(host))
                if other is not None:
                    allowed.setdefault(index, set()).add(other)
                    allowed.setdefault(other, set()).add(index)

    def exempt(i: int, j: int) -> bool:
        return j in allowed.get(i, ())

    partner = find_overlaps(items.boxes, exempt if allowed else None, stats)
    if partner.count(None) == len(partner):
        return
    for index, other in enumerate(partner):
        if other is not None:
            element = elements[index]
            yield Problem(
                f"{_describe(element)} overlaps {_describe(elements[other])} in the diagram",
                element,
                line=source_line(items.shapes[index]),
            )


def _outside(items: _Items, container: Element, frame: Box) -> Iterator[Problem]:
    if not items.raw:
        return
    fx0, fy0, fx1, fy1 = frame
    x0s, y0s, x1s, y1s = zip(*items.raw)
    if min(x0s) >= fx0 and min(y0s) >= fy0 and max(x1s) <= fx1 and max(y1s) <= fy1:
        return  # all inside (the usual case), found without a loop
    what = "pool" if container.kind == "participant" else "sub-process"
    for element, shape, (x0, y0, x1, y1) in zip(items.elements, items.shapes, items.raw):
        if element.kind == "dataStoreReference":
            continue
        if not (x0 >= fx0 and y0 >= fy0 and x1 <= fx1 and y1 <= fy1):
            yield Problem(
                f"{_describe(element)} lies (partly) outside its {what} "
                f"{container.label or container.id!r} in the diagram",
                element,
                line=source_line(shape),
            )


def _scope_elements(scope: Scope) -> list[Element]:
    # data object references and data store references; a dataObject has no
    # shape, except from modelers that draw it directly instead of a reference
    return [*scope.nodes, *scope.data]


def _frame(shape: Any) -> Box | None:
    return None if shape is None else _box(read_box(shape))


def _is_expanded(shape: Any) -> bool:
    value = shape.get("isExpanded")
    return value is not None and value.strip() == "true"


def check_with_stats(model: Model, stats: OverlapStats | None = None) -> Iterator[Problem]:
    """:func:`check`, counting the work in ``stats``."""
    # Element (by identity) -> the XML of the shape that draws it: keyed by
    # the element each reference resolves to, so with duplicate ids a shape
    # draws one element, not every element of that id, and a prefixed
    # bpmnElement still finds its element. A later diagram wins when an
    # element is drawn twice, as in bpmnlint.
    shapes = model.shape_xml_index()
    if not shapes:
        return
    for collaboration in model.collaborations:
        yield from _overlaps(_items(shapes, collaboration.participants), stats)
    for scope in model.scopes:
        if isinstance(scope, SubProcess):
            if scope.scope is None:
                continue  # nested in something we do not model
            container: Element = scope
            shape = shapes.get(id(scope))
            frame = _frame(shape) if shape is not None and _is_expanded(shape) else None
        else:
            assert isinstance(scope, Process)
            participant = scope.participant
            container = participant if participant is not None else scope
            frame = _frame(shapes.get(id(participant))) if participant is not None else None
        items = _items(shapes, _scope_elements(scope))
        yield from _overlaps(items, stats)
        if frame is not None:
            yield from _outside(items, container, frame)


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    yield from check_with_stats(model)
