"""Run one rule module directly, without the engine: shared by the rule test files."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from bpmn_cx.linter.api import Problem, RuleContext
from bpmn_cx.model import Model

#: The docstring sections every rule must have.
SECTIONS = ("What it does", "Why it matters", "Example", "How to fix")


def rule(rule_id: str) -> ModuleType:
    # importlib, not an import statement: "global" is a Python keyword.
    return importlib.import_module("bpmn_cx.rules." + rule_id.replace("-", "_"))


def defaults(module: ModuleType) -> dict[str, Any]:
    return {name: option.default for name, option in module.OPTIONS.items()}


def run(rule_id: str, model: Model, options: dict[str, Any] | None = None) -> list[Problem]:
    """The rule's problems with its default options, overridden by ``options``."""
    module = rule(rule_id)
    merged = defaults(module) | (options or {})
    return list(module.check(model, RuleContext(options=merged, model=model)))


def element_id(problem: Problem) -> str:
    element = problem.element
    if element is None:
        return ""
    return element if isinstance(element, str) else (element.id or "")


def reported(rule_id: str, model: Model, options: dict[str, Any] | None = None) -> list[str]:
    """The sorted element ids the rule reports."""
    return sorted(element_id(p) for p in run(rule_id, model, options))
