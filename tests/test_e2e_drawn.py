"""In headless Chromium: the console draws the impact curve and the outage
timeline exactly as the server's read models send them — the same points as
simulator.analysis.metrics.impact_series and the same stretches as asset_segments,
computed here from the exercise's exported log (no second derivation in the
browser)."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

from browsing import open_console
from liveserver import Server, post

from simulator.analysis.metrics import asset_segments, impact_series
from simulator.exercise.log import read_log
from simulator.exercise.replay import replay

ROOT = Path(__file__).resolve().parent.parent


def test_the_console_draws_what_the_server_computed(browser: Any, tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/drawn.db", ROOT / "scenarios") as server:
        created = post(f"{server.base}/api/exercises",
                       {"scenario": "dairy/blackout.yaml", "speed": 60})  # fmt: skip
        ex, token = created["id"], created["tokens"]["facilitator"]
        api = f"{server.base}/api/exercises/{ex}"
        post(f"{api}/clock", {"action": "jump", "by": "5h"}, token)
        errors: list[str] = []
        page = open_console(browser, f"{server.base}/exercises/{ex}?token={token}&lang=en",
                            errors)  # fmt: skip
        post(f"{api}/decisions", {"action": "rent_generator"}, token)  # an update, live
        post(f"{api}/clock", {"action": "jump", "by": "1d"}, token)
        page.wait_for_selector("body[data-t='104400']")  # 29 h
        page.wait_for_timeout(1000)  # the plots redraw at most every 400 ms
        drawn = page.evaluate("""() => ({
            impact: document.getElementById('impact').data[0].y,
            bars: document.getElementById('timeline').data
                .filter((trace) => trace.type === 'bar')
                .reduce((n, trace) => n + trace.y.length, 0),
        })""")
        request = urllib.request.Request(f"{api}/log",
                                         headers={"authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as r:
            header, entries = read_log(r.read().decode())
        assert not errors, errors
    exercise = replay(header, entries)
    sim = exercise.sim
    assert sim.now == 29 * 3600
    expected = impact_series(exercise.bundle, sim.records, sim.now)
    assert drawn["impact"] == [eur for _t, eur in expected]  # point for point
    segments = asset_segments(exercise.bundle, sim.records, sim.now)
    # the timeline shows the assets that were down or degraded, each stretch a bar
    affected = [segs for segs in segments.values()
                if any(s.state in ("down", "degraded") for s in segs)]  # fmt: skip
    expected_bars = sum(1 for segs in affected for s in segs if s.state != "up")
    assert drawn["bars"] == expected_bars > 0
