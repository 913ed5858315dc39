"""Analyses shared by several rules, computed once per model and lint run.

Rules call these with their :class:`~bpmn_cx.lint.api.RuleContext`; the
result is cached in ``ctx.cache`` so that, e.g., reachability is computed once
for ``unreachable-node`` and ``no-path-to-end`` together.
"""

from __future__ import annotations

from typing import Any

from .flow import FlowGraph, can_finish, predecessors, reachable
from .soundness import Soundness, analyse


def flow_graph(ctx: Any) -> FlowGraph:
    return ctx.shared("flow-graph", FlowGraph.build)


def reachable_nodes(ctx: Any) -> set[int]:
    return ctx.shared("reachable", lambda model: reachable(model, flow_graph(ctx)))


def finishing_nodes(ctx: Any) -> set[int]:
    return ctx.shared(
        "finishing", lambda model: can_finish(model, flow_graph(ctx), trust_subprocesses=True)
    )


def predecessor_map(ctx: Any) -> dict[int, list]:
    return ctx.shared("predecessors", lambda model: predecessors(model, flow_graph(ctx)))


def soundness(ctx: Any, max_states: int) -> Soundness:
    return ctx.shared(f"soundness:{max_states}", lambda model: analyse(model, max_states))
