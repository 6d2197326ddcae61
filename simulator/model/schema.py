"""The scenario file format: a company model and the scenarios played on it.

Plain pydantic models with `extra="forbid"`, so a misspelt field is an error,
not a silent default. Cross-references (an asset named in a dependency, a team
named in a recovery) are checked by `simulator.model.validation`, which reports every
problem at once with its location.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from simulator.hazards import HazardSpec
from simulator.model.commands import Command
from simulator.model.conditions import BoundedCondition
from simulator.terms.durations import Duration, DurationOrDist
from simulator.terms.kinds import IT_KINDS as IT_KINDS  # re-exported: the asset kinds
from simulator.terms.kinds import KIND_NAMES as KIND_NAMES
from simulator.terms.kinds import AssetKind as AssetKind
from simulator.terms.kinds import kind_name as kind_name
from simulator.terms.wallclock import DEFAULT_ZONE, MAX_ZONE_NAME, place, zone

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=120)]
Fraction = Annotated[float, Field(ge=0, le=1)]
MAX_SEED = 2**63 - 1
"""Seeds are 0 .. 2^63 - 1: a signed 64-bit column holds every one."""
MAX_EUR_PER_HOUR = 1e12
"""Impact rates above a trillion a hour are typos; the bound keeps sums finite."""


class Text(BaseModel):
    """Text in German and English; either may be missing."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    de: str | None = None
    en: str | None = None


LocalizedText = str | Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DepType(StrEnum):
    """Rinaldi et al. (2001): the four classes of infrastructure interdependency."""

    physical = "physical"  # material or energy flows: power, milk, CO2, cooling
    cyber = "cyber"  # information flows: network, ERP data, AD authentication
    geographic = "geographic"  # co-location: a common cause hits both
    logical = "logical"  # anything else: policy, contract, a decision


class Provider(Strict):
    """One member of a redundancy group with the share of the need it can cover."""

    asset: Id
    share: float = Field(default=1.0, gt=0, le=1)


ProviderRef = Id | Provider


class KOfN(Strict):
    k: int = Field(ge=1, le=100_000)
    of: list[ProviderRef] = Field(min_length=1)


class Resupply(Strict):
    """Deliveries that refill a buffer (diesel for a generator, packaging stock).

    An order goes out when the level falls to `reorder_at`; it arrives after
    `lead_time` if the delivering asset is up then, adding `amount` of cover.
    """

    by: Id
    amount: Duration = Field(gt=0)
    lead_time: Duration = 0
    reorder_at: Duration | None = None  # default: capacity - amount


class Buffer(Strict):
    """Stored cover that bridges a need while its supply falls short.

    `capacity` is how long a full buffer covers a total loss of supply (UPS
    minutes, generator fuel hours, days of stock); it drains at the rate of the
    shortfall, so half the supply lasts twice as long. Buffers of one need are
    drawn in the order listed.
    """

    id: Id
    name: LocalizedText | None = None  # what the console calls it (default: the id)
    capacity: Duration = Field(gt=0)
    initial: Duration | None = None  # default: full
    refill: Duration | None = None  # time to refill from empty once supply is back; None: never
    via: Id | None = None  # an asset that must be up to draw on the buffer (the generator)
    resupply: Resupply | None = None


class Need(Strict):
    """A dependency of an asset on one or more providers.

    Exactly one of `all_of` (every provider is needed), `any_of` (pooled: the
    members' shares add up, so one of two full links suffices) or `k_of_n`
    (k of the n members are needed, e.g. 2 of 3 cooling units).
    """

    id: Id | None = None  # default: "<type>-<position>"
    type: DepType = DepType.physical
    all_of: list[Id] | None = None
    any_of: list[ProviderRef] | None = None
    k_of_n: KOfN | None = None
    delay: Duration = 0  # time to impact: the loss bites only after this long
    buffers: list[Buffer] = Field(default_factory=list)

    @property
    def group(self) -> Sequence[ProviderRef]:
        """The providers as written, whichever of the three groups holds them
        (ids for all_of, ids or {asset, share} for any_of and k_of_n)."""
        if self.all_of is not None:
            return self.all_of
        if self.any_of is not None:
            return self.any_of
        return self.k_of_n.of if self.k_of_n is not None else ()

    @model_validator(mode="after")
    def _one_group(self) -> Need:
        # Counted first without building names: this runs for every need of a
        # 100k-asset company.
        if (self.all_of is None) + (self.any_of is None) + (self.k_of_n is None) == 2:
            return self
        given = [n for n in ("all_of", "any_of", "k_of_n") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of all_of, any_of, k_of_n"
                + (f" (found {', '.join(given)})" if given else "")
            )
        return self


