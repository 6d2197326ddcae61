"""What-if forks and decision values over the web (POST .../whatif, GET
.../decisions): the figures, the errors naming their field, who may ask, and
the bound on the work.

The small company of tests/data/whatif (see tests/test_whatif.py): the
server fails at T+1 h and stays down; order entry (RTO 4 h, MTPD 8 h, 1,000
EUR/h) comes back 2 h after the standby is activated. Played here: the clock
jumps to T+3 h (the script releases the crash at T+1 h and a call at T+2 h),
then the facilitator activates the standby (entry 4): order entry is down
T+1 h … T+5 h, 4 h, 4,000 EUR. Without the decision it is down from T+1 h to
the horizon (24 h): 23 h, 23,000 EUR, 19 h beyond the RTO, both breached —
the scenario's plain run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_web_api import Ex, field_of

from simulator.analysis.metrics import summarize
from simulator.engine.simulation import Simulation
from simulator.exercise.decisions import decision_values
from simulator.exercise.log import read_log
from simulator.exercise.whatif import Add, Drop, Move, Replace, whatif
from simulator.readwrite.io import load_bundle
from web.app import create_app
from web.settings import Settings
from web.whatifs import Gate

SMALL = Path(__file__).resolve().parent / "data" / "whatif"
ADMIN = "admin-secret-for-the-what-if-tests-0123"
H = 3600
ROLES = ("facilitator", "observer", "manager", "participant")


def settings(url: str, **more: Any) -> Settings:
    return Settings(db_url=url, **{"scenarios_dir": SMALL, **more}, tick_s=0.01, publish_s=0.02,
                    admin_token=ADMIN)  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db"))) as c:
        yield c


def played(client: TestClient) -> Ex:
    """The exercise as played: jump to T+3 h, then the standby (entry 4)."""
    r = client.post("/api/exercises", json={"scenario": "scenario.yaml", "seed": 3})
    assert r.status_code == 201, r.text
    ex = Ex(client, r.json()["id"], r.json()["tokens"])
    ex.ok("clock", {"action": "jump", "by": "3h"})
    assert ex.ok("decisions", {"action": "activate_standby"})["seq"] == 4
    return ex


@pytest.fixture
def ex(client: TestClient) -> Ex:
    return played(client)


def ask(ex: Ex, body: dict[str, Any], role: str = "manager") -> Any:
    return ex.client.post(ex.url("whatif"), json=body, headers=ex.auth(role))


def ok(ex: Ex, body: dict[str, Any], role: str = "manager") -> dict[str, Any]:
    r = ask(ex, body, role)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def orders(result: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in result["processes"] if p["id"] == "orders")


def exported(ex: Ex) -> tuple[Any, int, list[Any]]:
    """The exercise's log as downloaded: bundle, seed, entries."""
    r = ex.client.get(ex.url("log"), headers=ex.auth("facilitator"))
    assert r.status_code == 200, r.text
    header, entries = read_log(r.text)
    assert header.seed is not None
    bundle = header.bundle or load_bundle(SMALL / "scenario.yaml")
    return bundle, header.seed, entries


def test_dropping_the_decision_gives_the_plain_run(ex: Ex) -> None:
    got = ok(ex, {"drop": 4})
    p = orders(got)
    assert (p["original"]["downtime_h"], p["original"]["impact_eur"]) == (4.0, 4000.0)
    assert (p["original"]["rto_breached"], p["original"]["mtpd_breached"]) == (False, False)
    assert (p["changed"]["downtime_h"], p["changed"]["impact_eur"], p["changed"]["breach_h"]) == (
        23.0, 23000.0, 19.0)  # fmt: skip
    assert (p["changed"]["rto_breached"], p["changed"]["mtpd_breached"]) == (True, True)
    assert p["diff"] == {"downtime_h": 19.0, "below_mbco_h": 19.0, "breach_h": 19.0,
                         "rto_breaches": 1, "mtpd_breaches": 1, "data_loss_h": 0.0,
                         "impact_eur": 19000.0}  # fmt: skip
    assert got["totals"]["diff"]["impact_eur"] == 19000.0 and got["montecarlo"] is None
    # The scenario's plain run (the script plays by itself, nobody decides):
    bundle = load_bundle(SMALL / "scenario.yaml")
    sim = Simulation(bundle, 3)
    sim.run()
    plain = summarize(bundle, sim.records, sim.horizon)
    for row in got["processes"]:
        q = plain.process(row["id"])
        c = row["changed"]
        assert (c["downtime_h"], c["below_mbco_h"], c["rto_breached"], c["mtpd_breached"],
                c["data_loss_h"], c["impact_eur"]) == (
            q.downtime_h, q.below_mbco_h, q.rto_breached, q.mtpd_breached, q.data_loss_h,
            q.impact_eur)  # fmt: skip
    # What the page draws, by hand: as played order entry is down T+1 h … T+5 h
    # and the impact reaches 4,000 EUR at T+5 h; without the standby it stays
    # down to the horizon, 23,000 EUR at T+24 h.
    drawn = got["timeline"]
    def outages(which: str) -> list[tuple[int, int | None, str]]:
        return [(iv["from"], iv["to"], iv["state"]) for iv in drawn[which]["intervals"]
                if iv["asset"] == "orders"]  # fmt: skip
    assert outages("original") == [(H, 5 * H, "down")]
    assert outages("changed")[0][:1] == (H,) and outages("changed")[-1][1] in (None, 24 * H)
    assert drawn["original"]["impact"][-1] == [24 * H, 4000.0]
    assert drawn["changed"]["impact"][-1] == [24 * H, 23000.0]
    assert got["end"] == 24 * H
    # The changed log: no decision left, numbered anew
    assert [e["kind"] for e in got["entries"]] == ["clock", "msel", "msel"]


