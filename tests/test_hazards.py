"""Properties every hazard of the catalogue must hold."""

from __future__ import annotations

from typing import Any

import hypothesis
import hypothesis.strategies as st
import pytest
from conftest import make_bundle

from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.hazards.flood import HYDROGRAPHS, crossings
from simulator.model.commands import Isolate, StartHazard

H = 3600
D = 24 * H


def states(records: list[Record], asset: str) -> list[tuple[float, float]]:
    return [(r.t / H, r.after) for r in records if r.event == "state" and r.asset == asset]  # type: ignore[misc]


def play(bundle: Any) -> list[Record]:
    """Every record of a run to the horizon (hazards at 0 act on construction)."""
    sim = Simulation(bundle)
    sim.run()
    return sim.records


def hit(records: list[Record]) -> set[str]:
    return {r.asset for r in records if r.event == "state" and r.asset}


# --- power failure ---------------------------------------------------------------


def test_koepenick_restores_half_the_feeds_then_all() -> None:
    feeds = [{"id": f"feed{i}", "kind": "utility", "utility": "power"} for i in range(4)]
    b = make_bundle(feeds, hazards=[{"at": "1h", "hazard": {
        "type": "power_failure", "assets": [f["id"] for f in feeds], "stages": "koepenick-2019"}}])  # fmt: skip
    recs = play(b)
    assert [states(recs, f"feed{i}") for i in range(4)] == [
        [(1.0, 0.0), (29.5, 1.0)], [(1.0, 0.0), (29.5, 1.0)],
        [(1.0, 0.0), (32.0, 1.0)], [(1.0, 0.0), (32.0, 1.0)],
    ]  # fmt: skip


def backed_up_site(ups: str, fuel: str) -> list[dict[str, Any]]:
    return [
        {"id": "grid", "kind": "utility", "utility": "power"},
        {"id": "generator", "kind": "utility", "utility": "power"},
        {"id": "site", "kind": "site", "restart": "30min", "needs": [{"all_of": ["grid"], "buffers": [
            {"id": "ups", "capacity": ups},
            {"id": "fuel", "capacity": fuel, "via": "generator"}]}]},
        {"id": "process", "kind": "business_process", "needs": [{"all_of": ["site"]}],
         "bia": {"rto": "4h", "mtpd": "1d"}},
    ]  # fmt: skip


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(
    ups_min=st.integers(1, 120), fuel_h=st.integers(0, 72), blackout_min=st.integers(1, 6000)
)
def test_blackout_shorter_than_ups_and_fuel_causes_no_downtime(
    ups_min: int, fuel_h: int, blackout_min: int
) -> None:
    fuel = f"{fuel_h}h" if fuel_h else "1s"
    b = make_bundle(backed_up_site(f"{ups_min}min", fuel), hazards=[{"at": "1h", "hazard": {
        "type": "power_failure", "assets": ["grid"], "duration": f"{blackout_min}min"}}])  # fmt: skip
    recs = play(b)
    bridged = blackout_min * 60 <= ups_min * 60 + (fuel_h * H if fuel_h else 1)
    assert (states(recs, "process") == []) == bridged
    if not bridged:  # down when the buffers are gone, back after power + restart
        gone = 1 + (ups_min * 60 + (fuel_h * H if fuel_h else 1)) / H
        back = 1 + blackout_min / 60 + 0.5
        assert states(recs, "process") == [(pytest.approx(gone, abs=1 / H), 0.0), (pytest.approx(back), 1.0)]


# --- supply break ----------------------------------------------------------------------


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(cover_h=st.integers(1, 400), outage_h=st.integers(1, 400), fraction=st.sampled_from([0.0, 0.35, 0.5]))
def test_no_supply_impact_while_stock_covers_the_break(cover_h: int, outage_h: int, fraction: float) -> None:
    b = make_bundle(
        [
            {"id": "co2", "kind": "supplier"},
            {"id": "packing", "kind": "business_process", "bia": {"rto": "1d", "mtpd": "3d"},
             "needs": [{"all_of": ["co2"], "buffers": [{"id": "stock", "capacity": f"{cover_h}h"}]}]},
        ],
        hazards=[{"at": "0min", "hazard": {"type": "supply_break", "assets": ["co2"],
                                           "fraction": fraction, "duration": f"{outage_h}h"}}],
        horizon="30d",
    )  # fmt: skip
    recs = play(b)
    lasts = cover_h / (1 - fraction)  # stock drains at the rate of the shortfall
    assert (states(recs, "packing") == []) == (lasts >= outage_h)


