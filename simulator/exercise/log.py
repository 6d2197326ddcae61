"""The exercise log: a typed, versioned record of every accepted command.

An exercise is scenario + seed + this log. Each entry is one command with
its sequence number, the simulated second it took effect, the wall time it
was accepted (UTC; None in a generated log), its actor and a typed payload;
`kind` discriminates the union. The header carries the scenario bundle, the
seed, the engine version and a hash of the bundle, so an exported log
(JSON Lines: header, then entries) replays anywhere on its own, and a
checkpoint (records so far and their digest) with which a replay proves it
is exact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from simulator import __version__
from simulator.engine.records import Record
from simulator.hazards import HazardSpec
from simulator.model.commands import Command
from simulator.model.schema import MAX_SEED, ScenarioBundle

LOG_FORMAT: Literal["tabletop-exercise-log"] = "tabletop-exercise-log"
LOG_VERSION = 1
ENGINE_VERSION = __version__
"""The engine that wrote a log. A different engine replays a log only when
its records match the log's checkpoint (simulator.exercise.replay)."""

MAX_TEXT = 10_000  # free text of an entry (the API allows less)
_Id = Annotated[str, Field(min_length=1, max_length=120)]
TeamName = Annotated[str, Field(min_length=1, max_length=80)]
Teams = Annotated[list[TeamName], Field(min_length=1, max_length=20)]
PersonId = Annotated[str, Field(pattern=r"^p-[a-z0-9]{3,16}$")]
"""A named person's id, "p-" and lower-case letters or digits; never a role's name."""
Seconds = Annotated[int, Field(ge=0, le=2**62)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ClockPayload(_Payload):
    """start / pause / resume, a new `speed`, a jump `to` a simulated second,
    or an extension of the horizon `by` seconds. Only `extend` changes the
    model; the others pace the wall clock (a replay reaches every entry's
    time anyway)."""

    action: Literal["start", "pause", "resume", "speed", "jump", "extend"]
    speed: float | None = Field(default=None, gt=0, le=1_000_000)
    by: Seconds | None = None
    to: Seconds | None = None


class InjectPayload(_Payload):
    """An ad hoc inject: a hazard from the catalogue (named `id` for a later
    detect), a primitive command, or a message. `title` and `message` are
    what players are told of a hazard or command."""

    hazard: HazardSpec | None = None
    id: _Id | None = None
    command: Command | None = None
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    message: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    teams: Teams | None = None  # addressed to these teams only (None: everyone)

    @model_validator(mode="after")
    def _one(self) -> InjectPayload:
        if self.hazard is not None and self.command is not None:
            raise ValueError("a hazard or a command, not both")
        if self.hazard is None and self.command is None and self.message is None:
            raise ValueError("a hazard, a command or a message")
        return self


class MselPayload(_Payload):
    """A scripted (MSEL) inject released, or skipped."""

    inject: _Id


class DelayPayload(_Payload):
    """A scripted inject postponed by `by` seconds."""

    inject: _Id
    by: Seconds


class DecisionPayload(_Payload):
    """A player action from the scenario's catalogue, or free text."""

    action: _Id | None = None
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    team: TeamName | None = None  # the team that decided or proposed (its member's)

    @model_validator(mode="after")
    def _one(self) -> DecisionPayload:
        if (self.action is None) == (self.text is None):
            raise ValueError("an action from the catalogue or a text, one of them")
        return self


class AnswerPayload(_Payload):
    """The facilitator's answer to the proposal logged as `proposal`."""

    proposal: Annotated[int, Field(ge=1)]


RATING_NAMES: dict[str, tuple[str, str]] = {
    "P": ("ohne Schwierigkeiten durchgeführt", "performed without challenges"),
    "S": ("mit einigen Schwierigkeiten durchgeführt", "performed with some challenges"),
    "M": ("mit erheblichen Schwierigkeiten durchgeführt", "performed with major challenges"),
    "U": ("nicht durchführbar", "unable to be performed"),
}
"""HSEEP's rating scale in (German, English): the observers' form and the
report's legend say it in these words."""


class ObservationPayload(_Payload):
    """An evaluator's note (an Exercise Evaluation Guide line): optionally on
    one of the scenario's objectives, a strength or an area for improvement,
    rated on HSEEP's scale — P performed without challenges, S with some
    challenges, M with major challenges, U unable to be performed."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    objective: _Id | None = None
    tag: Literal["strength", "improvement"] | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class PersonPayload(_Payload):
    """A named participant or observer, added by the facilitator; their
    personal link's entries name them (`actor` = their id)."""

    id: PersonId
    name: str = Field(min_length=1, max_length=200)
    function: str | None = Field(default=None, min_length=1, max_length=200)
    team: TeamName | None = None
    role: Literal["participant", "observer"]


class PlanPayload(_Payload):
    """One corrective action of the improvement plan, as the facilitator
    writes it (a later entry with the same `item` replaces it)."""

    item: _Id
    issue: str = Field(min_length=1, max_length=MAX_TEXT)
    action: str = Field(min_length=1, max_length=MAX_TEXT)
    objective: str | None = Field(default=None, max_length=200)  # or capability
    owner: str | None = Field(default=None, max_length=200)
    due: date | None = None
    status: Literal["open", "in_progress", "done", "dropped"] = "open"


class TriggerPayload(_Payload):
    """The facilitator's hand on a trigger: `disarm` it, `fire` it now, or
    `release` / `dismiss` the inject it suggested (a notify trigger)."""

    trigger: _Id
    action: Literal["disarm", "fire", "release", "dismiss"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              populate_by_name=True)  # fmt: skip
    seq: Annotated[int, Field(ge=1)]
    sim_time: Seconds
    wall_time: datetime | None = None
    # The role that gave the command ("system" for the pacer); a named
    # person later. Logs written before this module call it "role".
    actor: str = Field(min_length=1, max_length=120,
                       validation_alias=AliasChoices("actor", "role"))  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (wall time as ISO 8601), stable key order."""
        out: dict[str, Any] = self.model_dump(mode="json", exclude={"payload"})
        if out["wall_time"] is None:
            del out["wall_time"]
        out["kind"] = getattr(self, "kind")  # noqa: B009 (declared by the subclasses)
        out["payload"] = payload_dict(getattr(self, "payload"))  # noqa: B009
        return out


def payload_dict(payload: BaseModel) -> dict[str, Any]:
    """A payload as JSON-ready dict without its unset top-level fields (a
    hazard's own fields are kept as they are: None may mean something there)."""
    return {k: v for k, v in payload.model_dump(mode="json").items() if v is not None}


class ClockEntry(_Entry):
    kind: Literal["clock"]
    payload: ClockPayload


class InjectEntry(_Entry):
    kind: Literal["inject"]
    payload: InjectPayload


class ReleaseEntry(_Entry):
    """A scripted inject released: by the facilitator (`release`) or by the
    pacer when it fell due (`msel`)."""

    kind: Literal["release", "msel"]
    payload: MselPayload


class SkipEntry(_Entry):
    kind: Literal["skip"]
    payload: MselPayload


class DelayEntry(_Entry):
    kind: Literal["delay"]
    payload: DelayPayload


class DecisionEntry(_Entry):
    """A decision taken (`decision`) or proposed to the facilitator (`proposal`)."""

    kind: Literal["decision", "proposal"]
    payload: DecisionPayload


class AnswerEntry(_Entry):
    kind: Literal["accept", "reject"]
    payload: AnswerPayload


class ObservationEntry(_Entry):
    """A note for the after-action report; it changes nothing."""

    kind: Literal["observation"]
    payload: ObservationPayload


class PersonEntry(_Entry):
    kind: Literal["person"]
    payload: PersonPayload


class PlanEntry(_Entry):
    kind: Literal["plan"]
    payload: PlanPayload


class TriggerEntry(_Entry):
    kind: Literal["trigger"]
    payload: TriggerPayload


LogEntry = Annotated[
    ClockEntry | InjectEntry | ReleaseEntry | SkipEntry | DelayEntry | DecisionEntry
    | AnswerEntry | ObservationEntry | TriggerEntry | PersonEntry | PlanEntry,
    Field(discriminator="kind"),
]  # fmt: skip
ENTRY: TypeAdapter[LogEntry] = TypeAdapter(LogEntry)
KINDS = frozenset({"clock", "inject", "release", "msel", "skip", "delay", "decision",
                   "proposal", "accept", "reject", "observation", "trigger", "person",
                   "plan"})  # fmt: skip


class Checkpoint(BaseModel):
    """The engine's records up to simulated second `sim_time`: how many, and
    the SHA-256 of their JSON lines. A replay that reaches `sim_time` with
    other records is not exact."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sim_time: Seconds
    records: Annotated[int, Field(ge=0)]
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")


class LogHeader(BaseModel):
    """The first line of an exported log. Players' logs carry no bundle, seed
    or checkpoint (they would reveal the script): those cannot be replayed."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    format: Literal["tabletop-exercise-log"] = LOG_FORMAT
    version: int = LOG_VERSION
    engine: str | None = None  # None: written before logs named their engine
    exercise: str | None = None
    scenario: str | None = None  # where it came from: a path under scenarios/, an upload
    scenario_id: str | None = None
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] | None = None
    bundle: ScenarioBundle | None = None
    bundle_hash: str | None = None
    checkpoint: Checkpoint | None = None


class LogError(ValueError):
    """A log that cannot be read or replayed; the message says where and why."""


def bundle_hash(bundle: ScenarioBundle) -> str:
    """SHA-256 of the bundle's canonical JSON: the same scenario, the same hash.
    Fields left at their defaults are not part of it, so a later version of the
    format that adds an optional field does not change the hash of every
    scenario written before."""
    data = json.dumps(bundle.model_dump(mode="json", exclude_defaults=True), sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)  # fmt: skip
    return hashlib.sha256(data.encode()).hexdigest()


def make_header(bundle: ScenarioBundle, seed: int, *, hashed: bool = True,
                **about: Any) -> LogHeader:  # fmt: skip
    """The header of a log of `bundle` on `seed` (`about`: exercise, scenario, ...).
    `hashed=False` leaves out the bundle's hash (a canonical dump of the whole
    company): a header only replayed in this process needs none."""
    return LogHeader(engine=ENGINE_VERSION, bundle=bundle, seed=seed,
                     bundle_hash=bundle_hash(bundle) if hashed else None,
                     scenario_id=bundle.scenario.scenario.id, **about)  # fmt: skip


class RecordDigest:
    """A running SHA-256 over records, fed as they come (O(new records))."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def feed(self, records: Sequence[Record], upto: int | None = None) -> None:
        """Take in records[self.count : upto] (records is the engine's list)."""
        end = len(records) if upto is None else upto
        for r in records[self.count : end]:
            self._hash.update(json.dumps(r.to_dict(), separators=(",", ":")).encode())
            self._hash.update(b"\n")
        self.count = max(self.count, end)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def entry(raw: Mapping[str, Any]) -> LogEntry:
    """One entry from its dict; pydantic's ValidationError if malformed."""
    return ENTRY.validate_python(raw)


def entry_line(item: LogEntry) -> str:
    return json.dumps(item.to_dict(), ensure_ascii=False, allow_nan=False)


def dumps_log(header: LogHeader, entries: Iterable[LogEntry]) -> str:
    """JSON Lines: the header, then one line per entry."""
    head = header.model_dump_json(exclude_none=True)
    return "\n".join([head, *(entry_line(e) for e in entries)]) + "\n"


def read_log(text: str, name: str = "log") -> tuple[LogHeader, list[LogEntry]]:
    """Header and entries of a log's JSON Lines text. Every problem is a
    LogError naming `name`, the line and the field."""
    rows = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not rows:
        raise LogError(f"{name}: empty, expected a header line and log entries")
    parsed: list[tuple[int, Any]] = []
    for n, line in rows:
        try:
            parsed.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise LogError(f"{name}:{n}: not JSON: {e.msg}") from None
    (n0, head), body = parsed[0], parsed[1:]
    if not isinstance(head, dict) or ("kind" in head and "seq" in head):
        raise LogError(f"{name}:{n0}: the first line must be the log's header")
    try:
        header = LogHeader.model_validate(head)
    except ValidationError as e:
        raise LogError(_where(name, n0, e)) from None
    entries: list[LogEntry] = []
    for n, raw in body:
        try:
            entries.append(ENTRY.validate_python(raw))
        except ValidationError as e:
            raise LogError(_where(name, n, e)) from None
        if entries[-1].seq != len(entries):
            raise LogError(f"{name}:{n}: seq: expected {len(entries)}, found {entries[-1].seq}")
    return header, entries


def _where(name: str, line: int, error: ValidationError) -> str:
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"]]
    loc = loc[1:] if loc[:1] and loc[0] in KINDS else loc  # the union's tag, not a field
    field = ".".join(p for p in loc if not p.startswith("function")) or "line"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{name}:{line}: {field}: {first['msg']}{more}"
