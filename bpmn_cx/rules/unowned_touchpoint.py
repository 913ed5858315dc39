"""A customer contact that no lane is responsible for.

What it does
------------
Reports message flows between the customer and a provider pool that has
lanes when the flow ends on the pool's boundary instead of on a step: the
pool says *who* does the work (its lanes), but nobody in it receives or
sends this message.

Ownership follows the finest level of responsibility the model uses:

* in a pool with lanes, a lane must own the contact;
* a pool without lanes owns all its steps and its boundary as a whole, and
  a black-box pool (no process) owns its boundary: both are fine;
* a step outside every lane of a laned pool is what ``node-outside-lane``
  reports (on the step); so that one missing lane gives one finding, this
  rule reports such contacts only with ``nodes-outside-lanes = true``
  (for teams that switch ``node-outside-lane`` off).

Why it matters
--------------
When a customer writes, calls or receives something, somebody must own
that contact. A message that ends on the pool's edge belongs to nobody:
in practice the letter sits in a shared mailbox and the customer gets no
answer, or an answer from whoever happens to pick it up.

Example
-------
The customer sends *Complaint* to the pool *Insurer*, which has lanes
*Claims* and *Service*; the message flow ends on the pool's boundary.

How to fix
----------
Connect the message flow to the step that receives (or sends) it, in the
lane of whoever is responsible for the contact.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis
from ..customer.journey import counterpart, customer_name, step_name
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model, Participant

ID = "unowned-touchpoint"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {
    "nodes-outside-lanes": Option(
        bool, False,
        "also report contacts with steps outside every lane of a laned pool (node-outside-lane reports those steps)",
    ),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    with_nodes = bool(ctx.options.get("nodes-outside-lanes", False))
    who = customer_name(analysis)
    reported: set[int] = set()
    # Without nodes-outside-lanes only pool boundaries count, and those are
    # message touchpoints: the sequence touchpoints need not be worked out.
    candidates = (
        analysis.unowned_touchpoints if with_nodes
        else [t for t in analysis.message_touchpoints if t.lane is None]
    )
    for touchpoint in candidates:
        if counterpart(touchpoint) is not None:
            continue  # a pool without lanes, or a black box: the pool owns it
        end = touchpoint.provider_end
        if isinstance(end, FlowNode) and not with_nodes:
            continue
        flow = touchpoint.flow
        if id(flow) in reported:
            continue
        reported.add(id(flow))
        what = f"'{flow.label}'" if flow.label else "a message"
        towards = "from" if touchpoint.direction == "outbound" else "to"
        customer_step = touchpoint.customer_end
        by = f" ({step_name(customer_step)})" if isinstance(customer_step, FlowNode) else ""
        if isinstance(end, Participant):
            pool = f"'{end.label}'" if end.label else end.id
            where = f"ends on the boundary of pool {pool}, which has lanes"
            if touchpoint.direction == "inbound":
                where = f"comes from the boundary of pool {pool}, which has lanes"
        else:
            where = f"{'reaches' if touchpoint.direction == 'outbound' else 'comes from'} {step_name(end)}, which is in no lane"
        element = flow if touchpoint.kind == "message" else end
        yield Problem(
            f"Nobody is responsible for {what} {towards} {who}{by}: it {where}",
            element,
        )
