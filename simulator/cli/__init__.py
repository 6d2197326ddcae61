"""The `tabletop` command line: thin shells over the library (simulator.cli.app),
one module per kind of file brought in or taken out."""
