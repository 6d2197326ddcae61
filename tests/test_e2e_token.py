"""In headless Chromium: the console takes its secret token out of the
address bar and the history entry, keeps working after a reload in the same
tab, and a new tab without the token gets the access page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from liveserver import Server
from test_web_api import SCENARIO


def test_the_token_leaves_the_address_bar_and_survives_a_reload(browser: Any, tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/token.db") as server:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{server.base}/?lang=en")
        page.select_option("#scenario", SCENARIO)
        page.click("form.start-form button[type=submit]")
        page.wait_for_selector("#open-facilitator")
        link = page.input_value("#link-facilitator")
        # relative from the server, completed by the browser
        assert link.startswith(f"{server.base}/exercises/") and "token=" in link
        page.goto(link)
        page.wait_for_selector("body[data-ready]")
        assert "token=" not in page.url
        assert page.url.startswith(f"{server.base}/exercises/")
        assert page.locator("#clock-toggle").count() == 1  # the facilitator's console
        page.reload()  # the same tab: resume.js brings the token back once
        page.wait_for_selector("body[data-ready]")
        assert "token=" not in page.url
        assert page.locator("#clock-toggle").count() == 1
        page.click("#clock-toggle")  # commands still carry the token (header)
        page.wait_for_selector("#clock-toggle[data-action=pause]")
        clean = page.url
        other = browser.new_context().new_page()  # another browser: no token
        other.set_default_timeout(15_000)
        response = other.goto(clean)
        assert response is not None and response.status == 401
        assert other.locator(".error-card").count() == 1