@pytest.mark.parametrize(("body", "change", "downtime"), [
    ({"drop": 4}, Drop(4), 23.0),
    ({"replace": 4, "action": "restore_server"}, Replace(4, "restore_server"), 2.0),
    ({"move": 4, "to": "6h"}, Move(4, 6 * H), 7.0),  # up at T+8 h: past the RTO only
    ({"add": "2h", "action": "activate_standby"}, Add(2 * H, "activate_standby"), 3.0),
])  # fmt: skip
def test_each_change_is_the_simulators_what_if_of_the_exported_log(
    ex: Ex, body: dict[str, Any], change: Any, downtime: float,
) -> None:
    got = ok(ex, body)
    assert orders(got)["changed"]["downtime_h"] == downtime
    bundle, seed, entries = exported(ex)
    expected = whatif(bundle, seed, entries, change).to_dict()
    assert {k: v for k, v in got.items() if k not in ("timeline", "end", "caption")} == expected


def test_the_caption_names_the_decision_and_its_time(ex: Ex) -> None:
    """Entry 4 is "Activate the standby server", decided at T+3 h: the
    scenario starts Mon 16.02.2026 08:00 CET, so 11:00 CET."""
    got = ok(ex, {"drop": 4})
    assert got["caption"] == {
        "de": "Ohne die Entscheidung „Ersatzserver aktivieren“ bei T+03:00 (Mo 16.02. 11:00 MEZ)",
        "en": "Without the decision “Activate the standby server” at T+03:00 "
              "(Mon 16/02 11:00 CET)",
    }  # fmt: skip


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"drop": 99}, ["drop"], "no entry 99"),
    ({"drop": 1}, ["drop"], "not a decision"),  # entry 1 is the clock's jump
    ({"replace": 2, "action": "restore_server"}, ["replace"], "msel entry"),
    ({"replace": 4, "action": "evacuate"}, ["action"], "no action 'evacuate'"),
    ({"add": "2h", "action": "evacuate"}, ["action"], "its actions: activate_standby"),
    ({"move": 4, "to": "25h"}, ["to"], "beyond the horizon (T+24 h)"),
    ({"add": "1d1h", "action": "activate_standby"}, ["add"], "beyond the horizon"),
    ({"add": "soon", "action": "activate_standby"}, ["add"], "not a duration"),
    ({"move": 4}, ["to"], "required with move"),
    ({"add": "2h"}, ["action"], "required with replace or add"),
    ({"drop": 4, "action": "activate_standby"}, ["action"], "only with replace or add"),
    ({"drop": 4, "to": "2h"}, ["to"], "only with move"),
    ({"drop": 4, "move": 4, "to": "2h"}, [], "exactly one of drop, replace, move, add"),
    ({"drop": 4, "n": 201}, ["n"], "at most 200 replications"),
    ({"drop": 4, "n": 0}, ["n"], "greater than or equal to 1"),
    ({}, [], "exactly one"),
])  # fmt: skip
def test_bad_changes_are_422_naming_the_field(
    ex: Ex, body: dict[str, Any], field: list[str], words: str,
) -> None:
    r = ask(ex, body)
    assert field_of(r) == field, r.text
    error = r.json()["detail"][0]
    assert words in error["msg"] and error["msg_de"]


