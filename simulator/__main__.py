"""`python -m simulator`: the `tabletop` command line."""

from simulator.cli.app import main

main()
