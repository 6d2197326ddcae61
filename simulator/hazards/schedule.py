"""Shared piece of several hazards: play capacity steps over time."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from simulator.terms.durations import DurationOrDist

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target


class Step(BaseModel):
    """From `after` (since the hazard began) on, the assets run at `capacity`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    after: DurationOrDist
    capacity: float = Field(ge=0, le=1)


def play_steps(
    sim: Target, assets: Sequence[str], steps: Sequence[tuple[int, float]], cause: str
) -> Generator[simpy.Event, Any, None]:
    """Hold `assets` at each step's capacity from its time on (times in
    seconds since now, sorted); capacity 1 heals them."""
    start = sim.now
    for after, capacity in steps:
        if start + after > sim.now:
            yield sim.env.timeout(start + after - sim.now)
        for asset in assets:
            if capacity >= 1:
                sim.heal(asset, cause)
            else:
                sim.damage(asset, capacity, cause, until_restored=False)
