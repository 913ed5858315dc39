"""The model as JSON: a stable, documented form for other tools.

The form is described by the JSON Schema ``model.schema.json`` next to this
module (draft 2020-12; :func:`schema` loads it). Version 1 looks like this::

    {
      "format": "bpmn-cx-model",
      "version": 1,
      "file": "order.bpmn",                 // null when loaded from bytes
      "definitions": {"id": ..., "targetNamespace": ..., "exporter": ..., "exporterVersion": ...},
      "pools": [
        {"id": "Pool_Bank", "name": "Bank", "process": "Process_1", "line": 3}
      ],
      "processes": [
        {
          "id": "Process_1", "name": "Credit", "pool": "Pool_Bank", "executable": false, "line": 6,
          "lanes": [                          // nested as in the file; lane sets of
            {"id": "Lane_Customer",           // sub-processes too ("scope" says whose)
             "name": "Customer", "scope": "Process_1", "line": 8,
             "nodes": ["Start_1", "Task_1"],  // flowNodeRef ids, in order
             "lanes": []}
          ],
          "nodes": [                          // every flow node of the process, nested
            {"id": "Task_1", "kind": "userTask", "name": "Fill in the form",
             "lane": "Lane_Customer",         // the owning lane (inherited inside
             "scope": "Process_1",            // sub-processes), or null
             "line": 14, "attachedTo": null, "triggers": [], "documentation": null}
          ],
          "flows": [
            {"id": "Flow_1", "name": null, "source": "Start_1", "target": "Task_1",
             "scope": "Process_1", "condition": null, "isDefault": false, "line": 30}
          ]
        }
      ],
      "messageFlows": [
        {"id": "Message_1", "name": "Offer", "source": "Task_1", "target": "Pool_Customer", "line": 5}
      ]
    }

Every key is always present; values that do not apply are ``null`` (or
``[]``). Lists are in document order. ``line`` is the source line, ``null``
for elements added by editing. Sources and targets are ids as written when
they do not resolve. Nodes of a process without a ``process`` element (broken
files) are left out. The output is deterministic: the same model gives the
same text.
"""

from __future__ import annotations

import json
from collections import deque
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import FlowNode, Lane, Model, Process, SubProcess

FORMAT = "bpmn-cx-model"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("model.schema.json")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of the output (draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _ref(obj: Any, raw: str | None) -> str | None:
    if obj is not None and getattr(obj, "id", None) is not None:
        return obj.id
    return raw.strip() if raw else None


def _scope_id(scope: Any) -> str | None:
    return scope.id if scope is not None else None


def _lane(lane: Lane) -> dict[str, Any]:
    return {
        "id": lane.id,
        "name": lane.name,
        "scope": _scope_id(lane.scope),
        "line": lane.line,
        "nodes": list(lane.node_refs),
        "lanes": [],
    }


def _lanes(scope: Process | SubProcess) -> list[dict[str, Any]]:
    """The scope's lanes as a tree (explicit stack: lanes nest, nodes do not recurse)."""
    out: list[dict[str, Any]] = []
    entries: dict[int, dict[str, Any]] = {}
    for lane in scope.lanes:  # parents before children
        entry = _lane(lane)
        entries[id(lane)] = entry
        parent = entries.get(id(lane.parent)) if lane.parent is not None else None
        (parent["lanes"] if parent is not None else out).append(entry)
    return out


def _node(node: FlowNode) -> dict[str, Any]:
    documentation = node.documentation
    return {
        "id": node.id,
        "kind": node.kind,
        "name": node.name,
        "lane": node.lane.id if node.lane is not None else None,
        "scope": _scope_id(node.scope),
        "line": node.line,
        "attachedTo": node.attached_to.id if node.attached_to is not None else None,
        "triggers": node.triggers,
        "documentation": documentation or None,
    }


def to_data(model: Model) -> dict[str, Any]:
    """The JSON form as Python data (dicts, lists, strings, numbers, booleans, None)."""
    pools = [
        {
            "id": p.id,
            "name": p.name,
            "process": p.process.id if p.process is not None else (p.process_ref or None),
            "line": p.line,
        }
        for p in model.participants
    ]
    processes = []
    for process in model.processes:
        lanes: list[dict[str, Any]] = _lanes(process)
        nodes = []
        flows = []
        # Document order within each scope; sub-process content after the
        # scope's own elements, scope by scope (explicit stack, no recursion).
        queue: deque[Process | SubProcess] = deque([process])
        while queue:
            scope = queue.popleft()
            if isinstance(scope, SubProcess):
                lanes.extend(_lanes(scope))
            for node in scope.nodes:
                nodes.append(_node(node))
            for flow in scope.flows:
                flows.append(
                    {
                        "id": flow.id,
                        "name": flow.name,
                        "source": _ref(flow.source, flow.source_ref),
                        "target": _ref(flow.target, flow.target_ref),
                        "scope": _scope_id(scope),
                        "condition": flow.condition,
                        "isDefault": flow.is_default,
                        "line": flow.line,
                    }
                )
            queue.extend(n for n in scope.nodes if isinstance(n, SubProcess))
        processes.append(
            {
                "id": process.id,
                "name": process.name,
                "pool": process.participant.id if process.participant is not None else None,
                "executable": process.is_executable,
                "line": process.line,
                "lanes": lanes,
                "nodes": nodes,
                "flows": flows,
            }
        )
    message_flows = [
        {
            "id": f.id,
            "name": f.name,
            "source": _ref(f.source, f.source_ref),
            "target": _ref(f.target, f.target_ref),
            "line": f.line,
        }
        for f in model.message_flows
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "file": model.path,
        "definitions": {
            "id": model.id,
            "targetNamespace": model.target_namespace,
            "exporter": model.exporter,
            "exporterVersion": model.exporter_version,
        },
        "pools": pools,
        "processes": processes,
        "messageFlows": message_flows,
    }


def dumps(model: Model) -> str:
    """The JSON text (indented, UTF-8 characters kept, newline at the end)."""
    return json.dumps(to_data(model), indent=2, ensure_ascii=False) + "\n"
