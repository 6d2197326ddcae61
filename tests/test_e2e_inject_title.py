"""In headless Chromium: an ad hoc hazard injected with a title and a message
reaches every feed under its title, the message below it (QA: the feeds
showed only the message, as a plain situation report)."""

from __future__ import annotations

from typing import Any

from browsing import open_console
from liveserver import post


def test_an_injected_hazard_keeps_its_title(browser: Any, server: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    created = post(f"{server}/api/exercises", {"scenario": "dairy/ransomware.yaml"})
    links, token = created["links"], created["tokens"]["facilitator"]
    errors: list[str] = []
    lead = open_console(browser, server + links["facilitator"] + "&lang=de", errors)
    player = open_console(browser, server + links["participant"] + "&lang=de", errors)
    post(f"{server}/api/exercises/{created['id']}/injects",
         {"hazard": {"type": "outage", "assets": ["erp"], "duration": "2h"},
          "title": "Auffällige Anmeldungen", "message": "Das ERP meldet Fehler."}, token)  # fmt: skip
    for page in (lead, player):
        item = page.locator("#feed li[data-kind=inject]").first
        expect(item.locator(".ftitle")).to_have_text("Auffällige Anmeldungen")
        expect(item.locator(".fbody")).to_have_text("Das ERP meldet Fehler.")
        assert page.locator("#feed .fi.message").count() == 0
    assert not errors, errors