def test_co2_2022_preset_delivers_35_percent_for_six_weeks() -> None:
    b = make_bundle([{"id": "co2", "kind": "supplier"}], horizon="60d",
                    hazards=[{"at": "1d", "hazard": {"type": "supply_break", "assets": ["co2"], "preset": "co2-2022"}}])  # fmt: skip
    assert states(play(b), "co2") == [(24.0, 0.35), (24.0 + 42 * 24, 1.0)]


def test_renesas_ramp() -> None:
    b = make_bundle([{"id": "chips", "kind": "supplier"}], horizon="120d",
                    hazards=[{"at": "0min", "hazard": {"type": "supply_break", "assets": ["chips"], "preset": "renesas-2021"}}])  # fmt: skip
    assert states(play(b), "chips") == [(0.0, 0.0), (29 * 24, 0.5), (45 * 24, 0.88), (90 * 24, 1.0)]


# --- staff absence ----------------------------------------------------------------------


def staff_company() -> list[dict[str, Any]]:
    return [
        {"id": "crew", "kind": "staff"},
        {"id": "server", "kind": "it_system", "recovery": {"time": "4h", "team": "admins"}},
        {"id": "line", "kind": "business_process", "needs": [{"all_of": ["crew"]}, {"all_of": ["server"]}],
         "bia": {"rto": "8h", "mtpd": "2d", "mbco": 0.6}},
    ]  # fmt: skip


def test_zero_absence_changes_nothing() -> None:
    base = [{"at": "2h", "hazard": {"type": "outage", "assets": ["server"]}}]
    absent = [*base, {"at": "0min", "hazard": {"type": "staff_absence", "staff": ["crew"], "teams": ["admins"], "absence": 0}}]
    runs = []
    for hazards in (base, absent):
        sim = Simulation(make_bundle(staff_company(), teams={"admins": {"size": 2}}, hazards=hazards))
        sim.run()
        runs.append([(r.t, r.event, r.asset, r.after) for r in sim.records if r.event != "hazard"])
    assert runs[0] == runs[1]


def test_absence_lowers_capacity_and_team_size() -> None:
    """The crew pool falls to 0.5; the IT staff are all away (absence 1) for
    a week, the only admin with them, so the server down at 1 h waits until
    168 h and is restored 4 h later."""
    hazards = [
        {"at": "0min", "hazard": {"type": "staff_absence", "staff": ["crew"], "absence": 0.5, "duration": "1w"}},
        {"at": "0min", "hazard": {"type": "staff_absence", "staff": ["it_staff"], "teams": ["admins"], "absence": 1, "duration": "1w"}},
        {"at": "1h", "hazard": {"type": "outage", "assets": ["server"]}},
    ]  # fmt: skip
    company = [*staff_company(), {"id": "it_staff", "kind": "staff"}]
    sim = Simulation(make_bundle(company, teams={"admins": {"size": 1}}, hazards=hazards))
    sim.advance(10 * H)
    assert sim.snapshot().capacity["line"] == 0.0  # the server waits for the admin
    assert sim.snapshot().teams["admins"].size == 0
    sim.run()
    assert states(sim.records, "line")[-1] == (7 * 24 + 4, 1.0)  # restored 4 h after the wave ends
    assert (0.0, 0.5) in states(sim.records, "crew")


def team_size_under(absence: float, size: int, seed: int, added: int = 0) -> int:
    """Members of a team of `size` (+ `added` by an inject) present at `absence`."""
    from simulator.model.commands import AddTeam

    sim = Simulation(make_bundle(staff_company(), teams={"admins": {"size": size}}, seed=seed,
                                 hazards=[{"at": "0min", "hazard": {"type": "staff_absence", "staff": ["crew"],
                                           "teams": ["admins"], "absence": absence}}]))  # fmt: skip
    if added:
        sim.inject(AddTeam(action="add_team", team="admins", count=added))
    return sim.snapshot().teams["admins"].size


