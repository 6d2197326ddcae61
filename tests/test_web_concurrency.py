"""Many clients at once against a real server: 20 threads send commands to two
running exercises while SSE viewers watch. Every accepted command is in the
log exactly once, in one gapless sequence, and every viewer sees each log
entry exactly once."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveserver import Server, read_events
from pgcluster import db_url, pg_cluster  # noqa: F401  (fixtures)

from simulator.exercise.audience import HIDDEN_KINDS

CLIENTS = 20
COMMANDS = 8  # per client


@pytest.fixture
def server(db_url: str) -> Iterator[Server]:  # noqa: F811
    with Server(db_url) as s:
        yield s


def create(server: Server) -> tuple[str, dict[str, str]]:
    r = httpx.post(f"{server.base}/api/exercises",
                   json={"scenario": "scenario.yaml", "speed": 1440}, timeout=10)  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["tokens"]


def commands(client: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(role, endpoint, body) for one client: a mix of every kind."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for i in range(COMMANDS):
        tag = f"c{client}-{i}"
        out.append([
            ("facilitator", "injects", {"message": tag}),
            ("facilitator", "injects", {"command": {"action": "degrade", "asset": "wan_a",
                                                    "capacity": 0.5, "duration": "10min"}}),
            ("participant", "decisions", {"text": tag}),
            ("facilitator", "decisions", {"text": tag}),
            ("facilitator", "observations", {"text": tag}),
            ("facilitator", "injects", {"hazard": {"type": "outage", "assets": ["mail"],
                                                   "duration": "5min"}}),
        ][(client + i) % 6])  # fmt: skip
    return out


class Viewer(threading.Thread):
    """Reads an exercise's event stream until it has seen the expected seqs."""

    def __init__(self, server: Server, exercise: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url = f"{server.base}/api/exercises/{exercise}/stream"
        self.token = token
        self.ready = threading.Event()
        self.expected: set[int] | None = None
        self.seen: Counter[int] = Counter()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            headers = {"Authorization": f"Bearer {self.token}"}
            timeout = httpx.Timeout(10, read=30)
            with httpx.stream("GET", self.url, headers=headers, timeout=timeout) as r:
                assert r.status_code == 200
                assert r.headers["content-type"].startswith("text/event-stream")
                data: list[str] = []
                for line in r.iter_lines():
                    if line.startswith("data:"):
                        data.append(line[5:].removeprefix(" "))
                    elif line == "" and data:
                        message = json.loads("\n".join(data))
                        data = []
                        self.seen.update(f["seq"] for f in message["feed"])
                        self.ready.set()
                        if self.expected is not None and self.expected <= set(self.seen):
                            return
        except BaseException as e:  # reported by the test
            self.error = e
            self.ready.set()


def test_concurrent_clients_each_command_logged_once(server: Server) -> None:
    exercises = [create(server), create(server)]
    viewers = [Viewer(server, ex, tokens["facilitator"]) for ex, tokens in exercises]
    for v in viewers:
        v.start()
        assert v.ready.wait(10) and v.error is None
    for ex, tokens in exercises:
        r = httpx.post(f"{server.base}/api/exercises/{ex}/clock", json={"action": "start"},
                       headers={"Authorization": f"Bearer {tokens['facilitator']}"})  # fmt: skip
        assert r.status_code == 200

    accepted: list[tuple[str, int, str, str]] = []  # exercise, seq, kind, role
    errors: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        ex, tokens = exercises[n % 2]
        with httpx.Client(base_url=f"{server.base}/api/exercises/{ex}/", timeout=30) as http:
            for role, what, body in commands(n):
                r = http.post(what, json=body, headers={"Authorization": f"Bearer {tokens[role]}"})
                with lock:
                    if r.status_code == 200:
                        accepted.append((ex, r.json()["seq"], r.json()["kind"], role))
                    else:
                        errors.append(r.text)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(accepted) == CLIENTS * COMMANDS
    for ex, tokens in exercises:  # from now on no scheduled inject adds to the log
        r = httpx.post(f"{server.base}/api/exercises/{ex}/clock", json={"action": "pause"},
                       headers={"Authorization": f"Bearer {tokens['facilitator']}"})  # fmt: skip
        assert r.status_code == 200

    for (ex, tokens), viewer in zip(exercises, viewers, strict=True):
        headers = {"Authorization": f"Bearer {tokens['observer']}"}
        text = httpx.get(f"{server.base}/api/exercises/{ex}/log", headers=headers).text
        entries = [json.loads(line) for line in text.splitlines()[1:]]
        seqs = [e["seq"] for e in entries]
        assert seqs == list(range(1, len(entries) + 1))  # strictly increasing, no gaps
        # a participant's answer names its entry by the player's own number
        # (1, 2, 3 … among the entries players see): back to the log's seq
        players = httpx.get(f"{server.base}/api/exercises/{ex}/log",
                            headers={"Authorization": f"Bearer {tokens['participant']}"})  # fmt: skip
        seen = [json.loads(line) for line in players.text.splitlines()[1:]]
        shown = [e for e in entries if e["kind"] not in HIDDEN_KINDS]
        assert [(e["seq"], e["kind"], e["sim_time"]) for e in seen] == [
            (n, e["kind"], e["sim_time"]) for n, e in enumerate(shown, 1)]  # fmt: skip
        log_seq = {n: e["seq"] for n, e in enumerate(shown, 1)}
        mine = sorted((log_seq[seq] if role == "participant" else seq, kind, role)
                      for e, seq, kind, role in accepted if e == ex)  # fmt: skip
        logged = sorted((e["seq"], e["kind"], e["actor"]) for e in entries
                        if e["actor"] != "system" and e["kind"] != "clock")  # fmt: skip
        assert logged == mine  # each accepted command exactly once, nothing else
        times = [e["sim_time"] for e in entries]
        assert times == sorted(times)

        # the viewer saw every entry exactly once; a last command wakes it up
        viewer.expected = set(seqs) | {len(seqs) + 1}
        r = httpx.post(f"{server.base}/api/exercises/{ex}/observations", json={"text": "end"},
                       headers={"Authorization": f"Bearer {tokens['facilitator']}"})  # fmt: skip
        assert r.json()["seq"] == len(seqs) + 1
        viewer.join(20)
        assert not viewer.is_alive() and viewer.error is None
        assert set(viewer.seen) == viewer.expected
        assert max(viewer.seen.values()) == 1


@pytest.fixture
def lite_server(tmp_path: Path) -> Iterator[Server]:
    with Server(f"sqlite:///{tmp_path}/t.db") as s:
        yield s


def test_stream_resumes_from_last_event_id(lite_server: Server) -> None:
    server = lite_server
    exercise, tokens = create(server)
    facilitator = {"Authorization": f"Bearer {tokens['facilitator']}"}

    def inject(text: str) -> None:
        r = httpx.post(f"{server.base}/api/exercises/{exercise}/injects",
                       json={"message": text}, headers=facilitator)  # fmt: skip
        assert r.status_code == 200

    (init_id, init), (one_id, one) = read_events(server.base, exercise, tokens["observer"], 2,
                                                 then=lambda: inject("one"))  # fmt: skip
    assert (init["type"], one["type"]) == ("init", "update")
    assert [f["payload"] for f in one["feed"]] == [{"message": "one"}]
    inject("two")  # while nobody watches
    events = read_events(server.base, exercise, tokens["observer"], 2, one_id,
                         then=lambda: inject("three"))  # fmt: skip
    assert [e["type"] for _, e in events] == ["update", "update"]
    assert [f["payload"]["message"] for _, e in events for f in e["feed"]] == ["two", "three"]
    assert [i for i, _ in events] == [one_id + 1, one_id + 2]
    # a participant sees neither the MSEL nor observations
    (_, player), = read_events(server.base, exercise, tokens["participant"], 1)
    assert "msel" not in player and [f["kind"] for f in player["feed"]] == ["inject"] * 3
