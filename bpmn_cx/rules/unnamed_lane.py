"""A lane without a name.

What it does
------------
Reports lanes whose name is missing, empty or only whitespace.

Why it matters
--------------
A lane says who does the steps in it. Without a name the reader cannot tell
which person, role, department or system is responsible, and the customer
view cannot say who the customer deals with at that point.

Example
-------
Pool "Bank" with lanes "Sales" and one lane without a label that holds
"Check credit".

How to fix
----------
Name the lane after the role or system that does its steps (e.g. "Back
office", "Credit scoring service"); delete it if it is left over.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, lane_container

ID = "unnamed-lane"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for lane in model.lanes:
        if lane.label:
            continue
        who = f" {lane.id}" if lane.id else ""
        yield Problem(
            f"Lane{who} in {lane_container(lane)} has no name: nobody can tell who does its steps", lane
        )
