"""The hazard catalogue.

A hazard is a SimPy process that changes asset capacities over simulated time
through the engine's `damage` and `heal` calls. Each hazard module defines a
pydantic parameter model (with a `type` literal) and a `run` generator; the
catalogue below ties them together for scenario files, the CLI and the web
form builder.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from simulator.hazards import generic

if TYPE_CHECKING:
    import simpy

    from simulator.engine import Simulation

# One member so far; with more it becomes Annotated[A | B, Field(discriminator="type")].
HazardSpec = generic.Outage
"""Parameters of any hazard in the catalogue, told apart by `type`."""

HazardProcess = Callable[["Simulation", Any, str], Generator["simpy.Event", Any, None]]

CATALOGUE: dict[str, HazardProcess] = {
    "outage": generic.run,
}
"""Hazard `type` -> the process that plays it."""