def test_each_member_is_away_by_their_own_draw() -> None:
    """The rule: member i of a team draws u_i, the i-th number of the stream
    "absence/<team>", and is away while u_i < absence. The expected size is
    size × (1 − absence): round() made 50 % of a team of 3 always 2 and of a
    team of 5 also 2 (banker's rounding of 1.5 and 2.5); floor would make a
    10 % absence half of a team of two. Over 400 seeds, a team of 5 at 50 %
    has 2.5 members on average (standard error √(5·¼/400) ≈ 0.056), a team
    of 3 has 1.5, a team of 2 at 10 % has 1.8 (s.e. ≈ 0.021)."""
    from statistics import mean

    from simulator.engine.streams import Streams

    for seed in range(20):
        rng = Streams(seed)("absence/admins")
        draws = [rng.random() for _ in range(5)]
        assert team_size_under(0.5, 5, seed) == sum(u >= 0.5 for u in draws)
    seeds = range(400)
    assert mean(team_size_under(0.5, 5, s) for s in seeds) == pytest.approx(2.5, abs=0.2)
    assert mean(team_size_under(0.5, 3, s) for s in seeds) == pytest.approx(1.5, abs=0.2)
    assert mean(team_size_under(0.1, 2, s) for s in seeds) == pytest.approx(1.8, abs=0.08)
    assert {team_size_under(0.0, 3, s) for s in range(20)} == {3}
    assert {team_size_under(1.0, 3, s) for s in range(20)} == {0}


def test_a_higher_absence_only_adds_people_away_and_newcomers_draw_too() -> None:
    """The same draws at every step of a wave: a member away at 10 % is away
    at 50 % as well, so the team never grows when absence rises. Members
    added by an inject draw the next numbers of the stream: at absence 1
    nobody of the 1 + 2 is present."""
    for seed in range(30):
        low, high = team_size_under(0.1, 4, seed), team_size_under(0.5, 4, seed)
        assert high <= low <= 4
    assert team_size_under(1.0, 1, seed=3, added=2) == 0
    assert team_size_under(0.0, 1, seed=3, added=2) == 3


# --- flood ----------------------------------------------------------------------------


def flood_company(level: float, cleanup: str = "2d") -> list[dict[str, Any]]:
    return [{"id": "substation", "kind": "utility",
             "flood": {"gauge": "dresden", "level": level, "cleanup": cleanup}}]  # fmt: skip


@hypothesis.settings(max_examples=30, deadline=None)
@hypothesis.given(level=st.floats(3.6, 10.0), preset=st.sampled_from(["dresden-2002", "dresden-2013"]))
def test_flood_reaches_only_assets_below_the_peak(level: float, preset: str) -> None:
    """Both hydrographs end below 3.6 m, so every flooded asset dries again."""
    b = make_bundle(flood_company(level), horizon="30d",
                    hazards=[{"at": "0min", "hazard": {"type": "flood", "gauge": "dresden", "hydrograph": preset}}])  # fmt: skip
    recs = play(b)
    peak = max(h for _, h in HYDROGRAPHS[preset])
    if level > peak:
        assert states(recs, "substation") == []
    else:
        (down, _), (up, _) = states(recs, "substation")
        rise, fall = crossings(HYDROGRAPHS[preset], level)
        assert (down, up) == (rise[0] / H, (fall[0] + 2 * D) / H)


def test_flood_alarms_and_triggers_release_injects() -> None:
    b = make_bundle(flood_company(7.0), horizon="30d",
                    injects=[{"id": "sandbags", "title": "AS3: sandbags", "do": [{"action": "down", "asset": "substation", "duration": "1h"}]}],
                    hazards=[{"at": "0min", "hazard": {"type": "flood", "gauge": "dresden", "hydrograph": "dresden-2002",
                                                       "triggers": [{"level": 6.0, "inject": "sandbags"}]}}])  # fmt: skip
    recs = play(b)
    alarms = [r.detail for r in recs if r.event == "flood_alarm"]
    assert alarms == ["AS1 4 m", "AS2 5 m", "AS3 6 m", "AS4 7 m"]
    as3 = next(r.t for r in recs if r.event == "flood_alarm" and r.detail == "AS3 6 m")
    assert [r.t for r in recs if r.event == "inject" and r.cause == "inject:sandbags"] == [as3]


DOUBLE_PEAK = [{"at": "0h", "level": 5.0}, {"at": "10h", "level": 7.0}, {"at": "20h", "level": 5.0},
               {"at": "30h", "level": 7.0}, {"at": "40h", "level": 5.0}, {"at": "60h", "level": 3.0}]  # fmt: skip


