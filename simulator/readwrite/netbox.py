"""NetBox -> company: the import in one call, and its report.

`import_netbox` takes an inventory read from a fixture
(`parse_fixture`) or from the REST API (`netbox_api.fetch_all` then
`inventory_from_api`), maps it (`netbox_map`, documented there and in
docs/import-netbox.md), merges the BIA's business processes (`netbox_merge`)
and builds the company through the one seam (`company_from_data`). The
`ImportReport` says what was mapped, what was skipped and why; `render_report`
writes it as Markdown in German or English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, cast

from pydantic import ValidationError

from simulator.model.schema import Company, kind_name
from simulator.model.validation import Problem, ScenarioError, render_loc
from simulator.readwrite.bia_read import SheetCells, company_of
from simulator.readwrite.build import Locator, Nowhere, Source, company_from_data
from simulator.readwrite.netbox_fixture import Inventory, inventory_from_fixture
from simulator.readwrite.netbox_map import ImportReport, Text, map_inventory
from simulator.readwrite.netbox_mapping import Mapping
from simulator.readwrite.netbox_merge import Processes, merge

__all__ = ["NetboxImport", "Processes", "import_netbox", "parse_fixture", "read_mapping",
           "render_report"]  # fmt: skip


@dataclass
class NetboxImport:
    company: Company
    data: dict[str, Any]  # the company file's data, as written to company.yaml
    report: ImportReport


def parse_fixture(raw: bytes, file: str) -> Inventory:
    """The inventory of a `manage.py dumpdata` JSON file's bytes."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ScenarioError([Problem(file, e.lineno, "json", e.msg)]) from None
    except (UnicodeDecodeError, RecursionError) as e:
        raise ScenarioError([Problem(file, None, "json", f"not a JSON file: {e}")]) from None
    return inventory_from_fixture(data, file)


def read_mapping(data: Any, file: str, locator: Locator | None = None) -> Mapping:
    """The mapping file's data as a Mapping; every problem at its line."""
    where = locator or Nowhere()
    if data is None:
        return Mapping()
    try:
        return Mapping.model_validate(data)
    except ValidationError as e:
        problems = []
        for error in e.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
            problems.append(Problem(file, where.line(loc), render_loc(loc) or "file", message))
        raise ScenarioError(problems) from None


def import_netbox(
    inventory: Inventory,
    source: str,
    mapping: Mapping | None = None,
    processes: Processes | None = None,
) -> NetboxImport:
    """The validated company of a NetBox inventory (and a BIA's processes).

    Problems of the processes are reported in their file, where the BIA
    has them; the inventory's own part is built by code and validates."""
    mapped = map_inventory(inventory, mapping or Mapping(), source)
    problems: list[Problem] = []
    if processes is None:
        data, file, locator = mapped.company, source, Nowhere()
        built = Source(file, data, locator, from_file=True)
    else:
        data, merged, problems = merge(mapped, processes)
        built = Source(processes.file, data, merged, from_file=True)
        if processes.workbook is not None:
            # The workbook reader's own problems, located and ordered its way,
            # with the seam's on the merged data (company_of uses the locator
            # only through the Locator protocol, which MergedLocator keeps).
            book = replace(processes.workbook, data=data, cells=cast(SheetCells, merged),
                           problems=[*processes.workbook.problems, *problems])  # fmt: skip
            return NetboxImport(company_of(book), data, mapped.report)
    try:
        company = company_from_data(built)
    except ScenarioError as e:
        raise ScenarioError([*problems, *e.problems]) from None
    if problems:
        raise ScenarioError(problems)
    return NetboxImport(company, data, mapped.report)


# --- the report ------------------------------------------------------------------

