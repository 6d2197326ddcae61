"""The command groups that bring a company in and take it out:
`tabletop template …`, `tabletop import …`, `tabletop export …`.

Each source (BIA workbook, NetBox, GraphML, MSEL spreadsheet) adds its own
commands to these groups from its own module (`simulator/cli_<source>.py`),
registered in `simulator/cli/app.py`; the reading and writing itself lives in
`simulator/readwrite/`, the commands only parse options and print.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import typer

from simulator.analysis.report import printable
from simulator.model.validation import Problem

EXIT_INVALID = 2
"""Exit code when the input is invalid (1 stays free for crashes)."""


def refuse(problems: Sequence[Problem], lang: str = "en") -> NoReturn:
    """Print every problem in `lang` on stderr and exit 2. The text comes
    from the user's file (a cell, a NetBox name): control characters are
    escaped, so it cannot move the cursor or recolour the terminal."""
    for problem in problems:
        typer.echo(printable(problem.in_language(lang), 2000), err=True)
    raise typer.Exit(EXIT_INVALID)


def check_lang(lang: str) -> str:
    """`--lang` as given, or exit 2: only de and en are spoken."""
    if lang not in ("de", "en"):
        typer.echo(f"--lang: use de or en, not {printable(repr(lang), 40)}", err=True)
        raise typer.Exit(EXIT_INVALID)
    return lang

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
