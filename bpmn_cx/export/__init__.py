"""Exporters: the model as JSON, as a Mermaid flowchart, as Graphviz DOT.

``FORMATS`` maps a format name to a function ``(model) -> str``; BPMN itself
is written by :mod:`bpmn_cx.writer`. Each exporter module documents its form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Model


def _json(model: Model) -> str:
    from .json import dumps

    return dumps(model)


def _mermaid(model: Model) -> str:
    from .mermaid import dumps

    return dumps(model)


def _dot(model: Model) -> str:
    from .dot import dumps

    return dumps(model)


#: Text formats: name -> exporter.
FORMATS: dict[str, Callable[[Model], str]] = {"json": _json, "mermaid": _mermaid, "dot": _dot}

__all__ = ["FORMATS"]
