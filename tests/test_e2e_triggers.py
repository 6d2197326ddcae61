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
    # by words (QA 5): what it suggests, never its id but in a title attribute
    expect(rental.locator(".tid")).to_have_text("Vermieter hat kein Aggregat mehr")
    expect(rental.locator(".tid")).to_have_attribute("title", "no_rental_generator")
    expect(rental.get_by_role("button", name="Jetzt auslösen: Vermieter hat kein Aggregat mehr")
           ).to_be_visible()  # fmt: skip
    expect(lead.get_by_role("button", name="Deaktivieren: Vermieter hat kein Aggregat mehr")
           ).to_be_visible()  # fmt: skip
    # a scripted inject's own `when`: its fire button says the inject's title
    expect(lead.get_by_role("button", name="Jetzt auslösen: Pirna wieder am Netz")).to_be_visible()
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
    expect(lead.locator("#feed")).to_contain_text("Vermieter hat kein Aggregat mehr – ausgelöst")
    # the suggestion says why it came, in words
    expect(suggestion.locator(".mstatus")).to_have_text(
        "offen · vorgeschlagen, weil Maßnahme „Mietaggregat bestellen“ bis T+12:00 nicht ergriffen")
    shown = lead.locator("#trigger-panel").inner_text() + lead.locator("#feed").inner_text()
    for raw in ("no_rental_generator", "diesel_low", "inject:"):
        assert raw not in shown, raw
    labels = lead.locator("#trigger-panel button").evaluate_all(
        "bs => bs.map(b => b.getAttribute('aria-label')).join(' ')")
    assert "inject:" not in labels and "_" not in labels, labels
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
