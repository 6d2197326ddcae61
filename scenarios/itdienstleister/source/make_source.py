"""Write the sources of Muldental IT-Services: inventory.json and bia.xlsx.

Used once, to move the hand-written company into the two places a real
provider keeps it: the IT inventory in NetBox (`inventory.json`, a
`manage.py dumpdata` fixture built from the tables below) and the business
impact analysis in a workbook (`bia.xlsx`). The workbook is the source from
then on: edit it (and the inventory), not this script, and rebuild the
company with the import (README.md here).

    .venv/bin/python scenarios/itdienstleister/source/make_source.py MODEL.yaml

MODEL.yaml is the company the sources should give: the hand-written
company.yaml it was first run on (git history, before "built by import"), or
today's company.yaml, on which it writes the same workbook's data again.
The workbook gets every asset NetBox does not know, and for every NetBox
object the fields NetBox has no column for (a German and English name,
restart, recovery, trust domains, backups, standby) and the needs that
differ from what the import makes of the inventory (docs/import-netbox.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from simulator.model.schema import Company
from simulator.readwrite import io
from simulator.readwrite.bia_write import company_rows, write_xlsx
from simulator.readwrite.netbox import import_netbox, parse_fixture, read_mapping

HERE = Path(__file__).resolve().parent
CREATED = "2026-10-01T08:00:00Z"

# --- the inventory, as NetBox has it ------------------------------------------------

SITES = [  # pk, name, slug, facility
    (1, "RZ Leipzig-Plagwitz", "rz-plagwitz", "Rechenzentrum Plagwitz, Serverräume 1-3"),
    (2, "RZ Taucha", "rz-taucha", "Ausweich-Rechenzentrum Taucha"),
    (3, "Büro Plagwitz", "buero-plagwitz", "Service Desk und Leitstand"),
]
PANELS = [(1, "UV-RZ-PLA", 1), (2, "UV-RZ-TAU", 2)]  # pk, name, site
FEEDS = [(1, "PLA-A", 1, "primary"), (2, "PLA-B", 1, "redundant"),
         (3, "TAU-A", 2, "primary"), (4, "TAU-B", 2, "redundant")]  # fmt: skip
ROLES = [(1, "Core-Switch", "core-switch"), (2, "Router/Firewall", "edge-router"),
         (3, "Storage", "storage"), (4, "Hypervisor", "hypervisor"),
         (5, "Backup-Server", "backup-server"), (6, "VPN-Gateway", "vpn-gateway"),
         (7, "Telefonanlage", "telephone-system")]  # fmt: skip
TYPES = [(1, "Arista", "7280R3"), (2, "Fortinet", "FortiGate 600F"), (3, "NetApp", "AFF A400"),
         (4, "Dell", "PowerEdge R760"), (5, "Dell", "PowerEdge R660xs"),
         (6, "Auerswald", "COMpact 5500R")]  # fmt: skip
# pk, name, role, type, site, cluster; every device has PSU0 on feed A, PSU1 on feed B
DEVICES = [
    (1, "pla-core", 1, 1, 1, None), (2, "pla-edge", 2, 2, 1, None), (3, "pla-san", 3, 3, 1, None),
    (4, "esx-p01", 4, 4, 1, 1), (5, "esx-p02", 4, 4, 1, 1), (6, "esx-p03", 4, 4, 1, 1),
    (7, "esx-p04", 4, 4, 1, 1), (8, "esx-m01", 4, 4, 1, 2), (9, "esx-m02", 4, 4, 1, 2),
    (10, "pla-vpn", 6, 2, 1, None), (11, "pla-pbx", 7, 6, 1, None),
    (12, "tau-core", 1, 1, 2, None), (13, "tau-edge", 2, 2, 2, None),
    (14, "tau-san", 3, 3, 2, None),
    (15, "esx-t01", 4, 4, 2, 3), (16, "esx-t02", 4, 4, 2, 3), (17, "esx-t03", 4, 4, 2, 3),
    (18, "tau-immutable", 5, 5, 2, None), (19, "tau-cloudconnect", 5, 5, 2, None),
]  # fmt: skip
SITE_FEEDS = {1: (1, 2), 2: (3, 4)}
CLUSTERS = [(1, "prod", 1), (2, "mgmt", 1), (3, "taucha", 2)]  # pk, name, site
VMS = [  # pk, name, cluster; the order the management domain has them in the model
    (1, "backup01", 2), (2, "dc01", 2), (3, "vcenter01", 2), (4, "monitor01", 2),
    (5, "otrs01", 2), (6, "sw-app01", 1), (7, "erp-ts01", 1), (8, "exch01", 1),
]  # fmt: skip
PROVIDERS = [(1, "Mitteldeutsche Glasfasernetz", "mitteldeutsche-glasfasernetz"),
             (2, "Elbe-Saale Telekommunikation", "elbe-saale-telekommunikation")]  # fmt: skip
CIRCUIT_TYPES = [(1, "Internet", "internet"), (2, "Dark Fibre", "dark-fibre"),
                 (3, "Ethernet-Standleitung", "ethernet"), (4, "SIP-Trunk", "sip")]  # fmt: skip
# pk, cid, provider, type, A-end site, Z-end site, device the A end is cabled to
CIRCUITS = [
    (1, "MGN-IP-40711", 1, 1, 1, None, 2), (2, "EST-IP-88120", 2, 1, 1, None, 2),
    (3, "EST-IP-88135", 2, 1, 2, None, 13), (4, "MGN-DF-40720", 1, 2, 1, 2, None),
    (5, "MGN-DF-40721", 1, 2, 1, 2, None), (6, "MGN-ETH-40733", 1, 3, 1, None, None),
    (7, "MGN-SIP-40750", 1, 4, 1, None, 11),
]  # fmt: skip


def inventory() -> list[dict[str, Any]]:
    """The fixture: the models and fields of NetBox 3.6's dumpdata."""
    items: list[dict[str, Any]] = []

    def o(kind: str, pk: int, **fields: Any) -> None:
        items.append({"model": kind, "pk": pk, "fields": {"created": CREATED, **fields}})

    for pk, name, slug, facility in SITES:
        o("dcim.site", pk, name=name, slug=slug, status="active", facility=facility,
          region=None, tenant=None, time_zone="Europe/Berlin")  # fmt: skip
    for pk, name, slug in ROLES:
        o("dcim.devicerole", pk, name=name, slug=slug, color="9e9e9e", vm_role=False)
    makers = sorted({m for _, m, _ in TYPES})
    for i, maker in enumerate(makers, 1):
        o("dcim.manufacturer", i, name=maker, slug=maker.lower())
    for pk, maker, product in TYPES:
        o("dcim.devicetype", pk, manufacturer=makers.index(maker) + 1, model=product,
          slug=product.lower().replace(" ", "-"), u_height="1.0")  # fmt: skip
    for pk, name, site in PANELS:
        o("dcim.powerpanel", pk, site=site, location=None, name=name)
    for pk, name, panel, kind in FEEDS:
        o("dcim.powerfeed", pk, power_panel=panel, rack=None, name=name, status="active",
          type=kind, supply="ac", phase="three-phase", voltage=400, amperage=63)  # fmt: skip
    o("virtualization.clustertype", 1, name="VMware vSphere", slug="vmware-vsphere")
    for pk, name, site in CLUSTERS:
        o("virtualization.cluster", pk, name=name, type=1, status="active", site=site)
    cable = termination = port = 0

    def cable_between(a: tuple[str, str, int], b: tuple[str, str, int]) -> int:
        nonlocal cable, termination
        cable += 1
        o("dcim.cable", cable, type="", status="connected", label="")
        for end, (app, model, pk) in (("A", a), ("B", b)):
            termination += 1
            o("dcim.cabletermination", termination, cable=cable, cable_end=end,
              termination_type=[app, model], termination_id=pk)  # fmt: skip
        return cable

    for pk, name, role, kind, site, cluster in DEVICES:
        o("dcim.device", pk, device_type=kind, role=role, tenant=None, name=name, site=site,
          location=None, rack=None, status="active", cluster=cluster)  # fmt: skip
        for i, feed in enumerate(SITE_FEEDS[site]):
            port += 1
            o("dcim.powerport", port, device=pk, name=f"PSU{i}", type="iec-60320-c14")
            cable_between(("dcim", "powerport", port), ("dcim", "powerfeed", feed))
    for pk, name, cluster in VMS:
        o("virtualization.virtualmachine", pk, name=name, cluster=cluster, site=None,
          status="active", vcpus=4, memory=16384)  # fmt: skip
    for pk, name, slug in PROVIDERS:
        o("circuits.provider", pk, name=name, slug=slug)
    for pk, name, slug in CIRCUIT_TYPES:
        o("circuits.circuittype", pk, name=name, slug=slug)
    interface = 0
    for pk, cid, provider, kind, a_site, z_site, device in CIRCUITS:
        o("circuits.circuit", pk, cid=cid, provider=provider, type=kind, status="active")
        for side, site in (("A", a_site), ("Z", z_site)):
            if site is None:
                continue
            termination_pk = pk * 2 - (side == "A")
            o("circuits.circuittermination", termination_pk, circuit=pk, term_side=side,
              site=site)  # fmt: skip
            if side == "A" and device is not None:
                interface += 1
                o("dcim.interface", interface, device=device, name=f"wan{interface}",
                  type="10gbase-x-sfpp", enabled=True)  # fmt: skip
                cable_between(("circuits", "circuittermination", termination_pk),
                              ("dcim", "interface", interface))  # fmt: skip
    return items


