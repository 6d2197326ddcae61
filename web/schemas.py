"""Request and response bodies of the API (`XCreate` in, `XPublic` out)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from simulator.commands import Command
from simulator.durations import parse_duration
from simulator.hazards import HazardSpec
from simulator.messages import translate
from simulator.schema import MAX_SEED


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


def _whole(value: Any) -> Any:
    """JSON Schema counts 2.0 as an integer: accept it as 2 (strict otherwise)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Int = Annotated[int, BeforeValidator(_whole)]
Speed = Annotated[float, Field(gt=0, le=1440, description="Simulated seconds per real second")]
DURATION = "A duration such as '30min', '2h' or '1d12h'"
TEXT_CHARS = 4000  # a message, proposal, decision or observation: a page of text
TITLE_CHARS = 200


def _duration(value: str | None) -> str | None:
    if value is not None:
        parse_duration(value)  # ValueError: reported at the field
    return value


def _one_of(model: BaseModel, names: tuple[str, ...]) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)}")


class ExerciseCreate(_In):
    scenario: str = Field(min_length=1, max_length=300, description="Path under scenarios/")
    seed: Int | None = Field(default=None, ge=0, le=MAX_SEED)
    speed: Speed = 60.0


class ExercisePublic(BaseModel):
    id: str
    tokens: dict[str, str]
    links: dict[str, str]


class ClockCommand(_In):
    """`start`/`resume` and `pause`; `speed` with a new speed; `jump` ahead
    `by` a duration or `to` the next scheduled inject."""

    action: Literal["start", "pause", "resume", "speed", "jump"]
    speed: Speed | None = Field(default=None, validate_default=True)
    by: str | None = Field(default=None, max_length=40, description=DURATION,
                           validate_default=True)  # fmt: skip
    to: Literal["next_inject"] | None = Field(default=None, validate_default=True)

    # Cross-field rules as field validators, so a 422 names the field.
    @field_validator("speed")
    @classmethod
    def _speed(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None and info.data.get("action") == "speed":
            raise ValueError("required for action 'speed'")
        return value

    @field_validator("by")
    @classmethod
    def _by(cls, value: str | None) -> str | None:
        return _duration(value)

    @field_validator("to")
    @classmethod
    def _to(cls, value: str | None, info: ValidationInfo) -> str | None:
        by = info.data.get("by", "invalid")  # absent: `by` failed already
        if info.data.get("action") == "jump" and (by is None) == (value is None):
            raise ValueError("jump needs either by (a duration such as '2h') or to 'next_inject'")
        return value


class InjectCreate(_In):
    """A hazard from the catalogue, a primitive command, an MSEL entry to
    release, delay or skip, or a narrative message: exactly one of them."""

    hazard: HazardSpec | None = None
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=60,
                           description="Names a hazard (for detect)")  # fmt: skip
    command: Command | None = None
    release: str | None = Field(default=None, min_length=1, max_length=120)
    delay: str | None = Field(default=None, min_length=1, max_length=120)
    by: str | None = Field(default=None, max_length=40, description=f"delay: {DURATION}",
                           validate_default=True)  # fmt: skip
    skip: str | None = Field(default=None, min_length=1, max_length=120)
    title: str | None = Field(default=None, min_length=1, max_length=TITLE_CHARS,
                              description="With a hazard or command: what players are told "
                              "it is called (they never see its parameters)")  # fmt: skip
    message: str | None = Field(default=None, min_length=1, max_length=TEXT_CHARS,
                                description="A message to the players; with a hazard or "
                                "command, what they are told of it")  # fmt: skip

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("hazard") is None:
            raise ValueError("only with a hazard")
        return value

    @field_validator("by")
    @classmethod
    def _by(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("delay") is not None:
            raise ValueError("required with delay")
        if value is not None and "delay" in info.data and info.data["delay"] is None:
            raise ValueError("only with delay")
        return _duration(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("hazard") is None and \
                info.data.get("command") is None:  # fmt: skip
            raise ValueError("only with a hazard or a command")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> InjectCreate:
        told = self.hazard is not None or self.command is not None
        _one_of(self, ("hazard", "command", "release", "delay", "skip",
                       *(() if told else ("message",))))  # fmt: skip
        return self


class DecisionCreate(_In):
    """A player action from the scenario's catalogue or free text; the
    facilitator can also accept or reject a participant's proposal."""

    action: str | None = Field(default=None, min_length=1, max_length=120)
    text: str | None = Field(default=None, min_length=1, max_length=TEXT_CHARS)
    accept: Int | None = Field(default=None, ge=1, le=2**31 - 1)
    reject: Int | None = Field(default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _exactly_one(self) -> DecisionCreate:
        _one_of(self, ("action", "text", "accept", "reject"))
        return self


class ObservationCreate(_In):
    text: str = Field(min_length=1, max_length=TEXT_CHARS)


class ErrorPublic(BaseModel):
    detail: str


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
    sim_time: int = Field(description="Simulated seconds since the scenario start")
    clock: str
    speed: float
    assets: list[AssetState]
    processes: list[ProcessState]


class ReopenedPublic(BaseModel):
    id: str
    state: str


class ScenarioPublic(BaseModel):
    path: str
    title: dict[str, str]
    company: str


def problem_detail(field: str, message: str) -> dict[str, Any]:
    """A 422 body in FastAPI's shape, naming the field; `msg_de` is the
    message for German pages."""
    return {"detail": [{"loc": ["body", *field.split(".")], "msg": message,
                        "msg_de": translate(message, "de"), "type": "value_error"}]}  # fmt: skip
