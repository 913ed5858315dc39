"""Analyses shared by several rules, computed once per model and lint run.

Rules call these with their :class:`~bpmn_cx.linter.api.RuleContext`; the
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


def _customer(ctx: Any) -> tuple[Any, Any]:
    """``(CustomerAnalysis | None, CustomerError | None)`` for the run's customer scope."""

    def compute(model: Any) -> tuple[Any, Any]:
        from ..customer.analysis import CustomerAnalysis
        from ..customer.scope import CustomerError, find_customer

        settings = getattr(ctx, "settings", None) or {}
        try:
            scope = find_customer(model, list(ctx.customer or []) or None, names=settings.get("customer-names"))
        except CustomerError as exc:
            return None, exc
        return CustomerAnalysis.build(model, scope), None

    return ctx.shared("customer-analysis", compute)


def customer_analysis(ctx: Any) -> Any:
    """The :class:`~bpmn_cx.customer.analysis.CustomerAnalysis` of the run, or ``None``.

    The customer scope comes from ``ctx.customer`` (``--customer`` or
    ``customer = [...]``), else from auto-detection (with
    ``ctx.settings["customer-names"]`` as the role list when given). ``None``
    when there is no usable scope: :func:`customer_error` says why, and only
    the ``customer-scope`` rule reports it.
    """
    return _customer(ctx)[0]


def customer_error(ctx: Any) -> Any:
    """Why there is no customer scope (a ``CustomerError``), or ``None`` when there is one."""
    return _customer(ctx)[1]
