"""NetBox objects as plain records, read from a Django fixture (`manage.py
dumpdata`, the format of NetBox's public demo data) or from the pages of its
REST API (`netbox_api`).

Both sources become the same `Inventory`: the records keep only what the
mapping to a company needs (names, sites, racks, statuses, and which cable
joins which ports), keyed by NetBox's primary keys. The two readers differ
only in how a reference is written: a bare key in a fixture
(`"site": 2`), a nested object in the API (`"site": {"id": 2, ...}`).

A record that lacks a field the mapping needs, or has one of the wrong type,
is a `Problem` naming the object (`dcim.device 12: site: ...`); all of them
are collected and raised together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.model.validation import Problem, ScenarioError

Port = tuple[str, int]
"""A cable's end: (NetBox model, primary key), e.g. ("dcim.powerport", 1)."""

PORT_MODELS = frozenset(
    {"dcim.interface", "dcim.powerport", "dcim.poweroutlet", "dcim.frontport", "dcim.rearport"}
)
"""Ports that belong to a device: a cable reaching one reaches its device."""

MODELS = PORT_MODELS | {
    "dcim.site", "dcim.rack", "dcim.devicerole", "dcim.manufacturer", "dcim.devicetype",
    "dcim.device", "dcim.powerpanel", "dcim.powerfeed", "dcim.cable", "dcim.cabletermination",
    "circuits.provider", "circuits.circuit", "circuits.circuittermination",
    "virtualization.cluster", "virtualization.virtualmachine",
}  # fmt: skip
"""The models the mapping reads; the others (users, sessions, IPAM, ...) are passed over."""

MAX_PROBLEMS = 100
"""Problems of a malformed export listed before giving up (the rest counted)."""


@dataclass(slots=True)
class Device:
    name: str  # NetBox's display name: the name, or "<maker> <model> (<pk>)"
    role: int | None
    site: int | None
    rack: int | None
    status: str
    cluster: int | None


@dataclass(slots=True)
class Inventory:
    """What the mapping reads from NetBox, keyed by primary key."""

    sites: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, slug, status
    racks: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, site
    roles: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, slug
    devices: dict[int, Device] = field(default_factory=dict)
    panels: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, site
    feeds: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, panel, rack, status
    power_ports: dict[int, int] = field(default_factory=dict)  # power port -> device
    ports: dict[Port, int] = field(default_factory=dict)  # any device port -> device
    rear_of: dict[int, int] = field(default_factory=dict)  # front port -> its rear port
    cables: dict[int, dict[str, list[Port]]] = field(default_factory=dict)  # "A"/"B" ends
    cable_status: dict[int, str] = field(default_factory=dict)
    providers: dict[int, dict[str, Any]] = field(default_factory=dict)  # name
    circuits: dict[int, dict[str, Any]] = field(default_factory=dict)  # cid, provider, status
    terminations: dict[int, dict[str, Any]] = field(default_factory=dict)  # circuit, site
    clusters: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, site, status
    vms: dict[int, dict[str, Any]] = field(default_factory=dict)  # name, cluster, status

    def counts(self) -> dict[str, int]:
        """Objects read, per NetBox type (for the import report)."""
        return {
            "sites": len(self.sites), "devices": len(self.devices),
            "power-panels": len(self.panels), "power-feeds": len(self.feeds),
            "cables": len(self.cables), "providers": len(self.providers),
            "circuits": len(self.circuits), "clusters": len(self.clusters),
            "virtual-machines": len(self.vms),
        }  # fmt: skip


class _Reader:
    """Typed access to the fields of one source's objects, collecting problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.bad = 0

    def problem(self, where: str, name: str, message: str) -> None:
        self.bad += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, where or None, name, message))

    def text(self, where: str, fields: Mapping[str, Any], name: str, default: str = "") -> str:
        value = fields.get(name, default)
        if value is None:
            return default
        if isinstance(value, Mapping):  # an API choice: {"value": "active", "label": ...}
            value = value.get("value", default)
        if not isinstance(value, str | int):
            self.problem(where, name, f"expected text, found {type(value).__name__}")
            return default
        return str(value)

    def ref(self, where: str, fields: Mapping[str, Any], name: str) -> int | None:
        """A foreign key: a bare primary key (fixture) or {"id": …} (API); None when unset."""
        value = fields.get(name)
        if isinstance(value, Mapping):
            value = value.get("id")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, name, f"expected the key of an object, found {_short(value)}")
            return None
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            extra = self.bad - len(self.problems)
            if extra > 0:
                self.problems.append(Problem(self.file, None, "", f"{extra} more problems"))
            raise ScenarioError(self.problems)


def _short(value: Any) -> str:
    """A value from the file, quoted and cut short, for a message."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _display(pk: int, name: str, maker: str, model: str) -> str:
    """NetBox's name of a device (Device.__str__): unnamed ones by maker, model and key."""
    return name or f"{maker} {model} ({pk})".strip()


