"""The lint engine: rules over a :class:`~bpmn_cx.model.Model`, producing findings.

The library function is exported as ``bpmn_cx.lint``::

    import bpmn_cx
    findings = bpmn_cx.lint("order.bpmn")                      # config discovered per file
    findings = bpmn_cx.lint(model, {"extends": "all", "customer": ["Customer"]})

``bpmn_cx.lint`` is :func:`bpmn_cx.linter.engine.lint`. Submodules (``api``, ``config``,
``engine``, ``registry``, ...) are imported on first use, so rule modules
importing :mod:`bpmn_cx.linter.api` pay for nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Finding, Option, Problem, RuleContext
    from .config import Config, ConfigError
    from .engine import lint, lint_model

_LAZY = {
    "lint": ("engine", "lint"),
    "lint_model": ("engine", "lint_model"),
    "lint_file": ("engine", "lint_file"),
    "Finding": ("api", "Finding"),
    "Problem": ("api", "Problem"),
    "Option": ("api", "Option"),
    "RuleContext": ("api", "RuleContext"),
    "Config": ("config", "Config"),
    "ConfigError": ("config", "ConfigError"),
    "load_config": ("config", "load_config"),
    "REGISTRY": ("registry", "REGISTRY"),
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module_name}", __name__), attribute)
    globals()[name] = value
    return value
