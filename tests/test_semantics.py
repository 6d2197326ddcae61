"""The documented semantic choices of issue 9 (scenarios/README.md, "Semantic
choices"), each on a hand-computed case: staged power restoration of whole
feeds, a generator recharging the UPS, when a restart applies, when an
impact episode starts.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_bundle

from simulator.analysis.metrics import summarize
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.hazards.power import feeds_back

H = 3600


def states(records: list[Record], asset: str) -> list[tuple[float, float]]:
    """(hour, capacity after) of the state changes of `asset`, the last one of
    an instant winning (as in the metrics: two commands of one inject are one
    change)."""
    out: dict[float, float] = {}
    for r in records:
        if r.event == "state" and r.asset == asset and r.after is not None:
            out.pop(r.t / H, None)
            out[r.t / H] = r.after
    return list(out.items())


def play(bundle: Any) -> list[Record]:
    sim = Simulation(bundle)
    sim.run()
    return sim.records


def inject(at: str, *do: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"m{at}{len(do)}{do[0]['action']}", "at": at, "title": "t", "do": list(do)}


# --- staged power restoration: whole feeds, rounded down, in the order listed --------


def feeds(n: int) -> list[dict[str, Any]]:
    return [{"id": f"feed{i}", "kind": "utility", "utility": "power"} for i in range(n)]


def koepenick(n: int) -> list[Record]:
    return play(make_bundle(feeds(n), hazards=[{"at": "1h", "hazard": {
        "type": "power_failure", "assets": [f"feed{i}" for i in range(n)],
        "stages": "koepenick-2019"}}]))  # fmt: skip


def test_a_single_feed_returns_only_with_full_restoration() -> None:
    # Köpenick: half the customers back at 28.5 h, all at 31 h. One feed:
    # floor(0.5 x 1) = 0 feeds at the first stage, so it stays dark until
    # 1 h + 31 h = 32 h (rounding up would have brought it back at 29.5 h).
    assert states(koepenick(1), "feed0") == [(1.0, 0.0), (32.0, 1.0)]


def test_an_odd_number_of_feeds_rounds_the_first_half_down() -> None:
    # Three feeds: floor(0.5 x 3) = floor(1.5) = 1 at 1 h + 28.5 h = 29.5 h,
    # the first listed; the other two with the last stage at 32 h.
    recs = koepenick(3)
    assert [states(recs, f"feed{i}") for i in range(3)] == [
        [(1.0, 0.0), (29.5, 1.0)], [(1.0, 0.0), (32.0, 1.0)], [(1.0, 0.0), (32.0, 1.0)],
    ]  # fmt: skip


def test_the_list_order_says_which_feeds_come_first() -> None:
    b = make_bundle(feeds(4), hazards=[{"at": "0h", "hazard": {
        "type": "power_failure", "assets": ["feed3", "feed1", "feed0", "feed2"],
        "stages": [{"after": "2h", "share": 0.25}, {"after": "5h", "share": 0.75},
                   {"after": "9h", "share": 1}]}}])  # fmt: skip
    recs = play(b)
    # floor(0.25 x 4) = 1: feed3 at 2 h; floor(0.75 x 4) = 3: feed1, feed0 at 5 h;
    # feed2 last at 9 h.
    back = {f"feed{i}": states(recs, f"feed{i}")[-1][0] for i in range(4)}
    assert back == {"feed3": 2.0, "feed1": 5.0, "feed0": 5.0, "feed2": 9.0}


def test_rounding_down_is_not_fooled_by_binary_fractions() -> None:
    # 0.29 x 100 is 28.999999999999996 in binary floating point, meant as 29.
    assert feeds_back(0.29, 100) == 29
    assert feeds_back(0.5, 3) == 1
    assert feeds_back(0.999, 10) == 9
    assert feeds_back(1.0, 7) == 7


# --- a running generator recharges the UPS ------------------------------------------


def generator_site(*injects: dict[str, Any]) -> list[Record]:
    assets = [
        {"id": "grid", "kind": "utility", "utility": "power"},
        {"id": "generator", "kind": "utility", "utility": "power"},
        {"id": "site", "kind": "site", "needs": [{"all_of": ["grid"], "buffers": [
            {"id": "ups", "capacity": "30min", "refill": "2h"},
            {"id": "fuel", "capacity": "10h", "via": "generator"}]}]},
    ]  # fmt: skip
    hazards = [{"at": "1h", "hazard": {"type": "power_failure", "assets": ["grid"],
                                       "duration": "39h"}}]  # fmt: skip
    return play(make_bundle(assets, hazards=hazards, injects=list(injects), horizon="3d"))


def test_the_ups_bridges_again_when_the_generator_runs_dry() -> None:
    # Grid out 1 h .. 40 h. UPS 1 h .. 1.5 h, then the generator's 10 h of fuel
    # until 11.5 h; meanwhile the UPS recharges (2 h from empty, full by 3.5 h)
    # and bridges another 30 min: the site goes down at 12 h, not 11.5 h.
    assert states(generator_site(), "site") == [(12.0, 0.0), (40.0, 1.0)]


def test_the_ups_bridges_a_generator_failure_after_recharging() -> None:
    # UPS 1 .. 1.5 h; generator from 1.5 h, it fails at 5 h for 2 h with
    # 10 - 3.5 = 6.5 h of fuel left. The UPS, recharged by 3.5 h, bridges
    # 5 .. 5.5 h; down 5.5 .. 7 h. The repaired generator takes the load at
    # 7 h (the empty UPS recharges by 9 h) and runs dry at 7 + 6.5 = 13.5 h;
    # the UPS bridges to 14 h. Grid back at 40 h.
    recs = generator_site(inject("5h", {"action": "down", "asset": "generator", "duration": "2h"}))
    assert states(recs, "site") == [(5.5, 0.0), (7.0, 1.0), (14.0, 0.0), (40.0, 1.0)]


def test_a_recharging_ups_does_not_take_the_load_back_from_the_generator() -> None:
    # The generator runs from 1.5 h. At 5 h the site itself is degraded for
    # an hour, which re-evaluates its power need; the load must stay on the
    # generator, not go back to the recharged UPS: the fuel burns 1.5 .. 11.5 h
    # without a gap and the full UPS bridges 11.5 .. 12 h. (Handing the load
    # back would empty the UPS at 5.5 h and the fuel only at 12 h.)
    recs = generator_site(inject("5h", {"action": "degrade", "asset": "site",
                                        "capacity": 0.9, "duration": "1h"}))  # fmt: skip
    empty = [(r.t / H, r.detail) for r in recs if r.event == "buffer_empty"]
    assert empty == [(1.5, "ups"), (11.5, "fuel"), (12.0, "ups")]


# --- restart: after every stop, never after running degraded ------------------------


def line(*injects: dict[str, Any]) -> list[Record]:
    assets = [
        {"id": "feed_a", "kind": "utility", "utility": "power"},
        {"id": "feed_b", "kind": "utility", "utility": "power"},
        {"id": "line", "kind": "equipment", "restart": "2h", "needs": [
            {"any_of": [{"asset": "feed_a", "share": 0.5}, {"asset": "feed_b", "share": 0.5}]}]},
    ]  # fmt: skip
    return play(make_bundle(assets, injects=list(injects), horizon="2d"))


def test_restart_after_the_assets_own_timed_damage_heals() -> None:
    # Down 1 h .. 4 h by its own damage; the restart (2 h) follows: up at 6 h.
    recs = line(inject("1h", {"action": "down", "asset": "line", "duration": "3h"}))
    assert states(recs, "line") == [(1.0, 0.0), (6.0, 1.0)]


def test_restart_after_a_restore_command() -> None:
    recs = line(inject("1h", {"action": "down", "asset": "line"}),
                inject("5h", {"action": "restore", "asset": "line"}))
    assert states(recs, "line") == [(1.0, 0.0), (7.0, 1.0)]


def test_restart_after_the_supply_returns_from_a_total_loss() -> None:
    recs = line(inject("1h", {"action": "down", "asset": "feed_a", "duration": "3h"},
                       {"action": "down", "asset": "feed_b", "duration": "3h"}))
    assert states(recs, "line") == [(1.0, 0.0), (6.0, 1.0)]


def test_no_restart_after_a_partial_supply_loss() -> None:
    # One of two half feeds out 1 h .. 4 h: the line runs at 0.5 and never
    # stops, so it is back to full at once when the feed returns.
    recs = line(inject("1h", {"action": "down", "asset": "feed_a", "duration": "3h"}))
    assert states(recs, "line") == [(1.0, 0.5), (4.0, 1.0)]


def test_no_restart_after_own_partial_damage() -> None:
    recs = line(inject("1h", {"action": "degrade", "asset": "line", "capacity": 0.3,
                              "duration": "3h"}))  # fmt: skip
    assert states(recs, "line") == [(1.0, 0.3), (4.0, 1.0)]


def test_a_restart_from_a_stop_runs_at_the_capacity_the_supply_allows() -> None:
    # Both feeds out 1 h; feed_a back at 3 h: the stopped line restarts (2 h)
    # and runs at 0.5 from 5 h; feed_b back at 8 h: no second restart.
    recs = line(inject("1h", {"action": "down", "asset": "feed_a", "duration": "2h"},
                       {"action": "down", "asset": "feed_b", "duration": "7h"}))
    assert states(recs, "line") == [(1.0, 0.0), (5.0, 0.5), (8.0, 1.0)]


# --- impact episodes start at the first loss of capacity, not at the MBCO -----------

STEP_CURVE = [{"after": "0h", "per_hour": 1000}, {"after": "24h", "per_hour": 4000}]


def impact(*injects: dict[str, Any]) -> float:
    b = make_bundle([{"id": "p", "kind": "business_process", "bia": {
        "rto": "8h", "mtpd": "3d", "mbco": 0.5, "impact": STEP_CURVE}}],
        injects=list(injects), horizon="3d")  # fmt: skip
    return summarize(b, play(b), b.scenario.horizon).process("p").impact_eur


def test_the_step_curve_counts_from_the_start_of_the_disruption() -> None:
    # 0.8 from 0 h (above the MBCO, but disrupted), 0 from 10 h to 40 h.
    # Episode from 0 h, so the 4000 EUR/h step starts at 24 h:
    # 0-10 h: 1000 x 0.2 x 10 = 2,000; 10-24 h: 1000 x 14 = 14,000;
    # 24-40 h: 4000 x 16 = 64,000. Total 80,000. (Counted from the MBCO
    # breach at 10 h the step would start at 34 h: 2,000 + 24,000 + 24,000.)
    assert impact(
        inject("0h", {"action": "degrade", "asset": "p", "capacity": 0.8, "duration": "10h"}),
        inject("10h", {"action": "down", "asset": "p", "duration": "30h"}),
    ) == pytest.approx(80_000)


def test_a_partial_recovery_does_not_reset_the_curve() -> None:
    # 0 from 0-20 h, 0.8 from 20-30 h, 0 from 30-40 h: one episode 0-40 h.
    # 0-20: 1000 x 20 = 20,000; 20-24: 1000 x 0.2 x 4 = 800;
    # 24-30: 4000 x 0.2 x 6 = 4,800; 30-40: 4000 x 10 = 40,000. Total 65,600.
    assert impact(
        inject("0h", {"action": "down", "asset": "p", "duration": "20h"}),
        inject("20h", {"action": "degrade", "asset": "p", "capacity": 0.8, "duration": "10h"}),
        inject("30h", {"action": "down", "asset": "p", "duration": "10h"}),
    ) == pytest.approx(65_600)


def test_a_full_recovery_ends_the_episode() -> None:
    # 0 from 0-20 h, up 20-21 h, 0 from 21-30 h: two episodes, neither 24 h old.
    # 1000 x 20 + 1000 x 9 = 29,000.
    assert impact(
        inject("0h", {"action": "down", "asset": "p", "duration": "20h"}),
        inject("21h", {"action": "down", "asset": "p", "duration": "9h"}),
    ) == pytest.approx(29_000)


# --- equipment is not an IT asset ----------------------------------------------------


def plant() -> list[dict[str, Any]]:
    return [
        {"id": "pc", "kind": "it_system", "trust": ["corp-ad"]},
        {"id": "jump", "kind": "it_system", "trust": ["corp-ad", "ot"]},
        {"id": "scada", "kind": "it_system", "trust": ["ot"]},
        # a vat wrongly put into the OT domain (the engine must still not
        # encrypt it; the validation rejects such a file, see below)
        {"id": "vat", "kind": "equipment", "trust": ["ot"],
         "needs": [{"type": "cyber", "all_of": ["scada"]}]},
    ]  # fmt: skip


def test_ransomware_stops_equipment_only_through_its_process_control() -> None:
    b = make_bundle(plant(), horizon="5d", hazards=[{"at": "0h", "hazard": {
        "type": "ransomware", "entry": "pc", "dwell": "2d", "spread_time": "1h"}}])  # fmt: skip
    recs = play(b)
    compromised = {r.asset for r in recs if r.event == "compromised"}
    encrypted = {r.asset for r in recs if r.event == "encrypted"}
    assert compromised == encrypted == {"pc", "jump", "scada"}
    # the vat goes down with the SCADA (encrypted 2 d + 45 min after the start)
    assert states(recs, "vat") == [(48.75, 0.0)]
    assert states(recs, "scada") == [(48.75, 0.0)]


def test_validation_keeps_trust_domains_and_ransomware_entries_on_it_assets() -> None:
    from simulator.model.schema import Company, Scenario
    from simulator.model.validation import check_company, check_scenario

    ctx = {"from_file": True}
    company = Company.model_validate(
        {"company": {"id": "c", "name": "C"}, "assets": plant()}, context=ctx
    )
    assert check_company(company) == [(("assets", 3, "trust"),
        "trust domains are only for IT assets (application, data, it_system), not equipment: "
        "a cyberattack reaches equipment through the IT it needs")]  # fmt: skip
    scenario = Scenario.model_validate({
        "scenario": {"id": "s", "title": "t"}, "company": "c.yaml",
        "hazards": [{"at": "1h", "hazard": {"type": "ransomware", "entry": "vat"}}],
    }, context=ctx)  # fmt: skip
    assert check_scenario(scenario, company) == [(("hazards", 0, "hazard", "entry"),
        "a ransomware entry must be an IT asset (application, data, it_system), not equipment")]  # fmt: skip


def test_a_ransomware_inject_cannot_enter_through_equipment() -> None:
    from simulator.engine.simulation import CommandError
    from simulator.model.commands import StartHazard

    sim = Simulation(make_bundle(plant()))
    with pytest.raises(CommandError) as err:
        sim.inject(StartHazard.model_validate(
            {"action": "hazard", "hazard": {"type": "ransomware", "entry": "vat"}}))  # fmt: skip
    assert err.value.field == "hazard.entry"
    assert "not equipment" in err.value.message


def test_every_kind_has_german_and_english_names() -> None:
    from simulator.model.schema import AssetKind, kind_name
    from web.i18n import TEXTS

    for kind in AssetKind:
        assert kind_name(kind, "de") and kind_name(kind, "en")
        assert f"kind.{kind.value}" in TEXTS
    assert (kind_name("equipment", "de"), kind_name("equipment", "en")) == ("Anlage", "equipment")
    assert TEXTS["kind.equipment"] == ("Anlagen", "Equipment")


def test_the_dairys_production_equipment_is_equipment() -> None:
    from pathlib import Path

    from simulator.model.schema import IT_KINDS
    from simulator.readwrite.io import load_company

    company = load_company(Path(__file__).parent.parent / "scenarios/dairy/company.yaml")
    kinds = {a.id: a.kind.value for a in company.assets}
    for vat in ("lep_line_cheese", "lep_line_uht", "lep_boiler", "pirna_boiler", "lep_milk_silos"):
        assert kinds[vat] == "equipment"
    assert all(a.kind in IT_KINDS for a in company.assets if a.trust)


def test_an_activated_standby_runs_after_its_lead_time_without_a_restart() -> None:
    # The standby is up `lead_time` (3 h) after activation: activated at 1 h,
    # up at 4 h; its restart (2 h) is for a later stop: down 10-12 h, up at 14 h.
    b = make_bundle([{"id": "rental", "kind": "utility", "restart": "2h",
                      "standby": {"lead_time": "3h"}}],
                    injects=[inject("1h", {"action": "activate_standby", "asset": "rental"}),
                             inject("10h", {"action": "down", "asset": "rental", "duration": "2h"})],
                    horizon="1d")  # fmt: skip
    assert states(play(b), "rental") == [(4.0, 1.0), (10.0, 0.0), (14.0, 1.0)]


def test_the_new_validation_messages_read_in_german() -> None:
    from simulator.terms.messages import translate

    trust = ("trust domains are only for IT assets (application, data, it_system), not "
             "equipment: a cyberattack reaches equipment through the IT it needs")  # fmt: skip
    assert translate(trust, "de") == (
        "Vertrauensbereiche (trust) gibt es nur für IT-Ressourcen (application, data, "
        "it_system), nicht für equipment: ein Cyberangriff erreicht equipment über die IT, "
        "die sie braucht"
    )
    entry = "a ransomware entry must be an IT asset (application, data, it_system), not equipment"
    assert translate(entry, "de") == (
        "der Einstieg (entry) einer Ransomware muss eine IT-Ressource sein "
        "(application, data, it_system), nicht equipment"
    )
