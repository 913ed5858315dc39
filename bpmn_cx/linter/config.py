"""Lint configuration: TOML files, presets, ``extends`` chains and validation.

Where the configuration comes from, for each linted file:

1. ``--config FILE`` (or ``lint(..., config=...)``) if given, for every file;
2. otherwise the nearest ``.bpmn-cx.toml`` or ``pyproject.toml`` with a
   ``[tool.bpmn-cx]`` table, walking up from the file's folder (in one folder
   ``.bpmn-cx.toml`` wins);
3. otherwise the ``recommended`` preset.

A configuration (the top level of ``.bpmn-cx.toml``, or ``[tool.bpmn-cx]``)::

    extends = "recommended"              # a preset, a relative path to a TOML file, or a list
    customer = ["Customer", "Lane_0"]    # customer pools/lanes by name or id
    customer-names = ["Kunde", "Client"] # role names that mark the customer when `customer` is not set

    [rules]                              # [tool.bpmn-cx.rules] in pyproject.toml
    label-required = "off"               # "off" | "info" | "warn" | "error"
    max-elements = { severity = "warn", max = 30 }

    [per-file-ignores]
    "legacy/*.bpmn" = ["label-required"]

    [[suppress]]
    rule = "superfluous-gateway"
    element = "Gateway_1"
    files = "orders/*.bpmn"              # optional
    reason = "kept for the engine"       # optional

Everything is validated when it is read: an unknown key, rule id or option,
or a value of the wrong type is a :class:`ConfigError` naming the file and
the key (the CLI exits with 2).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .api import SEVERITY_ALIASES, Option

#: The presets that ship with bpmn-cx, in the order they are listed.
PRESETS = ("recommended", "all", "bpmnlint", "customer")
DEFAULT_EXTENDS = ("recommended",)
CONFIG_FILES = (".bpmn-cx.toml", "pyproject.toml")
#: Config spellings of a rule setting.
RULE_LEVELS = ("off", "info", "warn", "warning", "error")
TOP_LEVEL_KEYS = ("extends", "customer", "customer-names", "rules", "per-file-ignores", "suppress")
SUPPRESS_KEYS = ("rule", "element", "files", "reason")


class ConfigError(Exception):
    """A configuration that cannot be used. ``str()`` is the message for users."""

    def __init__(self, message: str, file: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    def __str__(self) -> str:
        where = self.file or "configuration"
        if self.key:
            return f"{where}: {self.key}: {self.message}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RuleSetting:
    """How one rule is configured: ``severity`` is ``"off"``, ``"error"``, ``"warning"`` or ``"info"``."""

    severity: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.severity != "off"


@dataclass(frozen=True)
class Suppression:
    """``[[suppress]]``: one rule silenced on one element (optionally in some files only)."""

    rule: str
    element: str
    files: tuple[str, ...] = ()
    base_dir: str = "."
    reason: str | None = None

    def applies_to(self, path: str | None) -> bool:
        return not self.files or any(glob_match(p, path, self.base_dir) for p in self.files)


@dataclass(frozen=True)
class FileIgnore:
    """``[per-file-ignores]``: rules (or ``"*"``) off for the files a glob matches."""

    pattern: str
    rules: frozenset[str]
    base_dir: str = "."


@dataclass
class Config:
    """A resolved configuration: what to run on a file and how.

    ``rules`` holds every rule the configuration mentions, ``"off"`` ones
    included; options are merged with the rule's defaults when the rule runs.
    """

    rules: dict[str, RuleSetting] = field(default_factory=dict)
    customer: list[str] = field(default_factory=list)
    #: Role names that identify the customer pool or lane when ``customer`` is empty
    #: (``None``: the built-in list). Reaches rules as ``ctx.settings["customer-names"]``.
    customer_names: list[str] | None = None
    per_file_ignores: list[FileIgnore] = field(default_factory=list)
    suppress: list[Suppression] = field(default_factory=list)
    #: The file the configuration was read from (``None``: presets only).
    source: str | None = None
    #: ``--select``: run only these rules (plus parse-error and rule-error).
    select: frozenset[str] | None = None
    #: ``--ignore``: never run these.
    ignore: frozenset[str] = frozenset()
    #: The active rules before per-file ignores, computed on first use.
    _active: dict[str, RuleSetting] | None = field(default=None, repr=False, compare=False)

    # -- construction --------------------------------------------------
    @classmethod
    def preset(cls, name: str = "recommended") -> Config:
        """The configuration of one bundled preset."""
        return resolve_layers([Layer.from_extends([name], "<preset>", ".")], source=None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<config>", base_dir: str = ".") -> Config:
        """A configuration from a mapping shaped like ``[tool.bpmn-cx]``."""
        layer = parse_layer(data, source=source, base_dir=base_dir, prefix="")
        return resolve_layers([layer], source=source)

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        customer: Iterable[str] | None = None,
    ) -> Config:
        """The command line's ``--select``/``--ignore``/``--customer`` on top of this config."""
        from .registry import get_registry

        registry = get_registry()
        for option, ids in (("--select", select), ("--ignore", ignore)):
            for rule_id in ids or ():
                if rule_id not in registry:
                    hint = registry.suggest(rule_id)
                    raise ConfigError(
                        f"unknown rule id {rule_id!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                        option,
                    )
        out = replace(self, _active=None)
        if select is not None:
            out.select = frozenset(select)
        if ignore:
            out.ignore = self.ignore | frozenset(ignore)
        if customer is not None:
            out.customer = list(customer)
        return out

    # -- queries ------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """What rules get as ``ctx.settings`` (settings of shared analyses)."""
        return {} if self.customer_names is None else {"customer-names": list(self.customer_names)}

    def active_rules(self, path: str | None = None) -> dict[str, RuleSetting]:
        """The rules to run on ``path``: id -> setting with options merged over defaults."""
        ignored = self.ignored_for(path)
        if "*" in ignored:
            return {}
        base = self._active
        if base is None:
            base = self._active = self._compute_active()
        if not ignored:
            return base
        return {k: v for k, v in base.items() if k not in ignored}

    def _compute_active(self) -> dict[str, RuleSetting]:
        from .pseudo import ALWAYS_ON
        from .registry import get_registry

        registry = get_registry()
        chosen: dict[str, RuleSetting] = {}
        if self.select is not None:
            for rule_id in self.select:
                setting = self.rules.get(rule_id)
                if setting is None or not setting.enabled:
                    setting = RuleSetting(registry.get(rule_id).severity, setting.options if setting else {})
                chosen[rule_id] = setting
        else:
            chosen = {k: v for k, v in self.rules.items() if v.enabled}
        for rule_id in ALWAYS_ON:
            if rule_id in chosen:
                continue
            configured = self.rules.get(rule_id)
            if configured is None:
                chosen[rule_id] = RuleSetting(registry.get(rule_id).severity)
            elif configured.enabled:  # only an explicit "off" turns these off
                chosen[rule_id] = configured
        out = {}
        for rule_id in sorted(chosen):
            if rule_id in self.ignore or rule_id not in registry:
                continue
            setting = chosen[rule_id]
            rule = registry.get(rule_id)
            options = {name: opt.default for name, opt in rule.options.items()}
            options.update(setting.options)
            out[rule_id] = RuleSetting(setting.severity, options)
        return out

    def ignored_for(self, path: str | None) -> frozenset[str]:
        """Rules that ``per-file-ignores`` turn off for this file."""
        if path is None or not self.per_file_ignores:
            return frozenset()
        out: set[str] = set()
        for entry in self.per_file_ignores:
            if glob_match(entry.pattern, path, entry.base_dir):
                out |= entry.rules
        return frozenset(out)

    def suppressions_for(self, path: str | None) -> set[tuple[str, str]]:
        """(rule, element) pairs silenced in this file."""
        return {(s.rule, s.element) for s in self.suppress if s.applies_to(path)}


