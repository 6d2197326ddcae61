"""The one loading seam: data from any reader, problems where the reader says."""

from __future__ import annotations

import pytest

from simulator.model.validation import ScenarioError
from simulator.readwrite.build import Source, bundle_from_data, company_from_data
from simulator.readwrite.cells import Cells
from simulator.readwrite.io import load_company


def company(rto: object = "4h", needs: str = "grid") -> dict[str, object]:
    return {
        "company": {"id": "c", "name": "C"},
        "assets": [
            {"id": "grid", "kind": "utility"},
            {"id": "p", "kind": "business_process", "needs": [{"all_of": [needs]}],
             "bia": {"rto": rto, "mtpd": "8h"}},
        ],
    }  # fmt: skip


def cells_of_sheet() -> Cells:
    """As a workbook reader would note them: row 2 is grid, row 3 is p."""
    cells = Cells()
    for i, row in enumerate((2, 3)):
        cells.put(("assets", i), f"Assets!A{row}", "ID")
        cells.put(("assets", i, "kind"), f"Assets!B{row}", "Kind")
    cells.put(("assets", 1, "bia", "rto"), "BIA!C3", "RTO")
    cells.put(("assets", 1, "needs", 0, "all_of", 0), "Dependencies!B2", "To")
    return cells


def test_a_valid_company_from_data_equals_the_same_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(company()))
    assert company_from_data(Source("c.xlsx", company(), cells_of_sheet())) == load_company(path)


def test_schema_and_reference_problems_are_reported_at_their_cells_at_once() -> None:
    data = company(needs="grd")
    data["assets"][0]["restart"] = "bald"  # type: ignore[index]
    cells = cells_of_sheet()
    cells.put(("assets", 0, "restart"), "Assets!C2", "Restart")
    with pytest.raises(ScenarioError) as err:
        company_from_data(Source("bia.xlsx", data, cells))
    lines = [str(p) for p in err.value.problems]
    assert lines[0].startswith("bia.xlsx:Assets!C2: Restart: not a duration: 'bald'")
    # The reference check still runs on the rest of the data, located the same way.
    assert any(line.startswith("bia.xlsx:Dependencies!B2: To: unknown asset 'grd'")
               for line in lines), lines  # fmt: skip


def test_a_bad_value_is_named_by_its_column() -> None:
    with pytest.raises(ScenarioError) as err:
        company_from_data(Source("bia.xlsx", company(rto="bald"), cells_of_sheet()))
    assert str(err.value.problems[0]).startswith("bia.xlsx:BIA!C3: RTO: not a duration: 'bald'")


def test_a_missing_value_is_reported_at_the_nearest_known_cell() -> None:
    data = company()
    del data["assets"][1]["kind"]  # type: ignore[index]
    cells = Cells()
    cells.put(("assets", 1), "Assets!A3", "ID")
    with pytest.raises(ScenarioError) as err:
        company_from_data(Source("bia.xlsx", data, cells))
    assert str(err.value.problems[0]) == (
        "bia.xlsx:Assets!A3: assets[1] (p).kind: missing required field")


def test_people_spell_units_but_code_may_give_seconds() -> None:
    with pytest.raises(ScenarioError) as err:
        company_from_data(Source("c.csv", company(rto=4)))
    assert "write a unit with the number 4" in str(err.value)
    assert company_from_data(Source("c", company(rto=4 * 3600), from_file=False)).assets[1].bia


def test_a_bundle_reports_the_scenario_first_then_its_company() -> None:
    scenario = {"scenario": {"id": "s", "title": "S"}, "company": "c", "horizn": "1d"}
    with pytest.raises(ScenarioError) as err:
        bundle_from_data(Source("s.csv", scenario), Source("c.csv", company(needs="x")))
    assert [p.file for p in err.value.problems] == ["s.csv", "c.csv"]
    assert err.value.problems[0].field == "horizn"
