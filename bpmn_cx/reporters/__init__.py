"""Reporters: one class per ``--format``, all behind :class:`~bpmn_cx.reporters.base.Reporter`.

Each reporter writes one :class:`~bpmn_cx.reporters.base.LintResult` to the
stream it was given. Heavy imports (rich) happen inside the reporter that
needs them, so choosing ``--format json`` never loads them.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, TextIO

from .base import LintResult, Reporter

#: ``--format`` name -> (module, class).
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json_format", "JsonReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "junit": ("junit", "JunitReporter"),
    "github": ("github", "GithubReporter"),
}
#: Every value ``--format`` accepts.
FORMAT_CHOICES = ("auto", *FORMATS)


def resolve_format(name: str, environ: Any = None) -> str:
    """``auto`` -> ``github`` inside GitHub Actions, else ``text``."""
    if name != "auto":
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def get_reporter(name: str, stream: TextIO, **kwargs: Any) -> Reporter:
    """The reporter for a ``--format`` value, writing to ``stream``."""
    name = resolve_format(name, kwargs.get("environ"))
    try:
        module_name, class_name = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; formats: {', '.join(FORMAT_CHOICES)}") from None
    cls = getattr(importlib.import_module(f".{module_name}", __name__), class_name)
    return cls(stream, **kwargs)


__all__ = ["FORMATS", "FORMAT_CHOICES", "LintResult", "Reporter", "get_reporter", "resolve_format"]
