"""One module per lint rule. See :mod:`bpmn_cx.lint.api` for the contract."""
