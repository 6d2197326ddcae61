"""Why is it down: the chain of causes, against hand-derived cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_bundle
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.engine.simulation import Simulation
from simulator.engine.why import RecordIndex, describe, explain
from simulator.model.schema import text
from simulator.readwrite.io import load_bundle

H = 3600
EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"


def tiny() -> Simulation:
    """A tiny company, derived by hand below.

    c1, c2, c3: cooling units; `room` needs 2 of 3 with a 30 min time to
    impact. `grid` feeds `site` through a 30 min UPS; `line` stands on
    `site` and restarts for 1 h once power is back; `proc` needs `room`
    (need "cool") and `line` (need "prod"). `dr` is an idle standby.
    Hazard "cool" takes c1 and c2 down at 1 h for 10 h; hazard "blackout"
    takes the grid down at 3 h for 1 h. Inject i1 at 6 h: the app is
    destroyed; i2 at 6 h isolates the WAN (cyber), which the app needs.

    - 1 h: c1, c2 down; room's supply (0 + 0 + 1) / 2 = 0.5, pending 30 min.
    - 1 h 30: room degraded 0.5, so proc 0.5.
    - 3 h: grid down; the UPS covers the site for 30 min.
    - 3 h 30: UPS dry: site down, line down, proc down.
    - 4 h: grid back, site up; line waits for its restart (1 h) until 5 h.
    """
    bundle = make_bundle(
        [
            {"id": "c1", "kind": "it_system"},
            {"id": "c2", "kind": "it_system"},
            {"id": "c3", "kind": "it_system"},
            {"id": "room", "kind": "it_system", "needs": [
                {"id": "cooling", "k_of_n": {"k": 2, "of": ["c1", "c2", "c3"]}, "delay": "30min"}]},
            {"id": "grid", "kind": "utility"},
            {"id": "site", "kind": "site", "needs": [
                {"id": "power", "any_of": ["grid"], "buffers": [{"id": "ups", "capacity": "30min"}]}]},
            {"id": "line", "kind": "it_system", "restart": "1h", "needs": [{"all_of": ["site"]}]},
            {"id": "dr", "kind": "it_system", "standby": {"lead_time": "1h"}},
            {"id": "wan", "kind": "utility"},
            {"id": "app", "kind": "application", "needs": [
                {"id": "net", "type": "cyber", "any_of": ["wan"]}]},
            {"id": "proc", "kind": "business_process", "needs": [
                {"id": "cool", "all_of": ["room"]}, {"id": "prod", "all_of": ["line"]}]},
        ],
        hazards=[
            {"id": "cool", "at": "1h", "hazard": {"type": "outage", "assets": ["c1", "c2"], "duration": "10h"}},
            {"id": "blackout", "at": "3h", "hazard": {"type": "outage", "assets": ["grid"], "duration": "1h"}},
        ],
        injects=[
            {"id": "i1", "at": "6h", "title": {"de": "App weg", "en": "App gone"},
             "do": [{"action": "down", "asset": "app"}]},
            {"id": "i2", "at": "6h", "title": "WAN cut", "do": [
                {"action": "isolate", "asset": "wan", "types": ["cyber"]}]},
        ],
    )  # fmt: skip
    return Simulation(bundle)


def at(sim: Simulation, hours: float) -> Simulation:
    sim.advance(round(hours * H))
    return sim


def test_up_asset_has_a_one_step_chain() -> None:
    why = explain(at(tiny(), 0.5), "proc")
    assert [(s.asset, s.state, s.needs, s.causes) for s in why.steps] == [("proc", "up", (), ())]
    assert describe(why, {"proc": "Process"}) == ["Process (proc) is up."]


def test_k_of_n_loss_waits_out_its_time_to_impact() -> None:
    # 1 h 10: c1 and c2 are down, room's supply is 0.5 but has not bitten yet.
    why = explain(at(tiny(), 1 + 10 / 60), "room")
    room = why.steps[0]
    assert (room.state, room.capacity) == ("up", 1.0)
    (need,) = room.needs
    assert (need.id, need.mode, need.k, need.of) == ("cooling", "k_of_n", 2, 3)
    assert need.down == ("c1", "c2")  # every member of the failed group that is down
    assert (need.supply, need.effective, need.delay, need.pending) == (0.5, 1.0, 1800, True)
    assert [s.asset for s in why.steps] == ["room", "c1", "c2"]


def test_chain_down_to_the_hazards() -> None:
    # 3 h 45: see tiny(); breadth first from proc, each asset once.
    why = explain(at(tiny(), 3.75), "proc")
    assert [(s.asset, s.depth, s.parent) for s in why.steps] == [
        ("proc", 0, None), ("room", 1, "proc"), ("line", 1, "proc"),
        ("c1", 2, "room"), ("c2", 2, "room"), ("site", 2, "line"), ("grid", 3, "site"),
    ]  # fmt: skip
    proc, room, line, c1, _c2, site, grid = why.steps
    assert (proc.state, proc.since) == ("down", 3.5 * H)
    assert [(n.id, n.down, n.supply) for n in proc.needs] == [
        ("cool", ("room",), 0.5), ("prod", ("line",), 0.0)]
    assert (room.state, room.capacity, room.since) == ("degraded", 0.5, 1.5 * H)
    assert room.needs[0].pending is False and room.needs[0].effective == 0.5
    assert (line.state, line.since, line.restart) == ("down", 3.5 * H, None)
    (cause,) = c1.causes
    assert (cause.kind, cause.ref, cause.hazard, cause.at, cause.effect, cause.lasting) == (
        "hazard", "cool", "outage", 1 * H, "damage", False)
    # The UPS ran dry at 3 h 30, 30 min after the grid went: that is why the site is down.
    (power,) = site.needs
    (ups,) = power.buffers
    assert (ups.id, ups.left, ups.empty_at, ups.drawn, power.covered) == ("ups", 0, 3.5 * H, False, False)
    assert [(c.ref, c.at) for c in grid.causes] == [("blackout", 3 * H)]
    assert [(a, c.ref) for a, c in why.roots] == [("c1", "cool"), ("c2", "cool"), ("grid", "blackout")]


def test_buffer_covers_the_shortfall() -> None:
    # 3 h 15: the grid is down, the UPS has drawn 15 of its 30 min.
    site = explain(at(tiny(), 3.25), "site").steps[0]
    assert site.state == "up"
    (power,) = site.needs
    assert (power.covered, power.supply, power.effective) == (True, 0.0, 1.0)
    assert [(b.id, b.left, b.drawn) for b in power.buffers] == [("ups", 900, True)]


def test_restart_after_supply_returns() -> None:
    # 4 h 30: the grid is back since 4 h, the site is up; the line restarts until 5 h.
    line = explain(at(tiny(), 4.5), "line").steps[0]
    assert (line.state, line.needs, line.causes, line.restart) == ("down", (), (), H)
    assert explain(at(tiny(), 5), "line").steps[0].state == "up"


def test_idle_standby() -> None:
    dr = explain(at(tiny(), 1), "dr").steps[0]
    assert (dr.state, dr.standby, dr.causes) == ("standby", True, ())


def test_scripted_inject_and_isolation_are_roots() -> None:
    # 7 h: i1 destroyed the app (lasting: no duration); i2 cut the WAN off (cyber).
    why = explain(at(tiny(), 7), "app", lang="de")
    app, wan = why.steps
    (damage,) = app.causes
    assert (damage.source, damage.kind, damage.title, damage.at, damage.lasting) == (
        "inject:i1", "inject", "App weg", 6 * H, True)
    (net,) = app.needs
    assert (net.down, net.isolated, net.supply) == (("wan",), False, 0.0)
    (cut,) = wan.causes
    assert (cut.effect, cut.source, cut.title, cut.capacity) == ("isolated", "inject:i2", "WAN cut", None)
    assert wan.state == "up"  # isolated, not damaged: it runs, but cannot serve cyber needs


def test_unknown_asset() -> None:
    with pytest.raises(KeyError):
        explain(tiny(), "nope")


def test_example_company_production_at_30h() -> None:
    """scenarios/example at 30 h, by hand (see its scenario.yaml and README):
    grid down at 2 h (hazard 1, 40 h); the plant runs on the UPS until 2 h 30,
    then on the generator's fuel (24 h) until 26 h 30: the resupply ordered at
    14 h 30 was due at 20 h 30, but the fuel supplier is down from 20 h
    (hazard 2), so the tanker is down and the delivery never comes. The UPS,
    recharged while the generator ran (8 h refill), bridges 26 h 30 .. 27 h.
    At 27 h the plant goes down, with it the cooling units and the server room:
    production is down since 27 h. Its packaging supplier is down since
    24 h (inject m5), covered by three days of stock: 3 d - 6 h = 66 h left."""
    bundle = load_bundle(EXAMPLE)
    sim = Simulation(bundle)
    sim.advance(30 * H)
    why = explain(sim, "production")
    production = why.steps[0]
    assert (production.state, production.since) == ("down", 27 * H)
    needs = {n.id: n for n in production.needs}
    assert sorted(needs) == ["control", "packaging", "site"]
    assert needs["site"].down == ("plant",) and needs["control"].down == ("server_room",)
    packaging = needs["packaging"]
    assert (packaging.down, packaging.covered) == (("packaging_supplier",), True)
    assert packaging.buffers[0].left == 66 * H
    plant = why.step("plant")
    assert plant is not None and plant.parent == "production"
    (power,) = plant.needs
    assert (power.mode, power.down) == ("any_of", ("grid",))
    assert [(b.id, b.empty_at, b.resupply_down) for b in power.buffers] == [
        ("ups", 27 * H, False), ("fuel", 26.5 * H, True)]  # the UPS last ran dry at 27 h
    room = why.step("server_room")
    assert room is not None
    cooling = next(n for n in room.needs if n.id == "cooling")
    assert (cooling.k, cooling.down) == (2, ("cooling_1", "cooling_2", "cooling_3"))
    truck = why.step("fuel_truck")
    assert truck is not None and truck.parent == "plant"  # no resupply: reached through the buffer
    roots = {a: (c.kind, c.ref, c.at, c.title or c.hazard) for a, c in why.roots}
    assert roots == {
        "grid": ("hazard", "blackout", 2 * H, "outage"),
        "fuel_supplier": ("hazard", "2", 20 * H, "outage"),
        "packaging_supplier": ("inject", "m5", 24 * H, "Packaging supplier insolvent"),
    }
    names = {a.id: text(a.name, "de") for a in bundle.company.assets}
    lines = describe(why, names, "de")
    # German moments and spans as the console writes them (a German QA pass found
    # "T+1d 03:00" next to "T+30 Std."), needs by readable names
    assert lines[0] == "Milchverarbeitung (production): ausgefallen (0 %) seit T+1 Tg. 03:00"
    # Depth first: the tanker and its supplier sit right under the plant.
    plant_line = next(i for i, x in enumerate(lines) if x.startswith("  Werk Nord (plant)"))
    assert lines[plant_line + 2] == "    Netzanschluss 20 kV (grid): ausgefallen (0 %) seit T+02:00"
    assert "        ← beschädigt durch Gefährdung 2: Ausfall (begann T+20:00)" in lines
    assert any(x.strip().startswith("braucht Kühlung [physisch, 2 von 3 nötig]: fehlt ") for x in lines)
    assert not [x for x in lines if "alle 1 nötig" in x or "physical" in x]
    # the stock's 66 h left: 2 days 18 hours, in German units
    assert "  braucht Verpackung [physisch]: fehlt Verpackungslieferant; stock: überbrückt durch " \
        "Puffer, 2 Tg. 18 Std. Rest" in lines
    assert any("kein Nachschub: Tankwagen ist ausgefallen" in x for x in lines)


# --- the command line -------------------------------------------------------------------

runner = CliRunner()


def test_cli_prints_the_chain() -> None:
    # 3 h: inject m1 encrypted the ERP and its database (see the example's scenario.yaml);
    # both are being restored by the IT team.
    result = runner.invoke(app, ["why", str(EXAMPLE), "order_entry", "--at", "3h", "--lang", "de"])
    assert result.exit_code == 0, result.output
    # The example starts Monday 16.02.2026 06:00 CET (MEZ): 3 h later is 09:00 MEZ.
    assert result.stdout.splitlines() == [
        "Stromausfall, Cyberangriff und Lieferantenausfall — T+03:00 (Mo 16.02.2026 09:00 MEZ), "
        "Seed 7",
        "Auftragserfassung (order_entry): ausgefallen (0 %) seit T+03:00, Mo 16.02. 09:00 MEZ",
        "  braucht ERP [IT/Daten, alle 2 nötig]: fehlt ERP, ERP-Datenbank",
        "  ERP (erp): ausgefallen (0 %) seit T+03:00, Mo 16.02. 09:00 MEZ",
        "    ← beschädigt durch Einlage m1: Lösegeldforderung auf den Bildschirmen "
        "(begann T+03:00, Mo 16.02. 09:00 MEZ)",
        "    · wird wiederhergestellt",
        "  ERP-Datenbank (erp_db): ausgefallen (0 %) seit T+03:00, Mo 16.02. 09:00 MEZ",
        "    ← beschädigt durch Einlage m1: Lösegeldforderung auf den Bildschirmen "
        "(begann T+03:00, Mo 16.02. 09:00 MEZ)",
        "    · wird wiederhergestellt",
    ]


def test_cli_json() -> None:
    result = runner.invoke(app, ["why", str(EXAMPLE), "grid", "--at", "3h", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["asset"], data["t"]) == ("grid", 3 * H)
    (cause,) = data["steps"][0]["causes"]
    assert (cause["source"], cause["hazard"], cause["at"]) == ("hazard:blackout", "outage",
                                                               2 * H)  # fmt: skip


@pytest.mark.parametrize(("args", "message"), [
    (["nope", "--at", "3h"], "asset: no asset 'nope' in company 'beispiel-molkerei'\n"),
    (["grid", "--at", "soon"], "--at: "),
    (["grid", "--at", "11d"], "--at: '11d' is past the scenario's horizon (240 h)\n"),
    (["grid", "--at", "1h", "--lang", "fr"], "--lang: use de or en, not 'fr'\n"),
])  # fmt: skip
def test_cli_bad_input_exits_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["why", str(EXAMPLE), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and "Traceback" not in result.output


def test_a_kept_record_index_gives_the_same_chain_as_a_fresh_one() -> None:
    sim = tiny()
    index = RecordIndex(sim)
    explain(at(sim, 1.25), "proc", index=index)  # reads the records up to 1 h 15
    at(sim, 3.75)
    assert explain(sim, "proc", index=index) == explain(sim, "proc")
    assert index.fed == len(sim.records)
    with pytest.raises(ValueError):
        explain(tiny(), "proc", index=index)


def test_a_wide_group_names_its_first_providers_and_counts_all() -> None:
    # 60 feeds pooled (any_of); an outage of all 60 leaves the hub with nothing.
    feeds = [{"id": f"f{i}", "kind": "utility"} for i in range(60)]
    hub = {"id": "hub", "kind": "site", "needs": [{"id": "p", "any_of": [f["id"] for f in feeds]}]}
    bundle = make_bundle([*feeds, hub], hazards=[
        {"at": "1h", "hazard": {"type": "outage", "assets": [f["id"] for f in feeds]}}])
    sim = Simulation(bundle)
    sim.advance(2 * H)
    why = explain(sim, "hub", limit=10)
    (need,) = why.steps[0].needs
    assert (len(need.down), need.down_total, need.down[0]) == (50, 60, "f0")
    assert len(why.steps) == 10 and why.truncated
    assert describe(why, {})[1].endswith("f49 (+10)")
