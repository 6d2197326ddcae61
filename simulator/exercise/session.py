"""The exercise: a Simulation plus its script (MSEL), proposals and log.

`Exercise` holds everything an exercise is in simulated time — no wall
clock, no I/O, no asyncio. It is driven by log entries only:

- `command(actor, kind, payload)` checks a command against the current state
  and returns the entry that would log it (it changes nothing);
- `apply(entry)` advances to the entry's time and applies it;
- `step(until)` advances towards `until` and stops at the first scheduled
  inject that falls due on the way, returning its (system) entry for the
  caller to log and apply — the engine is pulled, never pushed.

The live server logs an entry before it applies it; a replay applies the
entries of a log; both end in the same state, record for record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.engine.records import EVENT_INJECT
from simulator.engine.simulation import MAX_HORIZON, CommandError, Simulation
from simulator.engine.triggers import EVENT_TRIGGER
from simulator.exercise.log import (
    ENTRY,
    AnswerEntry,
    Checkpoint,
    ClockEntry,
    DecisionEntry,
    DecisionPayload,
    DelayEntry,
    InjectEntry,
    InjectPayload,
    LogEntry,
    LogError,
    ObservationEntry,
    PersonEntry,
    PersonPayload,
    PlanEntry,
    PlanPayload,
    RecordDigest,
    ReleaseEntry,
    SkipEntry,
    TriggerEntry,
)
from simulator.model.commands import Command, Message, StartHazard
from simulator.model.schema import NotifyAction, ScenarioBundle, Trigger, text

SYSTEM = "system"  # the actor of scheduled injects released when due


class Rejected(ValueError):
    """A command that cannot be accepted now; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


class Refused(LogError):
    """A log entry the exercise refuses in its state: `entry` and why
    (`rejected`), for callers that say it in their own words."""

    def __init__(self, entry: LogEntry, rejected: Rejected) -> None:
        super().__init__(f"log entry {entry.seq} ({entry.kind}): {rejected}")
        self.entry, self.rejected = entry, rejected


Moot = Callable[[LogEntry, str], None]
"""Told of a facilitator's command passed over as moot, and why ("released",
"skipped", "fired")."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one exercise may hold (the server passes its settings)."""

    log_entries: int = 20_000
    open_proposals: int = 50


@dataclass
class MselItem:
    """A scripted inject and what became of it."""

    id: str
    title: str
    due: int | None  # simulated seconds; None: released by a trigger or by hand
    status: str = "pending"  # pending, released, skipped
    released_at: int | None = None  # simulated second it was played


@dataclass
class Suggestion:
    """An inject a notify trigger suggested to the facilitator, who may
    release it to the players or dismiss it."""

    record: int  # the seq of the trigger's record
    trigger: str
    t: int
    title: dict[str, str]
    message: dict[str, str] | None
    status: str = "open"  # open, released, dismissed


@dataclass
class Proposal:
    seq: int
    payload: dict[str, Any]
    status: str = "open"  # open, accepted, rejected


def source_of(entry: LogEntry) -> str:
    """How the records an entry causes are labelled ("decision:<seq>" for
    decisions and accepted proposals, "inject:<seq>" otherwise)."""
    return f"{'decision' if entry.kind in ('decision', 'accept') else 'inject'}:{entry.seq}"


def inject_commands(payload: InjectPayload, seq: int) -> list[Command]:
    """The engine command of an ad hoc inject: a hazard (unnamed ones are
    called "inject-<seq>", never a scenario hazard's name, so a `detect` can
    address them), a primitive command or a message."""
    if payload.hazard is not None:
        return [StartHazard(action="hazard", hazard=payload.hazard,
                            id=payload.id or f"inject-{seq}")]  # fmt: skip
    if payload.command is not None:
        return [payload.command]
    return [Message(action="message", text=payload.message or "")]


