"""An event with more than one event definition.

What it does
------------
Reports events that carry two or more event definitions (for example a
message and a timer definition on the same start event).

Why it matters
--------------
BPMN reads several definitions on one event as "any of these triggers" when
catching and "all of these results" when throwing, and draws the event with a
generic pentagon that hides which triggers are meant. Modelers and engines
disagree on what such an event does, so the behaviour the customer sees is
unpredictable.

Example
-------
A start event with a ``messageEventDefinition`` and a
``timerEventDefinition``.

How to fix
----------
Keep one definition per event. To wait for one of several triggers, use an
event-based gateway followed by one catching event per trigger.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import Model

ID = "single-event-definition"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for node in model.flow_nodes:
        definitions = node.event_definitions
        if len(definitions) > 1 and node.is_event:
            triggers = ", ".join(d.trigger for d in definitions)
            yield Problem(
                f"{node.kind} {node.label or node.id!r} has {len(definitions)} event "
                f"definitions ({triggers}); an event should have one",
                node,
            )
