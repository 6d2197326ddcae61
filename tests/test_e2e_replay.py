"""In headless Chromium: the replay page of an exercise — scrub to a time and
see that time's board, play on. `UPDATE_SCREENSHOTS=1` saves the page to
docs/replay.png (the README shows it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from liveserver import Server, post

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "replay.png"


def test_scrub_and_play_the_replay(browser: Any, tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/replay.db", ROOT / "scenarios") as server:
        created = post(f"{server.base}/api/exercises",
                       {"scenario": "dairy/blackout.yaml", "speed": 60})  # fmt: skip
        ex, token = created["id"], created["tokens"]["facilitator"]
        api = f"{server.base}/api/exercises/{ex}"
        post(f"{api}/clock", {"action": "jump", "by": "2h"}, token)
        post(f"{api}/decisions", {"text": "Call the grid operator."}, token)
        post(f"{api}/clock", {"action": "jump", "by": "10h"}, token)
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


WHATIF_SHOT = ROOT / "docs" / "whatif.png"


def test_a_what_if_from_the_replay_page(browser: Any, tmp_path: Path) -> None:
    """The dairy: manual dispatch decided at T+2 h. The decision values list it;
    its "What if …" in the feed fills the form; leaving it out shows the
    differences per process — the API's figures — and both impact curves."""
    import json
    import urllib.request

    with Server(f"sqlite:///{tmp_path}/whatif.db", ROOT / "scenarios") as server:
        created = post(f"{server.base}/api/exercises",
                       {"scenario": "dairy/blackout.yaml", "speed": 60})  # fmt: skip
        ex, token = created["id"], created["tokens"]["facilitator"]
        manager = created["tokens"]["manager"]
        api = f"{server.base}/api/exercises/{ex}"
        post(f"{api}/clock", {"action": "jump", "by": "2h"}, token)
        seq = post(f"{api}/decisions", {"action": "manual_dispatch"}, token)["seq"]
        # participants' proposals, one left open and one rejected: neither was a decision
        participant = created["tokens"]["participant"]
        open_one = post(f"{api}/decisions", {"text": "Call the grid operator."}, participant)["seq"]
        rejected = post(f"{api}/decisions", {"text": "Send everyone home."}, participant)["seq"]
        post(f"{api}/decisions", {"reject": rejected}, token)
        post(f"{api}/clock", {"action": "jump", "by": "1d"}, token)
        expected = post(f"{api}/whatif", {"drop": seq}, manager)
        request = urllib.request.Request(f"{api}/decisions",
                                         headers={"authorization": f"Bearer {manager}"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as r:
            (value,) = json.loads(r.read())["decisions"]
        page = browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(30_000)
        page.goto(f"{server.base}/exercises/{ex}/replay?token={manager}&lang=en")
        page.wait_for_selector("body[data-values='1']")  # the decision valued
        row = page.locator(f"#values-table tr[data-seq='{seq}']")
        assert value["sentence"]["en"] in row.inner_text()
        # "What if …" is offered at the decision, not at proposals nobody accepted
        page.wait_for_selector(f"#feed li[data-seq='{seq}'] button.whatif-at")
        for unanswered in (open_one, rejected):
            assert page.locator(f"#feed li[data-seq='{unanswered}']").count() == 1
            assert page.locator(f"#feed li[data-seq='{unanswered}'] button.whatif-at").count() == 0
        # "What if …" at the decision in the feed fills the form with its entry
        page.click(f"#feed li[data-seq='{seq}'] button.whatif-at")
        assert page.input_value("#whatif-seq") == str(seq)
        assert page.input_value("#whatif-at") == "2h"
        page.check("input[name=change][value=drop]")
        page.click("#whatif-run")
        page.wait_for_selector("body[data-whatif='shown']")
        # the caption names the decision and its time (the dairy's blackout
        # starts Tue 17.02.2026 13:30 CET; manual dispatch at T+2 h)
        caption = ("Without the decision “Dispatch with paper lists and runners” at T+02:00 "
                   "(Tue 17/02 15:30 CET)")
        assert page.inner_text("#whatif-caption") == caption == expected["caption"]["en"]
        legend = page.eval_on_selector_all("#whatif-impact .legendtext",
                                           "nodes => nodes.map(n => n.textContent)")
        assert caption in legend, legend
        shown = page.eval_on_selector_all(
            "#whatif-table tbody tr", "rows => rows.map(r => r.dataset.process)")
        assert shown == [q["id"] for q in expected["processes"]]
        # the total's difference as the API gave it, in the page's euros
        diff = expected["totals"]["diff"]["impact_eur"]
        assert diff > 0  # without manual dispatch, more impact
        total = page.inner_text("#whatif-table tfoot tr td:last-child")
        assert total.startswith("+" if diff > 0 else "−")
        digits = "".join(ch for ch in total if ch.isdigit())
        assert digits == str(round(abs(diff)))
        # both impact curves drawn as sent
        curves = page.evaluate("() => document.getElementById('whatif-impact').data"
                               ".map(t => [t.name, t.y[t.y.length - 1]])")  # fmt: skip
        assert curves == [["as played", expected["timeline"]["original"]["impact"][-1][1]],
                          [caption, expected["timeline"]["changed"]["impact"][-1][1]]]
        # a bad time is named in the form's words
        page.check("input[name=change][value=move]")
        page.fill("#whatif-at", "30d")
        page.click("#whatif-run")
        page.wait_for_selector("body[data-whatif='failed']")
        assert "Time since the start" in page.inner_text("#whatif-status")
        assert "beyond the horizon" in page.inner_text("#whatif-status")
        page.locator("#whatif-panel").scroll_into_view_if_needed()
        page.fill("#whatif-at", "")
        page.check("input[name=change][value=drop]")
        page.click("#whatif-run")
        page.wait_for_selector("body[data-whatif='shown']")
        page.wait_for_timeout(800)
        shot = tmp_path / "whatif.png"
        page.locator("#whatif-panel").screenshot(path=str(shot))
        if os.environ.get("UPDATE_SCREENSHOTS"):
            shutil.copyfile(shot, WHATIF_SHOT)
        # Millions of euros: the impact chart's axis labels stay inside the chart.
        page.evaluate("window.tabletopConsole.drawImpactCurves('impact', "
                      "[{ points: [[0, 0], [36000, 3000000]] }], 43200)")  # fmt: skip
        page.wait_for_timeout(300)
        box = page.locator("#impact").bounding_box()
        labels = page.locator("#impact .ytick text")
        assert labels.count() > 2 and "3,000,000 €" in labels.all_text_contents()
        assert box is not None
        for label in labels.all():
            left = label.bounding_box()
            assert left is not None and left["x"] >= box["x"], label.text_content()
        assert not errors, errors
