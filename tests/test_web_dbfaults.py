"""Database faults: a full disk or a database file removed under a running
server refuses commands (503, never acknowledged and lost), pauses the clock
and tells the facilitator why; a corrupt file stops `tabletop serve` with one
line and exit 2."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise
from test_web_limits import limited
from typer.testing import CliRunner

from simulator.cli.app import command_line
from web.app import create_app
from web.live import LiveExercise
from web.storage import Store

cli = command_line()  # the whole `tabletop`, with the web part's commands


def live_of(client: TestClient, ex: Ex) -> LiveExercise:
    live: LiveExercise = client.app.state.manager.exercises[ex.id]  # type: ignore[attr-defined]
    return live


def faults(live: LiveExercise) -> list[dict[str, object]]:
    """The fault messages in the facilitator's stream history."""
    messages = [json.loads(e.data) for e in live.hub.history["full"]]
    return [m for m in messages if m.get("type") == "fault"]


def stored_kinds(url: str, exercise_id: str) -> list[str]:
    store = Store(url)
    try:
        return [e.kind for e in store.log(exercise_id)]
    finally:
        store.close()


# --- the database file removed or replaced under a running server ------------------------


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_commands_are_refused_when_the_database_file_is_gone(tmp_path: Path, how: str) -> None:
    path = tmp_path / "gone.db"
    with TestClient(create_app(limited(f"sqlite:///{path}"))) as client:
        ex = new_exercise(client, speed=1)
        ex.ok("observations", {"text": "stored"})
        ex.ok("clock", {"action": "start"})
        live = live_of(client, ex)
        assert live.clock.state == "running"
        if how == "removed":
            path.unlink()
        else:  # a restored backup, say: another file under the same name
            shutil.copy(path, tmp_path / "copy.db")
            os.replace(tmp_path / "copy.db", path)
        r = ex.post("injects", {"message": "lost?"})
        assert r.status_code == 503
        said = {"removed": "is gone", "replaced": "was replaced"}[how]
        assert f"the database file {path.resolve()} {said}" in r.json()["detail"]
        assert live.seq == 2  # not applied either
        assert live.clock.state == "paused"
        (fault,) = faults(live)
        assert "paused" in fault["message"]["en"] and "angehalten" in fault["message"]["de"]
        assert ex.post("observations", {"text": "again"}).status_code == 503
        r = client.post("/api/exercises", json={"scenario": "scenario.yaml"})
        assert r.status_code == 503  # no new exercise into a file that is gone
        page = client.post("/", data={"source": "bundled", "scenario": "scenario.yaml"},
                           headers={"accept-language": "de"})  # fmt: skip
        assert page.status_code == 503 and "nichts wurde gespeichert" in page.text


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: a disk the test can fill (mounting needs root)."""
    where = tmp_path / "disk"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        message = f"cannot mount a small tmpfs: {done.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI runs as root and must test a full disk")
        pytest.skip(message)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_refuses_commands_and_loses_none(small_disk: Path) -> None:
    url = f"sqlite:///{small_disk}/full.db"
    with TestClient(create_app(limited(url))) as client:
        ex = new_exercise(client, speed=1)
        ex.ok("clock", {"action": "start"})
        live = live_of(client, ex)
        filler = fill(small_disk)
        acknowledged, refused = [], None
        for i in range(5000):  # until the write-ahead log cannot grow
            r = ex.post("observations", {"text": f"note {i} " + "x" * 2000})
            if r.status_code == 503:
                refused = r.json()["detail"]
                break
            assert r.status_code == 200, r.text
            acknowledged.append(r.json()["seq"])
        assert refused is not None, "the disk never filled up"
        assert "full" in refused  # SQLite's "database or disk is full"
        assert live.clock.state == "paused"
        assert faults(live) and "full" in str(faults(live)[-1]["detail"])
        filler.unlink()  # room again: commands are accepted again
        assert ex.post("observations", {"text": "after"}).status_code == 200
    # every acknowledged command is stored, the refused one is not
    kinds = stored_kinds(url, ex.id)
    assert kinds == ["clock"] + ["observation"] * (len(acknowledged) + 1)


# --- a corrupt database file ----------------------------------------------------------------


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` must stop before uvicorn starts; fail instead of serving forever."""
    import uvicorn

    def run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the server was started")

    monkeypatch.setattr(uvicorn, "run", run)


def test_a_file_that_is_no_database_is_one_line_and_exit_2(tmp_path: Path,
                                                           no_server: None) -> None:  # fmt: skip
    path = tmp_path / "noise.db"
    path.write_bytes(bytes(range(256)) * 40)
    result = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"--db sqlite:///{path}: cannot open the database: file is not a database")  # fmt: skip


def test_a_damaged_page_deep_in_the_file_is_found_at_start_up(tmp_path: Path,
                                                              no_server: None) -> None:  # fmt: skip
    path = tmp_path / "damaged.db"
    url = f"sqlite:///{path}"
    with TestClient(create_app(limited(url))) as client:
        for _ in range(6):
            new_exercise(client)
    store = Store(url)
    with store.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    size = path.stat().st_size
    assert size >= 8 * 4096
    with path.open("r+b") as f:  # scribble over a page in the middle
        f.seek((size // 4096 // 2) * 4096)
        f.write(b"\xa5" * 4096)
    result = CliRunner().invoke(cli, ["serve", "--db", url])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"--db {url}: the database file is damaged: ")
    assert "Traceback" not in result.output
