"""Generic outage: assets down or degraded for a duration or until restored.

The facilitator's ad hoc inject ("the ERP server is gone", "the warehouse
runs at half capacity for a day") and the building block of other hazards.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from simulator.hazards.draw import fixed
from simulator.terms.durations import DurationOrDist

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target


class Outage(BaseModel):
    """Assets lose capacity at once: down (`capacity` 0) or degraded.

    With a `duration` they come back by themselves when it ends (a short
    grid dip, a supplier's announced stop); without one they stay damaged
    until their recovery process (team, restore time) or a `restore` command
    brings them back.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["outage"]
    assets: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    capacity: float = Field(default=0.0, ge=0, lt=1)
    duration: DurationOrDist | None = None


def run(sim: Target, spec: Outage, cause: str) -> Generator[simpy.Event, Any, None]:
    """Damage every asset of `spec` now; heal them after `duration`, if given."""
    for asset in spec.assets:
        sim.damage(asset, spec.capacity, cause, until_restored=spec.duration is None)
    if spec.duration is not None:
        yield sim.env.timeout(fixed(spec.duration))
        for asset in spec.assets:
            sim.heal(asset, cause)
