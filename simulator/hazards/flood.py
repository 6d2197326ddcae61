"""River flood driven by a gauge hydrograph.

The hazard replays water levels at a reference gauge (readings joined by
straight lines). Every asset exposed to that gauge (`flood: {gauge, level,
cleanup}` in the company file) goes down while the water stands at or above
its level and comes back `cleanup` after the water has fallen below it (or,
if it has a recovery, is restored by its team). Each wave that reaches an
asset has its own clean-up (cause `<hazard>/cleanup` for the first wave,
`<hazard>/cleanup:<n>` for the n-th): with a double-peaked hydrograph (Elbe
2002: the Weißeritz, then the Elbe crest) the end of the first wave's
clean-up never brings back an asset that a later wave still keeps down.
Water destroys stored data: a flooded data asset loses what changed since
its last good backup before it went down (simulator/engine/backups.py), counted
when the water reaches it. Alarm levels are recorded as
they are crossed, and `triggers` release MSEL injects when the water rises
past a level (the lower water authority declares AS3: sandbags, evacuation).
The scenario's own conditions (simulator/model/conditions.py) can wait for an
alarm level of a flood (`{hazard: <id>, alarm: AS3}`) or for its crest
(`{hazard: <id>, is: peak_passed}`).

Presets (shared/reference/bcm-model-reference.md §2.3), hours from the start:
- `dresden-2002`: Elbe at Dresden, Aug 2002. Sourced points: 12 Aug 5.27 m,
  13 Aug 6.66-7 m, 16 Aug 9.14 m, peak 9.40 m on 17 Aug 04:00, 18 Aug 8.20 m,
  19 Aug 6.39 m, 22 Aug 4.20 m, 26 Aug 3.50 m; the start (2.2 m on 11 Aug
  12:00) and the 14/15 Aug values are interpolated.
- `dresden-2013`: Elbe at Dresden, June 2013, peak 8.78 m on 6 June (sourced);
  the rise and fall around the peak are shaped after 2002 (assumption).
Dresden alarm levels: AS1 4.0 m, AS2 5.0 m, AS3 6.0 m; AS4 is taken as 7.0 m
(commonly cited, not verified).

Uncertain floods: `crest` (metres, fixed or a distribution) rescales the
hydrograph's rise above its first reading so that its highest reading becomes
the crest; `crest_at` (a duration, fixed or a distribution) moves the crest
to that time since the hazard began, stretching the rise and shifting the
fall unchanged. Together they give "a flood like 2013, crest between AS4 and
the 2002 record, 5 to 5.7 days after the first warning".
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from simulator.hazards.draw import fixed, fixed_number
from simulator.terms.durations import Duration, DurationOrDist, NumberOrDist, within

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target

EVENT_GAUGE = "gauge"  # detail: the level in metres at a reading
EVENT_ALARM = "flood_alarm"  # detail: the alarm level crossed

H = 3600
HYDROGRAPHS: dict[str, tuple[tuple[int, float], ...]] = {
    # 0 h = 11 Aug 2002 12:00
    "dresden-2002": (
        (0, 2.2), (24 * H, 5.27), (48 * H, 6.8), (72 * H, 7.6), (96 * H, 8.3),
        (120 * H, 9.14), (136 * H, 9.40), (144 * H, 9.2), (168 * H, 8.20),
        (192 * H, 6.39), (264 * H, 4.20), (360 * H, 3.50),
    ),
    # 0 h = 1 Jun 2013 12:00; peak 6 Jun 12:00
    "dresden-2013": (
        (0, 2.4), (24 * H, 4.1), (48 * H, 5.9), (72 * H, 7.3), (96 * H, 8.3),
        (120 * H, 8.78), (144 * H, 8.4), (168 * H, 7.5), (192 * H, 6.3),
        (264 * H, 4.3), (360 * H, 3.2),
    ),
}  # fmt: skip
DRESDEN_ALARMS = {"AS1": 4.0, "AS2": 5.0, "AS3": 6.0, "AS4": 7.0}


Level = Annotated[float, Field(ge=-10, le=30)]  # metres at a gauge


class Reading(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    at: Duration
    level: float = Field(ge=-10, le=30)


class Trigger(BaseModel):
    """Release the MSEL inject `inject` when the water rises past `level`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    level: Level
    inject: str


