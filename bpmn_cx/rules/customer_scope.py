"""Says once why the customer rules found no customer to check.

What it does
------------
Finds the customer scope the way every customer rule does (``--customer``,
``customer = [...]`` in the configuration, or pools and lanes named like a
customer role: customer, client, patient, guest, Kunde, ...). When there is
none, or several different pools or lanes could be the customer, it reports
one file-level finding that says so and names the candidates (or the pools
and lanes it saw). It is silent when the customer scope is clear.

Why it matters
--------------
The customer rules (handoffs, dead ends on the customer's side, unowned
touchpoints) need to know who the customer is. Without a customer they
stay silent, and without this finding a clean report would look like a
clean customer journey.

Example
-------
A collaboration with pools "Client" and "Customer": two different roles
look like the customer, so the customer rules do not guess.

How to fix
----------
Name the customer's pool or lane like the role (e.g. "Customer"), or choose
it explicitly: ``bpmn-cx lint --customer "Client"`` or ``customer =
["Client"]`` in ``.bpmn-cx.toml``. Turn this rule off for files that have
no customer.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.shared import customer_error
from ..customer.scope import AmbiguousCustomer
from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "customer-scope"
SEVERITY = "info"
OPTIONS: dict[str, Option] = {}

_CHOOSE = "choose it with --customer NAME|ID or customer = [...] in the configuration"


def _listing(items: list[str], limit: int = 12) -> str:
    shown = "; ".join(items[:limit])
    if len(items) > limit:
        shown += f"; and {len(items) - limit} more"
    return shown


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    error = customer_error(ctx)
    if error is None:
        return
    skipped = "the customer rules are skipped for this file"
    if isinstance(error, AmbiguousCustomer):
        message = (
            f"Several pools or lanes could be the customer ({_listing(error.candidates)}): "
            f"{skipped}; {_CHOOSE}"
        )
    elif ctx.customer:
        wanted = ", ".join(repr(c) for c in ctx.customer)
        seen = _listing(error.seen) if error.seen else "the model has no pools and no lanes"
        message = f"The customer {wanted} matches no pool or lane here ({seen}): {skipped}"
    else:
        if error.seen:
            why = (
                "nothing is named like a customer (customer, client, patient, guest, Kunde, ...) "
                f"among {_listing(error.seen)}"
            )
        else:
            why = "the model has no pools and no lanes"
        message = f"No customer pool or lane found: {why}; {skipped}; {_CHOOSE}"
    yield Problem(message, None)
