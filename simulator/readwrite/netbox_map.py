"""NetBox inventory -> company data (the mapping of docs/import-netbox.md).

- site -> `site` `site-<slug>`, needing nothing;
- power panel -> power `utility` `panel-<site>-<name>`, needing its site (geographic);
- power feed -> power `utility` `feed-<site>-<name>`, needing its panel (physical);
- device -> `it_system` `dev-<name>` (kind per role: PDUs `equipment`, patch
  panels skipped), needing its site (geographic); `power` (physical): the feeds
  or PDUs its power ports are cabled to, one source `all_of`, two or more
  `any_of`; with no power port cabled, the feeds of its rack (NetBox's demo
  data draws the A and B feeds of each rack but no cable to them); `wan`
  (cyber): the circuits cabled to it, also through patch panels, two or more
  `any_of`;
- cluster -> `it_system` `cluster-<name>`, `hosts` (cyber): k of its host
  devices, k = n-1 unless the mapping says otherwise;
- virtual machine -> `application` `vm-<name>`, `host` (cyber): its cluster;
- circuit -> network `utility` `circuit-<cid>` at its A-end site, `provider`
  (logical): its provider;
- provider -> `supplier` `provider-<name>`.

A circuit termination not cabled to any device is needed by the site's
devices whose role is in `wan_roles` (routers). Objects whose status is in
`skip_status`, outside the chosen sites, or of a skipped role are left out,
and so is everything that would need them only; the `ImportReport` says
which and why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from simulator.readwrite.netbox_fixture import Inventory, Port
from simulator.readwrite.netbox_mapping import Mapping

MAX_BASE = 110
"""Characters of an id before its uniqueness suffix (an Id has at most 120)."""
MAX_HOPS = 64
"""Cables followed through patch panels from a circuit to a device."""


Text = tuple[str, dict[str, Any]]
"""An English template of the report (netbox_report.GERMAN has its German) and its values."""


@dataclass
class ImportReport:
    """What a NetBox import mapped and what it skipped, and why."""

    source: str
    read: dict[str, int] = field(default_factory=dict)  # objects read per NetBox type
    mapped: dict[str, int] = field(default_factory=dict)  # assets made per NetBox type
    assets: list[tuple[str, str, str, str]] = field(default_factory=list)  # type, name, id, kind
    # (type, name, reason): the reason is an English template of REASONS with its values
    skipped: list[tuple[str, str, Text]] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)  # fallbacks taken, same form
    processes: int = 0  # business processes merged from a BIA
    enriched: int = 0  # NetBox objects a BIA row completed (names, restart, needs, ...)

    def skip(self, kind: str, name: str, reason: str, **values: Any) -> None:
        self.skipped.append((kind, name, (reason, values)))

    def note(self, text: str, **values: Any) -> None:
        self.notes.append((text, values))

    def count(self, kind: str) -> None:
        self.mapped[kind] = self.mapped.get(kind, 0) + 1


def slug(text: str) -> str:
    """A lowercase id part: ASCII letters, digits and single dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "x"


class _Ids:
    """Deterministic, unique asset ids; NetBox names -> ids for the BIA merge."""

    def __init__(self, chosen: dict[str, str] | None = None) -> None:
        self.taken: set[str] = set()
        self.by_name: dict[str, list[str]] = {}
        self.chosen = chosen or {}  # the mapping's `ids`: NetBox name -> asset id

    def make(self, prefix: str, *parts: str, name: str) -> str:
        # Ids are at most 120 characters (schema.Id): room for a "-99999" suffix.
        base = (f"{prefix}-" + "-".join(slug(p) for p in parts if p))[:MAX_BASE].rstrip("-")
        base = self.chosen.get(name, base)
        ident, n = base, 2
        while ident in self.taken:  # two objects slugify alike: the later one gets -2, -3, ...
            ident, n = f"{base}-{n}", n + 1
        self.taken.add(ident)
        self.by_name.setdefault(name, []).append(ident)
        return ident


@dataclass
class Mapped:
    """The company data and how NetBox names lead to its asset ids."""

    company: dict[str, Any]
    names: dict[str, list[str]]  # NetBox name -> asset ids (more than one: ambiguous)
    report: ImportReport


def _matches(wanted: list[str], name: str, slug_: str) -> bool:
    keys = {w.lower() for w in wanted}
    return name.lower() in keys or slug_.lower() in keys or slug(name) in keys


