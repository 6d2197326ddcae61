"""Objectives: each check judged by hand on a small run, and the live
state the stream carries equal to the judgement of a replay at that time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.analysis.metrics import Taken, breach_moments, evaluate_objectives, summarize
from simulator.engine.records import EVENT_DATA_LOSS, Record, state_of
from simulator.exercise.audience import FULL, PLAYER
from simulator.exercise.log import make_header
from simulator.exercise.objectives import evaluate, result_view, taken_actions
from simulator.exercise.replay import replay
from simulator.exercise.session import Exercise
from simulator.exercise.views import Publication
from simulator.model.schema import Company, Scenario, ScenarioBundle
from simulator.readwrite.io import load_bundle

H = 3600
DAIRY = Path(__file__).resolve().parent.parent / "scenarios" / "dairy" / "ransomware.yaml"

OBJECTIVES = [
    {"id": "rto", "title": "t", "check": "within_rto", "process": "orders"},
    {"id": "mtpd", "title": "t", "check": "within_mtpd", "process": "orders"},
    {"id": "orders_eur", "title": "t", "check": "max_impact", "process": "orders", "amount": 5000},
    {"id": "all_eur", "title": "t", "check": "max_impact", "amount": 10000},
    {"id": "data", "title": "t", "check": "no_data_loss", "process": "orders"},
    {"id": "billing_data", "title": "t", "check": "no_data_loss", "process": "billing"},
    {"id": "paper", "title": "t", "check": "decision_before", "action": "paper", "by": "3h"},
]


def small() -> ScenarioBundle:
    """orders (RTO 4h, MTPD 1d, MBCO 0.5, 1000 EUR/h) stands on the data asset
    db; billing (500 EUR/h) on nothing."""
    bia = {"rto": "4h", "mtpd": "1d", "mbco": 0.5}
    company = Company.model_validate({"company": {"id": "c", "name": "C"}, "assets": [
        {"id": "db", "kind": "data"},
        {"id": "orders", "kind": "business_process", "needs": [{"all_of": ["db"]}],
         "bia": {**bia, "impact_per_hour": 1000}},
        {"id": "billing", "kind": "business_process", "bia": {**bia, "impact_per_hour": 500}},
    ]})  # fmt: skip
    scenario = Scenario.model_validate({
        "scenario": {"id": "s", "title": "t"}, "company": "c.yaml", "horizon": "2d",
        "actions": [{"id": "paper", "title": "Paper", "do": [{"action": "down", "asset": "db"}]}],
        "objectives": OBJECTIVES,
    })  # fmt: skip
    return ScenarioBundle(scenario=scenario, company=company)


def records() -> list[Record]:
    """orders out [1h, 7h); billing out [2h, 4h); db loses 3.5 h of data at 1h."""
    out: list[Record] = []
    for hours, asset, before, after in [(1, "orders", 1.0, 0.0), (2, "billing", 1.0, 0.0),
                                        (4, "billing", 0.0, 1.0), (7, "orders", 0.0, 1.0)]:
        out.append(Record(seq=len(out), t=hours * H, event="state", asset=asset, before=before,
                          after=after, state=state_of(after), cause="test"))  # fmt: skip
        if hours == 1:
            out.append(Record(seq=len(out), t=H, event=EVENT_DATA_LOSS, asset="db", detail="3.5"))
    return out


def judged(horizon: int, now: int | None, taken: dict[str, Taken]) -> dict[str, Any]:
    b, rs = small(), records()
    results = evaluate_objectives(b, summarize(b, rs, horizon), now=now, taken=taken,
                                  breaches=breach_moments(b, rs, horizon))  # fmt: skip
    return {r.id: (r.state, r.met, r.evidence) for r in results}


def test_each_check_by_hand_at_the_end() -> None:
    got = judged(2 * 86400, None, {"paper": Taken(2 * H, "p-anna", "krisenstab")})
    # orders out 6 h below its MBCO: past the RTO (4 h) at 1h + 4h, not past the MTPD
    assert got["rto"][:2] == ("missed", False) and got["rto"][2]["breach_at"] == 5 * H
    assert got["mtpd"][:2] == ("met", True) and got["mtpd"][2]["breach_at"] is None
    # 6 h x 1000 EUR = 6000 > 5000; with billing's 2 h x 500: 7000 <= 10000
    assert got["orders_eur"] == ("missed", False, {"impact_eur": 6000.0, "amount": 5000.0})
    assert got["all_eur"] == ("met", True, {"impact_eur": 7000.0, "amount": 10000.0})
    assert got["data"] == ("missed", False, {"data_loss_h": 3.5})
    assert got["billing_data"] == ("met", True, {"data_loss_h": None})
    assert got["paper"] == ("met", True, {"action": "paper", "by": 3 * H, "taken_at": 2 * H,
                                          "actor": "p-anna", "team": "krisenstab"})  # fmt: skip


def test_decision_before_late_missing_and_pending() -> None:
    assert judged(2 * 86400, None, {"paper": Taken(4 * H)})["paper"][:2] == ("missed", False)
    assert judged(2 * 86400, None, {})["paper"][:2] == ("missed", False)  # run over: not taken
    assert judged(3 * H, 3 * H, {})["paper"][:2] == ("pending", False)  # 3h is still in time
    assert judged(3 * H + 1, 3 * H + 1, {})["paper"][:2] == ("missed", False)


def test_states_part_way() -> None:
    """At 3h: orders out for 2 h (within its RTO, still out: pending), 2000 EUR;
    billing out 1 h, 500 EUR."""
    got = judged(3 * H, 3 * H, {})
    assert got["rto"][:2] == ("pending", True) and got["rto"][2]["out"] is True
    assert got["orders_eur"][:2] == ("met", True) and got["orders_eur"][2]["impact_eur"] == 2000
    assert got["all_eur"][2]["impact_eur"] == 2500.0
    # at 5h exactly the outage is 4 h long: not yet past the RTO; one second later it is
    assert judged(5 * H, 5 * H, {})["rto"][:2] == ("pending", True)
    assert judged(5 * H + 1, 5 * H + 1, {})["rto"][0] == "missed"


def test_live_state_equals_a_replay_at_each_time() -> None:
    """The stream's objective states (read models, log cursor) at several
    times equal a summary of the replayed log at those times."""
    bundle, seed = load_bundle(DAIRY), 1
    ex = Exercise(bundle, seed)
    pub = Publication(ex)
    ex.run_until(H)
    ex.apply(ex.command("participant", "decision", {"action": "isolate_ot"}))
    for checked, t in enumerate((H + 60, 2 * H, 9 * H, 30 * H, 2 * 86400 + 3 * H, 5 * 86400)):
        ex.run_until(t)
        live = pub.message(FULL, full=checked % 2 == 0)["objectives"]
        pub.sent()
        again = replay(make_header(bundle, seed), ex.log, until=t)
        results = evaluate_objectives(
            bundle, summarize(bundle, again.sim.records, t), now=t,
            taken=taken_actions(again.log), breaches=breach_moments(bundle, again.sim.records, t))
        assert live == [result_view(bundle, r, False) for r in results], t
        assert live == [result_view(bundle, r, False) for r in evaluate(ex)]
    states = {o["id"]: o["state"] for o in live}
    assert states["isolate_early"] == "met" and states["orders_no_loss"] == "missed"
    early = next(o for o in live if o["id"] == "isolate_early")
    assert early["evidence"]["taken_at"] == H and early["evidence"]["actor"] == "participant"
    # players know their objectives, not who decided
    seen = pub.message(PLAYER, full=True)["objectives"]
    assert [o["state"] for o in seen] == [o["state"] for o in live]
    assert "actor" not in next(o for o in seen if o["id"] == "isolate_early")["evidence"]


@pytest.mark.parametrize("entry", [
    {"check": "max_impact"},
    {"check": "decision_before", "action": "paper"},
])  # fmt: skip
def test_a_check_without_its_field_is_refused(entry: dict[str, Any]) -> None:
    from simulator.model.validation import check_scenario

    b = small()
    scenario = b.scenario.model_copy(update={"objectives": [
        type(b.scenario.objectives[0]).model_validate({"id": "x", "title": "t", **entry})]})
    found = check_scenario(scenario, b.company)
    assert found and found[0][0][-1] in ("amount", "by")
