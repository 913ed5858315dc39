"""A parallel join that can wait forever.

What it does
------------
Plays the token game on every process and sub-process (see
``bpmn_cx.analysis.soundness``): data is ignored, so every branch of a
decision is possible. It reports each parallel join where tokens can get
stuck because not all of its incoming branches can arrive, and names the
split that causes it (usually an exclusive gateway that runs only one of the
branches the join waits for). Inclusive and complex joins are not analysed
(see ``soundness-inconclusive``).

Why it matters
--------------
A deadlocked case never moves again: the customer waits for an answer that
no step will ever give, and nobody notices until they call.

Example
-------
An exclusive gateway *Approved?* leads to *Send contract* or *Send refusal*,
and both flows end in a parallel gateway before *Archive*: the parallel join
waits for both, but only one ever comes.

How to fix
----------
Join alternative branches with an exclusive gateway (or no gateway), and
parallel branches with a parallel gateway: the join must match the split.

Options
-------
``max-states``: how many states to explore per process before giving up
(then ``soundness-inconclusive`` says so).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import soundness
from ..analysis.soundness import DEFAULT_MAX_STATES
from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "deadlock"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {
    "max-states": Option(int, DEFAULT_MAX_STATES, "states to explore per process before giving up", minimum=1),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for found in soundness(ctx, ctx.options["max-states"]).deadlocks:
        join = found.join
        waits = len(join.incoming)
        cause = found.cause
        if cause is not None and cause.kind == "boundaryEvent":
            host = f" on {describe(cause.attached_to)}" if cause.attached_to is not None else ""
            why = f"the interrupting {describe(cause)}{host} can take a branch it waits for elsewhere"
        elif cause is not None:
            why = f"{describe(cause)} lets only some of the {waits} branches it waits for run"
        else:
            why = f"not all of its {waits} incoming branches can arrive"
        yield Problem(f"{describe(join)} can wait forever: {why}", join)
