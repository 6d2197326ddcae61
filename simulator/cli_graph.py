from simulator.cli_readwrite import export_app, import_app  # noqa: F401
