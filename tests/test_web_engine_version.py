"""An exercise saved by another engine version goes on only if this engine
plays its log the same (the checkpoint saved with its clock); otherwise it
is kept, marked damaged with a reason naming both versions, and its log
(with that engine's version in the header) stays downloadable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from starlette.testclient import TestClient
from test_web_api import new_exercise
from test_web_limits import limited

from simulator.exercise.log import ENGINE_VERSION
from web.app import create_app


def test_another_engine_version_goes_on_only_when_it_plays_the_same(tmp_path: Path) -> None:
    path = tmp_path / "engines.db"
    url = f"sqlite:///{path}"
    with TestClient(create_app(limited(url))) as client:
        same, other = new_exercise(client), new_exercise(client)
        for ex in (same, other):
            ex.ok("injects", {"command": {"action": "down", "asset": "grid"}})
            ex.ok("clock", {"action": "jump", "by": "2h"})  # saves the clock and checkpoint
        before = same.state()
    with sqlite3.connect(path) as db:
        rows = dict(db.execute("SELECT exercise_id, engine FROM engine_checkpoints"))
        assert rows == {same.id: ENGINE_VERSION, other.id: ENGINE_VERSION}
        # an older engine wrote both; for `other` its records differed
        db.execute("UPDATE engine_checkpoints SET engine = '0.0.9'")
        db.execute("UPDATE engine_checkpoints SET digest = ? WHERE exercise_id = ?",
                   ("0" * 64, other.id))  # fmt: skip
    with TestClient(create_app(limited(url))) as client:
        same.client = other.client = client
        assert same.state() == before  # reproduced: it goes on
        r = client.get(other.url("state"), headers=other.auth("facilitator"))
        assert r.status_code == 409
        assert ("it was run by engine 0.0.9; this engine (" + ENGINE_VERSION + ") plays its "
                "log differently") in r.json()["detail"]  # fmt: skip
        header = other.log("observer")[0]
        assert header["engine"] == "0.0.9" and header["checkpoint"]["digest"] == "0" * 64