def inventory_from_fixture(data: Any, file: str) -> Inventory:
    """The records of a Django fixture: a list of {model, pk, fields}."""
    r = _Reader(file)
    if not isinstance(data, list):
        kind = type(data).__name__ if data is not None else "nothing"
        r.problem("", "file", f"a NetBox fixture is a list of objects, found {kind}")
        r.raise_if_any()
    objects: dict[str, dict[int, Mapping[str, Any]]] = {}
    for i, item in enumerate(data):
        where = f"object {i + 1}"
        if not isinstance(item, Mapping) or not isinstance(item.get("model"), str):
            r.problem(where, "model", "not a fixture object (model, pk, fields)")
            continue
        if item["model"] not in MODELS:
            continue
        pk, fields = item.get("pk"), item.get("fields")
        if not isinstance(fields, Mapping):
            r.problem(where, "fields", f"{item['model']}: missing or not a mapping")
            continue
        if isinstance(pk, bool) or not isinstance(pk, int):
            r.problem(where, "pk", f"{item['model']}: expected an integer key, found {_short(pk)}")
            continue
        objects.setdefault(item["model"], {})[pk] = fields
    r.raise_if_any()
    inv = _records(r, objects, fixture=True)
    r.raise_if_any()
    return inv


def inventory_from_api(pages: Mapping[str, Iterable[Any]], file: str) -> Inventory:
    """The records of the REST API's lists, keyed by model ("dcim.device": [...])."""
    r = _Reader(file)
    objects: dict[str, dict[int, Mapping[str, Any]]] = {}
    for model, items in pages.items():
        for i, item in enumerate(items):
            pk = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(pk, bool) or not isinstance(pk, int):
                r.problem(f"{model} #{i + 1}", "id", "not an object with an integer id")
                continue
            objects.setdefault(model, {})[pk] = item
    r.raise_if_any()
    inv = _records(r, objects, fixture=False)
    r.raise_if_any()
    return inv


def _records(
    r: _Reader, objects: Mapping[str, Mapping[int, Mapping[str, Any]]], fixture: bool
) -> Inventory:
    inv = Inventory()

    def each(model: str) -> Iterable[tuple[int, str, Mapping[str, Any]]]:
        for pk, fields in sorted(objects.get(model, {}).items()):
            yield pk, f"{model} {pk}", fields

    for pk, w, f in each("dcim.site"):
        inv.sites[pk] = {
            "name": r.text(w, f, "name") or f"site {pk}",
            "slug": r.text(w, f, "slug"),
            "status": r.text(w, f, "status"),
        }
    for pk, w, f in each("dcim.rack"):
        inv.racks[pk] = {"name": r.text(w, f, "name"), "site": r.ref(w, f, "site")}
    for pk, w, f in each("dcim.devicerole"):
        inv.roles[pk] = {"name": r.text(w, f, "name"), "slug": r.text(w, f, "slug")}
    makers = {pk: r.text(w, f, "name") for pk, w, f in each("dcim.manufacturer")}
    types = {pk: (makers.get(r.ref(w, f, "manufacturer") or 0, ""), r.text(w, f, "model"))
             for pk, w, f in each("dcim.devicetype")}  # fmt: skip
    for pk, w, f in each("dcim.device"):
        if fixture:
            maker, model = types.get(r.ref(w, f, "device_type") or 0, ("", ""))
        else:
            kind = _nested(f, "device_type")
            maker = r.text(w, _nested(kind, "manufacturer"), "name")
            model = r.text(w, kind, "model")
        inv.devices[pk] = Device(
            name=_display(pk, r.text(w, f, "name"), maker, model),
            role=r.ref(w, f, "role" if "role" in f else "device_role"),
            site=r.ref(w, f, "site"), rack=r.ref(w, f, "rack"),
            status=r.text(w, f, "status"), cluster=r.ref(w, f, "cluster"),
        )  # fmt: skip
    for pk, w, f in each("dcim.powerpanel"):
        inv.panels[pk] = {"name": r.text(w, f, "name"), "site": r.ref(w, f, "site")}
    for pk, w, f in each("dcim.powerfeed"):
        inv.feeds[pk] = {"name": r.text(w, f, "name"), "panel": r.ref(w, f, "power_panel"),
                         "rack": r.ref(w, f, "rack"), "status": r.text(w, f, "status"),
                         "type": r.text(w, f, "type")}  # fmt: skip
    for model in sorted(PORT_MODELS):
        for pk, w, f in each(model):
            device = r.ref(w, f, "device")
            if device is not None:
                inv.ports[(model, pk)] = device
                if model == "dcim.powerport":
                    inv.power_ports[pk] = device
            if model == "dcim.frontport":
                rear = r.ref(w, f, "rear_port")
                if rear is not None:
                    inv.rear_of[pk] = rear
    _cables(r, inv, objects, fixture)
    for pk, w, f in each("circuits.provider"):
        inv.providers[pk] = {"name": r.text(w, f, "name") or f"provider {pk}"}
    for pk, w, f in each("circuits.circuit"):
        inv.circuits[pk] = {
            "cid": r.text(w, f, "cid") or f"circuit {pk}",
            "provider": r.ref(w, f, "provider"),
            "status": r.text(w, f, "status"),
        }
    for pk, w, f in each("circuits.circuittermination"):
        inv.terminations[pk] = {"circuit": r.ref(w, f, "circuit"), "site": r.ref(w, f, "site"),
                                "side": r.text(w, f, "term_side")}  # fmt: skip
    for pk, w, f in each("virtualization.cluster"):
        inv.clusters[pk] = {
            "name": r.text(w, f, "name") or f"cluster {pk}",
            "site": r.ref(w, f, "site"),
            "status": r.text(w, f, "status"),
        }
    for pk, w, f in each("virtualization.virtualmachine"):
        inv.vms[pk] = {
            "name": r.text(w, f, "name") or f"vm {pk}",
            "cluster": r.ref(w, f, "cluster"),
            "status": r.text(w, f, "status"),
        }
    return inv


