"""Work bounces back and forth between the same two lanes.

What it does
------------
Reports two lanes that hand work to each other repeatedly:

* a loop of the activity graph hands work from lane X to lane Y and back
  (a rework loop: checked, sent back, corrected, checked again); or
* one path hands it over X → Y → X → Y.

A single delegation that comes back once (X → Y → X: "please check this",
"checked") is normal and not reported. Handoffs are links between provider
activities in different lanes; a contact with the customer in between
breaks the chain. One finding per pair of lanes, on the step where the
work comes back. Loops are strongly connected components; paths a dynamic
programme over the acyclic activity graph: near-linear.

Why it matters
--------------
Ping-pong is where cases stall: every bounce is a queue and a
clarification, and the customer waits while two teams pass the case
between them. It usually means unclear requirements at the first handoff
or missing authority to finish the job.

Example
-------
Sales prepares an offer, Legal reviews it and sends it back to Sales for
changes, and the gateway after the changes leads back to Legal's review.

How to fix
----------
Agree on what "complete" means before the first handoff (a checklist, a
form with required fields), give one lane the authority to finish, or let
both work on the case together instead of in turns.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis
from ..customer.journey import describe_path, party_name, ping_pongs, step_name
from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "ping-pong-handoff"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    for bounce in ping_pongs(analysis):
        x, y = (party_name(lane) for lane in bounce.lanes)
        last = bounce.handoffs[-1]
        if bounce.kind == "loop":
            first = bounce.handoffs[0]
            text = (
                f"Work bounces between {x} and {y} in a loop: {x} ({step_name(first.source)}) hands it to "
                f"{y} ({step_name(first.target)}), {y} ({step_name(last.source)}) sends it back to "
                f"{x} ({step_name(last.target)}), and round again"
            )
        else:
            text = f"Work bounces between {x} and {y}: {describe_path(bounce.handoffs)}"
        yield Problem(text, last.target)