@pytest.mark.parametrize(("cleanup", "expected"), [
    # clean-up 1 d: wave 1's clean-up would end at 39 h, inside wave 2's
    # (which floods at 25 h, falls at 35 h and is cleaned until 59 h)
    ("1d", [(5.0, 0.0), (59.0, 1.0)]),
    # clean-up 5 h: back at 20 h, flooded again at 25 h, back at 40 h
    ("5h", [(5.0, 0.0), (20.0, 1.0), (25.0, 0.0), (40.0, 1.0)]),
])  # fmt: skip
def test_a_second_wave_is_not_cut_short_by_the_first_waves_cleanup(
    cleanup: str, expected: list[tuple[float, float]]
) -> None:
    """A double-peaked hydrograph (Elbe 2002: the Weißeritz, then the Elbe):
    5 m at 0 h, 7 m at 10 h, 5 m at 20 h, 7 m at 30 h, 5 m at 40 h. The water
    line crosses 6 m at 5 h (up), 15 h (down), 25 h (up), 35 h (down). Each
    wave has its own clean-up, so the asset returns `cleanup` after the last
    wave that reached it: with 1 d at 35 h + 24 h = 59 h, not at 15 h + 24 h
    = 39 h while the second wave's mud is still there."""
    b = make_bundle(flood_company(6.0, cleanup), horizon="5d",
                    hazards=[{"at": "0min", "hazard": {"type": "flood", "gauge": "dresden", "hydrograph": DOUBLE_PEAK}}])  # fmt: skip
    assert states(play(b), "substation") == expected


# --- ransomware ---------------------------------------------------------------------------


def it_company() -> list[dict[str, Any]]:
    hosts = [{"id": f"pc{i}", "kind": "it_system", "trust": ["corp-ad"]} for i in range(6)]
    return [
        *hosts,
        {"id": "jump", "kind": "it_system", "trust": ["corp-ad", "ot"]},
        {"id": "scada", "kind": "it_system", "trust": ["ot"]},
        {"id": "erp", "kind": "application", "trust": ["corp-ad"], "needs": [{"type": "cyber", "all_of": ["pc0"]}]},
        {"id": "erp_db", "kind": "data", "trust": ["corp-ad"],
         "backup": {"interval": "1d", "domain": "corp-ad", "offline_interval": "1w"}},
        {"id": "mes_db", "kind": "data", "trust": ["ot"], "backup": {"interval": "1d", "domain": "vault"}},
        {"id": "vault", "kind": "it_system", "trust": ["vault"]},
    ]  # fmt: skip


def attack(entry: str = "pc1", **kw: Any) -> dict[str, Any]:
    return {"type": "ransomware", "entry": entry, "dwell": "2d", "spread_time": "2h", **kw}


@pytest.mark.parametrize("seed", range(5))
def test_ransomware_never_crosses_an_isolated_segment(seed: int) -> None:
    sim = Simulation(make_bundle(it_company(), seed=seed, horizon="5d"))
    sim.inject(Isolate(action="isolate", asset="jump", types=["cyber"]))
    sim.inject(StartHazard(action="hazard", hazard=attack()))
    sim.run()
    compromised = {r.asset for r in sim.records if r.event == "compromised"}
    assert compromised <= {f"pc{i}" for i in range(6)} | {"erp", "erp_db"}
    assert not {"jump", "scada", "mes_db", "vault"} & hit(sim.records)


@pytest.mark.parametrize("seed", range(5))
def test_ransomware_spreads_through_shared_trust(seed: int) -> None:
    sim = Simulation(make_bundle(it_company(), seed=seed, horizon="10d",
                                 hazards=[{"at": "0min", "hazard": attack(spread_time="1h")}]))  # fmt: skip
    sim.run()
    encrypted = {r.asset for r in sim.records if r.event == "encrypted"}
    assert encrypted == {f"pc{i}" for i in range(6)} | {"jump", "scada", "erp", "erp_db", "mes_db"}
    assert all(r.t >= 2 * D for r in sim.records if r.event == "state")  # nothing before detonation
    loss = {r.asset: float(r.detail or 0) for r in sim.records if r.event == "data_loss"}
    # erp_db's backups sat in corp-ad: only the weekly offline copy is good;
    # mes_db's backups sit in the vault domain, never compromised.
    day = encrypted and next(r.t for r in sim.records if r.event == "data_loss" and r.asset == "mes_db")
    assert loss["mes_db"] == round((day % D) / H, 4)
    erp_t = next(r.t for r in sim.records if r.event == "data_loss" and r.asset == "erp_db")
    assert loss["erp_db"] == round((erp_t % (7 * D)) / H, 4)
    assert "vault" not in hit(sim.records)


