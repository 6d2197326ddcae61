"""The second reference company scenarios/itdienstleister (Muldental IT-Services).

Every file validates; every scenario runs deterministically; the company is
named in German and English throughout; and each scenario's story holds with
figures derived by hand from the company file (UPS 15 min, recharged in 2 h;
the office UPS 30 min; restart chains; the 22:00 immutable copy; the delay of
24 h on the managed backup's second copy). Times the scenario draws (the grid
and fibre repair, the generator repair, the encryption moment) are read from
the run's records, and the expectations are computed from them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from simulator.analysis.metrics import RunSummary as Summary
from simulator.analysis.metrics import summarize
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.model.schema import AssetKind, ScenarioBundle
from simulator.readwrite import io
from simulator.readwrite.bia_read import read_xlsx
from simulator.readwrite.io import load_bundle, load_company, validate_file
from simulator.readwrite.netbox import (
    NetboxImport,
    Processes,
    import_netbox,
    parse_fixture,
    read_mapping,
)
from web.app import create_app
from web.settings import Settings

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
ITDL = SCENARIOS / "itdienstleister"
SOURCE = ITDL / "source"
NAMES = ["power", "ransomware", "carrier"]
H = 3600
MIN = 60


# --------------------------------------------------------------------------- helpers


@cache
def bundle(name: str) -> ScenarioBundle:
    return load_bundle(ITDL / f"{name}.yaml")


def play(name: str, plan: tuple[tuple[int, str], ...] = ()) -> tuple[list[Record], Summary]:
    """Run a scenario with the players' catalogue actions taken at the given
    seconds (as a live exercise applies them: commands, then `action_taken`)."""
    b = bundle(name)
    actions = {a.id: a for a in b.scenario.actions}
    sim = Simulation(b)
    for t, action in sorted(plan):
        sim.advance(t)
        for command in actions[action].do:
            sim.apply(command)
        sim.action_taken(action)
    sim.run()
    return sim.records, summarize(b, sim.records, sim.horizon)


@cache
def plain(name: str) -> tuple[list[Record], Summary]:
    return play(name)


def changes(records: list[Record], asset: str) -> list[tuple[int, str]]:
    return [(r.t, str(r.state)) for r in records if r.event == "state" and r.asset == asset]


def first(records: list[Record], asset: str, state: str) -> int:
    return next(t for t, s in changes(records, asset) if s == state)


def approx(hours: float) -> object:
    """Hours as the summary rounds them (four decimals)."""
    return pytest.approx(hours, abs=1e-3)


def below_h(summary: Summary, process: str) -> float:
    return summary.process(process).below_mbco_h


def never_touched(records: list[Record], asset: str) -> bool:
    return changes(records, asset) == []


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("path", sorted(ITDL.glob("*.yaml")), ids=lambda p: p.name)
def test_every_file_validates(path: Path) -> None:
    assert [str(p) for p in validate_file(path)] == []


def test_three_scenarios_and_the_company() -> None:
    assert sorted(p.stem for p in ITDL.glob("*.yaml")) == sorted([*NAMES, "company"])


def test_company_shape_and_names() -> None:
    company = load_company(ITDL / "company.yaml")
    kinds = {a.kind for a in company.assets}
    assert {AssetKind.site, AssetKind.utility, AssetKind.equipment, AssetKind.it_system,
            AssetKind.application, AssetKind.data, AssetKind.supplier, AssetKind.logistics,
            AssetKind.staff, AssetKind.business_process} <= kinds  # fmt: skip
    assert len(company.assets) >= 80
    processes = [a for a in company.assets if a.kind is AssetKind.business_process]
    assert len(processes) == 7
    for p in processes:
        assert p.bia is not None and p.bia.rto <= p.bia.mtpd, p.id
        assert p.bia.impact_per_hour is not None or p.bia.impact, p.id
    # every asset and every team is named in German and English, and differently
    # where the words differ (a German name copied into `en` would pass `de and en`)
    for a in company.assets:
        assert a.name is not None and not isinstance(a.name, str), a.id
        assert a.name.de and a.name.en, a.id
    named = [a.name for a in company.assets if a.name is not None and not isinstance(a.name, str)]
    assert sum(n.de != n.en for n in named) >= 75
    for team_id, team in company.teams.items():
        assert team.name is not None and not isinstance(team.name, str), team_id
        assert team.name.de and team.name.en and team.name.de != team.name.en, team_id
    assert not isinstance(company.company.name, str)
    assert company.company.name.de and company.company.name.en


@pytest.mark.parametrize("name", NAMES)
def test_scenario_shape(name: str) -> None:
    s = bundle(name).scenario
    info = s.scenario
    for text in (info.title, info.narrative, info.rationale):
        assert text is not None and not isinstance(text, str) and text.de and text.en
    assert info.type is not None
    assert len(s.injects) >= 7 and len(s.actions) >= 3 and len(s.objectives) >= 4
    for inject in s.injects:  # the HSEEP MSEL columns are filled in
        assert inject.event_type is not None and inject.sender is not None, inject.id
        assert inject.method and inject.controller and inject.teams, inject.id
        assert not isinstance(inject.title, str) and inject.title.de and inject.title.en
        assert inject.message is not None and not isinstance(inject.message, str)
        assert inject.message.de and inject.message.en
    # injects that expect an action say which one
    for inject in s.injects:
        if inject.event_type == "expected_action":
            assert inject.expected_action is not None, inject.id


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_deterministic(name: str) -> None:
    assert play(name)[0] == play(name)[0]


# --------------------------------------------------------------------------- power


def test_power_generator_failure_darkens_plagwitz_until_the_first_source_returns() -> None:
    records, summary = plain("power")
    # The grid fails at 1 h; the UPS bridges 15 min, then generator 2 takes
    # the load and recharges it (2 h from empty: full at 3 h 15). Generator 2
    # stops at 4 h, the full UPS bridges 15 min: dark at 4 h 15 exactly.
    assert first(records, "grid_plagwitz", "down") == 1 * H
    assert first(records, "plagwitz_gensets", "down") == 4 * H
    dark = first(records, "plagwitz_power", "down")
    assert dark == 4 * H + 15 * MIN
    # The office has a UPS of 30 min and no generator.
    assert first(records, "office_plagwitz", "down") == 1 * H + 30 * MIN
    # Power returns with the first of: the grid, generator 1, generator 2 repaired.
    back = min(t for a in ("grid_plagwitz", "plagwitz_gen_1", "plagwitz_gen_2")
               for t, s in changes(records, a) if s == "up" and t > dark)  # fmt: skip
    assert first(records, "plagwitz_power", "up") == back
    assert back > dark + 8 * H  # at this seed: longer than colocation's MTPD
    # Colocation stands on the power and the room: below its MBCO exactly as long.
    assert below_h(summary, "colocation") == approx((back - dark) / H)
    assert summary.process("colocation").mtpd_breached
    # Hosted services come back after the restart chain: core 10 min, hosts
    # 20 min, storage 30 min, cluster 30 min, application servers 1 h = 2 h.
    for process in ("managed_hosting_stadtwerke", "erp_hosting", "email_collaboration"):
        assert below_h(summary, process) == approx((back + 2 * H - dark) / H), process
    assert summary.process("managed_hosting_stadtwerke").rto_breached
    # Taucha is untouched.
    assert never_touched(records, "taucha_power")
    assert summary.process("managed_backup").impact_eur == 0


def test_power_player_actions_help_measurably() -> None:
    records, summary = plain("power")
    plan = ((90 * MIN, "order_mobile_generator"), (90 * MIN, "service_desk_emergency"),
            (4 * H + 30 * MIN, "failover_stadtwerke"))  # fmt: skip
    acted_records, acted = play("power", plan)
    dark = 4 * H + 15 * MIN
    # The rental generator is connected 8 h after the order, at 9 h 30.
    assert first(acted_records, "mobile_generator", "up") == 9 * H + 30 * MIN
    assert below_h(acted, "colocation") == approx((9 * H + 30 * MIN - dark) / H)
    assert not acted.process("colocation").mtpd_breached
    # Failover at 4 h 30: the replica is up 1 h later, the application
    # servers restart 1 h on it: back at 6 h 30, within the RTO of 4 h.
    assert below_h(acted, "managed_hosting_stadtwerke") == approx(2.25)
    assert not acted.process("managed_hosting_stadtwerke").rto_breached
    # The service desk's emergency mode (50 %, its MBCO) holds from 2 h 30.
    assert below_h(acted, "service_desk") == approx(1.0)
    assert below_h(summary, "service_desk") > 2  # without it: past the RTO
    total = sum(p.impact_eur for p in summary.processes)
    assert sum(p.impact_eur for p in acted.processes) < total / 2
    assert records != acted_records


# --------------------------------------------------------------------------- ransomware


def test_ransomware_immutable_copy_bounds_the_data_loss() -> None:
    records, summary = plain("ransomware")
    encrypted = {r.asset for r in records if r.event == "encrypted"}
    # The management domain falls, with the backup server (a domain member)
    # and every cluster; the hosting domain through the admin workstations.
    assert {"ad_mgmt", "vcenter", "backup_server", "cl_mgmt", "cl_prod", "cl_taucha",
            "erp_db", "sw_db", "mailbox_db", "exchange", "admin_workstations"} <= encrypted  # fmt: skip
    # Outside every domain: the immutable repository, the managed-backup
    # gateway, the phone system, the network.
    assert not encrypted & {"immutable_repo", "cloud_connect", "telephony", "plagwitz_edge",
                            "taucha_edge", "plagwitz_storage"}  # fmt: skip
    assert summary.process("managed_backup").impact_eur == 0
    # The 4-hourly backups sit in the compromised domain; the only good copy is
    # the daily immutable one at offset 4 h + k x 24 h (22:00). Detonation is
    # after 2 h + 2 days = 50 h, so the last good copy is from 28 h.
    t = next(r.t for r in records if r.event == "encrypted" and r.asset == "erp_db")
    assert 50 * H <= t <= 51 * H
    lost = {r.asset: float(r.detail or 0) for r in records if r.event == "data_loss"}
    assert lost["erp_db"] == approx((t - 28 * H) / H)
    assert 22 < lost["erp_db"] < 23
    # within the ERP SLA's RPO of 24 h, past the utility's 1 h and e-mail's 4 h
    assert summary.process("erp_hosting").data_loss_h == approx(lost["erp_db"])
    bia = {a.id: a.bia for a in bundle("ransomware").company.assets if a.bia}
    assert lost["erp_db"] * H < (bia["erp_hosting"].rpo or 0)
    assert lost["sw_db"] * H > (bia["managed_hosting_stadtwerke"].rpo or 0)


def test_ransomware_containment_stops_the_spread_where_it_stood() -> None:
    records, summary = plain("ransomware")
    at = 15 * H  # an hour after the VPN anomaly (r01)
    before = {r.asset for r in records if r.event == "compromised" and r.t <= at}
    after = {r.asset for r in records if r.event == "compromised" and r.t > at}
    assert before and after  # the spread was half-way
    acted_records, acted = play("ransomware", ((at, "contain"),))
    encrypted = {r.asset for r in acted_records if r.event == "encrypted"}
    assert encrypted == before
    assert sum(p.impact_eur for p in acted.processes) < sum(p.impact_eur for p in summary.processes)


def test_ransomware_incident_response_shortens_the_erp_outage() -> None:
    _, summary = plain("ransomware")
    _, acted = play("ransomware", ((2 * 24 * H + 4 * H, "external_ir"),))
    assert below_h(acted, "erp_hosting") < below_h(summary, "erp_hosting")
    assert summary.process("erp_hosting").mtpd_breached


# --------------------------------------------------------------------------- carrier


def test_carrier_b_keeps_the_internet_up() -> None:
    records, summary = plain("carrier")
    cut = first(records, "dci_north", "down")
    repaired = first(records, "dci_north", "up")
    assert cut == 1 * H
    # every circuit in carrier A's duct goes down and comes back together,
    # the "separate" south route included
    for circuit in ("plagwitz_uplink_a", "dci_south", "sw_leased_line", "sip_trunk"):
        assert changes(records, circuit) == [(cut, "down"), (repaired, "up")], circuit
    # carrier B: the edge at both sites never drops; ERP and e-mail never notice
    for asset in ("plagwitz_edge", "taucha_edge", "plagwitz_uplink_b", "taucha_uplink_b"):
        assert never_touched(records, asset), asset
    for process in ("erp_hosting", "email_collaboration", "colocation", "noc_operations"):
        assert summary.process(process).impact_eur == 0, process
    # single-homed on carrier A: the utility's leased line and the hotline
    assert below_h(summary, "managed_hosting_stadtwerke") == approx((repaired - cut) / H)
    # the phone system restarts 10 min after the trunk returns
    assert below_h(summary, "service_desk") == approx((repaired + 10 * MIN - cut) / H)
    # the second copy may lag a day (delay 24 h): below MBCO from 25 h
    assert repaired > 25 * H + 24 * H  # at this seed: past the backup's RTO
    assert below_h(summary, "managed_backup") == approx((repaired - 25 * H) / H)
    assert summary.process("managed_backup").rto_breached


def test_carrier_fallbacks_help_measurably() -> None:
    _, acted = play("carrier", ((90 * MIN, "vpn_fallback"), (90 * MIN, "service_desk_emergency"),
                                (24 * H, "tape_courier")))  # fmt: skip
    # VPN 2 h after 1 h 30: 2.5 h below MBCO, within the RTO of 4 h
    assert below_h(acted, "managed_hosting_stadtwerke") == approx(2.5)
    assert below_h(acted, "service_desk") == approx(1.5)
    # tape by courier 8 h after the order at 24 h: from 25 h to 32 h
    assert below_h(acted, "managed_backup") == approx(7.0)
    assert not any(acted.process(p).rto_breached for p in
                   ("managed_hosting_stadtwerke", "service_desk", "managed_backup"))  # fmt: skip


# --------------------------------------------------------------------------- start page


def test_start_page_lists_the_scenarios(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path}/pages.db"))
    with TestClient(app) as client:
        page = client.get("/", headers={"accept-language": "de-DE"}).text
        listed = client.get("/api/scenarios").json()
    for name in NAMES:
        assert f'value="itdienstleister/{name}.yaml"' in page
    assert "Baggerschaden: Carrier A am Campus Plagwitz getrennt" in page
    mine = [s for s in listed if s["path"].startswith("itdienstleister/")]
    assert sorted(s["path"] for s in mine) == [f"itdienstleister/{n}.yaml" for n in sorted(NAMES)]
    assert {s["company"] for s in mine} == {"muldental-it"}


# --------------------------------------------------------------------------- documented figures


def headline_rows() -> list[dict[str, str]]:
    readme = (SCENARIOS / "README.md").read_text()
    body = readme.split("<!-- itdl-headlines -->")[1].split("<!-- /itdl-headlines -->")[0]
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in body.strip().splitlines()
    ]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[2:]]


def test_headline_table_lists_every_scenario() -> None:
    assert sorted(r["scenario"] for r in headline_rows()) == sorted(f"`{n}.yaml`" for n in NAMES)


@pytest.mark.parametrize("row", headline_rows(), ids=lambda r: r["scenario"])
def test_documented_headline_results(row: dict[str, str]) -> None:
    name = row["scenario"].strip("`").removesuffix(".yaml")
    s = bundle(name).scenario
    _, summary = plain(name)
    worst = max(summary.processes, key=lambda p: p.below_mbco_h)  # first on ties
    assert row["seed"] == str(s.seed)
    assert row["RTO breached"] == str(sum(p.rto_breached for p in summary.processes))
    assert row["MTPD breached"] == str(sum(p.mtpd_breached for p in summary.processes))
    assert row["impact EUR"] == f"{sum(p.impact_eur for p in summary.processes):,.0f}"
    assert row["most h below MBCO"] == f"{worst.below_mbco_h:.1f} (`{worst.id}`)"


# --------------------------------------------------------------------------- built by import


def imported() -> NetboxImport:
    """The company as `tabletop import netbox` builds it from the sources."""
    mapping = read_mapping(yaml.safe_load(io.read_file(SOURCE / "mapping.yml")), "mapping.yml")
    inventory = parse_fixture(io.read_file(SOURCE / "inventory.json"), "inventory.json")
    book = read_xlsx(io.read_file(SOURCE / "bia.xlsx"), "bia.xlsx")
    return import_netbox(inventory, "inventory.json", mapping, Processes.of_workbook(book))


def test_the_import_of_the_sources_gives_the_committed_company() -> None:
    result = imported()
    committed = load_company(ITDL / "company.yaml")
    assert result.company == committed  # the same model ...
    # ... from the same data (company.yaml is the import's output under its header)
    assert yaml.safe_load((ITDL / "company.yaml").read_text()) == result.data
    report = result.report
    assert report.skipped == []
    # Every NetBox object gets its names (and more) from a BIA row; 38 assets
    # are the BIA's alone (86 = 48 + 38).
    assert (report.enriched, report.processes) == (48, 38)
    assert report.mapped == {"site": 3, "power-panel": 2, "power-feed": 4, "device": 19,
                             "provider": 2, "circuit": 7, "cluster": 3,
                             "virtual-machine": 8}  # fmt: skip


def test_the_inventory_and_the_bia_each_hold_their_part() -> None:
    """NetBox gives the IT's shape, the workbook the BCM knowledge: checked on
    a few assets against the inventory's tables (source/make_source.py)."""
    data = imported().data
    assets = {a["id"]: a for a in data["assets"]}
    netbox = [a["id"] for a in data["assets"]][:48]  # NetBox objects come first
    assert netbox[:3] == ["plagwitz_dc", "taucha_dc", "office_plagwitz"]
    # A host: site and power from NetBox (two PSUs cabled to feed A and B),
    # the LAN, restart and recovery from the BIA.
    host = assets["esx_p01"]
    needs = {n["id"]: n for n in host["needs"]}
    assert needs["power"] == {"id": "power", "type": "physical",
                              "any_of": ["plagwitz_feed_a", "plagwitz_feed_b"]}  # fmt: skip
    assert needs["site"]["all_of"] == ["plagwitz_dc"]
    assert needs["lan"]["all_of"] == ["plagwitz_core"]
    assert host["restart"] == "20min" and host["recovery"]["team"] == "sysadmins"
    # A cluster needs n-1 of its hosts (the importer's default): 3 of 4, 1 of 2.
    prod = {n["id"]: n for n in assets["cl_prod"]["needs"]}["hosts"]
    assert prod["k_of_n"] == {"k": 3, "of": ["esx_p01", "esx_p02", "esx_p03", "esx_p04"]}
    mgmt = {n["id"]: n for n in assets["cl_mgmt"]["needs"]}["hosts"]
    assert mgmt["k_of_n"] == {"k": 1, "of": ["esx_m01", "esx_m02"]}
    # The edge needs the two uplinks cabled to it; a feed hangs on its panel,
    # which the BIA puts behind the UPS-backed power.
    edge = {n["id"]: n for n in assets["plagwitz_edge"]["needs"]}
    assert edge["wan"]["any_of"] == ["plagwitz_uplink_a", "plagwitz_uplink_b"]
    assert assets["plagwitz_feed_a"]["needs"] == [
        {"id": "panel", "type": "physical", "all_of": ["plagwitz_panel"]}
    ]
    panel = {n["id"]: n for n in assets["plagwitz_panel"]["needs"]}
    assert panel["power"]["all_of"] == ["plagwitz_power"]
    # A VM on one cluster in NetBox; the BIA says AD has a domain controller
    # on each of two (its `host` need replaced).
    ad = {n["id"]: n for n in assets["ad_mgmt"]["needs"]}
    assert ad["host"]["any_of"] == ["cl_mgmt", "cl_taucha"]
    # The processes and the power plant are the BIA's alone.
    assert not any(a["kind"] == "business_process" for a in data["assets"][:48])
    assert {"plagwitz_power", "grid_plagwitz", "colocation"} <= set(assets)
