"""Where a new child element goes so that the document stays XSD-valid.

The BPMN 2.0 schema puts child elements in sequences: ``documentation`` before
``extensionElements`` before ``laneSet`` before the flow elements before the
artifacts, ``incoming`` before ``outgoing``, ``dc:Bounds`` before
``bpmndi:BPMNLabel``, and so on. The order is read from the shipped XSDs by
:func:`generate` (with :mod:`xmlschema`, which is slow to load) and checked
in as the table in :mod:`bpmn_cx._xsd_order_table`, so that editing starts
fast; a test regenerates the table from the XSDs and compares.

Regenerate after changing the schemas::

    python -m bpmn_cx.xsd_order
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import namespaces as ns
from ._xsd_order_table import CHILD_ORDER, ELEMENT_TYPES, LOCAL_TYPES

#: Namespace URI -> the short prefix used in the table.
TABLE_PREFIXES = {
    ns.MODEL: "bpmn",
    ns.DRAFT_MODEL: "bpmn",  # edited like the final namespace
    ns.BPMNDI: "bpmndi",
    ns.DC: "dc",
    ns.DI: "di",
}
_TABLE_NAMESPACES = {"bpmn": ns.MODEL, "bpmndi": ns.BPMNDI, "dc": ns.DC, "di": ns.DI}


def short_name(tag: Any) -> str | None:
    """``{http://www.omg.org/spec/BPMN/20100524/MODEL}task`` -> ``"bpmn:task"``;
    ``None`` for elements outside the BPMN schemas, comments and PIs."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    uri, _, local = tag[1:].partition("}")
    prefix = TABLE_PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else None


def type_of(element: Any) -> str | None:
    """The XSD type (table name) of an element of the tree, or ``None`` if unknown."""
    chain = []
    node = element
    # Walk up to the nearest global element (a few levels at most), then back
    # down through the local element declarations.
    while node is not None:
        name = short_name(node.tag)
        if name is None:
            return None
        known = ELEMENT_TYPES.get(name)
        if known is not None:
            break
        chain.append(name)
        node = node.getparent()
    else:
        return None
    current = known
    for name in reversed(chain):
        current = LOCAL_TYPES.get(f"{current} {name}")
        if current is None:
            return None
    return current


def position(parent: Any, child_tag: str) -> int | None:
    """The rank of ``child_tag`` in the content model of ``parent``."""
    parent_type = type_of(parent)
    if parent_type is None:
        return None
    name = short_name(child_tag)
    if name is None:
        return None
    return CHILD_ORDER.get(parent_type, {}).get(name)


def insert_index(parent: Any, child_tag: str) -> int:
    """The index in ``parent`` at which a new ``child_tag`` element keeps the XSD order.

    After the last child that may precede it, so that new elements come after
    existing ones of the same kind. Children the schema does not know (vendor
    elements, comments) do not move anything. Without schema knowledge of the
    parent, the new child goes last.
    """
    where, anchor = insert_anchor(parent, child_tag)
    if anchor is None:
        return len(parent)
    index = parent.index(anchor)
    return index + 1 if where == "after" else index


def insert_anchor(parent: Any, child_tag: str) -> tuple[str, Any]:
    """Like :func:`insert_index`, as ``("after"|"before", sibling)`` or ``("append", None)``.

    Walks back from the last child (new flow elements, references and DI go
    near the end), so adding to a parent with many children stays cheap.
    """
    parent_type = type_of(parent)
    order = CHILD_ORDER.get(parent_type, {}) if parent_type else {}
    rank = order.get(short_name(child_tag) or "")
    if rank is None:
        return ("append", None)
    try:
        child = parent[-1]  # len(parent) would count every child
    except IndexError:
        return ("append", None)
    first_known = None
    while child is not None:
        other = order.get(short_name(child.tag) or "")
        if other is not None:
            if other <= rank:
                return ("after", child)
            first_known = child
        child = child.getprevious()
    return ("before", first_known) if first_known is not None else ("append", None)


# -- generation from the XSDs --------------------------------------------------


def _short(qname: str) -> str:
    uri, _, local = qname[1:].partition("}")
    for prefix, namespace in _TABLE_NAMESPACES.items():
        if namespace == uri:
            return f"{prefix}:{local}"
    return qname