def test_detection_stops_the_spread() -> None:
    sim = Simulation(make_bundle(it_company(), horizon="10d",
                                 hazards=[{"at": "0min", "hazard": attack(spread_time="10h", detect_after="1min")}]))  # fmt: skip
    sim.run()
    assert {r.asset for r in sim.records if r.event == "compromised"} == {"pc1"}
    assert hit(sim.records) == {"pc1"}


def test_ransomware_is_deterministic_per_seed() -> None:
    def run(seed: int) -> list[Record]:
        sim = Simulation(make_bundle(it_company(), seed=seed, horizon="10d", hazards=[{"at": "0min", "hazard": attack()}]))
        sim.run()
        return sim.records

    assert run(3) == run(3)
    assert any(run(3) != run(s) for s in (4, 5, 6))


# --- compound ----------------------------------------------------------------------------


def test_a_hazard_arriving_during_recovery_from_another() -> None:
    """Dresden 2024: a bridge collapse cuts the heat, a flood follows during repair."""
    assets = [
        {"id": "heat_pipe", "kind": "utility", "utility": "heat", "recovery": {"time": "1d"},
         "flood": {"gauge": "dresden", "level": 6.0, "cleanup": "1d"}},
        {"id": "district", "kind": "site", "needs": [{"all_of": ["heat_pipe"]}]},
    ]  # fmt: skip
    hazards = [
        {"at": "0min", "hazard": {"type": "outage", "assets": ["heat_pipe"]}},
        {"at": "12h", "hazard": {"type": "flood", "gauge": "dresden", "hydrograph": [
            {"at": "0min", "level": 5.0}, {"at": "1h", "level": 7.0}, {"at": "2d", "level": 4.0}]}},
    ]  # fmt: skip
    recs = play(make_bundle(assets, hazards=hazards))
    # the first repair completes at 24 h, but the pipe is under water from 12.5 h
    # until the level falls below 6 m and is then repaired again for a day
    (fall,) = [t for t, up in crossings([(0, 5.0), (H, 7.0), (2 * D, 4.0)], 6.0) if not up]
    assert states(recs, "district") == [(0.0, 0.0), ((12 * H + fall + D) / H, 1.0)]


def test_a_buffer_running_dry_as_power_returns_is_no_outage() -> None:
    b = make_bundle(backed_up_site("60min", "1h"), hazards=[{"at": "1h", "hazard": {
        "type": "power_failure", "assets": ["grid"], "duration": "2h"}}])  # fmt: skip
    assert states(play(b), "process") == []


def test_a_detect_command_evicts_a_named_attacker() -> None:
    from simulator.model.commands import Detect

    b = make_bundle(it_company(), horizon="10d", hazards=[{"id": "locker", "at": "0min", "hazard": attack(spread_time="10h")}])
    sim = Simulation(b)
    sim.advance(60)
    sim.inject(Detect(action="detect", hazard="locker"))
    sim.run()
    assert [r.cause for r in sim.records if r.event == "detected"] == ["hazard:locker"]
    assert {r.asset for r in sim.records if r.event == "encrypted"} == {"pc1"}


# --- which hazards a company offers anything to ---------------------------------


def test_the_bundled_companies_are_offered_the_hazards_that_can_act_on_them() -> None:
    from simulator.hazards import NO_GAUGE, unfit_hazards
    from simulator.readwrite.io import load_bundle

    def unfit(scenario: str) -> dict[str, str]:
        company = load_bundle(f"scenarios/{scenario}").company
        return unfit_hazards({a.kind for a in company.assets},
                             {a.flood.gauge for a in company.assets if a.flood})  # fmt: skip

    # The dairy has assets on the Elbe gauge, IT and staff pools: all six hazards.
    assert unfit("dairy/blackout.yaml") == {}
    # The IT service provider and the example have IT and staff but no asset
    # exposed to any gauge (no `flood:` in their company files): no flood.
    assert unfit("itdienstleister/power.yaml") == {"flood": NO_GAUGE}
    assert unfit("example/scenario.yaml") == {"flood": NO_GAUGE}