class Flood(BaseModel):
    """Replay a hydrograph at `gauge`: a preset or readings in metres."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["flood"]
    gauge: str = Field(min_length=1)
    hydrograph: Literal["dresden-2002", "dresden-2013"] | list[Reading] = "dresden-2013"
    alarms: dict[str, Level] = Field(default_factory=lambda: dict(DRESDEN_ALARMS))
    triggers: list[Trigger] = Field(default_factory=list)
    crest: Annotated[NumberOrDist, AfterValidator(within(0, 30))] | None = None
    crest_at: DurationOrDist | None = None

    def readings(self) -> list[tuple[int, float]]:
        """(time since the start, level) in time order, with the crest and its
        time applied (see the module's notes)."""
        if isinstance(self.hydrograph, str):
            out = list(HYDROGRAPHS[self.hydrograph])
        else:
            out = sorted((r.at, r.level) for r in self.hydrograph)
        t0, h0 = out[0]
        tp, hp = max(out, key=lambda r: r[1])  # the first highest reading
        if self.crest is not None and hp > h0:
            # Scale the rise above the first reading; a crest below it flattens the line.
            factor = max(0.0, (fixed_number(self.crest) - h0) / (hp - h0))
            out = [(t, h0 + (h - h0) * factor) for t, h in out]
        if self.crest_at is not None and tp > t0:
            at = max(fixed(self.crest_at), t0 + 1)
            out = [
                (t0 + round((t - t0) * (at - t0) / (tp - t0)) if t <= tp else t + at - tp, h)
                for t, h in out
            ]
        return out


def crossings(readings: Sequence[tuple[int, float]], level: float) -> list[tuple[int, bool]]:
    """(time, rising) where the piecewise-linear water line crosses `level`:
    rising when it reaches the level, falling when it drops below."""
    out: list[tuple[int, bool]] = []
    above = readings[0][1] >= level
    if above:
        out.append((readings[0][0], True))
    for (t0, h0), (t1, h1) in zip(readings, readings[1:], strict=False):
        if not above and h1 >= level:
            out.append((t0 + round((level - h0) / (h1 - h0) * (t1 - t0)), True))
            above = True
        elif above and h1 < level:
            out.append((t0 + round((h0 - level) / (h0 - h1) * (t1 - t0)), False))
            above = False
    return out


def cleanup_cause(cause: str, wave: int) -> str:
    """The damage key of the clean-up after the `wave`-th wave (1, 2, ...)."""
    return f"{cause}/cleanup" if wave <= 1 else f"{cause}/cleanup:{wave}"


def run(sim: Target, spec: Flood, cause: str) -> Generator[simpy.Event, Any, None]:
    """Play gauge readings, alarms, triggers, flooding and clean-up in time order."""
    readings = spec.readings()
    # (time, order, action, argument, clean-up cause): order keeps same-time
    # actions stable
    plan: list[tuple[int, int, str, str, str]] = [
        (t, 0, "gauge", f"{level:.2f}", "") for t, level in readings
    ]
    for name, level in sorted(spec.alarms.items(), key=lambda a: a[1]):
        rising = [t for t, up in crossings(readings, level) if up]
        plan += [(t, 1, "alarm", f"{name} {level:g} m", "") for t in rising]
    for trigger in spec.triggers:
        rising = [t for t, up in crossings(readings, trigger.level) if up]
        plan += [(t, 2, "trigger", trigger.inject, "") for t in rising[:1]]
    # The crest (the first highest reading): conditions on "peak_passed" wait
    # for it; it leaves no record of its own.
    crest = max(readings, key=lambda r: r[1])[0]
    plan.append((crest, 5, "peak", "", ""))
    m = sim.model
    for a, (gauge, level, cleanup_s) in sorted(m.flood.items()):  # in the company's order
        if gauge != spec.gauge:
            continue
        wave, asset = 0, m.ids[a]
        for t, up in crossings(readings, level):
            if up:
                plan.append((t, 3, "flood", asset, ""))
                continue
            wave += 1
            cleanup = cleanup_cause(cause, wave)
            plan.append((t, 3, "recede", asset, cleanup))
            if a not in m.recovery:
                plan.append((t + cleanup_s, 4, "clean", asset, cleanup))
    start = sim.now
    for t, _order, action, arg, cleanup in sorted(plan):
        if start + t > sim.now:
            yield sim.env.timeout(start + t - sim.now)
        if action == "gauge":
            sim.note(EVENT_GAUGE, None, cause, arg)
        elif action == "alarm":
            sim.note(EVENT_ALARM, None, cause, arg)
        elif action == "trigger":
            sim.trigger(arg)
        elif action == "peak":
            sim.milestone(cause, "peak_passed")
        elif action == "flood":
            sim.damage(arg, 0.0, cause, until_restored=False, destroys=True)
        elif action == "recede":
            # Down until cleaned up, or until its team has repaired it (the
            # data loss was counted when the water came).
            repair = m.index[arg] in m.recovery
            sim.damage(arg, 0.0, cleanup, until_restored=repair, destroys=False)
            sim.heal(arg, cause)
        else:
            sim.heal(arg, cleanup)
