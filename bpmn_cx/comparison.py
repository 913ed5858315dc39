"""What-if comparison of two variants of a process, from the customer's side.

``bpmn_cx.compare(base, variant, customer=None) -> Comparison`` puts the
:mod:`customer metrics <bpmn_cx.measure>` of two models side by side and says,
for each, whether the variant is better or worse for the customer (every
metric declares its direction in :data:`bpmn_cx.measure.METRICS`). It also

* diffs the lint findings (``recommended`` and ``customer`` presets): new,
  resolved and persisting, matched by rule and element id, and, for what is
  left, by rule, lane and label (so findings survive a remodelling that gave
  the elements new ids);
* aligns the customer's touchpoints in journey order by their labels (a
  longest common subsequence, computed with Myers' O((N+M)·D) difference
  algorithm), showing touchpoints added, removed, and those whose
  counterpart changed;
* sums it up in words: ``contacts 5 → 2; internal handoffs 3 → 4 (moved
  behind the line of visibility)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .measure import (
    METRICS,
    SOUNDNESS_RANK,
    MetricSpec,
    Metrics,
    ModelLike,
    TouchpointStep,
    human_duration,
    md_cell,
    md_table,
    scope_ids,
)
from .model import Element, FlowNode, Lane, MessageFlow, Model, SequenceFlow

if TYPE_CHECKING:
    from .customer.scope import CustomerScope
    from .linter.api import Finding

#: The lint configuration whose findings are diffed (the customer names are added per model).
DEFAULT_LINT_PRESETS = ("recommended", "customer")
#: Beyond this many differences the touchpoint alignment stops looking for the
#: longest common subsequence and reports the rest as removed and added.
MAX_ALIGNMENT_EDITS = 1000


# -- metric rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricChange:
    """One metric in both variants. ``better`` is ``None`` when unchanged, unknown or neutral."""

    spec: MetricSpec
    base: Any
    variant: Any
    delta: Any
    better: bool | None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def changed(self) -> bool:
        return self.base != self.variant

    @property
    def worse(self) -> bool:
        return self.better is False

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "variant": self.variant, "delta": self.delta, "better": self.better}


def _delta(spec: MetricSpec, base: Any, variant: Any) -> Any:
    if spec.kind == "verdict" or base is None or variant is None:
        return None
    value = variant - base
    if spec.kind == "ratio":
        return round(value, 2)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _better(spec: MetricSpec, base: Any, variant: Any) -> bool | None:
    if spec.direction == "neutral" or base is None or variant is None or base == variant:
        return None
    if spec.kind == "verdict":
        base, variant = SOUNDNESS_RANK.get(base, 0), SOUNDNESS_RANK.get(variant, 0)
        if base == variant:
            return None
    if spec.direction == "lower":
        return variant < base
    return variant > base


def metric_changes(base: Metrics, variant: Metrics) -> list[MetricChange]:
    """Every metric of :data:`~bpmn_cx.measure.METRICS` in both variants."""
    out = []
    for spec in METRICS:
        b, v = base.value(spec.name), variant.value(spec.name)
        out.append(MetricChange(spec, b, v, _delta(spec, b, v), _better(spec, b, v)))
    return out


def format_value(spec: MetricSpec, value: Any) -> str:
    if value is None:
        return "unknown" if spec.kind == "seconds" else "-"
    if spec.kind == "ratio":
        return f"{value:.0%}"
    if spec.kind == "seconds":
        return human_duration(value)
    return str(value)


def format_delta(spec: MetricSpec, delta: Any) -> str:
    if delta is None or delta == 0:
        return ""
    if spec.kind == "seconds":
        sign = "+" if delta > 0 else "-"
        return sign + human_duration(abs(delta))
    if spec.kind == "ratio":
        return f"{delta:+.0%}"
    return f"{delta:+d}" if isinstance(delta, int) else f"{delta:+}"


# -- findings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingsDiff:
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    #: ``(base finding, variant finding)`` pairs.
    persisting: list[tuple[Finding, Finding]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": [f.to_dict() for f in self.new],
            "resolved": [f.to_dict() for f in self.resolved],
            "persisting": [{"base": b.to_dict(), "variant": v.to_dict()} for b, v in self.persisting],
        }


def _element_context(model: Model, element_id: str | None) -> tuple[str, str] | None:
    """(lane path, label) of a finding's element, for matching across variants; ``None`` if unlabelled."""
    from .customer.scope import effective_lane, normalize_name

    if not element_id:
        return None
    element: Element | None = model.get(element_id)
    if element is None:
        return None
    lane: Lane | None = None
    label = element.label
    if isinstance(element, FlowNode):
        lane = effective_lane(element)
    elif isinstance(element, Lane):
        lane = element.parent
    elif isinstance(element, (SequenceFlow, MessageFlow)):
        source, target = element.source, element.target
        if isinstance(source, FlowNode):
            lane = effective_lane(source)
        if not label:
            names = [getattr(end, "label", "") for end in (source, target)]
            label = " -> ".join(names) if all(names) else ""
    if not label:
        return None
    return (lane.path if lane is not None else ""), normalize_name(label)


