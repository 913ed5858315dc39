"""One module per lint rule. See :mod:`bpmn_cx.linter.api` for the contract."""
