"""Reading a live NetBox through its REST API, page by page.

Each list endpoint is fetched with `limit`/`offset` pages, following the
`next` links NetBox returns, and only while the link stays on the same
server (a hostile or misconfigured server must not send us elsewhere with
the token). Pages, objects and the whole time are bounded; every failure
(no connection, HTTP error, not JSON, not a page) is an `ApiError` naming
the URL, never a traceback.

The token is passed in by the caller (the CLI takes it from NETBOX_TOKEN);
it is sent as NetBox expects, `Authorization: Token <token>`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

ENDPOINTS: dict[str, str] = {
    "dcim.site": "dcim/sites/",
    "dcim.rack": "dcim/racks/",
    "dcim.devicerole": "dcim/device-roles/",
    "dcim.device": "dcim/devices/",
    "dcim.powerpanel": "dcim/power-panels/",
    "dcim.powerfeed": "dcim/power-feeds/",
    "dcim.powerport": "dcim/power-ports/",
    "dcim.poweroutlet": "dcim/power-outlets/",
    "dcim.frontport": "dcim/front-ports/",
    "dcim.cable": "dcim/cables/",
    "circuits.provider": "circuits/providers/",
    "circuits.circuit": "circuits/circuits/",
    "circuits.circuittermination": "circuits/circuit-terminations/",
    "virtualization.cluster": "virtualization/clusters/",
    "virtualization.virtualmachine": "virtualization/virtual-machines/",
}
"""The lists the mapping reads, by the model name a fixture uses. Interfaces
and rear ports are not fetched: a cable names the device of each port it
ends on."""


@dataclass(frozen=True)
class Limits:
    """Bounds of one import from a live NetBox."""

    page_size: int = 1000  # NetBox's default MAX_PAGE_SIZE
    max_pages: int = 1000
    max_objects: int = 500_000
    seconds: float = 300.0  # the whole import
    timeout: float = 30.0  # one request


class ApiError(Exception):
    """The NetBox API could not be read; the message says which URL and why."""


def fetch_all(
    url: str,
    token: str | None,
    limits: Limits = Limits(),
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, list[Any]]:
    """Every object of every list in ENDPOINTS, by model name."""
    base = url.rstrip("/") + "/"
    if not base.endswith("/api/"):
        base = urljoin(base, "api/")
    origin = urlsplit(base)
    if origin.scheme not in ("http", "https") or not origin.netloc:
        raise ApiError(f"{url}: not an http(s) URL of a NetBox server")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    deadline = clock() + limits.seconds
    pages = objects = 0
    out: dict[str, list[Any]] = {}
    with httpx.Client(
        headers=headers, timeout=limits.timeout, transport=transport, follow_redirects=False
    ) as client:
        for model, path in ENDPOINTS.items():
            items: list[Any] = []
            link: str | None = f"{urljoin(base, path)}?limit={limits.page_size}&offset=0"
            while link is not None:
                pages += 1
                if pages > limits.max_pages:
                    raise ApiError(f"{link}: more than {limits.max_pages} pages; giving up")
                if clock() > deadline:
                    raise ApiError(f"{link}: took longer than {limits.seconds:g} s; giving up")
                page = _page(client, link)
                items += page["results"]
                objects += len(page["results"])
                if objects > limits.max_objects:
                    raise ApiError(f"{link}: more than {limits.max_objects} objects; giving up")
                link = _next(page.get("next"), link, origin.netloc)
            out[model] = items
    return out


def _page(client: httpx.Client, link: str) -> dict[str, Any]:
    try:
        response = client.get(link)
    except httpx.HTTPError as e:
        raise ApiError(f"{link}: {type(e).__name__}: {e}") from None
    if response.status_code in (401, 403):
        raise ApiError(f"{link}: HTTP {response.status_code}: the token (NETBOX_TOKEN) is "
                       "missing or may not read this list")  # fmt: skip
    if response.status_code != 200:
        raise ApiError(f"{link}: HTTP {response.status_code}")
    try:
        page = response.json()
    except ValueError:
        raise ApiError(f"{link}: the answer is not JSON") from None
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise ApiError(f"{link}: not a NetBox list page (no 'results')")
    return page


def _next(link: Any, current: str, netloc: str) -> str | None:
    """The next page's URL; only on the same server."""
    if link is None:
        return None
    if not isinstance(link, str):
        raise ApiError(f"{current}: 'next' is not a URL")
    absolute = urljoin(current, link)
    if urlsplit(absolute).netloc != netloc:
        raise ApiError(f"{current}: 'next' leads to another server ({absolute}): refused")
    return absolute
