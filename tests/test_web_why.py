"""GET /api/exercises/{id}/why/{asset}: the chain of causes, per role.

Every role may ask; participants get each root cause by its title or hazard
type, never the facilitator's hazard id or the hazard's parameters.
Scenario: tests/data/web (MSEL m1 at 3h takes erp and erp_db down; the
company is the example dairy's IT part: order_entry needs erp and erp_db).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_web_api import Ex, new_exercise, settings

from web.app import create_app


@pytest.fixture
def ex(tmp_path: Path) -> Iterator[Ex]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db"))) as client:
        yield new_exercise(client, seed=1, speed=60)


def why(ex: Ex, asset: str, role: str, lang: str = "en") -> dict[str, Any]:
    r = ex.client.get(ex.url(f"why/{asset}"), params={"lang": lang}, headers=ex.auth(role))
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.mark.parametrize("role", ["facilitator", "observer", "participant"])
def test_every_role_gets_the_chain_of_a_scripted_inject(ex: Ex, role: str) -> None:
    # 3 h 30: m1 ("Ransom note", at 3 h) took erp and erp_db down; order_entry
    # needs both (all_of), so it is down since 3 h with both as missing providers.
    ex.ok("clock", {"action": "jump", "by": "3h30min"})
    chain = why(ex, "order_entry", role)
    assert chain["t"] == 3.5 * 3600
    steps = {s["asset"]: s for s in chain["steps"]}
    assert [s["asset"] for s in chain["steps"]] == ["order_entry", "erp", "erp_db"]
    top = steps["order_entry"]
    assert (top["state"], top["since"]) == ("down", 3 * 3600)
    assert [(n["id"], n["down"]) for n in top["needs"]] == [("erp", ["erp", "erp_db"])]
    (cause,) = steps["erp"]["causes"]
    assert (cause["kind"], cause["label"], cause["at"]) == ("inject", "Ransom note", 3 * 3600)
    if role == "participant":
        assert (cause["source"], cause["ref"]) == (None, None)
    else:
        assert (cause["source"], cause["ref"]) == ("inject:m1", "m1")


def test_participants_never_see_hazard_parameters_or_ids(ex: Ex) -> None:
    # An ad hoc ransomware on the ERP with a telling id and a dwell time, and a
    # title for the players: their chain names it by that title only.
    ex.ok("clock", {"action": "jump", "by": "30min"})
    ex.ok("injects", {"hazard": {"type": "ransomware", "entry": "erp", "dwell": "20min",
                                 "encrypt_time": "5min"}, "id": "dwell-of-20min",
                      "title": "Screens go dark"})  # fmt: skip
    ex.ok("clock", {"action": "jump", "by": "1h"})
    assert ex.assets()["erp"] == "down"
    r = ex.client.get(ex.url("why/order_entry"), headers=ex.auth("participant"))
    assert r.status_code == 200
    for secret in ("dwell", "encrypt", "ransomware", "20min", "1200"):
        assert secret not in r.text
    erp = next(s for s in r.json()["steps"] if s["asset"] == "erp")
    (cause,) = erp["causes"]
    assert (cause["kind"], cause["label"], cause["hazard"], cause["at"]) == (
        "hazard", "Screens go dark", None, 1800)
    # The facilitator sees which of their injects it was.
    full = why(ex, "erp", "facilitator")["steps"][0]["causes"][0]
    assert (full["source"], full["ref"], full["hazard"], full["label"]) == (
        "hazard:dwell-of-20min", "dwell-of-20min", "ransomware", "Screens go dark")


def test_an_untitled_ad_hoc_hazard_is_just_an_inject_to_players(ex: Ex) -> None:
    ex.ok("injects", {"hazard": {"type": "outage", "assets": ["mail"], "duration": "7h"}})
    (cause,) = why(ex, "mail", "participant")["steps"][0]["causes"]
    assert (cause["kind"], cause["label"], cause["hazard"], cause["source"]) == (
        "hazard", None, None, None)
    (full,) = why(ex, "mail", "observer")["steps"][0]["causes"]
    assert (full["label"], full["hazard"], full["source"]) == ("outage", "outage", "hazard:inject-1")


def test_a_scenario_hazard_is_named_by_its_type(ex: Ex) -> None:
    # The scenario's own hazard at 8 h: wan_b out for 2 h.
    ex.ok("clock", {"action": "jump", "by": "8h30min"})
    (cause,) = why(ex, "wan_b", "participant")["steps"][0]["causes"]
    assert (cause["kind"], cause["label"], cause["hazard"], cause["at"], cause["lasting"]) == (
        "hazard", "outage", "outage", 8 * 3600, None)  # its 2 h are the scenario's secret
    (full,) = why(ex, "wan_b", "facilitator")["steps"][0]["causes"]
    assert full["lasting"] is False


def test_an_ad_hoc_command_by_its_action_or_title(ex: Ex) -> None:
    # The facilitator takes the grid down at 1 h; the server room (all_of grid)
    # goes with it at once. Players get no name for it; the facilitator the action.
    ex.ok("clock", {"action": "jump", "by": "1h"})
    ex.ok("injects", {"command": {"action": "down", "asset": "grid"}})
    room, grid = why(ex, "server_room", "participant")["steps"]
    assert (room["state"], room["since"], room["needs"][0]["down"]) == ("down", 3600, ["grid"])
    (cause,) = grid["causes"]
    # Whether it ends by itself is the inject's (hidden) duration: not for players.
    assert (cause["kind"], cause["label"], cause["at"], cause["lasting"], cause["source"]) == (
        "inject", None, 3600, None, None)
    (full,) = why(ex, "grid", "facilitator")["steps"][0]["causes"]
    assert (full["label"], full["action"], full["source"], full["lasting"]) == (
        "down", "down", "inject:2", True)
    # With a title, everyone reads the title.
    ex.ok("injects", {"command": {"action": "down", "asset": "wan_a"}, "title": "Digger cut the fibre"})
    (cause,) = why(ex, "wan_a", "participant")["steps"][0]["causes"]
    assert cause["label"] == "Digger cut the fibre"


def test_an_up_asset_and_an_idle_standby(ex: Ex) -> None:
    assert why(ex, "grid", "observer")["steps"] == [
        {"asset": "grid", "kind": "utility", "depth": 0, "parent": None, "state": "up",
         "capacity": 1.0, "since": None, "causes": [], "needs": [], "restart": None,
         "standby": False, "workaround": False, "restoring": False}]  # fmt: skip
    assert why(ex, "cloud_dr", "observer")["steps"][0]["standby"] is True


def test_unknown_asset_is_404_and_a_token_is_needed(ex: Ex) -> None:
    r = ex.client.get(ex.url("why/nope"), headers=ex.auth("facilitator"))
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    assert ex.client.get(ex.url("why/erp")).status_code == 401
    r = ex.client.get(ex.url("why/erp"), params={"lang": "fr"}, headers=ex.auth("facilitator"))
    assert r.status_code == 422