def decision_commands(bundle: ScenarioBundle, payload: DecisionPayload) -> list[Command]:
    """The commands of a decision: a scenario action's `do`, or free text as a
    message. Raises Rejected for an action the scenario lacks."""
    if payload.action is not None:
        found = next((a for a in bundle.scenario.actions if a.id == payload.action), None)
        if found is None:
            raise Rejected("action", f"no player action {payload.action!r} in the scenario")
        return list(found.do)
    return [Message(action="message", text=payload.text or "")]


def _both(value: Any) -> dict[str, str]:
    return {lang: text(value, lang) for lang in ("de", "en")}


class Exercise:
    """A scenario on a seed, driven by log entries (see the module's doc)."""

    def __init__(self, bundle: ScenarioBundle, seed: int, limits: Limits | None = None) -> None:
        self.bundle, self.seed = bundle, seed
        self.limits = limits or Limits()
        self.sim = Simulation(bundle, seed, autoplay_msel=False)
        self.log: list[LogEntry] = []
        self.msel = {e.id: MselItem(e.id, text(e.title), e.at) for e in bundle.scenario.injects}
        self._by_due = self._due_order()  # the scheduled ones by (due, id); kept on delays
        self.proposals: dict[int, Proposal] = {}
        self.open_proposals = 0
        self.jump_floor = 0  # the furthest jump logged (capped at the horizon then)
        self.own_sources: set[str] = set()  # causes of ad hoc injects (not the script)
        self.people: dict[str, PersonPayload] = {}  # named participants and observers
        # Injects for some teams only, by the cause of their records: the
        # script's ("inject:<id>") from the start, ad hoc ones as they come.
        self.addressed: dict[str, list[str]] = {
            f"inject:{e.id}": list(e.teams) for e in bundle.scenario.injects if e.teams}
        self.plan: dict[str, PlanPayload] = {}  # the improvement plan, by item
        self.suggestions: dict[int, Suggestion] = {}  # by the seq of the trigger's record
        self.fired: dict[str, tuple[int, str]] = {}  # trigger -> (last firing, why)
        self._notifies = {t.id: t for t in bundle.scenario.triggers
                          if any(isinstance(d, NotifyAction) for d in t.do)}  # fmt: skip
        self._scanned = 0  # records checked for scripted injects the engine played
        self._digest = RecordDigest()
        self._checked: LogEntry | None = None

    # --- what it is now -----------------------------------------------------------

    @property
    def now(self) -> int:
        return self.sim.now

    @property
    def horizon(self) -> int:
        return self.sim.horizon

    @property
    def seq(self) -> int:
        """The seq of the last entry (0 before the first)."""
        return len(self.log)

    @property
    def ended(self) -> bool:
        return self.sim.now >= self.sim.horizon

    def _due_order(self) -> list[MselItem]:
        return sorted((m for m in self.msel.values() if m.due is not None),
                      key=lambda m: (m.due or 0, m.id))  # fmt: skip

    def next_due(self, leave: frozenset[str] = frozenset()) -> MselItem | None:
        """The pending scripted inject due first (ties by id), but those in `leave`."""
        for item in self._by_due:
            if item.status == "pending" and item.id not in leave:
                return item
        return None

    def teams(self) -> set[str]:
        """The teams the named people belong to."""
        return {p.team for p in self.people.values() if p.team is not None}

    def team_of(self, actor: str) -> str | None:
        person = self.people.get(actor)
        return None if person is None else person.team

    def actor_name(self, actor: str) -> str:
        """A person's name (and function), else the role or "system" as logged."""
        person = self.people.get(actor)
        if person is None:
            return actor
        return person.name if person.function is None else f"{person.name} ({person.function})"

    def checkpoint(self) -> Checkpoint:
        """The records so far, counted and hashed (O(new records))."""
        self._digest.feed(self.sim.records)
        return Checkpoint(sim_time=self.now, records=self._digest.count,
                          digest=self._digest.hexdigest())  # fmt: skip

    # --- commands ---------------------------------------------------------------------

    def command(self, actor: str, kind: str, payload: Mapping[str, Any] | BaseModel,
                wall_time: datetime | None = None) -> LogEntry:  # fmt: skip
        """The entry that logs `kind` with `payload` by `actor` now, checked
        against the current state; Rejected (naming the field) if it cannot
        be accepted. Nothing changes until the entry is applied."""
        raw = payload.model_dump(exclude_none=True) if isinstance(payload, BaseModel) else payload
        try:
            entry = ENTRY.validate_python({"seq": self.seq + 1, "sim_time": self.now,
                                           "wall_time": wall_time, "actor": actor,
                                           "kind": kind, "payload": raw})  # fmt: skip
        except ValidationError as e:
            first = e.errors()[0]
            loc = [str(p) for p in first["loc"]]
            loc = loc[2:] if loc[1:2] == ["payload"] else loc[1:]  # drop the kind tag
            where = ".".join(p for p in loc if not p.startswith("function")) or kind
            raise Rejected(where, first["msg"]) from None
        self.check(entry)
        self._checked = entry  # apply() need not check it again
        return entry

    def check(self, entry: LogEntry, bounded: bool = True) -> None:
        """Rejected if `entry` cannot be applied in the current state. The
        limits bind people (`bounded`), never the script falling due or a
        replay of what was accepted before."""
        self._scan()
        kind = entry.kind
        bounded = bounded and entry.actor != SYSTEM
        if bounded and self.seq >= self.limits.log_entries:
            raise Rejected("exercise", f"the exercise log is full "
                                       f"({self.limits.log_entries} commands)")  # fmt: skip
        extend = isinstance(entry, ClockEntry) and entry.payload.action == "extend"
        after_end = kind in ("observation", "person", "plan")  # evaluation goes on
        if self.ended and not after_end and not extend:
            raise Rejected("exercise", "the exercise has ended; extend the horizon to go on")
        if entry.actor.startswith("p-") and entry.actor not in self.people:
            raise Rejected("actor", f"no person {entry.actor!r} in this exercise")
        match entry:
            case InjectEntry() if entry.payload.hazard or entry.payload.command:
                self._check_teams(entry.payload.teams)
                prefix = "command." if entry.payload.command is not None else ""
                for command in inject_commands(entry.payload, entry.seq):
                    self._check(command, prefix)
            case InjectEntry():
                self._check_teams(entry.payload.teams)  # a message: nothing else to check
            case ObservationEntry() if entry.payload.objective is not None:
                objectives = {o.id for o in self.bundle.scenario.objectives}
                if entry.payload.objective not in objectives:
                    raise Rejected("objective", f"no objective {entry.payload.objective!r} in "
                                   "the scenario")  # fmt: skip
            case PersonEntry():
                if entry.payload.id in self.people:
                    raise Rejected("id", f"person {entry.payload.id!r} is already in the exercise")
            case ReleaseEntry() | SkipEntry() | DelayEntry():
                name = kind if kind in ("release", "skip", "delay") else "inject"
                item = self.msel.get(entry.payload.inject)
                if item is None:
                    raise Rejected(name, f"no inject {entry.payload.inject!r} in the MSEL")
                if item.status != "pending":
                    raise Rejected(name, f"inject {item.id!r} is already {item.status}")
                if isinstance(entry, DelayEntry) and item.due is None:
                    raise Rejected(name, f"inject {item.id!r} has no time to delay")
            case DecisionEntry():
                if bounded and kind == "proposal" and \
                        self.open_proposals >= self.limits.open_proposals:  # fmt: skip
                    raise Rejected("proposal", f"{self.open_proposals} proposals are waiting "
                                   "for the facilitator; wait until some are answered")  # fmt: skip
                if entry.payload.action is not None:  # free text needs no check
                    for command in decision_commands(self.bundle, entry.payload):
                        self._check(command, into="action")
            case AnswerEntry():
                proposal = self.proposals.get(entry.payload.proposal)
                if proposal is None:
                    raise Rejected(kind, f"no proposal {entry.payload.proposal}")
                if proposal.status != "open":
                    raise Rejected(kind, f"proposal {proposal.seq} is already {proposal.status}")
                if kind == "accept":
                    decided = DecisionPayload.model_validate(proposal.payload)
                    for command in decision_commands(self.bundle, decided):
                        self._check(command, into="accept")
            case TriggerEntry():
                self._check_trigger(entry)
            case ClockEntry():
                clock = entry.payload
                if clock.action == "speed" and clock.speed is None:
                    raise Rejected("speed", "required for action 'speed'")
                if clock.action == "jump" and (clock.to is None or clock.to < self.now):
                    raise Rejected("to", "the clock cannot go back")
                if extend:
                    by = clock.by or 0
                    if by <= 0 or self.horizon + by > MAX_HORIZON:
                        raise Rejected("by", f"the horizon can be extended to at most "
                                       f"{MAX_HORIZON // 86400} days in all "
                                       f"(now {self.horizon / 86400:g} days)")  # fmt: skip

    def check_team(self, team: str | None) -> None:
        """Rejected unless `team` is one of the company's, by id (or None: no
        team). The script addresses its injects to those ids, and a player
        sees an addressed inject only as a member of its team: a free
        "Krisenstab" would see none of those to `crisis_staff`, without a
        word. The server asks it of every person it adds; `check` does not,
        so logs and tests with teams of their own still replay."""
        known = self.bundle.company.teams
        if team is None or team in known:
            return
        if not known:
            raise Rejected("team", f"no team {team!r}: the company defines no teams; "
                                   "leave the team out")  # fmt: skip
        listed = ", ".join(repr(t) for t in known)
        raise Rejected("team", f"no team {team!r} in the company (its teams: {listed}; "
                               "or leave the team out)")  # fmt: skip

    def _check_teams(self, teams: list[str] | None) -> None:
        known = self.teams()
        for team in teams or ():
            if team not in known:
                listed = ", ".join(sorted(known)) or "none yet: add people with their team"
                raise Rejected("teams", f"no team {team!r} in this exercise ({listed})")

    def _check_trigger(self, entry: TriggerEntry) -> None:
        trigger, action = entry.payload.trigger, entry.payload.action
        if action in ("release", "dismiss"):
            if self.open_suggestion(trigger) is None:
                raise Rejected("trigger", f"trigger {trigger!r} has no suggested inject open")
            return
        found = next((t for t in self.sim.triggers() if t.id == trigger), None)
        if found is None:
            raise Rejected("trigger", f"no trigger {trigger!r} in the scenario")
        if not found.armed:
            raise Rejected("trigger", f"trigger {trigger!r} is not armed")

    def open_suggestion(self, trigger: str) -> Suggestion | None:
        """The oldest suggested inject of `trigger` still open."""
        return next((s for s in self.suggestions.values()
                     if s.trigger == trigger and s.status == "open"), None)  # fmt: skip

    def _check(self, command: Command, prefix: str = "", into: str | None = None) -> None:
        """The engine's check; the culprit is `prefix` + its field, or `into`
        (a scenario action's command is not the caller's input)."""
        try:
            self.sim.validate(command)
        except CommandError as e:
            raise Rejected(into or prefix + e.field, e.message) from None

    # --- applying --------------------------------------------------------------------

    def apply(self, entry: LogEntry, moot: Moot | None = None) -> None:
        """Advance to the entry's time and apply it. A log entry out of order,
        back in time or not acceptable in this state is a LogError (a log
        that was edited by hand, or written by an engine that plays
        differently). With `moot` (a log played on other dice), a command
        this draw has made moot (`moot_reason`) is logged without effect and
        `moot` told, instead of an error."""
        if entry.seq > self.seq + 1:
            raise LogError(f"log entry {self.seq + 1} is missing (next is {entry.seq})")
        if entry.seq != self.seq + 1:
            raise LogError(f"log entry {entry.seq}: expected seq {self.seq + 1}")
        if entry.sim_time < self.now:
            raise LogError(f"log entry {entry.seq}: at {entry.sim_time} s, but the exercise "
                           f"is at {self.now} s already")  # fmt: skip
        self.sim.advance(entry.sim_time)
        if entry.sim_time > self.now:
            raise LogError(f"log entry {entry.seq}: at {entry.sim_time} s, beyond the "
                           f"horizon ({self.horizon} s)")  # fmt: skip
        if entry is not self._checked:  # checked by command() just now, in this state
            try:
                self.check(entry, bounded=False)
            except Rejected as e:
                reason = None if moot is None else self.moot_reason(entry)
                if moot is None or reason is None:
                    raise Refused(entry, e) from None
                moot(entry, reason)
                self._checked = None
                self.log.append(entry)  # the seqs stay; the draw did it already
                return
        self._checked = None
        self.log.append(entry)
        self._effect(entry)

    def _effect(self, entry: LogEntry) -> None:
        sim, source = self.sim, source_of(entry)
        match entry:
            case InjectEntry():
                self.own_sources.add(source)
                if entry.payload.teams is not None:
                    self.addressed[source] = entry.payload.teams
                else:  # an ad hoc inject's cause shadows a scripted one's of the same name
                    self.addressed.pop(source, None)
                for command in inject_commands(entry.payload, entry.seq):
                    sim.inject(command, source)
            case ReleaseEntry():
                sim.release(entry.payload.inject)
                item = self.msel[entry.payload.inject]
                item.status, item.released_at = "released", entry.sim_time
            case SkipEntry():
                self.msel[entry.payload.inject].status = "skipped"
            case DelayEntry():
                item = self.msel[entry.payload.inject]
                item.due = (item.due or 0) + entry.payload.by
                self._by_due = self._due_order()
            case DecisionEntry() if entry.kind == "decision":
                self._decide(entry.payload, source)
            case DecisionEntry():
                payload = entry.payload.model_dump(exclude_none=True)
                self.proposals[entry.seq] = Proposal(entry.seq, payload)
                self.open_proposals += 1
            case AnswerEntry():
                proposal = self.proposals[entry.payload.proposal]
                proposal.status = "accepted" if entry.kind == "accept" else "rejected"
                self.open_proposals -= 1
                if entry.kind == "accept":
                    self._decide(DecisionPayload.model_validate(proposal.payload), source)
            case TriggerEntry():
                self._trigger(entry, source)
            case PersonEntry():
                self.people[entry.payload.id] = entry.payload
            case PlanEntry():
                self.plan[entry.payload.item] = entry.payload
            case ClockEntry() if entry.payload.action == "jump":
                # Only as far as the horizon then: a later extension does not
                # carry an old jump on into the overtime.
                to = entry.payload.to or 0
                self.jump_floor = max(self.jump_floor, min(to, self.horizon))
            case ClockEntry() if entry.payload.action == "extend":
                sim.extend(entry.payload.by or 0)
        self._scan()

    def _decide(self, payload: DecisionPayload, source: str) -> None:
        """A decision's commands, then (a catalogue action) word to the
        triggers that wait for it being taken."""
        for command in decision_commands(self.bundle, payload):
            self.sim.apply(command, source)
        if payload.action is not None:
            self.sim.action_taken(payload.action)

    def _trigger(self, entry: TriggerEntry, source: str) -> None:
        trigger, action = entry.payload.trigger, entry.payload.action
        if action == "disarm":
            self.sim.disarm(trigger)
        elif action == "fire":
            self.sim.fire(trigger)
        else:
            suggestion = self.open_suggestion(trigger)
            assert suggestion is not None  # checked
            suggestion.status = "released" if action == "release" else "dismissed"
            if action == "release":  # the players get its message (English in the records)
                said = suggestion.message or suggestion.title
                self.own_sources.add(source)
                self.sim.inject(Message(action="message", text=said["en"]), source)

    def moot_reason(self, entry: LogEntry) -> str | None:
        """Why `entry`, refused now, is moot in this state, or None: a
        release, skip or delay of an inject the script or a trigger played
        already ("released") or that was skipped ("skipped"); firing or
        disarming a trigger already spent ("fired"). On other dice a trigger
        may have done first what the facilitator did by hand."""
        match entry:
            case ReleaseEntry() | SkipEntry() | DelayEntry():
                item = self.msel.get(entry.payload.inject)
                if item is not None and item.status in ("released", "skipped"):
                    return item.status
            case TriggerEntry() if entry.payload.action in ("fire", "disarm"):
                found = next((t for t in self.sim.triggers()
                              if t.id == entry.payload.trigger), None)  # fmt: skip
                if found is not None and not found.armed and found.fired:
                    return "fired"
        return None

    # --- moving on in simulated time ---------------------------------------------------

    def step(self, until: int, wall_time: datetime | None = None,
             leave: frozenset[str] = frozenset()) -> LogEntry | None:  # fmt: skip
        """Advance towards `until` (at most the horizon). Stops at the first
        scheduled inject due on the way and returns the entry that releases
        it (actor "system"), to be logged and applied; None once at `until`.
        Injects in `leave` are left to the caller (a replayed log releases or
        skips them itself)."""
        until = min(until, self.horizon)
        self._scan()
        while (item := self.next_due(leave)) is not None and (item.due or 0) <= until:
            self.sim.advance(item.due or 0)
            self._scan()
            if item.status == "pending":  # not played by a trigger meanwhile
                return self.command(SYSTEM, "msel", {"inject": item.id}, wall_time)
        if until > self.now:
            self.sim.advance(until)
            self._scan()
        return None

    def release_due(self, until: int, leave: frozenset[str]) -> None:
        """Release the scheduled injects due by `until` (but those in `leave`)
        at their times without logging them: a replay of a log that does not
        mention them plays them as the server would have."""
        while (item := self.next_due(leave)) is not None and (item.due or 0) <= until:
            self.sim.advance(item.due or 0)
            self._scan()
            if item.status == "pending":
                self.sim.release(item.id)
                item.status, item.released_at = "released", self.now

    def run_until(self, until: int, leave: frozenset[str] = frozenset()) -> list[LogEntry]:
        """Advance to `until`, releasing the scheduled injects due on the way
        (but those in `leave`) as the live server would; the entries added."""
        added = []
        while (entry := self.step(until, leave=leave)) is not None:
            self.apply(entry)
            added.append(entry)
        return added

    def _fired(self, seq: int, t: int, trigger: str, why: str) -> None:
        """A trigger fired: remembered with why; a notify trigger's inject
        becomes a suggestion for the facilitator."""
        self.fired[trigger] = (t, why)
        found: Trigger | None = self._notifies.get(trigger)
        for do in found.do if found is not None else ():
            if isinstance(do, NotifyAction):
                notice = do.notify
                message = None if notice.message is None else _both(notice.message)
                self.suggestions[seq] = Suggestion(seq, trigger, t, _both(notice.title), message)
                break

    def _scan(self) -> None:
        """Mark scripted injects that the engine played by itself (a flood
        alarm level releasing one) as released."""
        records = self.sim.records
        for r in records[self._scanned :]:
            cause = r.cause or ""
            if r.event == EVENT_TRIGGER:
                self._fired(r.seq, r.t, cause.removeprefix("trigger:"), r.detail or "")
            elif r.event == EVENT_INJECT and cause.startswith("inject:") and \
                    cause not in self.own_sources:  # fmt: skip
                item = self.msel.get(cause.removeprefix("inject:"))
                if item is not None:
                    item.status = "released"
                    if item.released_at is None:
                        item.released_at = r.t
        self._scanned = len(records)
