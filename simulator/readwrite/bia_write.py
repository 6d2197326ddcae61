"""Write a company as a BIA workbook (XLSX or CSV files), and the empty
template with example rows a BCM team fills in.

The columns are those of `bia_columns`, the same the reader reads, so a
written company reads back as the identical model: `read_company(write(c)) == c`
(tests/test_bia_workbook.py checks it on the dairy and the example). The
headers are in one language (`lang`); each header's comment gives its meaning
and the header in the other language, which the reader accepts as well.

Limits of the round trip, each outside what a spreadsheet holds well:
- assets come back in sheet order: resources first, then processes (as the
  reference companies list them);
- a need without an id and with more than one provider, or with buffers,
  gets its default id `<type>-<position>`;
- a workaround that covers an empty list of needs reads back as covering all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.model.schema import Company
from simulator.readwrite.bia_columns import (
    BUFFERS,
    COMPANY,
    DEPENDENCIES,
    IMPACT,
    PROCESSES,
    RESOURCES,
    SHEETS,
    TEAMS,
    Column,
    Sheet,
    Type,
    choice_label,
)
from simulator.terms.durations import format_duration

Rows = dict[str, list[dict[str, Any]]]
"""Sheet key -> rows, each a mapping of column key -> the value as stored in
the company's data (seconds for durations, enum values)."""

_ALWAYS = {"bia", "type"}
"""Column paths starting here are written even at their default (a process's
MBCO, a dependency's type): a reader of the sheet wants to see them."""


def _get(data: Any, path: Iterable[str]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _fill(row: dict[str, Any], sheet: Sheet, full: dict[str, Any], lean: dict[str, Any],
          skip: Iterable[str] = ()) -> None:  # fmt: skip
    """The row's values of the columns with a path, taken from the data dumped
    without its defaults; a part given with only defaults (`standby: {}`)
    keeps its first column, so that it is not lost."""
    skipped = set(skip)
    groups: dict[tuple[str, ...], Column] = {}
    for column in sheet.columns:
        if not column.path or column.key in skipped:
            continue
        source = full if column.path[0] in _ALWAYS else lean
        value = _get(source, column.path)
        if isinstance(value, dict) and column.type is not Type.dist:
            continue  # a text per language: its (de) and (en) columns take it
        if value is not None:
            row[column.key] = value
        for end in range(1, len(column.path)):
            groups.setdefault(column.path[:end], column)
    for prefix, first in groups.items():
        if _get(full, prefix) is not None and not any(
            c.path[: len(prefix)] == prefix and c.key in row for c in sheet.columns
        ):
            value = _get(full, first.path)
            if value is not None and not isinstance(value, dict):
                row[first.key] = value


_RECOVERY_KEYS = ("recovery_time", "recovery_dist", "recovery_min", "recovery_max",
                  "recovery_sigma")  # fmt: skip


def _recovery(row: dict[str, Any], asset: dict[str, Any]) -> None:
    time = _get(asset, ("recovery", "time"))
    if time is None:
        return
    if not isinstance(time, dict):
        row["recovery_time"] = time
        return
    row["recovery_dist"] = time["dist"]
    centre = time.get("mode", time.get("median"))
    if centre is not None:
        row["recovery_time"] = centre
    for name in ("min", "max", "sigma"):
        if name in time:
            row[f"recovery_{name}"] = time[name]


def company_rows(company: Company) -> Rows:
    """The company as the workbook's rows, sheet by sheet."""
    full = company.model_dump(mode="python", exclude_none=True)
    lean = company.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    rows: Rows = {sheet.key: [] for sheet in SHEETS}
    head: dict[str, Any] = {}
    _fill(head, COMPANY, full["company"], lean["company"])
    rows[COMPANY.key].append(head)
    for ident, team in company.teams.items():
        row: dict[str, Any] = {"id": ident}
        _fill(row, TEAMS, team.model_dump(exclude_none=True),
              team.model_dump(exclude_none=True, exclude_defaults=True))  # fmt: skip
        rows[TEAMS.key].append(row)
    for i, asset in enumerate(company.assets):
        whole, bare = full["assets"][i], lean["assets"][i]
        process = asset.kind == "business_process" or asset.bia is not None
        sheet = PROCESSES if process else RESOURCES
        row = {}
        _fill(row, sheet, whole, bare, skip=_RECOVERY_KEYS)
        _recovery(row, whole)
        if "impact" in (bare.get("bia") or {}):
            for step in whole["bia"]["impact"]:
                rows[IMPACT.key].append({"process": asset.id, **step})
        rows[sheet.key].append(row)
        for n, need in enumerate(asset.needs):
            members: list[Any]
            if need.all_of is not None:
                mode, members = "all", list(need.all_of)
            elif need.any_of is not None:
                mode, members = "any", list(need.any_of)
            else:
                assert need.k_of_n is not None
                mode, members = "k", list(need.k_of_n.of)
            # the id a need without one has (simulator.model.graph.need_id)
            default = f"{need.type.value}-{n + 1}"
            named = need.id or (None if len(members) <= 1 and not need.buffers else default)
            for member in members:
                dep: dict[str, Any] = {"from": asset.id, "need": named,
                                       "type": need.type.value, "mode": mode}  # fmt: skip
                if isinstance(member, str):
                    dep["to"] = member
                else:
                    dep["to"], dep["share"] = member.asset, member.share
                if need.k_of_n is not None:
                    dep["k"] = need.k_of_n.k
                if need.delay:
                    dep["delay"] = need.delay
                rows[DEPENDENCIES.key].append(dep)
            for buffer in need.buffers:
                brow: dict[str, Any] = {"asset": asset.id, "need": named}
                _fill(brow, BUFFERS, buffer.model_dump(exclude_none=True),
                      buffer.model_dump(exclude_none=True, exclude_defaults=True))  # fmt: skip
                rows[BUFFERS.key].append(brow)
    return rows


# --- cells --------------------------------------------------------------------------


def _cell(column: Column, value: Any, lang: str, csv_text: bool) -> Any:
    """A stored value as the cell shows it: durations spelt, enums labelled,
    lists joined; in CSV numbers as text (German with a decimal comma)."""
    if value is None:
        return None
    if column.type is Type.duration and isinstance(value, int):
        return format_duration(value)
    if column.type in (Type.kind, Type.utility, Type.dep_type, Type.mode, Type.dist):
        return choice_label(column.type, str(value), lang)
    if column.type is Type.ids and isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, float) and value.is_integer() and column.type is Type.eur:
        value = int(value)
    if csv_text and isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if lang == "de" else text
    return value


