"""A stand-in for a NetBox REST API, for the tests of `--url`: serves the
list endpoints the import reads, built from a Django fixture the way NetBox
3.6 writes them (nested references `{"id": …}`, choices `{"value": …}`,
cables with their `a_terminations`/`b_terminations`), in `limit`/`offset`
pages with absolute `next` links. 127.0.0.1 only; started and stopped by the
test (a context manager).

`faults` makes an endpoint answer badly: {"dcim/devices/": 500},
{"dcim/sites/": "not json"}, {"dcim/racks/": "elsewhere"} (a `next` link to
another server).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "0123456789abcdef"


def _ref(pk: Any) -> dict[str, Any] | None:
    return None if pk is None else {"id": pk, "url": f"/api/x/{pk}/"}


def _choice(value: Any) -> dict[str, Any] | None:
    return None if value in (None, "") else {"value": value, "label": str(value).title()}


def api_lists(fixture: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The API's lists (by endpoint path) of a fixture's objects."""
    by: dict[str, dict[int, dict[str, Any]]] = {}
    for item in fixture:
        if isinstance(item.get("pk"), int):
            by.setdefault(item["model"], {})[item["pk"]] = item["fields"]

    def each(model: str) -> list[tuple[int, dict[str, Any]]]:
        return sorted(by.get(model, {}).items())

    makers = {pk: f["name"] for pk, f in each("dcim.manufacturer")}
    types = dict(each("dcim.devicetype"))
    port_device = {
        (model, pk): f.get("device")
        for model in ("dcim.interface", "dcim.powerport", "dcim.poweroutlet", "dcim.frontport",
                      "dcim.rearport")
        for pk, f in each(model)
    }  # fmt: skip
    ends: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for _, t in each("dcim.cabletermination"):
        kind = ".".join(t["termination_type"])
        device = port_device.get((kind, t["termination_id"]))
        obj = {"id": t["termination_id"], **({"device": _ref(device)} if device else {})}
        side = ends.setdefault(t["cable"], {"a": [], "b": []})[t["cable_end"].lower()]
        side.append({"object_type": kind, "object_id": t["termination_id"], "object": obj})

    def device(pk: int, f: dict[str, Any]) -> dict[str, Any]:
        kind = types.get(f["device_type"], {})
        return {
            "id": pk, "name": f["name"], "role": _ref(f["role"]), "site": _ref(f["site"]),
            "rack": _ref(f["rack"]), "status": _choice(f["status"]),
            "cluster": _ref(f["cluster"]),
            "device_type": {"id": f["device_type"], "model": kind.get("model"),
                            "manufacturer": {"id": kind.get("manufacturer"),
                                             "name": makers.get(kind.get("manufacturer"))}},
        }  # fmt: skip

    return {
        "dcim/sites/": [{"id": pk, "name": f["name"], "slug": f["slug"],
                         "status": _choice(f["status"])} for pk, f in each("dcim.site")],
        "dcim/racks/": [{"id": pk, "name": f["name"], "site": _ref(f["site"])}
                        for pk, f in each("dcim.rack")],
        "dcim/device-roles/": [{"id": pk, "name": f["name"], "slug": f["slug"]}
                               for pk, f in each("dcim.devicerole")],
        "dcim/devices/": [device(pk, f) for pk, f in each("dcim.device")],
        "dcim/power-panels/": [{"id": pk, "name": f["name"], "site": _ref(f["site"])}
                               for pk, f in each("dcim.powerpanel")],
        "dcim/power-feeds/": [{"id": pk, "name": f["name"], "power_panel": _ref(f["power_panel"]),
                               "rack": _ref(f["rack"]), "status": _choice(f["status"]),
                               "type": _choice(f["type"])} for pk, f in each("dcim.powerfeed")],
        "dcim/power-ports/": [{"id": pk, "name": f["name"], "device": _ref(f["device"])}
                              for pk, f in each("dcim.powerport")],
        "dcim/power-outlets/": [{"id": pk, "name": f["name"], "device": _ref(f["device"])}
                                for pk, f in each("dcim.poweroutlet")],
        "dcim/front-ports/": [{"id": pk, "name": f["name"], "device": _ref(f["device"]),
                               "rear_port": _ref(f["rear_port"])}
                              for pk, f in each("dcim.frontport")],
        "dcim/cables/": [{"id": pk, "status": _choice(f["status"]),
                          "a_terminations": ends.get(pk, {}).get("a", []),
                          "b_terminations": ends.get(pk, {}).get("b", [])}
                         for pk, f in each("dcim.cable")],
        "circuits/providers/": [{"id": pk, "name": f["name"]}
                                for pk, f in each("circuits.provider")],
        "circuits/circuits/": [{"id": pk, "cid": f["cid"], "provider": _ref(f["provider"]),
                                "status": _choice(f["status"])}
                               for pk, f in each("circuits.circuit")],
        "circuits/circuit-terminations/": [
            {"id": pk, "circuit": _ref(f["circuit"]), "site": _ref(f["site"]),
             "term_side": f["term_side"]} for pk, f in each("circuits.circuittermination")],
        "virtualization/clusters/": [{"id": pk, "name": f["name"], "site": _ref(f["site"]),
                                      "status": _choice(f["status"])}
                                     for pk, f in each("virtualization.cluster")],
        "virtualization/virtual-machines/": [
            {"id": pk, "name": f["name"], "cluster": _ref(f["cluster"]),
             "status": _choice(f["status"])} for pk, f in each("virtualization.virtualmachine")],
    }  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    lists: dict[str, list[dict[str, Any]]] = {}
    faults: dict[str, Any] = {}
    requests: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        parts = urlsplit(self.path)
        self.requests.append(self.path)
        if self.headers.get("Authorization") != f"Token {TOKEN}":
            self._send(403, b'{"detail": "Invalid token"}')
            return
        endpoint = parts.path.removeprefix("/api/")
        if endpoint not in self.lists:
            self._send(404, b'{"detail": "Not found."}')
            return
        fault = self.faults.get(endpoint)
        if isinstance(fault, int):
            self._send(fault, b"{}")
            return
        if fault == "not json":
            self._send(200, b"<html>oops</html>")
            return
        query = parse_qs(parts.query)
        limit = min(int(query.get("limit", ["50"])[0]), 1000)
        offset = int(query.get("offset", ["0"])[0])
        items = self.lists[endpoint]
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        nxt = None
        if offset + limit < len(items):
            nxt = f"{host}/api/{endpoint}?limit={limit}&offset={offset + limit}"
        if fault == "elsewhere":
            nxt = f"http://203.0.113.9/api/{endpoint}?limit={limit}&offset={offset + limit}"
        page = {"count": len(items), "next": nxt, "previous": None,
                "results": items[offset : offset + limit]}  # fmt: skip
        self._send(200, json.dumps(page).encode())


@contextmanager
def netbox_api(
    fixture: list[dict[str, Any]], faults: dict[str, Any] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(base URL, requests seen) of a local API serving the fixture; stopped on exit."""
    handler = type("Handler", (_Handler,), {"lists": api_lists(fixture),
                                            "faults": faults or {}, "requests": []})  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
