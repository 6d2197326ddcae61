"""Never lose an exercise: a real server killed with SIGKILL and restarted on
the same database (SQLite and PostgreSQL) shows the same state at the same
simulated time, paused, with every accepted command in its log; the state is
what the scenario, the seed and the log give when replayed on the bare engine."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from liveserver import Server, read_events
from pgcluster import db_url, pg_cluster  # noqa: F401  (fixtures)

from simulator.exercise.log import read_log
from simulator.exercise.replay import replay as simulator_replay


class Api:
    def __init__(self, server: Server, exercise: str, token: str) -> None:
        self.exercise, self.token = exercise, token
        self.http = httpx.Client(base_url=f"{server.base}/api/exercises/{exercise}",
                                 headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip

    def post(self, what: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.http.post(what, json=body)
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def state(self) -> dict[str, Any]:
        r = self.http.get("state")
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def log(self) -> list[dict[str, Any]]:
        r = self.http.get("log")
        assert r.status_code == 200, r.text
        return [json.loads(line) for line in r.text.splitlines()]

    def close(self) -> None:
        self.http.close()


def open_exercise(server: Server, **body: Any) -> tuple[Api, Api]:
    r = httpx.post(f"{server.base}/api/exercises", json={"scenario": "scenario.yaml", **body},
                   timeout=10)  # fmt: skip
    assert r.status_code == 201, r.text
    data = r.json()
    return (Api(server, data["id"], data["tokens"]["facilitator"]),
            Api(server, data["id"], data["tokens"]["participant"]))  # fmt: skip


def wait_for(predicate: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
    return value


def replay(log: list[dict[str, Any]], until: int) -> dict[str, tuple[str, float]]:
    """Asset states at `until` from the exported log alone (its header carries
    scenario and seed), replayed by the simulator's exercise object."""
    header, entries = read_log("\n".join(json.dumps(line) for line in log))
    sim = simulator_replay(header, entries, until).sim
    c = sim.cascade
    return {asset: (c.state(a), c.cap[a]) for a, asset in enumerate(sim.model.ids)}


def assets(state: dict[str, Any]) -> dict[str, tuple[str, float]]:
    return {a["id"]: (a["state"], a["capacity"]) for a in state["assets"]}


CLIENTS: list[Api] = []  # closed after each test


@pytest.fixture
def server(db_url: str) -> Any:  # noqa: F811
    s = Server(db_url)
    try:
        yield s
    finally:
        while CLIENTS:
            CLIENTS.pop().close()
        s.stop()


def prepare_paused(server: Server) -> tuple[Api, dict[str, Any], list[dict[str, Any]]]:
    facilitator, participant = open_exercise(server, seed=3, speed=600)
    CLIENTS.extend((facilitator, participant))
    facilitator.post("clock", {"action": "start"})
    wait_for(lambda: facilitator.state()["sim_time_h"] > 0.05)
    facilitator.post("injects", {"hazard": {"type": "outage", "assets": ["erp"], "duration": "1h"}})
    proposal = participant.post("decisions", {"action": "activate_dr"})["seq"]
    facilitator.post("decisions", {"accept": proposal})
    facilitator.post("injects", {"release": "u1"})
    facilitator.post("clock", {"action": "jump", "by": "3h"})  # m1 on the way
    facilitator.post("decisions", {"action": "restore_erp"})
    facilitator.post("observations", {"text": "restore first, ask later"})
    wait_for(lambda: facilitator.state()["sim_time_h"] > 3.1)
    facilitator.post("clock", {"action": "pause"})
    state, log = facilitator.state(), facilitator.log()
    assert state["clock"] == "paused"
    assert ("msel", {"inject": "m1"}) in [(e["kind"], e["payload"]) for e in log[1:]]
    return facilitator, state, log


def prepare_running(server: Server) -> tuple[Api, list[tuple[int, str]]]:
    facilitator, participant = open_exercise(server, seed=5, speed=600)
    CLIENTS.extend((facilitator, participant))
    facilitator.post("clock", {"action": "start"})
    accepted = [(1, "clock")]
    commands = [
        (facilitator, "injects", {"command": {"action": "down", "asset": "wan_a"}}),
        (participant, "decisions", {"text": "Use the phone"}),
        (facilitator, "clock", {"action": "jump", "by": "3h"}),
        (facilitator, "injects", {"hazard": {"type": "outage", "assets": ["mail"]}}),
        (facilitator, "decisions", {"action": "activate_dr"}),
        (facilitator, "injects", {"message": "The regulator calls."}),
        (facilitator, "injects", {"skip": "m2"}),
    ]
    for api, what, body in commands:
        r = api.post(what, body)
        accepted.append((r["seq"], r["kind"]))
    wait_for(lambda: facilitator.state()["sim_time_h"] > 3.1)
    return facilitator, accepted


def test_sigkill_loses_no_exercise(server: Server) -> None:
    """Two exercises, one paused and one running, when the server is killed."""
    server.start()
    paused, before, paused_log = prepare_paused(server)
    running, accepted = prepare_running(server)
    last_seen = running.log()
    (old_id, _), = read_events(server.base, paused.exercise, paused.token, 1)

    server.kill()
    server.start()

    # a browser reconnecting with its old Last-Event-ID gets a full state
    (new_id, message), = read_events(server.base, paused.exercise, paused.token, 1, old_id)
    assert message["type"] == "init" and new_id > old_id

    # the paused exercise: the very same state, log and time
    after = paused.state()
    assert after == before
    assert paused.log() == paused_log
    assert assets(after) == replay(paused_log, after["sim_time"])

    # the running one: paused now, every accepted command in the log, in order
    state, log = running.state(), running.log()
    assert state["clock"] == "paused"
    entries = log[1:]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    kinds = {e["seq"]: e["kind"] for e in entries}
    for seq, kind in accepted:
        assert kinds[seq] == kind
    # nothing accepted is missing or changed (the header's checkpoint moved on)
    assert log[1 : len(last_seen)] == last_seen[1:]
    assert {**log[0], "checkpoint": None} == {**last_seen[0], "checkpoint": None}
    assert state["sim_time"] >= entries[-1]["sim_time"]
    assert assets(state) == replay(log, state["sim_time"])

    # and both go on
    for api, was in ((paused, after), (running, state)):
        api.post("clock", {"action": "resume"})
        wait_for(lambda api=api, was=was: api.state()["sim_time"] > was["sim_time"])
