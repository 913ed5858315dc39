"""The model as a Mermaid flowchart, for Markdown (GitHub renders ```` ```mermaid ```` blocks).

Pools and lanes become nested subgraphs, and so do sub-processes with
content; a collapsed or empty sub-process is a ``[[box]]``. Tasks are rounded
boxes, events circles (end events double circles), gateways rhombi labelled
with their symbol when unnamed. Sequence flows are arrows ``-->``, message
flows dotted arrows ``-.->``, boundary events hang on their host by a dotted
line ``-.-``. A black-box pool is a box of its own.

Identifiers are the BPMN ids reduced to ``[A-Za-z0-9_]`` with a prefix
(``n_`` nodes, ``p_`` pools, ``l_`` lanes), made unique. Labels are always
quoted, with ``"``, ``#``, ``<``, ``>``, ``&`` and backquotes written as
Mermaid entity codes and line breaks as spaces, so no name can break the
diagram or inject markup.
"""

from __future__ import annotations

from ..model import FlowNode, Model, SubProcess
from ._groups import Group, Ids, layout, walk

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
}
_GATEWAY_SYMBOL = {
    "exclusiveGateway": "×",
    "parallelGateway": "+",
    "inclusiveGateway": "○",
    "eventBasedGateway": "⬠",
    "complexGateway": "✱",
}


def label(text: str | None) -> str:
    """A quoted Mermaid label: safe for any text."""
    words = " ".join((text or "").split())
    return '"' + "".join(_ENTITIES.get(ch, ch) for ch in words) + '"' if words else '" "'


def _shape(node: FlowNode, text: str) -> str:
    if node.is_gateway:
        return "{" + label(text or _GATEWAY_SYMBOL.get(node.kind, "")) + "}"
    if node.is_event:
        if node.kind == "endEvent":
            return "(((" + label(text) + ")))"
        return "((" + label(text) + "))"
    if node.is_subprocess or node.kind == "callActivity":
        return "[[" + label(text) + "]]"
    return "(" + label(text) + ")"


def dumps(model: Model, *, direction: str = "LR") -> str:
    """The flowchart source (without the Markdown fence)."""
    ids = Ids()
    plan = layout(model)
    out = [f"flowchart {direction}"]

    def node_id(node: FlowNode) -> str:
        return ids(node, "n_")

    def group_id(group: Group) -> str:
        prefix = {"pool": "p_", "lane": "l_"}.get(group.kind, "n_")
        return ids(group.element, prefix)

    for event, group, depth in walk(plan):
        pad = "    " * (depth + 1)
        if event == "close":
            out.append(pad + "end")
            continue
        out.append(f"{pad}subgraph {group_id(group)}[{label(group.element.name or '')}]")
        for node in group.nodes:
            out.append(f"{pad}    {node_id(node)}{_shape(node, node.name or '')}")
    for node in plan.nodes:
        out.append(f"    {node_id(node)}{_shape(node, node.name or '')}")
    for pool in plan.black_boxes:
        out.append(f"    {ids(pool, 'p_')}[{label(pool.name or pool.id)}]")

    def end_id(element: object) -> str | None:
        if element is None:
            return None
        if isinstance(element, SubProcess) and id(element) in plan.expanded:
            return group_id(plan.expanded[id(element)])
        if isinstance(element, FlowNode):
            return node_id(element)
        return ids(element, "p_")  # a pool

    for flow in model.sequence_flows:
        source, target = end_id(flow.source), end_id(flow.target)
        if source and target:
            text = flow.name
            out.append(f"    {source} -->|{label(text)}| {target}" if text and text.strip() else f"    {source} --> {target}")
    for node in model.flow_nodes:
        if node.attached_to is not None:
            host = end_id(node.attached_to)
            if host:
                out.append(f"    {host} -.- {node_id(node)}")
    for flow in model.message_flows:
        source, target = end_id(flow.source), end_id(flow.target)
        if source and target:
            text = flow.name
            out.append(f"    {source} -.->|{label(text)}| {target}" if text and text.strip() else f"    {source} -.-> {target}")
    return "\n".join(out) + "\n"
