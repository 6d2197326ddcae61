"""The BIA workbook: round trips, the template, and a corpus of broken
workbooks and CSV files, each with the exact message at its cell.

Workbooks are built here with openpyxl (no binaries in the repository): the
template's example company is written, then one thing is broken.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.model.validation import ScenarioError
from simulator.readwrite.bia_read import (
    MAX_UNPACKED,
    company_of,
    read_company,
    read_csv,
    read_xlsx,
)
from simulator.readwrite.bia_write import (
    company_rows,
    example_company,
    template_csv,
    template_xlsx,
    write_csv,
    write_xlsx,
)
from simulator.readwrite.io import load_company

REPO = Path(__file__).resolve().parents[1]
COMPANIES = [REPO / "scenarios/dairy/company.yaml", REPO / "scenarios/example/company.yaml"]


# --- round trips --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("path", COMPANIES, ids=lambda p: p.parent.name)
def test_export_then_import_gives_the_identical_company(path: Path, lang: str) -> None:
    company = load_company(path)
    assert read_company(write_xlsx(company_rows(company), lang), "bia.xlsx") == company
    assert read_company(write_csv(company_rows(company), lang), "bia") == company


def test_the_round_trip_keeps_what_the_dairy_uses_beyond_a_bia() -> None:
    """Not only equal: the features a workbook holds in extra columns are there."""
    dairy = read_company(write_xlsx(company_rows(load_company(COMPANIES[0])), "de"), "d.xlsx")
    by_id = {a.id: a for a in dairy.assets}
    assert sum(1 for a in dairy.assets if a.flood is not None) == 7
    assert sum(1 for a in dairy.assets if a.workaround is not None) == 9
    assert any(a.backup and a.backup.offline_interval for a in dairy.assets)
    shares = [m for a in dairy.assets for n in a.needs for m in (n.any_of or [])
              if not isinstance(m, str)]  # fmt: skip
    assert len(shares) == 19
    assert by_id["rental_generator"].standby is not None


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_template_imports_as_its_example_company(lang: str) -> None:
    company = read_company(template_xlsx(lang), "t.xlsx")
    assert company == example_company(lang)
    assert [a.id for a in company.assets if a.bia] == ["auftrag", "versand"]
    assert read_company(template_csv(lang), "t") == company


def test_the_template_has_comments_drop_downs_and_a_frozen_header() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("de")))
    assert book.sheetnames[:3] == ["Hinweise", "Unternehmen", "Prozesse"]
    ws = book["Prozesse"]
    assert ws.freeze_panes == "B2"
    rto = next(c for c in ws[1] if c.value == "WAZ (RTO)")
    assert rto.comment is not None and "English: RTO (WAZ)" in rto.comment.text
    assert all(c.comment is not None for c in ws[1])
    lists = [v.formula1 for v in ws.data_validations.dataValidation]
    assert any("Geschäftsprozess" in f and "IT-System" in f for f in lists)
    deps = book["Abhängigkeiten"].data_validations.dataValidation
    assert any("eine von" in v.formula1 for v in deps)
    assert any("geografisch" in v.formula1 for v in deps)


# --- headers ------------------------------------------------------------------------


def _edited(edit: Callable[[Any], None], lang: str = "de") -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(lang)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(raw: bytes | dict[str, bytes], file: str = "bia.xlsx") -> list[str]:
    with pytest.raises(ScenarioError) as err:
        read_company(raw, file)
    return [str(p) for p in err.value.problems]


def test_german_and_english_headers_and_aliases_are_both_accepted() -> None:
    def mix(book: Any) -> None:
        ws = book["Prozesse"]
        for cell in ws[1]:  # the English header, a practitioner's alias, a unit
            cell.value = {"WAZ (RTO)": "RTO (h)", "MTA (MTPD)": "maximal tolerierbare "
                          "Ausfallzeit", "Notbetriebsniveau (MBCO)": "Wiederanlauf-Niveau",
                          "Bezeichnung": "Name", "Art": "KIND"}.get(cell.value, cell.value)  # fmt: skip
        book["Abhängigkeiten"].title = "Dependencies"

    assert read_company(_edited(mix), "x.xlsx") == example_company("de")


# --- the corpus of broken workbooks ----------------------------------------------------


def _set(sheet: str, cell: str, value: Any) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        book[sheet][cell] = value

    return edit


BROKEN: list[tuple[str, Callable[[Any], None], list[str]]] = [
    (
        "missing sheet",
        lambda b: b.remove(b["Unternehmen"]),
        [
            "bia.xlsx: sheet: missing sheet 'Unternehmen' (or 'Company'); found: 'Prozesse', "
            "'Ressourcen', 'Abhängigkeiten', 'Teams', 'Puffer', 'Schadensverlauf'"
        ],
    ),
    (
        "wrong header",
        _set("Prozesse", "G1", "WAZZ"),
        [
            "bia.xlsx:Prozesse!A1: header: missing column 'WAZ (RTO)'",
            "bia.xlsx:Prozesse!G1: header: unknown column 'WAZZ'; did you mean 'WAZ (RTO)'? (a "
            "column to keep but not import: start its header with '#')",
        ],
    ),
    (
        "unknown kind",
        _set("Ressourcen", "B3", "Versorgng"),
        [
            "bia.xlsx:Ressourcen!B3: Art: unknown kind 'Versorgng'; did you mean 'Versorgung'? "
            "(expected one of: Standort, Versorgung, Anlage, IT-System, Anwendung, Daten, "
            "Lieferant, Logistik, Personal, Geschäftsprozess)"
        ],
    ),
    (
        "bad duration",
        _set("Prozesse", "G2", "4 Stundn"),
        [
            "bia.xlsx:Prozesse!G2: WAZ (RTO): not a duration: '4 Stundn'; write a number and a "
            "unit (s, min, h, d, w), e.g. '30min'"
        ],
    ),
    (
        "a number without a unit",
        _set("Prozesse", "H3", 48),
        [
            "bia.xlsx:Prozesse!H3: MTA (MTPD): write a unit with the number 48, e.g. '48h' or "
            "'48min'"
        ],
    ),
    (
        "unknown reference",
        _set("Abhängigkeiten", "B3", "ERP-System"),
        ["bia.xlsx:Abhängigkeiten!B3: Braucht: unknown asset 'ERP-System'"],
    ),
    (
        "unknown dependent",
        _set("Abhängigkeiten", "A2", "servr"),
        [
            "bia.xlsx:Abhängigkeiten!A2: Von: unknown asset 'servr'; did you mean 'server'?",
            "bia.xlsx:Puffer!B2: Bedarf: unknown need 'strom' of asset 'server' (its needs: none)",
        ],
    ),
    (
        "duplicate id",
        _set("Ressourcen", "A3", "werk"),
        [
            "bia.xlsx:Ressourcen!A3: ID: duplicate asset id 'werk' (first at Ressourcen!A2)",
            "bia.xlsx:Abhängigkeiten!B2: Braucht: unknown asset 'strom'",
        ],
    ),
    (
        "duplicate team",
        lambda b: b["Teams"].append(["it", "Zweites IT-Team", None, None, 1]),
        ["bia.xlsx:Teams!A3: ID: duplicate team id 'it' (first at Teams!A2)"],
    ),
    (
        "merged cells",
        lambda b: b["Ressourcen"].merge_cells("C2:D2"),
        [
            "bia.xlsx:Ressourcen!C2: cell: merged cells C2:D2; unmerge them (a merged cell holds "
            "one value for several)"
        ],
    ),
    (
        "formula",
        _set("Prozesse", "I2", "=0.25*2"),
        ["bia.xlsx:Prozesse!I2: Notbetriebsniveau (MBCO): formula in cell; paste values"],
    ),
    (
        "a date for an id",
        _set("Ressourcen", "A4", dt.datetime(2024, 1, 1)),
        [
            "bia.xlsx:Ressourcen!A4: ID: a date in this cell; format the cell as text and write "
            "the value",
            "bia.xlsx:Abhängigkeiten!B6: Braucht: unknown asset 'internet'",
        ],
    ),
    (
        "empty rows are skipped, cells still counted",
        lambda b: (b["Ressourcen"].insert_rows(3, 2), b["Ressourcen"].__setitem__("B6", "Anlag")),
        [
            "bia.xlsx:Ressourcen!B6: Art: unknown kind 'Anlag'; did you mean 'Anlage'? (expected "
            "one of: Standort, Versorgung, Anlage, IT-System, Anwendung, Daten, Lieferant, "
            "Logistik, Personal, Geschäftsprozess)"
        ],
    ),
    (
        "rto beyond mtpd",
        _set("Prozesse", "G3", "3d"),
        [
            "bia.xlsx:Prozesse!G3: WAZ (RTO): rto must not exceed mtpd (ISO 22301: the RTO lies "
            "within the MTPD)"
        ],
    ),
    (
        "a share with mode all",
        _set("Abhängigkeiten", "G2", 0.5),
        ["bia.xlsx:Abhängigkeiten!G2: Anteil: a share is only for the modes any and k of n"],
    ),
    (
        "rows of one need disagree",
        _set("Abhängigkeiten", "D7", "physisch"),
        [
            "bia.xlsx:Abhängigkeiten!D7: Art: differs from the first row of need 'netz' "
            "(Abhängigkeiten!D6): rows of one need share it"
        ],
    ),
    (
        "unknown team",
        _set("Ressourcen", "M5", "it-team"),
        ["bia.xlsx:Ressourcen!M5: Wiederherstellungsteam: unknown team 'it-team'"],
    ),
]


@pytest.mark.parametrize("name,edit,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_workbook_is_reported_at_its_cells(name: str, edit: Callable[[Any], None],
                                                    expected: list[str]) -> None:  # fmt: skip
    assert _problems(_edited(edit)) == expected


def test_a_formula_in_the_last_cell_of_a_row_is_refused_too() -> None:
    """A formula's value is not read (openpyxl has no cached result for a
    workbook it wrote): in a row's last filled cell it once vanished with the
    trailing blanks, and the figure was silently lost."""

    def last(book: Any) -> None:
        sheet = book["Prozesse"]
        width = max(c.column for c in sheet[1] if c.value is not None)
        sheet.cell(2, width).value = "=500*24"  # nothing comes after the last header
        last.cell = f"Prozesse!{sheet.cell(2, width).column_letter}2"  # type: ignore[attr-defined]

    lines = _problems(_edited(last))
    where = f"bia.xlsx:{last.cell}: "  # type: ignore[attr-defined]
    assert any(line.startswith(where) and "formula in cell; paste values" in line
               for line in lines), lines  # fmt: skip


def test_every_problem_is_reported_at_once_in_sheet_order() -> None:
    def many(book: Any) -> None:
        for edit in (_set("Prozesse", "G2", "bald"), _set("Ressourcen", "B3", "Kraftwerk"),
                     _set("Abhängigkeiten", "B3", "ERP-System"),
                     lambda b: b["Ressourcen"].merge_cells("C2:D2")):  # fmt: skip
            edit(book)

    lines = _problems(_edited(many))
    assert [line.split(": ")[0] for line in lines] == [
        "bia.xlsx:Prozesse!G2", "bia.xlsx:Ressourcen!C2", "bia.xlsx:Ressourcen!B3",
        "bia.xlsx:Abhängigkeiten!B3"]  # fmt: skip


def test_messages_speak_german_too() -> None:
    with pytest.raises(ScenarioError) as err:
        read_company(_edited(_set("Prozesse", "I2", "=1")), "bia.xlsx")
    assert err.value.problems[0].in_language("de") == (
        "bia.xlsx:Prozesse!I2: Notbetriebsniveau (MBCO): Formel in der Zelle; Werte einfügen"
    )


def test_a_column_of_ones_own_is_kept_out_with_a_hash() -> None:
    def own(book: Any) -> None:
        ws = book["Prozesse"]
        ws.cell(row=1, column=ws.max_column + 1, value="# Prozessverantwortliche")
        ws.cell(row=2, column=ws.max_column, value="Frau Müller")

    assert read_company(_edited(own), "x.xlsx") == example_company("de")


# --- hostile files --------------------------------------------------------------------


def test_not_a_workbook_and_a_zip_bomb_are_refused_unread() -> None:
    assert _problems(b"PK\x03\x04 not really") == [
        "bia.xlsx: file: not an XLSX workbook (save it as .xlsx, or as CSV files in a folder)"
    ]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"\0" * (MAX_UNPACKED + 1))
    raw = bomb.getvalue()
    assert len(raw) < 1_000_000  # small on disk, huge unpacked
    lines = _problems(raw)
    assert lines == [f"bia.xlsx: file: unpacks to 128 MB, more than {MAX_UNPACKED >> 20} MB"]


def test_an_overlong_cell_is_refused() -> None:
    lines = _problems(_edited(_set("Ressourcen", "C2", "x" * 10_001)))
    assert lines == ["bia.xlsx:Ressourcen!C2: Bezeichnung: more than 10000 characters"]


# --- CSV ------------------------------------------------------------------------------


def _csv(lang: str = "de") -> dict[str, bytes]:
    return template_csv(lang)


def _replace(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    text = files[name].decode("utf-8-sig")
    assert old in text
    return {**files, name: text.replace(old, new, 1).encode("utf-8-sig")}


def test_csv_files_with_or_without_bom_and_either_delimiter_read_alike() -> None:
    german = _csv("de")  # ; and a BOM
    plain = {}  # , and no BOM
    for name, raw in german.items():
        out = io.StringIO()
        csv.writer(out).writerows(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        plain[name] = out.getvalue().encode()
    assert b";" not in b"".join(plain.values()) and not plain["Teams.csv"].startswith(b"\xef")
    assert read_company(german, "bia") == read_company(plain, "bia") == example_company("de")


CSV_BROKEN: list[tuple[str, Callable[[dict[str, bytes]], dict[str, bytes]], list[str]]] = [
    (
        "missing sheet",
        lambda f: {k: v for k, v in f.items() if k != "Prozesse.csv"},
        [
            "bia: sheet: missing sheet 'Prozesse' (or 'Processes'); found: 'Unternehmen.csv', "
            "'Ressourcen.csv', 'Abhängigkeiten.csv', 'Teams.csv', 'Puffer.csv', 'Schadensverlauf.csv'",
            "bia/Abhängigkeiten.csv:row 4: Von: unknown asset 'auftrag'",
            "bia/Abhängigkeiten.csv:row 5: Von: unknown asset 'auftrag'",
            "bia/Abhängigkeiten.csv:row 6: Von: unknown asset 'versand'",
            "bia/Abhängigkeiten.csv:row 7: Von: unknown asset 'versand'",
            "bia/Schadensverlauf.csv:row 2: Prozess: unknown process 'versand'",
            "bia/Schadensverlauf.csv:row 3: Prozess: unknown process 'versand'",
        ],
    ),
    (
        "wrong header",
        lambda f: _replace(f, "Prozesse.csv", "MTA (MTPD)", "MTA (MTPD"),
        [
            "bia/Prozesse.csv:row 1: header: unknown column 'MTA (MTPD'; did you mean 'MTA "
            "(MTPD)'? (a column to keep but not import: start its header with '#')",
            "bia/Prozesse.csv:row 1: header: missing column 'MTA (MTPD)'",
        ],
    ),
    (
        "unknown kind",
        lambda f: _replace(f, "Ressourcen.csv", "IT-System", "Server"),
        [
            "bia/Ressourcen.csv:row 5: Art: unknown kind 'Server' (expected one of: Standort, "
            "Versorgung, Anlage, IT-System, Anwendung, Daten, Lieferant, Logistik, Personal, "
            "Geschäftsprozess)"
        ],
    ),
    (
        "bad duration",
        lambda f: _replace(f, "Prozesse.csv", ";1d;", ";ein Tag;"),
        [
            "bia/Prozesse.csv:row 2: MTA (MTPD): not a duration: 'ein Tag'; write a number and a "
            "unit (s, min, h, d, w), e.g. '30min'"
        ],
    ),
    (
        "unknown reference",
        lambda f: _replace(f, "Abhängigkeiten.csv", "erp;server", "erp;srv"),
        ["bia/Abhängigkeiten.csv:row 3: Braucht: unknown asset 'srv'; did you mean 'server'?"],
    ),
    (
        "duplicate id",
        lambda f: _replace(f, "Ressourcen.csv", "internet;", "strom;"),
        [
            "bia/Ressourcen.csv:row 4: ID: duplicate asset id 'strom' (first at Ressourcen.csv row "
            "3)",
            "bia/Abhängigkeiten.csv:row 6: Braucht: unknown asset 'internet'",
        ],
    ),
    (
        "empty rows are skipped",
        lambda f: _replace(
            f, "Ressourcen.csv", "\r\nserver;IT-System", "\r\n;;;\r\n\r\nserver;IT-Sytem"
        ),
        [
            "bia/Ressourcen.csv:row 7: Art: unknown kind 'IT-Sytem'; did you mean 'IT-System'? "
            "(expected one of: Standort, Versorgung, Anlage, IT-System, Anwendung, Daten, "
            "Lieferant, Logistik, Personal, Geschäftsprozess)"
        ],
    ),
    (
        "not UTF-8",
        lambda f: {**f, "Teams.csv": "ID;Größe\r\nit;2\r\n".encode("latin-1")},
        [
            "bia/Ressourcen.csv:row 5: Wiederherstellungsteam: unknown team 'it': the company "
            "defines no teams",
            "bia/Ressourcen.csv:row 6: Wiederherstellungsteam: unknown team 'it': the company "
            "defines no teams",
            "bia/Teams.csv:row 1: file: not UTF-8 text (byte 0xf6); save it as 'CSV UTF-8'",
        ],
    ),
    (
        "unknown file",
        lambda f: {**f, "Prozese.csv": b"ID\r\n"},
        ["bia/Prozese.csv:row 1: file: unknown sheet 'Prozese.csv'; did you mean 'Prozesse.csv'?"],
    ),
]


@pytest.mark.parametrize("name,edit,expected", CSV_BROKEN, ids=[b[0] for b in CSV_BROKEN])
def test_broken_csv_files_are_reported_at_their_rows(
    name: str, edit: Callable[[dict[str, bytes]], dict[str, bytes]], expected: list[str]
) -> None:
    assert _problems(edit(_csv()), "bia") == expected


def test_the_reader_keeps_data_and_cells_for_merging_with_other_sources() -> None:
    """A NetBox import merges the processes of a workbook with its inventory:
    the reader's data is a company file's, its cells locate problems later."""
    book = read_xlsx(template_xlsx("en"), "bia.xlsx")
    assert book.problems == []
    assert [a["id"] for a in book.data["assets"]][-2:] == ["auftrag", "versand"]
    assert book.cells.line(("assets", 6, "bia", "rto")) == "Processes!G2"
    assert company_of(book) == example_company("en")
    assert read_csv(template_csv("en"), "dir").cells.line(("assets", 0)) == "Resources.csv:row 2"


# --- the command line --------------------------------------------------------------------


def test_cli_template_import_export(tmp_path: Path) -> None:
    runner = CliRunner()
    workbook = tmp_path / "bia.xlsx"
    result = runner.invoke(app, ["template", "bia", "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "bia", str(workbook), "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert load_company(tmp_path / "c/company.yaml") == example_company("de")
    exported = tmp_path / "dairy.xlsx"
    result = runner.invoke(app, ["export", "bia", str(COMPANIES[0]), "--out", str(exported),
                                 "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "bia", str(exported), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert load_company(tmp_path / "d/company.yaml") == load_company(COMPANIES[0])
    folder = tmp_path / "csv"
    assert runner.invoke(app, ["template", "bia", "--csv", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["import", "bia", str(folder), "--out", str(tmp_path / "e")])
    assert result.exit_code == 0, result.output


def test_cli_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "bia.xlsx"
    broken.write_bytes(_edited(lambda b: (_set("Prozesse", "G2", "bald")(b),
                                          _set("Ressourcen", "B3", "Kraftwerk")(b))))  # fmt: skip
    result = CliRunner().invoke(app, ["import", "bia", str(broken), "--out", str(tmp_path / "o"),
                                      "--lang", "de"])  # fmt: skip
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{broken}:Prozesse!G2: WAZ (RTO): keine Dauer: 'bald'")
    assert lines[1].startswith(f"{broken}:Ressourcen!B3: Art: unbekannte Art 'Kraftwerk'")
    assert not (tmp_path / "o").exists()


def test_values_as_people_type_them() -> None:
    """ISO durations, a time-formatted cell, a German percentage and euro
    amount, a German decimal comma in CSV: each read as the value meant."""

    def typed(book: Any) -> None:
        ws = book["Prozesse"]
        ws["G2"] = "PT2H"  # RTO
        ws["H2"] = dt.time(23, 0)  # MTPD as Excel's "23:00"
        ws["I2"] = "60 %"  # MBCO
        ws["K2"] = "12.000 €"  # impact per hour

    auftrag = next(a for a in read_company(_edited(typed), "x.xlsx").assets if a.id == "auftrag")
    assert auftrag.bia is not None
    assert (auftrag.bia.rto, auftrag.bia.mtpd) == (2 * 3600, 23 * 3600)
    assert (auftrag.bia.mbco, auftrag.bia.impact_per_hour) == (0.6, 12_000)
    files = _replace(_csv("de"), "Prozesse.csv", ";0,5;", ";0,35;")
    auftrag = next(a for a in read_company(files, "bia").assets if a.id == "auftrag")
    assert auftrag.bia is not None and auftrag.bia.mbco == 0.35


def test_k_is_only_for_k_of_n() -> None:
    lines = _problems(_edited(_set("Abhängigkeiten", "F2", 2)))
    assert lines == ["bia.xlsx:Abhängigkeiten!F2: k: k is only for the mode k of n"]