def diff_findings(base_model: Model, base: list[Finding], variant_model: Model, variant: list[Finding]) -> FindingsDiff:
    """Match findings by rule + element id, then by rule + lane + label; the rest are new or resolved.

    Matching is a multiset match per key (two findings of one rule on one
    element pair up with two in the other variant); file-level findings
    (no element) match by rule and message.
    """

    def primary(f: Finding) -> tuple:
        return (f.rule, f.element) if f.element else (f.rule, None, f.message)

    persisting: list[tuple[Finding, Finding]] = []

    def match(left: list[Finding], right: list[Finding], key_left: Any, key_right: Any) -> tuple[list, list]:
        buckets: dict[Any, list[Finding]] = {}
        for f in right:
            key = key_right(f)
            if key is not None:
                buckets.setdefault(key, []).append(f)
        matched_right: set[int] = set()
        rest_left = []
        for f in left:
            key = key_left(f)
            bucket = buckets.get(key) if key is not None else None
            if bucket:
                other = bucket.pop(0)
                matched_right.add(id(other))
                persisting.append((f, other))
            else:
                rest_left.append(f)
        rest_right = [f for f in right if id(f) not in matched_right]
        return rest_left, rest_right

    left, right = match(base, variant, primary, primary)

    def fallback(model: Model) -> Any:
        def key(f: Finding) -> tuple | None:
            context = _element_context(model, f.element)
            return None if context is None else (f.rule, *context)

        return key

    left, right = match(left, right, fallback(base_model), fallback(variant_model))
    return FindingsDiff(new=right, resolved=left, persisting=persisting)


def lint_findings(model: Model, customer: list[str], config: Any = None) -> list[Finding]:
    """The findings the comparison diffs: ``config``, or the recommended and customer presets."""
    from .linter.engine import lint

    if config is None:
        config = {"extends": list(DEFAULT_LINT_PRESETS), "customer": list(customer)}
    return lint(model, config)


# -- touchpoint alignment ---------------------------------------------------------------------


@dataclass(frozen=True)
class AlignedTouchpoint:
    """``status``: ``"same"``, ``"changed"`` (same touchpoint, other counterpart), ``"added"``, ``"removed"``."""

    status: str
    base: TouchpointStep | None
    variant: TouchpointStep | None

    @property
    def step(self) -> TouchpointStep:
        step = self.variant if self.variant is not None else self.base
        assert step is not None
        return step

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "direction": self.step.direction,
            "label": self.step.label,
            "base": None if self.base is None else self.base.to_dict(),
            "variant": None if self.variant is None else self.variant.to_dict(),
        }


