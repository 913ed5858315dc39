"""The model as Graphviz DOT source (``dot -Tsvg model.dot``).

Pools and lanes become nested ``cluster_*`` subgraphs, and so do sub-processes
with content; edges to and from such a sub-process attach to its cluster
(``compound=true`` with ``lhead``/``ltail``). Tasks are rounded boxes, events
circles (end events bold double circles), gateways diamonds; sequence flows
are solid arrows, message flows dashed with an open arrowhead, boundary
events hang on their host by a dotted line.

Every identifier and label is a double-quoted DOT string in which ``\\`` and
``"`` are escaped and line breaks become ``\\n``: no name can break the graph.
"""

from __future__ import annotations

from ..model import FlowNode, Model, SubProcess
from ._groups import Group, Ids, layout, walk


def quote(text: str) -> str:
    """A double-quoted DOT string for any text."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


def _attributes(node: FlowNode) -> str:
    text = quote(node.name or "")
    if node.is_gateway:
        return f"label={text}, shape=diamond"
    if node.is_event:
        if node.kind == "endEvent":
            return f"label={text}, shape=doublecircle, style=bold"
        if node.kind == "startEvent":
            return f"label={text}, shape=circle"
        return f"label={text}, shape=doublecircle"
    if node.is_subprocess or node.kind == "callActivity":
        return f'label={text}, shape=box, style="rounded,bold"'
    return f"label={text}, shape=box, style=rounded"


def dumps(model: Model) -> str:
    """The DOT source of a directed graph."""
    ids = Ids()
    plan = layout(model)
    name = quote(model.id or "bpmn")
    out = [
        f"digraph {name} {{",
        '    graph [rankdir=LR, compound=true, fontname="Helvetica"];',
        '    node [fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9];',
    ]
    #: element -> (cluster, a node inside it), for edges to groups
    anchors: dict[int, tuple[str, str]] = {}

    def node_id(node: FlowNode) -> str:
        return ids(node, "n_")

    def cluster_id(group: Group) -> str:
        prefix = {"pool": "cluster_p_", "lane": "cluster_l_"}.get(group.kind, "cluster_s_")
        return ids(group.element, prefix)

    for event, group, depth in walk(plan):
        pad = "    " * (depth + 1)
        if event == "close":
            out.append(pad + "}")
            continue
        style = "rounded" if group.kind == "subProcess" else "solid"
        out.append(f"{pad}subgraph {quote(cluster_id(group))} {{")
        out.append(f"{pad}    label={quote(group.element.name or '')}; style={style};")
        for node in group.nodes:
            out.append(f"{pad}    {quote(node_id(node))} [{_attributes(node)}];")
    for node in plan.nodes:
        out.append(f"    {quote(node_id(node))} [{_attributes(node)}];")
    for pool in plan.black_boxes:
        out.append(f"    {quote(ids(pool, 'p_'))} [label={quote(pool.name or pool.id or '')}, shape=box];")

    def first_node(group: Group) -> str | None:
        stack = [group]
        while stack:
            current = stack.pop()
            if current.nodes:
                return node_id(current.nodes[0])
            stack.extend(reversed(current.groups))
        return None

    # Edges to a group (expanded sub-process, pool) attach to a node inside
    # and are clipped at the cluster's border.
    for event, group, _depth in walk(plan):
        if event == "open" and group.kind in ("subProcess", "pool"):
            inner = first_node(group)
            if inner is not None:
                anchors[id(group.element)] = (cluster_id(group), inner)

    def end(element: object) -> tuple[str | None, str | None]:
        """(node to connect, cluster to clip at)."""
        if element is None:
            return None, None
        if id(element) in anchors:
            inner, cluster = anchors[id(element)][1], anchors[id(element)][0]
            return inner, cluster
        if isinstance(element, SubProcess) and id(element) in plan.expanded:
            return None, None  # a group without any node: nothing to attach to
        if isinstance(element, FlowNode):
            return node_id(element), None
        if getattr(element, "process", None) is not None:
            return None, None  # a pool with a process but no nodes
        return ids(element, "p_"), None  # a black-box pool

    def edge(source: object, target: object, attributes: list[str]) -> None:
        (a, tail), (b, head) = end(source), end(target)
        if a is None or b is None:
            return
        if tail:
            attributes.append(f"ltail={quote(tail)}")
        if head:
            attributes.append(f"lhead={quote(head)}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"    {quote(a)} -> {quote(b)}{suffix};")

    for flow in model.sequence_flows:
        edge(flow.source, flow.target, [f"label={quote(flow.name)}"] if flow.name else [])
    for node in model.flow_nodes:
        if node.attached_to is not None:
            edge(node.attached_to, node, ["style=dotted", "arrowhead=none"])
    for flow in model.message_flows:
        attributes = ["style=dashed", "arrowhead=empty"]
        if flow.name:
            attributes.append(f"label={quote(flow.name)}")
        edge(flow.source, flow.target, attributes)
    out.append("}")
    return "\n".join(out) + "\n"
