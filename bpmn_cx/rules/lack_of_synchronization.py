"""Parallel branches merged without waiting for each other.

What it does
------------
Plays the token game on every process and sub-process (data is ignored) and
reports each merge where tokens of parallel branches pass one by one, so that
everything after the merge runs more than once. It names the split that
started the parallel branches. Tokens that merely run into an end event
together are fine and not reported.

Why it matters
--------------
The customer gets two confirmation letters, is charged twice, or is called by
two people about the same case: the steps after the merge run once per
branch.

Example
-------
A parallel gateway starts *Check credit* and *Check identity*; both flows
end in an exclusive gateway before *Send offer*, which then runs twice.

How to fix
----------
Join parallel branches with a parallel gateway, which waits for all of them;
or make the split exclusive if only one branch should run.

Options
-------
``max-states``: how many states to explore per process before giving up.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import soundness
from ..analysis.soundness import DEFAULT_MAX_STATES
from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "lack-of-synchronization"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {
    "max-states": Option(int, DEFAULT_MAX_STATES, "states to explore per process before giving up", minimum=1),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for found in soundness(ctx, ctx.options["max-states"]).unsynchronized:
        merge = found.merge
        cause = f" started by {describe(found.cause)}" if found.cause is not None else ""
        yield Problem(
            f"{describe(merge)} lets parallel branches{cause} through one by one: "
            "what follows it runs more than once",
            merge,
        )