# -- globs --------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a path glob: ``*`` and ``?`` stay inside one folder, ``**`` spans folders.

    A pattern without ``/`` matches the file name (or a folder name) at any
    depth, as in ``.gitignore``.
    """
    pattern = pattern.replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                if pattern.startswith("**/", i):
                    out.append("(?:.*/)?")
                    i += 3
                else:
                    out.append(".*")
                    i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    regex = "".join(out)
    if not anchored:
        regex = "(?:.*/)?" + regex
    return re.compile(regex + r"\Z")


def _candidates(path: str, base_dir: str) -> list[str]:
    """The file path relative to ``base_dir`` (posix), plus the path as given."""
    out = []
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(base_dir))
    except ValueError:  # another drive on Windows
        rel = absolute
    rel = rel.replace(os.sep, "/")
    if not rel.startswith("../"):
        out.append(rel)
    given = path.replace(os.sep, "/")
    while given.startswith("./"):
        given = given[2:]
    if given not in out:
        out.append(given)
    return out


def glob_match(pattern: str, path: str | None, base_dir: str = ".") -> bool:
    """Does the glob match the file, or one of the folders it is in?"""
    if path is None:
        return False
    regex = _glob_regex(pattern)
    for candidate in _candidates(path, base_dir):
        parts = candidate.split("/")
        for end in range(len(parts), 0, -1):
            if regex.match("/".join(parts[:end])):
                return True
    return False


# -- reading TOML ---------------------------------------------------------------


def _presets_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "presets"


@functools.lru_cache(maxsize=64)
def _read_toml_cached(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid TOML: not UTF-8 ({exc.reason})", path) from None


def read_toml(path: str) -> dict[str, Any]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ConfigError("no such file", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path) from None
    if not os.path.isfile(path):
        raise ConfigError("not a file", path)
    try:
        return _read_toml_cached(path, st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path) from None


def _is_pyproject(path: str) -> bool:
    return os.path.basename(path) == "pyproject.toml"


def config_table(path: str, *, required: bool = True) -> tuple[dict[str, Any] | None, str]:
    """The bpmn-cx table of a config file and the key prefix used in messages."""
    data = read_toml(path)
    if _is_pyproject(path):
        tool = data.get("tool")
        table = tool.get("bpmn-cx") if isinstance(tool, dict) else None
        if table is None:
            if required:
                raise ConfigError("has no [tool.bpmn-cx] table", path)
            return None, "tool.bpmn-cx."
        if not isinstance(table, dict):
            raise ConfigError("must be a table", path, "tool.bpmn-cx")
        return table, "tool.bpmn-cx."
    return data, ""


def find_config_file(start: str) -> str | None:
    """The nearest ``.bpmn-cx.toml`` or ``pyproject.toml`` with ``[tool.bpmn-cx]`` above ``start``."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        found = _config_in(folder)
        if found is not None:
            return found
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _config_in(folder: str) -> str | None:
    for name in CONFIG_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            if name == "pyproject.toml":
                table, _ = config_table(candidate, required=False)
                if table is None:
                    continue
            return candidate
    return None


