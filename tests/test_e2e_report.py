"""In headless Chromium: the facilitator adds a corrective action to the
improvement plan in the console (German), edits its status, and downloads
the after-action report as PDF, whose text contains it; the replay page
offers the same downloads."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from browsing import open_console
from liveserver import Server, post
from test_report import require_pdf

ROOT = Path(__file__).resolve().parent.parent


def test_the_facilitator_edits_the_plan_and_downloads_the_report(browser: Any, tmp_path: Path) -> None:
    require_pdf()
    with Server(f"sqlite:///{tmp_path}/report.db", ROOT / "scenarios") as server:
        created = post(f"{server.base}/api/exercises",
                       {"scenario": "dairy/blackout.yaml", "speed": 60})  # fmt: skip
        ex, token = created["id"], created["tokens"]["facilitator"]
        api = f"{server.base}/api/exercises/{ex}"
        post(f"{api}/clock", {"action": "jump", "by": "2h"}, token)
        errors: list[str] = []
        page = open_console(browser, f"{server.base}/exercises/{ex}?token={token}&lang=de",
                            errors)  # fmt: skip
        assert page.text_content("#plan-heading") == "Maßnahmenplan"  # CSS: uppercase
        page.fill("#plan-issue", "Notstromaggregat sprang erst nach 40 Minuten an")
        page.fill("#plan-action", "Lastabwurf-Test halbjährlich")
        page.fill("#plan-owner", "Haustechnik")
        page.fill("#plan-due", "2026-09-30")
        page.click("#plan-form button[type=submit]")
        page.wait_for_selector("#plan-list li[data-item='ip-1']")
        assert "offen" in page.inner_text("#plan-list li[data-item='ip-1']")
        # edit it: the same item, another status (one click, one command)
        page.click("#plan-list li[data-item='ip-1'] button")
        assert page.input_value("#plan-issue").startswith("Notstromaggregat")
        page.select_option("#plan-status", "in_progress")
        page.click("#plan-form button[type=submit]")
        page.wait_for_function("() => document.querySelector(\"#plan-list li[data-item='ip-1']\")"
                               ".textContent.includes('in Arbeit')")  # fmt: skip
        assert page.locator("#plan-list li").count() == 1
        # the feed says it in words, not as the entry's JSON
        entry = page.locator("#feed li[data-kind=plan]").first
        assert entry.locator(".ftitle").inner_text() == "Lastabwurf-Test halbjährlich"
        assert "Notstromaggregat" in entry.locator(".fbody").inner_text()
        assert "{" not in entry.inner_text()
        assert page.inner_text("#report-pdf") == "Übungsbericht (PDF)"
        with page.expect_download() as info:
            page.click("#report-pdf")
        download = info.value
        assert download.suggested_filename == f"uebungsbericht-{ex}.pdf"
        out = tmp_path / download.suggested_filename
        download.save_as(out)
        assert out.read_bytes().startswith(b"%PDF")
        text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())  # fmt: skip
        for words in ("Notstromaggregat", "Lastabwurf-Test", "Haustechnik", "2026-09-30"):
            assert words in text, words
        assert errors == []
        # the replay page offers the same downloads, in English here
        replay = browser.new_context().new_page()
        replay.goto(f"{server.base}/exercises/{ex}/replay?token={token}&lang=en")
        assert replay.inner_text("#report-pdf") == "After-action report (PDF)"
        with replay.expect_download() as got:
            replay.click("#plan-csv")
        assert got.value.suggested_filename == f"improvement-plan-{ex}.csv"
        csv_text = Path(got.value.path()).read_text(encoding="utf-8")
        assert "Lastabwurf-Test halbjährlich" in csv_text and "in_progress" in csv_text
