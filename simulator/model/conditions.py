"""Conditions on the simulated state and the players' decisions, and the
triggers of a scenario file that act on them (adaptive scenarios).

A condition is a small mapping told apart by its leading key:

- `{asset: X, is: down|degraded|up|restored}` or `{asset: X, below: 0.5}`
  (capacity strictly below a share);
- `{process: P, is: below_mbco|rto_breached|mtpd_breached|data_lost}` or
  `{process: P, impact_above: EUR}` (the process's impact so far reaches it);
- `{asset: X, buffer: B, below: 6h}` (the buffer's level falls to 6 h or less);
- `{action: A}` (the players took the catalogue action A) or
  `{action: A, not_taken_by: 8h}` (they had not taken it before T+8 h);
- `{hazard: H, is: started|detected|peak_passed}` or `{hazard: H, alarm: AS3}`;
- `{after: 12h}` (the scenario clock has reached T+12 h);
- `{all: [...]}`, `{any: [...]}`, `{not: {...}}`.

A scenario's MSEL entries and hazards can carry `when:`, and its top-level
`triggers:` list (simulator/model/schema.py) pairs conditions with what they do.
The engine side is `simulator.engine.triggers`; the checks that every name exists
and every threshold can be reached are in `simulator.model.validation`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from simulator.terms.durations import Duration

_Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=120)]
MAX_DEPTH = 8
"""How deep all/any/not may nest: deeper is no condition a person writes."""
MAX_PARTS = 100
"""Members of one all/any list."""


class _Model(BaseModel):
    # Files say `is` and `not` (Python keywords, so the fields are `is_`, `not_`);
    # a stored scenario dumped and read back must say the same.
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False,
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True,
    )  # fmt: skip


AssetState = Literal["down", "degraded", "up", "restored"]
ProcessState = Literal["below_mbco", "rto_breached", "mtpd_breached", "data_lost"]
HazardState = Literal["started", "detected", "peak_passed"]


class AssetCondition(_Model):
    """An asset is down, degraded, up, restored (up again after being down or
    degraded), or runs below a capacity share."""

    asset: _Id
    is_: AssetState | None = Field(default=None, alias="is")
    below: float | None = None

    @model_validator(mode="after")
    def _one(self) -> AssetCondition:
        if (self.is_ is None) == (self.below is None):
            raise ValueError("give exactly one of is, below")
        return self


class ProcessCondition(_Model):
    """A business process is below its MBCO, has breached its RTO or MTPD (an
    outage below the MBCO outlasted it), stands on data that was lost, or has
    caused at least `impact_above` EUR of impact."""

    process: _Id
    is_: ProcessState | None = Field(default=None, alias="is")
    impact_above: float | None = None

    @model_validator(mode="after")
    def _one(self) -> ProcessCondition:
        if (self.is_ is None) == (self.impact_above is None):
            raise ValueError("give exactly one of is, impact_above")
        return self


class BufferCondition(_Model):
    """A buffer of an asset has fallen to `below` (seconds of cover) or less."""

    asset: _Id
    buffer: _Id
    below: Duration


class ActionCondition(_Model):
    """The players took catalogue action `action`; with `not_taken_by`, they
    had not taken it before that time (from the scenario start)."""

    action: _Id
    not_taken_by: Duration | None = None


class HazardCondition(_Model):
    """The hazard with id `hazard` started, was detected (a cyberattack), passed
    its peak (a flood's crest), or reached the alarm level named `alarm`."""

    hazard: _Id
    is_: HazardState | None = Field(default=None, alias="is")
    alarm: Annotated[str, Field(min_length=1, max_length=120)] | None = None

    @model_validator(mode="after")
    def _one(self) -> HazardCondition:
        if (self.is_ is None) == (self.alarm is None):
            raise ValueError("give exactly one of is, alarm")
        return self


class AfterCondition(_Model):
    """The scenario clock has reached `after` (from the start)."""

    after: Duration


class AllOf(_Model):
    all: list[Condition] = Field(min_length=1, max_length=MAX_PARTS)


class AnyOf(_Model):
    any: list[Condition] = Field(min_length=1, max_length=MAX_PARTS)


class NotOf(_Model):
    not_: Condition = Field(alias="not")


_KINDS = ("all", "any", "not", "buffer", "process", "action", "hazard", "after", "asset")


def _kind(value: Any) -> str | None:
    """The condition kind of a mapping: its first key among the kinds (a buffer
    condition names its asset too, so `buffer` is looked for before `asset`)."""
    if isinstance(value, BaseModel):
        return {
            AllOf: "all", AnyOf: "any", NotOf: "not", BufferCondition: "buffer",
            ProcessCondition: "process", ActionCondition: "action",
            HazardCondition: "hazard", AfterCondition: "after", AssetCondition: "asset",
        }.get(type(value))  # fmt: skip
    if isinstance(value, dict):
        return next((k for k in _KINDS if k in value), None)
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[BufferCondition, Tag("buffer")]
    | Annotated[ProcessCondition, Tag("process")]
    | Annotated[ActionCondition, Tag("action")]
    | Annotated[HazardCondition, Tag("hazard")]
    | Annotated[AfterCondition, Tag("after")]
    | Annotated[AssetCondition, Tag("asset")],
    Discriminator(
        _kind,
        custom_error_type="condition_kind",
        custom_error_message="a condition needs one of the keys asset, process, buffer, "
        "action, hazard, after, all, any, not",
    ),
]
"""Any condition, told apart by its leading key."""

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def parts(condition: Condition) -> list[Condition]:
    """The direct sub-conditions of a combination ([] for a simple one)."""
    if isinstance(condition, AllOf):
        return list(condition.all)
    if isinstance(condition, AnyOf):
        return list(condition.any)
    if isinstance(condition, NotOf):
        return [condition.not_]
    return []


def depth(condition: Condition) -> int:
    return 1 + max((depth(p) for p in parts(condition)), default=0)


Loc = tuple[str | int, ...]


def walk(condition: Condition, at: Loc = ()) -> list[tuple[Loc, Condition]]:
    """Every simple condition in `condition` with its location below `at`."""
    if isinstance(condition, AllOf | AnyOf):
        key = "all" if isinstance(condition, AllOf) else "any"
        return [x for k, p in enumerate(parts(condition)) for x in walk(p, (*at, key, k))]
    if isinstance(condition, NotOf):
        return walk(condition.not_, (*at, "not"))
    return [(at, condition)]


def _bounded(condition: Condition) -> Condition:
    if depth(condition) > MAX_DEPTH:
        raise ValueError(f"conditions nest at most {MAX_DEPTH} deep")
    return condition


BoundedCondition = Annotated[Condition, AfterValidator(_bounded)]
"""A condition as files give it: nested at most MAX_DEPTH deep."""
