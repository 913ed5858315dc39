"""Work changes hands too often on one path through the process.

What it does
------------
Counts handoffs: a link from one provider activity to the next (through
gateways and intermediate events only) whose two activities are in
different lanes. Links to and from the customer are touchpoints, not
handoffs. For every provider process it finds the path with the most
handoffs, from a start to an end, and reports it when that number is
larger than ``max``. Paths go through the content of sub-processes;
loops are counted once (their back edges are cut), so the count is a
dynamic programme over the acyclic activity graph, linear in the model.

The finding is on the pool (or on the process when it has no pool): the
length of a path is a property of the whole flow, not of one step. The
message lists the lanes in order with the step where the work lands in
each; on a path of more than 12 handoffs it lists the first 10 and says
how many more there are.

Why it matters
--------------
Every handoff is a queue, a chance to lose information and a moment where
nobody feels responsible. Customers feel them as waiting and as being
asked the same questions again.

Example
-------
Sales takes the order, Order management checks it, Credit control checks
the customer, Warehouse picks, Shipping ships and Billing invoices: five
handoffs on one path, more than the default ``max`` of 4.

How to fix
----------
Merge steps that belong together into one lane (a case owner who does
several steps), let one team own the whole case, or automate a step so
that it needs no handover. Raise ``max`` if the chain is inherent.

Options
-------
``max``: the most handoffs one path may have.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis
from ..customer.journey import Handoff, describe_path, worst_paths
from ..linter.api import Option, Problem, RuleContext
from ..model import Model

#: A path with more handoffs than this is listed only in part in the message.
MAX_LISTED = 12
#: How many handoffs such a message lists.
LISTED = 10

ID = "excessive-handoffs"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {
    "max": Option(int, 4, "the most handoffs one start-to-end path may have", minimum=0),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    limit = ctx.options["max"]
    paths = worst_paths(analysis)
    for process in model.processes:
        path = paths.get(id(process))
        if path is None or len(path) <= limit:
            continue
        pool = process.participant
        where = pool if pool is not None else process
        name = f"'{where.label}'" if where.label else where.id
        lanes = len({id(h.from_lane) for h in path} | {id(h.to_lane) for h in path})
        yield Problem(
            f"Work changes hands {len(path)} times on one path through {name} (at most {limit} wanted), "
            f"across {lanes} lanes: {_listing(path)}",
            where,
        )


def _listing(path: list[Handoff]) -> str:
    """The path in words; a long one only in part, so the message stays readable."""
    if len(path) <= MAX_LISTED:
        return describe_path(path)
    return f"{describe_path(path[:LISTED])} … and {len(path) - LISTED} more handoffs"
