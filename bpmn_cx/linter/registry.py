"""Which rules exist: the modules of :mod:`bpmn_cx.rules` plus the load pseudo-rules.

Discovery lists the rule modules with :mod:`pkgutil` without importing them;
a module is imported the first time its rule is needed (configured, run or
documented), so that ``bpmn-cx lint --select one-rule`` never pays for the
others. A module's name is its rule id with ``_`` for ``-``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from .api import SEVERITIES, Option
from .docs import RuleDoc, parse_docstring

RULES_PACKAGE = "bpmn_cx.rules"


class RuleDefinitionError(Exception):
    """A rule module breaks the contract in :mod:`bpmn_cx.linter.api`."""


@dataclass(frozen=True)
class RuleInfo:
    """Everything the engine, config and docs know about one rule."""

    id: str
    severity: str
    options: dict[str, Option]
    doc: RuleDoc
    #: ``"rule"`` for a module in :mod:`bpmn_cx.rules`, ``"load"`` for a
    #: pseudo-rule the engine itself reports (parse errors, loader diagnostics,
    #: schema violations, crashed rules).
    kind: str = "rule"
    check: Callable[..., Iterable[Any]] | None = field(default=None, compare=False, repr=False)
    module: str | None = None
    #: Why the rule module could not be used (import error, broken contract);
    #: such a rule runs as a check that fails, so every file gets a rule-error.
    error: str | None = None

    @property
    def summary(self) -> str:
        return self.doc.summary


def module_name(rule_id: str) -> str:
    return rule_id.replace("-", "_")


def rule_from_module(module: ModuleType) -> RuleInfo:
    """Read and check a rule module's ``ID``, ``SEVERITY``, ``OPTIONS``, ``check`` and docstring."""
    name = module.__name__
    rule_id = getattr(module, "ID", None)
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleDefinitionError(f"rule module {name} has no ID")
    severity = getattr(module, "SEVERITY", None)
    if severity not in SEVERITIES:
        raise RuleDefinitionError(
            f"rule {rule_id}: SEVERITY must be one of {', '.join(SEVERITIES)}, not {severity!r}"
        )
    options = getattr(module, "OPTIONS", {})
    if not isinstance(options, dict) or not all(
        isinstance(k, str) and isinstance(v, Option) for k, v in options.items()
    ):
        raise RuleDefinitionError(f"rule {rule_id}: OPTIONS must be a dict of name -> Option")
    check = getattr(module, "check", None)
    if not callable(check):
        raise RuleDefinitionError(f"rule {rule_id}: has no check(model, ctx) function")
    return RuleInfo(
        id=rule_id,
        severity=severity,
        options=dict(options),
        doc=parse_docstring(module.__doc__ or ""),
        kind="rule",
        check=check,
        module=name,
    )


def _broken(rule_id: str, module: str, exc: BaseException) -> RuleInfo:
    reason = f"{type(exc).__name__}: {exc}"

    def check(model: Any, ctx: Any) -> Iterable[Any]:
        raise RuleDefinitionError(f"cannot load the rule ({reason})")

    return RuleInfo(
        id=rule_id,
        severity="error",
        options={},
        doc=RuleDoc(summary=f"(this rule could not be loaded: {reason})"),
        kind="rule",
        check=check,
        module=module,
        error=reason,
    )


class Registry:
    """The rules known to one process. ``REGISTRY`` is the shared instance."""

    def __init__(self, package: str = RULES_PACKAGE) -> None:
        self.package = package
        self._ids: list[str] | None = None
        self._loaded: dict[str, RuleInfo] = {}
        #: Rules added at run time (tests, plugins): id -> RuleInfo.
        self._extra: dict[str, RuleInfo] = {}

    # -- discovery --------------------------------------------------------
    def _discover(self) -> list[str]:
        if self._ids is None:
            package = importlib.import_module(self.package)
            ids = []
            for info in pkgutil.iter_modules(package.__path__):
                if info.name.startswith("_") or info.ispkg:
                    continue
                ids.append(info.name.replace("_", "-"))
            self._ids = sorted(ids)
        return self._ids

    @property
    def _load_rules(self) -> dict[str, RuleInfo]:
        from .pseudo import LOAD_RULES  # pseudo builds RuleInfos, so it imports this module

        return LOAD_RULES

    def ids(self, *, kind: str | None = None) -> list[str]:
        """Every rule id, sorted; ``kind="rule"`` or ``"load"`` to filter."""
        LOAD_RULES = self._load_rules
        out: set[str] = set()
        if kind in (None, "rule"):
            out.update(self._discover())
            out.update(i for i, r in self._extra.items() if r.kind == "rule")
        if kind in (None, "load"):
            out.update(LOAD_RULES)
            out.update(i for i, r in self._extra.items() if r.kind == "load")
        return sorted(out)

    def __contains__(self, rule_id: object) -> bool:
        return isinstance(rule_id, str) and (
            rule_id in self._loaded
            or rule_id in self._extra
            or rule_id in self._load_rules
            or rule_id in self._discover()
        )

    def get(self, rule_id: str) -> RuleInfo:
        """The rule, importing its module on first use. ``KeyError`` if unknown."""
        extra = self._extra.get(rule_id)
        if extra is not None:
            return extra
        found = self._loaded.get(rule_id)
        if found is not None:
            return found
        LOAD_RULES = self._load_rules
        if rule_id in LOAD_RULES:
            found = LOAD_RULES[rule_id]
        elif rule_id in self._discover():
            try:
                module = importlib.import_module(f"{self.package}.{module_name(rule_id)}")
                found = rule_from_module(module)
                if found.id != rule_id:
                    raise RuleDefinitionError(
                        f"rule module {module.__name__} declares ID {found.id!r}; "
                        f"its module name says {rule_id!r}"
                    )
            except Exception as exc:  # noqa: BLE001 - one broken module must not break every run
                found = _broken(rule_id, f"{self.package}.{module_name(rule_id)}", exc)
        else:
            raise KeyError(rule_id)
        self._loaded[rule_id] = found
        return found

    def all(self, *, kind: str | None = None) -> Iterator[RuleInfo]:
        for rule_id in self.ids(kind=kind):
            yield self.get(rule_id)

    # -- run-time additions -------------------------------------------------
    def register(self, rule: RuleInfo | ModuleType) -> RuleInfo:
        """Add a rule that is not a module of the rules package (tests, plugins)."""
        info = rule if isinstance(rule, RuleInfo) else rule_from_module(rule)
        self._extra[info.id] = info
        return info

    def unregister(self, rule_id: str) -> None:
        self._extra.pop(rule_id, None)

    def refresh(self) -> None:
        """Forget discovery results (after rule modules were added on disk)."""
        self._ids = None
        self._loaded.clear()

    def suggest(self, rule_id: str) -> str | None:
        """The closest known id, for "did you mean" messages."""
        import difflib

        close = difflib.get_close_matches(rule_id, self.ids(), n=1, cutoff=0.6)
        return close[0] if close else None


REGISTRY = Registry()


def get_registry() -> Registry:
    return REGISTRY
