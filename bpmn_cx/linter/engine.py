"""The lint engine: load a file, run the configured rules, return findings.

One file goes through these steps:

1. load it; a :class:`~bpmn_cx.loader.LoadError` becomes one ``parse-error``
   finding and nothing else runs on the file;
2. turn the loader's diagnostics into findings of the load pseudo-rules
   (see :mod:`bpmn_cx.linter.pseudo`);
3. validate against the BPMN 2.0 XSD (``schema-invalid``) when that rule is on
   (a big file on a worker thread, alongside steps 1 to 4: see
   :mod:`~bpmn_cx.linter.schema_check`);
4. run every active rule with one :class:`~bpmn_cx.linter.api.RuleContext` each,
   all sharing one per-model cache; a rule that raises becomes a ``rule-error``
   finding and the others still run;
5. drop what ``per-file-ignores`` and ``[[suppress]]`` silence, and sort.

Findings are immutable and sorted by file, line, column, rule, element and
message, so the output is the same from run to run.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Mapping
from typing import Any, Union

from lxml import etree

from ..loader import LINE_CAP, LoadError, load, read_source, source_line
from ..model import Element, Model
from ..validation import error_lines
from . import schema_check
from .api import Finding, Problem, RuleContext
from .config import PRESETS, Config, ConfigResolver, RuleSetting, load_config
from .pseudo import DIAGNOSTIC_RULES
from .registry import get_registry
from .schema_check import Verdict, verdict_of

ConfigLike = Union[Config, Mapping[str, Any], str, "os.PathLike[str]", None]
SourceLike = Union[Model, str, "os.PathLike[str]", bytes]


def _finding(file: str, rule: str, severity: str, message: str, element: str | None,
             line: int | None, column: int | None = None) -> Finding:
    return Finding(file=file, line=line, column=column, rule=rule, severity=severity,
                   message=message, element=element)


def _root_line(model: Model | None) -> int:
    if model is None:
        return 1
    return model.root.sourceline or 1


def _stamp(problem: Problem, rule: str, severity: str, file: str, model: Model, ids: _IdLines) -> Finding:
    element = problem.element
    line = problem.line
    if isinstance(element, Element):
        element_id = element.id
        if line is None:
            line = element.line
    elif isinstance(element, str):
        element_id = element or None
        if line is None and element_id is not None:
            line = model.line_of(element_id)
            if line is None:  # an id we keep in the XML but do not model
                line = ids.line_of(element_id)
    elif element is None:
        element_id = None
    else:
        raise TypeError(f"Problem.element must be a model element, an id or None, not {type(element).__name__}")
    if line is None:
        line = _root_line(model)
    return _finding(file, rule, severity, str(problem.message), element_id, line, problem.column)


class _IdLines:
    """Any ``id`` in the document -> its line, for ids the model does not hold (built on first use)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._lines: dict[str, int] | None = None

    def line_of(self, element_id: str) -> int | None:
        if element_id not in self.model.all_ids:
            return None
        if self._lines is None:
            lines: dict[str, int] = {}
            for el in self.model.root.iter():
                value = el.get("id") if isinstance(el.tag, str) else None
                if value is not None and value not in lines and el.sourceline:
                    lines[value] = _exact_line(el)
            self._lines = lines
        return self._lines.get(element_id)


def _exact_line(el: Any) -> int | None:
    line = el.sourceline
    return source_line(el) if line is not None and line >= LINE_CAP else line


