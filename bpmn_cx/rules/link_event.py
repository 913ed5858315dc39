"""Link events without a name or without their partner.

What it does
------------
Within each process and sub-process (link events only connect inside one
scope), looks at the link events and the link names on their
``linkEventDefinition``:

* a link event without a link name is reported;
* a link name used by one event only is reported: a throwing link without a
  catching one (or the other way round);
* a link name with several events but no catching event reports every
  throwing event;
* a link name with several catching events reports every catching event: a
  throw could jump to any of them.

Several throwing links may share one catching link.

Unlike bpmnlint 11, link events without a link name are only reported as
unnamed: bpmnlint also pairs all unnamed link events under the name ``_``
(and a link really named ``_`` with them), which yields a second, misleading
report. A link name of blanks counts as missing.

Why it matters
--------------
Link events are an off-page connector: a throwing link continues at the
catching link with the same name. A missing or ambiguous partner breaks the
flow at that point, and the process silently ends or jumps to the wrong
place.

Example
-------
A throwing link *To billing* in a process that has no catching link named
*To billing*, or two catching links named *Retry*.

How to fix
----------
Give every link event a link name, add the missing throwing or catching link
in the same process or sub-process, and give each catching link a unique
name.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..linter.api import Option, Problem, RuleContext
from ..model import CATCH_EVENT_KINDS, FlowNode, Model, SubProcess

ID = "link-event"
SEVERITY = "error"
OPTIONS: dict[str, Option] = {}


def _link_name(node: FlowNode) -> str | None:
    """The name of the event's first link definition; ``None`` if it is not a link event."""
    for definition in node.event_definitions:
        if definition.kind == "linkEventDefinition":
            return definition.name or ""
    return None


def check(model: Model, ctx: RuleContext) -> Iterator[Problem]:
    for scope in model.scopes:
        by_name: dict[str, list[FlowNode]] = {}
        for node in scope.nodes:
            if not node.is_event or not node.event_definitions:
                continue
            name = _link_name(node)
            if name is None:
                continue
            if not name.strip():
                yield Problem(f"link event {node.label or node.id!r} has no link name", node)
                continue
            by_name.setdefault(name, []).append(node)
        where = (
            f"{'sub-process' if isinstance(scope, SubProcess) else 'process'} "
            f"{scope.label or scope.id!r}"
        )
        for name, events in by_name.items():
            catches = [e for e in events if e.kind in CATCH_EVENT_KINDS]
            if len(events) == 1:
                event = events[0]
                if catches:
                    missing, what = "throwing", "catching"
                else:
                    missing, what = "catching", "throwing"
                yield Problem(
                    f"{what} link event {event.label or event.id!r} has no {missing} link "
                    f"named {name!r} in {where}",
                    event,
                )
            elif len(catches) > 1:
                for event in catches:
                    others = len(catches) - 1
                    yield Problem(
                        f"catching link event {event.label or event.id!r} shares the link name "
                        f"{name!r} with {others} other catching link{'s' if others > 1 else ''} "
                        f"in {where}: a throwing link cannot tell which one it jumps to",
                        event,
                    )
            elif not catches:
                for event in events:
                    yield Problem(
                        f"throwing link event {event.label or event.id!r} has no catching "
                        f"link named {name!r} in {where}",
                        event,
                    )
