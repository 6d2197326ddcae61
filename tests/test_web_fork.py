"""Forks: a new live exercise paused where another stood at a simulated time
(POST /api/exercises/{id}/fork), with its own links, the original untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise
from test_web_archive import ADMIN, manager_of, settings

from web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/fork.db",
                                        max_exercises=3))) as c:  # fmt: skip
        yield c


def state(ex: Ex) -> dict[str, Any]:
    out = ex.state()
    out.pop("id")
    return out


def entries(ex: Ex) -> list[tuple[Any, ...]]:
    return [(e["seq"], e["sim_time"], e["actor"], e["kind"], e["payload"]) for e in ex.log()[1:]]


def fork(ex: Ex, at: str, role: str = "manager") -> Ex:
    r = ex.post("fork", {"at": at}, role)
    assert r.status_code == 201, r.text
    data = r.json()
    assert set(data["tokens"]) == {"facilitator", "participant", "observer", "manager"}
    assert data["links"]["manager"].endswith(f"/exercises/{data['id']}/replay?token="
                                             f"{data['tokens']['manager']}")  # fmt: skip
    return Ex(ex.client, data["id"], data["tokens"])


def test_a_fork_stands_where_the_original_stood_at_that_time(client: TestClient) -> None:
    original = new_exercise(client)
    key = {"Idempotency-Key": "decide-once"}
    original.ok("clock", {"action": "jump", "by": "2h"})
    r = client.post(original.url("decisions"), json={"action": "activate_dr"},
                    headers={**original.auth("facilitator"), **key})  # fmt: skip
    assert r.status_code == 200
    original.ok("injects", {"message": "Press at the gate"})
    original.ok("clock", {"action": "jump", "by": "3h"})  # to 5h: m1, m2, m3 released
    original.ok("observations", {"text": "the call tree was slow"})
    log_before, state_before = entries(original), state(original)

    forked = fork(original, "3h30min")
    # a second exercise driven identically up to 3h30min
    twin = new_exercise(client)
    twin.ok("clock", {"action": "jump", "by": "2h"})
    twin.ok("decisions", {"action": "activate_dr"})
    twin.ok("injects", {"message": "Press at the gate"})
    twin.ok("clock", {"action": "jump", "by": "1h30min"})  # m1 released at 3h
    assert state(forked) == state(twin)
    assert state(forked)["sim_time"] == 3 * 3600 + 1800 and state(forked)["clock"] == "paused"
    assert entries(forked) == entries(twin)  # the jump ends at 3h30min in the fork
    assert [k for _, _, _, k, _ in entries(forked)] == ["clock", "decision", "inject", "clock",
                                                        "msel"]  # fmt: skip
    store = manager_of(client).store
    assert store.request_keys(forked.id) == {} and store.request_keys(original.id) != {}

    # the fork's links work with their roles; the original's do not open it
    assert forked.post("observations", {"text": "second team"}).status_code == 200
    assert forked.post("injects", {"message": "x"}, "participant").status_code == 403
    assert forked.post("decisions", {"text": "x"}, "observer").status_code == 403
    assert forked.post("decisions", {"text": "x"}, "manager").status_code == 403
    assert forked.post("decisions", {"text": "evacuate"}, "participant").status_code == 200
    assert client.get(forked.url("replay/meta"), headers=forked.auth("manager")).json()[
        "commands"] == 7  # fmt: skip
    assert client.get(forked.url("state"), headers=original.auth("facilitator")).status_code == 401
    # the original is untouched
    assert entries(original) == log_before and state(original) == state_before


def test_forking_checks_its_input_and_its_callers(client: TestClient) -> None:
    ex = new_exercise(client)
    ex.ok("clock", {"action": "jump", "by": "1h"})
    r = ex.post("fork", {"at": "2h"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "at"]
    for bad in ("soon", "", "9" * 50, 5):
        r = ex.post("fork", {"at": bad})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "at", bad
    assert ex.post("fork", {"at": "1h", "extra": 1}).status_code == 422
    for role in ("participant", "observer"):
        assert ex.post("fork", {"at": "1h"}, role).status_code == 403
    assert client.post(ex.url("fork"), json={"at": "1h"}).status_code == 401
    assert client.post(ex.url("fork"), json={"at": "1h"},
                       headers={"Authorization": f"Bearer {ADMIN}"}).status_code == 403  # fmt: skip
    assert client.post("/api/exercises/nope/fork", json={"at": "1h"},
                       headers=ex.auth("facilitator")).status_code == 404  # fmt: skip
    # the fork of the beginning and of now; one more than the limit is refused
    first = fork(ex, "0min", "facilitator")
    assert state(first)["sim_time"] == 0  # the jump made at 0 ends at 0 in the fork
    assert entries(first) == [(1, 0, "facilitator", "clock", {"action": "jump", "to": 0})]
    fork(ex, "1h")
    r = ex.post("fork", {"at": "1h"})
    assert r.status_code == 429


def test_an_archived_exercise_can_be_forked(client: TestClient) -> None:
    ex = new_exercise(client)
    ex.ok("clock", {"action": "jump", "by": "3h"})
    manager_of(client).archive(ex.id)
    forked = fork(ex, "3h")
    assert state(forked)["sim_time"] == 3 * 3600
    assert [k for _, _, _, k, _ in entries(forked)] == ["clock", "msel"]
    assert ex.post("fork", {"at": "4h"}).status_code == 422  # beyond where it stood