def lcs_pairs(a: list[Any], b: list[Any], max_edits: int = MAX_ALIGNMENT_EDITS) -> list[tuple[int | None, int | None]]:
    """Align two sequences on a longest common subsequence (Myers' algorithm).

    Returns ``(i, j)`` for a match, ``(i, None)`` for ``a[i]`` removed and
    ``(None, j)`` for ``b[j]`` added, in order. Time O((N+M)·D) and memory
    O(D²) for D differences; beyond ``max_edits`` differences the middle
    part is reported as removed, then added (not minimal, but bounded).
    """
    n, m = len(a), len(b)
    start = 0
    while start < n and start < m and a[start] == b[start]:
        start += 1
    end_a, end_b = n, m
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    head = [(i, i) for i in range(start)]
    tail = [(end_a + k, end_b + k) for k in range(n - end_a)]
    x_seq, y_seq = a[start:end_a], b[start:end_b]
    middle = _myers(x_seq, y_seq, max_edits)
    if middle is None:
        middle = [(i, None) for i in range(len(x_seq))] + [(None, j) for j in range(len(y_seq))]
    shifted = [
        (None if i is None else i + start, None if j is None else j + start) for i, j in middle
    ]
    return head + shifted + tail


def _myers(a: list[Any], b: list[Any], max_edits: int) -> list[tuple[int | None, int | None]] | None:
    n, m = len(a), len(b)
    if not n or not m:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    limit = min(n + m, max_edits)
    # v[k] = furthest x on diagonal k; trace[d] keeps diagonals -d..d before round d.
    v: dict[int, int] = {1: 0}
    trace: list[dict[int, int]] = []
    found = False
    for d in range(limit + 1):
        trace.append(dict(v))
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v.get(k - 1, -1) < v.get(k + 1, -1)):
                x = v.get(k + 1, 0)
            else:
                x = v.get(k - 1, 0) + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[k] = x
            if x >= n and y >= m:
                found = True
                break
        if found:
            break
        # Keep only the diagonals the next round reads: memory O(d) per round.
        v = {k: v[k] for k in range(-d, d + 1, 2) if k in v}
    if not found:
        return None
    out: list[tuple[int | None, int | None]] = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        vd = trace[d]
        k = x - y
        if k == -d or (k != d and vd.get(k - 1, -1) < vd.get(k + 1, -1)):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = vd.get(prev_k, 0)
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            out.append((x - 1, y - 1))
            x -= 1
            y -= 1
        if d > 0:
            if x == prev_x:
                out.append((None, prev_y))
            else:
                out.append((prev_x, None))
        x, y = prev_x, prev_y
    out.reverse()
    return out


def align_touchpoints(base: list[TouchpointStep], variant: list[TouchpointStep]) -> list[AlignedTouchpoint]:
    """The two touchpoint sequences aligned by direction and label."""
    from .customer.scope import normalize_name

    pairs = lcs_pairs([t.key for t in base], [t.key for t in variant])
    out = []
    for i, j in pairs:
        if i is not None and j is not None:
            b, v = base[i], variant[j]
            same = normalize_name(b.counterpart) == normalize_name(v.counterpart)
            out.append(AlignedTouchpoint("same" if same else "changed", b, v))
        elif i is not None:
            out.append(AlignedTouchpoint("removed", base[i], None))
        else:
            assert j is not None
            out.append(AlignedTouchpoint("added", None, variant[j]))
    return out


# -- the comparison -------------------------------------------------------------------------

#: What the verdict mentions, in this order, and how it calls each metric.
_VERDICT = (
    ("distinct_counterparts", "contacts"),
    ("customer_handoffs.max", "customer handoffs"),
    ("touchpoints.total", "touchpoints"),
    ("customer_steps.max", "customer steps"),
    ("max_wait_hidden_steps", "longest hidden wait"),
    ("max_wait_seconds", "longest stated wait"),
    ("internal_handoffs.max", "internal handoffs"),
    ("visible_steps", "visible steps"),
    ("dead_ends", "dead ends"),
    ("responsibility_gaps", "responsibility gaps"),
    ("soundness", "soundness"),
)


