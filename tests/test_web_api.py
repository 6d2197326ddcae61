"""The exercise API in process (starlette TestClient), on SQLite and PostgreSQL:
every endpoint and role, the MSEL, proposals, the clock, and the log format."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pgcluster import db_url, pg_cluster  # noqa: F401  (fixtures)
from starlette.testclient import TestClient

from simulator.exercise.log import ENGINE_VERSION, bundle_hash, read_log
from simulator.exercise.replay import replay
from simulator.model.schema import ScenarioBundle
from web.app import create_app
from web.settings import Settings

SCENARIOS = Path(__file__).resolve().parent / "data" / "web"
SCENARIO = "scenario.yaml"  # MSEL m1 3h (erp, erp_db down), m2 4h, m3 5h, m4 6h, m5 1d; u1; seed 7


def settings(url: str) -> Settings:
    return Settings(db_url=url, scenarios_dir=SCENARIOS, tick_s=0.01, publish_s=0.02)


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:  # noqa: F811
    app = create_app(settings(db_url))
    with TestClient(app) as c:
        yield c


@dataclass
class Ex:
    client: TestClient
    id: str
    tokens: dict[str, str]

    def url(self, what: str) -> str:
        return f"/api/exercises/{self.id}/{what}"

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def post(self, what: str, body: dict[str, Any], role: str = "facilitator") -> Any:
        return self.client.post(self.url(what), json=body, headers=self.auth(role))

    def ok(self, what: str, body: dict[str, Any], role: str = "facilitator") -> dict[str, Any]:
        r = self.post(what, body, role)
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def state(self, role: str = "facilitator") -> dict[str, Any]:
        r = self.client.get(self.url("state"), headers=self.auth(role))
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def assets(self) -> dict[str, str]:
        return {a["id"]: a["state"] for a in self.state()["assets"]}

    def log(self, role: str = "facilitator") -> list[dict[str, Any]]:
        r = self.client.get(self.url("log"), headers=self.auth(role))
        assert r.status_code == 200, r.text
        return [json.loads(line) for line in r.text.splitlines()]

    def kinds(self) -> list[tuple[str, Any]]:
        return [(e["kind"], e["payload"]) for e in self.log()[1:]]


def new_exercise(client: TestClient, **body: Any) -> Ex:
    r = client.post("/api/exercises", json={"scenario": SCENARIO, **body})
    assert r.status_code == 201, r.text
    data = r.json()
    return Ex(client, data["id"], data["tokens"])


@pytest.fixture
def ex(client: TestClient) -> Ex:
    return new_exercise(client, seed=1, speed=60)


# Checks of input and roles do not depend on the database: SQLite only.
@pytest.fixture
def lite(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db"))) as c:
        yield c


@pytest.fixture
def lite_ex(lite: TestClient) -> Ex:
    return new_exercise(lite, seed=1, speed=60)


def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def field_of(response: Any) -> list[str]:
    """The loc of the first 422 error, without the leading 'body'."""
    assert response.status_code == 422, response.text
    loc = response.json()["detail"][0]["loc"]
    return [str(p) for p in loc[1:]]


# --- creating ----------------------------------------------------------------


def test_create_returns_id_tokens_and_links(client: TestClient) -> None:
    r = client.post("/api/exercises", json={"scenario": SCENARIO, "seed": 1, "speed": 60})
    assert r.status_code == 201
    data = r.json()
    assert set(data["tokens"]) == {"facilitator", "participant", "observer", "manager"}
    assert len(set(data["tokens"].values())) == 4
    for role, link in data["links"].items():
        page = "/replay" if role == "manager" else ""  # the manager reads the replay
        assert link.endswith(f"/exercises/{data['id']}{page}?token={data['tokens'][role]}")
    ex = Ex(client, data["id"], data["tokens"])
    state = ex.state()
    assert (state["sim_time_h"], state["clock"], state["speed"]) == (0.0, "paused", 60.0)
    assert ex.log()[0]["seed"] == 1


def test_create_defaults_to_the_scenario_seed(client: TestClient) -> None:
    ex = new_exercise(client)
    header = ex.log()[0]
    assert (header["scenario"], header["seed"], header["scenario_id"]) == (
        SCENARIO, 7, "web-test")  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenario": "nope.yaml"}, ["scenario"]),
        ({"scenario": "../pyproject.toml"}, ["scenario"]),
        ({"scenario": "company.yaml"}, ["scenario"]),  # a company, not a scenario
        ({"scenario": "\u0000.yaml"}, ["scenario"]),  # found by schemathesis: was a 500
        ({"scenario": "x" * 290 + ".yaml"}, ["scenario"]),
        ({"scenario": SCENARIO, "seed": "1"}, ["seed"]),
        ({"scenario": SCENARIO, "seed": 1.5}, ["seed"]),
        ({"scenario": SCENARIO, "seed": -1}, ["seed"]),
        ({"scenario": SCENARIO, "speed": 0}, ["speed"]),
        ({"scenario": SCENARIO, "speed": True}, ["speed"]),
        ({"scenario": SCENARIO, "speed": 5000}, ["speed"]),
        ({"scenario": SCENARIO, "colour": "red"}, ["colour"]),
        ({}, ["scenario"]),
    ],
)
def test_create_rejects_bad_bodies_naming_the_field(
    lite: TestClient, body: dict[str, Any], field: list[str]
) -> None:
    assert field_of(lite.post("/api/exercises", json=body)) == field


def test_create_with_a_lone_surrogate_in_the_name(lite: TestClient) -> None:
    r = lite.post("/api/exercises", content=b'{"scenario": "\\ud800.yaml"}',
                  headers={"Content-Type": "application/json"})  # fmt: skip
    assert field_of(r) == ["scenario"]


def test_whole_number_floats_count_as_integers(client: TestClient) -> None:
    r = client.post("/api/exercises", json={"scenario": SCENARIO, "seed": 3.0})
    assert r.status_code == 201
    assert Ex(client, r.json()["id"], r.json()["tokens"]).log()[0]["seed"] == 3


def test_malformed_json_is_422_not_400(lite_ex: Ex) -> None:
    headers = {**lite_ex.auth("facilitator"), "Content-Type": "application/json"}
    for raw in (b"{bad", b"\xff\xfe{", b"[1, 2]", b'"start"'):
        r = lite_ex.client.post(lite_ex.url("clock"), content=raw, headers=headers)
        assert r.status_code == 422, (raw, r.text)
        assert r.json()["detail"][0]["loc"][0] == "body"


# --- authentication and roles ------------------------------------------------------


ROUTES = [("get", "state", None), ("get", "log", None), ("post", "clock", {"action": "pause"}),
          ("post", "injects", {"message": "x"}), ("post", "decisions", {"text": "x"}),
          ("post", "observations", {"text": "x"})]  # fmt: skip


@pytest.mark.parametrize(("method", "what", "body"), ROUTES)
def test_no_or_wrong_token_is_401(lite_ex: Ex, method: str, what: str, body: Any) -> None:
    other = new_exercise(lite_ex.client)
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "nope"},
                    other.auth("facilitator")):  # fmt: skip
        r = lite_ex.client.request(method, lite_ex.url(what), json=body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
    r = lite_ex.client.request(method, lite_ex.url(what) + "?token=nope", json=body)
    assert r.status_code == 401


@pytest.mark.parametrize(("method", "what", "body"), ROUTES)
def test_unknown_exercise_is_404(lite_ex: Ex, method: str, what: str, body: Any) -> None:
    for headers in ({}, lite_ex.auth("facilitator")):
        r = lite_ex.client.request(method, f"/api/exercises/nope/{what}", json=body, headers=headers)
        assert r.status_code == 404, r.text


def test_stream_needs_a_token(lite_ex: Ex) -> None:
    assert lite_ex.client.get(lite_ex.url("stream")).status_code == 401
    assert lite_ex.client.get("/api/exercises/nope/stream").status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "participant", "observer"])
def test_every_role_reads_state_and_log(lite_ex: Ex, role: str) -> None:
    assert lite_ex.state(role)["id"] == lite_ex.id
    assert lite_ex.log(role)[0]["exercise"] == lite_ex.id
    r = lite_ex.client.get(lite_ex.url("state") + f"?token={lite_ex.tokens[role]}")
    assert r.status_code == 200


@pytest.mark.parametrize("role", ["participant", "observer"])
def test_only_the_facilitator_drives(lite_ex: Ex, role: str) -> None:
    # observers evaluate (tests/test_web_observations.py); participants do not
    notes = [("observations", {"text": "x"})] if role == "participant" else []
    for what, body in [("clock", {"action": "start"}), ("injects", {"message": "x"}),
                       ("injects", {"release": "m1"}), *notes,
                       ("decisions", {"action": "activate_dr"} if role == "observer" else
                        {"accept": 1})]:  # fmt: skip
        r = lite_ex.post(what, body, role)
        assert r.status_code == 403, (what, r.text)
    assert lite_ex.log()[1:] == []
    assert lite_ex.state()["clock"] == "paused"


def test_role_checks_come_before_body_checks(lite_ex: Ex) -> None:
    assert lite_ex.post("clock", {"action": "fly"}, "participant").status_code == 403
    assert lite_ex.post("clock", {"action": "fly"}).status_code == 422


# --- the clock -----------------------------------------------------------------


def test_clock_start_pause_resume_speed(ex: Ex) -> None:
    assert ex.ok("clock", {"action": "speed", "speed": 1440})["kind"] == "clock"
    ex.ok("clock", {"action": "start"})
    assert ex.state()["clock"] == "running"
    wait_for(lambda: ex.state()["sim_time_h"] > 0)
    paused = ex.ok("clock", {"action": "pause"})["sim_time_h"]
    state = ex.state()
    assert (state["clock"], state["sim_time_h"], state["speed"]) == ("paused", paused, 1440.0)
    time.sleep(0.05)  # paused: the clock must not move (at 1440x it would by 72 s)
    assert ex.state()["sim_time_h"] == paused
    ex.ok("clock", {"action": "resume"})
    wait_for(lambda: ex.state()["sim_time_h"] > paused)
    actions = [p["action"] for k, p in ex.kinds() if k == "clock"]
    assert actions == ["speed", "start", "pause", "resume"]


def test_jump_by_a_duration_while_paused(ex: Ex) -> None:
    r = ex.ok("clock", {"action": "jump", "by": "2h"})
    assert r["sim_time_h"] == 0.0  # logged at the time it was given
    state = ex.state()
    assert (state["sim_time_h"], state["clock"]) == (2.0, "paused")
    assert ex.log()[-1]["payload"] == {"action": "jump", "to": 7200}


def test_jump_to_the_next_inject_releases_it(ex: Ex) -> None:
    assert ex.assets()["erp"] == "up"
    ex.ok("clock", {"action": "jump", "to": "next_inject"})
    assert ex.state()["sim_time_h"] == 3.0
    assets = ex.assets()
    assert (assets["erp"], assets["erp_db"]) == ("down", "down")
    assert ex.kinds()[-1] == ("msel", {"inject": "m1"})
    assert ex.log()[-1]["actor"] == "system"
    ex.ok("clock", {"action": "jump", "to": "next_inject"})
    assert ex.state()["sim_time_h"] == 4.0


def test_jump_past_several_injects_releases_each_at_its_time(ex: Ex) -> None:
    ex.ok("clock", {"action": "jump", "by": "5h30min"})
    msel = [(e["payload"]["inject"], e["sim_time"]) for e in ex.log()[1:] if e["kind"] == "msel"]
    assert msel == [("m1", 3 * 3600), ("m2", 4 * 3600), ("m3", 5 * 3600)]
    assert ex.state()["sim_time_h"] == 5.5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "fly"}, ["action"]),
        ({}, ["action"]),
        ({"action": "speed"}, ["speed"]),
        ({"action": "speed", "speed": 0}, ["speed"]),
        ({"action": "speed", "speed": "fast"}, ["speed"]),
        ({"action": "jump"}, ["to"]),
        ({"action": "jump", "by": "2h", "to": "next_inject"}, ["to"]),
        ({"action": "jump", "by": "soon"}, ["by"]),
        ({"action": "jump", "to": "tomorrow"}, ["to"]),
        ({"action": "start", "extra": 1}, ["extra"]),
    ],
)
def test_clock_rejects_bad_bodies_naming_the_field(
    lite_ex: Ex, body: dict[str, Any], field: list[str]
) -> None:
    assert field_of(lite_ex.post("clock", body)) == field
    assert lite_ex.log()[1:] == []


def test_jump_to_next_inject_when_none_is_left(ex: Ex) -> None:
    for item in ("m1", "m2", "m3", "m4", "m5"):
        ex.ok("injects", {"skip": item})
    assert field_of(ex.post("clock", {"action": "jump", "to": "next_inject"})) == ["to"]


def test_the_exercise_ends_at_the_horizon(ex: Ex) -> None:
    ex.ok("clock", {"action": "jump", "by": "30d"})
    state = ex.state()
    assert (state["sim_time_h"], state["clock"]) == (240.0, "ended")
    assert field_of(ex.post("injects", {"message": "late"})) == ["exercise"]
    assert field_of(ex.post("clock", {"action": "start"})) == ["exercise"]
    ex.ok("observations", {"text": "debrief: well done"})


def test_the_facilitator_extends_the_horizon(ex: Ex) -> None:
    ex.ok("clock", {"action": "jump", "by": "30d"})
    assert ex.state()["clock"] == "ended"
    assert field_of(ex.post("clock", {"action": "extend"})) == ["by"]
    assert field_of(ex.post("clock", {"action": "extend", "by": "1 fortnight"})) == ["by"]
    assert field_of(ex.post("clock", {"action": "extend", "by": "3650d"})) == ["by"]
    assert ex.post("clock", {"action": "extend", "by": "1d"}, "participant").status_code == 403
    ex.ok("clock", {"action": "extend", "by": "1d"})
    state = ex.state()
    assert (state["clock"], state["horizon"], state["sim_time_h"]) == ("paused", 11 * 86400, 240)
    assert ex.kinds()[-1] == ("clock", {"action": "extend", "by": 86400})
    ex.ok("injects", {"message": "overtime"})  # no longer refused as ended
    ex.ok("clock", {"action": "jump", "by": "2d"})
    assert (ex.state()["clock"], ex.state()["sim_time_h"]) == ("ended", 264)


def test_a_flood_is_refused_for_a_company_without_gauges(lite_ex: Ex) -> None:
    # tests/data/web/company.yaml has no asset with `flood:`: no flood can act on it
    r = lite_ex.post("injects", {"hazard": {"type": "flood", "gauge": "dresden-elbe",
                                            "hydrograph": "dresden-2002"}})  # fmt: skip
    assert r.status_code == 422
    assert field_of(r) == ["hazard", "type"]
    assert "flood gauge" in r.json()["detail"][0]["msg"]
    assert lite_ex.log()[1:] == []


@pytest.mark.parametrize("entry", ["grid", "staff", "order_entry"])
def test_ransomware_enters_through_an_it_asset(lite_ex: Ex, entry: str) -> None:
    r = lite_ex.post("injects", {"hazard": {"type": "ransomware", "entry": entry}})
    assert field_of(r) == ["hazard", "entry"]
    assert lite_ex.log()[1:] == []
    lite_ex.ok("injects", {"hazard": {"type": "ransomware", "entry": "erp_db"}})


def test_the_stream_asks_for_a_quick_reconnect(lite_ex: Ex) -> None:
    """The first frame sets the browser's reconnection delay to 1 s (read
    from the generator: TestClient cannot end an endless response)."""
    import asyncio

    live = lite_ex.client.app.state.manager.exercises[lite_ex.id]  # type: ignore[attr-defined]

    async def first_two() -> list[bytes]:
        frames = live.frames("player", None)
        out = [await anext(frames), await anext(frames)]
        await frames.aclose()
        return out

    retry, init = asyncio.run(first_two())
    assert retry == b"retry: 1000\n\n"
    assert init.startswith(b"id: ") and b'"type":"init"' in init


# --- injects ----------------------------------------------------------------------


def test_hazard_inject_takes_effect_at_once(ex: Ex) -> None:
    ex.ok("clock", {"action": "jump", "by": "30min"})
    r = ex.ok("injects", {"hazard": {"type": "outage", "assets": ["erp"], "duration": "2h"},
                          "id": "crash"})  # fmt: skip
    assert (r["kind"], r["sim_time_h"]) == ("inject", 0.5)
    state = ex.state()
    assets = {a["id"]: a for a in state["assets"]}
    assert (assets["erp"]["state"], assets["erp"]["capacity"]) == ("down", 0.0)
    order = {p["id"]: p for p in state["processes"]}["order_entry"]
    assert order["state"] == "down"
    assert order["outage_h"] == 0.0 and order["rto_left_h"] == order["rto_h"]
    assert not order["rto_breached"] and not order["mtpd_breached"]
    entry = ex.log()[-1]
    assert (entry["kind"], entry["sim_time"]) == ("inject", 1800)
    assert entry["payload"] == {"hazard": {"type": "outage", "assets": ["erp"], "capacity": 0.0,
                                           "duration": 7200}, "id": "crash"}  # fmt: skip
    ex.ok("clock", {"action": "jump", "by": "2h"})
    assert ex.assets()["erp"] == "up"  # the outage lasted 2h (m1 comes at 3h)


def test_inject_while_running_lands_at_the_current_time(ex: Ex) -> None:
    ex.ok("clock", {"action": "speed", "speed": 1440})
    ex.ok("clock", {"action": "start"})
    wait_for(lambda: ex.state()["sim_time_h"] > 0.05)
    before = ex.state()["sim_time_h"]
    r = ex.ok("injects", {"command": {"action": "down", "asset": "grid"}})
    after = ex.state()
    assert before <= r["sim_time_h"] <= after["sim_time_h"]
    assert {a["id"]: a["state"] for a in after["assets"]}["grid"] == "down"


def test_process_countdown_to_rto_and_mtpd(ex: Ex) -> None:
    ex.ok("injects", {"command": {"action": "down", "asset": "erp"}})
    ex.ok("clock", {"action": "jump", "by": "1h"})
    order = {p["id"]: p for p in ex.state()["processes"]}["order_entry"]
    assert order["outage_h"] == 1.0
    assert order["rto_left_h"] == pytest.approx(order["rto_h"] - 1)
    assert order["mtpd_left_h"] == pytest.approx(order["mtpd_h"] - 1)


def test_command_and_message_injects(ex: Ex) -> None:
    ex.ok("injects", {"command": {"action": "degrade", "asset": "wan_a", "capacity": 0.5}})
    assert ex.assets()["wan_a"] == "degraded"
    ex.ok("injects", {"message": "The press is at the gate."})
    assert ex.kinds()[-1] == ("inject", {"message": "The press is at the gate."})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hazard": {"type": "outage", "assets": ["nope"]}}, ["hazard", "assets", "0"]),
        ({"hazard": {"type": "meteor"}}, ["hazard"]),
        ({"command": {"action": "down", "asset": "nope"}}, ["command", "asset"]),
        ({"command": {"action": "down", "asset": "erp", "duration": "later"}},
         ["command", "down", "duration"]),
        ({"command": {"action": "activate_standby", "asset": "erp"}}, ["command", "asset"]),
        ({"message": ""}, ["message"]),
        ({"message": 5}, ["message"]),
        ({"message": "a", "release": "m1"}, []),
        ({}, []),
        ({"id": "x", "message": "y"}, ["id"]),
        ({"delay": "m3"}, ["by"]),
        ({"delay": "m3", "by": "a while"}, ["by"]),
        ({"release": "m9"}, ["release"]),
        ({"skip": "m9"}, ["skip"]),
        ({"delay": "m9", "by": "1h"}, ["delay"]),
    ],
)
def test_inject_rejects_bad_bodies_naming_the_field(
    lite_ex: Ex, body: dict[str, Any], field: list[str]
) -> None:
    assert field_of(lite_ex.post("injects", body)) == field
    assert lite_ex.log()[1:] == []


def test_msel_release(ex: Ex) -> None:
    ex.ok("injects", {"release": "m1"})
    assets = ex.assets()
    assert (assets["erp"], assets["erp_db"]) == ("down", "down")
    assert ex.kinds() == [("release", {"inject": "m1"})]
    assert field_of(ex.post("injects", {"release": "m1"})) == ["release"]
    assert field_of(ex.post("injects", {"skip": "m1"})) == ["skip"]
    ex.ok("clock", {"action": "jump", "by": "3h30min"})  # past m1's time: not played twice
    assert [k for k, _ in ex.kinds()].count("msel") == 0


def test_msel_skip(ex: Ex) -> None:
    ex.ok("injects", {"skip": "m1"})
    ex.ok("clock", {"action": "jump", "by": "3h30min"})
    assert ex.assets()["erp"] == "up"
    assert ("msel", {"inject": "m1"}) not in ex.kinds()


def test_msel_delay(ex: Ex) -> None:
    ex.ok("injects", {"delay": "m1", "by": "2h"})  # 3h -> 5h, after m2 (4h)
    assert ex.kinds() == [("delay", {"inject": "m1", "by": 7200})]
    ex.ok("clock", {"action": "jump", "by": "4h30min"})
    assert ex.assets()["erp"] == "up"
    ex.ok("clock", {"action": "jump", "to": "next_inject"})
    assert ex.state()["sim_time_h"] == 5.0
    assert ex.assets()["erp"] == "down"
    msel = [(e["payload"]["inject"], e["sim_time"]) for e in ex.log()[1:] if e["kind"] == "msel"]
    assert msel == [("m2", 4 * 3600), ("m1", 5 * 3600), ("m3", 5 * 3600)]


# --- decisions and proposals --------------------------------------------------------


def test_facilitator_records_a_decision(ex: Ex) -> None:
    assert ex.assets()["cloud_dr"] == "standby"
    r = ex.ok("decisions", {"action": "activate_dr"})
    assert r["kind"] == "decision"
    ex.ok("clock", {"action": "jump", "by": "1d"})
    assert ex.assets()["cloud_dr"] == "up"
    ex.ok("decisions", {"text": "We inform the customers."})
    assert [k for k, _ in ex.kinds()][-1] == "decision"


def test_participant_proposes_facilitator_accepts(ex: Ex) -> None:
    r = ex.ok("decisions", {"action": "activate_dr"}, "participant")
    assert r["kind"] == "proposal"
    proposal = r["seq"]
    ex.ok("clock", {"action": "jump", "by": "1d"})
    assert ex.assets()["cloud_dr"] == "standby"  # a proposal changes nothing
    assert ex.post("decisions", {"accept": proposal}, "participant").status_code == 403
    assert ex.post("decisions", {"accept": proposal}, "observer").status_code == 403
    assert ex.ok("decisions", {"accept": proposal})["kind"] == "accept"
    ex.ok("clock", {"action": "jump", "by": "1d"})
    assert ex.assets()["cloud_dr"] == "up"
    assert field_of(ex.post("decisions", {"accept": proposal})) == ["accept"]
    assert field_of(ex.post("decisions", {"reject": proposal})) == ["reject"]
    roles = [(e["kind"], e["actor"]) for e in ex.log()[1:] if e["kind"] not in ("clock", "msel")]
    assert roles == [("proposal", "participant"), ("accept", "facilitator")]


def test_facilitator_rejects_a_proposal(ex: Ex) -> None:
    proposal = ex.ok("decisions", {"action": "activate_dr"}, "participant")["seq"]
    text = ex.ok("decisions", {"text": "Call the mayor."}, "participant")["seq"]
    assert ex.ok("decisions", {"reject": proposal})["kind"] == "reject"
    ex.ok("clock", {"action": "jump", "by": "1d"})
    assert ex.assets()["cloud_dr"] == "standby"
    assert field_of(ex.post("decisions", {"accept": proposal})) == ["accept"]
    assert field_of(ex.post("decisions", {"accept": 999})) == ["accept"]
    ex.ok("decisions", {"accept": text})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "pray"}, ["action"]),
        ({"action": "activate_dr", "text": "and more"}, []),
        ({}, []),
        ({"text": ""}, ["text"]),
        ({"accept": 0}, ["accept"]),
        ({"accept": True}, ["accept"]),
        ({"reject": "1"}, ["reject"]),
    ],
)
def test_decision_rejects_bad_bodies_naming_the_field(
    lite_ex: Ex, body: dict[str, Any], field: list[str]
) -> None:
    assert field_of(lite_ex.post("decisions", body)) == field


# --- observations and the log -------------------------------------------------------


def test_observations(ex: Ex) -> None:
    assert ex.ok("observations", {"text": "The team hesitated."})["kind"] == "observation"
    assert ex.kinds() == [("observation", {"text": "The team hesitated."})]
    assert field_of(ex.post("observations", {"text": ""})) == ["text"]
    assert field_of(ex.post("observations", {})) == ["text"]


def test_log_format(ex: Ex) -> None:
    ex.ok("clock", {"action": "jump", "by": "1h"})
    ex.ok("injects", {"message": "Ünïcödé ✓"})
    ex.ok("decisions", {"text": "proposal"}, "participant")
    ex.ok("observations", {"text": "noted"})
    r = ex.client.get(ex.url("log"), headers=ex.auth("observer"))
    assert r.headers["content-type"].startswith("application/x-ndjson")
    assert r.text.endswith("\n")
    lines = [json.loads(line) for line in r.text.splitlines()]
    header, entries = lines[0], lines[1:]
    assert {k: header[k] for k in ("format", "version", "engine", "scenario", "scenario_id",
                                   "seed", "exercise")} == {
        "format": "tabletop-exercise-log", "version": 1, "engine": ENGINE_VERSION,
        "scenario": SCENARIO, "scenario_id": "web-test", "seed": 1, "exercise": ex.id}  # fmt: skip
    # the header carries the scenario: the log replays on its own, to the same state
    bundle = ScenarioBundle.model_validate(header["bundle"])
    assert header["bundle_hash"] == bundle_hash(bundle)
    read_header, read_entries = read_log(r.text)
    replayed = replay(read_header, read_entries).sim
    state = ex.state()
    assert replayed.now == state["sim_time"] == header["checkpoint"]["sim_time"]
    assert {a["id"]: a["capacity"] for a in state["assets"]} == dict(
        zip(replayed.model.ids, replayed.cascade.cap, strict=True))
    assert len(replayed.records) == header["checkpoint"]["records"]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert [(e["kind"], e["actor"], e["sim_time"]) for e in entries] == [
        ("clock", "facilitator", 0), ("inject", "facilitator", 3600),
        ("proposal", "participant", 3600), ("observation", "facilitator", 3600)]  # fmt: skip
    assert entries[1]["payload"] == {"message": "Ünïcödé ✓"}
    walls = [datetime.fromisoformat(e["wall_time"]) for e in entries]
    assert all(w.utcoffset() is not None and w.utcoffset().total_seconds() == 0 for w in walls)
    assert walls == sorted(walls)
    for e in entries:
        assert list(e) == ["seq", "sim_time", "wall_time", "actor", "kind", "payload"]


def test_exercises_are_independent(ex: Ex) -> None:
    other = new_exercise(ex.client)
    ex.ok("injects", {"command": {"action": "down", "asset": "grid"}})
    ex.ok("clock", {"action": "jump", "by": "1h"})
    assert other.assets()["grid"] == "up"
    assert other.state()["sim_time_h"] == 0.0
    assert other.log()[1:] == []
    assert ex.post("injects", {"message": "x"}, "facilitator").status_code == 200
    r = ex.client.post(other.url("injects"), json={"message": "x"}, headers=ex.auth("facilitator"))
    assert r.status_code == 401


def test_scenarios_listed(client: TestClient) -> None:
    r = client.get("/api/scenarios")
    assert r.status_code == 200
    assert r.json() == [{"path": SCENARIO, "title": {"de": "Web-Test", "en": "Web test"},
                         "company": "web-test"}]  # fmt: skip


def test_restart_keeps_exercises(db_url: str) -> None:  # noqa: F811
    """A clean restart (lifespan stop and start) restores every exercise, paused."""
    with TestClient(create_app(settings(db_url))) as client:
        ex, other = new_exercise(client), new_exercise(client, seed=3)
        ex.ok("injects", {"release": "m1"})
        ex.ok("clock", {"action": "jump", "by": "2h"})
        ex.ok("decisions", {"text": "wait"}, "participant")
        ex.ok("clock", {"action": "speed", "speed": 1440})
        ex.ok("clock", {"action": "start"})
        wait_for(lambda: ex.state()["sim_time_h"] > 2.1)
        ex.ok("clock", {"action": "pause"})
        other.ok("injects", {"command": {"action": "down", "asset": "grid"}})
        before, log, other_before = ex.state(), ex.log(), other.state()
    with TestClient(create_app(settings(db_url))) as client:
        ex.client = other.client = client
        assert ex.state() == before
        assert ex.log() == log
        assert other.state() == other_before
        ex.ok("clock", {"action": "resume"})
        wait_for(lambda: ex.state()["sim_time_h"] > before["sim_time_h"])


def test_serve_demo_creates_an_exercise_and_prints_working_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = Settings(db_url=f"sqlite:///{tmp_path}/demo.db", demo="example/scenario.yaml",
                    public_url="http://testserver")  # fmt: skip
    with TestClient(create_app(demo)) as client:
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("Demo exercise on example/scenario.yaml")
        links = dict(line.split() for line in lines[1:4])
        assert set(links) == {"facilitator", "participant", "observer"}
        page = client.get(links["facilitator"].removeprefix("http://testserver"))
        assert page.status_code == 200
        exercise, token = links["observer"].removeprefix("http://testserver/exercises/").split("?token=")
        state = client.get(f"/api/exercises/{exercise}/state", headers={"Authorization": f"Bearer {token}"})
        assert state.json()["clock"] == "paused"


def test_a_player_never_learns_the_logs_seq(lite_ex: Ex) -> None:
    """Entries hidden from players (a person, an observation, an inject for
    team IT, a skip) lie between those an anonymous participant sees: their
    proposal's answer, feed pages and log download number what they see 1, 2,
    3 …; the facilitator keeps the log's seq."""
    ex = lite_ex
    r = ex.post("people", {"name": "Anna", "team": "it", "role": "participant"})  # seq 1
    assert r.status_code == 200, r.text
    assert ex.ok("injects", {"message": "hello"})["seq"] == 2  # the facilitator: the log's seq
    ex.ok("observations", {"text": "zq-calm"})  # 3
    ex.ok("injects", {"message": "zq-it-only", "teams": ["it"]})  # 4
    ex.ok("injects", {"skip": "m5"})  # 5
    key = {"Idempotency-Key": "proposal-1", **ex.auth("participant")}
    for _ in range(2):  # the first answer and its repeat: the player's number 2, not seq 6
        r = ex.client.post(ex.url("decisions"), json={"text": "call the insurer"}, headers=key)
        assert (r.status_code, r.json()["seq"], r.json()["kind"]) == (200, 2, "proposal")
    assert ex.ok("decisions", {"accept": 6})["seq"] == 7
    ex.ok("injects", {"message": "again"})  # 8
    player = ex.log("participant")[1:]
    assert [(e["seq"], e["kind"]) for e in player] == [(1, "inject"), (2, "proposal"),
                                                       (3, "accept"), (4, "inject")]  # fmt: skip
    assert player[2]["payload"] == {"proposal": 2}
    assert "zq-" not in json.dumps(player)
    full = ex.log()[1:]
    assert [e["seq"] for e in full] == list(range(1, 9))
    assert full[6]["payload"] == {"proposal": 6}

    def page(before: int, role: str = "participant") -> list[tuple[int, str]]:
        r = ex.client.get(ex.url(f"feed?before={before}&limit=2"), headers=ex.auth(role))
        assert r.status_code == 200, r.text
        return [(e["seq"], e["kind"]) for e in r.json()]

    assert page(4) == [(2, "proposal"), (3, "accept")]
    assert page(2) == [(1, "inject")]
    assert page(1) == []
    assert page(10**6) == [(3, "accept"), (4, "inject")]
    assert page(4, "facilitator") == [(2, "inject"), (3, "observation")]
