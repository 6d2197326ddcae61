"""Request and response bodies of the API (`XCreate` in, `XPublic` out)."""

from __future__ import annotations

from datetime import date
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

from simulator.hazards import HazardSpec
from simulator.model.commands import Command
from simulator.model.schema import MAX_SEED
from simulator.terms.durations import parse_duration
from simulator.terms.messages import translate


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
MAX_TEAMS = 20  # an inject addressed to at most this many teams


def _clean(value: Any) -> Any:
    """Names and teams without surrounding blanks (a blank one is refused)."""
    return value.strip() if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=200)]
Team = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=80)]


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
    `by` a duration or `to` the next scheduled inject; `extend` the horizon
    `by` a duration (overtime, also after the exercise has ended)."""

    action: Literal["start", "pause", "resume", "speed", "jump", "extend"]
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
    def _by(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("action") == "extend":
            raise ValueError("required for action 'extend', e.g. '1d'")
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
    teams: list[Team] | None = Field(default=None, min_length=1, max_length=MAX_TEAMS,
                                     description="With a hazard, command or message: "
                                     "addressed to these teams only (their players see "
                                     "it; others do not). Omitted: everyone")  # fmt: skip

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

    @field_validator("teams")
    @classmethod
    def _teams(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if value is not None and all(info.data.get(k) is None
                                     for k in ("hazard", "command", "message")):  # fmt: skip
            raise ValueError("only with a hazard, a command or a message")
        return value


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


class PersonCreate(_In):
    """A named participant or observer; the server makes their id and link."""

    name: Name = Field(description="e.g. 'Anna Krause'")
    function: Name | None = Field(default=None, description="e.g. 'Leiterin Krisenstab'")
    team: Team | None = Field(default=None, description="e.g. 'Krisenstab' or 'IT'")
    role: Literal["participant", "observer"]


class PersonPublic(BaseModel):
    id: str
    name: str
    function: str | None = None
    team: str | None = None
    role: str
    joined: str | None = Field(default=None, description="When they first opened their "
                               "link (UTC, ISO 8601)")  # fmt: skip
    first_active: str | None = Field(default=None, description="Their first log entry (UTC)")
    last_active: str | None = Field(default=None, description="Their last log entry (UTC)")
    entries: int = Field(default=0, description="Log entries they made")


class PersonAdded(PersonPublic):
    token: str
    link: str


class TeamAttendance(BaseModel):
    team: str | None = Field(description="None: people without a team")
    people: int
    joined: int
    active: int = Field(description="People with at least one log entry")


class PeoplePublic(BaseModel):
    people: list[PersonPublic]
    teams: list[TeamAttendance]


class ObservationCreate(_In):
    """An Exercise Evaluation Guide line: a note, optionally on one of the
    scenario's objectives, a strength or an area for improvement, rated on
    HSEEP's scale (P performed without challenges, S with some challenges,
    M with major challenges, U unable to be performed)."""

    text: str = Field(min_length=1, max_length=TEXT_CHARS)
    objective: str | None = Field(default=None, min_length=1, max_length=120,
                                  description="An objective's id (`objectives` of the stream)")
    tag: Literal["strength", "improvement"] | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class TriggerCommand(_In):
    """The facilitator's hand on an adaptive trigger: `disarm` it (it fires no
    more), `fire` it now whatever its condition, or `release` / `dismiss` the
    inject a notify trigger suggested (the oldest one still open)."""

    trigger: str = Field(min_length=1, max_length=120,
                         description="The trigger's id (`triggers` of the stream's state)")
    action: Literal["disarm", "fire", "release", "dismiss"]


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
    downtime_h: float = Field(description="Hours at capacity 0 so far")
    below_mbco_h: float | None = Field(description="Hours below the MBCO so far")


class StatePublic(BaseModel):
    id: str
    sim_time_h: float
    sim_time: int = Field(description="Simulated seconds since the scenario start")
    horizon: int = Field(description="Simulated seconds at which the exercise ends")
    clock: str
    speed: float
    assets: list[AssetState]
    processes: list[ProcessState]


class ReopenedPublic(BaseModel):
    id: str
    state: str


class ForkCreate(_In):
    """Where to fork: a simulated time, at most the exercise's current one."""

    at: str = Field(min_length=1, max_length=40,
                    description=f"Simulated time since the scenario start: {DURATION}")  # fmt: skip

    @field_validator("at")
    @classmethod
    def _at(cls, value: str) -> str:
        _duration(value)
        return value


EXERCISE_STATES = Literal["paused", "running", "ended", "archived", "damaged"]


class ExerciseSummary(BaseModel):
    """A stored exercise as the archive and the replay describe it. A live
    exercise is paused, running or ended; one not used since the server
    started counts as its saved clock says (it is rebuilt paused)."""

    id: str
    scenario: str
    seed: int
    created: str = Field(description="UTC, ISO 8601")
    state: EXERCISE_STATES
    sim_time: int = Field(description="Simulated seconds since the scenario start")
    commands: int = Field(description="Entries in the exercise's log")
    manager_link: bool = Field(description="Whether the exercise has a manager token "
                               "(exercises created before managers had none)")  # fmt: skip


class DeletedPublic(BaseModel):
    id: str
    deleted: bool = Field(description="Whether there was such an exercise (a repeat: false)")


