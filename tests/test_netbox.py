"""The NetBox import against NetBox's real demo data (v3.6, MIT licence, read
from ../shared/data/netbox, never copied here) and against small hand-made
fixtures for what the demo data lacks (no power port is cabled to a power
feed, no cluster has host devices)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from netbox_api_server import TOKEN, netbox_api
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.engine.simulation import Simulation
from simulator.model.schema import Company
from simulator.model.validation import ScenarioError
from simulator.readwrite.bia_read import read_xlsx
from simulator.readwrite.bia_write import company_rows, write_xlsx
from simulator.readwrite.build import Source, bundle_from_data
from simulator.readwrite.netbox import (
    NetboxImport,
    Processes,
    import_netbox,
    parse_fixture,
    read_mapping,
    render_report,
)
from simulator.readwrite.netbox_api import ApiError, Limits, fetch_all
from simulator.readwrite.netbox_fixture import inventory_from_api

DEMO = Path(__file__).resolve().parents[2] / "shared" / "data" / "netbox" / "netbox-demo-v3.6.json"
if not DEMO.exists():  # a worktree beside /work/shared, or the main checkout
    DEMO = Path("/work/shared/data/netbox/netbox-demo-v3.6.json")
needs_demo = pytest.mark.skipif(not DEMO.exists(), reason="NetBox demo data not available")


@cache
def demo_raw() -> bytes:
    return DEMO.read_bytes()


@cache
def demo() -> NetboxImport:
    return import_netbox(parse_fixture(demo_raw(), "demo.json"), "demo.json")


def lowest(company: Company, hazards: list[dict[str, Any]]) -> dict[str, float]:
    """The lowest capacity of every asset that lost some in a 2-day run."""
    scenario = {"scenario": {"id": "s", "title": "t"}, "company": "company.yaml",
                "horizon": "2d", "seed": 1, "hazards": hazards}  # fmt: skip
    bundle = bundle_from_data(Source("s.yaml", scenario), company)
    low: dict[str, float] = {}
    for r in Simulation(bundle).run():
        if r.event == "state":
            low[r.asset] = min(low.get(r.asset, 1.0), r.after)  # type: ignore[attr-defined]
    return {asset: capacity for asset, capacity in low.items() if capacity < 1}


def down_after(company: Company, hazards: list[dict[str, Any]]) -> set[str]:
    """Assets that went down (capacity 0) at some time in a 2-day run."""
    return {asset for asset, capacity in lowest(company, hazards).items() if capacity == 0}


def outage(*assets: str) -> dict[str, Any]:
    return {"at": "1h", "hazard": {"type": "outage", "assets": list(assets), "duration": "4h"}}


def asset(result: NetboxImport, ident: str) -> dict[str, Any]:
    return next(a for a in result.data["assets"] if a["id"] == ident)


# --- the demo data --------------------------------------------------------------


@needs_demo
def test_the_demo_data_imports_and_validates() -> None:
    result = demo()
    report = result.report
    # 72 devices, of which 19 are patch panels (13 at the DM branches, pk 74-86,
    # and 6 at NCSU, pk 87-92): skipped by the default role mapping.
    assert report.read["devices"] == 72
    assert report.mapped == {"site": 24, "power-panel": 4, "power-feed": 48, "device": 53,
                             "provider": 3, "circuit": 29, "cluster": 32,
                             "virtual-machine": 180}  # fmt: skip
    assert len(result.company.assets) == 24 + 4 + 48 + 53 + 3 + 29 + 32 + 180
    # The company file written by the CLI is this data: it validates again.
    assert Company.model_validate(result.data, context={"from_file": True}) is not None


@needs_demo
def test_the_report_lists_mapped_and_skipped_objects_with_reasons() -> None:
    result = demo()
    skipped = {(kind, name): reason[0] for kind, name, reason in result.report.skipped}
    assert skipped[("device", "Panduit 48-Port Patch Panel (74)")] == (
        "role {role} is skipped by the mapping"
    )
    # Circuits exist of Level 3, CenturyLink and NCSU Facilities only.
    assert {n for k, n in skipped if k == "provider"} == {"AT&T", "Comcast", "GTT", "NTT",
                                                          "Verizon", "Zayo"}  # fmt: skip
    text = render_report(result.report, "en")
    assert "| device | 72 | 53 | 19 |" in text
    assert "| device | Panduit 48-Port Patch Panel (74) | role Patch Panel is skipped" in text
    assert "11 devices have no power port cabled to a feed or PDU" in text
    # Every mapped object by its NetBox name, with the id a BIA may use instead.
    assert "| device | dmi01-akron-pdu01 | dev-dmi01-akron-pdu01 | equipment |" in text
    assert "| virtual-machine | vm17 | vm-vm17 | application |" in text
    assert text.count("| power-feed | P") == 48
    german = render_report(result.report, "de")
    assert "| device | Panduit 48-Port Patch Panel (74) | Rolle Patch Panel wird laut" in german
    assert "Ausgelassene Objekte" in german and "skipped by" not in german
    assert "| site | MDF | site-ncsu-065 | Standort |" in german


@needs_demo
def test_devices_need_their_site_power_and_circuits() -> None:
    result = demo()
    # dmi01-akron-rtr01 (device 1): PSU0 is cabled (cable 61) to Outlet 1 of
    # dmi01-akron-pdu01 (device 27); its Gi0/0/0 to circuit KKDG4923 (Level 3,
    # cable 7) and Gi0/0/1 to 1002840283 (CenturyLink, cable 21).
    router = asset(result, "dev-dmi01-akron-rtr01")
    assert router["kind"] == "it_system" and router["location"] == "site-dm-akron"
    assert router["needs"] == [
        {"id": "site", "type": "geographic", "all_of": ["site-dm-akron"]},
        {"id": "power", "type": "physical", "all_of": ["dev-dmi01-akron-pdu01"]},
        {"id": "wan", "type": "cyber", "any_of": ["circuit-1002840283", "circuit-kkdg4923"]},
    ]
    assert asset(result, "dev-dmi01-akron-pdu01")["kind"] == "equipment"
    # ncsu-coreswitch1 (device 96) sits in rack R103 (rack 16), whose feeds are
    # P1-3A and P2-3B (power feeds 5 and 6); its four PSUs are not cabled.
    core = asset(result, "dev-ncsu-coreswitch1")
    assert {"id": "power", "type": "physical", "any_of": ["feed-mdf-p1-3a", "feed-mdf-p2-3b"]} in (
        core["needs"]
    )
    assert asset(result, "feed-mdf-p1-3a")["needs"] == [
        {"id": "panel", "type": "physical", "all_of": ["panel-mdf-panel-1"]}
    ]
    # Circuit 319031 (NCSU Facilities) ends at Butler Communications (termination
    # 37) on rear port 1252 of the patch panel PP:MDF (device 90, skipped);
    # its front ports 1393-1396 are cabled (124-127) to xe-0/0/0..3 of
    # ncsu128-distswitch1 (device 93): the switch needs the circuit, found
    # through the patch panel.
    dist = asset(result, "dev-ncsu128-distswitch1")
    assert dist["needs"][-1] == {"id": "wan", "type": "cyber", "all_of": ["circuit-319031"]}
    assert asset(result, "circuit-319031")["needs"] == [
        {"id": "provider", "type": "logical", "all_of": ["provider-ncsu-facilities"]}
    ]
    vm = asset(result, "vm-vm1")
    assert vm["kind"] == "application"
    assert vm["needs"] == [{"id": "host", "type": "cyber", "all_of": ["cluster-do-ams3"]}]


@needs_demo
def test_one_power_feed_down_takes_down_nothing_with_a_second_live_feed() -> None:
    company = demo().company
    # Rack R105 (rack 18) holds the two unnamed ToR switches 98 and 99 and is
    # fed by P1-5A (panel 1) and P2-5B (panel 2).
    assert down_after(company, [outage("feed-mdf-p1-5a")]) == {"feed-mdf-p1-5a"}
    both = down_after(company, [outage("feed-mdf-p1-5a", "feed-mdf-p2-5b")])
    assert both == {"feed-mdf-p1-5a", "feed-mdf-p2-5b", "dev-juniper-qfx5100-48t-6q-98",
                    "dev-juniper-qfx5100-48t-6q-99"}  # fmt: skip


@needs_demo
def test_a_pdu_down_takes_down_exactly_the_devices_cabled_to_it() -> None:
    company = demo().company
    # dmi01-akron-pdu01's Outlet 1 feeds the router (cable 61), Outlet 2 the
    # access switch dmi01-akron-sw01 (cable 62); nothing else at Akron is
    # cabled to it, and the circuits do not depend on the router.
    assert down_after(company, [outage("dev-dmi01-akron-pdu01")]) == {
        "dev-dmi01-akron-pdu01",
        "dev-dmi01-akron-rtr01",
        "dev-dmi01-akron-sw01",
    }
    # One of Akron's two circuits lost: the router runs on the other.
    assert down_after(company, [outage("circuit-kkdg4923")]) == {"circuit-kkdg4923"}
    # Level 3 lost: all 13 of its circuits fall, every branch router keeps CenturyLink.
    level3 = down_after(company, [outage("provider-level-3")])
    assert len(level3) == 1 + 13 and not any(a.startswith("dev-") for a in level3)
    assert "dev-dmi01-akron-rtr01" in down_after(
        company, [outage("provider-level-3", "provider-centurylink")]
    )


# --- a hand-made fixture: power cabled to feeds, a cluster with hosts ----------------


def small_fixture() -> list[dict[str, Any]]:
    """Site HQ with one rack and two feeds A and B (panels PA, PB); hosts h1
    and h2 have PSU0 cabled to A and PSU1 to B, h3 only PSU0 to A; cluster
    C of h1-h3 runs vm-a; site Branch has a second device named h1."""

    def o(kind: str, pk: int, **fields: Any) -> dict[str, Any]:
        return {"model": kind, "pk": pk, "fields": fields}

    items = [
        o("dcim.site", 1, name="HQ", slug="hq", status="active"),
        o("dcim.site", 2, name="Branch", slug="branch", status="active"),
        o("dcim.rack", 1, name="R1", site=1),
        o("dcim.devicerole", 1, name="Server", slug="server"),
        o("dcim.manufacturer", 1, name="Dell"),
        o("dcim.devicetype", 1, manufacturer=1, model="R740"),
        o("dcim.powerpanel", 1, name="PA", site=1),
        o("dcim.powerpanel", 2, name="PB", site=1),
        o("dcim.powerfeed", 1, name="A", power_panel=1, rack=1, status="active", type="primary"),
        o("dcim.powerfeed", 2, name="B", power_panel=2, rack=1, status="active",
          type="redundant"),
        o("virtualization.cluster", 1, name="C", site=1, status="active"),
        o("virtualization.virtualmachine", 1, name="vm-a", cluster=1, status="active"),
        o("dcim.device", 4, name="h1", role=1, site=2, rack=None, status="active", cluster=None,
          device_type=1),
    ]  # fmt: skip
    cable = 0
    for pk, feeds in ((1, [1, 2]), (2, [1, 2]), (3, [1])):
        items.append(o("dcim.device", pk, name=f"h{pk}", role=1, site=1, rack=1,
                       status="active", cluster=1, device_type=1))  # fmt: skip
        for i, feed in enumerate(feeds):
            port, cable = pk * 10 + i, cable + 1
            items.append(o("dcim.powerport", port, device=pk, name=f"PSU{i}"))
            items.append(o("dcim.cable", cable, status="connected"))
            items.append(
                o(
                    "dcim.cabletermination",
                    cable * 2,
                    cable=cable,
                    cable_end="A",
                    termination_type=["dcim", "powerport"],
                    termination_id=port,
                )
            )
            items.append(
                o(
                    "dcim.cabletermination",
                    cable * 2 + 1,
                    cable=cable,
                    cable_end="B",
                    termination_type=["dcim", "powerfeed"],
                    termination_id=feed,
                )
            )
    return items


def small(mapping: dict[str, Any] | None = None) -> NetboxImport:
    raw = json.dumps(small_fixture()).encode()
    rules = read_mapping(mapping, "map.yaml") if mapping else None
    return import_netbox(parse_fixture(raw, "small.json"), "small.json", rules)


def test_a_feed_down_takes_down_exactly_the_devices_cabled_only_to_it() -> None:
    result = small()
    assert asset(result, "dev-h1")["needs"][1] == {
        "id": "power",
        "type": "physical",
        "any_of": ["feed-hq-a", "feed-hq-b"],
    }
    assert asset(result, "dev-h3")["needs"][1] == {"id": "power", "type": "physical",
                                                   "all_of": ["feed-hq-a"]}  # fmt: skip
    # Feed A down: only h3 (one PSU, cabled to A) falls; h1 and h2 run on B;
    # the cluster needs 2 of its 3 hosts (n-1), so it and vm-a stay up.
    assert down_after(result.company, [outage("feed-hq-a")]) == {"feed-hq-a", "dev-h3"}
    # Panel PB down takes B: nobody depends on B alone.
    assert down_after(result.company, [outage("panel-hq-pb")]) == {"panel-hq-pb", "feed-hq-b"}
    # h2 down as well as feed A: 1 of the 2 hosts needed is left, so the
    # cluster (and its VM) runs at 1/2 (k_of_n: min(1, up / k)); with h1 down
    # too it stops.
    assert lowest(result.company, [outage("feed-hq-a", "dev-h2")]) == {
        "feed-hq-a": 0,
        "dev-h3": 0,
        "dev-h2": 0,
        "cluster-c": 0.5,
        "vm-vm-a": 0.5,
    }
    assert down_after(result.company, [outage("feed-hq-a", "dev-h2", "dev-h1")]) == {
        "feed-hq-a",
        "dev-h3",
        "dev-h2",
        "dev-h1",
        "cluster-c",
        "vm-vm-a",
    }


def test_same_names_get_unique_ids_in_a_stable_order() -> None:
    result = small()
    # h1 at HQ (pk 1) comes before h1 at Branch (pk 4): dev-h1, dev-h1-2.
    assert asset(result, "dev-h1")["location"] == "site-hq"
    assert asset(result, "dev-h1-2")["location"] == "site-branch"
    assert small().data == result.data


def test_long_and_foreign_names_make_valid_ids() -> None:
    items = small_fixture()
    for item in items:
        if item["model"] == "dcim.site" and item["pk"] == 1:
            item["fields"].update(name="Zentrale Köln " + "ä" * 90, slug="")
        if item["model"] == "dcim.powerpanel":
            item["fields"]["name"] = "Unterverteilung " + "x" * 100 + str(item["pk"])
    result = import_netbox(parse_fixture(json.dumps(items).encode(), "s.json"), "s.json")
    sites = [a["id"] for a in result.data["assets"] if a["kind"] == "site"]
    # The name's slug is cut at 100 characters: "zentrale-koln-" and 86 a.
    assert sites[0] == "site-zentrale-koln-" + "a" * 86
    panels = [a["id"] for a in result.data["assets"] if a["id"].startswith("panel-")]
    # Both cut at 110 characters alike: the second one gets a suffix.
    assert [len(p) for p in panels] == [110, 112] and panels[1] == panels[0] + "-2"


def test_a_mapping_file_changes_the_result_as_documented() -> None:
    default = small()
    assert asset(default, "cluster-c")["needs"][1] == {
        "id": "hosts",
        "type": "cyber",
        "k_of_n": {"k": 2, "of": ["dev-h1", "dev-h2", "dev-h3"]},
    }
    strict = small({"cluster_k": "all", "roles": {"Server": "equipment"},
                    "names": {"h2": "Hypervisor 2"}, "exclude_sites": ["branch"],
                    "company": {"id": "acme", "name": "ACME"}})  # fmt: skip
    assert asset(strict, "cluster-c")["needs"][1] == {
        "id": "hosts",
        "type": "cyber",
        "all_of": ["dev-h1", "dev-h2", "dev-h3"],
    }
    assert asset(strict, "dev-h2")["kind"] == "equipment"
    assert asset(strict, "dev-h2")["name"] == "Hypervisor 2"
    assert not any(a["id"] == "dev-h1-2" for a in strict.data["assets"])
    assert ("site", "Branch", ("excluded by the mapping", {})) in strict.report.skipped
    assert strict.data["company"] == {"id": "acme", "name": "ACME"}
    # With all hosts required, one host down takes the cluster down.
    assert "cluster-c" in down_after(strict.company, [outage("feed-hq-a")])
    # Without rack feeds the uncabled devices of the demo need no power at all.
    per_cluster = small({"clusters": {"C": 1}})
    assert asset(per_cluster, "cluster-c")["needs"][1]["k_of_n"]["k"] == 1


@needs_demo
def test_rack_feeds_can_be_switched_off() -> None:
    rules = read_mapping({"rack_feeds": False, "sites": ["MDF"]}, "map.yaml")
    result = import_netbox(parse_fixture(demo_raw(), "demo.json"), "demo.json", rules)
    core = asset(result, "dev-ncsu-coreswitch1")
    assert [n["id"] for n in core["needs"]] == ["site", "wan"]
    assert all(a.get("location") in (None, "site-ncsu-065") for a in result.data["assets"])
    assert result.report.mapped["site"] == 1


def test_a_bad_mapping_file_names_the_field() -> None:
    with pytest.raises(ScenarioError) as e:
        read_mapping({"rack_feed": True, "cluster_k": 0}, "map.yaml")
    lines = [str(p) for p in e.value.problems]
    assert "map.yaml: rack_feed: unknown field" in lines
    assert any(line.startswith("map.yaml: cluster_k") for line in lines)


# --- processes from the BIA side ----------------------------------------------------


def processes(assets: list[dict[str, Any]]) -> Processes:
    return Processes("bia.yaml", {"assets": assets})


def test_processes_refer_to_netbox_objects_by_name() -> None:
    inv = parse_fixture(json.dumps(small_fixture()).encode(), "small.json")
    bia = processes([{"id": "billing", "kind": "business_process",
                      "bia": {"rto": "4h", "mtpd": "1d", "impact_per_hour": 1000},
                      "needs": [{"type": "cyber", "all_of": ["vm-a"]},
                                {"type": "geographic", "all_of": ["HQ"]}]}])  # fmt: skip
    result = import_netbox(inv, "small.json", None, bia)
    assert asset(result, "billing")["needs"][0]["all_of"] == ["vm-vm-a"]
    assert asset(result, "billing")["needs"][1]["all_of"] == ["site-hq"]
    assert result.report.processes == 1
    assert "billing" in down_after(result.company, [outage("feed-hq-a", "dev-h2", "dev-h1")])


def test_unknown_and_ambiguous_names_are_reported_where_the_bia_has_them() -> None:
    inv = parse_fixture(json.dumps(small_fixture()).encode(), "small.json")
    bia = processes([{"id": "billing", "kind": "business_process",
                      "needs": [{"all_of": ["vm-b"]}, {"any_of": ["h1"]}]}])  # fmt: skip
    with pytest.raises(ScenarioError) as e:
        import_netbox(inv, "small.json", None, bia)
    lines = [str(p) for p in e.value.problems]
    assert any("assets[0].needs[0].all_of[0]: unknown asset 'vm-b'" in line for line in lines)
    assert ("bia.yaml: assets[0].needs[1].any_of[0]: NetBox name 'h1' fits several objects "
            "(dev-h1, dev-h1-2): write the asset id") in lines  # fmt: skip
    assert all(line.startswith("bia.yaml") for line in lines)


def test_the_mapping_can_keep_a_companys_own_asset_ids() -> None:
    result = small({"ids": {"h1": "esx_1", "HQ": "hq_dc", "C": "cl_main"}})
    ids = [a["id"] for a in result.data["assets"]]
    # Both devices called h1 want esx_1: the second gets the usual suffix.
    assert "esx_1" in ids and "esx_1-2" in ids and "dev-h1" not in ids
    assert asset(result, "esx_1")["needs"][0] == {"id": "site", "type": "geographic",
                                                  "all_of": ["hq_dc"]}  # fmt: skip
    assert asset(result, "cl_main")["needs"][1]["k_of_n"]["of"] == ["esx_1", "dev-h2", "dev-h3"]
    assert asset(result, "vm-vm-a")["needs"] == [
        {"id": "host", "type": "cyber", "all_of": ["cl_main"]}
    ]


def test_a_bia_row_with_an_imported_id_enriches_that_object() -> None:
    inv = parse_fixture(json.dumps(small_fixture()).encode(), "small.json")
    # vm-a gets a name in two languages, a restart and a trust domain; its
    # `host` need is replaced (a clean room as second host), a `data` need added.
    # The row names it by its NetBox name; h2 by its asset id.
    bia = processes([
        {"id": "clean_room", "kind": "it_system", "standby": {"lead_time": "1d"}},
        {"id": "vm-a", "kind": "application", "name": {"de": "Abrechnung", "en": "Billing"},
         "restart": "1h", "trust": ["corp"],
         "needs": [{"id": "data", "type": "cyber", "all_of": ["dev-h3"]},
                   {"id": "host", "type": "cyber", "any_of": ["C", "clean_room"]}]},
        {"id": "dev-h2", "kind": "it_system", "restart": "20min"},
    ])  # fmt: skip
    result = import_netbox(inv, "small.json", None, bia)
    ids = [a["id"] for a in result.data["assets"]]
    assert ids.count("vm-vm-a") == 1 and ids.count("dev-h2") == 1 and "vm-a" not in ids
    assert ids[-1] == "clean_room" and result.report.processes == 1
    assert result.report.enriched == 2
    assert "NetBox objects completed by the BIA: 2" in render_report(result.report)
    assert "Durch die BIA ergänzte NetBox-Objekte: 2" in render_report(result.report, "de")
    vm = asset(result, "vm-vm-a")
    assert vm["name"] == {"de": "Abrechnung", "en": "Billing"}
    assert (vm["restart"], vm["trust"], vm["kind"]) == ("1h", ["corp"], "application")
    assert vm["needs"] == [
        {"id": "data", "type": "cyber", "all_of": ["dev-h3"]},
        {"id": "host", "type": "cyber", "any_of": ["cluster-c", "clean_room"]},
    ]
    h2 = asset(result, "dev-h2")
    assert h2["restart"] == "20min" and [n["id"] for n in h2["needs"]] == ["site", "power"]
    # The clean room is a standby: with the cluster gone, vm-a still falls
    # (until someone activates it) - and its data need on h3 takes it down alone.
    assert "vm-vm-a" in down_after(result.company, [outage("dev-h3")])
    assert "cluster-c" not in down_after(result.company, [outage("dev-h3")])


def test_a_problem_in_an_enriching_row_is_reported_at_that_row() -> None:
    inv = parse_fixture(json.dumps(small_fixture()).encode(), "small.json")
    bia = processes([{"id": "billing", "kind": "business_process"},
                     {"id": "vm-a", "kind": "application", "restart": "soon"}])  # fmt: skip
    with pytest.raises(ScenarioError) as e:
        import_netbox(inv, "small.json", None, bia)
    lines = [str(p) for p in e.value.problems]
    assert any(line.startswith("bia.yaml: assets[1].restart: not a duration") for line in lines)
    bia = processes([{"id": "vm-a", "kind": "application",
                      "needs": [{"id": "data", "all_of": ["vm-a"]},
                                {"id": "host", "all_of": ["nowhere"]}]}])  # fmt: skip
    with pytest.raises(ScenarioError) as e:
        import_netbox(inv, "small.json", None, bia)
    lines = [str(p) for p in e.value.problems]
    assert any(line.startswith("bia.yaml: assets[0].needs[1].all_of[0]: unknown asset "
                               "'nowhere'") for line in lines), lines  # fmt: skip


# --- malformed input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'[{"model": "dcim.site", "pk": 1, ', "bad.json:1: json: Expecting"),
        (b'{"model": "dcim.site"}', "bad.json: file: a NetBox fixture is a list of objects"),
        (b'[{"model": "dcim.site", "pk": "x", "fields": {}}]',
         "bad.json:object 1: pk: dcim.site: expected an integer key, found 'x'"),
        (b'[{"model": "dcim.device", "pk": 5, "fields": {"name": "d", "site": "HQ"}}]',
         "bad.json:dcim.device 5: site: expected the key of an object, found 'HQ'"),
        (b'[7]', "bad.json:object 1: model: not a fixture object"),
    ],
)  # fmt: skip
def test_a_malformed_fixture_is_a_clear_problem(raw: bytes, expected: str) -> None:
    with pytest.raises(ScenarioError) as e:
        parse_fixture(raw, "bad.json")
    assert str(e.value.problems[0]).startswith(expected)


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def tabletop(*args: str, env: dict[str, str] | None = None) -> Done:
    """The command line, in-process; an exception escaping it (a traceback
    for the user) fails the test."""
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, result.stderr)


def test_the_cli_reports_a_malformed_fixture_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"model": "dcim.device", "pk": 5, "fields": {"site": []}}]')
    done = tabletop("import", "netbox", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert f"{bad}:dcim.device 5: site: expected the key of an object" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out").exists()
    german = tabletop("import", "netbox", str(bad), "--out", str(tmp_path / "out"), "--lang", "de")
    assert german.returncode == 2
    assert "site: Schlüssel eines Objekts erwartet, gefunden: []" in german.stderr


@needs_demo
def test_the_cli_writes_company_and_report(tmp_path: Path) -> None:
    bia = tmp_path / "bia.yaml"
    bia.write_text("assets:\n  - id: branch_sales\n    kind: business_process\n"
                   "    bia: {rto: 4h, mtpd: 1d}\n    needs:\n"
                   "      - {type: cyber, all_of: [dmi01-akron-rtr01]}\n")  # fmt: skip
    done = tabletop("import", "netbox", str(DEMO), "--bia", str(bia), "--out", str(tmp_path),
                    "--lang", "de")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "company.yaml").exists()
    report = (tmp_path / "import-report.md").read_text()
    assert "Aus der BIA übernommene Geschäftsprozesse: 1" in report
    check = tabletop("validate", str(tmp_path / "company.yaml"))
    assert check.returncode == 0, check.stdout
    bia.write_text(bia.read_text().replace("dmi01-akron-rtr01", "dmi01-akron-rtr1"))
    done = tabletop("import", "netbox", str(DEMO), "--bia", str(bia), "--out", str(tmp_path))
    assert done.returncode == 2
    assert f"{bia}:6: assets[0].needs[0].all_of[0]: unknown asset 'dmi01-akron-rtr1'" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


# --- the REST API path -------------------------------------------------------------------


@needs_demo
def test_the_api_gives_the_same_company_as_the_fixture() -> None:
    fixture = json.loads(demo_raw())
    with netbox_api(fixture) as (url, requests):
        pages = fetch_all(url, TOKEN, Limits(page_size=50))
    # 180 virtual machines in pages of 50: four requests, offsets 0 .. 150.
    vm_pages = [r for r in requests if r.startswith("/api/virtualization/virtual-machines/")]
    assert len(vm_pages) == 4 and vm_pages[-1].endswith("offset=150")
    result = import_netbox(inventory_from_api(pages, url), "demo.json")
    assert result.data == demo().data
    assert result.report.mapped == demo().report.mapped


def test_the_api_path_of_the_small_fixture_matches_too() -> None:
    with netbox_api(small_fixture()) as (url, _):
        pages = fetch_all(url + "/api/", TOKEN, Limits(page_size=2))
    assert import_netbox(inventory_from_api(pages, url), "small.json").data == small().data


@pytest.mark.parametrize(
    ("faults", "token", "expected"),
    [
        ({}, "wrong", "HTTP 403: the token (NETBOX_TOKEN) is missing or may not read this list"),
        ({"dcim/devices/": 500}, TOKEN, "/api/dcim/devices/?limit=1000&offset=0: HTTP 500"),
        ({"dcim/sites/": "not json"}, TOKEN, "/api/dcim/sites/?limit=1000&offset=0: the answer "
                                             "is not JSON"),
        ({"dcim/racks/": "elsewhere"}, TOKEN, "'next' leads to another server"),
    ],
)  # fmt: skip
def test_api_errors_are_clear(faults: dict[str, Any], token: str, expected: str) -> None:
    with netbox_api(small_fixture(), faults) as (url, _), pytest.raises(ApiError) as e:
        fetch_all(url, token)
    assert expected in str(e.value)


def test_api_bounds_and_a_dead_server() -> None:
    with netbox_api(small_fixture()) as (url, _), pytest.raises(ApiError) as e:
        fetch_all(url, TOKEN, Limits(page_size=1, max_pages=5))
    assert "more than 5 pages; giving up" in str(e.value)
    with netbox_api(small_fixture()) as (url, _):
        pass  # stopped: nothing listens there any more
    with pytest.raises(ApiError) as e:
        fetch_all(url, TOKEN, Limits(timeout=5))
    assert "ConnectError" in str(e.value)
    with pytest.raises(ApiError, match="not an http"):
        fetch_all("file:///etc/passwd", TOKEN)


def test_the_cli_reads_the_api_and_reports_its_errors(tmp_path: Path) -> None:
    with netbox_api(small_fixture()) as (url, _):
        done = tabletop("import", "netbox", "--url", url, "--out", str(tmp_path),
                        env={"NETBOX_TOKEN": TOKEN})  # fmt: skip
        assert done.returncode == 0, done.stderr
        denied = tabletop("import", "netbox", "--url", url, "--out", str(tmp_path / "x"),
                          env={"NETBOX_TOKEN": "nope"})  # fmt: skip
    # 2 sites, 2 panels, 2 feeds, 4 devices, 1 cluster, 1 VM.
    assert "(12 assets)" in done.stdout
    assert denied.returncode == 2
    assert "HTTP 403" in denied.stderr and "Traceback" not in denied.stderr
    both = tabletop("import", "netbox", "x.json", "--url", url, "--out", str(tmp_path / "y"))
    assert both.returncode == 2 and "give a fixture file or --url (one of them)" in both.stderr
    neither = tabletop("import", "netbox", "--out", str(tmp_path / "y"), "--lang", "de")
    assert neither.returncode == 2
    assert "bitte eine Exportdatei oder --url angeben" in neither.stderr


def test_the_cli_reports_a_bad_mapping_file_at_its_line(tmp_path: Path) -> None:
    fixture = tmp_path / "small.json"
    fixture.write_text(json.dumps(small_fixture()))
    mapping = tmp_path / "map.yaml"
    mapping.write_text("cluster_k: all\nrack_feed: false\n")
    done = tabletop("import", "netbox", str(fixture), "--mapping", str(mapping),
                    "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert f"{mapping}:2: rack_feed: unknown field" in done.stderr
    mapping.write_text("cluster_k: all\n")
    done = tabletop("import", "netbox", str(fixture), "--mapping", str(mapping),
                    "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = yaml.safe_load((tmp_path / "out" / "company.yaml").read_text())
    cluster = next(a for a in written["assets"] if a["id"] == "cluster-c")
    assert cluster["needs"][1] == {"id": "hosts", "type": "cyber",
                                   "all_of": ["dev-h1", "dev-h2", "dev-h3"]}  # fmt: skip


# --- the BIA workbook names NetBox objects ----------------------------------------------


def bia_workbook(to: dict[str, str] | None = None) -> bytes:
    """A BIA workbook (the h-bia format, English headers) whose one process
    needs the Akron or the Albany branch router and the VM vm17: written from
    a company with stand-ins for the NetBox objects, whose rows are then
    dropped, so the workbook names them only in its Dependencies sheet."""
    company = Company.model_validate(
        {"company": {"id": "acme", "name": "ACME"}, "assets": [
            {"id": "dmi01-akron-rtr01", "kind": "it_system"},
            {"id": "dmi01-albany-rtr01", "kind": "it_system"},
            {"id": "vm17", "kind": "application"},
            {"id": "branch_sales", "kind": "business_process",
             "bia": {"rto": "4h", "mtpd": "1d", "impact_per_hour": 2000},
             "needs": [{"id": "wan", "type": "cyber",
                        "any_of": ["dmi01-akron-rtr01", "dmi01-albany-rtr01"]},
                       {"id": "app", "type": "cyber", "all_of": ["vm17"]}]}]},
        context={"from_file": True},
    )  # fmt: skip
    rows = company_rows(company)
    rows["resources"] = []
    for row in rows["dependencies"]:
        row["to"] = (to or {}).get(row["to"], row["to"])
    return write_xlsx(rows, lang="en")


@needs_demo
def test_a_bia_workbook_merges_with_the_demo_data() -> None:
    inv = parse_fixture(demo_raw(), "demo.json")
    book = read_xlsx(bia_workbook(), "bia.xlsx")
    result = import_netbox(inv, "demo.json", None, Processes.of_workbook(book))
    assert result.data["company"] == {"id": "acme", "name": "ACME"}
    assert asset(result, "branch_sales")["needs"] == [
        {"id": "wan", "type": "cyber", "any_of": ["dev-dmi01-akron-rtr01",
                                                  "dev-dmi01-albany-rtr01"]},
        {"id": "app", "type": "cyber", "all_of": ["vm-vm17"]},
    ]  # fmt: skip
    # Akron's PDU lost: its router falls, Albany's carries the branch sales.
    akron = down_after(result.company, [outage("dev-dmi01-akron-pdu01")])
    assert "dev-dmi01-akron-rtr01" in akron and "branch_sales" not in akron
    both = down_after(result.company, [outage("dev-dmi01-akron-pdu01", "dev-dmi01-albany-pdu01")])
    assert "branch_sales" in both


@needs_demo
def test_unknown_netbox_names_in_a_workbook_are_reported_at_their_cells() -> None:
    inv = parse_fixture(demo_raw(), "demo.json")
    raw = bia_workbook({"dmi01-akron-rtr01": "dmi01-akron-rtr1", "vm17": "vm1000"})
    with pytest.raises(ScenarioError) as e:
        import_netbox(inv, "demo.json", None, Processes.of_workbook(read_xlsx(raw, "bia.xlsx")))
    # Dependencies: row 2 Akron's router, row 3 Albany's, row 4 the VM; column B "Needs".
    assert [str(p) for p in e.value.problems] == [
        "bia.xlsx:Dependencies!B2: Needs: unknown asset 'dmi01-akron-rtr1'; "
        "did you mean 'dev-dmi01-akron-rtr01'?",
        "bia.xlsx:Dependencies!B4: Needs: unknown asset 'vm1000'; did you mean 'vm-vm100'?",
    ]


@needs_demo
def test_the_cli_takes_a_bia_workbook(tmp_path: Path) -> None:
    bia = tmp_path / "bia.xlsx"
    bia.write_bytes(bia_workbook())
    done = tabletop("import", "netbox", str(DEMO), "--bia", str(bia), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "(374 assets)" in done.stdout  # the demo's 373 and the process
    assert (
        "Business processes merged from the BIA: 1" in (tmp_path / "import-report.md").read_text()
    )
    bia.write_bytes(bia_workbook({"vm17": "vm1000"}))
    done = tabletop("import", "netbox", str(DEMO), "--bia", str(bia), "--out", str(tmp_path),
                    "--lang", "de")  # fmt: skip
    assert done.returncode == 2
    assert f"{bia}:Dependencies!B4: Needs: unbekannte Ressource 'vm1000'" in done.stderr
