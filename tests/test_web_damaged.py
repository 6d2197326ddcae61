"""A broken exercise is never silently lost: one that cannot be rebuilt at
start-up is kept, marked damaged with the reason (API 409, a page saying so),
its log stays downloadable, and start-up goes on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise
from test_web_limits import limited
from typer.testing import CliRunner

from simulator.cli.app import command_line
from web.app import create_app
from web.storage import DAMAGED, Store

cli = command_line()  # the whole `tabletop`, with the web part's commands

DE = {"accept-language": "de-DE,de;q=0.9"}


def corrupt(path: Path, sql: str, *args: object) -> None:
    """Change the database behind the app's back, as a bad disk or a bad
    migration would."""
    with sqlite3.connect(path) as db:
        db.execute(sql, args)


def test_damaged_exercises_are_kept_listed_and_their_logs_readable(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    url = f"sqlite:///{path}"
    with TestClient(create_app(limited(url))) as client:
        exs = {name: new_exercise(client) for name in ("fine", "bundle", "json", "kind", "gap")}
        for ex in exs.values():
            ex.ok("observations", {"text": "one"})
            ex.ok("injects", {"message": "two"})
            ex.ok("observations", {"text": "three"})
    corrupt(path, "UPDATE exercises SET bundle = '{\"scenario\": 1}' WHERE id = ?",
            exs["bundle"].id)  # fmt: skip
    corrupt(path, "UPDATE log SET payload = '{not json' WHERE exercise_id = ? AND seq = 2",
            exs["json"].id)  # fmt: skip
    corrupt(path, "UPDATE log SET kind = 'teleport' WHERE exercise_id = ? AND seq = 3",
            exs["kind"].id)  # fmt: skip
    corrupt(path, "DELETE FROM log WHERE exercise_id = ? AND seq = 2", exs["gap"].id)

    with TestClient(create_app(limited(url))) as client:  # start-up survives
        manager = client.app.state.manager  # type: ignore[attr-defined]
        # start-up rebuilds nothing: the damage is found at each one's first use
        assert not manager.exercises and not manager.damaged
        assert manager.live_ids() == {ex.id for ex in exs.values()}
        for ex in exs.values():
            status = client.get(ex.url("state"), headers=ex.auth("observer")).status_code
            assert status == (200 if ex is exs["fine"] else 409)
        assert set(manager.exercises) == {exs["fine"].id}
        reasons = {name: manager.damaged.get(ex.id) for name, ex in exs.items()}
        assert reasons["fine"] is None
        assert reasons["bundle"] is not None and "stored scenario is not valid" in reasons[
            "bundle"]  # fmt: skip
        assert reasons["json"] is not None and reasons["json"].startswith(
            "log entry 2: payload is not valid JSON")  # fmt: skip
        assert reasons["kind"] == "log entry 3: unknown kind 'teleport'"
        assert reasons["gap"] == "log entry 2 is missing (next is 3)"
        for name in ("bundle", "json", "kind", "gap"):
            ex = Ex(client, exs[name].id, exs[name].tokens)
            # the API says so, with the reason ...
            r = client.get(ex.url("state"), headers=ex.auth("observer"))
            assert r.status_code == 409 and reasons[name] in r.json()["detail"]
            r = ex.post("injects", {"message": "x"})
            assert r.status_code == 409
            # ... the console link shows a page that says why ...
            page = client.get(f"/exercises/{ex.id}?token={ex.tokens['facilitator']}",
                              headers=DE)  # fmt: skip
            assert page.status_code == 409 and "beschädigt" in page.text
            assert json.dumps(reasons[name])[1:-1].replace("'", "&#39;") in page.text
            # ... and the log is still there, a bad row marked, not dropped
            assert client.get(ex.url("log")).status_code == 401
            lines = ex.log("observer")
            assert lines[0]["exercise"] == ex.id
            seqs = [e["seq"] for e in lines[1:]]
            assert seqs == ([1, 3] if name == "gap" else [1, 2, 3])
        # players get their view (no observations; an unreadable row or one of
        # an unknown kind left out: it could hold anything), and nothing when
        # the stored scenario (which it needs) is unreadable
        players = Ex(client, exs["kind"].id, exs["kind"].tokens).log("participant")
        assert [(e["seq"], e["kind"]) for e in players[1:]] == [(1, "inject")]  # their number
        players = Ex(client, exs["json"].id, exs["json"].tokens).log("participant")
        assert players[1:] == []
        ex = Ex(client, exs["bundle"].id, exs["bundle"].tokens)
        assert client.get(ex.url("log"), headers=ex.auth("participant")).status_code == 409
        bad = Ex(client, exs["json"].id, exs["json"].tokens).log()[2]
        assert bad["seq"] == 2 and bad["payload"] == {} and "not valid JSON" in bad["error"]
        assert Store(url).status(exs["kind"].id).state == DAMAGED  # type: ignore[union-attr]

    listing = CliRunner().invoke(cli, ["exercises", "--db", url])
    assert listing.exit_code == 0, listing.output
    lines = {line.split()[0]: line for line in listing.output.splitlines()}
    assert lines[exs["fine"].id].split()[1] == "live"
    assert lines[exs["kind"].id].split()[1] == "damaged"
    assert "(log entry 3: unknown kind 'teleport')" in lines[exs["kind"].id]
    assert "3 commands" in lines[exs["fine"].id]
    assert lines[exs["fine"].id].split()[4] == "UTC"  # the creation time names its zone

    # repaired (by hand): the next start rebuilds it and it is live again
    corrupt(path, "UPDATE log SET kind = 'observation' WHERE exercise_id = ? AND seq = 3",
            exs["kind"].id)  # fmt: skip
    with TestClient(create_app(limited(url))) as client:
        manager = client.app.state.manager  # type: ignore[attr-defined]
        assert exs["kind"].id in manager.live_ids()
        assert manager.store.status(exs["kind"].id) is not None  # until it is used
        again = exs["kind"]
        state = client.get(again.url("state"), headers=again.auth("observer"))
        assert state.status_code == 200
        assert exs["kind"].id in manager.exercises
        assert manager.store.status(exs["kind"].id) is None


def test_listing_needs_an_existing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["exercises", "--db", f"sqlite:///{tmp_path}/none.db"])
    assert result.exit_code == 2
    assert "no database file" in result.output
    assert not (tmp_path / "none.db").exists()
