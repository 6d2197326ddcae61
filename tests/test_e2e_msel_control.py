"""The MSEL's control columns in a real browser (Debian chromium,
Playwright): the facilitator's console lists a scripted inject's teams,
sender, expected action, controller and note, and its feed entry says the
expected action; the observer's evaluation form shows the expected action
next to the objective chosen. Without /usr/bin/chromium the test is
skipped, but fails when CI is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browsing import open_console
from liveserver import Server, post
from test_msel_teams import scenarios


def test_control_reads_the_msel_columns(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with Server(f"sqlite:///{tmp_path}/control.db", scenarios(tmp_path)) as server:
        created = post(f"{server.base}/api/exercises", {"scenario": "dairy/blackout.yaml"})
        api, boss = f"{server.base}/api/exercises/{created['id']}", created["tokens"]["facilitator"]
        post(f"{api}/clock", {"action": "jump", "by": "4h"}, boss)  # b01 .. b03 released
        errors: list[str] = []
        lead = open_console(browser, server.base + created["links"]["facilitator"] + "&lang=de",
                            errors)  # fmt: skip
        b03 = lead.locator('#msel li[data-inject="b03"]')
        expect(b03.locator(".maddress")).to_have_text(
            "Einlage mit erwarteter Handlung · an IT · von Telekom (Telefon)")
        expect(b03.locator(".mexpected")).to_have_text("Erwartete Maßnahme: zq-exp-de")
        expect(b03.locator(".mcontroller")).to_have_text("Steuerung: zq-ctl")
        expect(b03.locator(".mnotes")).to_have_text("Hinweis für die Steuerung: zq-note-de")
        expect(lead.locator("#feed li", has_text="zq-b03-titel")).to_contain_text(
            "Erwartete Maßnahme: zq-exp-de")  # fmt: skip

        observer = open_console(browser, server.base + created["links"]["observer"] + "&lang=en",
                                errors)  # fmt: skip
        expected = observer.locator("#observation-expected")
        expect(expected).to_be_hidden()
        observer.locator("#observation-objective").select_option("dispatch_rto")
        expect(expected).to_be_visible()
        expect(expected.locator("li")).to_have_text(["Lines stop, emergency power runs: "
                                                     "zq-b02-exp-en", "zq-b03-title: zq-exp-en"])
        observer.locator("#observation-objective").select_option("milk_mtpd")
        expect(expected).to_be_hidden()
        assert not errors, errors
