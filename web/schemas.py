"""Request and response bodies of the API (`XCreate` in, `XPublic` out)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulator.commands import Command
from simulator.durations import parse_duration
from simulator.hazards import HazardSpec


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _one_of(model: BaseModel, names: tuple[str, ...]) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)}")


class ExerciseCreate(_In):
    scenario: str = Field(min_length=1, max_length=300, description="Path under scenarios/")
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    speed: float = Field(default=60.0, gt=0, le=1440, description="Simulated s per real s")


class ExercisePublic(BaseModel):
    id: str
    tokens: dict[str, str]
    links: dict[str, str]


class ClockCommand(_In):
    action: Literal["start", "pause", "resume", "speed", "jump"]
    speed: float | None = Field(default=None, gt=0, le=1440)
    by: str | None = Field(default=None, description="jump: a duration such as '2h'")
    to: Literal["next_inject"] | None = None

    @model_validator(mode="after")
    def _fields(self) -> ClockCommand:
        if self.action == "speed" and self.speed is None:
            raise ValueError("speed: required for action 'speed'")
        if self.action == "jump" and (self.by is None) == (self.to is None):
            raise ValueError("jump needs either by (a duration) or to: next_inject")
        if self.by is not None:
            parse_duration(self.by)
        return self


class InjectCreate(_In):
    """A hazard from the catalogue, a primitive command, an MSEL entry to
    release, delay or skip, or a narrative message."""

    model_config = ConfigDict(extra="forbid", strict=False)
    hazard: HazardSpec | None = None
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=60)
    command: Command | None = None
    release: str | None = Field(default=None, max_length=120)
    delay: str | None = Field(default=None, max_length=120)
    by: str | None = None
    skip: str | None = Field(default=None, max_length=120)
    message: str | None = Field(default=None, min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _exactly_one(self) -> InjectCreate:
        _one_of(self, ("hazard", "command", "release", "delay", "skip", "message"))
        if self.delay is not None:
            if self.by is None:
                raise ValueError("by: required with delay")
            parse_duration(self.by)
        return self


class DecisionCreate(_In):
    """A player action from the scenario's catalogue or free text; the
    facilitator can also accept or reject a participant's proposal."""

    action: str | None = Field(default=None, max_length=120)
    text: str | None = Field(default=None, min_length=1, max_length=10_000)
    accept: int | None = Field(default=None, ge=1)
    reject: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> DecisionCreate:
        _one_of(self, ("action", "text", "accept", "reject"))
        return self


class ObservationCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)


class AcceptedPublic(BaseModel):
    seq: int
    kind: str
    sim_time_h: float


class AssetState(BaseModel):
    id: str
    state: str
    capacity: float


class ProcessState(BaseModel):
    id: str
    name: str
    state: str
    capacity: float
    mbco: float | None
    rto_h: float | None
    mtpd_h: float | None
    outage_h: float | None
    rto_left_h: float | None
    mtpd_left_h: float | None
    rto_breached: bool
    mtpd_breached: bool
    impact_eur: float


class StatePublic(BaseModel):
    id: str
    sim_time_h: float
    clock: str
    speed: float
    assets: list[AssetState]
    processes: list[ProcessState]


class ScenarioPublic(BaseModel):
    path: str
    title: dict[str, str]
    company: str


def problem_detail(field: str, message: str) -> dict[str, Any]:
    """A 422 body in FastAPI's shape, naming the field."""
    return {"detail": [{"loc": ["body", *field.split(".")], "msg": message, "type": "value_error"}]}