class Recovery(Strict):
    """How an asset is restored after damage that does not heal by itself."""

    time: DurationOrDist
    team: Id | None = None
    requires: list[Id] = Field(default_factory=list)  # must be up before the restore starts


class Standby(Strict):
    """An asset held in reserve (DR site, alternate supplier, mobile generator):
    idle until activated, then up after `lead_time` at `capacity`."""

    lead_time: Duration = 0
    capacity: Fraction = 1.0


class Backup(Strict):
    """Backups of a data asset, taken at `offset + k × interval` for every whole
    k (the schedule runs before the scenario start too) while the asset is up;
    data lost on destruction = time from the last backup to when it went down
    (rules in simulator/engine/backups.py).

    A backup store that sits in a trust `domain` the attacker compromises is
    encrypted with the data (Norsk Hydro, Südwestfalen-IT); then only the
    offline copies, taken at `offset + k × offline_interval`, are good. Without
    either, everything since the scenario start is lost.
    """

    interval: Duration = Field(gt=0)
    offset: Duration = 0
    domain: Id | None = None  # trust domain of the backup store; None: offline/immutable
    offline_interval: Duration | None = Field(default=None, gt=0)


class FloodExposure(Strict):
    """Where the water gets to an asset: it floods when the `gauge` reads
    `level` metres or more, and needs `cleanup` after the water falls below."""

    gauge: Id
    level: float = Field(gt=0, le=30)
    cleanup: Duration = 0


class ImpactStep(Strict):
    after: Duration  # time since the disruption began (capacity first below 1)
    per_hour: float = Field(ge=0, le=MAX_EUR_PER_HOUR)


class BIA(Strict):
    """Business impact analysis figures of a business process (ISO 22301, BSI 200-4).

    - `rto` (WAZ): target time to resume at least `mbco`;
    - `mtpd` (MTA): the hard limit after which the outage is unacceptable;
    - `mbco` (Notbetriebsniveau): minimum capacity of emergency operation;
    - `rpo`: tolerable data loss;
    - impact per hour of a full outage, scaled by the capacity lost; either a
      flat `impact_per_hour` or a step curve `impact` over the age of the
      disruption (from the moment capacity falls below 1 until it is full
      again; the MBCO plays no part in it).
    """

    rto: Duration
    mtpd: Duration
    mbco: Fraction = 0.5
    rpo: Duration | None = None
    impact_per_hour: float | None = Field(default=None, ge=0, le=MAX_EUR_PER_HOUR)
    impact: list[ImpactStep] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> BIA:
        if self.rto > self.mtpd:
            raise ValueError("rto must not exceed mtpd (ISO 22301: the RTO lies within the MTPD)")
        if self.impact_per_hour is not None and self.impact is not None:
            raise ValueError("give impact_per_hour or an impact curve, not both")
        return self


class Workaround(Strict):
    """A manual workaround that keeps a process running at reduced capacity
    while the needs it `covers` are lost (paper order entry, manual dispatch)."""

    name: LocalizedText | None = None
    capacity: Fraction
    lead_time: Duration = 0
    covers: list[Id] | None = None  # need ids; None: all needs


class Asset(Strict):
    id: Id
    kind: AssetKind
    name: LocalizedText | None = None
    description: LocalizedText | None = None
    utility: Literal["power", "network", "telecom", "water", "heat", "gas", "fuel"] | None = None
    location: Id | None = None  # the site it stands on (informational; geographic needs bind)
    tags: list[str] = Field(default_factory=list)
    trust: list[Id] = Field(default_factory=list)  # trust domains: AD domain (IT kinds only)
    flood: FloodExposure | None = None
    needs: list[Need] = Field(default_factory=list)
    restart: Duration = 0  # time to come back after any stop (capacity 0), whatever ended it
    recovery: Recovery | None = None
    standby: Standby | None = None
    backup: Backup | None = None
    bia: BIA | None = None
    workaround: Workaround | None = None


