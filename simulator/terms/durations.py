"""Durations as people write them ("30min", "4h", "1d12h", German "2 Tage",
"3 Std", "1 Tag 12 Std") and the random distributions that restore times and
hazard parameters may follow.

Simulated time is kept in whole seconds: integer arithmetic keeps event order
exact (float sums can merge or split "simultaneous" events).
"""

from __future__ import annotations

import functools
import math
import random
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema

UNIT_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800}
# German spellings a BCM team types into the console ("2 Tage", "3 Std", "30 Min",
# "90 Sek", "2 Wochen"), each mapped to its unit by its first letters. Written
# with [Xx] classes, not a flag, so the same text serves as the JSON Schema
# pattern that browsers check in the forms.
_GERMAN = (r"[Ww]ochen?|[Tt]age?n?|[Tt]g\.?|[Ss]td\.?|[Ss]tunden?|[Mm]in(?:uten?|\.)?"
           r"|[Ss]ek(?:unden?|\.)?")
_UNITS = rf"{_GERMAN}|min|s|h|d|w"
_GERMAN_UNIT = {"wo": "w", "ta": "d", "tg": "d", "st": "h", "mi": "min", "se": "s"}
# A number takes one decimal mark, the point or the German comma ("1,5 Std").
_PART = rf"(\d+(?:[.,]\d+)?)\s*({_UNITS})"
_FULL = re.compile(rf"^\s*(?:{_PART}\s*)+$")
_ONE = re.compile(_PART)
DURATION_PATTERN = rf"^\s*(\d+([.,]\d+)?\s*({_UNITS})\s*)+$"
# Digits with two or more marks ("1,5,3", "1.000,5") or a mark before exactly
# three digits after a leading 1-999 ("1.000", "2,500"): a thousands separator
# in one convention, a decimal in the other, so neither reading is safe.
_MARKS = re.compile(r"\d+(?:[.,]\d+){2,}")
_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}[.,]\d{3}(?![\d.,])")
MAX_DURATION = 3650 * 86400
"""The longest duration anywhere (horizons, jumps, delays, restore times): ten
years. It keeps simulated time well inside a 32-bit column and float precision,
and stops "9999...9d" from turning into a horizon nothing can reach."""
MAX_DURATION_TEXT = 100  # characters; "1d12h30min" needs ten


@functools.lru_cache(maxsize=4096)  # files repeat the same few spellings
def parse_duration(text: str) -> int:
    """Seconds in a duration such as "90s", "30min", "4h", "3d", "1w" or "1d12h",
    or in German "90 Sek", "30 Min", "4 Std", "3 Tage", "1 Woche", "1 Tag 12 Std",
    with a decimal point or comma ("1.5h", "1,5 Std")."""
    if len(text) > MAX_DURATION_TEXT:
        raise ValueError(f"duration too long: {len(text)} characters (at most {MAX_DURATION_TEXT})")
    if (marks := _MARKS.search(text)) is not None:
        raise ValueError(
            f"not a duration: {text!r}; {marks.group()!r} has more than one decimal mark: "
            "write one comma or point, e.g. '1,5 Std' or '1.5h' (no thousands separators)"
        )
    if (grouped := _THOUSANDS.search(text)) is not None:
        number = grouped.group()
        whole, mark, fraction = number[:-4], number[-4], number[-3:].rstrip("0")
        decimal = f"{whole}{mark}{fraction}" if fraction else whole
        raise ValueError(
            f"not a duration: {text!r}; {number!r} could mean {number.replace(mark, '')!r} or "
            f"{decimal!r}: write the one you mean (no thousands separators)"
        )
    if not _FULL.match(text):
        raise ValueError(
            f"not a duration: {text!r}; write a number and a unit (s, min, h, d, w), e.g. '30min'"
        )
    total = sum(float(n.replace(",", ".")) * UNIT_SECONDS[_unit(u)] for n, u in _ONE.findall(text))
    return in_range(total)


def in_range(seconds: float) -> int:
    """Whole seconds of a duration within 0 .. MAX_DURATION, else ValueError."""
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError("a duration must be a finite number")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    if seconds > MAX_DURATION:
        raise ValueError("longer than the limit of 3650d (ten years)")
    return round(seconds)


def _unit(spelling: str) -> str:
    """The unit key of a spelling the pattern accepted: "Std." -> "h"."""
    if spelling in UNIT_SECONDS:
        return spelling
    return _GERMAN_UNIT[spelling[:2].lower()]


def format_duration(seconds: int) -> str:
    """The shortest exact spelling of a duration: 5400 -> "1h30min"."""
    if seconds == 0:
        return "0min"
    out = []
    rest = seconds
    for unit in ("d", "h", "min", "s"):
        n, rest = divmod(rest, UNIT_SECONDS[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out)


def _to_seconds(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, bool):
        raise ValueError("a duration must be text such as '30min', not true/false")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a duration must be a finite number")
    if isinstance(value, int | float):
        # Scenario files must spell the unit: a bare 2 could mean minutes or hours.
        # Code (and the files' own round trip) passes whole seconds.
        from_file = bool(info.context and info.context.get("from_file"))
        if from_file and value != 0:
            raise ValueError(
                f"write a unit with the number {value}, e.g. '{value}h' or '{value}min'"
            )
        return in_range(value)
    raise ValueError("a duration must be text such as '30min', '4h' or '3d'")


Duration = Annotated[
    int,
    BeforeValidator(_to_seconds),
    Field(ge=0),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["30min", "4h", "3d"]}
    ),
]
"""A non-negative duration, written with a unit in files, held as whole seconds."""


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# Each law is written once over plain numbers (`draw`, `mean`, `check`); the
# duration classes narrow its fields to `Duration` (restore times, hazard
# times), the number classes keep floats (a flood crest in metres, a share).


