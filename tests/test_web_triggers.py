"""Adaptive triggers through the web: the facilitator's trigger command
(disarm, fire, release or dismiss a suggested inject), its roles, errors and
idempotency; the console's trigger card; and players who cannot learn of a
trigger through any endpoint or stream of the server.

The dairy blackout (scenarios/dairy/blackout.yaml) has two notify triggers:
`no_rental_generator` (the action rent_generator not taken by T+12 h) and
`diesel_low` (the Leppersdorf diesel tank down to 6 h).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveserver import Server, read_events
from starlette.testclient import TestClient
from test_web_api import Ex

from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BLACKOUT = "dairy/blackout.yaml"
H = 3600
RENTAL = ("Vermieter hat kein Aggregat mehr", "The rental company has no generator left",
          "alle Aggregate im Umkreis von 200 km", "every generator within 200 km is taken")  # fmt: skip
TANKER = ("Tankwagen kommt nicht durch", "The tanker cannot get through",
          "gesperrte Straßen", "reports closed roads")  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/t.db", scenarios_dir=ROOT / "scenarios",
                        tick_s=0.01, publish_s=0.02)  # fmt: skip
    with TestClient(create_app(settings)) as c:
        yield c


def blackout(client: TestClient, seed: int | None = None) -> Ex:
    body: dict[str, Any] = {"scenario": BLACKOUT}
    if seed is not None:
        body["seed"] = seed
    r = client.post("/api/exercises", json=body)
    assert r.status_code == 201, r.text
    return Ex(client, r.json()["id"], r.json()["tokens"])


def full_state(ex: Ex) -> dict[str, Any]:
    """The facilitators' view as their stream's first message has it."""
    live = ex.client.app.state.manager.exercises[ex.id]  # type: ignore[attr-defined]
    message: dict[str, Any] = live.update("full", True)
    return message


def trigger(ex: Ex, name: str, action: str, role: str = "facilitator",
            key: str | None = None) -> httpx.Response:  # fmt: skip
    headers = ex.auth(role) | ({"Idempotency-Key": key} if key else {})
    return ex.client.post(ex.url("triggers"), json={"trigger": name, "action": action},
                          headers=headers)  # fmt: skip


# --- the API ---------------------------------------------------------------------------


def test_each_action_is_logged_and_does_what_it_says(client: TestClient) -> None:
    ex = blackout(client)
    ex.ok("clock", {"action": "jump", "by": "13h"})
    # At T+12 h the team had not rented a generator: the trigger fired, its
    # inject is suggested to the facilitator.
    state = full_state(ex)
    rental = next(t for t in state["triggers"] if t["id"] == "no_rental_generator")
    assert (rental["armed"], rental["fired"], rental["by_hand"]) == (False, [12 * H], [])
    assert rental["condition"] == {"action": "rent_generator", "not_taken_by": 12 * H}
    assert rental["why"] == "action 'rent_generator' not taken by 12h"
    assert [(s["trigger"], s["t"], s["status"]) for s in state["suggestions"]] == [
        ("no_rental_generator", 12 * H, "open")]

    r = trigger(ex, "no_rental_generator", "release")
    assert r.status_code == 200 and r.json()["kind"] == "trigger", r.text
    # diesel_low has not fired yet: by hand, its suggestion comes now
    diesel = next(t for t in full_state(ex)["triggers"] if t["id"] == "diesel_low")
    assert diesel["armed"] and diesel["fired"] == []
    assert trigger(ex, "diesel_low", "fire").status_code == 200
    assert trigger(ex, "diesel_low", "dismiss").status_code == 200
    state = full_state(ex)
    diesel = next(t for t in state["triggers"] if t["id"] == "diesel_low")
    assert (diesel["armed"], diesel["fired"], diesel["by_hand"]) == (False, [13 * H], [13 * H])
    assert diesel["why"] == "fired by the facilitator"
    assert {s["trigger"]: s["status"] for s in state["suggestions"]} == {
        "no_rental_generator": "released", "diesel_low": "dismissed"}
    assert ex.kinds()[-3:] == [
        ("trigger", {"trigger": "no_rental_generator", "action": "release"}),
        ("trigger", {"trigger": "diesel_low", "action": "fire"}),
        ("trigger", {"trigger": "diesel_low", "action": "dismiss"}),
    ]
    # the released suggestion reached the players' log as a message, in both languages
    player = ex.log("participant")
    said = [e["payload"] for e in player[1:] if e["kind"] == "trigger"]
    assert said == [{"title": {"de": RENTAL[0], "en": RENTAL[1]},
                     "message": {"de": "Der Vermieter meldet: alle Aggregate im Umkreis von "
                                       "200 km sind vergeben.",
                                 "en": "The rental company reports every generator within "
                                       "200 km is taken."}}]  # fmt: skip


def test_disarm_keeps_a_trigger_from_firing(client: TestClient) -> None:
    ex = blackout(client)
    assert trigger(ex, "no_rental_generator", "disarm").status_code == 200
    ex.ok("clock", {"action": "jump", "by": "13h"})
    state = full_state(ex)
    rental = next(t for t in state["triggers"] if t["id"] == "no_rental_generator")
    assert (rental["armed"], rental["fired"]) == (False, [])
    assert state["suggestions"] == []


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"trigger": "nope", "action": "disarm"}, "trigger", "no trigger 'nope' in the scenario"),
    ({"trigger": "no_rental_generator", "action": "release"}, "trigger",
     "trigger 'no_rental_generator' has no suggested inject open"),
    ({"trigger": "no_rental_generator", "action": "explode"}, "action", None),
    ({"trigger": "", "action": "fire"}, "trigger", None),
    ({"trigger": "x" * 121, "action": "fire"}, "trigger", None),
    ({"trigger": "no_rental_generator"}, "action", None),
    ({"trigger": "no_rental_generator", "action": "fire", "extra": 1}, "extra", None),
    ({"trigger": 5, "action": "fire"}, "trigger", None),
])  # fmt: skip
def test_bad_trigger_commands_name_the_field(client: TestClient, body: dict[str, Any],
                                             field: str, message: str | None) -> None:  # fmt: skip
    ex = blackout(client)
    r = client.post(ex.url("triggers"), json=body, headers=ex.auth("facilitator"))
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == field
    if message is not None:
        assert detail["msg"] == message
    assert ex.log()[1:] == []  # nothing logged


def test_a_spent_trigger_cannot_be_fired_or_disarmed(client: TestClient) -> None:
    ex = blackout(client)
    ex.ok("clock", {"action": "jump", "by": "13h"})
    for action in ("fire", "disarm"):
        r = trigger(ex, "no_rental_generator", action)
        assert r.status_code == 422
        assert r.json()["detail"][0]["msg"] == "trigger 'no_rental_generator' is not armed"
    assert trigger(ex, "no_rental_generator", "dismiss").status_code == 200
    r = trigger(ex, "no_rental_generator", "release")  # dismissed: nothing open any more
    assert r.status_code == 422 and "no suggested inject open" in r.text


@pytest.mark.parametrize("role", ["participant", "observer"])
def test_only_the_facilitator_has_a_hand_on_triggers(client: TestClient, role: str) -> None:
    ex = blackout(client)
    for action in ("disarm", "fire", "release", "dismiss"):
        r = trigger(ex, "no_rental_generator", action, role)
        assert r.status_code == 403, (action, r.text)
    assert client.post(ex.url("triggers"), json={"trigger": "diesel_low", "action": "fire"}
                       ).status_code == 401  # fmt: skip
    assert ex.log()[1:] == []


def test_a_repeated_request_fires_once(client: TestClient) -> None:
    ex = blackout(client)
    first = trigger(ex, "diesel_low", "fire", key="click-1")
    again = trigger(ex, "diesel_low", "fire", key="click-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert [k for k, _ in ex.kinds()] == ["trigger"]  # one command
    # a new click is a new command: the trigger is spent by now
    assert trigger(ex, "diesel_low", "fire", key="click-2").status_code == 422
    # a refused request is remembered as refused
    assert trigger(ex, "diesel_low", "fire", key="click-2").status_code == 422
    assert trigger(ex, "diesel_low", "release", key="bad key!").status_code == 422
    assert [k for k, _ in ex.kinds()] == ["trigger"]


# --- the console -----------------------------------------------------------------------


def test_the_card_is_for_the_facilitator_and_observers(client: TestClient) -> None:
    ex = blackout(client)
    pages = {role: client.get(f"/exercises/{ex.id}?token={ex.tokens[role]}&lang=de").text
             for role in ("facilitator", "observer", "participant")}  # fmt: skip
    for role in ("facilitator", "observer"):
        assert 'id="trigger-panel"' in pages[role], role
        assert "Vorgeschlagene Einlagen" in pages[role] and "Auslöser" in pages[role]
    assert 'id="trigger-panel"' not in pages["participant"]
    for word in ("Auslöser", "Vorgeschlagene Einlagen", "trigger.", "cond."):
        assert word not in pages["participant"], word
    english = client.get(f"/exercises/{ex.id}?token={ex.tokens['facilitator']}&lang=en").text
    assert "Suggested injects" in english and "Triggers" in english


# --- what players can learn: nothing of a trigger ---------------------------------------


def get_paths(app: Any) -> set[str]:
    """Every GET route of the app (FastAPI keeps included routers whole)."""
    routes = []
    for r in app.routes:
        router = getattr(r, "original_router", None)
        routes += router.routes if router is not None else [r]
    return {r.path for r in routes if "GET" in (getattr(r, "methods", None) or ())}


ASSETS = ("grid_lep", "lep_emergency_power", "rental_generator", "yoghurt_production",
          "cold_storage_dispatch", "raw_milk_intake", "lep_refrigeration")  # fmt: skip
# Each exercise's GET route, with how a participant calls it and what they get.
EXERCISE_GETS: dict[str, tuple[list[str], int]] = {
    "/api/exercises/{exercise_id}/state": (["state"], 200),
    "/api/exercises/{exercise_id}/log": (["log"], 200),
    "/api/exercises/{exercise_id}/feed": (["feed?before=100000&limit=500"], 200),
    "/api/exercises/{exercise_id}/stream": ([], 200),  # read as a stream below
    "/api/exercises/{exercise_id}/why/{asset}": ([f"why/{a}?lang={lang}" for a in ASSETS
                                                  for lang in ("de", "en")], 200),
    "/api/exercises/{exercise_id}/replay/meta": (["replay/meta"], 403),
    "/api/exercises/{exercise_id}/replay": (["replay?at=46800"], 403),
    "/api/exercises/{exercise_id}/decisions": (["decisions"], 403),
    "/api/exercises/{exercise_id}/people": (["people"], 403),  # the staffing: not players'
    "/api/exercises/{exercise_id}/report": (["report?format=html", "report?format=pdf"], 403),
    "/api/exercises/{exercise_id}/plan": (["plan"], 403),
    "/api/exercises/{exercise_id}/plan.csv": (["plan.csv"], 403),
    "/api/exercises/{exercise_id}/plan.xlsx": (["plan.xlsx"], 403),
    "/exercises/{exercise_id}": ([], 200),  # the console page, with its config
    "/exercises/{exercise_id}/replay": ([], 403),
    "/admin/exercises/{exercise_id}/delete": ([], 401),
}  # fmt: skip


def test_players_cannot_learn_of_a_trigger_through_any_endpoint_or_stream(
    tmp_path: Path,
) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/routes.db"))
    assert {p for p in get_paths(app) if "{exercise_id}" in p} == set(EXERCISE_GETS)
    with Server(f"sqlite:///{tmp_path}/leak.db", ROOT / "scenarios") as server:
        base = server.base
        made = httpx.post(f"{base}/api/exercises", json={"scenario": BLACKOUT}).json()
        api, tokens = f"{base}/api/exercises/{made['id']}", made["tokens"]

        def command(what: str, body: dict[str, Any]) -> None:
            r = httpx.post(f"{api}/{what}", json=body,
                           headers={"Authorization": f"Bearer {tokens['facilitator']}"})  # fmt: skip
            assert r.status_code == 200, r.text

        command("clock", {"action": "jump", "by": "13h"})  # no_rental_generator fires at 12 h
        command("triggers", {"trigger": "no_rental_generator", "action": "release"})
        command("triggers", {"trigger": "diesel_low", "action": "fire"})  # open, unreleased
        # ... and what issue 10 names: an observation, a skipped scripted inject, an ad
        # hoc hazard's parameters (players learn only the title and message given)
        command("observations", {"text": "Observer note zq-7 on the crisis team"})
        command("injects", {"skip": "b12"})
        command("injects", {"hazard": {"type": "outage", "assets": ["lep_refrigeration"],
                                       "duration": "17h13min"}, "id": "zq-sabotage",
                            "title": "Kühlhaus meldet Störung",
                            "message": "Das Kühlhaus meldet eine Störung."})  # fmt: skip
        facilitator = httpx.get(f"{base}/exercises/{made['id']}?token={tokens['facilitator']}")
        assert "trigger-panel" in facilitator.text  # the card is there for them
        full = read_events(base, made["id"], tokens["facilitator"], 1)[0][1]
        secrets = {"trigger:", '"triggers"', '"suggestions"', "not_taken_by", "not taken by",
                   "fired by the facilitator", "trigger-panel", *TANKER,
                   "zq-7", "Fehlmengen im Handel", "Shortfalls at retail",  # skipped b12
                   "zq-sabotage", "17h13min", "62000", '"seed"'}  # fmt: skip
        for t in full["triggers"]:
            secrets |= {t["id"], t["when"]}
        assert {"no_rental_generator", "diesel_low", "inject:b10"} <= secrets

        player = {"Authorization": f"Bearer {tokens['participant']}"}
        seen: dict[str, str] = {}
        for calls, status in EXERCISE_GETS.values():
            for call in calls:
                r = httpx.get(f"{api}/{call}", headers=player)
                assert r.status_code == status, (call, r.text)
                seen[call] = r.text
        stream = read_events(base, made["id"], tokens["participant"], 1)[0][1]
        seen["stream"] = json.dumps(stream, ensure_ascii=False)
        for lang in ("de", "en"):
            page = httpx.get(f"{base}/exercises/{made['id']}?token={tokens['participant']}"
                             f"&lang={lang}")  # fmt: skip
            assert page.status_code == 200
            seen[f"page {lang}"] = page.text
        page = httpx.get(f"{base}/exercises/{made['id']}/replay?token={tokens['participant']}")
        assert page.status_code == 403
        seen["replay page"] = page.text
        delete = httpx.get(f"{base}/admin/exercises/{made['id']}/delete?token={tokens['participant']}")
        assert delete.status_code == 401
        seen["delete page"] = delete.text
        for what, text in seen.items():
            for secret in secrets:
                assert secret not in text, (what, secret)
        # ... and yet they got what was released to them, in both languages
        said = [e for e in stream["feed"] if e["kind"] == "trigger"]
        assert [e["payload"]["title"] for e in said] == [{"de": RENTAL[0], "en": RENTAL[1]}]
        assert RENTAL[3] in seen["log"] and RENTAL[2] in seen["stream"]


def test_why_shows_players_a_triggers_effect_never_the_trigger(tmp_path: Path) -> None:
    """A trigger whose command takes an asset down: the facilitator's why names
    the trigger, the players' names neither it nor its source."""
    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios" / "example", folder / "example")
    path = folder / "example" / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\ntriggers:\n") == 1
    path.write_text(text.replace("\ntriggers:\n", "\ntriggers:\n"
                                 "  - id: cut_the_radio_link\n"
                                 "    when: {after: 1h}\n"
                                 "    do: [{action: down, asset: wan_b}]\n"), encoding="utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path}/why.db", scenarios_dir=folder,
                        tick_s=0.01, publish_s=0.02)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        r = client.post("/api/exercises", json={"scenario": "example/scenario.yaml"})
        ex = Ex(client, r.json()["id"], r.json()["tokens"])
        ex.ok("clock", {"action": "jump", "by": "90min"})
        assert ex.assets()["wan_b"] == "down"
        answers = {role: client.get(ex.url("why/wan_b"), headers=ex.auth(role)).json()
                   for role in ("facilitator", "participant")}  # fmt: skip
        (cause,) = answers["facilitator"]["steps"][0]["causes"]
        assert (cause["source"], cause["ref"], cause["label"], cause["at"]) == (
            "trigger:cut_the_radio_link", "cut_the_radio_link", "cut_the_radio_link", 3600)
        (cause,) = answers["participant"]["steps"][0]["causes"]
        assert cause["kind"] == "other" and cause["effect"] == "damage"
        assert cause["source"] is None and cause["ref"] is None and cause["label"] is None
        assert cause["at"] == 3600  # when it happened, which they saw
        text = json.dumps(answers["participant"])
        assert "cut_the_radio_link" not in text and "trigger" not in text
