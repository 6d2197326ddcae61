"""Personal links issued anew (issue 11): the facilitator gives a person a
new link — the old one stops working at once, requests and open streams; the
log holds no token and no entry of it (links are the token table's). A fork
is a new exercise: it copies the people as log entries up to `at`, never
their links; its facilitator issues them new ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveserver import Server
from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise
from test_web_archive import manager_of, settings
from test_web_triggers import BLACKOUT, ROOT

from web.app import create_app

ANNA = {"name": "Anna Krause", "function": "Leiterin Krisenstab", "team": "krisenstab",
        "role": "participant"}  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/links.db"))) as c:
        yield c


def add(ex: Ex, body: dict[str, Any]) -> dict[str, Any]:
    r = ex.post("people", body)
    assert r.status_code == 200, r.text
    person: dict[str, Any] = r.json()
    ex.tokens[person["id"]] = person["token"]
    return person


def reissue(ex: Ex, person: str, key: str | None = None, role: str = "facilitator") -> Any:
    headers = ex.auth(role) | ({"Idempotency-Key": key} if key else {})
    return ex.client.post(ex.url(f"people/{person}/link"), json={}, headers=headers)


def test_a_new_link_replaces_the_old_one(client: TestClient) -> None:
    ex = new_exercise(client, seed=1)
    anna = add(ex, ANNA)
    old = anna["token"]
    ex.ok("decisions", {"text": "vorher"}, anna["id"])
    assert client.get(f"/exercises/{ex.id}?token={old}").status_code == 200  # she joins
    log_before = ex.log()
    joined = next(p for p in ex.client.get(ex.url("people"), headers=ex.auth("facilitator"))
                  .json()["people"] if p["id"] == anna["id"])["joined"]  # fmt: skip

    r = reissue(ex, anna["id"], key="click-1")
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["id"] == anna["id"] and new["token"] != old
    assert new["link"] == f"/exercises/{ex.id}?token={new['token']}"
    assert {k: new[k] for k in ANNA} == ANNA and new["joined"] == joined  # attendance is hers
    # one click is one command: the same request again gets the same link
    assert reissue(ex, anna["id"], key="click-1").json()["token"] == new["token"]
    # the old link opens nothing: API, page, log download
    headers = {"Authorization": f"Bearer {old}"}
    for path in ("state", "log", "feed?before=100&limit=10"):
        assert client.get(ex.url(path), headers=headers).status_code == 401, path
    assert client.get(f"/exercises/{ex.id}?token={old}").status_code == 401
    assert ex.post("decisions", {"text": "x"}, anna["id"]).status_code == 401
    # the new one is hers, with her team
    ex.tokens[anna["id"]] = new["token"]
    ex.ok("decisions", {"text": "nachher"}, anna["id"])
    last = ex.log()[-1]
    assert last["actor"] == anna["id"] and last["payload"]["team"] == "krisenstab"
    # the log did not change but for that proposal, and holds no token
    after = ex.log()
    assert after[: len(log_before)] == log_before and len(after) == len(log_before) + 1
    text = json.dumps(after)
    assert old not in text and new["token"] not in text
    # another click: another link, the previous one stops too
    newer = reissue(ex, anna["id"], key="click-2").json()["token"]
    assert newer != new["token"]
    assert ex.post("decisions", {"text": "x"}, anna["id"]).status_code == 401


def test_only_the_facilitator_reissues_a_link_of_a_known_person(client: TestClient) -> None:
    ex = new_exercise(client, seed=1)
    anna = add(ex, ANNA)
    for role in ("participant", "observer", "manager", anna["id"]):
        assert reissue(ex, anna["id"], role=role).status_code == 403, role
    r = client.post(ex.url(f"people/{anna['id']}/link"), json={})
    assert r.status_code == 401
    for unknown in ("p-nobody0000", "facilitator", "x" * 300):
        assert reissue(ex, unknown).status_code == 404, unknown
    assert ex.post("decisions", {"text": "still mine"}, anna["id"]).status_code == 200


def test_a_new_link_ends_the_old_link_s_open_stream(tmp_path: Path) -> None:
    with Server(f"sqlite:///{tmp_path}/stream.db", ROOT / "scenarios") as server:
        base = server.base
        made = httpx.post(f"{base}/api/exercises", json={"scenario": BLACKOUT}).json()
        api = f"{base}/api/exercises/{made['id']}"
        boss = {"Authorization": f"Bearer {made['tokens']['facilitator']}"}
        # the dairy's teams are recovery teams: Anna is of none here
        anna = httpx.post(f"{api}/people", json={**ANNA, "team": None}, headers=boss).json()
        old = {"Authorization": f"Bearer {anna['token']}"}
        frames = []
        with httpx.stream("GET", f"{api}/stream", headers=old,
                          timeout=httpx.Timeout(10, read=20)) as r:  # fmt: skip
            assert r.status_code == 200
            for line in r.iter_lines():  # ends when the server ends it
                if line.startswith("data:"):
                    frames.append(json.loads(line[5:]))
                    # the update the new link publishes must not reach the old one
                    assert len(frames) == 1, frames[-1]
                    done = httpx.post(f"{api}/people/{anna['id']}/link", headers=boss)
                    assert done.status_code == 200
        assert frames[0]["type"] == "init"
        assert httpx.get(f"{api}/stream", headers=old).status_code == 401


def test_a_fork_copies_people_but_not_their_links(client: TestClient) -> None:
    original = new_exercise(client, seed=1)
    anna = add(original, ANNA)
    olaf = add(original, {"name": "Olaf", "role": "observer"})
    original.ok("clock", {"action": "jump", "by": "1h"})
    original.ok("decisions", {"text": "Krisenstab einberufen"}, anna["id"])
    original.ok("clock", {"action": "jump", "by": "2h"})
    late = add(original, {"name": "Spät", "team": "it", "role": "participant"})  # after `at`

    r = original.post("fork", {"at": "2h"})
    assert r.status_code == 201, r.text
    forked = Ex(client, r.json()["id"], r.json()["tokens"])
    # the people up to `at` are in the fork's log, with what they did
    logged = forked.log()[1:]
    assert [e["payload"]["id"] for e in logged if e["kind"] == "person"] == [anna["id"],
                                                                             olaf["id"]]
    assert any(e["actor"] == anna["id"] for e in logged if e["kind"] == "proposal")
    people = client.get(forked.url("people"), headers=forked.auth("facilitator")).json()
    assert {p["id"]: p["joined"] for p in people["people"]} == {anna["id"]: None,
                                                               olaf["id"]: None}
    assert manager_of(client).store.people(forked.id) == []  # no link copied
    # the original's personal links open nothing of the fork
    for person in (anna, olaf):
        auth = {"Authorization": f"Bearer {person['token']}"}
        assert client.get(forked.url("state"), headers=auth).status_code == 401
        assert client.get(f"/exercises/{forked.id}?token={person['token']}").status_code == 401
    # the fork's facilitator issues links for the copied people (not for one added later)
    assert reissue(forked, late["id"]).status_code == 404
    new = reissue(forked, anna["id"]).json()
    forked.tokens[anna["id"]] = new["token"]
    forked.ok("decisions", {"text": "zweites Team"}, anna["id"])
    assert forked.log()[-1]["actor"] == anna["id"]
    assert forked.log()[-1]["payload"]["team"] == "krisenstab"
    # ... and the original's link is still the original's
    assert original.ok("decisions", {"text": "weiter"}, anna["id"])["kind"] == "proposal"
    assert client.get(original.url("state"), headers={
        "Authorization": f"Bearer {new['token']}"}).status_code == 401  # fmt: skip