# --- the BIA: what NetBox does not know ----------------------------------------------

NETBOX_NEEDS = {"site", "power", "wan", "hosts", "host", "panel"}


def _members(need: dict[str, Any]) -> tuple[int, tuple[str, ...]]:
    """A need as (k, providers): all_of = n of n, any_of = 1 of n; the
    dependency type is left out (docs: the import's types are kept)."""
    if "all_of" in need:
        return len(need["all_of"]), tuple(sorted(need["all_of"]))
    if "any_of" in need:
        return 1, tuple(sorted(need["any_of"]))
    return need["k_of_n"]["k"], tuple(sorted(need["k_of_n"]["of"]))


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    rest = {"id", "type", "all_of", "any_of", "k_of_n"}
    extra = ({k: v for k, v in a.items() if k not in rest}
             == {k: v for k, v in b.items() if k not in rest})  # fmt: skip
    return extra and _members(a) == _members(b)


def bia_assets(model: dict[str, Any], imported: dict[str, dict[str, Any]]) -> list[Any]:
    """The workbook's assets: everything NetBox does not have, and for a
    NetBox object what the import would not make of it."""
    out: list[dict[str, Any]] = []
    for asset in model["assets"]:
        mine = imported.get(asset["id"])
        if mine is None:
            out.append(asset)
            continue
        row = {"id": asset["id"], "kind": asset["kind"]}
        row |= {k: v for k, v in asset.items()
                if k not in ("id", "kind", "needs") and mine.get(k) != v}  # fmt: skip
        theirs = {n["id"]: n for n in mine.get("needs", [])}
        needs = []
        for need in asset.get("needs", []):
            need = dict(need)
            if need["id"] in ("uplinks", "uplink", "trunk"):  # NetBox: circuits cabled = wan
                need["id"] = "wan"
            if mine["id"].endswith(("_feed_a", "_feed_b")) and need["id"] == "power":
                continue  # NetBox: a feed hangs on its panel, the panel on the UPS
            if need["id"] not in theirs or not _same(need, theirs[need["id"]]):
                needs.append(need)
        if needs:
            row["needs"] = needs
        out.append(row)
    return out


