"""The start page takes a BIA workbook in place of a company file: loaded
from memory in the checking child, problems shown at their cells in the
page's language, never a 500."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from simulator.readwrite.bia_write import company_rows, write_xlsx
from simulator.readwrite.io import load_company
from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example"
EN = {"accept-language": "en"}
DE = {"accept-language": "de"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/b.db"))) as c:
        yield c


def problems(html: str) -> list[str]:
    return [p.replace("&#39;", "'") for p in re.findall(r"<li><code>(.*?)</code></li>", html)]


def workbook(lang: str = "de", rto: str | None = None) -> bytes:
    raw = write_xlsx(company_rows(load_company(EXAMPLE / "company.yaml")), lang)
    if rto is None:
        return raw
    book = openpyxl.load_workbook(io.BytesIO(raw))
    book["Prozesse"]["G2"] = rto
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: TestClient, company: bytes, name: str = "bia.xlsx",
           headers: dict[str, str] = EN):  # type: ignore[no-untyped-def]  # fmt: skip
    files = {
        "scenario_file": ("scenario.yaml", (EXAMPLE / "scenario.yaml").read_bytes()),
        "company_file": (name, company),
    }
    return client.post("/", data={"source": "upload", "speed": "60"}, files=files,
                       headers=headers)  # fmt: skip


def test_a_workbook_in_place_of_the_company_file_starts_an_exercise(client: TestClient) -> None:
    r = upload(client, workbook("en"))
    assert r.status_code == 201, problems(r.text)
    (live,) = client.app.state.manager.exercises.values()  # type: ignore[attr-defined]
    assert live.bundle.company == load_company(EXAMPLE / "company.yaml")


def test_a_broken_workbook_shows_its_cells_in_the_pages_language(client: TestClient) -> None:
    r = upload(client, workbook("de", rto="vier Stunden"), headers=DE)
    assert r.status_code == 422
    found = problems(r.text)
    assert found == ["bia.xlsx:Prozesse!G2: WAZ (RTO): keine Dauer: 'vier Stunden'; bitte Zahl "
                     "und Einheit angeben (Sek, Min, Std, Tage, Wochen oder s, min, h, d, w), "
                     "z. B. '30min'"]  # fmt: skip


@pytest.mark.parametrize("raw", [b"", b"PK\x03\x04garbage", b"\x00" * 1000])
def test_a_file_that_is_no_workbook_is_a_problem_not_a_500(client: TestClient,
                                                           raw: bytes) -> None:  # fmt: skip
    r = upload(client, raw)
    assert r.status_code == 422
    assert problems(r.text) == ["bia.xlsx: file: not an XLSX workbook (save it as .xlsx, or as "
                                "CSV files in a folder)"]  # fmt: skip


def test_a_scenario_cannot_be_a_workbook(client: TestClient) -> None:
    files = {"scenario_file": ("s.xlsx", workbook())}
    r = client.post("/", data={"source": "upload"}, files=files, headers=EN)
    assert r.status_code == 422
    assert "s.xlsx" in problems(r.text)[0]