def _cables(
    r: _Reader,
    inv: Inventory,
    objects: Mapping[str, Mapping[int, Mapping[str, Any]]],
    fixture: bool,
) -> None:
    """Which ports each cable joins: the fixture lists cable terminations as
    objects of their own; the API lists them inside the cable."""
    for pk, f in sorted(objects.get("dcim.cable", {}).items()):
        inv.cables[pk] = {"A": [], "B": []}
        inv.cable_status[pk] = r.text(f"dcim.cable {pk}", f, "status")
        if fixture:
            continue
        for end in ("A", "B"):
            for t in f.get(f"{end.lower()}_terminations") or []:
                port = _api_port(r, f"dcim.cable {pk}", t)
                if port is not None:
                    inv.cables[pk][end].append(port)
                    _note_device(inv, port, t.get("object"))
    for pk, f in sorted(objects.get("dcim.cabletermination", {}).items()):
        w = f"dcim.cabletermination {pk}"
        cable, tp, side = r.ref(w, f, "cable"), f.get("termination_type"), f.get("cable_end")
        target = r.ref(w, f, "termination_id")
        if not (isinstance(tp, list) and len(tp) == 2 and all(isinstance(k, str) for k in tp)):  # noqa: E501
            r.problem(w, "termination_type", "expected [app, model]")
            continue
        if cable in inv.cables and side in ("A", "B") and target is not None:
            inv.cables[cable][side].append((f"{tp[0]}.{tp[1]}", target))


def _nested(fields: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A nested object of an API record ({} when absent)."""
    value = fields.get(name)
    return value if isinstance(value, Mapping) else {}


def _api_port(r: _Reader, where: str, t: Any) -> Port | None:
    if not isinstance(t, Mapping):
        r.problem(where, "terminations", "expected an object")
        return None
    kind, pk = t.get("object_type"), t.get("object_id")
    if not isinstance(kind, str) or isinstance(pk, bool) or not isinstance(pk, int):
        r.problem(where, "terminations", "expected object_type and object_id")
        return None
    return kind, pk


def _note_device(inv: Inventory, port: Port, obj: Any) -> None:
    """The API names a port's device inside the cable: keep it, so a port the
    lists did not include (interfaces are not fetched) still leads to its device."""
    if port[0] in PORT_MODELS and isinstance(obj, Mapping):
        device = obj.get("device")
        if isinstance(device, Mapping) and isinstance(device.get("id"), int):
            inv.ports.setdefault(port, device["id"])
