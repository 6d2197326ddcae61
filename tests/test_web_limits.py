"""Limits on exercise creation: a quota of live exercises, and idle ones
archived (kept in the database with their log, reopenable), with the wall
clock injected — nothing sleeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_web_api import SCENARIO, SCENARIOS, Ex, new_exercise

from web.app import create_app
from web.live import Manager
from web.settings import Settings
from web.storage import ARCHIVED, Store

DE = {"accept-language": "de-DE,de;q=0.9"}
EN = {"accept-language": "en-GB,en;q=0.9"}


class WallClock:
    """A wall clock the test moves by hand (epoch seconds)."""

    def __init__(self) -> None:
        self.t = 2_000_000_000.0

    def __call__(self) -> float:
        return self.t


def limited(db: str, **limits: float) -> Settings:
    return Settings(db_url=db, scenarios_dir=SCENARIOS, tick_s=0.01, publish_s=0.02,
                    sweep_s=3600.0, **limits)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/limits.db"


def started(db: str, clock: WallClock, **limits: float) -> TestClient:
    """A client whose manager runs on `clock` (set before any exercise exists)."""
    client = TestClient(create_app(limited(db, **limits)))
    client.__enter__()
    manager: Manager = client.app.state.manager  # type: ignore[attr-defined]
    manager.now = clock
    return client


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def two(db: str, clock: WallClock) -> Iterator[TestClient]:
    client = started(db, clock, max_exercises=2, idle_s=100.0)
    yield client
    client.__exit__(None, None, None)


def manager_of(client: TestClient) -> Manager:
    manager: Manager = client.app.state.manager  # type: ignore[attr-defined]
    return manager


# --- the quota ---------------------------------------------------------------------


def test_one_exercise_more_than_the_quota_is_refused_with_429(two: TestClient) -> None:
    new_exercise(two)
    new_exercise(two)
    r = two.post("/api/exercises", json={"scenario": SCENARIO})
    assert r.status_code == 429
    assert "limit of 2 live exercises" in r.json()["detail"]
    assert len(manager_of(two).exercises) == 2
    assert len(manager_of(two).store.exercises()) == 2  # nothing half-created


def test_the_start_page_says_the_limit_is_reached_in_both_languages(two: TestClient) -> None:
    new_exercise(two)
    new_exercise(two)
    form = {"source": "bundled", "scenario": SCENARIO, "speed": "60"}
    de = two.post("/", data=form, headers=DE)
    en = two.post("/", data=form, headers=EN)
    assert (de.status_code, en.status_code) == (429, 429)
    assert "höchstzulässige Zahl laufender Übungen (2)" in de.text
    assert "limit of 2 live exercises" in en.text
    assert len(manager_of(two).store.exercises()) == 2


# --- idle exercises are archived ---------------------------------------------------------


def test_an_idle_exercise_is_archived_not_deleted(two: TestClient, clock: WallClock) -> None:
    ex = new_exercise(two)
    ex.ok("observations", {"text": "first note"})
    manager = manager_of(two)
    assert manager.sweep() == []  # sees the command (a sweep notices activity, every sweep_s)
    clock.t += 99
    assert manager.sweep() == []  # 99 s < 100 s
    clock.t += 1
    assert manager.sweep() == [ex.id]
    assert ex.id not in manager.exercises
    assert manager.store.status(ex.id).state == ARCHIVED  # type: ignore[union-attr]
    assert manager.store.exercise(ex.id) is not None  # the row stays
    r = two.get(ex.url("state"), headers=ex.auth("facilitator"))
    assert r.status_code == 410 and "archived" in r.json()["detail"]
    log = ex.log()  # still downloadable, with every command
    assert [e["kind"] for e in log[1:]] == ["observation"]
    assert log[0]["scenario_id"] == "web-test"


def test_a_command_or_a_viewer_keeps_an_exercise_live(two: TestClient, clock: WallClock) -> None:
    ex = new_exercise(two)
    manager = manager_of(two)
    clock.t += 60
    ex.ok("observations", {"text": "still here"})
    assert manager.sweep() == []  # the command is seen now: the idle time starts again
    clock.t += 99
    assert manager.sweep() == []
    viewers = manager.exercises[ex.id].hub.viewers["player"]
    viewers.add(object())  # type: ignore[arg-type]  # a viewer connected
    clock.t += 1000
    assert manager.sweep() == []
    viewers.clear()  # gone: idle from now on
    clock.t += 99
    assert manager.sweep() == []
    clock.t += 1
    assert manager.sweep() == [ex.id]


def test_idle_exercises_make_room_for_a_new_one(two: TestClient, clock: WallClock) -> None:
    first = new_exercise(two)
    clock.t += 50
    second = new_exercise(two)
    assert two.post("/api/exercises", json={"scenario": SCENARIO}).status_code == 429
    clock.t += 50  # the first has been idle 100 s, the second 50 s
    third = new_exercise(two)
    assert set(manager_of(two).exercises) == {second.id, third.id}
    assert manager_of(two).store.status(first.id).state == ARCHIVED  # type: ignore[union-attr]


def test_the_archived_page_and_reopening(two: TestClient, clock: WallClock) -> None:
    ex = new_exercise(two)
    ex.ok("clock", {"action": "jump", "by": "2h"})
    assert manager_of(two).sweep() == []  # notices the command
    clock.t += 100
    assert manager_of(two).sweep() == [ex.id]
    page = two.get(f"/exercises/{ex.id}?token={ex.tokens['participant']}", headers=DE)
    assert page.status_code == 410
    assert "archiviert" in page.text and "Protokoll herunterladen" in page.text
    assert "Übung wieder öffnen" not in page.text  # only the facilitator reopens
    page = two.get(f"/exercises/{ex.id}?token={ex.tokens['facilitator']}", headers=EN)
    assert page.status_code == 410 and "Reopen the exercise" in page.text
    assert two.get(f"/exercises/{ex.id}?token=wrong").status_code == 401
    # reopening is the facilitator's, by the API or the page's button
    r = two.post(ex.url("reopen"), headers=ex.auth("participant"))
    assert r.status_code == 403
    r = two.post(f"/exercises/{ex.id}/reopen", data={"token": ex.tokens["facilitator"]},
                 follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith(f"/exercises/{ex.id}?")
    state = ex.state()
    assert (state["sim_time"], state["clock"]) == (2 * 3600, "paused")
    assert manager_of(two).store.status(ex.id) is None


def test_reopening_counts_against_the_quota(two: TestClient, clock: WallClock) -> None:
    ex = new_exercise(two)
    clock.t += 100
    manager_of(two).sweep()
    new_exercise(two)
    new_exercise(two)
    r = two.post(ex.url("reopen"), headers=ex.auth("facilitator"))
    assert r.status_code == 429
    assert manager_of(two).store.status(ex.id).state == ARCHIVED  # type: ignore[union-attr]


def test_archived_exercises_stay_archived_after_a_restart(db: str, clock: WallClock) -> None:
    client = started(db, clock, max_exercises=2, idle_s=100.0)
    kept, idle = new_exercise(client), new_exercise(client)
    clock.t += 50
    kept.ok("observations", {"text": "x"})
    manager_of(client).sweep()
    clock.t += 60
    assert manager_of(client).sweep() == [idle.id]
    client.__exit__(None, None, None)
    again = started(db, clock, max_exercises=2, idle_s=100.0)
    try:
        assert manager_of(again).live_ids() == {kept.id}
        idle_again = Ex(again, idle.id, idle.tokens)
        assert again.get(idle_again.url("state"), headers=idle_again.auth("observer")
                         ).status_code == 410  # fmt: skip
        assert json.loads(again.get(idle_again.url("log"), headers=idle_again.auth(
            "observer")).text.splitlines()[0])["exercise"] == idle.id  # fmt: skip
    finally:
        again.__exit__(None, None, None)


def test_idle_time_after_a_restart_counts_from_the_last_command(db: str) -> None:
    """The last use of a rebuilt exercise is its last command's wall time (in
    the database), not the restart."""
    store = Store(db)
    client = TestClient(create_app(limited(db, idle_s=3600.0)))
    with client:
        ex = new_exercise(client)
        ex.ok("observations", {"text": "x"})
    last = store.last_active(ex.id)
    assert last is not None
    clock = WallClock()
    clock.t = last.timestamp() + 3599
    again = started(db, clock, idle_s=3600.0)
    try:
        manager = manager_of(again)
        assert manager.sweep() == []
        clock.t += 1
        assert manager.sweep() == [ex.id]
    finally:
        again.__exit__(None, None, None)
        store.close()
