"""Two lanes with the same name side by side.

What it does
------------
Reports a lane whose name equals the name of an earlier lane with the same
parent: the same lane set of a process, or the same enclosing lane. Names are
compared ignoring case and extra whitespace. The same name under different
parents is fine ("Sales / Clerk" and "Back office / Clerk"). Unnamed lanes are
left to ``unnamed-lane``.

Why it matters
--------------
Two sibling lanes called the same suggest one role split in two by accident,
typically after copying a lane. Readers cannot tell which "Back office" does
what, and counting handoffs between roles gives wrong numbers.

Example
-------
Pool "Bank" with lanes "Sales", "Back office" and "back  office".

How to fix
----------
Merge the two lanes into one, or rename one of them after the role it really
stands for.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Lane, Model, lane_container

ID = "duplicate-lane-name"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    # Siblings share their lane set: a process's laneSet for top-level lanes,
    # the parent lane's childLaneSet for nested ones.
    first: dict[tuple[int, str], Lane] = {}
    for lane in model.lanes:
        key = lane.label.casefold()
        if not key:
            continue
        slot = (id(lane.lane_set), key)
        earlier = first.get(slot)
        if earlier is None:
            first[slot] = lane
            continue
        first_one = f"the lane on line {earlier.line}" if earlier.line else f"lane {earlier.id}"
        yield Problem(
            f"Lane '{lane.path}' has the same name as {first_one} in {lane_container(lane)}",
            lane,
        )