GERMAN: dict[str, str] = {
    "NetBox import": "NetBox-Import",
    "Source": "Quelle",
    "NetBox type": "NetBox-Typ",
    "read": "gelesen",
    "mapped": "übernommen",
    "skipped": "ausgelassen",
    "Assets written": "Geschriebene Ressourcen",
    "Business processes merged from the BIA": "Aus der BIA übernommene Geschäftsprozesse",
    "NetBox objects completed by the BIA": "Durch die BIA ergänzte NetBox-Objekte",
    "Skipped objects": "Ausgelassene Objekte",
    "Mapped objects": "Übernommene Objekte",
    "asset id": "Ressourcen-ID",
    "kind": "Art",
    "Notes": "Hinweise",
    "name": "Name",
    "reason": "Grund",
    "None.": "Keine.",
    "status {status}": "Status {status}",
    "not among the mapping's sites": "nicht unter den Standorten der Zuordnungsdatei",
    "excluded by the mapping": "durch die Zuordnungsdatei ausgeschlossen",
    "its site is not imported": "sein Standort wird nicht übernommen",
    "its power panel is not imported": "seine Stromverteilung wird nicht übernommen",
    "its provider is not imported": "sein Anbieter wird nicht übernommen",
    "its cluster is not imported": "sein Cluster wird nicht übernommen",
    "no imported circuit": "keine übernommene Leitung",
    "terminates at no imported site": "endet an keinem übernommenen Standort",
    "role {role} is skipped by the mapping": ("Rolle {role} wird laut Zuordnungsdatei ausgelassen"),
    "{n} devices have no power port cabled to a feed or PDU: they take the power feeds of "
    "their rack (rack_feeds)": (
        "{n} Geräte haben keinen Stromanschluss, der mit einer Einspeisung oder PDU verkabelt "
        "ist: sie hängen an den Einspeisungen ihres Racks (rack_feeds)"
    ),
    "{n} clusters have no host devices in NetBox (cloud clusters?) and need nothing: {names}": (
        "{n} Cluster haben in NetBox keine Host-Geräte (Cloud-Cluster?) und hängen von nichts "
        "ab: {names}"
    ),
    "circuit {cid}: its termination at {site} is cabled to no device; the site's WAN devices "
    "need it (wan_roles)": (
        "Leitung {cid}: ihr Abschluss an {site} ist mit keinem Gerät verkabelt; die WAN-Geräte "
        "des Standorts hängen von ihr ab (wan_roles)"
    ),
    "circuit {cid}: no device at {site} needs it": (
        "Leitung {cid}: kein Gerät an {site} hängt von ihr ab"
    ),
}
"""German texts of the report (English template -> German)."""


def _say(text: str, lang: str) -> str:
    return GERMAN.get(text, text) if lang == "de" else text


def _fill(text: Text, lang: str) -> str:
    template, values = text
    return _say(template, lang).format(**values)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_report(report: ImportReport, lang: str = "en") -> str:
    """The import report as Markdown: counts per NetBox type, the skipped
    objects with their reasons, the fallbacks taken."""

    def say(text: str) -> str:
        return _say(text, lang)

    skipped: dict[str, int] = {}
    for kind, _, _ in report.skipped:
        skipped[kind] = skipped.get(kind, 0) + 1
    kinds = ["site", "power-panel", "power-feed", "device", "provider", "circuit", "cluster",
             "virtual-machine"]  # fmt: skip
    read_as = {"site": "sites", "power-panel": "power-panels", "power-feed": "power-feeds",
               "device": "devices", "provider": "providers", "circuit": "circuits",
               "cluster": "clusters", "virtual-machine": "virtual-machines"}  # fmt: skip
    lines = [
        f"# {say('NetBox import')}", "", f"{say('Source')}: {report.source}", "",
        f"| {say('NetBox type')} | {say('read')} | {say('mapped')} | {say('skipped')} |",
        "|---|---:|---:|---:|",
    ]  # fmt: skip
    for kind in kinds:
        lines.append(f"| {kind} | {report.read.get(read_as[kind], 0)} | "
                     f"{report.mapped.get(kind, 0)} | {skipped.get(kind, 0)} |")  # fmt: skip
    lines += ["", f"{say('Assets written')}: {sum(report.mapped.values()) + report.processes}",
              f"{say('Business processes merged from the BIA')}: {report.processes}",
              f"{say('NetBox objects completed by the BIA')}: {report.enriched}", "",
              f"## {say('Skipped objects')}", ""]  # fmt: skip
    if report.skipped:
        lines += [f"| {say('NetBox type')} | {say('name')} | {say('reason')} |", "|---|---|---|"]
        lines += [f"| {kind} | {_cell(name)} | {_cell(_fill(reason, lang))} |"
                  for kind, name, reason in report.skipped]  # fmt: skip
    else:
        lines.append(say("None."))
    lines += ["", f"## {say('Notes')}", ""]
    lines += [f"- {_fill(note, lang)}" for note in report.notes] or [say("None.")]
    lines += ["", f"## {say('Mapped objects')}", "",
              f"| {say('NetBox type')} | {say('name')} | {say('asset id')} | {say('kind')} |",
              "|---|---|---|---|"]  # fmt: skip
    lines += [f"| {kind} | {_cell(name)} | {ident} | {kind_name(asset_kind, lang)} |"
              for kind, name, ident, asset_kind in report.assets]  # fmt: skip
    return "\n".join(lines) + "\n"