PANEL_ROWS = {  # the power panels NetBox has and the hand-written model had not
    "plagwitz_panel": ({"de": "Unterverteilung RZ Plagwitz (hinter der USV)",
                        "en": "Distribution board Plagwitz data centre (behind the UPS)"},
                       "plagwitz_power"),
    "taucha_panel": ({"de": "Unterverteilung RZ Taucha (hinter der USV)",
                      "en": "Distribution board Taucha data centre (behind the UPS)"},
                     "taucha_power"),
}  # fmt: skip


def main(model_path: str) -> None:
    fixture = inventory()
    raw = json.dumps(fixture, ensure_ascii=False, indent=1).encode()
    mapping = read_mapping(yaml.safe_load((HERE / "mapping.yml").read_text()), "mapping.yml")
    result = import_netbox(parse_fixture(raw, "inventory.json"), "inventory.json", mapping)
    imported = {a["id"]: a for a in result.data["assets"]}
    model = yaml.safe_load(Path(model_path).read_text())
    assets = bia_assets(model, imported)
    ids = {a["id"] for a in assets}
    for panel, (name, power) in PANEL_ROWS.items():
        if panel not in ids:  # the hand-written model: the panel sits before its feeds
            assets.insert(0, {"id": panel, "kind": "utility", "utility": "power", "name": name,
                              "needs": [{"id": "power", "type": "physical",
                                         "all_of": [power]}]})  # fmt: skip
    bia = {"company": model["company"], "teams": model["teams"], "assets": assets}
    # Schema only (the references to NetBox objects resolve in the import).
    company = Company.model_validate(bia)
    io.write_text(HERE / "inventory.json", raw.decode() + "\n")
    io.write_bytes(HERE / "bia.xlsx", write_xlsx(company_rows(company), "de"))
    print(f"inventory.json: {len(fixture)} objects; bia.xlsx: {len(assets)} rows of assets")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(HERE.parent / "company.yaml"))
