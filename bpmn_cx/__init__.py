"""bpmn-cx: read, lint and view BPMN 2.0 processes from the customer's side.

The library API::

    import bpmn_cx

    model = bpmn_cx.load("order.bpmn")              # -> Model, or raises LoadError
    result = bpmn_cx.validate("order.bpmn")         # OMG BPMN 2.0 XSD, with line numbers
    findings = bpmn_cx.lint(model)                  # -> list[Finding]
    view = bpmn_cx.customer_view(model)             # the process as the customer lives it
    data = bpmn_cx.dumps(view.model)                # BPMN 2.0 XML bytes
    numbers = bpmn_cx.metrics(model)                # touchpoints, contacts, handoffs, ...
    diff = bpmn_cx.compare("today.bpmn", "variant.bpmn")

Everything but the loader is imported on first use, so that ``import
bpmn_cx`` and the command line start fast. No public function shares its name
with a submodule, so importing a submodule never hides a function.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .loader import LoadError, load
from .model import Diagnostic, Model

if TYPE_CHECKING:
    from . import edit
    from .comparison import Comparison, compare
    from .customer.analysis import ActivityGraph, CustomerAnalysis, Touchpoint
    from .customer.regions import HiddenRegion
    from .customer.scope import AmbiguousCustomer, CustomerError, CustomerNotFound, CustomerScope, find_customer
    from .customer.view import View, customer_view
    from .linter.api import Finding
    from .linter.config import ConfigError
    from .linter.engine import lint
    from .measure import Metrics, metrics
    from .validation import SchemaError, ValidationResult, validate
    from .writer import dump, dumps

__version__ = "0.1.0"

#: Public name -> (module, attribute); attribute ``None`` means the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    "validate": ("validation", "validate"),
    "ValidationResult": ("validation", "ValidationResult"),
    "SchemaError": ("validation", "SchemaError"),
    "lint": ("linter.engine", "lint"),
    "Finding": ("linter.api", "Finding"),
    "ConfigError": ("linter.config", "ConfigError"),
    "dumps": ("writer", "dumps"),
    "dump": ("writer", "dump"),
    "edit": ("edit", None),
    "customer_view": ("customer.view", "customer_view"),
    "View": ("customer.view", "View"),
    "find_customer": ("customer.scope", "find_customer"),
    "CustomerScope": ("customer.scope", "CustomerScope"),
    "CustomerError": ("customer.scope", "CustomerError"),
    "CustomerNotFound": ("customer.scope", "CustomerNotFound"),
    "AmbiguousCustomer": ("customer.scope", "AmbiguousCustomer"),
    "CustomerAnalysis": ("customer.analysis", "CustomerAnalysis"),
    "Touchpoint": ("customer.analysis", "Touchpoint"),
    "ActivityGraph": ("customer.analysis", "ActivityGraph"),
    "HiddenRegion": ("customer.regions", "HiddenRegion"),
    "metrics": ("measure", "metrics"),
    "Metrics": ("measure", "Metrics"),
    "compare": ("comparison", "compare"),
    "Comparison": ("comparison", "Comparison"),
}

__all__ = sorted(["Diagnostic", "LoadError", "Model", "__version__", "load", *_LAZY])


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'bpmn_cx' has no attribute {name!r}") from None
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
