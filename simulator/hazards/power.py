"""Power failure: a grid feed or a region without power, restored at once
or in stages.

What the outage does to the company follows from the company model: UPS and
generator fuel as buffers on the power needs, refuelling as a resupply that
depends on a fuel supplier and on road access, restart times after power
returns, heat and telecom that need power.

Staged restoration: each stage brings back a share of the listed feeds, in
the order listed. Berlin-Köpenick, 19-20 Feb 2019 (both 110-kV cables cut at
~14:00): about half the customers back after ~28.5 h, all after ~31 h —
the `koepenick-2019` preset (shared/reference/bcm-model-reference.md §2.2).

A feed is a whole asset: it is either powered or not. A stage with `share`
brings back the first floor(share × feeds) of the list — rounded down, the
conservative reading: a feed whose share of the customers is only partly
back is still dark. So a single feed returns only with the stage that brings
back everything (share 1), and the order of the list, not chance, says which
feeds the grid operator switches on first (the scenario author's knowledge of
the network: the hospital's feed before the industrial estate's).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from simulator.hazards.draw import fixed, fixed_number
from simulator.hazards.schedule import play_steps
from simulator.terms.durations import DurationOrDist, NumberOrDist, parse_duration, within

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    after: DurationOrDist
    share: float = Field(gt=0, le=1)  # of the listed feeds back by then (rounded down)


PRESETS: dict[str, tuple[tuple[int, float], ...]] = {
    "koepenick-2019": ((parse_duration("28h30min"), 0.5), (parse_duration("31h"), 1.0)),
}


class PowerFailure(BaseModel):
    """Grid feeds out for `duration`, or restored in `stages` (or a preset)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["power_failure"]
    assets: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    duration: DurationOrDist | None = None
    stages: list[Stage] | Literal["koepenick-2019"] | None = None
    # Multiplies every restoration time: a distribution makes the whole
    # restoration faster or slower at once and keeps its shape (the stages'
    # order and spacing), e.g. Köpenick's stages with a random length.
    stretch: Annotated[NumberOrDist, AfterValidator(within(0))] = 1.0

    @model_validator(mode="after")
    def _one_end(self) -> PowerFailure:
        if (self.duration is None) == (self.stages is None):
            raise ValueError("give either duration or stages")
        return self

    def restoration(self) -> list[tuple[int, float]]:
        """(time since the start, share of feeds back) in time order."""
        if self.duration is not None:
            steps = [(fixed(self.duration), 1.0)]
        elif isinstance(self.stages, str):
            steps = list(PRESETS[self.stages])
        else:
            assert self.stages is not None
            steps = sorted((fixed(s.after), s.share) for s in self.stages)
        k = fixed_number(self.stretch)
        return steps if k == 1 else [(round(t * k), share) for t, share in steps]


def feeds_back(share: float, feeds: int) -> int:
    """How many of `feeds` a stage with `share` brings back: rounded down
    (a tolerance of 1e-9 keeps 0.3 × 10 at 3 despite binary floats)."""
    return min(feeds, math.floor(share * feeds + 1e-9))


def run(sim: Target, spec: PowerFailure, cause: str) -> Generator[simpy.Event, Any, None]:
    """Cut every feed now; bring them back stage by stage."""
    feeds = spec.assets
    yield from play_steps(sim, feeds, [(0, 0.0)], cause)
    back = 0
    start = sim.now
    for after, share in spec.restoration():
        due = feeds_back(share, len(feeds))
        if start + after > sim.now:
            yield sim.env.timeout(start + after - sim.now)
        for feed in feeds[back:due]:
            sim.heal(feed, cause)
        back = max(back, due)
