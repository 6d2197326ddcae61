"""Synthetic companies and failure scenarios of any size, for benchmarks and tests.

`generate(n)` returns a company and a scenario as plain dicts in the file
format (durations as text such as "30min"), so they can be written as YAML
and loaded like a hand-written scenario. The company is layered like a real
one, each layer needing only layers below it, so the dependency graph is a
DAG:

    sites, suppliers, logistics
      -> per-site utilities (grid feed, generator, two WAN links, water,
         heat, three chillers)
      -> IT systems (network devices, then servers and storage)
      -> data (on storage, with daily backups)
      -> applications (on servers, some redundant across two sites)
      -> business processes (with BIA figures; need applications, staff,
         suppliers)

Staff pools sit on their site and need its heating. Every asset has 1-4
needs of 1-3 providers each, so the mean degree does not grow with the size.
Everything is drawn from one `random.Random(seed)`: the same arguments give
the same dicts.
"""

from __future__ import annotations

import gc
import math
import random
from typing import Any

from simulator.hazards import can_target
from simulator.terms.durations import parse_duration
from simulator.terms.kinds import AssetKind

__all__ = ["MIN_ASSETS", "generate"]

MIN_ASSETS = 50
"""The smallest company `generate` builds: two sites with their utilities
and staff leave too little room below this."""

ASSETS_PER_SITE = 200
UTILITIES_PER_SITE = 9  # grid, generator, wan-a, wan-b, water, heat, 3 chillers
STAFF_PER_SITE = 3
STAFF_ROLES = ("it", "office", "operations")

PROCESS_SHARE = 0.05
IT_SHARE = 0.35
DATA_SHARE = 0.25  # the rest of the middle layers are applications
NETWORK_DEVICE_SHARE = 0.15  # of the IT systems; the others are servers and storage
STORAGE_SHARE = 0.25  # of the servers and storage

FAILURE_MIN_MINUTES = 10
FAILURE_MAX_MINUTES = 3 * 24 * 60
FAILURE_MEDIAN_MINUTES = 120.0
FAILURE_SIGMA = 1.3

UPS = {"id": "ups", "capacity": "30min", "refill": "8h"}
RESTORE_TIME = {"dist": "triangular", "min": "1h", "mode": "4h", "max": "12h"}

Asset = dict[str, Any]
Need = dict[str, Any]


