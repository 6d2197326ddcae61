"""In headless Chromium: a BCM manager uploads a scenario with a BIA workbook
in place of the company file; a broken workbook shows its cell on the German
start page, the mended one starts an exercise whose console opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from liveserver import Server

from simulator.readwrite.bia_write import company_rows, write_xlsx
from simulator.readwrite.io import load_company

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example"


def test_a_workbook_upload_starts_an_exercise(tmp_path: Path, browser: Any) -> None:
    good = tmp_path / "bia.xlsx"
    good.write_bytes(write_xlsx(company_rows(load_company(EXAMPLE / "company.yaml")), "de"))
    book = openpyxl.load_workbook(good)
    book["Prozesse"]["H2"] = "=1+1"  # MTA as a formula
    broken = tmp_path / "kaputt.xlsx"
    book.save(broken)

    with Server(f"sqlite:///{tmp_path}/bia.db", ROOT / "scenarios") as server:
        page = browser.new_page()
        try:
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            def submit(company: Path) -> None:
                page.check("input[name=source][value=upload]")
                page.set_input_files("input[name=scenario_file]", str(EXAMPLE / "scenario.yaml"))
                page.set_input_files("input[name=company_file]", str(company))
                page.click("form.start-form button[type=submit]")

            page.goto(f"{server.base}/?lang=de")
            submit(broken)
            page.wait_for_selector("li code")
            shown = page.locator("li code").all_inner_texts()
            assert shown == ["kaputt.xlsx:Prozesse!H2: MTA (MTPD): Formel in der Zelle; "
                             "Werte einfügen"]  # fmt: skip
            submit(good)
            page.wait_for_selector("#open-facilitator")
            page.click("#open-facilitator")
            page.wait_for_selector("body[data-ready]")
            assert "token=" not in page.url
            assert errors == []
        finally:
            page.close()