# -- parsing one file into a layer ------------------------------------------------


@dataclass
class Layer:
    """One configuration file (or preset), parsed and checked, before ``extends``."""

    source: str
    base_dir: str
    extends: list[str]
    #: rule id -> (severity or None when a table gives only options, options)
    rules: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)
    customer: list[str] | None = None
    customer_names: list[str] | None = None
    per_file_ignores: list[FileIgnore] = field(default_factory=list)
    suppress: list[Suppression] = field(default_factory=list)
    is_preset: bool = False

    @classmethod
    def from_extends(cls, extends: list[str], source: str, base_dir: str) -> Layer:
        return cls(source=source, base_dir=base_dir, extends=list(extends))


_TYPE_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
               list: "a list", dict: "a table"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _string_list(value: Any, source: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"must be a list of strings, not {_type_name(value)}", source, key)
    return list(value)


def _rule_id(rule_id: Any, source: str, key: str, *, lenient: bool) -> str | None:
    from .registry import get_registry

    registry = get_registry()
    if not isinstance(rule_id, str):
        raise ConfigError(f"a rule id must be a string, not {_type_name(rule_id)}", source, key)
    if rule_id in registry:
        return rule_id
    if lenient:
        return None
    hint = registry.suggest(rule_id)
    raise ConfigError(
        f"unknown rule id {rule_id!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        + "; `bpmn-cx rules` lists them",
        source,
        key,
    )


