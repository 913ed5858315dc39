"""One module per ``bpmn-cx`` subcommand (see :data:`bpmn_cx.cli.COMMANDS`)."""
