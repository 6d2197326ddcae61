"""Managers and the administrator: lazy start-up (exercises rebuilt on first
use), the read-only manager link, who may open the replay, and the archive
(list, log, delete) behind the administrator's token."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_web_api import SCENARIOS, Ex, new_exercise

from web.app import create_app
from web.live import LiveExercise, Manager
from web.routers.exercises import until_deleted
from web.settings import Settings

ADMIN = "admin-secret-for-the-tests-0123456789"
DE = {"accept-language": "de-DE,de;q=0.9"}
EN = {"accept-language": "en-GB,en;q=0.9"}
TABLES = ("exercises", "log", "request_keys", "exercise_status", "exercise_tokens")


def settings(db: str, **more: Any) -> Settings:
    return Settings(db_url=db, scenarios_dir=SCENARIOS, tick_s=0.01, publish_s=0.02,
                    admin_token=ADMIN, **more)  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/archive.db"


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings(db))) as c:
        yield c


def manager_of(client: TestClient) -> Manager:
    manager: Manager = client.app.state.manager  # type: ignore[attr-defined]
    return manager


def admin(token: str = ADMIN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def rows(db: str, exercise_id: str) -> dict[str, int]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as c:
        return {t: c.execute(f"SELECT count(*) FROM {t} WHERE {'id' if t == 'exercises' else 'exercise_id'} = ?",  # noqa: E501
                             (exercise_id,)).fetchone()[0] for t in TABLES}  # fmt: skip


def state(ex: Ex, role: str = "observer") -> dict[str, Any]:
    r = ex.client.get(ex.url("state"), headers=ex.auth(role))
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    out.pop("id")
    return out


# --- lazy start-up -----------------------------------------------------------------

COPIES = 300


def copy_exercise(db: str, source: str, n: int) -> list[str]:
    """`n` copies of a stored exercise (row and log), straight in the database."""
    ids = [f"{source[:6]}c{i:05d}" for i in range(n)]
    with sqlite3.connect(db.removeprefix("sqlite:///")) as c:
        cols = "scenario, bundle, seed, speed, clock, sim_time, facilitator_hash, " \
               "participant_hash, observer_hash, created"  # fmt: skip
        for new in ids:
            c.execute(f"INSERT INTO exercises (id, {cols}) SELECT ?, {cols} FROM exercises "
                      "WHERE id = ?", (new, source))  # fmt: skip
            c.execute("INSERT INTO log (exercise_id, seq, sim_time, wall_time, role, kind, "
                      "payload) SELECT ?, seq, sim_time, wall_time, role, kind, payload "
                      "FROM log WHERE exercise_id = ?", (new, source))  # fmt: skip
    return ids


def test_start_up_rebuilds_nothing_and_each_exercise_once_on_first_use(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(create_app(settings(db))) as client:
        # three exercises driven differently, each with a short log
        a, b, c = (new_exercise(client) for _ in range(3))
        a.ok("injects", {"message": "Press at the gate"})
        a.ok("clock", {"action": "jump", "by": "4h"})  # m1 (3h) and m2 (4h) released
        a.ok("observations", {"text": "slow call tree"})
        b.ok("decisions", {"action": "activate_dr"})
        b.ok("clock", {"action": "jump", "by": "1d"})
        c.ok("clock", {"action": "speed", "speed": 120})
        before = {ex.id: state(ex) for ex in (a, b, c)}
    assert before[a.id] != before[b.id] != before[c.id]
    copies = {ex.id: copy_exercise(db, ex.id, COPIES // 3 - 1) for ex in (a, b, c)}
    source_of = {copy: src for src, ids in copies.items() for copy in ids} | {
        ex.id: ex.id for ex in (a, b, c)}  # fmt: skip
    assert len(source_of) == COPIES

    restores: Counter[str] = Counter()
    restore = LiveExercise.restore.__func__  # type: ignore[attr-defined]

    def counted(cls: type[LiveExercise], row: Any, *args: Any) -> LiveExercise:
        restores[row.id] += 1
        live: LiveExercise = restore(cls, row, *args)
        return live

    monkeypatch.setattr(LiveExercise, "restore", classmethod(counted))
    client = TestClient(create_app(settings(db)))
    started = time.perf_counter()
    client.__enter__()  # the lifespan: open the database, learn the exercises, start the pacer
    print(f"\nstart-up with {COPIES} stored exercises: {time.perf_counter() - started:.3f} s")
    try:
        manager = manager_of(client)
        assert not restores and not manager.exercises  # nothing rebuilt at start-up
        assert manager.live_ids() == set(source_of)
        tokens = {ex.id: ex.tokens for ex in (a, b, c)}
        for exercise_id, source in source_of.items():
            ex = Ex(client, exercise_id, tokens[source])
            assert state(ex) == before[source]  # first use: rebuilt, same state
            assert state(ex, "participant") == before[source]  # second use: kept
        assert restores == Counter(dict.fromkeys(source_of, 1))
        assert set(manager.exercises) == set(source_of)
    finally:
        client.__exit__(None, None, None)


def test_an_exercise_never_used_since_start_up_is_archived_when_idle(db: str) -> None:
    with TestClient(create_app(settings(db))) as client:
        ex = new_exercise(client)
        ex.ok("observations", {"text": "x"})
    with TestClient(create_app(settings(db, idle_s=3600.0))) as client:
        manager = manager_of(client)
        last = manager.dormant[ex.id].last
        manager.now = lambda: last + 3599
        assert manager.sweep() == []
        manager.now = lambda: last + 3600
        assert manager.sweep() == [ex.id]
        assert ex.id not in manager.live_ids() and not manager.exercises  # never rebuilt
        again = Ex(client, ex.id, ex.tokens)
        assert client.get(again.url("state"), headers=again.auth("observer")).status_code == 410


# --- the manager link --------------------------------------------------------------

# Every POST route on an exercise, with a body valid for it: the manager is
# refused each (403) but a fork and a what-if; the administrator's delete is
# the administrator's alone (401). A new POST route must be added here.
POST_BODIES: dict[str, tuple[dict[str, Any] | None, int]] = {
    # A what-if is a POST only for its body (the change to compare): it plays
    # a changed copy of the log and logs nothing, so it is a read for managers.
    "/api/exercises/{exercise_id}/whatif": ({"add": "1h", "action": "activate_dr"}, 200),
    "/api/exercises/{exercise_id}/clock": ({"action": "start"}, 403),
    "/api/exercises/{exercise_id}/injects": ({"message": "hello"}, 403),
    "/api/exercises/{exercise_id}/decisions": ({"text": "evacuate"}, 403),
    "/api/exercises/{exercise_id}/observations": ({"text": "noted"}, 403),
    "/api/exercises/{exercise_id}/people": ({"name": "Anna", "role": "observer"}, 403),
    "/api/exercises/{exercise_id}/people/{person_id}/link": ({}, 403),
    "/api/exercises/{exercise_id}/triggers": ({"trigger": "tank_low", "action": "fire"}, 403),
    "/api/exercises/{exercise_id}/plan": ({"issue": "slow call tree", "action": "drill it"}, 403),
    "/api/exercises/{exercise_id}/reopen": (None, 403),
    "/api/exercises/{exercise_id}/fork": ({"at": "0h"}, 201),
    "/exercises/{exercise_id}/reopen": (None, 403),
    "/admin/exercises/{exercise_id}/delete": (None, 401),
}


def post_paths(app: Any) -> set[str]:
    """Every POST route of the app (FastAPI keeps included routers whole)."""
    routes = []
    for r in app.routes:
        router = getattr(r, "original_router", None)
        routes += router.routes if router is not None else [r]
    return {r.path for r in routes if "POST" in (getattr(r, "methods", None) or ())}


def test_the_manager_reads_everything_and_commands_nothing(client: TestClient) -> None:
    ex = new_exercise(client)
    ex.ok("observations", {"text": "the call tree was slow"})
    posts = {path for path in post_paths(client.app) if "{exercise_id}" in path}
    assert posts == set(POST_BODIES)
    before = ex.log()
    for path, (body, status) in POST_BODIES.items():
        url = path.replace("{exercise_id}", ex.id).replace("{person_id}", "p-nobody0000")
        if path.startswith("/api/"):
            r = client.post(url, json=body, headers=ex.auth("manager"))
        else:  # the pages' forms carry the token in the body
            r = client.post(url, data={"token": ex.tokens["manager"]}, follow_redirects=False)
        assert r.status_code == status, (path, r.text)
    assert ex.log() == before  # nothing logged
    # the full view: the seed, the script, the facilitator's observations
    log = ex.log("manager")
    assert log[0]["seed"] == 7 and log[1]["kind"] == "observation"
    assert state(ex, "manager") == state(ex, "facilitator")
    page = client.get(f"/exercises/{ex.id}?token={ex.tokens['manager']}")
    assert page.status_code == 200 and 'id="decision-form"' not in page.text


def test_the_replay_is_for_facilitator_observers_managers_and_the_administrator(
    client: TestClient,
) -> None:
    ex = new_exercise(client)
    ex.ok("clock", {"action": "jump", "by": "3h"})
    meta_url = ex.url("replay/meta")
    for role in ("facilitator", "observer", "manager"):
        r = client.get(meta_url, headers=ex.auth(role))
        assert r.status_code == 200, (role, r.text)
    meta = client.get(f"{meta_url}?token={ADMIN}").json()
    assert meta["scenario"] == "scenario.yaml" and meta["seed"] == 7
    assert meta["state"] == "paused" and meta["sim_time"] == 3 * 3600
    assert meta["commands"] == 2  # the jump and m1 released at 3h
    assert meta["manager_link"] is True
    assert client.get(meta_url, headers=ex.auth("participant")).status_code == 403
    assert client.get(meta_url).status_code == 401
    assert client.get(f"{meta_url}?token=wrong").status_code == 401
    assert client.get("/api/exercises/nope/replay/meta?token=" + ADMIN).status_code == 404


# --- the administrator's archive ---------------------------------------------------

ADMIN_ROUTES = (
    ("GET", "/admin"),
    ("GET", "/api/admin/exercises"),
    ("DELETE", "/api/admin/exercises/{id}"),
    ("GET", "/admin/exercises/{id}/delete"),
    ("POST", "/admin/exercises/{id}/delete"),
    ("GET", "/admin/series?ids={id},{id}"),  # a series (web.routers.series)
    ("GET", "/api/admin/series?ids={id},{id}"),
    ("GET", "/api/admin/series/report?ids={id},{id}&format=pdf"),
)


def test_the_archive_needs_the_administrators_token(client: TestClient, db: str) -> None:
    ex = new_exercise(client)
    for method, path in ADMIN_ROUTES:
        url = path.replace("{id}", ex.id)
        for headers, data in (({}, None), (ex.auth("facilitator"), {"token": ex.tokens[
                "facilitator"]}), (admin("x" * 40), {"token": "x" * 40})):  # fmt: skip
            r = client.request(method, url, headers=headers,
                               data=data if method == "POST" else None)  # fmt: skip
            assert r.status_code == 401, (method, path, r.status_code)
            assert "scenario.yaml" not in r.text  # nothing of the list
    assert rows(db, ex.id)["exercises"] == 1  # nothing deleted


def test_the_archive_lists_every_exercise_in_both_languages(client: TestClient) -> None:
    live, archived = new_exercise(client), new_exercise(client)
    live.ok("clock", {"action": "jump", "by": "5h"})
    manager_of(client).archive(archived.id)
    listed = {e["id"]: e for e in client.get("/api/admin/exercises", headers=admin()).json()}
    assert listed[live.id]["state"] == "paused" and listed[live.id]["sim_time"] == 5 * 3600
    assert listed[live.id]["commands"] == 4  # the jump, m1, m2, m3
    assert listed[archived.id]["state"] == "archived" and listed[archived.id]["commands"] == 0
    for lang, headers, words, five in (
            ("de", DE, ("Archiv der Übungen", "archiviert", "angehalten"), "5 Std."),
            ("en", EN, ("Exercise archive", "archived", "paused"), "5 h")):  # fmt: skip
        page = client.get(f"/admin?token={ADMIN}", headers=headers)
        assert page.status_code == 200 and f'lang="{lang}"' in page.text
        for word in words:
            assert word in page.text
        # the simulated time in the page's duration format (German QA: "5.0 h" on a German page)
        row = re.search(rf'<tr data-id="{live.id}".*?</tr>', page.text, re.S)
        assert row is not None and f"<td>{five}</td>" in row.group(), row
        assert f"/exercises/{live.id}/replay?token={ADMIN}" in page.text
    # the administrator downloads any log (the full one)
    log = client.get(f"{live.url('log')}?token={ADMIN}")
    assert log.status_code == 200 and json.loads(log.text.splitlines()[0])["seed"] == 7
    # and reopens, forks or commands nothing
    assert client.post(live.url("clock"), json={"action": "start"},
                       headers=admin()).status_code == 401  # fmt: skip
    assert client.post(live.url("fork"), json={"at": "1h"}, headers=admin()).status_code == 403


def test_deleting_removes_every_row_once_and_ends_the_streams(client: TestClient,
                                                              db: str) -> None:  # fmt: skip
    ex, other = new_exercise(client), new_exercise(client)
    key = {"Idempotency-Key": "one-click"}
    assert client.post(ex.url("observations"), json={"text": "x"},
                       headers={**ex.auth("facilitator"), **key}).status_code == 200  # fmt: skip
    manager = manager_of(client)
    manager.store.set_status(ex.id, "damaged", "for the test")  # a status row too
    assert all(rows(db, ex.id)[t] == 1 for t in TABLES)
    live = manager.exercises[ex.id]

    async def watch_and_delete() -> list[bytes]:
        frames = until_deleted(live.frames("player", None), manager, live)
        seen = [await anext(frames), await anext(frames)]  # retry, init
        page = client.get(f"/admin/exercises/{ex.id}/delete?token={ADMIN}", headers=DE)
        assert page.status_code == 200 and "Endgültig löschen" in page.text
        r = client.post(f"/admin/exercises/{ex.id}/delete", data={"token": ADMIN},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303 and f"deleted={ex.id}" in r.headers["location"]
        seen += [frame async for frame in frames]  # ends by itself
        return seen

    seen = asyncio.run(watch_and_delete())
    assert b'"type":"closed"' in seen[-1]
    assert not any(live.hub.viewers.values())
    assert rows(db, ex.id) == dict.fromkeys(TABLES, 0)
    assert ex.id not in manager.live_ids()
    assert client.get(ex.url("state"), headers=ex.auth("facilitator")).status_code == 404
    # a second click finds nothing more to do; the other exercise is untouched
    r = client.post(f"/admin/exercises/{ex.id}/delete", data={"token": ADMIN},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    r = client.delete(f"/api/admin/exercises/{ex.id}", headers=admin())
    assert r.json() == {"id": ex.id, "deleted": False}
    assert rows(db, other.id)["exercises"] == 1
    assert client.delete(f"/api/admin/exercises/{other.id}", headers=admin()).json() == {
        "id": other.id, "deleted": True}  # fmt: skip
    assert client.get("/api/admin/exercises", headers=admin()).json() == []
    assert client.delete("/api/admin/exercises/" + "x" * 40, headers=admin()).status_code == 422


def test_serve_prints_the_administrator_link(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from simulator.cli.app import command_line

    cli = command_line()

    ran: list[Settings] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.append(app.state.settings))
    out = CliRunner().invoke(cli, ["serve", "--db", "sqlite://"],
                             env={"TABLETOP_ADMIN_TOKEN": ADMIN})  # fmt: skip
    assert out.exit_code == 0, out.output
    assert f"/admin?token={ADMIN}" in out.output and ran[0].admin_token == ADMIN
    out = CliRunner().invoke(cli, ["serve", "--db", "sqlite://"], env={"TABLETOP_ADMIN_TOKEN": ""})
    token = out.output.split("/admin?token=")[1].split()[0]
    assert len(token) >= 16 and ran[1].admin_token == token  # a fresh one per start
    out = CliRunner().invoke(cli, ["serve", "--db", "sqlite://", "--admin-token", "short"])
    assert out.exit_code == 2 and "--admin-token" in out.output


def test_first_uses_from_many_threads_rebuild_once_and_the_pacer_lives_on(db: str) -> None:
    """Sync routes run in worker threads: concurrent first uses of stored
    exercises rebuild each once, and the pacer (pinging every tick here)
    never trips over an exercise added meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    with TestClient(create_app(settings(db))) as client:
        source = new_exercise(client)
        source.ok("clock", {"action": "jump", "by": "2h"})
        expected = state(source)
    ids = copy_exercise(db, source.id, 40)
    with TestClient(create_app(settings(db, ping_s=0.0))) as client:
        manager = manager_of(client)

        def first_use(exercise_id: str) -> dict[str, Any]:
            return state(Ex(client, exercise_id, source.tokens))

        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(first_use, [*ids, *ids]))
        assert all(g["sim_time"] == expected["sim_time"] for g in got)
        assert set(ids) <= set(manager.exercises)
        assert manager._task is not None and not manager._task.done()  # the pacer lives
