"""The lint engine: rules over a :class:`~bpmn_cx.model.Model`, producing findings."""
