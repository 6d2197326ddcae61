"""`tabletop template bia`, `tabletop import bia`, `tabletop export bia`: the
BIA workbook (XLSX, or a folder of CSV files) in and out.

The reading and writing is in `simulator/readwrite/bia_read.py` and
`bia_write.py`; these commands read files (bounded, through `simulator.readwrite.io`),
print problems as `file.xlsx:Sheet!C12: column: message` and write results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.readwrite import (
    EXIT_INVALID,
    check_lang,
    export_app,
    import_app,
    refuse,
    template_app,
)
from simulator.model.validation import ScenarioError
from simulator.readwrite.bia_read import MAX_BYTES, MAX_CSV_FILES, company_of, read_csv, read_xlsx
from simulator.readwrite.bia_write import (
    company_rows,
    template_csv,
    template_xlsx,
    write_csv,
    write_xlsx,
)
from simulator.readwrite.io import load_company, read_csv_folder, read_file, write_bytes, write_data
from simulator.terms.messages import translate

Lang = Annotated[str, typer.Option(help="Language of headers and messages: de or en.")]


@import_app.command("bia")
def import_bia(
    source: Annotated[
        str,
        typer.Argument(
            help="A BIA workbook (.xlsx) or a folder of CSV "
            "files (Prozesse.csv, Ressourcen.csv, …).",
            show_default=False,
        ),
    ],  # fmt: skip
    out: Annotated[str, typer.Option("--out", help="Folder to write company.yaml into.")],
    lang: Lang = "en",
) -> None:
    """Build a company file from a BIA workbook; every problem is listed at
    once at its cell (`bia.xlsx:Prozesse!C12: WAZ (RTO): …`), exit code 2."""
    lang = check_lang(lang)
    path = Path(source)
    try:
        if path.is_dir():
            book = read_csv(read_csv_folder(path, MAX_CSV_FILES, MAX_BYTES), source)
        else:
            book = read_xlsx(read_file(path, source, MAX_BYTES), source)
        company = company_of(book)
    except ScenarioError as e:
        refuse(e.problems, lang)
    target = Path(out) / "company.yaml"
    write_data(target, book.data)
    words = {"de": "{n} Ressourcen, davon {p} Geschäftsprozesse",
             "en": "{n} assets, {p} of them business processes"}[lang]  # fmt: skip
    processes = sum(1 for a in company.assets if a.kind == "business_process")
    typer.echo(f"{target}: " + words.format(n=len(company.assets), p=processes))


@template_app.command("bia")
def template_bia(
    out: Annotated[str | None, typer.Option("--out", help="The workbook to write (.xlsx).")] = None,
    csv: Annotated[
        str | None, typer.Option("--csv", help="Write CSV files into this folder instead.")
    ] = None,  # fmt: skip
    lang: Lang = "de",
) -> None:
    """Write an empty BIA workbook to fill in: its sheets, commented headers
    (the other language in the comment), drop-downs and example rows."""
    lang = check_lang(lang)
    if (out is None) == (csv is None):
        typer.echo(translate("give --out FILE.xlsx or --csv DIR", lang), err=True)
        raise typer.Exit(EXIT_INVALID)
    if out is not None:
        write_bytes(out, template_xlsx(lang))
        typer.echo(out)
    else:
        assert csv is not None
        for name, raw in template_csv(lang).items():
            write_bytes(Path(csv) / name, raw)
        typer.echo(csv)


@export_app.command("bia")
def export_bia(
    company: Annotated[str, typer.Argument(help="A company YAML file.", show_default=False)],
    out: Annotated[str | None, typer.Option("--out", help="The workbook to write (.xlsx).")] = None,
    csv: Annotated[
        str | None, typer.Option("--csv", help="Write CSV files into this folder instead.")
    ] = None,  # fmt: skip
    lang: Lang = "de",
) -> None:
    """Write a company as a BIA workbook; `tabletop import bia` reads it back
    as the same company."""
    lang = check_lang(lang)
    if (out is None) == (csv is None):
        typer.echo(translate("give --out FILE.xlsx or --csv DIR", lang), err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        model = load_company(company)
    except ScenarioError as e:
        refuse(e.problems, lang)
    rows = company_rows(model)
    if out is not None:
        write_bytes(out, write_xlsx(rows, lang))
        typer.echo(out)
    else:
        assert csv is not None
        for name, raw in write_csv(rows, lang).items():
            write_bytes(Path(csv) / name, raw)
        typer.echo(csv)
