"""The contract between the lint engine and the rules.

A rule is one module in :mod:`bpmn_cx.rules` that defines:

``ID``
    The rule id, e.g. ``"no-implicit-split"`` (the module name is the id with
    ``_`` for ``-``).
``SEVERITY``
    Its default severity: ``"error"``, ``"warning"`` or ``"info"``.
``OPTIONS``
    ``dict[str, Option]``: its options, declared as data. The engine validates
    a configuration against them (unknown option or wrong type: config error)
    and passes the merged values as ``ctx.options``.
``check(model, ctx) -> Iterable[Problem]``
    Yields problems. It does not set the rule id or severity: the engine stamps
    both. If it raises, the engine turns that into a ``rule-error`` finding.
A docstring
    With the sections *What it does*, *Why it matters*, *Example* and *How to
    fix* (the rule docs are generated from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Element, Model

#: Severities in decreasing order of weight.
SEVERITIES = ("error", "warning", "info")
#: Config spellings -> severity (``"off"`` disables a rule).
SEVERITY_ALIASES = {"error": "error", "warn": "warning", "warning": "warning", "info": "info"}


@dataclass(frozen=True, slots=True)
class Option:
    """One rule option: its type, default and a sentence of help."""

    type: type | tuple[type, ...]
    default: Any
    help: str
    #: For numbers: the smallest value allowed.
    minimum: float | None = None
    #: For strings: the values allowed.
    choices: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule yields: a message about an element (a model object or an id).

    ``line`` overrides the element's source line; give it when the problem is
    not where the element starts. ``element`` may be ``None`` for a problem of
    the whole file.
    """

    message: str
    element: Element | str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """A stamped problem: what reporters print. Ordered by file, line, rule."""

    file: str
    line: int | None
    column: int | None
    rule: str
    severity: str
    message: str
    element: str | None

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.element or "", self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "element": self.element,
            "line": self.line,
            "column": self.column,
        }


@dataclass
class RuleContext:
    """What a rule gets besides the model."""

    #: The rule's options, validated and merged with the defaults.
    options: dict[str, Any]
    #: The file being linted (``"<input>"`` for bytes).
    file: str = "<input>"
    #: Names or ids of the customer pools/lanes from config or ``--customer``.
    customer: list[str] = field(default_factory=list)
    #: Extra configuration for shared analyses (e.g. customer name patterns).
    settings: dict[str, Any] = field(default_factory=dict)
    #: Per-model cache shared by all rules of one run: expensive analyses
    #: (reachability, customer scope, ...) are computed once and reused.
    cache: dict[str, Any] = field(default_factory=dict)
    model: Model | None = None

    def shared(self, key: str, compute: Any) -> Any:
        """``compute(model)`` once per model and run; later calls reuse it."""
        if key not in self.cache:
            self.cache[key] = compute(self.model)
        return self.cache[key]
