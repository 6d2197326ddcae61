"""In headless Chromium: the replay page of an exercise — scrub to a time and
see that time's board, play on. `UPDATE_SCREENSHOTS=1` saves the page to
docs/replay.png (the README shows it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from liveserver import Server, post
from test_e2e import ARGS, CHROMIUM, require_chromium

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "replay.png"


def test_scrub_and_play_the_replay(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with Server(f"sqlite:///{tmp_path}/replay.db", ROOT / "scenarios") as server, \
            sync_playwright() as p:  # fmt: skip
        created = post(f"{server.base}/api/exercises",
                       {"scenario": "dairy/blackout.yaml", "speed": 60})  # fmt: skip
        ex, token = created["id"], created["tokens"]["facilitator"]
        api = f"{server.base}/api/exercises/{ex}"
        post(f"{api}/clock", {"action": "jump", "by": "2h"}, token)
        post(f"{api}/decisions", {"text": "Call the grid operator."}, token)
        post(f"{api}/clock", {"action": "jump", "by": "10h"}, token)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_default_timeout(15_000)
            page.goto(f"{server.base}/exercises/{ex}/replay?token={token}&lang=en")
            page.wait_for_selector("body[data-at='43200']")  # where the exercise stands: 12 h
            assert "token=" not in page.url
            states = "[...document.querySelectorAll('#board tr')].map(r => r.dataset.state)"
            at_end = page.evaluate(states)
            assert at_end and "down" in at_end  # the blackout took processes down
            page.eval_on_selector("#replay-at", "el => { el.value = '0'; "
                                  "el.dispatchEvent(new Event('input')); }")  # fmt: skip
            page.wait_for_selector("body[data-at='0']")
            assert set(page.evaluate(states)) == {"up"}  # before anything happened
            assert page.inner_text("#replay-label") == "T+00:00"
            page.select_option("#replay-speed", "21600")
            page.click("#replay-play")
            page.wait_for_function("() => Number(document.body.dataset.at) > 0")
            page.click("#replay-play")  # pause
            assert page.get_attribute("#replay-play", "data-playing") == "0"
            page.eval_on_selector("#replay-at", "el => { el.value = '21600'; "
                                  "el.dispatchEvent(new Event('input')); }")  # fmt: skip
            page.wait_for_selector("body[data-at='21600']")
            page.wait_for_timeout(800)  # the plots redraw at most every 400 ms
            shot = tmp_path / "replay.png"
            page.screenshot(path=str(shot), full_page=False)
            if os.environ.get("UPDATE_SCREENSHOTS"):
                shutil.copyfile(shot, SCREENSHOT)
            assert not errors, errors
        finally:
            browser.close()
