"""MSEL spreadsheets (simulator/readwrite/msel.py): round trips, header
aliases, merging over a scenario, and broken sheets each with its cell."""

from __future__ import annotations

import copy
import io
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.model.schema import ScenarioBundle
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import load_bundle, read_yaml
from simulator.readwrite.msel import (
    MAX_ROWS,
    import_msel,
    msel_csv,
    msel_rows,
    msel_xlsx,
    scenario_time,
)

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "scenarios").glob("*/*.yaml")
    if p.name != "company.yaml"
)
EXAMPLE = ROOT / "scenarios" / "example" / "scenario.yaml"
runner = CliRunner()


def scenario(path: Path | str = EXAMPLE) -> tuple[ScenarioBundle, dict[str, Any]]:
    data, _ = read_yaml(ROOT / path)
    return load_bundle(ROOT / path), data


def xlsx(rows: list[list[Any]], sheet: str = "MSEL") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(name: str, raw: bytes, path: Path | str = EXAMPLE) -> list[str]:
    bundle, data = scenario(path)
    data = {k: v for k, v in data.items() if k != "triggers"}  # they release m9
    with pytest.raises(ScenarioError) as err:
        import_msel(name, raw, data, bundle)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("path", SCENARIOS)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_export_then_import_gives_the_identical_scenario(path: str, kind: str, lang: str) -> None:
    bundle, data = scenario(path)
    header, rows = msel_rows(bundle.scenario, data["injects"], lang)
    raw = msel_xlsx(header, rows) if kind == "xlsx" else msel_csv(header, rows).encode()
    built, _, read = import_msel(f"msel.{kind}", raw, data, bundle)
    assert built.scenario.injects == bundle.scenario.injects
    assert built.scenario == bundle.scenario
    assert read.dropped == [] and read.ignored == []


def hseep_example() -> tuple[ScenarioBundle, dict[str, Any]]:
    """The example with every HSEEP column filled in for m1 and m2."""
    bundle, data = scenario()
    data = copy.deepcopy(data)
    data["injects"][0].update(
        teams=["it_admins", "electricians"], event_type="expected_action", method="phone",
        sender={"de": "Landratsamt", "en": "District office"}, controller="Anna Berg",
        expected_action={"de": "Krisenstab einberufen", "en": "Convene the crisis team"},
        objective="orders_in_rto", notes={"de": "Nur Steuerung", "en": "Control only"},
    )  # fmt: skip
    data["injects"][1].update(event_type="contextual", method="=phone", delay="10min")
    from simulator.readwrite.build import Source, bundle_from_data

    return bundle_from_data(Source("s", data), bundle.company), data


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_every_hseep_column_survives_the_round_trip(kind: str) -> None:
    bundle, data = hseep_example()
    header, rows = msel_rows(bundle.scenario, data["injects"], "en")
    assert header == [
        "Event No.", "Scenario time", "Event type", "Responsible controller", "Intended player",
        "Sender (de)", "Sender (en)", "Method", "Title (de)", "Title (en)", "Message (de)",
        "Message (en)", "Expected player action (de)", "Expected player action (en)",
        "Objective", "Notes (de)", "Notes (en)", "Condition", "Delay", "Commands",
    ]  # fmt: skip
    assert rows[0][:5] == ["m1", "T+3h", "expected action", "Anna Berg", "it_admins, electricians"]
    assert rows[0][-1] == "[{action: down, asset: erp}, {action: down, asset: erp_db}]"
    raw = msel_xlsx(header, rows) if kind == "xlsx" else msel_csv(header, rows).encode()
    built, _, _ = import_msel(f"msel.{kind}", raw, data, bundle)
    assert built.scenario.injects == bundle.scenario.injects
    assert built.scenario.injects[1].method == "=phone"  # text, never a formula