class Team(Strict):
    """A limited recovery team: restores needing it queue by restore priority
    (simulator/engine/teams.py: shortest RTO, then MTPD, impact per hour, asset id)."""

    name: LocalizedText | None = None
    size: int = Field(ge=1, le=10_000)


class CompanyInfo(Strict):
    id: Id
    name: LocalizedText
    description: LocalizedText | None = None


class Company(Strict):
    """A company model: assets, their needs, BIA figures and recovery teams."""

    company: CompanyInfo
    teams: dict[Id, Team] = Field(default_factory=dict)
    assets: list[Asset] = Field(min_length=1)


class HazardEntry(Strict):
    """A hazard that starts at `at` (time from the scenario start; fixed or a
    distribution, drawn from the stream "hazard:<id>/at"). Its `id` names it in
    records ("hazard:<id>") and lets a `detect` command address it. With
    `when` it starts once the condition has held for `delay`, not before `at`."""

    id: Id | None = None
    at: DurationOrDist = 0
    when: BoundedCondition | None = None
    delay: Duration = 0
    hazard: HazardSpec


MselEventType = Literal["contextual", "expected_action", "contingency"]
"""HSEEP's kinds of MSEL entry: contextual (sets the scene, Lageeinlage),
expected action (prompts a decision, Einlage mit erwarteter Handlung), contingency (held in
reserve, played only if the players drift, Reserveeinlage)."""


class MselInject(Strict):
    """An entry of the master scenario events list: at `at`, tell the players
    `message` and apply `do` to the simulation. With `when` it plays once the
    condition has held for `delay` (not before `at`, if given). Without
    either the inject waits for a trigger (a flood alarm level, a `release`
    of the triggers list) or the facilitator."""

    id: Id
    at: Duration | None = None
    when: BoundedCondition | None = None
    delay: Duration = 0
    title: LocalizedText
    message: LocalizedText | None = None
    do: list[Command] = Field(default_factory=list)
    # The HSEEP MSEL's columns (Drehbuch): to whom, from whom, how, and what
    # control expects. `teams` addresses the inject (None: every player);
    # `expected_action`, `controller` and `notes` are for control and
    # evaluators only: a player never receives them.
    teams: list[Id] | None = Field(default=None, min_length=1, max_length=100)
    event_type: MselEventType | None = None
    sender: LocalizedText | None = None  # the outside party control plays ("Landratsamt")
    method: Annotated[str, Field(max_length=100)] | None = None  # phone, e-mail, in person
    controller: Annotated[str, Field(max_length=200)] | None = None  # responsible controller
    expected_action: LocalizedText | None = None
    objective: Id | None = None  # the exercise objective the inject serves
    notes: LocalizedText | None = None


class Notify(Strict):
    """A "suggested inject" for the facilitator alone, who may release it or
    dismiss it; the players learn nothing of it."""

    title: LocalizedText
    message: LocalizedText | None = None


class ReleaseAction(Strict):
    """Play the MSEL entry `release` now (its message to the players, its commands)."""

    release: Id


class NotifyAction(Strict):
    notify: Notify


def _do_kind(value: object) -> str:
    if isinstance(value, ReleaseAction) or (isinstance(value, dict) and "release" in value):
        return "release"
    if isinstance(value, NotifyAction) or (isinstance(value, dict) and "notify" in value):
        return "notify"
    return "command"


TriggerAction = Annotated[
    Annotated[ReleaseAction, Tag("release")]
    | Annotated[NotifyAction, Tag("notify")]
    | Annotated[Command, Tag("command")],
    Discriminator(_do_kind),
]
"""What a trigger does: release an MSEL entry, notify the facilitator, or a
command (a hazard among them: `{action: hazard, hazard: {...}}`)."""


class Trigger(Strict):
    """When `when` has held for `delay`, do `do` (simulator/model/conditions.py).

    Once by default; with `once: false` again each time the condition
    becomes true anew, but never sooner than `min_interval` after the last
    time (a new edge inside the interval fires at its end if the condition
    still holds then)."""

    id: Id
    when: BoundedCondition
    do: list[TriggerAction] = Field(min_length=1, max_length=100)
    delay: Duration = 0
    once: bool = True
    min_interval: Duration | None = None

    @model_validator(mode="after")
    def _repeat(self) -> Trigger:
        if self.once and self.min_interval is not None:
            raise ValueError("min_interval is for repeating triggers (once: false)")
        if not self.once and not self.min_interval:
            raise ValueError("a repeating trigger (once: false) needs a min_interval of 1s or more")
        return self


