"""`tabletop import msel` and `tabletop export msel`: a scenario's injects as
an MSEL spreadsheet (XLSX or CSV), read and written by simulator/readwrite/msel.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from simulator.analysis.report import printable
from simulator.cli.readwrite import EXIT_INVALID, check_lang, export_app, import_app, refuse
from simulator.model.schema import ScenarioBundle
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import (
    load_bundle,
    read_file,
    read_yaml,
    write_bytes,
    write_data,
    write_text,
)
from simulator.terms.messages import translate

# The commands' own lines, in the language asked for (--lang).
_INJECTS = {"de": "Einlagen", "en": "injects"}
_DROPPED = {"de": "entfernt (nicht im Blatt)", "en": "dropped (not in the sheet)"}
_IGNORED = {"de": "nicht gelesene Spalten", "en": "columns not read"}


def _check(path: str, lang: str) -> None:
    check_lang(lang)
    if not path.lower().endswith((".xlsx", ".csv")):
        typer.echo(printable(f"{path}: {translate('not an .xlsx or .csv file', lang)}"), err=True)
        raise typer.Exit(EXIT_INVALID)


def _scenario(path: str, lang: str) -> tuple[ScenarioBundle, dict[str, Any]]:
    """The validated scenario and its data as written (for the commands' spelling)."""
    try:
        bundle = load_bundle(path)
        data, _ = read_yaml(path)
    except ScenarioError as e:
        refuse(e.problems, lang)
    assert isinstance(data, dict)
    return bundle, data


def _company_from(out: str, scenario: str, company: str) -> str:
    """`company:` of a scenario written to `out`: still the same file, seen
    from the new place (it is relative to the scenario file)."""
    target = Path(scenario).parent / company
    return Path(os.path.relpath(target, Path(out).parent)).as_posix()


@import_app.command("msel")
def import_msel_command(
    file: Annotated[str, typer.Argument(help="The MSEL: an .xlsx workbook or a .csv file.")],
    scenario: Annotated[str, typer.Option(help="The scenario whose injects it replaces.")],
    out: Annotated[
        str | None, typer.Option(help="Where to write the scenario (default: over --scenario).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: de or en.")] = "en",
) -> None:
    """Replace a scenario's injects with those of an MSEL spreadsheet.

    Rows become injects in sheet order; a row with the id of an existing
    inject keeps that inject's fields for columns the sheet does not have
    (its commands, without a Commands column). The scenario is validated with
    its company; every problem is reported at its cell (`msel.xlsx:MSEL!B7:
    Scenario time: …`), exit code 2. Comments of the scenario file are not
    kept when it is written."""
    from simulator.readwrite.msel import import_msel  # openpyxl: only when used
    from simulator.readwrite.table import MAX_TABLE_BYTES

    _check(file, lang)
    bundle, data = _scenario(scenario, lang)
    try:
        raw = read_file(file, file, MAX_TABLE_BYTES)
        _, new, read = import_msel(Path(file).name, raw, data, bundle)
    except ScenarioError as e:
        refuse(e.problems, lang)
    if out and isinstance(new.get("company"), str):
        new = {**new, "company": _company_from(out, scenario, new["company"])}
    write_data(out or scenario, new)
    typer.echo(f"{out or scenario}: {len(read.injects)} {_INJECTS[lang]}")
    if read.dropped:
        typer.echo(printable(f"{_DROPPED[lang]}: {', '.join(read.dropped)}"))
    if read.ignored:
        typer.echo(printable(f"{_IGNORED[lang]}: {', '.join(read.ignored)}"))


@export_app.command("msel")
def export_msel_command(
    scenario: Annotated[str, typer.Argument(help="The scenario file.")],
    out: Annotated[str, typer.Option(help="The MSEL to write: .xlsx or .csv.")],
    lang: Annotated[str, typer.Option(help="Language of the headers: de or en.")] = "en",
) -> None:
    """Write a scenario's injects as an MSEL spreadsheet with HSEEP's columns."""
    from simulator.readwrite.msel import msel_csv, msel_rows, msel_xlsx  # openpyxl: when used

    _check(out, lang)
    bundle, data = _scenario(scenario, lang)
    header, rows = msel_rows(bundle.scenario, data.get("injects") or [], lang)
    if out.lower().endswith(".csv"):
        write_text(out, msel_csv(header, rows))
    else:
        write_bytes(out, msel_xlsx(header, rows))
    typer.echo(f"{out}: {len(rows)} {_INJECTS[lang]}")