def map_inventory(inv: Inventory, mapping: Mapping, source: str) -> Mapped:
    """Company data (the company file's shape) for an inventory."""
    report = ImportReport(source, read=inv.counts())
    ids = _Ids(mapping.ids)
    assets: list[dict[str, Any]] = []
    skip_status = {s.lower() for s in mapping.skip_status}

    def asset(netbox: str, ident: str, kind: str, name: str, **rest: Any) -> dict[str, Any]:
        item = {"id": ident, "kind": kind, "name": mapping.names.get(name, name), **rest}
        assets.append(item)
        report.count(netbox)
        report.assets.append((netbox, name, ident, kind))
        return item

    def inactive(status: str) -> bool:
        return status.lower() in skip_status

    # Sites
    site_id: dict[int, str] = {}
    for pk, s in inv.sites.items():
        if mapping.sites is not None and not _matches(mapping.sites, s["name"], s["slug"]):
            report.skip("site", s["name"], "not among the mapping's sites")
        elif _matches(mapping.exclude_sites, s["name"], s["slug"]):
            report.skip("site", s["name"], "excluded by the mapping")
        elif inactive(s["status"]):
            report.skip("site", s["name"], "status {status}", status=s["status"])
        else:
            site_id[pk] = ident = ids.make("site", s["slug"] or s["name"], name=s["name"])
            asset("site", ident, "site", s["name"])

    def at_site(pk: int | None) -> dict[str, Any]:
        return {"location": site_id[pk]} if pk in site_id else {}

    def site_need(pk: int | None) -> list[dict[str, Any]]:
        if pk not in site_id:
            return []
        return [{"id": "site", "type": "geographic", "all_of": [site_id[pk]]}]

    def site_name(pk: int | None) -> str:
        return str(inv.sites[pk]["name"]) if pk in inv.sites else ""

    # Power panels and feeds
    panel_id: dict[int, str] = {}
    for pk, p in inv.panels.items():
        if p["site"] not in site_id:
            report.skip("power-panel", p["name"], "its site is not imported")
            continue
        panel_id[pk] = ident = ids.make("panel", site_name(p["site"]), p["name"], name=p["name"])
        asset("power-panel", ident, "utility", p["name"], utility="power",
              **at_site(p["site"]), needs=site_need(p["site"]))  # fmt: skip
    feed_id: dict[int, str] = {}
    rack_feeds: dict[int, list[str]] = {}
    for pk, f in inv.feeds.items():
        panel = inv.panels.get(f["panel"] or 0)
        if f["panel"] not in panel_id or panel is None:
            report.skip("power-feed", f["name"], "its power panel is not imported")
            continue
        if inactive(f["status"]):
            report.skip("power-feed", f["name"], "status {status}", status=f["status"])
            continue
        feed_id[pk] = ident = ids.make("feed", site_name(panel["site"]), f["name"], name=f["name"])
        asset(
            "power-feed",
            ident,
            "utility",
            f["name"],
            utility="power",
            **at_site(panel["site"]),
            needs=[{"id": "panel", "type": "physical", "all_of": [panel_id[f["panel"]]]}],
        )
        if f["rack"] is not None:
            rack_feeds.setdefault(f["rack"], []).append(ident)

    # Devices
    roles = {k.lower(): v for k, v in mapping.roles.items()}
    device_id: dict[int, str] = {}
    device_asset: dict[int, dict[str, Any]] = {}
    for pk, d in inv.devices.items():
        role = inv.roles.get(d.role or 0, {"name": "", "slug": ""})
        kind = roles.get(role["slug"].lower(), roles.get(role["name"].lower(), "it_system"))
        if kind == "skip":
            reason = "role {role} is skipped by the mapping"
            report.skip("device", d.name, reason, role=role["name"])
        elif inactive(d.status):
            report.skip("device", d.name, "status {status}", status=d.status)
        elif d.site not in site_id:
            report.skip("device", d.name, "its site is not imported")
        else:
            device_id[pk] = ident = ids.make("dev", d.name, name=d.name)
            device_asset[pk] = asset("device", ident, str(kind), d.name, **at_site(d.site),
                                     needs=site_need(d.site))  # fmt: skip

    _power(inv, mapping, report, device_id, device_asset, feed_id, rack_feeds)

    # Providers and circuits
    provider_id: dict[int, str] = {}
    used = {c["provider"] for c in inv.circuits.values() if not inactive(c["status"])}
    for pk, p in inv.providers.items():
        if pk not in used:
            report.skip("provider", p["name"], "no imported circuit")
            continue
        provider_id[pk] = ident = ids.make("provider", p["name"], name=p["name"])
        asset("provider", ident, "supplier", p["name"])
    ends: dict[int, list[dict[str, Any]]] = {}
    for pk, t in inv.terminations.items():
        if t["circuit"] is not None:
            ends.setdefault(t["circuit"], []).append({"pk": pk, **t})
    circuit_id: dict[int, str] = {}
    for pk, c in inv.circuits.items():
        sites = [t["site"] for t in sorted(ends.get(pk, []), key=lambda t: t["side"])
                 if t["site"] in site_id]  # fmt: skip
        if inactive(c["status"]):
            report.skip("circuit", c["cid"], "status {status}", status=c["status"])
        elif c["provider"] not in provider_id:
            report.skip("circuit", c["cid"], "its provider is not imported")
        elif not sites:
            report.skip("circuit", c["cid"], "terminates at no imported site")
        else:
            circuit_id[pk] = ident = ids.make("circuit", c["cid"], name=c["cid"])
            asset("circuit", ident, "utility", c["cid"], utility="network", **at_site(sites[0]),
                  needs=[{"id": "provider", "type": "logical",
                          "all_of": [provider_id[c["provider"]]]}])  # fmt: skip
    _wan(inv, mapping, report, ends, circuit_id, device_id, device_asset, site_id)

    # Clusters and virtual machines
    hosts: dict[int, list[str]] = {}
    for pk, d in inv.devices.items():
        if d.cluster is not None and pk in device_id:
            hosts.setdefault(d.cluster, []).append(device_id[pk])
    cluster_id: dict[int, str] = {}
    hostless: list[str] = []
    for pk, c in inv.clusters.items():
        if inactive(c["status"]):
            report.skip("cluster", c["name"], "status {status}", status=c["status"])
            continue
        if c["site"] is not None and c["site"] not in site_id:
            report.skip("cluster", c["name"], "its site is not imported")
            continue
        cluster_id[pk] = ident = ids.make("cluster", c["name"], name=c["name"])
        needs = site_need(c["site"])
        members = hosts.get(pk, [])
        if members:
            k = mapping.k_of(c["name"], len(members))
            group: dict[str, Any] = (
                {"all_of": members} if k == len(members) else {"k_of_n": {"k": k, "of": members}}
            )
            needs.append({"id": "hosts", "type": "cyber", **group})
        else:
            hostless.append(c["name"])
        asset("cluster", ident, "it_system", c["name"], **at_site(c["site"]), needs=needs)
    if hostless:
        report.note("{n} clusters have no host devices in NetBox (cloud clusters?) and need "
                    "nothing: {names}", n=len(hostless), names=", ".join(hostless))  # fmt: skip
    for v in inv.vms.values():
        if inactive(v["status"]):
            report.skip("virtual-machine", v["name"], "status {status}", status=v["status"])
        elif v["cluster"] not in cluster_id:
            report.skip("virtual-machine", v["name"], "its cluster is not imported")
        else:
            ident = ids.make("vm", v["name"], name=v["name"])
            asset(
                "virtual-machine",
                ident,
                "application",
                v["name"],
                needs=[{"id": "host", "type": "cyber", "all_of": [cluster_id[v["cluster"]]]}],
            )
    company = {"company": mapping.company.model_dump(exclude_none=True), "assets": assets}
    return Mapped(company, ids.by_name, report)


