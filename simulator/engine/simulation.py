"""The discrete-event engine: a company under hazards, injects and decisions.

`Simulation` runs on a plain `simpy.Environment` and is pulled, not pushed:
the caller advances it to a simulated time and applies commands in between;
every call returns the records it produced. A live exercise, a replay and a
notebook drive it the same way, so scenario + seed + the logged commands
reproduce a run record for record.
"""

from __future__ import annotations

import functools
import json
from collections import deque
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import simpy

from simulator.engine.backups import down_history, seconds_lost
from simulator.engine.cascade import IDLE_STANDBY, Cascade
from simulator.engine.compiled import DEP_TYPES, Model, compile_model
from simulator.engine.records import (
    EPSILON,
    EVENT_DATA_LOSS,
    EVENT_DECISION,
    EVENT_INJECT,
    EVENT_RESTORE_DONE,
    EVENT_RESTORE_START,
    EVENT_STATE,
    Record,
    State,
)
from simulator.engine.streams import Streams
from simulator.engine.teams import RestoreKey, Team, restore_priority
from simulator.engine.triggers import Armed, Watch
from simulator.hazards import (
    CATALOGUE,
    HazardSpec,
    gauge_error,
    hazard_target_error,
    hazard_type_error,
    references,
)
from simulator.hazards.draw import draw
from simulator.model.commands import (
    ActivateStandby,
    AddTeam,
    Command,
    DeactivateStandby,
    Degrade,
    Detect,
    Down,
    Isolate,
    Message,
    Reconnect,
    Restore,
    StartHazard,
    StartWorkaround,
    StopWorkaround,
)
from simulator.model.schema import (
    AssetKind,
    DepType,
    MselInject,
    NotifyAction,
    ReleaseAction,
    ScenarioBundle,
    Trigger,
    text,
)
from simulator.terms.durations import MAX_DURATION, RandomDuration, sample

EVENT_HAZARD = "hazard"
# A facilitator may extend a live exercise's horizon (overtime), up to the
# longest duration any file or request may give (MAX_DURATION, ten years).
MAX_HORIZON = MAX_DURATION


