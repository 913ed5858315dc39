"""The customer's perspective: scope, touchpoints, roles, and the customer view.

* :mod:`.scope`: :func:`find_customer` -> :class:`CustomerScope` (which pools/lanes are the customer);
* :mod:`.analysis`: :class:`CustomerAnalysis` (touchpoints, onstage/backstage/support,
  touchpoint lanes, unowned touchpoints) and :class:`ActivityGraph`;
* :mod:`.regions`: hidden regions and what replaces them;
* :mod:`.view`: :func:`customer_view` -> :class:`View`.

Imports are lazy so that ``import bpmn_cx.customer`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import ActivityGraph, CustomerAnalysis, Link, Touchpoint, analyse, is_work_free
    from .regions import HiddenRegion, SyntheticNode, ViewEdge
    from .scope import (
        CUSTOMER_NAMES,
        AmbiguousCustomer,
        CustomerError,
        CustomerNotFound,
        CustomerScope,
        effective_lane,
        find_customer,
        normalize_name,
    )
    from .view import DEFAULT_LANE_NAME, View, ViewPlan, customer_view, plan_view

_LAZY = {
    "ActivityGraph": "analysis",
    "CustomerAnalysis": "analysis",
    "Link": "analysis",
    "Touchpoint": "analysis",
    "analyse": "analysis",
    "is_work_free": "analysis",
    "HiddenRegion": "regions",
    "SyntheticNode": "regions",
    "ViewEdge": "regions",
    "CUSTOMER_NAMES": "scope",
    "AmbiguousCustomer": "scope",
    "CustomerError": "scope",
    "CustomerNotFound": "scope",
    "CustomerScope": "scope",
    "effective_lane": "scope",
    "find_customer": "scope",
    "normalize_name": "scope",
    "DEFAULT_LANE_NAME": "view",
    "View": "view",
    "ViewPlan": "view",
    "customer_view": "view",
    "plan_view": "view",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bpmn_cx.customer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
