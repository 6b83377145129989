"""CLI command modules; each defines `register(app)` and is listed in pipeline.cli.COMMAND_MODULES."""
