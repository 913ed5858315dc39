"""XML namespace URIs of BPMN 2.0 and the tags the importer dispatches on.

Matching is always on namespace URIs, never on prefixes: modelers write
``bpmn:``, ``bpmn2:``, ``semantic:``, ``model:`` or a default namespace
for the same thing.
"""

from __future__ import annotations

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: The namespace of pre-final BPMN 2.0 drafts. Accepted with a diagnostic.
DRAFT_MODEL = "http://schema.omg.org/spec/BPMN/2.0"
DRAFT_BPMNDI = "http://bpmndi.org"

MODEL_NAMESPACES = (MODEL, DRAFT_MODEL)

#: Roots of documents that are not BPMN, so that we can say what a file is.
FOREIGN_ROOTS: dict[str, str] = {
    "http://www.wfmc.org/2002/XPDL1.0": "XPDL 1.0",
    "http://www.wfmc.org/2004/XPDL2.0alpha": "XPDL 2.0",
    "http://www.wfmc.org/2008/XPDL2.1": "XPDL 2.1",
    "http://www.wfmc.org/2009/XPDL2.2": "XPDL 2.2",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "DMN 1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "DMN 1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "DMN 1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "DMN 1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "DMN 1.5",
    "http://www.omg.org/spec/CMMN/20131201/MODEL": "CMMN 1.0",
    "http://www.omg.org/spec/CMMN/20151109/MODEL": "CMMN 1.1",
}


def local_name(tag: object) -> str:
    """``{ns}local`` -> ``local``; comments and PIs (non-string tags) -> ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace_of(tag: object) -> str:
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]
