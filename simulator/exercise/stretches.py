"""Each asset's constant stretches, settled up to a moving "now".

The read models (simulator.exercise.readmodels) are fed the engine's records
as they come and asked for figures "as of now" again and again. They use the
same rules as the run summary (simulator.analysis.metrics): only [0, now) counts, and
of several records at one instant the last one wins. So a record at or after
the last "now" asked for stays pending until a later "now" passes it; the
others go through a `SegmentBuilder` once and are never looked at again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from simulator.analysis.metrics import Segment, SegmentBuilder, initial_condition
from simulator.engine.records import EVENT_DATA_LOSS, EVENT_STATE, Record
from simulator.model.schema import Asset


class Stretches:
    """Constant stretches of the tracked assets, settled up to `settled`."""

    def __init__(self, assets: Iterable[Asset], *, losses: bool = False) -> None:
        self.losses = losses  # keep data-loss records too
        self.builders = {a.id: SegmentBuilder(*initial_condition(a)) for a in assets}
        self.pending: deque[Record] = deque()
        self.settled: int | None = None  # the latest "now" asked for
        self.last_t: int | None = None  # time of the latest record taken in
        self.taken = 0  # records taken in (the tests count work per update with it)

    def take(self, r: Record) -> None:
        """Take in one record of the engine's stream (in time order)."""
        self.taken += 1
        if self.last_t is not None and r.t < self.last_t:
            raise ValueError(
                f"records out of time order: seq {r.seq} at t={r.t} after t={self.last_t}"
            )
        if self.settled is not None and r.t < self.settled:
            raise ValueError(
                f"record seq {r.seq} at t={r.t} comes after the figures at t={self.settled} "
                "were read: feed every record before asking for a later time"
            )
        self.last_t = r.t
        if (r.event == EVENT_STATE and r.asset in self.builders) or (
            self.losses and r.event == EVENT_DATA_LOSS
        ):
            self.pending.append(r)

    def settle(self, now: int) -> tuple[dict[str, list[Segment]], list[Record]]:
        """Pass the pending records before `now` through the builders.

        Returns the stretches made final, by asset (every asset with a new
        record is a key, maybe with an empty list), and the data-loss records
        settled.
        """
        if self.settled is not None and now < self.settled:
            raise ValueError(f"time runs forward: asked for t={now} after t={self.settled}")
        self.settled = now
        touched: dict[str, list[Segment]] = {}
        losses: list[Record] = []
        pending, builders = self.pending, self.builders
        while pending and pending[0].t < now:
            r = pending.popleft()
            if r.event != EVENT_STATE:
                losses.append(r)
                continue
            assert r.asset is not None  # take() keeps only tracked assets' state records
            done = builders[r.asset].add(r)
            final = touched.setdefault(r.asset, [])
            if done is not None:
                final.append(done)
        return touched, losses

    def tail(self, asset: str, now: int) -> list[Segment]:
        """The stretches of `asset` not final yet, the open one closed at `now`."""
        return self.builders[asset].tail(now)
