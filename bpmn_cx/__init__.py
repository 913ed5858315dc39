"""bpmn-cx: read, lint and view BPMN 2.0 processes from the customer's side.

The library API::

    import bpmn_cx
    model = bpmn_cx.load("order.bpmn")       # -> Model, or raises LoadError
    report = bpmn_cx.validate("order.bpmn")  # OMG XSD validation with line numbers

Heavier parts (lint engine, customer view, exporters) are imported on first use
so that ``import bpmn_cx`` and the CLI start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .loader import LoadError, load
from .model import Diagnostic, Model

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "LoadError",
    "Model",
    "ValidationResult",
    "__version__",
    "load",
    "validate",
]

if TYPE_CHECKING:
    from .validate import ValidationResult, validate

_LAZY = {
    "validate": ("validate", "validate"),
    "ValidationResult": ("validate", "ValidationResult"),
    "SchemaError": ("validate", "SchemaError"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'bpmn_cx' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), attribute)
    globals()[name] = value
    return value
