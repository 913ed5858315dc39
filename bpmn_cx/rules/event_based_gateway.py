"""An event-based gateway with fewer than two outgoing flows, or a conditional one.

What it does
------------
Reports an event-based gateway that has fewer than two outgoing sequence
flows, and each conditional sequence flow leaving an event-based gateway.

Why it matters
--------------
An event-based gateway is a race: the first of the events behind it to occur
decides the path (e.g. the customer answers, or a deadline passes). With one
outgoing flow there is no race, only a wait. Conditions make no sense there:
the events decide, not data, and the BPMN specification forbids conditional
flows after an event-based gateway.

Example
-------
``Send quote -> (event-based) Wait for answer -> Quote accepted`` with no
second event such as a timeout.

How to fix
----------
Add the competing events (typically a timer for "no answer in time"), or
replace a gateway with a single path by the intermediate catch event alone.
Remove the conditions from the gateway's outgoing flows.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model, describe

ID = "event-based-gateway"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if node.kind != "eventBasedGateway":
            continue
        count = len(node.outgoing)
        if count < 2:
            yield Problem(
                f"{describe(node)} has {count} outgoing sequence flow{'' if count == 1 else 's'}; "
                "it needs at least two events to wait for",
                node,
            )
        for flow in node.outgoing:
            if flow.is_conditional:
                yield Problem(
                    f"{describe(flow)} leaving {describe(node)} has a condition; the events "
                    "decide the path, not conditions",
                    flow,
                )