def _severity(value: Any, source: str, key: str) -> str:
    if not isinstance(value, str) or value not in RULE_LEVELS:
        shown = repr(value) if isinstance(value, str) else _type_name(value)
        raise ConfigError(f'must be "off", "info", "warn" or "error", not {shown}', source, key)
    return "off" if value == "off" else SEVERITY_ALIASES[value]


def check_option(option: Option, value: Any, source: str, key: str) -> Any:
    """Validate one option value against its declaration; return it (ints widened to floats)."""
    types = option.type if isinstance(option.type, tuple) else (option.type,)
    ok = False
    for wanted in types:
        if wanted is bool:
            ok = isinstance(value, bool)
        elif wanted is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if ok and not isinstance(value, float) and int not in types:
                value = float(value)
        elif wanted is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, wanted)
        if ok:
            break
    if not ok:
        expected = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
        raise ConfigError(f"must be {expected}, not {_type_name(value)} {value!r}", source, key)
    if option.minimum is not None and isinstance(value, (int, float)) and value < option.minimum:
        raise ConfigError(f"must be at least {option.minimum:g}, not {value!r}", source, key)
    if option.choices is not None and value not in option.choices:
        allowed = ", ".join(repr(c) for c in option.choices)
        raise ConfigError(f"must be one of {allowed}, not {value!r}", source, key)
    return value


def check_options(rule_id: str, options: Mapping[str, Any], source: str, key_prefix: str) -> dict[str, Any]:
    """Validate a rule's options table (unknown option or wrong type: ConfigError)."""
    from .registry import get_registry

    rule = get_registry().get(rule_id)
    out = {}
    for name, value in options.items():
        key = f"{key_prefix}.{name}"
        option = rule.options.get(name)
        if option is None:
            known = ", ".join(sorted(rule.options)) or "none"
            raise ConfigError(f"rule {rule_id!r} has no option {name!r} (its options: {known})", source, key)
        out[name] = check_option(option, value, source, key)
    return out