def generate(schema_folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """Read the child order of every BPMN, BPMNDI, DC and DI type from the XSDs."""
    import xmlschema
    from xmlschema.validators import XsdElement, XsdGroup

    from .validation import schema_dir

    folder = schema_folder or schema_dir()
    schema = xmlschema.XMLSchema(str(folder / "BPMN20.xsd"))
    substitutes = schema.maps.substitution_groups

    def concrete(element: Any) -> list[str]:
        """The element and its substitution group members that may appear."""
        out = []
        seen: set[str] = set()
        stack = [element.ref if element.ref is not None else element]
        while stack:
            current = stack.pop()
            if current.name in seen:
                continue
            seen.add(current.name)
            if not current.abstract:
                out.append(current.name)
            stack.extend(substitutes.get(current.name, ()))
        return sorted(out)

    def type_key(element: Any) -> str:
        target = element.ref if element.ref is not None else element
        xsd_type = target.type
        return _short(xsd_type.name) if xsd_type.name else _short(target.name) + "#type"

    element_types: dict[str, str] = {}
    local_types: dict[str, str] = {}
    child_order: dict[str, dict[str, int]] = {}
    pending: list[tuple[str, Any]] = []

    for name, element in schema.maps.elements.items():
        if _short(name) == name:  # outside the four namespaces
            continue
        if getattr(element.type, "has_complex_content", lambda: False)():
            element_types[_short(name)] = type_key(element)
            pending.append((type_key(element), element.type))

    while pending:
        key, xsd_type = pending.pop()
        if key in child_order:
            continue
        order: dict[str, int] = {}
        child_order[key] = order
        content = getattr(xsd_type, "content", None)
        if not isinstance(content, XsdGroup):
            continue
        # Flatten the content model: a sequence ranks its particles one after
        # the other, a choice gives all its alternatives the same start rank.
        # (Recursion over the schema's group nesting, a few levels deep.)

        def walk(group: Any, rank: int, key: str = key, order: dict[str, int] = order) -> int:
            if group.model == "choice":
                return max([visit(p, rank, key, order) for p in group] or [rank])
            for particle in group:
                rank = visit(particle, rank, key, order)
            return rank

        def visit(particle: Any, rank: int, key: str, order: dict[str, int]) -> int:
            if isinstance(particle, XsdGroup):
                return walk(particle, rank, key, order)
            if isinstance(particle, XsdElement):
                for member in concrete(particle):
                    order.setdefault(_short(member), rank)
                if particle.ref is None and getattr(particle.type, "has_complex_content", lambda: False)():
                    child_key = type_key(particle)
                    local_types[f"{key} {_short(particle.name)}"] = child_key
                    pending.append((child_key, particle.type))
            return rank + 1  # elements and wildcards alike

        walk(content, 0)
    return {
        "ELEMENT_TYPES": dict(sorted(element_types.items())),
        "LOCAL_TYPES": dict(sorted(local_types.items())),
        "CHILD_ORDER": {k: dict(sorted(v.items(), key=lambda kv: (kv[1], kv[0])))
                        for k, v in sorted(child_order.items()) if v},
    }


def render(table: dict[str, dict[str, Any]]) -> str:
    """The source of :mod:`bpmn_cx._xsd_order_table` for a generated table."""
    lines = [
        '"""Child element order of the BPMN 2.0 XSD types (generated; do not edit).',
        "",
        "Made by ``python -m bpmn_cx.xsd_order`` from the schemas in ``schemas/``;",
        "tests/test_edit_xsd_order.py checks that it matches them.",
        '"""',
        "",
        "# fmt: off",
    ]
    for name in ("ELEMENT_TYPES", "LOCAL_TYPES"):
        lines.append(f"{name}: dict[str, str] = {{")
        for key, value in table[name].items():
            lines.append(f"    {key!r}: {value!r},")
        lines.append("}")
    lines.append("CHILD_ORDER: dict[str, dict[str, int]] = {")
    for key, order in table["CHILD_ORDER"].items():
        lines.append(f"    {key!r}: {{")
        for child, rank in order.items():
            lines.append(f"        {child!r}: {rank},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


TABLE_PATH = Path(__file__).with_name("_xsd_order_table.py")


def main() -> None:
    TABLE_PATH.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {TABLE_PATH}")


if __name__ == "__main__":
    main()