def test_a_plain_hseep_sheet_keeps_the_commands_of_injects_with_the_same_id() -> None:
    bundle, data = scenario()
    raw = (
        "Nr.;Zeit;Einlage;Adressat;Absender;erwartete Handlung;Übungsziel;Bemerkungen\n"
        'm1;T+0:30;"ERP verschlüsselt.\nZweite Zeile";it_admins;IT-Dienstleister;Krisenstab rufen;'
        "orders_in_rto;nur Steuerung\n"
        ";;;;;;;\n"  # a blank separator row
        "x1;1:30;Presse ruft an;it_admins, electricians;;;;\n"
        "x2;2d 6:00;Lage;;;;;\n"
        "m9;;Am Limit;;;;;\n"  # untimed: released by a trigger of the scenario
    ).encode()
    built, data2, read = import_msel("msel.csv", raw, data, bundle)
    m1, x1, x2, m9 = built.scenario.injects
    assert (m1.id, m1.at, m1.teams, m1.sender, m1.objective) == (
        "m1",
        1800,
        ["it_admins"],
        "IT-Dienstleister",
        "orders_in_rto",
    )
    assert m1.message == "ERP verschlüsselt.\nZweite Zeile"
    assert m1.title == bundle.scenario.injects[0].title  # no title column: m1 keeps its own
    assert x1.title == "Presse ruft an"  # a new inject: the message's first line
    assert m1.do == bundle.scenario.injects[0].do  # no Commands column: m1 keeps its commands
    assert m1.expected_action == "Krisenstab rufen" and m1.notes == "nur Steuerung"
    assert (x1.at, x1.teams, x1.do) == (5400, ["it_admins", "electricians"], [])
    assert x2.at == 2 * 86400 + 6 * 3600
    assert (m9.at, m9.message, m9.title) == (None, "Am Limit", bundle.scenario.injects[-1].title)
    assert read.dropped == ["m2", "m3", "m4", "m5", "m7", "m8"]
    assert data2["injects"][0]["do"] == data["injects"][0]["do"]  # as written: the file's spelling


def test_dropping_an_inject_a_trigger_releases_is_reported() -> None:
    bundle, data = scenario()
    with pytest.raises(ScenarioError) as err:
        import_msel("msel.csv", b"Event No.,Scenario time,Title\nm1,1h,A\n", data, bundle)
    assert [str(p) for p in err.value.problems] == [
        "msel.csv: triggers[1] (no_external_it).do[0].release: unknown inject 'm9'"
    ]


def test_scenario_times() -> None:
    start = datetime.fromisoformat("2026-01-05T08:00:00+01:00")
    assert scenario_time("T+0:30", start) == 1800
    assert scenario_time("T + 4d1h", start) == 4 * 86400 + 3600
    assert scenario_time("30min", start) == 1800
    assert scenario_time("1:30:15", start) == 5415
    assert scenario_time("T+0", start) == 0
    assert scenario_time(time(0, 45), start) == 2700
    assert scenario_time(timedelta(hours=30), start) == 30 * 3600
    assert scenario_time(datetime(2026, 1, 6, 9, 30), start) == 25 * 3600 + 1800
    with pytest.raises(ValueError, match="before the scenario start"):
        scenario_time(datetime(2026, 1, 5, 7, 0), start)
    with pytest.raises(ValueError, match="not a scenario time: 'T\\+10'"):
        scenario_time("T+10", start)