def parse_layer(
    data: Mapping[str, Any],
    *,
    source: str,
    base_dir: str,
    prefix: str,
    is_preset: bool = False,
) -> Layer:
    """Check one configuration table and turn it into a :class:`Layer`."""
    if not isinstance(data, Mapping):
        raise ConfigError("must be a table", source)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            import difflib

            hint = difflib.get_close_matches(str(key), TOP_LEVEL_KEYS, n=1)
            raise ConfigError(
                "unknown key" + (f" (did you mean {prefix}{hint[0]!r}?)" if hint else "")
                + f"; known keys: {', '.join(TOP_LEVEL_KEYS)}",
                source,
                f"{prefix}{key}",
            )
    if "extends" in data:
        value = data["extends"]
        if isinstance(value, str):
            extends = [value]
        else:
            extends = _string_list(value, source, f"{prefix}extends")
    else:
        extends = [] if is_preset else list(DEFAULT_EXTENDS)
    layer = Layer(source=source, base_dir=base_dir, extends=extends, is_preset=is_preset)

    rules = data.get("rules", {})
    if not isinstance(rules, Mapping):
        raise ConfigError(f"must be a table, not {_type_name(rules)}", source, f"{prefix}rules")
    for rule_id, value in rules.items():
        key = f"{prefix}rules.{rule_id}"
        if _rule_id(rule_id, source, key, lenient=is_preset) is None:
            continue
        if isinstance(value, str):
            layer.rules[rule_id] = (_severity(value, source, key), {})
        elif isinstance(value, Mapping):
            options = dict(value)
            severity = None
            if "severity" in options:
                severity = _severity(options.pop("severity"), source, f"{key}.severity")
            layer.rules[rule_id] = (severity, check_options(rule_id, options, source, key))
        else:
            raise ConfigError(
                f'must be "off", "info", "warn", "error" or a table with severity and options, '
                f"not {_type_name(value)}",
                source,
                key,
            )

    if "customer" in data:
        layer.customer = _string_list(data["customer"], source, f"{prefix}customer")
    if "customer-names" in data:
        layer.customer_names = _string_list(data["customer-names"], source, f"{prefix}customer-names")

    ignores = data.get("per-file-ignores", {})
    if not isinstance(ignores, Mapping):
        raise ConfigError(f"must be a table, not {_type_name(ignores)}", source, f"{prefix}per-file-ignores")
    for pattern, ids in ignores.items():
        key = f'{prefix}per-file-ignores."{pattern}"'
        checked = set()
        for i, rule_id in enumerate(_string_list(ids, source, key)):
            if rule_id == "*":
                checked.add("*")
            elif _rule_id(rule_id, source, f"{key}[{i}]", lenient=is_preset):
                checked.add(rule_id)
        layer.per_file_ignores.append(FileIgnore(pattern, frozenset(checked), base_dir))

    suppress = data.get("suppress", [])
    if not isinstance(suppress, list):
        raise ConfigError(
            f"must be an array of tables ([[{prefix}suppress]]), not {_type_name(suppress)}",
            source,
            f"{prefix}suppress",
        )
    for i, entry in enumerate(suppress):
        key = f"{prefix}suppress[{i}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"must be a table with rule and element, not {_type_name(entry)}", source, key)
        for name in entry:
            if name not in SUPPRESS_KEYS:
                raise ConfigError(f"unknown key (known: {', '.join(SUPPRESS_KEYS)})", source, f"{key}.{name}")
        for name in ("rule", "element"):
            if name not in entry:
                raise ConfigError(f"is missing {name!r}", source, key)
            if not isinstance(entry[name], str) or not entry[name]:
                raise ConfigError("must be a non-empty string", source, f"{key}.{name}")
        rule_id = _rule_id(entry["rule"], source, f"{key}.rule", lenient=is_preset)
        if rule_id is None:
            continue
        files = entry.get("files", ())
        if isinstance(files, str):
            files = [files]
        files = _string_list(list(files), source, f"{key}.files") if files else []
        reason = entry.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise ConfigError(f"must be a string, not {_type_name(reason)}", source, f"{key}.reason")
        layer.suppress.append(Suppression(rule_id, entry["element"], tuple(files), base_dir, reason))
    return layer


def _preset_file(name: str) -> Path:
    return _presets_dir() / f"{name}.toml"


def load_preset_layer(name: str) -> Layer:
    path = _preset_file(name)
    data = read_toml(str(path))
    return parse_layer(data, source=f"preset {name!r} ({path.name})", base_dir=str(path.parent),
                       prefix="", is_preset=True)


def load_file_layer(path: str) -> Layer:
    path = os.path.abspath(path)
    table, prefix = config_table(path)
    assert table is not None
    return parse_layer(table, source=path, base_dir=os.path.dirname(path), prefix=prefix)


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.endswith(".toml") or ref.startswith(".")


def _expand(layer: Layer, stack: list[str], out: list[Layer]) -> None:
    """Depth-first: the layers ``layer`` extends come before it. ``stack`` catches cycles."""
    for ref in layer.extends:
        if not isinstance(ref, str) or not ref.strip():
            raise ConfigError("extends must name a preset or a TOML file", layer.source, "extends")
        if not _looks_like_path(ref):
            if ref not in PRESETS:
                raise ConfigError(
                    f"unknown preset {ref!r}; presets: {', '.join(PRESETS)} "
                    "(or give a relative path to a TOML file)",
                    layer.source,
                    "extends",
                )
            key = f"preset:{ref}"
            loader = lambda ref=ref: load_preset_layer(ref)  # noqa: E731
        else:
            target = os.path.normpath(os.path.join(layer.base_dir, ref))
            if not os.path.isfile(target):
                raise ConfigError(f"extends {ref!r}: no such file ({target})", layer.source, "extends")
            key = f"file:{os.path.abspath(target)}"
            loader = lambda target=target: load_file_layer(target)  # noqa: E731
        if key in stack:
            chain = " -> ".join(s.partition(":")[2] for s in stack + [key])
            raise ConfigError(f"extends cycle: {chain}", layer.source, "extends")
        child = loader()
        stack.append(key)
        _expand(child, stack, out)
        stack.pop()
    out.append(layer)


