"""In headless Chromium: an ad hoc hazard injected with a title and a message
reaches every feed under its title, the message below it (QA: the feeds
showed only the message, as a plain situation report)."""

from __future__ import annotations

import re
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


def test_the_hazard_form_names_presets_and_hazards(browser: Any, server: str) -> None:  # noqa: F811
    """QA 5: the presets of the hazard catalogue by their names (not
    "co2-2022"), the title's hint with the hazard in words, and the flood
    that cannot act on the IT provider disabled with a reason in German."""
    from playwright.sync_api import expect

    created = post(f"{server}/api/exercises", {"scenario": "itdienstleister/power.yaml"})
    errors: list[str] = []
    lead = open_console(browser, server + created["links"]["facilitator"] + "&lang=de", errors)
    lead.locator("#hazard-type").select_option("supply_break")
    preset = lead.locator('#hazard-fields [data-field="preset"] select')
    expect(preset.locator("option")).to_have_text(
        ["optional", "CO₂-Engpass 2022 (6 Wochen 35 %)", "Chip-Engpass Renesas 2021 (3 Monate)"])
    expect(preset.locator("option").nth(1)).to_have_attribute("value", "co2-2022")
    expect(lead.locator("#hazard-title")).to_have_attribute(
        "placeholder", "z. B. Auffällige Anmeldungen im Netz – leer: die Teilnehmenden lesen "
        "„Neues Ereignis“, die Übungsleitung „Lieferausfall“")
    lead.locator("#hazard-type").select_option("power_failure")
    stages = lead.locator('#hazard-fields [data-field="stages"] select')
    expect(stages.locator("option").nth(1)).to_have_text("Stromausfall Köpenick 2019 (31 Std.)")
    expect(lead.locator("#hazard-title")).to_have_attribute(
        "placeholder", re.compile("die Übungsleitung „Stromausfall“$"))
    flood = lead.locator('#hazard-type option[value="flood"]')
    expect(flood).to_be_disabled()
    expect(flood).to_have_text("Hochwasser – Hochwasser braucht eine Ressource an einem "
                               "Hochwasserpegel; das Unternehmensmodell hat keine")
    assert not errors, errors