HEAD = ["Event No.", "Scenario time", "Title", "Event type", "Objective", "Commands"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([HEAD, ["m1", "bald", "A", None, None, None]],
         "msel.xlsx:MSEL!B2: Scenario time: not a scenario time: 'bald'; write T+0:30, 30min "
         "or h:mm since the start"),
        ([HEAD, ["m1", "1h", "A", "=1+1", None, None]],
         "msel.xlsx:MSEL!D2: cells: a formula ('=1+1'); enter the value itself"),
        ([HEAD, ["m1", "1h", "A", "drill", None, None]],
         "msel.xlsx:MSEL!D2: Event type: Input should be 'contextual', 'expected_action' or "
         "'contingency'"),
        ([HEAD, ["m1", "1h", "A", None, "in_rto", None]],
         "msel.xlsx:MSEL!E2: Objective: unknown objective 'in_rto'; did you mean "
         "'orders_in_rto'?"),
        ([HEAD, ["m1", "1h", "A", None, None, None], ["m1", "2h", "B", None, None, None]],
         "msel.xlsx:MSEL!A3: Event No.: duplicate inject id 'm1' (first at injects[0].id)"),
        ([HEAD, ["m1", "1h", None, None, None, None]],
         "msel.xlsx:MSEL!C2: Title: missing required field"),
        ([HEAD, ["m1 x", "1h", "A", None, None, None]],
         "msel.xlsx:MSEL!A2: Event No.: String should match pattern "
         "'^[A-Za-z0-9][A-Za-z0-9_.:-]*$'"),
        ([HEAD, ["m1", "1h", "A", None, None, "[{action: down"]],
         "msel.xlsx:MSEL!F2: Commands: not a YAML value: expected ',' or '}', but got "
         "'<stream end>'"),
        ([HEAD, ["m1", "1h", "A", None, None, "[&a [1,1], *a]"]],
         "msel.xlsx:MSEL!F2: Commands: not a YAML value: anchors and aliases (&, *) are not "
         "allowed here"),
        ([HEAD, ["m1", "1h", "A", None, None, "[{action: down, asset: erq}]"]],
         "msel.xlsx:MSEL!F2: injects[0] (m1).do[0].asset: unknown asset 'erq'; did you mean "
         "'erp'?"),
        ([HEAD, ["m1", "20d", "A", None, None, None]],
         "msel.xlsx:MSEL!B2: Scenario time: 20d is after the end of the scenario (horizon 10d)"),
        ([["Einsatz", "Stab"], ["x", "y"]],
         "msel.xlsx:MSEL!A1: header: no header row with the MSEL's columns (e.g. 'Event No.', "
         "'Scenario time', 'Title')"),
        ([[*HEAD, "Zeit"], ["m1", "1h", "A", None, None, None, "2h"]],
         "msel.xlsx:MSEL!G1: Zeit: a second 'Scenario time' column (first: 'Scenario time')"),
    ],
)  # fmt: skip
def test_a_broken_sheet_is_reported_at_its_cell(rows: list[list[Any]], expected: str) -> None:
    found = problems("msel.xlsx", xlsx(rows))
    assert expected in found, found


def test_merged_cells_and_every_problem_at_once() -> None:
    book = load_workbook(io.BytesIO(xlsx([HEAD, ["m1", "bald", "A"], ["m2", "1h", "B", "x"]])))
    ws = book.active
    assert ws is not None
    ws.merge_cells("C2:D2")
    out = io.BytesIO()
    book.save(out)
    assert problems("msel.xlsx", out.getvalue()) == [
        "msel.xlsx:MSEL!C2: cells: merged cells 'C2:D2'; unmerge them (one value a cell)",
        "msel.xlsx:MSEL!B2: Scenario time: not a scenario time: 'bald'; write T+0:30, 30min or "
        "h:mm since the start",
        "msel.xlsx:MSEL!D3: Event type: Input should be 'contextual', 'expected_action' or "
        "'contingency'",
    ]


def test_a_workbook_without_an_msel_sheet_names_its_sheets() -> None:
    book = Workbook()
    book.create_sheet("Notizen")
    out = io.BytesIO()
    book.save(out)
    assert problems("msel.xlsx", out.getvalue()) == [
        "msel.xlsx: file: no sheet named 'MSEL' (sheets: 'Sheet', 'Notizen')"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("msel.xlsx", b"PK\x03\x04 not really a zip",
         "msel.xlsx: file: not an XLSX workbook (save it as .xlsx, or as CSV UTF-8)"),
        ("msel.csv", "Nr,Zeit,Titel\nm1,1h,Gr\xfc\xdfe\n".encode("latin-1"),
         "msel.csv:row 2: file: not UTF-8 text (byte 0xfc); save it as CSV UTF-8"),
        ("msel.csv", b"Nr,Zeit,Titel\nm1,1h,A\n" + b"m2,1h,A\n" * MAX_ROWS,
         f"msel.csv:row {MAX_ROWS + 2}: file: more than {MAX_ROWS} rows"),
        ("msel.csv", b"Nr,Zeit,Titel\nm1,soon,A\n",
         "msel.csv:row 2: Zeit: not a scenario time: 'soon'; write T+0:30, 30min or h:mm since "
         "the start"),
    ],
)  # fmt: skip
def test_files_that_are_no_msel(name: str, raw: bytes, expected: str) -> None:
    assert expected in problems(name, raw)