def _group(need: str, kind: str, providers: list[str]) -> dict[str, Any]:
    """One provider: all_of; two or more: any_of (one of them suffices)."""
    members = sorted(set(providers))
    key = "all_of" if len(members) == 1 else "any_of"
    return {"id": need, "type": kind, key: members}


def _power(
    inv: Inventory,
    mapping: Mapping,
    report: ImportReport,
    device_id: dict[int, str],
    device_asset: dict[int, dict[str, Any]],
    feed_id: dict[int, str],
    rack_feeds: dict[int, list[str]],
) -> None:
    """Each device's `power` need: what its power ports are cabled to."""
    index = _cable_index(inv)
    sources: dict[int, list[str]] = {}
    for port, device in inv.power_ports.items():
        for kind, pk in index.get(("dcim.powerport", port), []):
            if kind == "dcim.powerfeed" and pk in feed_id:
                sources.setdefault(device, []).append(feed_id[pk])
            elif kind == "dcim.poweroutlet":
                pdu = inv.ports.get((kind, pk))
                if pdu is not None and pdu in device_id and pdu != device:
                    sources.setdefault(device, []).append(device_id[pdu])
    fallback = 0
    for pk, item in device_asset.items():
        found = sources.get(pk)
        rack = inv.devices[pk].rack
        if not found and mapping.rack_feeds and rack in rack_feeds:
            found = rack_feeds[rack]
            fallback += 1
        if found:
            item["needs"].append(_group("power", "physical", found))
    if fallback:
        report.note("{n} devices have no power port cabled to a feed or PDU: they take the "
                    "power feeds of their rack (rack_feeds)", n=fallback)  # fmt: skip


