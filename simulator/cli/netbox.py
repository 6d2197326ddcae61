"""`tabletop import netbox`: a company from a NetBox export or a live NetBox.

    tabletop import netbox netbox-demo-v3.6.json --out acme/
    NETBOX_TOKEN=... tabletop import netbox --url https://netbox.example.com --out acme/
    tabletop import netbox dump.json --bia bia.xlsx --mapping map.yaml --out acme/

Writes `company.yaml` and `import-report.md` (what was mapped, what was
skipped and why) into `--out`. Invalid input exits 2 with one
`file:where: field: message` line per problem, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.readwrite import check_lang, import_app, refuse
from simulator.model.validation import Problem, ScenarioError
from simulator.readwrite import io
from simulator.readwrite.bia_read import MAX_BYTES, MAX_CSV_FILES, read_csv, read_xlsx
from simulator.readwrite.netbox import (
    Processes,
    import_netbox,
    parse_fixture,
    read_mapping,
    render_report,
)
from simulator.readwrite.netbox_fixture import Inventory, inventory_from_api

MAX_FIXTURE_BYTES = 200 * 1024 * 1024
"""A NetBox dump larger than this is refused (the demo data is 3.7 MB)."""


def _inventory(fixture: str | None, url: str | None) -> tuple[Inventory, str]:
    if (fixture is None) == (url is None):
        raise ScenarioError([Problem("netbox", None, "source",
                                     "give a fixture file or --url (one of them)")])  # fmt: skip
    if fixture is not None:
        return parse_fixture(io.read_file(fixture, limit=MAX_FIXTURE_BYTES), fixture), fixture
    assert url is not None
    from simulator.readwrite.netbox_api import ApiError, fetch_all  # httpx only when asked

    try:
        pages = fetch_all(url, os.environ.get("NETBOX_TOKEN"))
    except ApiError as e:
        raise ScenarioError([Problem(url, None, "api", str(e))]) from None
    return inventory_from_api(pages, url), url


def _processes(bia: str | None) -> Processes | None:
    """The BIA side: a workbook (.xlsx), a folder of its CSV files, or a
    YAML/JSON file in the company file's form."""
    if bia is None:
        return None
    if Path(bia).is_dir():
        files = io.read_csv_folder(bia, MAX_CSV_FILES, MAX_BYTES)
        return Processes.of_workbook(read_csv(files, bia))
    if bia.lower().endswith(".xlsx"):
        return Processes.of_workbook(read_xlsx(io.read_file(bia, limit=MAX_BYTES), bia))
    parsed = io.parse_file(bia)
    if not isinstance(parsed.data, dict):
        message = "expected a mapping with 'assets' (as in a company file)"
        raise ScenarioError([Problem(bia, None, "file", message)])
    return Processes(bia, parsed.data, parsed.locator)


@import_app.command("netbox")
def import_netbox_command(
    out: Annotated[str, typer.Option(help="Folder for company.yaml and import-report.md.")],
    fixture: Annotated[
        str | None,
        typer.Argument(help="A NetBox export: manage.py dumpdata JSON.", show_default=False),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(help="A live NetBox (token from the NETBOX_TOKEN environment variable)."),
    ] = None,
    bia: Annotated[
        str | None,
        typer.Option(
            help="The BIA whose processes name NetBox objects: a workbook (.xlsx), "
            "a folder of its CSV files, or YAML in the company file's form."
        ),
    ] = None,
    mapping: Annotated[str | None, typer.Option(help="A mapping file (YAML).")] = None,
    lang: Annotated[str, typer.Option(help="Language of messages and report: de or en.")] = "en",
) -> None:
    """Build a company from NetBox: sites, power, devices, clusters, VMs, circuits."""
    check_lang(lang)
    try:
        rules = None
        if mapping is not None:
            parsed = io.parse_file(mapping)
            rules = read_mapping(parsed.data, mapping, parsed.locator)
        inventory, source = _inventory(fixture, url)
        result = import_netbox(inventory, source, rules, _processes(bia))
    except ScenarioError as e:
        refuse(e.problems, lang)
    folder = Path(out)
    io.write_data(folder / "company.yaml", result.data)
    io.write_text(folder / "import-report.md", render_report(result.report, lang))
    assets = len(result.company.assets)
    said = ("{company} ({n} Ressourcen), {report}" if lang == "de"
            else "wrote {company} ({n} assets), {report}")  # fmt: skip
    typer.echo(said.format(company=folder / "company.yaml", n=assets,
                           report=folder / "import-report.md"))  # fmt: skip
