"""Supply-chain break: a supplier or transport link fails or delivers only a
fraction, then ramps back up.

Consumers ride it out on their stock cover (buffers on their supply needs);
an alternate supplier is a standby asset the players activate, which takes
over after its lead time at its share of the volume.

Figures behind the presets (shared/reference/bcm-model-reference.md §2.4):
- `co2-2022`: in Sep 2022 only 30-40% of the usual CO2 deliveries were
  available in Germany (ammonia plants throttled by gas prices); CO2 is
  needed for MAP packaging of cheese. Preset: 35% for 6 weeks.
- `renesas-2021`: the Naka fab fire (19 Mar 2021) stopped production; it
  resumed after 29 days, reached 88% by the end of May (~2 months) and 100%
  after ~3 months. Preset: 0% for 29 d, 50% until day 45, 88% until day 90.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from simulator.hazards.draw import fixed, fixed_number
from simulator.hazards.schedule import Step, play_steps
from simulator.terms.durations import DurationOrDist, NumberOrDist, parse_duration, within

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target

D = parse_duration("1d")
PRESETS: dict[str, tuple[tuple[int, float], ...]] = {
    "co2-2022": ((0, 0.35), (42 * D, 1.0)),
    "renesas-2021": ((0, 0.0), (29 * D, 0.5), (45 * D, 0.88), (90 * D, 1.0)),
}


class SupplyBreak(BaseModel):
    """`assets` (suppliers, transport links) deliver `fraction` of the usual
    volume; full supply returns after `duration`, or along `ramp` steps, or a
    preset profile. Without either the break lasts until restored."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["supply_break"]
    assets: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    fraction: Annotated[NumberOrDist, AfterValidator(within(0, 1))] = 0.0
    duration: DurationOrDist | None = None
    ramp: list[Step] = Field(default_factory=list)
    preset: Literal["co2-2022", "renesas-2021"] | None = None

    def profile(self) -> list[tuple[int, float]]:
        """(time since the start, capacity) steps, in time order."""
        if self.preset is not None:
            return list(PRESETS[self.preset])
        steps = [
            (0, fixed_number(self.fraction)),
            *sorted((fixed(s.after), s.capacity) for s in self.ramp),
        ]
        if self.duration is not None:
            end = fixed(self.duration)
            steps = [s for s in steps if s[0] < end] + [(end, 1.0)]
        return steps


def run(sim: Target, spec: SupplyBreak, cause: str) -> Generator[simpy.Event, Any, None]:
    """Step the suppliers' capacity through the profile."""
    profile = spec.profile()
    if spec.duration is None and spec.preset is None and profile[-1][1] < 1:
        for asset in spec.assets:  # open-ended: the damage waits for a restore
            sim.damage(asset, profile[0][1], cause, until_restored=True)
        profile = profile[1:]
    yield from play_steps(sim, spec.assets, profile, cause)
