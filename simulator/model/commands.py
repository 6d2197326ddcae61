"""The primitive commands that change a running simulation.

Scheduled injects, facilitator injects and player decisions are all lists of
these; the engine applies them at the current simulated time. A command names
assets by id; `simulator.model.validation` checks those ids against the company.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from simulator.hazards import HazardSpec
from simulator.terms.durations import Duration

_Id = Annotated[str, Field(min_length=1, max_length=120)]
DepTypeName = Literal["physical", "cyber", "geographic", "logical"]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Down(_Command):
    """Take an asset down: for `duration`, or (none given) until it is restored —
    by its recovery process if it has one, else by a `restore` command."""

    action: Literal["down"]
    asset: _Id
    duration: Duration | None = None


class Degrade(_Command):
    """Limit an asset to `capacity`, for `duration` or until restored."""

    action: Literal["degrade"]
    asset: _Id
    capacity: float = Field(ge=0, le=1)
    duration: Duration | None = None


class Restore(_Command):
    """Clear all damage on an asset now (it still needs its restart time)."""

    action: Literal["restore"]
    asset: _Id


class ActivateStandby(_Command):
    """Switch on a standby asset; it comes up after its lead time."""

    action: Literal["activate_standby"]
    asset: _Id


class DeactivateStandby(_Command):
    action: Literal["deactivate_standby"]
    asset: _Id


class StartWorkaround(_Command):
    """Start a business process's manual workaround; it holds after its lead time."""

    action: Literal["start_workaround"]
    process: _Id


class StopWorkaround(_Command):
    action: Literal["stop_workaround"]
    process: _Id


def _cyber() -> list[DepTypeName]:
    return ["cyber"]


class Isolate(_Command):
    """Cut every dependency of the given types into and out of an asset
    (containment: a network segment taken off the net)."""

    action: Literal["isolate"]
    asset: _Id
    types: list[DepTypeName] = Field(default_factory=_cyber, min_length=1)


class Reconnect(_Command):
    """Undo every isolation of an asset."""

    action: Literal["reconnect"]
    asset: _Id


class AddTeam(_Command):
    """Add members to a recovery team (external responders, a vendor's engineers)."""

    action: Literal["add_team"]
    team: _Id
    count: int = Field(ge=1, le=10_000)


class Message(_Command):
    """A narrative message to the players; it changes nothing in the model."""

    action: Literal["message"]
    text: str = Field(min_length=1, max_length=10_000)


class StartHazard(_Command):
    """Start a hazard from the catalogue now; `id` names it for `detect`."""

    action: Literal["hazard"]
    hazard: HazardSpec
    id: _Id | None = None


class Detect(_Command):
    """The running hazard `hazard` (its id) is detected: a cyberattack's
    attacker is evicted, so it spreads no further."""

    action: Literal["detect"]
    hazard: _Id


Command = Annotated[
    Down
    | Degrade
    | Restore
    | ActivateStandby
    | DeactivateStandby
    | StartWorkaround
    | StopWorkaround
    | Isolate
    | Reconnect
    | AddTeam
    | Message
    | StartHazard
    | Detect,
    Field(discriminator="action"),
]
