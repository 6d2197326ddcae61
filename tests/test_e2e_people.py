"""Named people in a real browser (Debian chromium, Playwright).

The facilitator (a German console of the IT service provider's power cut)
names Anna Krause of the crisis staff and Ida Neumann of IT operations in
the people card, choosing their teams by the company's names (never by
ids, QA 4 and 5), and copies Anna's
personal link; Anna opens it (an English console that names her), the card
shows she joined, and her proposal is named "Anna Krause (Leiterin
Krisenstab)" in the facilitator's feed. A message addressed to team IT
never reaches Anna's page; one to everyone does. Without /usr/bin/chromium
the test is skipped, but fails when CI is set.
"""

from __future__ import annotations

from typing import Any

from browsing import open_console
from liveserver import post

STAFF = "Krisenstab (Geschäftsführung, BCM, IT-Leitung, Kommunikation)"
OPERATIONS = "IT-Betrieb (Leitstand und Betriebsführung)"


def test_the_facilitator_names_people_and_the_feed_names_them(browser: Any, server: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    created = post(f"{server}/api/exercises", {"scenario": "itdienstleister/power.yaml"})
    links = created["links"]
    errors: list[str] = []
    lead = open_console(browser, server + links["facilitator"] + "&lang=de", errors)
    card = lead.locator("#people-panel")
    expect(card.locator("#people")).to_contain_text("Noch niemand benannt.")
    # the MSEL card's addressees by the company's names (QA 5), not "an crisis_staff"
    expect(lead.locator("#msel")).to_contain_text(f"an {STAFF}, {OPERATIONS}")
    assert "crisis_staff" not in lead.locator("#msel").inner_text()
    expect(lead.locator("label.inject-teams")).to_be_hidden()  # no team yet
    # An empty required field is not marked as wrong before anyone typed in it.
    down = lead.evaluate("getComputedStyle(document.body).getPropertyValue('--down').trim()")
    border = lead.locator("#person-name").evaluate("e => getComputedStyle(e).borderTopColor")
    red = lead.evaluate("(color) => { const d = document.createElement('div'); d.style.color = color; "
                        "document.body.append(d); const c = getComputedStyle(d).color; d.remove(); "
                        "return c; }", down)  # fmt: skip
    assert down and border != red

    def name(who: str, function: str, team: str) -> None:
        lead.get_by_label("Name", exact=True).fill(who)
        lead.get_by_label("Funktion (z. B. Leiterin Krisenstab)").fill(function)
        lead.locator("#person-team").select_option(label=team)
        lead.locator("#person-form button[type=submit]").click()
        expect(card.locator("#people")).to_contain_text(f"{who} ({function})")

    name("Anna Krause", "Leiterin Krisenstab", STAFF)
    name("Ida Neumann", "Administratorin", OPERATIONS)
    anna = card.locator("li.person", has_text="Anna Krause")
    expect(anna).to_contain_text("noch nicht beigetreten")
    expect(anna).to_contain_text(f"{STAFF} · Teilnehmende")
    assert "crisis_staff" not in card.inner_text() and "it_operations" not in card.inner_text()
    link = anna.locator(".person-link input").input_value()
    assert link.startswith(f"{server}/exercises/{created['id']}?token=")
    assert link.split("token=")[1] not in created["tokens"].values()
    # the feed names who was named; the inject card offers their teams
    expect(lead.locator("#feed")).to_contain_text("Person benannt")
    expect(lead.locator("#feed")).to_contain_text(f"{OPERATIONS} · Teilnehmende")
    expect(lead.locator("#inject-teams option")).to_have_text([STAFF, OPERATIONS])

    player = open_console(browser, link + "&lang=en", errors)
    expect(player.locator(".role-badge")).to_have_text(
        "Participant · Anna Krause (Crisis management team (management, BCM, IT lead, "
        "communications))")
    player.fill("#decision-text", "Notstrom beim Vermieter anfragen")
    player.locator("#decision-form button[type=submit]").click()
    said = lead.locator("#feed li", has_text="Notstrom beim Vermieter anfragen")
    expect(said).to_contain_text("Anna Krause (Leiterin Krisenstab)")
    expect(anna).to_have_attribute("data-joined", "1")
    expect(anna).to_contain_text("beigetreten")
    expect(card.locator("#people-teams")).to_contain_text(f"{STAFF}: 1/1 beigetreten, 1 aktiv")

    # a message to team IT only, then one to everyone
    lead.locator("#inject-teams").select_option(["it_operations"])
    lead.fill("#message-text", "Nur für die IT: Server neu starten")
    lead.locator("#message-form button[type=submit]").click()
    expect(lead.locator("#feed")).to_contain_text("Nur für die IT: Server neu starten")
    lead.locator("#inject-teams").select_option([])
    lead.fill("#message-text", "An alle: Lagebesprechung um 10 Uhr")
    lead.locator("#message-form button[type=submit]").click()
    expect(player.locator("#feed")).to_contain_text("An alle: Lagebesprechung um 10 Uhr")
    assert "Nur für die IT" not in player.content()
    assert "Ida Neumann" not in player.content()  # another team's people: not named
    assert errors == []
