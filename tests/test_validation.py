"""The semantic checks as pure functions: models in, (location, message) out."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest

from simulator.model.schema import Company, Scenario
from simulator.model.validation import (
    Problem,
    ScenarioError,
    check_company,
    check_scenario,
    render_loc,
    suggestion,
)

CTX = {"from_file": True}

PROCESS = {
    "id": "orders",
    "kind": "business_process",
    "needs": [{"id": "erp", "all_of": ["app"]}],
    "bia": {"rto": "4h", "mtpd": "1d"},
    "workaround": {"capacity": 0.3, "covers": ["erp"]},
}
BASE = [
    {"id": "grid", "kind": "utility"},
    {"id": "site", "kind": "site", "needs": [{"all_of": ["grid"]}]},
    {"id": "server", "kind": "it_system", "location": "site", "standby": {"lead_time": "1h"}},
    {"id": "app", "kind": "application", "needs": [{"all_of": ["server"]}]},
    PROCESS,
]


def company(*extra: dict[str, Any], teams: dict[str, Any] | None = None) -> Company:
    return Company.model_validate(
        {
            "company": {"id": "c", "name": "C"},
            "teams": teams if teams is not None else {"it": {"size": 1}},
            "assets": [*BASE, *extra],
        },
        context=CTX,
    )


def scenario(**fields: Any) -> Scenario:
    return Scenario.model_validate(
        {"scenario": {"id": "s", "title": "t"}, "company": "c.yaml", **fields}, context=CTX
    )


def test_valid_models_have_no_findings() -> None:
    assert check_company(company()) == []
    s = scenario(
        hazards=[{"at": "1h", "hazard": {"type": "outage", "assets": ["grid"]}}],
        injects=[{"id": "i", "at": "2h", "title": "t", "do": [{"action": "down", "asset": "app"}]}],
        actions=[
            {"id": "a", "title": "t", "do": [{"action": "activate_standby", "asset": "server"}]},
            {"id": "b", "title": "t", "do": [{"action": "start_workaround", "process": "orders"}]},
            {"id": "c", "title": "t", "do": [{"action": "add_team", "team": "it", "count": 2}]},
        ],
        objectives=[{"id": "o", "title": "t", "process": "orders", "check": "within_rto"}],
    )
    assert check_scenario(s, company()) == []


# extra asset(s), expected location, part of the message
COMPANY_CASES: list[tuple[list[dict[str, Any]], tuple[str | int, ...], str]] = [
    ([{"id": "grid", "kind": "utility"}], ("assets", 5, "id"),
     "duplicate asset id 'grid' (first at assets[0].id)"),
    ([{"id": "x", "kind": "data", "needs": [{"id": "n", "all_of": ["grid"]},
                                            {"id": "n", "all_of": ["site"]}]}],
     ("assets", 5, "needs", 1, "id"), "duplicate need id 'n' in asset 'x' (first at assets[5].needs[0].id)"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid"]},
                                            {"id": "physical-1", "all_of": ["site"]}]}],
     ("assets", 5, "needs", 1, "id"), "a need without an id is called '<type>-<position>'"),
    ([{"id": "x", "kind": "data", "needs": [
        {"all_of": ["grid"], "buffers": [{"id": "b", "capacity": "1h"}]},
        {"all_of": ["site"], "buffers": [{"id": "b", "capacity": "1h"}]}]}],
     ("assets", 5, "needs", 1, "buffers", 0, "id"), "duplicate buffer id 'b' in asset 'x'"),
    ([{"id": "x", "kind": "data", "needs": [{"any_of": ["grid", {"asset": "grd", "share": 0.5}]}]}],
     ("assets", 5, "needs", 0, "any_of", 1, "asset"), "unknown asset 'grd'; did you mean 'grid'?"),
    ([{"id": "x", "kind": "data", "needs": [{"k_of_n": {"k": 1, "of": ["grid", "nope"]}}]}],
     ("assets", 5, "needs", 0, "k_of_n", "of", 1), "unknown asset 'nope'"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid", "x"]}]}],
     ("assets", 5, "needs", 0, "all_of", 1), "asset 'x' depends on itself"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid", "grid"]}]}],
     ("assets", 5, "needs", 0, "all_of", 1), "asset 'grid' is listed twice in this need"),
    ([{"id": "x", "kind": "data", "needs": [{"k_of_n": {"k": 2, "of": ["grid"]}}]}],
     ("assets", 5, "needs", 0, "k_of_n", "k"), "k is 2 but the group has only 1 member"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid"], "buffers": [
        {"id": "b", "capacity": "1h", "via": "gen"}]}]}],
     ("assets", 5, "needs", 0, "buffers", 0, "via"), "unknown asset 'gen'"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid"], "buffers": [
        {"id": "b", "capacity": "1h", "initial": "2h"}]}]}],
     ("assets", 5, "needs", 0, "buffers", 0, "initial"), "initial 2h exceeds the capacity 1h"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid"], "buffers": [
        {"id": "b", "capacity": "1h", "resupply": {"by": "truck", "amount": "30min"}}]}]}],
     ("assets", 5, "needs", 0, "buffers", 0, "resupply", "by"), "unknown asset 'truck'"),
    ([{"id": "x", "kind": "data", "needs": [{"all_of": ["grid"], "buffers": [
        {"id": "b", "capacity": "1h", "resupply": {"by": "site", "amount": "2h"}}]}]}],
     ("assets", 5, "needs", 0, "buffers", 0, "resupply", "amount"),
     "amount 2h exceeds the buffer capacity 1h"),
    ([{"id": "x", "kind": "data", "recovery": {"time": "1h", "team": "ops"}}],
     ("assets", 5, "recovery", "team"), "unknown team 'ops'"),
    ([{"id": "x", "kind": "data", "recovery": {"time": "1h", "requires": ["grid", "net"]}}],
     ("assets", 5, "recovery", "requires", 1), "unknown asset 'net'"),
    ([{"id": "x", "kind": "data", "recovery": {"time": "1h", "requires": ["x"]}}],
     ("assets", 5, "recovery", "requires", 0), "cannot require itself"),
    ([{"id": "x", "kind": "data", "recovery": {
        "time": {"dist": "triangular", "min": "2h", "mode": "1h", "max": "3h"}}}],
     ("assets", 5, "recovery", "time"), "triangular distribution needs min <= mode <= max"),
    ([{"id": "x", "kind": "data", "recovery": {
        "time": {"dist": "uniform", "min": "2h", "max": "1h"}}}],
     ("assets", 5, "recovery", "time"), "uniform distribution needs min <= max"),
    ([{"id": "x", "kind": "data", "needs": [{"any_of": [{"asset": "grid", "share": 0.5}]}]}],
     ("assets", 5, "needs", 0, "any_of"),
     "the shares add up to 0.5, less than the 1 this need asks for: it would never be fully met"),
    ([{"id": "x", "kind": "data", "needs": [{"k_of_n": {"k": 2, "of": [
        "grid", {"asset": "site", "share": 0.5}]}}]}],
     ("assets", 5, "needs", 0, "k_of_n"), "the shares add up to 1.5, less than the 2"),
    ([{"id": "x", "kind": "data", "location": "sit"}],
     ("assets", 5, "location"), "unknown asset 'sit'; did you mean 'site'?"),
    ([{"id": "x", "kind": "data", "location": "server"}],
     ("assets", 5, "location"), "location 'server' is a it_system asset, not a site"),
    ([{"id": "x", "kind": "data", "bia": {"rto": "1h", "mtpd": "2h"}}],
     ("assets", 5, "bia"), "bia is only for business_process assets, not data"),
    ([{"id": "x", "kind": "business_process"}],
     ("assets", 5, "bia"), "a business_process needs a bia"),
    ([{"id": "x", "kind": "data", "workaround": {"capacity": 0.5}}],
     ("assets", 5, "workaround"), "a workaround is only for business_process assets"),
    ([{**PROCESS, "id": "p2", "workaround": {"capacity": 0.5, "covers": ["erpp"]}}],
     ("assets", 5, "workaround", "covers", 0), "unknown need 'erpp' of asset 'p2'; did you mean 'erp'?"),
    ([{**PROCESS, "id": "p2", "workaround": {"capacity": 0.5, "covers": ["zzz"]}}],
     ("assets", 5, "workaround", "covers", 0), "(its needs: erp)"),
    ([{"id": "a", "kind": "data", "needs": [{"all_of": ["b"]}]},
      {"id": "b", "kind": "data", "needs": [{"type": "cyber", "all_of": ["c"]}]},
      {"id": "c", "kind": "data", "needs": [{"any_of": ["grid", "a"]}]}],
     ("assets", 5, "needs", 0), "instant dependency cycle: a -> b -> c -> a"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "loc", "message"), COMPANY_CASES)
def test_company_check(
    extra: list[dict[str, Any]], loc: tuple[str | int, ...], message: str
) -> None:
    findings = check_company(company(*extra))
    assert len(findings) == 1, findings
    assert findings[0][0] == loc
    assert message in findings[0][1]


def test_unknown_team_without_teams() -> None:
    c = company({"id": "x", "kind": "data", "recovery": {"time": "1h", "team": "it"}}, teams={})
    assert check_company(c) == [
        (("assets", 5, "recovery", "team"), "unknown team 'it': the company defines no teams")
    ]


@pytest.mark.parametrize(
    "needs",
    [
        [{"all_of": ["y"], "delay": "5min"}],
        [{"all_of": ["y"], "buffers": [{"id": "ups", "capacity": "10min"}]}],
    ],
)
def test_cycles_with_delay_or_buffer_are_allowed(needs: list[dict[str, Any]]) -> None:
    c = company(
        {"id": "x", "kind": "data", "needs": needs},
        {"id": "y", "kind": "data", "needs": [{"all_of": ["x"]}]},
    )
    assert check_company(c) == []


def test_broken_ids_count_as_known() -> None:
    c = company({"id": "x", "kind": "data", "needs": [{"all_of": ["left-out"]}]})
    assert check_company(c, broken={"left-out"}) == []
    s = scenario(hazards=[{"hazard": {"type": "outage", "assets": ["left-out"]}}])
    assert check_scenario(s, c, broken={"left-out"}) == []


def _inject(*do: dict[str, Any], at: str = "1h", id: str = "i") -> dict[str, Any]:
    return {"id": id, "at": at, "title": "t", "do": list(do)}


SCENARIO_CASES: list[tuple[dict[str, Any], tuple[str | int, ...], str]] = [
    ({"hazards": [{"hazard": {"type": "outage", "assets": ["grid", "gridd"]}}]},
     ("hazards", 0, "hazard", "assets", 1), "unknown asset 'gridd'; did you mean 'grid'?"),
    ({"hazards": [{"at": "8d", "hazard": {"type": "outage", "assets": ["grid"]}}]},
     ("hazards", 0, "at"), "8d is after the end of the scenario (horizon 7d)"),
    ({"injects": [_inject({"action": "degrade", "asset": "sever", "capacity": 0.5})]},
     ("injects", 0, "do", 0, "asset"), "unknown asset 'sever'; did you mean 'server'?"),
    ({"horizon": "1d", "injects": [_inject(at="2d")]},
     ("injects", 0, "at"), "2d is after the end of the scenario (horizon 1d)"),
    ({"injects": [_inject(), _inject()]}, ("injects", 1, "id"), "duplicate inject id 'i'"),
    ({"injects": [_inject({"action": "activate_standby", "asset": "app"})]},
     ("injects", 0, "do", 0, "asset"), "asset 'app' has no standby to activate"),
    ({"injects": [_inject({"action": "deactivate_standby", "asset": "app"})]},
     ("injects", 0, "do", 0, "asset"), "asset 'app' has no standby to deactivate"),
    ({"injects": [_inject({"action": "stop_workaround", "process": "app"})]},
     ("injects", 0, "do", 0, "process"), "asset 'app' has no workaround"),
    ({"injects": [_inject({"action": "start_workaround", "process": "order"})]},
     ("injects", 0, "do", 0, "process"), "unknown asset 'order'; did you mean 'orders'?"),
    ({"injects": [_inject({"action": "hazard", "hazard": {"type": "outage", "assets": ["x"]}})]},
     ("injects", 0, "do", 0, "hazard", "assets", 0), "unknown asset 'x'"),
    ({"actions": [{"id": "a", "title": "t", "do": [{"action": "add_team", "team": "itt", "count": 1}]}]},
     ("actions", 0, "do", 0, "team"), "unknown team 'itt'; did you mean 'it'?"),
    ({"actions": [{"id": "a", "title": "t", "do": [{"action": "isolate", "asset": "nope"}]}]},
     ("actions", 0, "do", 0, "asset"), "unknown asset 'nope'"),
    ({"actions": [{"id": "a", "title": "t", "do": [{"action": "message", "text": "x"}]}] * 2},
     ("actions", 1, "id"), "duplicate action id 'a'"),
    ({"objectives": [{"id": "o", "title": "t", "process": "ordrs", "check": "within_rto"}]},
     ("objectives", 0, "process"), "unknown asset 'ordrs'; did you mean 'orders'?"),
    ({"objectives": [{"id": "o", "title": "t", "process": "app", "check": "within_mtpd"}]},
     ("objectives", 0, "process"), "'app' is a application asset, not a business_process"),
    ({"objectives": [{"id": "o", "title": "t", "process": "orders", "check": "within_rto"}] * 2},
     ("objectives", 1, "id"), "duplicate objective id 'o'"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "loc", "message"), SCENARIO_CASES)
def test_scenario_check(fields: dict[str, Any], loc: tuple[str | int, ...], message: str) -> None:
    findings = check_scenario(scenario(**fields), company())
    assert len(findings) == 1, findings
    assert findings[0][0] == loc
    assert message in findings[0][1]


def test_suggestions_are_bounded() -> None:
    """Each suggestion scans every id: a huge company with thousands of bad
    references must not take minutes, so only the first ones get a hint."""
    many = [
        {"id": f"asset-{i:03}", "kind": "data", "needs": [{"all_of": [f"asset-{i:03}z"]}]}
        for i in range(80)
    ]
    findings = check_company(company(*many))
    assert len(findings) == 80
    assert sum("did you mean" in message for _, message in findings) == 50


def test_helpers() -> None:
    assert render_loc(("assets", 3, "needs", 0, "any_of")) == "assets[3].needs[0].any_of"
    assert render_loc(()) == ""
    assert suggestion("sever", ["server", "grid"]) == "; did you mean 'server'?"
    assert suggestion("zzz", ["server"]) == ""
    error = ScenarioError([Problem("a.yaml", 1, "x", "bad"), Problem("b.yaml", None, "y", "worse")])
    assert str(error) == "a.yaml:1: x: bad\nb.yaml: y: worse"
    assert len(error.problems) == 2


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(
    hypothesis.strategies.dictionaries(
        hypothesis.strategies.sampled_from("abcdefgh"),
        hypothesis.strategies.lists(hypothesis.strategies.sampled_from("abcdefghij"), max_size=3),
    )
)
def test_find_cycle_agrees_with_networkx(graph: dict[str, list[str]]) -> None:
    import networkx as nx

    from simulator.model.validation import _find_cycle

    g = nx.DiGraph([(a, b) for a, bs in graph.items() for b in bs if b in graph])
    ring = _find_cycle(graph)
    assert bool(ring) == (not nx.is_directed_acyclic_graph(g))
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        assert b in graph[a]
