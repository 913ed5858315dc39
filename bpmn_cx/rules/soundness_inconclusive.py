"""Where the deadlock analysis could not give an answer.

What it does
------------
Reports, as information, the inclusive and complex joins that the token game
does not analyse (their behaviour depends on which branches are still
running), and the processes whose state space exceeded ``max-states``. For
those, ``deadlock`` and ``lack-of-synchronization`` stay silent rather than
guess.

Why it matters
--------------
Silence is not a proof. Knowing which parts were not checked tells a reviewer
where to look by hand.

Example
-------
An inclusive gateway that joins the branches of an inclusive split.

How to fix
----------
Nothing has to be fixed. Replacing the inclusive join with exclusive or
parallel gateways where the model allows it makes the process checkable;
a larger ``max-states`` helps for big but sound processes.

Options
-------
``max-states``: how many states to explore per process before giving up.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import soundness
from ..analysis.soundness import DEFAULT_MAX_STATES
from ..linter.api import Option, Problem, RuleContext
from ..model import Element, Model, describe

ID = "soundness-inconclusive"
SEVERITY = "info"
OPTIONS: dict[str, Option] = {
    "max-states": Option(int, DEFAULT_MAX_STATES, "states to explore per process before giving up", minimum=1),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for result in soundness(ctx, ctx.options["max-states"]).inconclusive:
        for join in result.unanalysed_joins:
            yield Problem(
                f"{describe(join)} is not analysed for deadlocks: an inclusive or complex join "
                "waits for the branches that are still running, which the check does not model",
                join,
            )
        if result.capped:
            scope = result.scope
            assert isinstance(scope, Element)
            yield Problem(
                f"{describe(scope)} was not fully checked for deadlocks: {result.reason}",
                scope,
            )
