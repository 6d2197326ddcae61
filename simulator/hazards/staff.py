"""Staff shortage: a share of a staff pool is absent for a period.

The staff pools' capacity falls to 1 − absence, which lowers the capacity of
every process that needs them. The listed recovery teams lose people one by
one: each member is away while the absence share exceeds the member's own
draw from the run's random stream (the engine's `Simulation._resize`), so a team is on
average 1 − absence of its size, and replications differ as real teams do.

Figures behind the defaults and presets (shared/reference/bcm-model-reference.md §2.4):
- `pandemic-wave`: UK planning assumption of +15% absence over a 2-3 week
  peak; preset 15% for 3 weeks.
- `severe-pandemic`: CDC/WHO severe pandemic, up to 50% for ~2 weeks inside
  an ~8-week wave; preset 10% for 3 weeks, 50% for 2 weeks, 10% for 3 weeks.
- a site quarantine (Tönnies, June 2020: ~7,000 staff quarantined, the plant
  idle for weeks) is `absence: 1` on that site's pool for e.g. 3 weeks.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from simulator.hazards.draw import fixed, fixed_number
from simulator.terms.durations import DurationOrDist, NumberOrDist, parse_duration, within

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target

W = parse_duration("1w")
PRESETS: dict[str, tuple[tuple[int, float], ...]] = {
    "pandemic-wave": ((0, 0.15), (3 * W, 0.0)),
    "severe-pandemic": ((0, 0.10), (3 * W, 0.50), (5 * W, 0.10), (8 * W, 0.0)),
}


class AbsenceStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    after: DurationOrDist
    absence: Annotated[NumberOrDist, AfterValidator(within(0, 1))]


class StaffAbsence(BaseModel):
    """`absence` of the `staff` pools (and `teams`) is missing for
    `duration`; or follow a `profile` of steps, or a preset wave."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["staff_absence"]
    staff: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    teams: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    absence: float = Field(default=0.15, ge=0, le=1)
    duration: DurationOrDist | None = 3 * W
    profile: list[AbsenceStep] = Field(default_factory=list)
    preset: Literal["pandemic-wave", "severe-pandemic"] | None = None

    def steps(self) -> list[tuple[int, float]]:
        """(time since the start, absence) steps in time order; `duration`
        ends a profile or a flat absence."""
        if self.preset is not None:
            return list(PRESETS[self.preset])
        steps = sorted((fixed(s.after), fixed_number(s.absence)) for s in self.profile) or [
            (0, self.absence)
        ]
        if self.duration is not None:
            end = fixed(self.duration)
            steps = [s for s in steps if s[0] < end] + [(end, 0.0)]
        return steps


def run(sim: Target, spec: StaffAbsence, cause: str) -> Generator[simpy.Event, Any, None]:
    """Lower the pools' capacity and the teams' size step by step."""
    start = sim.now
    for after, absence in spec.steps():
        if start + after > sim.now:
            yield sim.env.timeout(start + after - sim.now)
        for pool in spec.staff:
            if absence > 0:
                sim.damage(pool, 1 - absence, cause, until_restored=False)
            else:
                sim.heal(pool, cause)
        for team in spec.teams:
            sim.set_team_absence(team, absence)