class PlayerAction(Strict):
    """A decision the players may take, with the commands it applies."""

    id: Id
    title: LocalizedText
    description: LocalizedText | None = None
    do: list[Command] = Field(min_length=1)


ObjectiveCheck = Literal["within_rto", "within_mtpd", "max_impact", "decision_before",
                         "no_data_loss"]  # fmt: skip


class Objective(Strict):
    """A measurable exercise goal, checked against the run:

    - `within_rto` / `within_mtpd`: no outage of `process` below its MBCO
      outlasts its RTO / MTPD;
    - `max_impact`: the impact of `process` (without one: the whole
      company's) stays at or below `amount` EUR;
    - `decision_before`: the players took action `action` at or before `by`;
    - `no_data_loss`: `process` loses no data.

    Which fields each check needs is checked with the cross-references
    (simulator.model.validation), so a missing one is reported at its line."""

    id: Id
    title: LocalizedText
    check: ObjectiveCheck
    process: Id | None = None
    amount: float | None = Field(default=None, ge=0, le=1e15, allow_inf_nan=False)
    action: Id | None = None
    by: Duration | None = None


EARLIEST_START = datetime(1900, 1, 1)
LATEST_START = datetime(2200, 1, 1)


def start_in_range(start: datetime) -> datetime:
    """A scenario starts in 1900 .. 2199: with at most ten years of simulated
    time every date stays one that calendars and charts can show."""
    naive = start.replace(tzinfo=None)
    if not EARLIEST_START <= naive < LATEST_START:
        raise ValueError(f"start {start.isoformat()} is outside 1900-01-01 .. 2199-12-31")
    return start


ExerciseType = Literal["tabletop", "staff_framework", "staff", "alerting", "full_scale"]
"""The kind of exercise (BSI 100-4 / 200-4; HSEEP): tabletop =
Planbesprechung, staff_framework = Stabsrahmenübung, staff = Stabsübung,
alerting = Alarmierungsübung, full_scale = Vollübung."""


class ScenarioInfo(Strict):
    id: Id
    title: LocalizedText
    narrative: LocalizedText | None = None
    type: ExerciseType | None = None  # the exercise this scenario is meant for
    rationale: LocalizedText | None = None  # why this scenario was chosen (for the report)


class Scenario(Strict):
    """A scenario: a company (file path relative to this file), when it starts,
    how long it runs, the seed, and the hazards and injects it plays.

    `start` is read in `timezone` (an IANA name) when it has no offset; with
    one it names the instant, and the offset must be UTC or the zone's own.
    Validated, it is an aware datetime in that zone (`simulator.terms.wallclock`)."""

    scenario: ScenarioInfo
    company: str
    timezone: str = Field(
        default=DEFAULT_ZONE, max_length=MAX_ZONE_NAME,
        description="IANA time zone of the calendar times shown, e.g. Europe/Berlin",
    )  # fmt: skip
    start: Annotated[datetime, AfterValidator(start_in_range)] = Field(
        default=datetime(2026, 1, 5, 8, 0), validate_default=True,
        description="Start; without an offset read in `timezone`, with one the offset must be "
        "UTC or the zone's own",
    )  # fmt: skip
    horizon: Duration = Field(default=7 * 86400, gt=0)
    seed: int = Field(default=1, ge=0, le=MAX_SEED)
    hazards: list[HazardEntry] = Field(default_factory=list)
    injects: list[MselInject] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    actions: list[PlayerAction] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @field_validator("start", mode="after")
    @classmethod
    def _start_in_zone(cls, value: datetime, info: ValidationInfo) -> datetime:
        name = info.data.get("timezone")
        return value if name is None else place(value, zone(name))  # a bad zone: reported there


def text(value: LocalizedText | None, lang: str = "en") -> str:
    """The text in `lang`, falling back to the other language, or ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    first, second = (value.de, value.en) if lang == "de" else (value.en, value.de)
    return first or second or ""


class ScenarioBundle(BaseModel):
    """A scenario together with the company it plays on: what the engine runs."""

    model_config = ConfigDict(frozen=True)
    scenario: Scenario
    company: Company