def _widths(column: Column, lang: str) -> float:
    return max(10.0, min(40.0, len(column.header(lang)) * 1.1 + 3))


def write_xlsx(rows: Rows, lang: str = "de", notes: bool = False) -> bytes:
    """An XLSX workbook of `rows`: frozen, commented headers, drop-downs for
    the enumerated columns, widths to fit the headers."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from simulator.readwrite.bia_columns import CHOICES

    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    if notes:
        _notes(book.create_sheet(_NOTES[lang][0]), lang)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    other = "en" if lang == "de" else "de"
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name(lang))
        ws.append([c.header(lang) for c in sheet.columns])
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=col)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=False)
            need = " *" if column.required else ""
            label = "English" if other == "en" else "Deutsch"
            text = f"{column.comment(lang)}{need}\n\n{label}: {column.header(other)}"
            cell.comment = Comment(text, "Tabletop", width=320, height=140)
            letter = cell.column_letter
            ws.column_dimensions[letter].width = _widths(column, lang)
        for data in rows.get(sheet.key, []):
            values = [_cell(c, data.get(c.key), lang, csv_text=False) for c in sheet.columns]
            ws.append(values)
        for col, column in enumerate(sheet.columns, start=1):
            letter = ws.cell(row=1, column=col).column_letter
            if column.type in CHOICES:
                labels = [c.de if lang == "de" else c.en for c in CHOICES[column.type]]
                check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                       allow_blank=True, showErrorMessage=False)  # fmt: skip
                check.add(f"{letter}2:{letter}{max(1000, ws.max_row + 500)}")
                ws.add_data_validation(check)
            if column.type is Type.fraction:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    if isinstance(cell.value, float):
                        whole = round(cell.value * 100, 6).is_integer()
                        cell.number_format = "0%" if whole else "0.00%"
        ws.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(rows: Rows, lang: str = "de") -> dict[str, bytes]:
    """The same sheets as CSV files (UTF-8 with BOM, which Excel needs to
    read umlauts; `;` in German as German Excel writes, `,` in English)."""
    delimiter = ";" if lang == "de" else ","
    files: dict[str, bytes] = {}
    for sheet in SHEETS:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([c.header(lang) for c in sheet.columns])
        for data in rows.get(sheet.key, []):
            cells = [_cell(c, data.get(c.key), lang, csv_text=True) for c in sheet.columns]
            writer.writerow(["" if v is None else v for v in cells])
        files[f"{sheet.name(lang)}.csv"] = out.getvalue().encode("utf-8-sig")
    return files


# --- the template ---------------------------------------------------------------------

_NOTES: Mapping[str, tuple[str, list[str]]] = {
    "de": (
        "Hinweise",
        [
            "BIA-Vorlage für Tabletop (Krisenübungs-Simulator)",
            "",
            "Blätter: Unternehmen (eine Zeile), Prozesse (Geschäftsprozesse mit WAZ/RTO, MTA/MTPD, "
            "Notbetriebsniveau/MBCO, RPO, Schaden je Stunde), Ressourcen, Abhängigkeiten "
            "(eine Zeile je Anbieter), Teams, Puffer, Schadensverlauf.",
            "Jede Spaltenüberschrift hat einen Kommentar: Bedeutung und englische Überschrift "
            "(beide werden gelesen).",
            "Zeiten mit Einheit: 30min, 4h, 2 Tage, 1d12h. Anteile: 60 % oder 0,6.",
            "Keine Formeln und keine verbundenen Zellen: Werte einfügen.",
            "Eigene Spalten, die nicht eingelesen werden sollen: Überschrift mit # beginnen.",
            "Einlesen: tabletop import bia bia.xlsx --out meine-firma",
            "Die Beispielzeilen ersetzen.",
        ],
    ),
    "en": (
        "Notes",
        [
            "BIA template for Tabletop (crisis exercise simulator)",
            "",
            "Sheets: Company (one row), Processes (business processes with RTO, MTPD, MBCO, RPO, "
            "impact per hour), Resources, Dependencies (one row per provider), Teams, Buffers, "
            "Impact.",
            "Every column header has a comment: its meaning and the German header (both are read).",
            "Times with a unit: 30min, 4h, 2d, 1d12h. Shares: 60 % or 0.6.",
            "No formulas and no merged cells: paste values.",
            "Columns of your own that should not be imported: start the header with #.",
            "Import: tabletop import bia bia.xlsx --out my-company",
            "Replace the example rows.",
        ],
    ),
}


def _notes(ws: Any, lang: str) -> None:
    from openpyxl.styles import Font

    for line in _NOTES[lang][1]:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120


def example_company(lang: str = "de") -> Company:
    """The template's example rows: a small company that validates."""
    de = lang == "de"

    def t(german: str, english: str) -> str:
        return german if de else english

    data = {
        "company": {"id": "musterfirma", "name": t("Musterfirma GmbH", "Example Ltd")},
        "teams": {"it": {"name": t("IT-Administration", "IT administrators"), "size": 2}},
        "assets": [
            {"id": "werk", "kind": "site", "name": t("Werk Leipzig", "Leipzig plant")},
            {"id": "strom", "kind": "utility", "utility": "power", "location": "werk",
             "name": t("Stromnetz", "Power grid")},
            {"id": "internet", "kind": "utility", "utility": "network", "location": "werk",
             "name": t("Internetanschluss", "Internet line")},
            {"id": "server", "kind": "it_system", "location": "werk",
             "name": t("Serverraum", "Server room"),
             "needs": [{"id": "strom", "type": "physical", "all_of": ["strom"],
                        "buffers": [{"id": "usv", "name": t("USV", "UPS"),
                                     "capacity": "30min", "refill": "8h"}]}],
             "recovery": {"time": {"dist": "triangular", "min": "4h", "mode": "8h",
                                   "max": "2d"}, "team": "it"}},
            {"id": "erp", "kind": "application", "name": "ERP",
             "needs": [{"id": "server", "type": "cyber", "all_of": ["server"]}],
             "restart": "30min", "recovery": {"time": "4h", "team": "it"}},
            {"id": "vertrieb", "kind": "staff", "name": t("Vertriebsteam", "Sales team")},
            {"id": "auftrag", "kind": "business_process",
             "name": t("Auftragsabwicklung", "Order processing"),
             "needs": [{"id": "erp", "type": "cyber", "all_of": ["erp"], "delay": "1h"},
                       {"id": "leute", "type": "logical", "all_of": ["vertrieb"]}],
             "bia": {"rto": "4h", "mtpd": "1d", "mbco": 0.5, "rpo": "1h",
                     "impact_per_hour": 2000},
             "workaround": {"name": t("Aufträge auf Papier", "Orders on paper"),
                            "capacity": 0.3, "lead_time": "2h", "covers": ["erp"]}},
            {"id": "versand", "kind": "business_process", "name": t("Versand", "Shipping"),
             "needs": [{"id": "netz", "type": "cyber", "any_of": ["internet", "erp"]}],
             "bia": {"rto": "8h", "mtpd": "2d", "mbco": 0.6,
                     "impact": [{"after": "0h", "per_hour": 500},
                                {"after": "1d", "per_hour": 3000}]}},
        ],
    }  # fmt: skip
    from simulator.readwrite.build import Source, company_from_data

    return company_from_data(Source("example", data))


def template_xlsx(lang: str = "de") -> bytes:
    """The template: notes, every sheet with commented headers and drop-downs,
    and example rows of a small company that imports as it is."""
    return write_xlsx(company_rows(example_company(lang)), lang, notes=True)


def template_csv(lang: str = "de") -> dict[str, bytes]:
    return write_csv(company_rows(example_company(lang)), lang)
