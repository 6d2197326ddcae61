"""A person's link issued anew in a real browser (Debian chromium,
Playwright): the facilitator (a German console) clicks "Neuer Link" in the
people card for a person added through the API; the card shows the new
personal link, which opens the person's console, and the old link opens
nothing. Without /usr/bin/chromium the test is skipped, but fails when CI
is set."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from browsing import open_console
from liveserver import post


def test_the_facilitator_issues_a_new_link_with_one_click(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    created = post(f"{server}/api/exercises", {"scenario": "dairy/blackout.yaml"})
    api, boss = f"{server}/api/exercises/{created['id']}", created["tokens"]["facilitator"]
    anna = post(f"{api}/people", {"name": "Anna Krause", "team": "electricians",
                                  "role": "participant"}, boss)  # fmt: skip
    errors: list[str] = []
    lead = open_console(browser, server + created["links"]["facilitator"] + "&lang=de", errors)
    person = lead.locator("#people li.person", has_text="Anna Krause")
    expect(person.locator(".person-link")).to_have_count(0)  # added elsewhere: no link here
    button = person.get_by_role("button", name="Neuer Link: Anna Krause")
    expect(button).to_have_attribute("title", "Stellt einen neuen persönlichen Link aus; der "
                                     "bisherige öffnet nichts mehr.")  # fmt: skip
    button.click()
    field = lead.locator("#people li.person", has_text="Anna Krause").locator(".person-link input")
    expect(field).to_have_count(1)
    link = field.input_value()
    token = link.split("token=")[1]
    assert link.startswith(f"{server}/exercises/{created['id']}?token=") and token != anna["token"]
    player = open_console(browser, link + "&lang=en", errors)
    expect(player.locator(".role-badge")).to_have_text("Participant · Anna Krause (Electricians)")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{api}/state?token={anna['token']}", timeout=30)
    assert refused.value.code == 401
    refused.value.close()
    assert not errors, errors