def test_the_errors_speak_german(ex: Ex) -> None:
    assert ask(ex, {"drop": 99}).json()["detail"][0]["msg_de"] == (
        "kein Eintrag 99 im Protokoll (es hat die Einträge 1 bis 4)")  # fmt: skip
    assert ask(ex, {"move": 4, "to": "25h"}).json()["detail"][0]["msg_de"] == (
        "T+25 Std. liegt nach dem Übungsende (T+24 Std.)")  # fmt: skip


def test_who_may_ask(ex: Ex) -> None:
    for role in ROLES:
        want = 403 if role == "participant" else 200
        assert ask(ex, {"drop": 4}, role).status_code == want, role
        r = ex.client.get(ex.url("decisions"), headers=ex.auth(role))
        assert r.status_code == want, (role, r.text)
    r = ex.client.post(f"{ex.url('whatif')}?token={ADMIN}", json={"drop": 4})
    assert r.status_code == 200
    assert ex.client.post(ex.url("whatif"), json={"drop": 4}).status_code == 401
    assert ex.client.get(ex.url("decisions") + "?token=wrong").status_code == 401
    r = ex.client.post("/api/exercises/nope/whatif", json={"drop": 4}, headers=ex.auth("manager"))
    assert r.status_code == 404
    # a what-if changes nothing
    assert [e["kind"] for e in ex.log()[1:]] == ["clock", "msel", "msel", "decision"]


def test_monte_carlo_on_common_random_numbers(ex: Ex) -> None:
    """Nothing is random in the small company: every replication plays alike,
    so the probabilities are 0 and 1 and the paired intervals have no width."""
    got = ok(ex, {"drop": 4, "n": 5})
    mc = got["montecarlo"]
    assert mc["n"] == 5 and mc["seed"] == 3
    p = next(row for row in mc["processes"] if row["id"] == "orders")
    assert (p["original"]["p_rto_breach"], p["changed"]["p_rto_breach"]) == (0.0, 1.0)
    assert (p["original"]["p_mtpd_breach"], p["changed"]["p_mtpd_breach"]) == (0.0, 1.0)
    assert p["diff"]["impact_eur"] == {"mean": 19000.0, "ci": [19000.0, 19000.0], "p95": 19000.0}
    assert p["diff"]["p_rto_breach"]["mean"] == 1.0
    assert mc["total_impact_eur"]["mean"] == 19000.0
    assert orders(got)["diff"]["impact_eur"] == 19000.0  # the log's own seed as well


def test_decision_values_are_the_simulators_of_the_exported_log(ex: Ex) -> None:
    r = ex.client.get(ex.url("decisions"), headers=ex.auth("manager"))
    assert r.status_code == 200, r.text
    got = r.json()
    bundle, seed, entries = exported(ex)
    assert got == json.loads(json.dumps(decision_values(bundle, seed, entries).to_dict()))
    (value,) = got["decisions"]
    # by hand: the standby avoided 19,000 EUR; at the first inject (T+1 h) it
    # would have been up at T+3 h, 2 h down instead of 4 h: 2,000 EUR more avoided
    assert (value["seq"], value["avoided_eur"], value["earlier_gain_eur"]) == (4, 19000.0, 2000.0)
    assert value["sentence"]["en"].startswith("“Activate the standby server” at T+3 h avoided")
    assert value["sentence"]["de"].startswith("„Ersatzserver aktivieren“ bei T+3 Std. vermied")
    # kept per log length: a new decision is valued on the next request
    ex.ok("clock", {"action": "jump", "by": "1h"})
    ex.ok("decisions", {"action": "restore_server"})
    again = ex.client.get(ex.url("decisions"), headers=ex.auth("observer")).json()
    assert [d["action"] for d in again["decisions"]] == ["activate_standby", "restore_server"]


def test_a_stored_exercise_after_a_restart(tmp_path: Path) -> None:
    """Not yet rebuilt since the start: the log is read from the database."""
    url = f"sqlite:///{tmp_path}/t.db"
    with TestClient(create_app(settings(url))) as c:
        ex = played(c)
        first = ok(ex, {"drop": 4})
    with TestClient(create_app(settings(url))) as c:
        again = Ex(c, ex.id, ex.tokens)
        assert c.app.state.manager.exercises.get(ex.id) is None  # lazy: not in memory
        assert ok(again, {"drop": 4}) == first
        assert c.get(again.url("decisions"), headers=again.auth("manager")).status_code == 200


