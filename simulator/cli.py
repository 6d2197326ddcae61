"""The `tabletop` command line.

Each command is a thin shell over library functions, so the web app and the
notebooks get the same behaviour by calling the library directly.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from simulator.io import validate_file
from simulator.schema import Company, Scenario

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Tabletop: simulate business-continuity crisis exercises.",
)

EXIT_INVALID = 2
"""Exit code when a file is invalid (1 stays free for crashes)."""


@app.command()
def validate(
    files: Annotated[
        list[str],
        typer.Argument(help="Scenario or company YAML files.", show_default=False),
    ],
) -> None:
    """Check scenario and company files for every problem at once.

    Prints `OK file` for a valid file, else one `file:line: field: message`
    line per problem (the form compilers use, so editors jump to it). A
    scenario is checked together with its company file. Exit code 2 if any
    file is invalid.
    """
    valid = True
    printed: set[str] = set()  # two scenarios on one bad company: report it once
    for file in files:
        lines = _problem_lines(file)
        if not lines:
            typer.echo(f"OK {file}")
            continue
        valid = False
        for line in lines:
            if line not in printed:
                printed.add(line)
                typer.echo(line)
    raise typer.Exit(0 if valid else EXIT_INVALID)


def _problem_lines(file: str) -> list[str]:
    try:
        return [str(p) for p in validate_file(file)]
    except Exception as e:  # a validator must report, not crash with a traceback
        return [f"{file}: internal error (please report): {type(e).__name__}: {e}"]


class SchemaKind(StrEnum):
    scenario = "scenario"
    company = "company"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")] = SchemaKind.scenario,
) -> None:
    """Print the JSON Schema of scenario or company files.

    For completion and checks while typing, e.g. with the YAML language server.
    """
    model = Scenario if kind is SchemaKind.scenario else Company
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
