"""The business-process board: each process against its BIA, right now.

Fed with the engine's records as they come, it knows since when a process
has been below its MBCO, so it can count down to the RTO and the MTPD.
"""

from __future__ import annotations

from typing import Any

from simulator.engine import Simulation
from simulator.metrics import summarize
from simulator.records import EPSILON, Record
from simulator.schema import AssetKind, text


class ProcessBoard:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        company = sim.bundle.company
        self.processes = [a for a in company.assets if a.kind is AssetKind.business_process]
        self.ids = {a.id for a in self.processes}
        self.below_since: dict[str, int] = {}
        self.fed = 0  # records of sim.records seen so far

    def sync(self) -> None:
        """Take in the engine's records since the last call."""
        records = self.sim.records
        if self.fed < len(records):
            self.feed(records[self.fed :])

    def feed(self, records: list[Record]) -> None:
        self.fed += len(records)
        for r in records:
            if r.event != "state" or r.asset not in self.ids or r.after is None:
                continue
            mbco = self._mbco(r.asset)
            if r.after < mbco - EPSILON:
                self.below_since.setdefault(r.asset, r.t)
            else:
                self.below_since.pop(r.asset, None)

    def _mbco(self, asset: str) -> float:
        bia = self.sim.model.bia.get(self.sim.model.index[asset])
        return bia.mbco if bia is not None else 1.0

    def rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """One dict per process: id, name, state, capacity, mbco, hours left to
        RTO and MTPD (negative once passed, None outside an outage), breaches."""
        self.sync()
        sim, now = self.sim, self.sim.now
        summary = summarize(sim.bundle, sim.records, max(now, 1)) if now else None
        snap_cap = sim.cascade.cap
        out = []
        for asset in self.processes:
            a = sim.model.index[asset.id]
            bia = asset.bia
            since = self.below_since.get(asset.id)
            p = summary.process(asset.id) if summary else None
            out.append({
                "id": asset.id,
                "name": text(asset.name, lang) or asset.id,
                "state": sim.cascade.state(a),
                "capacity": snap_cap[a],
                "mbco": bia.mbco if bia else None,
                "rto_h": bia.rto / 3600 if bia else None,
                "mtpd_h": bia.mtpd / 3600 if bia else None,
                "outage_h": None if since is None else round((now - since) / 3600, 3),
                "rto_left_h": None if since is None or bia is None
                else round((bia.rto - (now - since)) / 3600, 3),
                "mtpd_left_h": None if since is None or bia is None
                else round((bia.mtpd - (now - since)) / 3600, 3),
                "rto_breached": bool(p and p.rto_breached),
                "mtpd_breached": bool(p and p.mtpd_breached),
                "impact_eur": p.impact_eur if p else 0.0,
                # for the summary at the end: totals, not just the current outage
                "downtime_h": p.downtime_h if p else 0.0,
                "below_mbco_h": p.below_mbco_h if p else (0.0 if bia else None),
            })  # fmt: skip
        return out