def _cable_index(inv: Inventory) -> dict[Port, list[Port]]:
    """Port -> the ports at the other end of its cable (live cables only)."""
    index: dict[Port, list[Port]] = {}
    for cable, sides in inv.cables.items():
        if inv.cable_status.get(cable, "connected") in ("planned", "decommissioning"):
            continue
        for end, other in (("A", "B"), ("B", "A")):
            for port in sides[end]:
                index.setdefault(port, []).extend(sides[other])
    return index


def _trace_devices(
    inv: Inventory, index: dict[Port, list[Port]], fronts: dict[int, list[int]], start: Port
) -> set[int]:
    """Devices reached from `start` through cables, passing patch panels (a
    front port leads to its rear port and a rear port to its front ports), at
    most MAX_HOPS cables."""
    found: set[int] = set()
    seen: set[Port] = {start}
    todo = [start]
    for _ in range(MAX_HOPS):
        nxt: list[Port] = []
        for port in todo:
            for far in index.get(port, []):
                if far in seen:
                    continue
                seen.add(far)
                kind, pk = far
                if kind == "dcim.frontport" and pk in inv.rear_of:
                    nxt.append(("dcim.rearport", inv.rear_of[pk]))
                elif kind == "dcim.rearport":
                    nxt += [("dcim.frontport", f) for f in fronts.get(pk, [])]
                elif kind == "dcim.interface" and far in inv.ports:
                    found.add(inv.ports[far])
        todo = [p for p in nxt if p not in seen]
        seen.update(todo)
        if not todo:
            break
    return found


def _wan(
    inv: Inventory,
    mapping: Mapping,
    report: ImportReport,
    ends: dict[int, list[dict[str, Any]]],
    circuit_id: dict[int, str],
    device_id: dict[int, str],
    device_asset: dict[int, dict[str, Any]],
    site_id: dict[int, str],
) -> None:
    """Each device's `wan` need: the circuits cabled to it."""
    index = _cable_index(inv)
    fronts: dict[int, list[int]] = {}
    for front, rear in inv.rear_of.items():
        fronts.setdefault(rear, []).append(front)
    wan_roles = {r.lower() for r in mapping.wan_roles}
    by_site: dict[int, list[int]] = {}
    for pk in device_id:
        d = inv.devices[pk]
        role = inv.roles.get(d.role or 0, {"name": "", "slug": ""})
        if d.site is not None and (role["slug"].lower() in wan_roles
                                   or role["name"].lower() in wan_roles):  # fmt: skip
            by_site.setdefault(d.site, []).append(pk)
    circuits: dict[int, list[str]] = {}
    for pk, ident in circuit_id.items():
        for t in ends.get(pk, []):
            if t["site"] not in site_id:
                continue
            devices = _trace_devices(inv, index, fronts, ("circuits.circuittermination", t["pk"]))
            devices &= set(device_id)
            if not devices:
                devices = set(by_site.get(t["site"], []))
                if devices:
                    report.note(
                        "circuit {cid}: its termination at {site} is cabled to no "
                        "device; the site's WAN devices need it (wan_roles)",
                        cid=inv.circuits[pk]["cid"],
                        site=inv.sites[t["site"]]["name"],
                    )
                else:
                    report.note(
                        "circuit {cid}: no device at {site} needs it",
                        cid=inv.circuits[pk]["cid"],
                        site=inv.sites[t["site"]]["name"],
                    )
            for device in devices:
                circuits.setdefault(device, []).append(ident)
    for device, found in sorted(circuits.items()):
        device_asset[device]["needs"].append(_group("wan", "cyber", found))
