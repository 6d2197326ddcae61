"""The replay of an exercise over the web: the state at any simulated second,
exact to the live run, and who may see it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise, settings

from web.app import create_app


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db"))) as c:
        yield c


def replay_at(ex: Ex, t: int | None, role: str = "facilitator") -> Any:
    query = "" if t is None else f"?at={t}"
    return ex.client.get(ex.url("replay") + query, headers=ex.auth(role))


def live_view(ex: Ex) -> tuple[int, list[dict[str, Any]], dict[str, tuple[str, float]]]:
    state = ex.state()
    assets = {a["id"]: (a["state"], a["capacity"]) for a in state["assets"]}
    return state["sim_time"], state["processes"], assets


def test_the_replay_at_t_is_the_live_board_at_t(lite: TestClient) -> None:
    """Drive a live exercise (hazard, decision, proposal accepted, jumps past
    scheduled injects, a message), record its board and asset states after
    each step, then ask the replay for each of those seconds: identical."""
    ex = new_exercise(lite, seed=3, speed=60)
    seen = [live_view(ex)]
    ex.ok("clock", {"action": "jump", "by": "30min"})
    ex.ok("injects", {"hazard": {"type": "outage", "assets": ["erp"], "duration": "5h"},
                      "id": "crash"})  # fmt: skip
    seen.append(live_view(ex))
    ex.ok("clock", {"action": "jump", "by": "3h"})  # m1 at 3h: erp, erp_db down
    seen.append(live_view(ex))
    ex.ok("decisions", {"action": "activate_dr"})
    ex.ok("clock", {"action": "jump", "by": "90min"})
    seen.append(live_view(ex))
    proposal = ex.ok("decisions", {"action": "restore_erp"}, role="participant")["seq"]
    ex.ok("clock", {"action": "jump", "by": "20min"})
    ex.ok("decisions", {"accept": proposal})
    ex.ok("injects", {"message": "The press calls."})
    seen.append(live_view(ex))
    ex.ok("clock", {"action": "jump", "by": "1d"})  # past m4 and m5
    seen.append(live_view(ex))
    t_end = seen[-1][0]
    assert len({t for t, _, _ in seen}) == len(seen)  # six different seconds
    assert any(state != "up" for _, _, assets in seen for state, _ in assets.values())
    for t, board, assets in reversed(seen):  # backwards: every request starts over
        r = replay_at(ex, t)
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["t"] == t and got["end"] == t_end
        assert got["board"] == board
        assert {a["id"]: (a["state"], a["capacity"]) for a in got["assets"]} == assets
    for t, board, _ in seen:  # forwards: one replay played on
        assert replay_at(ex, t).json()["board"] == board


def test_the_replay_carries_what_the_console_draws(lite: TestClient) -> None:
    ex = new_exercise(lite, seed=1, speed=60)
    ex.ok("clock", {"action": "jump", "by": "1h"})
    ex.ok("decisions", {"action": "activate_dr"})
    ex.ok("observations", {"text": "slow start"})
    ex.ok("clock", {"action": "jump", "by": "3h"})  # m1 at 3h, m2 at 4h
    got = replay_at(ex, None).json()  # default: where the exercise stands
    assert (got["type"], got["t"], got["end"], got["clock"]) == ("init", 14400, 14400, "replay")
    assert {"records", "board", "feed", "proposals", "msel", "graph"} <= set(got)
    kinds = [e["kind"] for e in got["feed"]]
    assert kinds == ["clock", "decision", "observation", "clock", "msel", "msel"]
    assert [e["payload"].get("inject") for e in got["feed"][-2:]] == ["m1", "m2"]
    before = replay_at(ex, 3600).json()  # the decision, note and jump at 1 h; m1 not yet
    assert [e["kind"] for e in before["feed"]] == ["clock", "decision", "observation", "clock"]
    assert [e["kind"] for e in replay_at(ex, 3599).json()["feed"]] == ["clock"]
    assert {m["id"]: m["status"] for m in before["msel"]}["m1"] == "pending"


def test_players_never_see_the_replay(lite: TestClient) -> None:
    ex = new_exercise(lite, seed=1, speed=60)
    assert replay_at(ex, 0, "participant").status_code == 403
    assert replay_at(ex, 0, "observer").status_code == 200
    assert ex.client.get(ex.url("replay")).status_code == 401
    r = ex.client.get(f"/exercises/{ex.id}/replay?token={ex.tokens['participant']}")
    assert r.status_code == 403 and "replay" not in r.text.split("<main")[1].lower().split(
        "</main>")[0].replace("do not see the replay", "")  # fmt: skip
    page = ex.client.get(f"/exercises/{ex.id}/replay?token={ex.tokens['observer']}&lang=de")
    assert page.status_code == 200 and "Rückblick" in page.text and "Abspielen" in page.text
    assert 'id="whatif-panel"' in page.text


@pytest.mark.parametrize("at", ["-1", "99999999999", "x", "1.5"])
def test_at_is_bounded_and_named(lite: TestClient, at: str) -> None:
    ex = new_exercise(lite, seed=1, speed=60)
    r = ex.client.get(ex.url("replay") + f"?at={at}", headers=ex.auth("facilitator"))
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["query", "at"]


def test_at_may_go_to_the_horizon_not_past_it(lite: TestClient) -> None:
    ex = new_exercise(lite, seed=1, speed=60)
    horizon = ex.state()["horizon"]
    assert replay_at(ex, horizon).json()["clock"] == "ended"
    r = replay_at(ex, horizon + 1)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "at"]


def test_the_console_links_to_the_replay(lite: TestClient) -> None:
    ex = new_exercise(lite, seed=1, speed=60)
    for role, linked in (("facilitator", True), ("observer", True), ("participant", False)):
        page = ex.client.get(f"/exercises/{ex.id}?token={ex.tokens[role]}")
        assert page.status_code == 200
        assert (f"/exercises/{ex.id}/replay?token=" in page.text) is linked, role


def test_the_replay_page_has_the_words_of_triggers(lite: TestClient) -> None:
    """A fired trigger read `trigger.because: cond.process_data_lost` on the
    replay page: its script's words were not sent (QA). The live pages keep
    them from participants."""
    import json
    import re

    ex = new_exercise(lite, seed=1, speed=60)
    page = ex.client.get(f"/exercises/{ex.id}/replay?token={ex.tokens['facilitator']}&lang=de")
    block = re.search(r'<script type="application/json" id="config">(.*?)</script>', page.text,
                      re.S)  # fmt: skip
    assert block is not None
    texts = json.loads(block.group(1))["t"]
    assert "trigger.because" in texts and "cond.process_data_lost" in texts
    assert "people.title" in texts or any(k.startswith("people.") for k in texts)
    for role, shown in (("facilitator", True), ("participant", False)):
        live = ex.client.get(f"/exercises/{ex.id}?token={ex.tokens[role]}&lang=de").text
        assert ('"trigger.because"' in live) is shown, role