@dataclass
class Comparison:
    """The customer metrics, findings and touchpoints of two variants, side by side."""

    base: Metrics
    variant: Metrics
    metrics: list[MetricChange]
    findings: FindingsDiff
    alignment: list[AlignedTouchpoint]

    @property
    def better(self) -> list[MetricChange]:
        return [c for c in self.metrics if c.better is True]

    @property
    def worse(self) -> list[MetricChange]:
        return [c for c in self.metrics if c.better is False]

    @property
    def identical(self) -> bool:
        """No metric changed, no finding came or went, no touchpoint changed."""
        return (
            not any(c.changed for c in self.metrics)
            and not self.findings.new
            and not self.findings.resolved
            and all(a.status == "same" for a in self.alignment)
        )

    def change(self, name: str) -> MetricChange:
        for c in self.metrics:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def verdict(self) -> str:
        """The changes that matter, in words: ``"Mixed: contacts 5 → 2; ..."``."""
        phrases = []
        for name, words in _VERDICT:
            c = self.change(name)
            if not c.changed:
                continue
            if c.spec.kind == "seconds":
                phrase = f"{words} {format_value(c.spec, c.base)} → {format_value(c.spec, c.variant)}"
            elif name == "max_wait_hidden_steps":
                phrase = f"{words} {c.base} → {c.variant} steps"
            else:
                phrase = f"{words} {c.base} → {c.variant}"
            if name == "internal_handoffs.max" and c.worse and self._moved_behind_the_line():
                phrase += " (moved behind the line of visibility)"
            phrases.append(phrase)
        added = sum(1 for a in self.alignment if a.status == "added")
        removed = sum(1 for a in self.alignment if a.status == "removed")
        changed = sum(1 for a in self.alignment if a.status == "changed")
        moves = [f"{n} {word}" for n, word in ((removed, "removed"), (added, "added"),
                                                (changed, "with another counterpart")) if n]
        if moves:
            noun = "touchpoint" if (removed or added or changed) == 1 and len(moves) == 1 else "touchpoints"
            phrases.append(f"{noun} " + ", ".join(moves))
        if self.findings.new or self.findings.resolved:
            phrases.append(f"findings {len(self.findings.new)} new, {len(self.findings.resolved)} resolved")
        if not phrases:
            return "No change for the customer."
        better, worse = bool(self.better), bool(self.worse)
        head = "Mixed" if better and worse else "Better" if better else "Worse" if worse else "Changed"
        return f"{head}: " + "; ".join(phrases) + "."

    def _moved_behind_the_line(self) -> bool:
        """More of the variant's handoffs happen where the customer cannot see them."""
        def share(m: Metrics) -> float:
            return m.hidden_handoff_edges / m.handoff_edges if m.handoff_edges else 0.0

        return share(self.variant) > share(self.base)

    def to_dict(self) -> dict[str, Any]:
        def side(m: Metrics) -> dict[str, Any]:
            return {"file": m.file, "customer": m.customer}

        return {
            "base": side(self.base),
            "variant": side(self.variant),
            "metrics": {c.name: c.to_dict() for c in self.metrics},
            "findings": self.findings.to_dict(),
            "touchpoints": {
                "alignment": [a.to_dict() for a in self.alignment],
                "added": sum(1 for a in self.alignment if a.status == "added"),
                "removed": sum(1 for a in self.alignment if a.status == "removed"),
                "changed_counterpart": sum(1 for a in self.alignment if a.status == "changed"),
            },
            "verdict": self.verdict,
            "better": [c.name for c in self.better],
            "worse": [c.name for c in self.worse],
        }

    # -- rendering ------------------------------------------------------------------
    def metric_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(metric, base, variant, Δ, better/worse) as text."""
        rows = []
        for c in self.metrics:
            mark = "" if c.better is None else ("better" if c.better else "worse")
            rows.append((c.spec.label, format_value(c.spec, c.base), format_value(c.spec, c.variant),
                         format_delta(c.spec, c.delta), mark))
        return rows

    def alignment_rows(self) -> list[tuple[str, str, str, str]]:
        """(status mark, touchpoint, base counterpart, variant counterpart)."""
        marks = {"same": "=", "changed": "≠", "added": "+", "removed": "−"}
        rows = []
        for a in self.alignment:
            step = a.step
            rows.append((
                marks[a.status],
                f"{step.arrow} {step.label}",
                "" if a.base is None else (a.base.counterpart or "(nobody)"),
                "" if a.variant is None else (a.variant.counterpart or "(nobody)"),
            ))
        return rows

    def to_markdown(self) -> str:
        """A pull-request comment: verdict, metrics table, touchpoints, findings diff."""
        base_name = _name(self.base.file, "base")
        variant_name = _name(self.variant.file, "variant")
        lines = [f"### Customer impact: {md_cell(base_name)} → {md_cell(variant_name)}", ""]
        lines.append(f"**{md_cell(self.verdict)}**")
        lines.append("")
        marks = {"better": "✅ better", "worse": "❌ worse", "": ""}
        rows = [(m, b, v, d, marks[w]) for m, b, v, d, w in self.metric_rows()]
        lines.extend(md_table(["Metric", "Base", "Variant", "Δ", ""], rows))
        lines.append("")
        if self.alignment:
            lines.append("**Touchpoints in journey order** (= same, ≠ other counterpart, + added, − removed)")
            lines.append("")
            lines.extend(md_table(["", "Touchpoint", "Base counterpart", "Variant counterpart"],
                                  self.alignment_rows()))
            lines.append("")
        diff = self.findings
        lines.append(f"**Findings:** {len(diff.new)} new, {len(diff.resolved)} resolved, "
                     f"{len(diff.persisting)} persisting")
        lines.append("")
        for title, items in (("New", diff.new), ("Resolved", diff.resolved)):
            for f in items:
                where = f"{_name(f.file, '')}:{f.line}" if f.line else _name(f.file, "")
                element = f" `{f.element}`" if f.element else ""
                lines.append(f"- {title}: `{f.rule}`{element} {md_cell(f.message)} ({md_cell(where)})")
        if diff.new or diff.resolved:
            lines.append("")
        return "\n".join(lines)


def _name(path: str | None, default: str) -> str:
    return os.path.basename(path) if path else default


def compare_scoped(
    base: tuple[Model, CustomerScope],
    variant: tuple[Model, CustomerScope],
    *,
    lint_config: Mapping[str, Any] | Any = None,
) -> Comparison:
    """Compare two loaded models, each with its :class:`~bpmn_cx.customer.scope.CustomerScope`."""
    from .customer.analysis import CustomerAnalysis
    from .measure import compute

    results = []
    findings = []
    for model, scope in (base, variant):
        results.append(compute(model, analysis=CustomerAnalysis.build(model, scope)))
        findings.append(lint_findings(model, scope_ids(scope), lint_config))
    diff = diff_findings(base[0], findings[0], variant[0], findings[1])
    alignment = align_touchpoints(results[0].touchpoint_sequence, results[1].touchpoint_sequence)
    return Comparison(results[0], results[1], metric_changes(results[0], results[1]), diff, alignment)


def compare(
    base: ModelLike,
    variant: ModelLike,
    customer: str | Iterable[str] | None = None,
    *,
    names: Iterable[str] | None = None,
    lint_config: Mapping[str, Any] | Any = None,
) -> Comparison:
    """Compare two variants of a process for ``customer`` (names or ids; ``None``: detect it).

    ``base`` and ``variant`` are models, paths or bytes. Raises
    :class:`~bpmn_cx.LoadError` and
    :class:`~bpmn_cx.customer.scope.CustomerError` like
    :func:`bpmn_cx.measure`. ``lint_config`` replaces the configuration whose
    findings are diffed (default: the ``recommended`` and ``customer`` presets).
    """
    from .customer.scope import find_customer
    from .measure import _load

    scoped = []
    for source in (base, variant):
        model = _load(source)
        scoped.append((model, find_customer(model, customer, names=names)))
    return compare_scoped(scoped[0], scoped[1], lint_config=lint_config)


__all__ = [
    "AlignedTouchpoint",
    "Comparison",
    "FindingsDiff",
    "MetricChange",
    "align_touchpoints",
    "compare",
    "compare_scoped",
    "diff_findings",
    "lcs_pairs",
    "metric_changes",
]
