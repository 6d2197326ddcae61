"""An adaptive inject in a real browser (Debian chromium, Playwright).

The dairy blackout's `no_rental_generator` trigger: the team has not rented
a generator by T+12 h, so the rental company's call is suggested to the
facilitator (a German console), who releases it; the participant's page
(English) then shows the call as a message, and never showed the trigger.
An observer reads the trigger card without buttons. Without /usr/bin/chromium
the test is skipped, but fails when CI is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browsing import open_console
from liveserver import post


def test_the_facilitator_releases_a_suggested_inject(browser: Any, server: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    created = post(f"{server}/api/exercises", {"scenario": "dairy/blackout.yaml"})
    links = created["links"]
    errors: list[str] = []
    lead = open_console(browser, server + links["facilitator"] + "&lang=de", errors)
    player = open_console(browser, server + links["participant"] + "&lang=en", errors)
    observer = open_console(browser, server + links["observer"] + "&lang=en", errors)

    # Armed, with its condition in the page's words; nothing suggested yet.
    rental = lead.locator('#triggers li[data-trigger="no_rental_generator"]')
    expect(rental).to_have_attribute("data-status", "armed")
    expect(rental.locator(".twhen")).to_have_text(
        "wenn Maßnahme „Mietaggregat bestellen“ bis T+12:00 nicht ergriffen")
    expect(rental.get_by_role("button", name="Jetzt auslösen: no_rental_generator")
           ).to_be_visible()  # fmt: skip
    expect(lead.locator("#suggestions")).to_contain_text("Keine vorgeschlagenen Einlagen")
    # a scripted inject's own `when` by the inject's title, not "inject:b10" (QA pass)
    expect(lead.locator('#triggers li[data-trigger="inject:b10"] .tid')).to_have_text(
        "Pirna wieder am Netz")

    lead.fill("#jump-by", "13h")
    lead.locator("#jump-form button[type=submit]").click()
    suggestion = lead.locator('#suggestions li[data-trigger="no_rental_generator"]')
    expect(suggestion).to_have_attribute("data-status", "open")
    expect(suggestion).to_contain_text("Vermieter hat kein Aggregat mehr")
    expect(rental).to_have_attribute("data-status", "spent")
    expect(rental.locator(".tfirings")).to_contain_text(
        "ausgelöst T+12:00 (")  # the moment, with its calendar time
    expect(rental.locator(".tfirings")).to_contain_text(
        "weil: Maßnahme „Mietaggregat bestellen“ bis T+12:00 nicht ergriffen")
    expect(lead.locator("#feed")).to_contain_text("no_rental_generator – ausgelöst")
    # the firing is a marker on the facilitator's timeline
    lead.wait_for_function("document.getElementById('timeline').data && "
                           "document.getElementById('timeline').data.some("
                           "t => t.name === 'Auslöser' && t.x.length === 1)")  # fmt: skip

    # The observer reads the card, and may not act on it.
    seen = observer.locator('#suggestions li[data-trigger="no_rental_generator"]')
    expect(seen).to_contain_text("The rental company has no generator left")
    expect(observer.locator("#triggers")).to_contain_text(
        "action “Rent an emergency generator” not taken by T+12:00")
    assert observer.locator("#trigger-panel button").count() == 0

    # Not a word of it on the players' page before it is released.
    expect(player.locator("#clock-t")).to_have_text("T+13:00")
    assert player.locator("#trigger-panel").count() == 0
    for secret in ("no_rental_generator", "rental company", "diesel_low", "Suggested"):
        assert secret not in player.content(), secret

    suggestion.get_by_role("button", name="Einspielen: Vermieter hat kein Aggregat mehr"
                           ).click()  # fmt: skip
    expect(suggestion).to_have_attribute("data-status", "released")
    expect(player.locator("#feed li.message").first).to_contain_text(
        "The rental company has no generator left")
    expect(player.locator("#feed li.message").first).to_contain_text(
        "The rental company reports every generator within 200 km is taken.")
    expect(lead.locator("#feed li.message").first).to_contain_text(
        "Vermieter hat kein Aggregat mehr")
    assert "no_rental_generator" not in player.content()
    lead.locator("#trigger-panel").screenshot(path=str(tmp_path / "triggers.png"))
    assert errors == []