class _TriangularLaw(_Dist):
    dist: Literal["triangular"]
    min: float
    mode: float
    max: float

    def draw(self, rng: random.Random) -> float:
        return rng.triangular(self.min, self.max, self.mode)

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def check(self) -> str | None:
        if not self.min <= self.mode <= self.max:
            return "needs min <= mode <= max"
        return None


class _UniformLaw(_Dist):
    dist: Literal["uniform"]
    min: float
    max: float

    def draw(self, rng: random.Random) -> float:
        return rng.uniform(self.min, self.max)

    def mean(self) -> float:
        return (self.min + self.max) / 2

    def check(self) -> str | None:
        return None if self.min <= self.max else "needs min <= max"


class _LogNormalLaw(_Dist):
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0, le=5)

    def draw(self, rng: random.Random) -> float:
        return rng.lognormvariate(math.log(max(self.median, 1e-9)), self.sigma)

    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    def check(self) -> str | None:
        return None


class Triangular(_TriangularLaw):
    """Triangular distribution: most likely `mode`, never below `min` or above `max`."""

    min: Duration
    mode: Duration
    max: Duration

    def sample(self, rng: random.Random) -> int:
        return round(self.draw(rng))


class Uniform(_UniformLaw):
    """Uniform distribution between `min` and `max`."""

    min: Duration
    max: Duration

    def sample(self, rng: random.Random) -> int:
        return round(self.draw(rng))


class LogNormal(_LogNormalLaw):
    """Log-normal distribution given by its `median` and the `sigma` of the log:
    a long right tail, as restore times have (most restores quick, a few very slow)."""

    median: Duration  # whole seconds; 0 is read as 1 s

    def draw(self, rng: random.Random) -> float:
        return rng.lognormvariate(math.log(max(self.median, 1)), self.sigma)

    def mean(self) -> float:
        return max(self.median, 1) * math.exp(self.sigma**2 / 2)

    def sample(self, rng: random.Random) -> int:
        return round(self.draw(rng))


Distribution = Annotated[Triangular | Uniform | LogNormal, Field(discriminator="dist")]
DurationOrDist = Duration | Distribution
RandomDuration = Triangular | Uniform | LogNormal


class TriangularNumber(_TriangularLaw):
    """Triangular distribution of a number (metres, a share)."""


class UniformNumber(_UniformLaw):
    """Uniform distribution of a number between `min` and `max`."""


class LogNormalNumber(_LogNormalLaw):
    """Log-normal distribution of a positive number, by its `median` and `sigma`."""


NumberDistribution = Annotated[
    TriangularNumber | UniformNumber | LogNormalNumber, Field(discriminator="dist")
]
NumberOrDist = float | NumberDistribution
"""A number, fixed or random (the same laws as durations)."""
RandomNumber = TriangularNumber | UniformNumber | LogNormalNumber


def within(
    lo: float, hi: float = math.inf
) -> Callable[[float | RandomNumber], float | RandomNumber]:
    """A validator (`AfterValidator(within(0, 1))`) that a fixed number or
    every value a distribution can draw lies in [lo, hi] (a log-normal draws
    only positive values, so it fits when lo <= 0 and there is no hi)."""

    def check(value: float | RandomNumber) -> float | RandomNumber:
        if isinstance(value, LogNormalNumber):
            if lo <= 0 and hi == math.inf:
                return value
            raise ValueError(
                f"a lognormal distribution has no upper bound; give a fixed value, "
                f"a triangular or a uniform distribution between {lo:g} and {hi:g}"
            )
        ends = [value] if isinstance(value, int | float) else [value.min, value.max]
        if hi == math.inf and not all(lo <= x for x in ends):
            raise ValueError(f"must be at least {lo:g}")
        if not all(lo <= x <= hi for x in ends):
            raise ValueError(f"must lie between {lo:g} and {hi:g}")
        return value

    return check


def sample(value: int | RandomDuration, rng: random.Random) -> int:
    """A duration in seconds: fixed, or drawn from `rng`."""
    if isinstance(value, int):
        return value
    return max(0, value.sample(rng))


def sample_number(value: float | RandomNumber, rng: random.Random) -> float:
    """A number: fixed, or drawn from `rng`."""
    if isinstance(value, int | float):
        return float(value)
    return value.draw(rng)


def mean_seconds(value: int | RandomDuration) -> float:
    """Expected value of a fixed or random duration, for planning figures."""
    if isinstance(value, int):
        return float(value)
    return value.mean()
