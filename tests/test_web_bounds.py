"""What each audience may read, bounded updates and stream state, caps on
proposals and the log, and one click = one command (Idempotency-Key)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveserver import Server, read_events
from starlette.testclient import TestClient

from web.app import create_app
from web.live import Event, Hub
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
H = 3600
RANSOMWARE = {"type": "ransomware", "entry": "erp", "dwell": "2h", "spread_time": "30min",
              "detect_after": "3h"}  # fmt: skip


def make_client(tmp_path: Path, **limits: Any) -> TestClient:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/b.db", scenarios_dir=ROOT / "scenarios",
                        tick_s=0.01, publish_s=0.02, **limits)  # fmt: skip
    return TestClient(create_app(settings))


class Ex:
    def __init__(self, client: TestClient) -> None:
        r = client.post("/api/exercises", json={"scenario": "example/scenario.yaml"})
        assert r.status_code == 201, r.text
        self.client, self.id, self.tokens = client, r.json()["id"], r.json()["tokens"]

    def auth(self, role: str, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return headers if key is None else {**headers, "Idempotency-Key": key}

    def post(self, what: str, body: dict[str, Any], role: str = "facilitator",
             key: str | None = None) -> httpx.Response:  # fmt: skip
        return self.client.post(f"/api/exercises/{self.id}/{what}", json=body,
                                headers=self.auth(role, key))  # fmt: skip

    def log(self, role: str) -> list[dict[str, Any]]:
        r = self.client.get(f"/api/exercises/{self.id}/log", headers=self.auth(role))
        assert r.status_code == 200
        return [json.loads(line) for line in r.text.splitlines()]

    def live(self) -> Any:
        return self.client.app.state.manager.exercises[self.id]  # type: ignore[attr-defined]


@pytest.fixture
def ex(tmp_path: Path) -> Iterator[Ex]:
    with make_client(tmp_path) as client:
        yield Ex(client)


def script(ex: Ex) -> None:
    """Everything a player must not see, next to what they may."""
    assert ex.post("injects", {"hazard": RANSOMWARE, "title": "Anruf der IT",
                               "message": "Die IT meldet seltsame Anmeldungen."}).is_success
    assert ex.post("injects", {"command": {"action": "down", "asset": "wan_a"}}).is_success
    assert ex.post("injects", {"skip": "m5"}).is_success
    assert ex.post("injects", {"delay": "m4", "by": "2h"}).is_success
    assert ex.post("observations", {"text": "Team zögert"}).is_success
    assert ex.post("injects", {"message": "Presse ruft an"}).is_success
    assert ex.post("decisions", {"text": "Krisenstab einberufen"}, "participant").is_success
    assert ex.post("clock", {"action": "jump", "by": "6h"}).is_success  # releases m1..m3


def test_players_log_is_what_their_stream_gives_them(ex: Ex) -> None:
    script(ex)
    full = ex.log("facilitator")
    player = ex.log("participant")
    assert full[0]["seed"] == 7 and "seed" not in player[0]  # the seed would replay the script
    kinds = [e["kind"] for e in player[1:]]
    assert "observation" not in kinds and "skip" not in kinds and "delay" not in kinds
    text = json.dumps(player)
    for secret in ("ransomware", "dwell", "spread_time", "detect_after", "Team zögert", "wan_a",
                   "m5"):  # fmt: skip
        assert secret not in text, secret
    hazard = next(e for e in player[1:] if e["kind"] == "inject" and e["payload"].get("event"))
    assert hazard["payload"] == {"title": "Anruf der IT", "event": True,
                                 "message": "Die IT meldet seltsame Anmeldungen."}  # fmt: skip
    released = [e["payload"] for e in player[1:] if e["kind"] == "msel"]
    # m1, m2, m3 by references that are not the script's ids (those would show gaps)
    refs = [p["inject"] for p in released]
    assert len(set(refs)) == 3 and all(r.startswith("s") and len(r) == 13 for r in refs)
    assert all(p["title"]["de"] and p["title"]["en"] for p in released)
    # The stream's first message gives players exactly these entries.
    ex.live().publish(0.0)
    init = json.loads(ex.live().init_message("player"))
    assert init["feed"] == [{k: e[k] for k in ("seq", "t", "actor", "kind", "payload")}
                            for e in [{**e, "t": e["sim_time"]} for e in player[1:]]]  # fmt: skip
    assert "msel" not in init


def test_players_never_see_the_silent_spread(ex: Ex) -> None:
    assert ex.post("injects", {"hazard": RANSOMWARE}).is_success
    assert ex.post("clock", {"action": "jump", "by": "5h"}).is_success
    live = ex.live()
    events = {r.event for r in live.sim.records}
    assert "compromised" in events  # the engine knows of it ...
    live.publish(0.0)
    for audience, shown in (("full", True), ("player", False)):
        init = json.loads(live.init_message(audience))
        assert ("compromised" in {r["event"] for r in init["records"]}) is shown
    player = json.loads(live.init_message("player"))
    assert {"encrypted", "detected"} <= {r["event"] for r in player["records"]}  # ... its effects


def test_updates_carry_only_the_proposals_that_changed(ex: Ex) -> None:
    """Each published update names exactly the proposals its own feed
    entries made or answered, never the others again."""
    seqs = [ex.post("decisions", {"text": f"p{i}"}, "participant").json()["seq"]
            for i in range(3)]  # fmt: skip
    assert ex.post("decisions", {"reject": seqs[1]}).is_success
    assert ex.post("decisions", {"accept": seqs[2]}).is_success
    live = ex.live()
    live.publish(0.0)
    updates = [json.loads(e.data) for e in live.hub.history["full"]]
    assert sum(len(u["feed"]) for u in updates) == 5  # every command, published once
    for update in updates:
        touched = {e["seq"] if e["kind"] == "proposal" else e["payload"]["proposal"]
                   for e in update["feed"]}  # fmt: skip
        assert {p["seq"] for p in update["proposals"]} == touched
    last = {p["seq"]: p["status"] for u in updates for p in u["proposals"]}
    assert last == {seqs[0]: "open", seqs[1]: "rejected", seqs[2]: "accepted"}


def test_open_proposals_are_capped(tmp_path: Path) -> None:
    with make_client(tmp_path, open_proposals=3) as client:
        ex = Ex(client)
        seqs = [ex.post("decisions", {"text": str(i)}, "participant").json()["seq"]
                for i in range(3)]  # fmt: skip
        r = ex.post("decisions", {"text": "one too many"}, "participant")
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body", "proposal"]
        assert "3 proposals are waiting for the facilitator" in r.json()["detail"][0]["msg"]
        assert ex.post("decisions", {"accept": seqs[0]}).is_success  # one answered: room again
        assert ex.post("decisions", {"text": "now"}, "participant").is_success


def test_the_log_length_is_capped(tmp_path: Path) -> None:
    with make_client(tmp_path, log_entries=4) as client:
        ex = Ex(client)
        for i in range(4):
            assert ex.post("injects", {"message": str(i)}).is_success
        r = ex.post("injects", {"message": "5"})
        assert r.status_code == 422 and "the exercise log is full (4 commands)" in r.text


def test_texts_are_bounded(ex: Ex) -> None:
    for what, body in (("injects", {"message": "x" * 4001}),
                       ("decisions", {"text": "x" * 4001}),
                       ("observations", {"text": "x" * 4001}),
                       ("injects", {"hazard": RANSOMWARE, "title": "x" * 201})):  # fmt: skip
        r = ex.post(what, body)
        assert r.status_code == 422, (what, r.text)
        field = next(iter(k for k in body if k != "hazard"))
        assert r.json()["detail"][0]["loc"][-1] == field
    assert ex.post("injects", {"message": "x" * 4000}).is_success


def test_a_late_viewer_gets_the_newest_feed_and_pages_back(tmp_path: Path) -> None:
    with make_client(tmp_path, init_feed=5) as client:
        ex = Ex(client)
        for i in range(12):
            assert ex.post("injects", {"message": f"m{i}"}).is_success
        assert ex.post("observations", {"text": "hidden"}).is_success
        live = ex.live()
        live.publish(0.0)
        init = json.loads(live.init_message("player"))
        assert [e["payload"]["message"] for e in init["feed"]] == [f"m{i}" for i in range(7, 12)]
        assert init["feed_before"] == init["feed"][0]["seq"] == 8
        r = client.get(f"/api/exercises/{ex.id}/feed", params={"before": 8, "limit": 4},
                       headers=ex.auth("participant"))  # fmt: skip
        assert [e["payload"]["message"] for e in r.json()] == ["m3", "m4", "m5", "m6"]
        r = client.get(f"/api/exercises/{ex.id}/feed", params={"before": 100},
                       headers=ex.auth("participant"))  # fmt: skip
        assert "observation" not in {e["kind"] for e in r.json()}  # the player's view
        full = json.loads(live.init_message("full"))
        assert full["feed"][-1]["kind"] == "observation"
        short = make_client  # a short exercise gives everything: no paging
        del short


def test_resume_history_is_bounded_in_bytes() -> None:
    hub = Hub(history=100, start=0, history_bytes=1000)
    for _ in range(20):
        hub.publish({"full": "x" * 200, "player": "y"})
    kept = hub.history["full"]
    assert sum(len(e.frame) for e in kept) <= 1000
    assert len(kept) == 1000 // len(kept[0].frame)  # as many whole events as fit
    assert hub.missed("full", 1) is None  # too old: a fresh full state instead
    assert len(hub.history["player"]) == 20
    assert isinstance(kept[0], Event)


# --- one click, one command -----------------------------------------------------------


def test_a_repeated_idempotency_key_returns_the_first_answer(tmp_path: Path) -> None:
    with make_client(tmp_path) as client:
        ex = Ex(client)
        first = ex.post("injects", {"message": "Presse"}, key="k-1")
        again = ex.post("injects", {"message": "Presse"}, key="k-1")
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        assert [e["kind"] for e in ex.log("facilitator")[1:]] == ["inject"]
        refused = ex.post("injects", {"release": "nope"}, key="k-2")
        assert refused.status_code == 422
        assert ex.post("injects", {"release": "nope"}, key="k-2").json() == refused.json()
        bad = ex.post("injects", {"message": "x"}, key="not a key!")
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == [
            "header", "Idempotency-Key"]  # fmt: skip
        exercise_id, tokens = ex.id, ex.tokens
    with make_client(tmp_path) as client:  # after a restart the key is still known
        ex2 = Ex.__new__(Ex)
        ex2.client, ex2.id, ex2.tokens = client, exercise_id, tokens
        assert ex2.post("injects", {"message": "Presse"}, key="k-1").json() == first.json()
        assert [e["kind"] for e in ex2.log("facilitator")[1:]] == ["inject"]


# --- memory under a participant posting as fast as they can ---------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_memory_stays_bounded_under_proposal_spam(tmp_path: Path) -> None:
    """300 proposals of 4,000 characters, each rejected at once so that all
    are logged, with a viewer on the stream: the server stays under 200 MB
    (before, every update repeated every proposal and the resume history
    kept 2,000 such updates: ~1.8 GB)."""
    with Server(f"sqlite:///{tmp_path}/m.db", ROOT / "scenarios") as server:
        c = httpx.Client(base_url=server.base, timeout=30)
        r = c.post("/api/exercises", json={"scenario": "example/scenario.yaml"})
        exercise, tokens = r.json()["id"], r.json()["tokens"]
        auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}
        url = f"/api/exercises/{exercise}/decisions"
        assert server.process is not None
        before = rss_mb(server.process.pid)
        for i in range(300):
            r = c.post(url, json={"text": f"{i:04d}" + "ü" * 3996}, headers=auth["participant"])
            assert r.status_code == 200, r.text
            assert c.post(url, json={"reject": r.json()["seq"]},
                          headers=auth["facilitator"]).status_code == 200  # fmt: skip
        events = read_events(server.base, exercise, tokens["observer"], 1)
        after = rss_mb(server.process.pid)
        c.close()
    init = events[0][1]
    assert len(init["proposals"]) == 50 and len(init["feed"]) == 200
    print(f"server RSS {before:.0f} MB -> {after:.0f} MB after 300 proposals")
    assert after < 200


def test_creating_an_exercise_twice_with_one_key_creates_one(tmp_path: Path) -> None:
    with make_client(tmp_path) as client:
        headers = {"Idempotency-Key": "create-1"}
        body = {"scenario": "example/scenario.yaml"}
        first = client.post("/api/exercises", json=body, headers=headers)
        again = client.post("/api/exercises", json=body, headers=headers)
        other = client.post("/api/exercises", json=body, headers={"Idempotency-Key": "create-2"})
        assert first.status_code == again.status_code == other.status_code == 201
        assert first.json() == again.json() and other.json()["id"] != first.json()["id"]
        assert len(client.app.state.manager.exercises) == 2  # type: ignore[attr-defined]
        refused = client.post("/api/exercises", json={"scenario": "nope.yaml"},
                              headers={"Idempotency-Key": "create-3"})  # fmt: skip
        assert refused.status_code == 422
        assert client.post("/api/exercises", json={"scenario": "nope.yaml"},
                           headers={"Idempotency-Key": "create-3"}).json() == refused.json()  # fmt: skip


def test_a_repeat_while_the_first_is_running_waits_for_its_answer() -> None:
    import asyncio

    from web.idempotency import OnceByKey

    once, made = OnceByKey(), []

    async def make() -> tuple[int, Any]:
        made.append(1)
        await asyncio.sleep(0.05)
        return 201, {"id": len(made)}

    async def both() -> list[tuple[int, Any]]:
        return list(await asyncio.gather(once.run("k", make), once.run("k", make)))

    assert asyncio.run(both()) == [(201, {"id": 1}), (201, {"id": 1})] and made == [1]