def test_a_busy_server_says_when_to_come_back(ex: Ex) -> None:
    gate = Gate(1)
    ex.client.app.state.whatif_gate = gate  # type: ignore[attr-defined]
    assert gate._slots.acquire(blocking=False)  # another what-if is running
    try:
        for r in (ask(ex, {"drop": 4}), ex.client.get(ex.url("decisions"),
                                                      headers=ex.auth("manager"))):  # fmt: skip
            assert r.status_code == 503, r.text
            assert r.headers["Retry-After"] == "5" and "try again" in r.json()["detail"]
    finally:
        gate._slots.release()
    assert ask(ex, {"drop": 4}).status_code == 200


def test_too_many_decisions_to_value(tmp_path: Path) -> None:
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/t.db",
                                        valued_decisions=1))) as c:  # fmt: skip
        ex = played(c)
        ex.ok("decisions", {"action": "restore_server"})
        r = c.get(ex.url("decisions"), headers=ex.auth("manager"))
        assert r.status_code == 409 and "tabletop decisions" in r.json()["detail"]


def test_another_decision_plays_another_script(tmp_path: Path) -> None:
    """On the dairy blackout, renting a generator at T+6 h spares the rental
    company's call at T+12 h (trigger no_rental_generator); the what-if
    without that decision names the trigger it sets off."""
    dairy = Path(__file__).resolve().parent.parent / "scenarios"
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/d.db", scenarios_dir=dairy))
                    ) as client:  # fmt: skip
        r = client.post("/api/exercises", json={"scenario": "dairy/blackout.yaml"})
        ex = Ex(client, r.json()["id"], r.json()["tokens"])
        ex.ok("clock", {"action": "jump", "by": "6h"})
        seq = ex.ok("decisions", {"action": "rent_generator"})["seq"]
        result = ok(ex, {"drop": seq})
    fired = result["triggers"]
    assert not any(f["trigger"] == "no_rental_generator" for f in fired["original"])
    assert {"trigger": "no_rental_generator", "at_h": 12.0} in fired["changed"]


def test_a_release_other_dice_made_moot_is_counted_not_a_409(client: TestClient) -> None:
    """tests/data/whatif/moot.yaml: the server fails at a random time (T+2.36 h on
    seed 3) and the alarm inject plays then; the facilitator released it at T+2 h.
    Over several runs the release is passed over where the failure came first — the
    count is the simulator's (tests/test_whatif.py derives it) — not a 409."""
    r = client.post("/api/exercises", json={"scenario": "moot.yaml", "seed": 3})
    assert r.status_code == 201, r.text
    ex = Ex(client, r.json()["id"], r.json()["tokens"])
    ex.ok("clock", {"action": "jump", "by": "2h"})
    ex.ok("injects", {"release": "alarm"})
    seq = ex.ok("decisions", {"action": "activate_standby"})["seq"]
    got = ok(ex, {"drop": seq, "n": 20})
    bundle, seed, entries = exported(ex)
    expected = whatif(bundle, seed, entries, Drop(seq), n=20)
    assert expected.risk is not None and expected.risk.skipped  # the case at hand
    [skipped] = got["montecarlo"]["skipped"]
    assert skipped == expected.risk.skipped[0].to_dict()
    assert skipped["text"]["de"].startswith(f"In {skipped['runs']} von 20 Durchläufen "
                                            "übersprungen: Freigabe der Einlage „Monitoring")


def test_a_refusal_on_other_dice_says_why_in_both_languages(client: TestClient) -> None:
    """The facilitator released the escalation the failure suggested at T+2.5 h; on
    dice where the server fails later there is nothing to release: a 409 naming the
    run and the entry, in German too."""
    r = client.post("/api/exercises", json={"scenario": "moot.yaml", "seed": 3})
    ex = Ex(client, r.json()["id"], r.json()["tokens"])
    ex.ok("clock", {"action": "jump", "by": "150min"})
    ex.ok("triggers", {"trigger": "escalation", "action": "release"})
    seq = ex.ok("decisions", {"action": "activate_standby"})["seq"]
    r = ask(ex, {"drop": seq, "n": 20})
    assert r.status_code == 409, r.text
    body = r.json()
    assert "(other random draws) log entry" in body["detail"]
    assert "trigger 'escalation' has no suggested inject open" in body["detail"]
    assert "(andere Zufallszahlen) lässt sich Protokolleintrag" in body["detail_de"]
    assert "(release): release:" not in body["detail"]
