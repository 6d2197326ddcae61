"""The command groups that bring a company in and take it out:
`tabletop template …`, `tabletop import …`, `tabletop export …`.

Each source (BIA workbook, NetBox, GraphML, MSEL spreadsheet) adds its own
commands to these groups from its own module (`simulator/cli_<source>.py`),
registered in `simulator/cli.py`; the reading and writing itself lives in
`simulator/readwrite/`, the commands only parse options and print.
"""

from __future__ import annotations

import typer

template_app = typer.Typer(
    no_args_is_help=True,
    help="Write a template to fill in (a BIA workbook, …).",
)
import_app = typer.Typer(
    no_args_is_help=True,
    help="Build a company or a scenario's injects from a workbook, a CMDB or a graph.",
)
export_app = typer.Typer(
    no_args_is_help=True,
    help="Write a company or a scenario's injects as a workbook, a graph, …",
)