def test_too_many_rows_in_a_workbook() -> None:
    rows: list[list[Any]] = [HEAD, *([f"m{i}", "1h", "A"] for i in range(MAX_ROWS + 1))]
    assert problems("msel.xlsx", xlsx(rows)) == [
        f"msel.xlsx:MSEL!A1: sheet: {MAX_ROWS + 2} rows; at most {MAX_ROWS} injects a sheet"
    ]


def test_the_command_line_round_trip_and_a_german_problem(tmp_path: Path) -> None:
    out = tmp_path / "msel.xlsx"
    result = runner.invoke(app, ["export", "msel", str(EXAMPLE), "--out", str(out),
                                 "--lang", "de"])  # fmt: skip
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws is not None
    assert [c.value for c in ws[1]][:4] == ["Nr.", "Übungszeit", "Titel (de)", "Titel (en)"]
    # Written elsewhere, the scenario still names the same company file, seen
    # from its new place (no copy of the company needed).
    written = tmp_path / "elsewhere" / "s.yaml"
    result = runner.invoke(app, ["import", "msel", str(out), "--scenario", str(EXAMPLE),
                                 "--out", str(written)])  # fmt: skip
    assert result.exit_code == 0, result.output
    new = load_bundle(written)
    assert new.company == load_bundle(EXAMPLE).company
    assert new.scenario.injects == load_bundle(EXAMPLE).scenario.injects
    bad = tmp_path / "bad.csv"
    bad.write_text("Nr;Zeit;Einlage\nm1;bald;Text\nm9;;Am Limit\n")
    result = runner.invoke(app, ["import", "msel", str(bad), "--scenario", str(EXAMPLE),
                                 "--lang", "de"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "bad.csv:row 2: Zeit: keine Übungszeit: 'bald'; bitte T+0:30, 30min oder h:mm seit dem "
        "Start angeben"
    )


def test_an_inject_to_a_team_the_company_does_not_define_is_reported_at_its_cell() -> None:
    # the example company defines the teams it_admins and electricians only;
    # players see an addressed inject only as members of its team
    raw = b'Nr,Zeit,Titel,Adressat\nm1,1h,A,it_admins\nm2,2h,B,"electricians, presse"\n'
    assert problems("msel.csv", raw) == [
        "msel.csv:row 3: Adressat: inject 'm2' is addressed to team 'presse', which the "
        "company does not define (teams: 'it_admins', 'electricians')"
    ]


def test_an_expected_action_inject_is_named_so_in_german_and_old_sheets_still_read() -> None:
    """QA 7: "Steuerungseinlage" is a controller's inject in German exercise
    language; HSEEP's expected action is an "Einlage mit erwarteter Handlung".
    The German sheet writes that, reads it back, and still reads the old word."""
    bundle, data = hseep_example()
    header, rows = msel_rows(bundle.scenario, data["injects"], "de")
    column = header.index("Einlageart")
    assert rows[0][column] == "Einlage mit erwarteter Handlung"
    assert rows[1][column] == "Lageeinlage"
    built, _, _ = import_msel("msel.csv", msel_csv(header, rows).encode(), data, bundle)
    assert built.scenario.injects[0].event_type == "expected_action"
    rows[0][column] = "Steuerungseinlage"  # a workbook written before
    built, _, _ = import_msel("msel.csv", msel_csv(header, rows).encode(), data, bundle)
    assert built.scenario.injects[0].event_type == "expected_action"
