"""The business-process board of a live exercise: each process against its
BIA, right now.

A thin wrapper: the figures come from the simulator's incremental read model
(`simulator.exercise.readmodels.ProcessBoard`), fed with the engine's new
records only, so an update costs what happened since the last one.
"""

from __future__ import annotations

from typing import Any

from simulator.engine import Simulation
from simulator.exercise import readmodels


class ProcessBoard:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.model = readmodels.ProcessBoard(sim.bundle)
        self.fed = 0  # records of sim.records seen so far

    def sync(self) -> None:
        """Take in the engine's records since the last call."""
        records = self.sim.records
        if self.fed < len(records):
            self.model.feed(records[self.fed :])
            self.fed = len(records)

    def rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """One dict per process: id, name, state, capacity, mbco, hours left to
        RTO and MTPD (negative once passed, None outside an outage), breaches."""
        self.sync()
        return self.model.rows(self.sim.now, lang)
