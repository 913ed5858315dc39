"""The customer deals with more different contacts than allowed.

What it does
------------
Follows the customer's journey (the touchpoints in the order the customer
meets them) and collects the counterpart of each touchpoint: the lane that
owns the provider's end of the message flow or sequence flow. A pool
without lanes, or a black-box pool, is one counterpart as a whole;
touchpoints nobody owns are left to ``unowned-touchpoint``. When the
customer meets more distinct counterparts than ``max-counterparts``, one
finding lists them in journey order, on the step where the first contact
too many appears.

Why it matters
--------------
Every new contact means explaining the case again, a new name, a new
phone number. A single point of contact (a case owner) is one of the most
effective ways to make a service feel simple, even when many teams work
behind the scenes.

Example
-------
The customer orders through Sales, is asked for documents by Credit
control, gets the invoice from Billing and the delivery date from
Shipping: four contacts, "The customer deals with 4 different contacts:
Sales → Credit control → Billing → Shipping".

How to fix
----------
Let one lane own every contact with the customer and move the others'
requests behind the line of visibility (they go through the case owner),
or raise ``max-counterparts`` if several contacts are intended (e.g. sales
and support).

Options
-------
``max-counterparts``: how many different provider lanes the customer may
deal with.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_analysis
from ..customer.journey import contacts, customer_name, party_name, step_name
from ..linter.api import Option, Problem, RuleContext
from ..model import FlowNode, Model

ID = "single-point-of-contact"
SEVERITY = "warning"
OPTIONS: dict[str, Option] = {
    "max-counterparts": Option(
        int, 1, "how many different provider lanes the customer may deal with", minimum=1
    ),
}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    analysis = customer_analysis(ctx)
    if analysis is None:
        return
    limit = ctx.options["max-counterparts"]
    found = contacts(analysis)
    if len(found) <= limit:
        return
    parts = []
    for party, touchpoint in found:
        end = touchpoint.provider_end
        step = f" ({step_name(end)})" if isinstance(end, FlowNode) else ""
        parts.append(f"{party_name(party)}{step}")
    first_too_many = found[limit][1]
    end = first_too_many.provider_end
    element = end if isinstance(end, FlowNode) else first_too_many.flow
    who = customer_name(analysis)
    yield Problem(
        f"{who[:1].upper()}{who[1:]} deals with {len(found)} different contacts "
        f"(at most {limit} wanted): {' → '.join(parts)}",
        element,
    )