def test_ransomware_needs_it_and_a_staff_absence_needs_staff() -> None:
    from simulator.hazards import hazard_type_error, unfit_hazards
    from simulator.terms.kinds import AssetKind as K

    plant = {K.site, K.utility, K.equipment, K.business_process}
    assert list(unfit_hazards(plant, ())) == ["ransomware", "flood", "supply_break",
                                              "staff_absence"]  # fmt: skip
    assert list(unfit_hazards(plant | {K.data}, ("elbe",))) == ["supply_break", "staff_absence"]
    assert list(unfit_hazards({K.application, K.staff}, ("elbe",))) == [
        "power_failure", "supply_break"]  # fmt: skip
    assert unfit_hazards({K.utility, K.application, K.staff, K.supplier}, ("elbe",)) == {}
    assert "IT asset" in hazard_type_error("ransomware", {K.equipment}, ())
    assert "staff pool" in hazard_type_error("staff_absence", {K.it_system}, ())
    assert hazard_type_error("outage", {K.site}, ()) == ""
    assert "power feed" in hazard_type_error("power_failure", {K.site, K.supplier}, ())
    assert hazard_type_error("power_failure", {K.utility}, ()) == ""
    assert "supplier" in hazard_type_error("supply_break", {K.site, K.utility}, ())
    assert hazard_type_error("supply_break", {K.logistics}, ()) == ""


def test_the_dairys_power_failure_and_supply_break_offer_only_what_they_can_hit() -> None:
    from simulator.hazards import target_ids
    from simulator.readwrite.io import load_bundle

    company = load_bundle("scenarios/dairy/blackout.yaml").company
    assets = [(a.id, a.kind, a.utility) for a in company.assets]
    # The 13 utility assets with `utility: power` in scenarios/dairy/company.yaml,
    # in file order; its gas, water and WAN utilities are not power feeds.
    assert target_ids("power_failure", "assets", assets) == [
        "grid_lep", "uw_pirna", "grid_pirna", "grid_dd_public", "grid_hq", "grid_dc",
        "grid_le_public", "lep_generator", "rental_generator", "lep_emergency_power",
        "pirna_generator", "pirna_emergency_power", "dc_generator"]  # fmt: skip
    # The 11 suppliers and 9 logistics assets (README: "supplier | 11", "logistics | 9").
    supply = target_ids("supply_break", "assets", assets)
    assert len(supply) == 20 and {"co2_supplier", "milk_tankers", "road_lep"} <= set(supply)
    assert not {"drivers_milk", "payroll", "ad"} & set(supply)
    # An outage strikes any of the 127 assets but the 16 business processes.
    outage = target_ids("outage", "assets", assets)
    assert len(outage) == 127 - 16 and "payroll" not in outage and "drivers_milk" in outage


def test_a_hazard_on_an_asset_it_cannot_act_on_is_refused_naming_why() -> None:
    from simulator.hazards import hazard_target_error
    from simulator.hazards.generic import Outage
    from simulator.hazards.power import PowerFailure
    from simulator.hazards.supply import SupplyBreak
    from simulator.terms.kinds import AssetKind as K
    from simulator.terms.messages import translate

    power = PowerFailure(type="power_failure", assets=["x"], duration=3600)
    assert hazard_target_error(power, ("assets", 0), K.utility, "power") == ""
    assert hazard_target_error(power, ("assets", 0), K.utility, None) == ""
    staff = hazard_target_error(power, ("assets", 0), K.staff)
    assert staff == ("a power failure cuts power feeds (utility assets with utility: power), "
                     "not staff")  # fmt: skip
    assert translate(staff, "de") == (
        "ein Stromausfall trennt Stromeinspeisungen (Ressourcen der Art utility mit utility: "
        "power), nicht staff")  # fmt: skip
    wan = hazard_target_error(power, ("assets", 0), K.utility, "network")
    assert wan.endswith("not a network utility")
    assert translate(wan, "de").endswith("nicht eine Versorgung der Art network")
    supply = SupplyBreak(type="supply_break", assets=["x"], duration=3600)
    assert hazard_target_error(supply, ("assets", 0), K.logistics) == ""
    assert hazard_target_error(supply, ("assets", 0), K.application).endswith("not application")
    outage = Outage(type="outage", assets=["x"])
    assert hazard_target_error(outage, ("assets", 0), K.staff) == ""
    assert "Ausfall" in translate(hazard_target_error(outage, ("assets", 0), K.business_process), "de")
