"""Tiny BPMN documents for unit tests, written inline."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'id="Defs" targetNamespace="http://bpmn-cx.example/test">\n'
)

#: A process whose documentation uses an entity from the internal DTD: libxml2's
#: XSD validator cannot check such a tree (the reference sits on line 5, in P).
ENTITY_DOC = (
    '<?xml version="1.0"?>\n<!DOCTYPE bpmn:definitions [ <!ENTITY who "Acme"> ]>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
    'targetNamespace="http://x">\n  <bpmn:process id="P">\n'
    '    <bpmn:documentation>by &who;</bpmn:documentation>\n  </bpmn:process>\n</bpmn:definitions>\n'
)


def lanes_doc(
    lanes: list[tuple[str, str, list[str]]],
    nodes: list[tuple[str, str]],
    flows: list[tuple[str, str]],
    *,
    pool: str | None = "Organisation",
    extra_pools: list[tuple[str, str]] = (),
    message_flows: list[tuple[str, str, str]] = (),
) -> bytes:
    """One process with top-level lanes ``(id, name, [node ids])``.

    ``nodes`` are ``(id, kind)`` (the name is ``"<kind> <id>"``), ``flows``
    ``(source, target)``; ``extra_pools`` are black boxes ``(id, name)``.
    """
    out = [HEAD]
    if pool is not None:
        out.append('<bpmn:collaboration id="Collab">')
        out.append(f'<bpmn:participant id="Pool" name={quoteattr(pool)} processRef="Proc"/>')
        for pid, name in extra_pools:
            out.append(f"<bpmn:participant id={quoteattr(pid)} name={quoteattr(name)}/>")
        for mid, a, b in message_flows:
            out.append(f'<bpmn:messageFlow id="{mid}" sourceRef="{a}" targetRef="{b}"/>')
        out.append("</bpmn:collaboration>")
    out.append('<bpmn:process id="Proc" isExecutable="false"><bpmn:laneSet id="LS">')
    for lid, name, refs in lanes:
        body = "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs)
        out.append(f"<bpmn:lane id={quoteattr(lid)} name={quoteattr(name)}>{body}</bpmn:lane>")
    out.append("</bpmn:laneSet>")
    for nid, kind in nodes:
        out.append(f'<bpmn:{kind} id="{nid}" name="{kind} {nid}"/>')
    for i, (a, b) in enumerate(flows):
        out.append(f'<bpmn:sequenceFlow id="F{i}_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>')
    out.append("</bpmn:process></bpmn:definitions>\n")
    return "".join(out).encode("utf-8")