def generate(
    n_assets: int, seed: int = 0, failures: int | None = None, horizon: str = "365d"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A company of exactly `n_assets` assets and a scenario of random outages.

    The scenario plays `failures` outages (default `n_assets // 10`), each of
    one random asset, starting at whole minutes spread uniformly over
    `horizon` and lasting 10 min to 3 days (log-normal, median 2 h). Its
    `company` entry is "company.yaml": write the company dict there.
    """
    if n_assets < MIN_ASSETS:
        raise ValueError(f"n_assets must be at least {MIN_ASSETS}, got {n_assets}")
    if seed < 0:
        raise ValueError(f"seed must not be negative, got {seed}")
    if failures is None:
        failures = n_assets // 10
    if failures < 0:
        raise ValueError(f"failures must not be negative, got {failures}")
    horizon_seconds = parse_duration(horizon)
    if horizon_seconds < 60:
        raise ValueError(f"horizon must be at least 1min, got {horizon!r}")

    # The dicts hold no reference cycles; the cyclic collector would only
    # rescan the growing asset list over and over (3/4 of the time at 100k).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(n_assets, seed, failures, horizon, horizon_seconds)
    finally:
        if collecting:
            gc.enable()


def _generate(
    n_assets: int, seed: int, failures: int, horizon: str, horizon_seconds: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    rng = random.Random(seed)
    company = _Builder(n_assets, rng).build(seed)
    # random outages strike resources; a process fails through its needs
    ids = [a["id"] for a in company["assets"]
           if can_target("outage", "assets", AssetKind(a["kind"]))]  # fmt: skip
    scenario = {
        "scenario": {
            "id": f"generated-{n_assets}-{seed}",
            "title": f"{failures} random outages on a generated company of {n_assets} assets",
        },
        "company": "company.yaml",
        "horizon": horizon,
        "seed": seed,
        "hazards": _failures(rng, ids, failures, horizon_seconds // 60),
    }
    return company, scenario


def _failures(rng: random.Random, ids: list[str], count: int, minutes: int) -> list[Any]:
    draws = []
    mu = math.log(FAILURE_MEDIAN_MINUTES)
    for _ in range(count):
        at = rng.randrange(minutes)
        asset = ids[rng.randrange(len(ids))]
        length = round(rng.lognormvariate(mu, FAILURE_SIGMA))
        length = min(FAILURE_MAX_MINUTES, max(FAILURE_MIN_MINUTES, length))
        draws.append((at, asset, length))
    draws.sort(key=lambda d: d[0])  # stable: equal times keep their draw order
    return [
        {
            "at": f"{at}min",
            "hazard": {"type": "outage", "assets": [asset], "duration": f"{length}min"},
        }
        for at, asset, length in draws
    ]


class _Builder:
    """Lays out the layer sizes, then emits the assets layer by layer."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.n = n
        self.rng = rng
        self.width = max(5, len(str(n)))
        self.sites = max(2, round(n / ASSETS_PER_SITE))
        self.suppliers = max(2, min(60, n // 400))
        self.logistics = max(1, self.suppliers // 2)
        self.processes = max(1, round(n * PROCESS_SHARE))
        fixed = (
            self.sites * (1 + UTILITIES_PER_SITE + STAFF_PER_SITE)
            + self.suppliers
            + self.logistics
            + self.processes
        )
        middle = n - fixed  # IT systems, data, applications
        self.it = max(3, round(middle * IT_SHARE))
        self.data = max(1, round(middle * DATA_SHARE))
        self.apps = middle - self.it - self.data
        if self.apps < 1:
            raise ValueError(f"n_assets={n} leaves no room for applications")
        self.network_devices = max(1, round(self.it * NETWORK_DEVICE_SHARE))
        self.assets: list[Asset] = []
        # per-site pools of ids for the layers above to draw from
        self.site_ids: list[str] = []
        self.power: list[list[str]] = []  # [grid, generator] of each site
        self.wan: list[list[str]] = []  # [wan-a, wan-b]
        self.chillers: list[list[str]] = []
        self.water: list[str] = []
        self.heat: list[str] = []
        self.switches: list[list[str]] = [[] for _ in range(self.sites)]
        self.servers: list[list[str]] = [[] for _ in range(self.sites)]
        self.storage: list[list[str]] = [[] for _ in range(self.sites)]
        self.data_ids: list[list[str]] = [[] for _ in range(self.sites)]
        self.app_ids: list[list[str]] = [[] for _ in range(self.sites)]
        self.staff: list[list[str]] = []
        self.supplier_ids: list[str] = []
        self.logistics_ids: list[str] = []

    def build(self, seed: int) -> dict[str, Any]:
        self._sites_and_externals()
        self._utilities()
        self._it_systems()
        self._data()
        self._applications()
        self._staff()
        self._processes()
        assert len(self.assets) == self.n, (len(self.assets), self.n)
        return {
            "company": {
                "id": f"generated-{self.n}-{seed}",
                "name": f"Generated company ({self.n} assets, seed {seed})",
            },
            "teams": {"it_ops": {"size": 3}, "facility": {"size": 2}},
            "assets": self.assets,
        }

    # -- helpers -----------------------------------------------------------

    def _id(self, prefix: str, number: int) -> str:
        return f"{prefix}-{number:0{self.width}d}"

    def _site(self, s: int) -> str:
        return f"site-{s:04d}"

    def _pick(self, pool: list[str], fallback: list[list[str]]) -> str:
        """A random member of `pool`, or of any non-empty pool of `fallback`."""
        if not pool:
            pool = next(p for p in fallback if p)
        return pool[self.rng.randrange(len(pool))]

    def _other_site(self, s: int) -> int:
        other = self.rng.randrange(self.sites - 1)
        return other + 1 if other >= s else other

    def _power_need(self, s: int, ups: bool) -> Need:
        need: Need = {"id": "power", "any_of": list(self.power[s])}
        if ups:
            need["buffers"] = [dict(UPS)]
        return need

    def _on_site(self, site: str) -> Need:
        return {"id": "site", "type": "geographic", "all_of": [site]}

    def _recovery(self, team: str) -> dict[str, Any]:
        return {"time": dict(RESTORE_TIME), "team": team}

    # -- layers ------------------------------------------------------------

    def _sites_and_externals(self) -> None:
        for s in range(self.sites):
            sid = self._site(s)
            self.site_ids.append(sid)
            self.assets.append({"id": sid, "kind": "site", "name": f"Site {s}"})
        for i in range(self.suppliers):
            sid = f"sup-{i:04d}"
            self.supplier_ids.append(sid)
            self.assets.append({"id": sid, "kind": "supplier", "tags": ["external"]})
        for i in range(self.logistics):
            lid = f"log-{i:04d}"
            self.logistics_ids.append(lid)
            self.assets.append({"id": lid, "kind": "logistics", "tags": ["external"]})

    def _utilities(self) -> None:
        rng = self.rng
        for s, site in enumerate(self.site_ids):
            tag = f"{s:04d}"
            grid, gen = f"grid-{tag}", f"gen-{tag}"
            wan = [f"wan-a-{tag}", f"wan-b-{tag}"]
            water, heat = f"water-{tag}", f"heat-{tag}"
            chillers = [f"chiller-{tag}-{i}" for i in (1, 2, 3)]
            self.power.append([grid, gen])
            self.wan.append(wan)
            self.chillers.append(chillers)
            self.water.append(water)
            self.heat.append(heat)
            fuel = self.logistics_ids[rng.randrange(self.logistics)]
            self.assets += [
                {
                    "id": grid,
                    "kind": "utility",
                    "utility": "power",
                    "location": site,
                    "needs": [self._on_site(site)],
                },
                {
                    "id": gen,
                    "kind": "utility",
                    "utility": "power",
                    "location": site,
                    "needs": [self._on_site(site), {"id": "fuel", "all_of": [fuel], "delay": "3d"}],
                    "recovery": self._recovery("facility"),
                },
            ]
            for link in wan:
                self.assets.append(
                    {
                        "id": link,
                        "kind": "utility",
                        "utility": "network",
                        "location": site,
                        "needs": [self._on_site(site), self._power_need(s, ups=True)],
                    }
                )
            self.assets += [
                {
                    "id": water,
                    "kind": "utility",
                    "utility": "water",
                    "location": site,
                    "needs": [self._on_site(site)],
                },
                {
                    "id": heat,
                    "kind": "utility",
                    "utility": "heat",
                    "location": site,
                    "needs": [{"id": "power", "any_of": list(self.power[s]), "delay": "4h"}],
                },
            ]
            for chiller in chillers:
                self.assets.append(
                    {
                        "id": chiller,
                        "kind": "utility",
                        "utility": "water",
                        "location": site,
                        "tags": ["cooling"],
                        "needs": [self._power_need(s, ups=False), {"all_of": [water]}],
                        "recovery": self._recovery("facility"),
                    }
                )

    def _it_systems(self) -> None:
        rng = self.rng
        storage_every = round(1 / STORAGE_SHARE)
        for i in range(self.it):
            s = rng.randrange(self.sites)
            site = self.site_ids[s]
            iid = self._id("it", i)
            needs: list[Need]
            if i < self.network_devices:
                # switches, routers, firewalls: first, so servers can need them
                if rng.random() < 0.5:
                    net: Need = {"id": "wan", "type": "cyber", "any_of": list(self.wan[s])}
                else:
                    net = {"id": "wan", "type": "cyber", "all_of": [self.wan[s][0]]}
                needs = [self._power_need(s, ups=rng.random() < 0.3), net]
                self.switches[s].append(iid)
                tag = "network"
            else:
                switch = self._pick(self.switches[s], self.switches)
                needs = [
                    self._power_need(s, ups=rng.random() < 0.2),
                    {"id": "lan", "type": "cyber", "all_of": [switch]},
                ]
                if rng.random() < 0.4:
                    needs.append(
                        {
                            "id": "cooling",
                            "k_of_n": {"k": 2, "of": list(self.chillers[s])},
                            "delay": "15min",
                        }
                    )
                if (i - self.network_devices) % storage_every == 0:
                    self.storage[s].append(iid)
                    tag = "storage"
                else:
                    self.servers[s].append(iid)
                    tag = "server"
            asset: Asset = {
                "id": iid,
                "kind": "it_system",
                "location": site,
                "tags": [tag],
                "needs": needs,
            }
            if rng.random() < 0.3:
                asset["recovery"] = self._recovery("it_ops")
            self.assets.append(asset)

    def _data(self) -> None:
        rng = self.rng
        for i in range(self.data):
            s = rng.randrange(self.sites)
            primary = self._pick(self.storage[s], self.storage)
            need: Need
            if rng.random() < 0.25:  # replicated to storage at another site
                replica = self._pick(self.storage[self._other_site(s)], self.storage)
                providers = [primary] if replica == primary else [primary, replica]
                need = {"id": "storage", "type": "cyber", "any_of": providers}
            else:
                need = {"id": "storage", "type": "cyber", "all_of": [primary]}
            did = self._id("data", i)
            self.data_ids[s].append(did)
            self.assets.append(
                {
                    "id": did,
                    "kind": "data",
                    "location": self.site_ids[s],
                    "needs": [need],
                    "backup": {"interval": "24h"},
                }
            )

    def _applications(self) -> None:
        rng = self.rng
        for i in range(self.apps):
            s = rng.randrange(self.sites)
            needs: list[Need] = []
            for j in range(rng.randint(1, 3)):
                server = self._pick(self.servers[s], self.servers)
                if rng.random() < 0.2:  # redundant across two sites
                    standby = self._pick(self.servers[self._other_site(s)], self.servers)
                    providers = [server] if standby == server else [server, standby]
                    needs.append({"id": f"host-{j + 1}", "type": "cyber", "any_of": providers})
                else:
                    needs.append({"id": f"host-{j + 1}", "type": "cyber", "all_of": [server]})
            if rng.random() < 0.5:
                data = self._pick(self.data_ids[s], self.data_ids)
                needs.append({"id": "data", "type": "cyber", "all_of": [data]})
            aid = self._id("app", i)
            self.app_ids[s].append(aid)
            asset: Asset = {"id": aid, "kind": "application", "needs": needs}
            if rng.random() < 0.3:
                asset["recovery"] = self._recovery("it_ops")
            self.assets.append(asset)

    def _staff(self) -> None:
        for s, site in enumerate(self.site_ids):
            pool = []
            for role in STAFF_ROLES[:STAFF_PER_SITE]:
                sid = f"staff-{s:04d}-{role}"
                pool.append(sid)
                self.assets.append(
                    {
                        "id": sid,
                        "kind": "staff",
                        "location": site,
                        "needs": [
                            {"id": "site", "type": "geographic", "all_of": [site]},
                            {"id": "heat", "all_of": [self.heat[s]], "delay": "1d"},
                        ],
                    }
                )
            self.staff.append(pool)

    def _processes(self) -> None:
        rng = self.rng
        for i in range(self.processes):
            s = rng.randrange(self.sites)
            needs: list[Need] = []
            for j in range(rng.randint(1, 2)):
                app = self._pick(self.app_ids[s], self.app_ids)
                if rng.random() < 0.15:  # a second application can stand in
                    alt = self._pick(self.app_ids[self._other_site(s)], self.app_ids)
                    providers = [app] if alt == app else [app, alt]
                    needs.append({"id": f"app-{j + 1}", "type": "cyber", "any_of": providers})
                else:
                    needs.append({"id": f"app-{j + 1}", "type": "cyber", "all_of": [app]})
            staff = self.staff[s][rng.randrange(STAFF_PER_SITE)]
            needs.append({"id": "staff", "type": "logical", "all_of": [staff]})
            if rng.random() < 0.6:
                if rng.random() < 0.3 and self.suppliers >= 2:  # dual sourcing, 60/60
                    a, b = rng.sample(self.supplier_ids, 2)
                    supply: Need = {
                        "id": "supply",
                        "any_of": [{"asset": a, "share": 0.6}, {"asset": b, "share": 0.6}],
                        "delay": f"{rng.choice((4, 8, 24))}h",
                    }
                else:
                    supplier = self.supplier_ids[rng.randrange(self.suppliers)]
                    supply = {"id": "supply", "all_of": [supplier], "delay": "8h"}
                needs.append(supply)
            rto = rng.randint(4, 48)
            mtpd = max(rto, round(rto * rng.choice((1.0, 1.5, 2.0, 3.0))))
            self.assets.append(
                {
                    "id": self._id("proc", i),
                    "kind": "business_process",
                    "location": self.site_ids[s],
                    "needs": needs,
                    "bia": {
                        "rto": f"{rto}h",
                        "mtpd": f"{mtpd}h",
                        "mbco": round(rng.uniform(0.3, 0.7), 2),
                        "impact_per_hour": float(round(rng.uniform(1_000, 50_000), -2)),
                    },
                }
            )
