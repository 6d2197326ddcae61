"""Uncertain hazard parameters: draw them when the hazard starts.

Any duration or number of a hazard's parameters may be given as a
distribution (`{dist: triangular, min: 20h, mode: 31h, max: 5d}`, the laws of
restore times). When the hazard starts, `draw` replaces each distribution by
one value, drawn from its own stream named after the hazard and the
parameter's place ("hazard:blackout/stages/1/after"): a run is the same for
the same seed, replications differ, and one parameter's draws do not shift
when another parameter is added or made random. The hazard then reads plain
values through `fixed` and `fixed_number`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from simulator.terms.durations import RandomDuration, RandomNumber, sample, sample_number

Spec = TypeVar("Spec", bound=BaseModel)


def draw(spec: Spec, streams: Callable[[str], random.Random], name: str) -> Spec:
    """`spec` with every distribution replaced by a value drawn from the
    stream `name/<field path>`; `spec` itself if nothing in it is random."""
    return _draw(spec, streams, name)  # type: ignore[no-any-return]


def _draw(value: Any, streams: Callable[[str], random.Random], path: str) -> Any:
    if isinstance(value, RandomDuration):
        return sample(value, streams(path))
    if isinstance(value, RandomNumber):
        return sample_number(value, streams(path))
    if isinstance(value, BaseModel):
        update = {}
        for field, old in value.__dict__.items():  # the fields, in their order
            if type(old) in _PLAIN:  # most of a spec: nothing to draw, no path to build
                continue
            new = _draw(old, streams, f"{path}/{field}")
            if new is not old:
                update[field] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        if all(type(v) in _PLAIN for v in value):  # asset ids
            return value
        items = [_draw(v, streams, f"{path}/{i}") for i, v in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types of values that are never random (a hazard starts a thousand times in
a large run: its parameters are walked each time)."""


def fixed(value: int | RandomDuration) -> int:
    """A duration of a drawn spec (see `draw`)."""
    if not isinstance(value, int):
        raise TypeError("hazard parameters must be drawn before the hazard runs")
    return value


def fixed_number(value: float | RandomNumber) -> float:
    """A number of a drawn spec (see `draw`)."""
    if not isinstance(value, int | float):
        raise TypeError("hazard parameters must be drawn before the hazard runs")
    return float(value)