class CommandError(ValueError):
    """A command that cannot apply to this scenario; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TeamStatus:
    size: int
    busy: int
    queued: int


@dataclass(frozen=True)
class Snapshot:
    """A read-only view of a simulation at time `t` (seconds from the start)."""

    t: int
    capacity: Mapping[str, float]
    state: Mapping[str, State]
    buffers: Mapping[str, float]  # "<asset>/<buffer>" -> hours of cover left
    teams: Mapping[str, TeamStatus]
    workarounds: frozenset[str]
    isolated: frozenset[str]
    records: int


class Simulation:
    """One run of a scenario: `advance`, `inject`, `apply`, `snapshot`.

    `autoplay_msel=False` leaves the scenario's scheduled injects to the caller
    (a facilitator releases them with `release`); the hazards listed in the
    scenario always play at their times.
    """

    def __init__(
        self,
        source: ScenarioBundle | Model,
        seed: int | None = None,
        *,
        autoplay_msel: bool = True,
    ) -> None:
        self._events = 0
        self.model = source if isinstance(source, Model) else compile_model(source)
        self.bundle = self.model.bundle
        scenario = self.bundle.scenario
        self.seed = scenario.seed if seed is None else seed
        self.horizon = scenario.horizon
        self.env = simpy.Environment()
        self.records: list[Record] = []
        self.streams = Streams(self.seed)
        self.cascade = Cascade(self.env, self.model, self.records)
        self.teams = {tid: Team(self.env, t.size) for tid, t in self.bundle.company.teams.items()}
        self._team_size = {tid: t.size for tid, t in self.bundle.company.teams.items()}
        self._team_absence: dict[str, float] = {}
        self._absence_draws: dict[str, list[float]] = {}
        self._restoring: dict[int, simpy.Process] = {}
        self._priority: dict[int, RestoreKey] = {}
        self._destroyed_at: dict[int, int] = {}  # data asset -> when it went down, last destroyed
        # State records of data assets, gathered from the stream on demand (the
        # data-loss rule needs their down stretches): each record is read once.
        self._data_states: dict[str, list[Record]] = {}
        self._records_read = 0
        self._counts: dict[str, int] = {}
        self._msel = {entry.id: entry for entry in scenario.injects}
        self._detectors: dict[str, Callable[[], None]] = {}
        self._actions = {action.id for action in scenario.actions}
        self.watch: Watch | None = None
        for a in self.model.standby:
            self.cascade.start_idle(a)
        armed = self._armed()
        self.watch = Watch(self.env, self.model, self.cascade, self.note, armed) if armed else None
        if scenario.hazards:
            self.env.process(self._play_hazards())
        if autoplay_msel and scenario.injects:
            self.env.process(self._play_msel())
        self._settle_now()

    # --- driving ---------------------------------------------------------------

    @property
    def now(self) -> int:
        return int(self.env.now)

    @property
    def stats(self) -> dict[str, int]:
        """Work done so far: SimPy events processed, need evaluations (hops), records."""
        return {"events": self._events, "hops": self.cascade.hops, "records": len(self.records)}

    def advance(self, until: int) -> list[Record]:
        """Play every event up to and including time `until` (capped at the
        horizon) and return the new records."""
        start = len(self.records)
        until = min(int(until), self.horizon)
        env = self.env
        while env.peek() <= until:
            env.step()
            self._events += 1
        if until > env.now:
            # Nothing is due before `until`: move the clock with a timer of
            # our own, stepped at once (env.run(until) would leave its spent
            # stop event in the queue).
            env.timeout(until - env.now)
            env.step()
        return self.records[start:]

    def run(self) -> list[Record]:
        """Play to the horizon; returns the new records."""
        return self.advance(self.horizon)

    def extend(self, by: int) -> None:
        """Move the horizon `by` seconds further (a live exercise going into
        overtime). Nothing scheduled changes: events beyond the old horizon
        were waiting in the queue, so a run extended at its end plays exactly
        as one that had the longer horizon from the start."""
        if by <= 0:
            raise CommandError("by", "the horizon can only be extended by a positive duration")
        if self.horizon + by > MAX_HORIZON:
            raise CommandError(
                "by", f"the horizon cannot go beyond {MAX_HORIZON // 86400} days "
                f"(it is {self.horizon / 86400:g} days now)",
            )
        self.horizon += by

    def inject(self, command: Command, source: str | None = None) -> list[Record]:
        """Apply a facilitator's inject now; `source` labels its effects."""
        return self._command(command, source or self._label("inject"), EVENT_INJECT)

    def apply(self, command: Command, source: str | None = None) -> list[Record]:
        """Apply a player decision now; `source` labels its effects."""
        return self._command(command, source or self._label("decision"), EVENT_DECISION)

    def release(self, inject_id: str) -> list[Record]:
        """Play the scheduled inject `inject_id` of the MSEL now."""
        start = len(self.records)
        self.trigger(inject_id)
        self._settle_now()
        return self.records[start:]

    def trigger(self, inject_id: str) -> None:
        """Play the MSEL inject `inject_id` from inside a running process
        (a flood alarm level reached); `release` is the caller's version.
        An inject played so no longer waits for its own `when`."""
        entry = self._msel.get(inject_id)
        if entry is None:
            raise CommandError("inject", f"no scheduled inject {inject_id!r} in the scenario")
        if self.watch is not None and entry.when is not None:
            self.watch.disarm(f"inject:{inject_id}")
        self._play_inject(entry)

    def action_taken(self, action_id: str) -> list[Record]:
        """The players took the catalogue action `action_id` now (its commands
        are applied with `apply`): conditions on decisions see it. Returns the
        records of the triggers it fires at this instant."""
        if action_id not in self._actions:
            raise CommandError("action", f"no action {action_id!r} in the scenario")
        start = len(self.records)
        if self.watch is not None:
            self.watch.on_action(action_id)
            self._settle_now()
        return self.records[start:]

    def disarm(self, trigger_id: str) -> None:
        """Disarm the trigger `trigger_id`: it fires no more (the facilitator's call)."""
        self._watched(trigger_id).armed = False

    def fire(self, trigger_id: str) -> list[Record]:
        """Fire the trigger `trigger_id` now, whatever its condition (the
        facilitator's call); a `once` trigger is spent by it."""
        self._watched(trigger_id)
        assert self.watch is not None
        start = len(self.records)
        self.watch.fire(self.watch.position(trigger_id), "fired by the facilitator")
        self._settle_now()
        return self.records[start:]

    def triggers(self) -> list[Armed]:
        """The scenario's triggers with their state (armed, fired at, true
        since): `triggers` entries by their id, an inject's or hazard's own
        `when` as "inject:<id>" / "hazard:<id>". For the facilitator only."""
        return [] if self.watch is None else list(self.watch.triggers)

    def _watched(self, trigger_id: str) -> Armed:
        found = None if self.watch is None else self.watch.find(trigger_id)
        if found is None:
            raise CommandError("trigger", f"no trigger {trigger_id!r} in the scenario")
        return found

    def snapshot(self) -> Snapshot:
        c, m, now = self.cascade, self.model, self.now
        ids = m.ids
        buffers = {
            f"{ids[m.need_owner[n]]}/{b.spec.id}": round(b.level_at(now) / 3600, 4)
            for n, states in c.buffers.items()
            for b in states
        }
        teams = {tid: TeamStatus(t.size, t.busy, t.queued) for tid, t in self.teams.items()}
        return Snapshot(
            t=now,
            capacity=MappingProxyType(dict(zip(ids, c.cap, strict=True))),
            state=MappingProxyType({ids[a]: c.state(a) for a in range(m.size)}),
            buffers=MappingProxyType(buffers),
            teams=MappingProxyType(teams),
            workarounds=frozenset(ids[a] for a in c.workarounds),
            isolated=frozenset(ids[a] for a in c.isolated),
            records=len(self.records),
        )

    # --- what the engine can be told ----------------------------------------

    def damage(
        self,
        asset: str,
        capacity: float,
        cause: str,
        *,
        until_restored: bool,
        compromised: frozenset[str] = frozenset(),
        destroys: bool | None = None,
    ) -> None:
        """Limit `asset` to `capacity` for `cause` (hazards call this).

        Damage `until_restored` starts the asset's recovery process if it has
        one; otherwise the cause heals it with `heal`. Damage that `destroys`
        (default: damage until restored; a flood destroys though its water
        recedes by itself) makes a data asset at capacity 0 lose what changed
        since its last good backup (`simulator/engine/backups.py`); backups kept in a
        trust domain of `compromised` are not good.
        """
        a = self._asset(asset, "asset")
        destroys = until_restored if destroys is None else destroys
        if destroys and capacity <= EPSILON and self.model.kinds[a] is AssetKind.data:
            self._data_loss(a, cause, compromised)
        self.cascade.set_damage(a, capacity, cause, restorable=until_restored)
        if until_restored and a in self.model.recovery and a not in self._restoring:
            self._restoring[a] = self.env.process(self._recover(a))

    def heal(self, asset: str, cause: str) -> None:
        """Withdraw the damage that `cause` did to `asset`."""
        self.cascade.remove_damage(self._asset(asset, "asset"), cause)

    def validate(self, command: Command) -> None:
        """Raise `CommandError` if `command` names something this scenario lacks."""
        m = self.model
        match command:
            case ActivateStandby() | DeactivateStandby():
                if self._asset(command.asset, "asset") not in m.standby:
                    raise CommandError("asset", f"{command.asset!r} is not a standby asset")
            case StartWorkaround() | StopWorkaround():
                if self._asset(command.process, "process") not in m.workaround:
                    raise CommandError("process", f"{command.process!r} has no workaround")
            case AddTeam():
                if command.team not in self.teams:
                    raise CommandError("team", f"unknown team {command.team!r}")
            case Detect():
                if f"hazard:{command.hazard}" not in self._detectors:
                    raise CommandError("hazard", f"no running hazard {command.hazard!r} to detect")
            case StartHazard():
                # A hazard the company offers nothing to act on (a flood without
                # gauges) is refused on its type before its parameters.
                if error := hazard_type_error(command.hazard.type, m.kinds, self._gauges):
                    raise CommandError("hazard.type", error)
                known: dict[str, Mapping[str, object]] = {
                    "asset": self.model.index, "team": self.teams, "inject": self._msel
                }  # fmt: skip
                for kind, loc, name in references(command.hazard):
                    field = ".".join(map(str, ("hazard", *loc)))
                    if name not in known[kind]:
                        raise CommandError(field, f"unknown {kind} {name!r}")
                    if kind == "asset" and (error := hazard_target_error(
                            command.hazard, loc, m.kinds[m.index[name]],
                            self._utilities.get(name))):  # fmt: skip
                        raise CommandError(field, error)
                if error := gauge_error(command.hazard, self._gauges):
                    raise CommandError("hazard.gauge", error)
            case Message():
                pass
            case _:
                self._asset(command.asset, "asset")

    @functools.cached_property
    def _gauges(self) -> frozenset[str]:
        """The flood gauges the company's assets are exposed to (found once)."""
        return frozenset(a.flood.gauge for a in self.bundle.company.assets if a.flood)

    @functools.cached_property
    def _utilities(self) -> dict[str, str]:
        """Utility asset -> what it carries (power, network, ...), where it says."""
        return {a.id: a.utility for a in self.bundle.company.assets if a.utility}

    # --- internals -------------------------------------------------------------

    def _command(self, command: Command, source: str, event: str) -> list[Record]:
        self.validate(command)
        start = len(self.records)
        detail = json.dumps(command.model_dump(mode="json", exclude_none=True), sort_keys=True)
        self.records.append(Record(len(self.records), self.now, event, cause=source, detail=detail))
        self._execute(command, source)
        self._settle_now()
        return self.records[start:]

    def _execute(self, command: Command, source: str) -> None:
        c = self.cascade
        match command:
            case Down() | Degrade():
                capacity = command.capacity if isinstance(command, Degrade) else 0.0
                lasting = command.duration is None
                self.damage(command.asset, capacity, source, until_restored=lasting)
                if command.duration is not None:
                    self.env.process(self._heal_later(command.asset, source, command.duration))
            case Restore():
                a = self._asset(command.asset, "asset")
                process = self._restoring.pop(a, None)
                if process is not None and process.is_alive:
                    process.interrupt("restored")
                c.clear_damage(a, source, lambda key, _r: key != IDLE_STANDBY)
            case ActivateStandby():
                a = self._asset(command.asset, "asset")
                self.env.process(self._activate(a, source))
            case DeactivateStandby():
                c.set_damage(self._asset(command.asset, "asset"), 0.0, IDLE_STANDBY, False)
            case StartWorkaround():
                a = self._asset(command.process, "process")
                self.env.process(self._start_workaround(a, source))
            case StopWorkaround():
                c.set_workaround(self._asset(command.process, "process"), None, source)
            case Isolate():
                c.isolate(self._asset(command.asset, "asset"), list(command.types), source, True)
            case Reconnect():
                c.isolate(self._asset(command.asset, "asset"), [], source, False)
            case AddTeam():
                self._team_size[command.team] += command.count
                self._resize(command.team)
            case StartHazard():
                cause = source if command.id is None else f"hazard:{command.id}"
                self._start_hazard(command.hazard, cause)
            case Detect():
                self._detectors.pop(f"hazard:{command.hazard}")()
            case Message():
                pass

    def _settle_now(self) -> None:
        """Play what is due at the current instant (processes just started)."""
        env = self.env
        while env.peek() <= env.now:
            env.step()
            self._events += 1

    def _label(self, kind: str) -> str:
        n = self._counts[kind] = self._counts.get(kind, 0) + 1
        return f"{kind}:{n}"

    def _asset(self, asset_id: str, field: str) -> int:
        a = self.model.index.get(asset_id)
        if a is None:
            raise CommandError(field, f"unknown asset {asset_id!r}")
        return a

    def _seconds(self, value: int | RandomDuration, stream: str) -> int:
        """A duration: fixed, or drawn from the stream `stream`, which is made
        only then (a stream costs a BLAKE2b seed and 2.5 kB of Mersenne state;
        a fixed time needs none, and the other streams do not depend on it)."""
        return value if isinstance(value, int) else sample(value, self.streams(stream))

    def _start_hazard(self, spec: HazardSpec, cause: str) -> None:
        self.records.append(
            Record(len(self.records), self.now, EVENT_HAZARD, cause=cause, detail=spec.type)
        )
        if self.watch is not None:
            self.watch.on_note(EVENT_HAZARD, None, cause, spec.type)
        # Random parameters are drawn now, each from its own stream "<cause>/<field>".
        self.env.process(CATALOGUE[spec.type](self, draw(spec, self.streams, cause), cause))

    def _armed(self) -> list[Armed]:
        """The triggers to watch: the scenario's `triggers`, then the `when`
        of its MSEL entries and hazards, each in file order."""
        scenario = self.bundle.scenario
        out = [
            Armed(t.id, t.when, functools.partial(self._act, t), t.delay, t.once,
                  t.min_interval or 0)
            for t in scenario.triggers
        ]  # fmt: skip
        for entry in scenario.injects:
            if entry.when is not None:
                play = functools.partial(self._play_inject, entry)
                out.append(Armed(f"inject:{entry.id}", entry.when, play, entry.delay,
                                 not_before=entry.at or 0))  # fmt: skip
        for i, hazard in enumerate(scenario.hazards):
            if hazard.when is not None:
                cause = f"hazard:{hazard.id or i + 1}"
                at = self._seconds(hazard.at, f"{cause}/at")
                start = functools.partial(self._start_hazard, hazard.hazard, cause)
                out.append(Armed(cause, hazard.when, start, hazard.delay, not_before=at))
        return out

    def _act(self, trigger: Trigger) -> None:
        """Do what a fired trigger does; its commands' effects carry its name."""
        source = f"trigger:{trigger.id}"
        for item in trigger.do:
            if isinstance(item, ReleaseAction):
                self.trigger(item.release)
            elif not isinstance(item, NotifyAction):  # a notice is the trigger's record itself
                self._execute(item, source)

    def _play_hazards(self) -> Generator[simpy.Event, Any, None]:
        hazards = self.bundle.scenario.hazards
        causes = [f"hazard:{e.id or i + 1}" for i, e in enumerate(hazards)]
        starts = [
            (self._seconds(e.at, f"{cause}/at"), i)
            for i, (e, cause) in enumerate(zip(hazards, causes, strict=True))
            if e.when is None  # the watch starts the others
        ]
        for at, i in sorted(starts):  # same-time hazards in file order
            if at > self.now:
                yield self.env.timeout(at - self.now)
            self._start_hazard(self.bundle.scenario.hazards[i].hazard, causes[i])

    def _play_msel(self) -> Generator[simpy.Event, Any, None]:
        timed = [e for e in self.bundle.scenario.injects if e.at is not None and e.when is None]
        pending = deque(sorted(timed, key=lambda e: e.at or 0))
        while pending:
            entry = pending.popleft()
            assert entry.at is not None
            if entry.at > self.now:
                yield self.env.timeout(entry.at - self.now)
            self._play_inject(entry)

    def _play_inject(self, entry: MselInject) -> None:
        source = f"inject:{entry.id}"
        title = text(entry.title)
        self.records.append(Record(len(self.records), self.now, EVENT_INJECT, cause=source,
                                   detail=title))  # fmt: skip
        for command in entry.do:
            self._execute(command, source)

    def _heal_later(self, asset: str, cause: str, delay: int) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(delay)
        self.heal(asset, cause)

    def _activate(self, a: int, cause: str) -> Generator[simpy.Event, Any, None]:
        spec = self.model.standby[a]
        if spec.lead_time:
            yield self.env.timeout(spec.lead_time)
        c = self.cascade
        if IDLE_STANDBY not in c.damage.get(a, ()):
            return  # deactivated again meanwhile, or already active
        if spec.capacity < 1:
            c.set_damage(a, spec.capacity, cause, restorable=False)
        c.activate(a, cause)

    def _start_workaround(self, a: int, cause: str) -> Generator[simpy.Event, Any, None]:
        workaround = self.model.workaround[a]
        if workaround.lead_time:
            yield self.env.timeout(workaround.lead_time)
        self.cascade.set_workaround(a, workaround, cause)

    def _recover(self, a: int) -> Generator[simpy.Event, Any, None]:
        """Restore `a`: wait for what the restore needs, queue for the team by
        priority, work for the restore time, then clear the damage."""
        m, c = self.model, self.cascade
        spec = m.recovery[a]
        name = m.ids[a]
        required = [m.index[r] for r in spec.requires]
        team = None if spec.team is None else self.teams[spec.team]
        turn: simpy.Event | None = None  # held from the ask until the member is back
        try:
            duration = self._seconds(spec.time, f"restore/{name}")
            while True:
                for r in required:
                    while c.cap[r] <= EPSILON:
                        yield c.when_up(r)
                if team is None:
                    self.note(EVENT_RESTORE_START, name, "restore", None)
                    yield self.env.timeout(duration)
                    break
                turn = team.ask(self._restore_priority(a))
                yield turn
                # What it requires may have gone down while it queued: then
                # give the team member back and wait again.
                if any(c.cap[r] <= EPSILON for r in required):
                    team.release(turn)
                    turn = None
                    continue
                self.note(EVENT_RESTORE_START, name, "restore", spec.team)
                yield self.env.timeout(duration)
                break
            self.note(EVENT_RESTORE_DONE, name, "restore", spec.team)
            c.clear_damage(a, "restore", lambda _key, restorable: restorable)
        except simpy.Interrupt:
            pass  # restored by command: queued or working, the member goes back below
        finally:
            if team is not None and turn is not None:
                team.release(turn)
            if self._restoring.get(a) is self.env.active_process:
                del self._restoring[a]

    def _restore_priority(self, a: int) -> RestoreKey:
        """`restore_priority` of `a` (simulator/engine/teams.py), found once, then cached."""
        key = self._priority.get(a)
        if key is None:
            key = self._priority[a] = restore_priority(self.model, a)
        return key

    def _data_loss(self, a: int, cause: str, compromised: frozenset[str]) -> None:
        """Record the hours of data `a` loses now, counted from the moment it
        went down back to its last good backup (rules in simulator/engine/backups.py).
        Destroyed again before it came back up (a flood on an encrypted
        database), it loses nothing more: nothing was written meanwhile."""
        name, backup = self.model.ids[a], self.model.backup.get(a)
        down_now = self.cascade.cap[a] <= EPSILON
        stretches, current = down_history(self._data_state_records(name), name, down_now)
        went_down = self.now if current is None else current
        previous = self._destroyed_at.get(a)
        if previous is not None and previous == went_down:
            return
        returned = None
        if previous is not None:
            returned = next((end for start, end in stretches if start == previous), None)
        self._destroyed_at[a] = went_down
        domain = None if backup is None else backup.domain
        encrypted = domain is not None and domain in compromised  # the backup store too
        lost = seconds_lost(backup, encrypted, went_down, stretches, returned)
        self.note(EVENT_DATA_LOSS, name, cause, str(round(lost / 3600, 4)))

    def _data_state_records(self, name: str) -> list[Record]:
        """The state records of data asset `name` so far."""
        states, kinds, index = self._data_states, self.model.kinds, self.model.index
        data = AssetKind.data
        for r in self.records[self._records_read :]:
            asset = r.asset
            if r.event == EVENT_STATE and asset is not None and kinds[index[asset]] is data:
                states.setdefault(asset, []).append(r)
        self._records_read = len(self.records)
        return states.get(name, [])

    def on_detect(self, cause: str, detected: Callable[[], None]) -> None:
        """Let a `detect` command for the hazard `cause` call `detected`."""
        self._detectors[cause] = detected

    def set_team_absence(self, team: str, absence: float) -> None:
        """A share `absence` of `team` is away (staff absence); see `_resize`."""
        self._team_absence[team] = absence
        self._resize(team)

    def _resize(self, team: str) -> None:
        """Members present = those whose own draw says they are at work.

        Each member i of a team draws once per run u_i, uniform in [0, 1), from
        the stream "absence/<team>" (member i gets the stream's i-th number),
        and is away while the absence share exceeds u_i. So each person is
        away with probability `absence`, the expected team size is
        size × (1 − absence) as for the staff pools, replications differ (Monte
        Carlo shows the spread a small team really has) and a run is
        reproducible. A higher absence only adds people to those away (the
        same draws), absence 0 keeps everybody and absence 1 nobody. Rounding
        the expected size instead would make a 10 % absence either nothing
        (round) or half of a team of two (floor) for every replication.
        """
        size = self._team_size[team]
        absence = self._team_absence.get(team, 0.0)
        if absence <= 0:
            present = size
        else:
            draws = self._absence_draws.setdefault(team, [])
            rng = self.streams(f"absence/{team}")
            while len(draws) < size:
                draws.append(rng.random())
            present = sum(1 for u in draws[:size] if u >= absence)
        self.teams[team].resize(present)

    def is_restoring(self, asset: str) -> bool:
        """Whether a recovery process is on `asset` (queued or working)."""
        return self.model.index[asset] in self._restoring

    def is_isolated(self, asset: str, dep_type: str = "cyber") -> bool:
        """Whether `asset` is cut off for dependencies of `dep_type`."""
        mask = self.cascade.isolated.get(self.model.index[asset], 0)
        return bool(mask & (1 << DEP_TYPES.index(DepType(dep_type))))

    def note(self, event: str, asset: str | None, cause: str, detail: str | None) -> None:
        """Append a record of `event` now (hazards report their milestones so)."""
        self.records.append(Record(len(self.records), self.now, event, asset, cause=cause,
                                   detail=detail))  # fmt: skip
        if self.watch is not None:
            self.watch.on_note(event, asset, cause, detail)

    def milestone(self, cause: str, what: str) -> None:
        """A hazard's moment that conditions may wait for but no record shows
        (a flood's crest: "peak_passed")."""
        if self.watch is not None:
            self.watch.on_note(what, None, cause, None)