class ScenarioPublic(BaseModel):
    path: str
    title: dict[str, str]
    company: str


def problem_detail(field: str, message: str) -> dict[str, Any]:
    """A 422 body in FastAPI's shape, naming the field; `msg_de` is the
    message for German pages."""
    return {"detail": [{"loc": ["body", *field.split(".")], "msg": message,
                        "msg_de": translate(message, "de"), "type": "value_error"}]}  # fmt: skip


class WhatIfCreate(_In):
    """One change to the exercise's log — drop a decision, replace it with
    another catalogue action, move it in time, or add a decision — and how
    many replications on common random numbers to compare (1: the log's
    seed only)."""

    drop: Int | None = Field(default=None, ge=1, le=2**31 - 1,
                             description="Leave out decision SEQ (a proposal with its answer)")
    replace: Int | None = Field(default=None, ge=1, le=2**31 - 1,
                                description="Take `action` instead of decision SEQ")
    move: Int | None = Field(default=None, ge=1, le=2**31 - 1,
                             description="Take decision SEQ at `to` instead")
    add: str | None = Field(default=None, min_length=1, max_length=40,
                            description=f"Also take `action` at this simulated time: {DURATION}")
    action: str | None = Field(default=None, min_length=1, max_length=120,
                               description="A catalogue action (with replace or add)",
                               validate_default=True)
    to: str | None = Field(default=None, min_length=1, max_length=40, validate_default=True,
                           description=f"With move: the simulated time, {DURATION}")
    n: Int = Field(default=1, ge=1, le=100_000, description="Replications on common random "
                   "numbers (1: the log's seed only; the server's bound applies)")  # fmt: skip

    @field_validator("add")
    @classmethod
    def _add(cls, value: str | None) -> str | None:
        return _duration(value)

    @field_validator("action")
    @classmethod
    def _action(cls, value: str | None, info: ValidationInfo) -> str | None:
        wants = info.data.get("replace") is not None or info.data.get("add") is not None
        if value is None and wants:
            raise ValueError("required with replace or add: a catalogue action")
        if value is not None and not wants and "replace" in info.data and "add" in info.data:
            raise ValueError("only with replace or add")
        return value

    @field_validator("to")
    @classmethod
    def _to(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("move") is not None:
            raise ValueError("required with move: a simulated time such as '5h'")
        if value is not None and "move" in info.data and info.data["move"] is None:
            raise ValueError("only with move")
        return _duration(value)

    @model_validator(mode="after")
    def _exactly_one(self) -> WhatIfCreate:
        _one_of(self, ("drop", "replace", "move", "add"))
        return self


class PlanCreate(_In):
    """One corrective action of the improvement plan (HSEEP's IP): what was
    found, what is to be done, for which objective or capability, by whom,
    by when, and how far it is. Without `item` the server makes one
    ("ip-<n>"); with the `item` of an existing action it replaces it."""

    item: str | None = Field(default=None, min_length=1, max_length=120,
                             pattern=r"^[A-Za-z0-9_.:-]+$",
                             description="The action's id (e.g. 'ip-1'); omit for a new one")
    issue: str = Field(min_length=1, max_length=TEXT_CHARS)
    action: str = Field(min_length=1, max_length=TEXT_CHARS)
    objective: str | None = Field(default=None, min_length=1, max_length=200,
                                  description="An objective's id or a capability")
    owner: str | None = Field(default=None, min_length=1, max_length=200)
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                            description="Due date, YYYY-MM-DD")
    status: Literal["open", "in_progress", "done", "dropped"] = "open"

    @field_validator("due")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # ValueError (31 Feb): reported at the field
        return value


class SeriesObjectivePublic(BaseModel):
    id: str
    title: str
    met: bool
    ratings: list[str] = Field(description="The observers' ratings on it (P, S, M, U)")


class SeriesProcessPublic(BaseModel):
    id: str
    name: str
    rto_breached: bool
    mtpd_breached: bool
    impact_eur: float


class SeriesRunPublic(BaseModel):
    """One exercise of a series, judged as its after-action report judges it."""

    exercise: str
    date: str | None = Field(description="UTC wall clock of the first log entry, ISO 8601")
    scenario_id: str
    scenario_title: str
    objectives: list[SeriesObjectivePublic]
    objectives_met: int
    objectives_missed: int
    processes: list[SeriesProcessPublic]
    rto_breaches: int
    mtpd_breaches: int
    impact_eur: float
    time_to_decision: int | None = Field(
        description="Simulated seconds from the first impact on a process in scope to the "
        "first decision (0: decided before any impact; null: no impact or no decision)")
    decisions: int
    participants: int
    mean_rating: float | None = Field(description="The observers' ratings, P=4 … U=1")


class SeriesTrendPublic(BaseModel):
    metric: str
    direction: int = Field(description="1: higher is better, -1: lower is better, 0: neither")
    values: list[float | None]
    vs_previous: list[str | None] = Field(description="better, worse, same (more, fewer)")
    vs_first: list[str | None]


class SeriesPublic(BaseModel):
    """Exercises of one company compared in time order (`tabletop report --series`)."""

    company: str
    scenarios: list[str]
    mixed_scenarios: bool
    company_changed: bool
    runs: list[SeriesRunPublic]
    trends: list[SeriesTrendPublic]