class _LineIndex:
    """Source line -> the nearest element with an id, for XSD errors (built on first use)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._by_line: dict[int, Any] | None = None

    def element_at(self, line: int | None) -> str | None:
        if line is None:
            return None
        if self._by_line is None:
            by_line: dict[int, Any] = {}
            for el in self.model.root.iter(etree.Element):
                sl = _exact_line(el)
                if sl is not None and sl not in by_line:
                    by_line[sl] = el
            self._by_line = by_line
        el = self._by_line.get(line)
        while el is not None:
            value = el.get("id")
            if value:
                return value
            el = el.getparent()
        return None


def _schema_findings(model: Model, file: str, severity: str, verdict: Verdict | None = None) -> list[Finding]:
    """``schema-invalid`` findings: from a verdict worked out elsewhere, or validate now."""
    from .. import namespaces as ns

    if model.namespace != ns.MODEL:
        return []  # the draft namespace: draft-namespace says so, the XSD would flag every element
    if verdict is None:
        verdict = verdict_of(model.tree)
    if not verdict.errors:
        return []
    index = _LineIndex(model)
    if verdict.refused:
        ((line, _, message, _),) = verdict.errors
        line = line or _root_line(model)
        return [_finding(file, "schema-invalid", severity, message, index.element_at(line), line)]
    lines = error_lines(model.tree, ((line, path) for line, _, _, path in verdict.errors))
    return [
        _finding(file, "schema-invalid", severity, message, index.element_at(line), line or _root_line(model), column)
        for line, (_, column, message, _) in zip(lines, verdict.errors)
    ]


def lint_model(model: Model, config: Config, *, file: str | None = None) -> list[Finding]:
    """Lint a loaded model with a resolved configuration."""
    file = file or model.path or "<input>"
    active = config.active_rules(file if file != "<input>" else None)
    return _run(model, file, config, active)


def _run(model: Model, file: str, config: Config, active: dict[str, RuleSetting],
         timings: dict[str, float] | None = None, background: schema_check.Background | None = None
         ) -> list[Finding]:
    """Lint a loaded model. ``background``: the XSD check of its file, already under way."""
    registry = get_registry()
    findings: list[Finding] = []
    for diagnostic in model.diagnostics:
        rule_id = DIAGNOSTIC_RULES.get(diagnostic.code)
        if rule_id is None:
            # A diagnostic newer than the mapping: report it under its own code
            # rather than lose it (tests keep the mapping complete).
            rule_id, setting = diagnostic.code, RuleSetting("warning")
        else:
            setting = active.get(rule_id)
            if setting is None:
                continue
        findings.append(
            _finding(file, rule_id, setting.severity, diagnostic.message, diagnostic.element_id,
                     diagnostic.line or _root_line(model))
        )
    schema = active.get("schema-invalid")
    if schema is not None and background is None:
        start = time.perf_counter()
        findings.extend(_schema_findings(model, file, schema.severity))
        if timings is not None:
            timings["schema-invalid"] = time.perf_counter() - start

    cache: dict[str, Any] = {}
    customer = list(config.customer)
    rule_error = active.get("rule-error")
    # The model is hundreds of thousands of long-lived objects; letting the
    # cyclic GC rescan them while rules allocate costs a sixth of the run.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _run_rules(model, file, active, registry, cache, customer, config.settings, rule_error, findings,
                   timings)
    finally:
        if gc_was_enabled:
            gc.enable()
    if schema is not None and background is not None:
        start = time.perf_counter()  # only the wait for the worker, if any
        findings.extend(_schema_findings(model, file, schema.severity, background.verdict()))
        if background.tree is not None:
            model._companions.append(background.tree)  # freed with the model (see Background.tree)
        if timings is not None:
            timings["schema-invalid"] = time.perf_counter() - start
    return _filter(findings, config, file)


def _run_rules(model: Model, file: str, active: dict[str, RuleSetting], registry: Any, cache: dict[str, Any],
               customer: list[str], settings: dict[str, Any], rule_error: RuleSetting | None,
               findings: list[Finding], timings: dict[str, float] | None) -> None:
    clock = time.perf_counter
    ids = _IdLines(model)
    for rule_id, setting in active.items():
        rule = registry.get(rule_id)
        if rule.check is None:
            continue
        ctx = RuleContext(options=dict(setting.options), file=file, customer=customer, settings=settings,
                          cache=cache, model=model)
        start = clock()
        try:
            for problem in rule.check(model, ctx):
                findings.append(_stamp(problem, rule_id, setting.severity, file, model, ids))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the run
            if rule_error is not None:
                findings.append(
                    _finding(file, "rule-error", rule_error.severity,
                             f"rule {rule_id} crashed: {type(exc).__name__}: {exc}", None,
                             _root_line(model))
                )
        if timings is not None:
            timings[rule_id] = clock() - start


def _filter(findings: list[Finding], config: Config, file: str) -> list[Finding]:
    suppressed = config.suppressions_for(file) if config.suppress else set()
    if suppressed:
        findings = [f for f in findings if (f.rule, f.element or "") not in suppressed]
    findings.sort(key=Finding.sort_key)
    return findings


def _load_and_check(data: bytes, path: str | None, active: dict[str, RuleSetting]
                    ) -> tuple[Model, schema_check.Background | None]:
    """Load a file's bytes; a big file is validated meanwhile, on a worker thread
    (see :mod:`~bpmn_cx.linter.schema_check`), and ``_run`` collects the verdict."""
    background = schema_check.start(data, path) if "schema-invalid" in active else None
    try:
        return load(data, path=path), background
    except LoadError:
        if background is not None:
            background.verdict()  # no thread outlives the call
        raise


def _parse_error(exc: LoadError, file: str, active: dict[str, RuleSetting]) -> list[Finding]:
    """The one finding about a file that cannot be read (none with parse-error off)."""
    setting = active.get("parse-error")
    if setting is None:
        return []
    return [_finding(file, "parse-error", setting.severity, exc.message, None, exc.line or 1)]


def lint_file(path: str, config: Config, *, timings: dict[str, float] | None = None) -> list[Finding]:
    """Lint one file on disk (``parse-error`` when it cannot be read).

    ``timings``, when given, receives the seconds spent loading (``"load"``),
    validating (``"schema-invalid"``) and in each rule (benchmarks use it).
    """
    active = config.active_rules(path)
    if not active:
        return []
    # The model lives only for this call: the cyclic GC would scan its
    # hundreds of thousands of objects three times over (as young, middle-aged
    # and old) while they are all alive. Paused from load to last rule, it
    # meets them once, as garbage, after the call.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        try:
            model, background = _load_and_check(read_source(path), path, active)
        except LoadError as exc:
            return _filter(_parse_error(exc, path, active), config, path)
        if timings is not None:
            timings["load"] = time.perf_counter() - start
        return _run(model, path, config, active, timings, background)
    finally:
        if gc_was_enabled:
            gc.enable()


def resolve_config(config: ConfigLike) -> Config | None:
    """``None`` (discover per file), a :class:`Config`, a mapping, or a path to a TOML file."""
    if config is None or isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_dict(config, source="<config>", base_dir=os.getcwd())
    if isinstance(config, str) and config in PRESETS and not os.path.exists(config):
        return Config.preset(config)
    if isinstance(config, (str, os.PathLike)):
        return load_config(config)
    raise TypeError(f"config must be a Config, a mapping or a path, not {type(config).__name__}")


def lint(model_or_path: SourceLike, config: ConfigLike = None) -> list[Finding]:
    """Lint one BPMN model and return its findings, sorted.

    ``model_or_path`` is a loaded :class:`~bpmn_cx.model.Model`, a path, or
    the bytes of a file. ``config`` is ``None`` (look for ``.bpmn-cx.toml`` /
    ``pyproject.toml`` above the file, else the ``recommended`` preset), a
    :class:`~bpmn_cx.linter.config.Config`, a mapping shaped like
    ``[tool.bpmn-cx]`` (e.g. ``{"extends": "all", "customer": ["Customer"]}``),
    the path of a TOML config file, or the name of a preset (``"all"``).

    A file that cannot be read is a ``parse-error`` finding, not an exception;
    a bad configuration raises :class:`~bpmn_cx.linter.config.ConfigError`.
    """
    resolved = resolve_config(config)
    if isinstance(model_or_path, Model):
        file = model_or_path.path or "<input>"
        if resolved is None:
            resolved = ConfigResolver().for_file(model_or_path.path)
        return lint_model(model_or_path, resolved, file=file)
    if isinstance(model_or_path, (bytes, bytearray, memoryview)):
        if resolved is None:
            resolved = ConfigResolver().for_file(None)
        active = resolved.active_rules(None)
        try:
            model, background = _load_and_check(bytes(model_or_path), None, active)
        except LoadError as exc:
            return _parse_error(exc, "<input>", active)
        return _run(model, "<input>", resolved, active, background=background)
    if isinstance(model_or_path, (str, os.PathLike)):
        path = os.fspath(model_or_path)
        if resolved is None:
            resolved = ConfigResolver().for_file(path)
        return lint_file(path, resolved)
    raise TypeError(f"lint() takes a Model, a path or bytes, not {type(model_or_path).__name__}")