def resolve_layers(layers: list[Layer], *, source: str | None) -> Config:
    """Expand ``extends`` and merge: later layers override earlier ones rule by rule."""
    from .registry import get_registry

    registry = get_registry()
    ordered: list[Layer] = []
    for layer in layers:
        start = [f"file:{os.path.abspath(layer.source)}"] if os.path.isfile(layer.source) else []
        _expand(layer, start, ordered)
    config = Config(source=source)
    for layer in ordered:
        for rule_id, (severity, options) in layer.rules.items():
            previous = config.rules.get(rule_id)
            if severity is None:
                # Options without a severity: keep the inherited severity, or
                # turn the rule on at its default one.
                if previous is not None and previous.enabled:
                    severity = previous.severity
                else:
                    severity = registry.get(rule_id).severity
            merged = dict(previous.options) if previous is not None else {}
            merged.update(options)
            config.rules[rule_id] = RuleSetting(severity, merged)
        if layer.customer is not None:
            config.customer = list(layer.customer)
        if layer.customer_names is not None:
            config.customer_names = list(layer.customer_names)
        config.per_file_ignores.extend(layer.per_file_ignores)
        config.suppress.extend(layer.suppress)
    return config


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read a config file (``.bpmn-cx.toml``, ``pyproject.toml`` or any TOML file)."""
    path = os.fspath(path)
    layer = load_file_layer(path)
    return resolve_layers([layer], source=os.path.abspath(path))


@functools.lru_cache(maxsize=None)
def preset_rules(name: str) -> dict[str, str]:
    """Rule id -> severity (``"off"`` included) of a preset, after its own ``extends``."""
    config = Config.preset(name)
    return {rule_id: setting.severity for rule_id, setting in config.rules.items()}


def preset_with(config_path: str | None, preset: str) -> Config:
    """``--preset``: the config file's settings, with its ``extends`` replaced by ``preset``."""
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}", "--preset")
    if config_path is None:
        return Config.preset(preset)
    layer = load_file_layer(config_path)
    layer.extends = [preset]
    return resolve_layers([layer], source=os.path.abspath(config_path))


class ConfigResolver:
    """Finds and caches the configuration of each file (one look-up per folder)."""

    def __init__(
        self,
        *,
        config_file: str | None = None,
        preset: str | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        customer: Iterable[str] | None = None,
        base: Config | None = None,
    ) -> None:
        self.config_file = config_file
        self.preset = preset
        self.select = list(select) if select is not None else None
        self.ignore = list(ignore or ())
        self.customer = list(customer) if customer is not None else None
        self._by_source: dict[str | None, Config] = {}
        self._by_folder: dict[str, str | None] = {}
        if base is not None:
            self._fixed: Config | None = self._finish(base)
        elif config_file is not None:
            self._fixed = self._finish(self._load(config_file))
        else:
            self._fixed = None

    def _load(self, path: str | None) -> Config:
        if self.preset is not None:
            return preset_with(path, self.preset)
        if path is None:
            return Config.preset("recommended")
        return load_config(path)

    def _finish(self, config: Config) -> Config:
        return config.with_overrides(select=self.select, ignore=self.ignore, customer=self.customer)

    def for_file(self, path: str | None) -> Config:
        if self._fixed is not None:
            return self._fixed
        folder = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
        if folder not in self._by_folder:
            self._by_folder[folder] = find_config_file(folder)
        source = self._by_folder[folder]
        config = self._by_source.get(source)
        if config is None:
            config = self._finish(self._load(source))
            self._by_source[source] = config
        return config

    def check(self) -> None:
        """Validate the overrides even when no file gets linted."""
        self._finish(Config())
