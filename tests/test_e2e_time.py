"""Calendar times in the browser across the spring clock change.

tests/data/dst starts Sat 28.03.2026 12:00 CET (11:00 UTC) in Europe/Berlin;
the clocks go forward at 01:00 UTC on Sunday. The server sends the start
instant and the zone name, the console formats with Intl in that zone. Jumped
to 24 h (Sun 11:00 UTC) the clock shows 13:00 CEST / MESZ, not 12:00 (what
the old fixed offset showed). On the timeline (plotly's date axis gets the
zone's wall-clock time) wan_b's outage from 12 h to 16 h (Sun 00:00 CET to
05:00 CEST) is five wall-clock hours long, wan_a's from 20 h (09:00 CEST)
reaches "now" at 13:00. Without /usr/bin/chromium the test is skipped, but
fails when CI is set.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from browsing import open_console
from liveserver import Server, post

DATA = Path(__file__).resolve().parent / "data"
HOUR_MS = 3_600_000


def scenarios(folder: Path) -> Path:
    """A scenarios folder with the DST scenario next to its company."""
    (folder / "dst").mkdir(parents=True)
    text = (DATA / "dst" / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "dst" / "scenario.yaml").write_text(
        text.replace("company: ../web/company.yaml", "company: company.yaml"), encoding="utf-8"
    )
    shutil.copyfile(DATA / "web" / "company.yaml", folder / "dst" / "company.yaml")
    return folder


def test_console_clock_and_timeline_across_the_clock_change(browser: Any, tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/time.db", scenarios(tmp_path / "scenarios")) as server:
        created = post(f"{server.base}/api/exercises", {"scenario": "dst/scenario.yaml"})
        api = f"{server.base}/api/exercises/{created['id']}"
        post(f"{api}/clock", {"action": "jump", "by": "24h"}, created["tokens"]["facilitator"])
        observer = created["links"]["observer"]
        if observer.startswith("/"):
            observer = server.base + observer

        errors: list[str] = []
        page = open_console(browser, observer + "&lang=en", errors, 1400)
        page.wait_for_function("document.getElementById('clock-t').textContent"
                               ".startsWith('T+1 d')")  # fmt: skip
        clock = page.locator("#clock-date").text_content() or ""
        assert "29/03/2026" in clock and "13:00" in clock and "CEST" in clock, clock
        assert "12:00" not in clock

        page.wait_for_function("(document.getElementById('timeline').data || [])"
                               ".some(t => t.type === 'bar' && t.base.length)")  # fmt: skip
        timeline = page.evaluate("""() => {
            const gd = document.getElementById('timeline');
            const bars = {};
            for (const t of gd.data.filter((d) => d.type === 'bar')) {
                t.customdata.forEach((id, i) => { bars[id] = [t.base[i], t.x[i]]; });
            }
            return {bars, now: gd.layout.shapes[0].x0, start: gd.layout.xaxis.range[0],
                    zone: gd.layout.xaxis.title.text};
        }""")  # fmt: skip
        assert timeline["zone"] == "Europe/Berlin"  # the axis names its zone
        assert timeline["start"] == "2026-03-28 12:00:00"
        assert timeline["now"] == "2026-03-29 13:00:00"
        assert timeline["bars"]["wan_b"] == ["2026-03-29 00:00:00", 5 * HOUR_MS]
        assert timeline["bars"]["wan_a"] == ["2026-03-29 09:00:00", 4 * HOUR_MS]
        page.locator("#timeline-panel").screenshot(path=str(tmp_path / "timeline.png"))

        german = browser.new_context().new_page()
        german.on("pageerror", lambda e: errors.append(str(e)))
        german.goto(observer + "&lang=de")
        german.wait_for_selector("body[data-ready]")
        german.wait_for_function("document.getElementById('clock-t').textContent"
                                 ".startsWith('T+1 Tg.')")  # fmt: skip  (German units)
        uhr = german.locator("#clock-date").text_content() or ""
        assert "29.03.2026" in uhr and "13:00" in uhr and "MESZ" in uhr, uhr
        assert errors == []
