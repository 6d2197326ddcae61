"""The discrete-event engine: a company under hazards, injects and decisions.

`Simulation` runs on a plain `simpy.Environment` and is pulled, not pushed:
the caller advances it to a simulated time and applies commands in between;
every call returns the records it produced. A live exercise, a replay and a
notebook drive it the same way, so scenario + seed + the logged commands
reproduce a run record for record.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import simpy

from simulator.cascade import IDLE_STANDBY, Cascade
from simulator.commands import (
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
from simulator.durations import sample
from simulator.hazards import CATALOGUE, HazardSpec, references
from simulator.hazards.draw import draw
from simulator.model import DEP_TYPES, Model, compile_model
from simulator.records import (
    EPSILON,
    EVENT_DATA_LOSS,
    EVENT_DECISION,
    EVENT_INJECT,
    EVENT_RESTORE_DONE,
    EVENT_RESTORE_START,
    Record,
    State,
)
from simulator.schema import AssetKind, DepType, MselInject, ScenarioBundle, text
from simulator.streams import Streams

EVENT_HAZARD = "hazard"
NO_PRIORITY = 10**12  # restore priority of assets no business process needs


class CommandError(ValueError):
    """A command that cannot apply to this scenario; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Team(simpy.PriorityResource):
    """A recovery team: restores queue by priority (lowest RTO first), and the
    team can grow during an exercise (external responders arrive)."""

    def resize(self, capacity: int) -> None:
        self._capacity = capacity
        while self.put_queue and len(self.users) < capacity:
            self._trigger_put(None)  # grants one waiting request per call


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
        self.teams = {
            tid: Team(self.env, capacity=t.size) for tid, t in self.bundle.company.teams.items()
        }
        self._team_size = {tid: t.size for tid, t in self.bundle.company.teams.items()}
        self._team_share: dict[str, float] = {}
        self._restoring: dict[int, simpy.Process] = {}
        self._priority: dict[int, int] = {}
        self._counts: dict[str, int] = {}
        self._msel = {entry.id: entry for entry in scenario.injects}
        self._detectors: dict[str, Callable[[], None]] = {}
        for a in self.model.standby:
            self.cascade.start_idle(a)
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
            # Nothing is due before `until`: move the clock. (env.run(until)
            # would leave its spent stop event in the queue.)
            env._now = until
        return self.records[start:]

    def run(self) -> list[Record]:
        """Play to the horizon; returns the new records."""
        return self.advance(self.horizon)

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
        (a flood alarm level reached); `release` is the caller's version."""
        entry = self._msel.get(inject_id)
        if entry is None:
            raise CommandError("inject", f"no scheduled inject {inject_id!r} in the scenario")
        self._play_inject(entry)

    def snapshot(self) -> Snapshot:
        c, m, now = self.cascade, self.model, self.now
        ids = m.ids
        buffers = {
            f"{ids[m.need_owner[n]]}/{b.spec.id}": round(b.level_at(now) / 3600, 4)
            for n, states in c.buffers.items()
            for b in states
        }
        teams = {
            tid: TeamStatus(int(t.capacity), len(t.users), len(t.queue))
            for tid, t in self.teams.items()
        }
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
    ) -> None:
        """Limit `asset` to `capacity` for `cause` (hazards call this).

        Damage `until_restored` starts the asset's recovery process if it has
        one; otherwise the cause heals it with `heal`. Destroyed data loses
        what changed since its last good backup; backups kept in a trust
        domain of `compromised` are not good.
        """
        a = self._asset(asset, "asset")
        if until_restored and capacity <= EPSILON and self.model.kinds[a] is AssetKind.data:
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
                known: dict[str, Mapping[str, object]] = {
                    "asset": self.model.index, "team": self.teams, "inject": self._msel
                }  # fmt: skip
                for kind, loc, name in references(command.hazard):
                    if name not in known[kind]:
                        field = ".".join(map(str, ("hazard", *loc)))
                        raise CommandError(field, f"unknown {kind} {name!r}")
            case Message():
                pass
            case _:
                self._asset(command.asset, "asset")

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

    def _start_hazard(self, spec: HazardSpec, cause: str) -> None:
        self.records.append(
            Record(len(self.records), self.now, EVENT_HAZARD, cause=cause, detail=spec.type)
        )
        # Random parameters are drawn now, each from its own stream "<cause>/<field>".
        self.env.process(CATALOGUE[spec.type](self, draw(spec, self.streams, cause), cause))

    def _play_hazards(self) -> Generator[simpy.Event, Any, None]:
        causes = [f"hazard:{e.id or i + 1}" for i, e in enumerate(self.bundle.scenario.hazards)]
        starts = [
            (sample(e.at, self.streams(f"{cause}/at")), i)
            for i, (e, cause) in enumerate(zip(self.bundle.scenario.hazards, causes, strict=True))
        ]
        for at, i in sorted(starts):  # same-time hazards in file order
            if at > self.now:
                yield self.env.timeout(at - self.now)
            self._start_hazard(self.bundle.scenario.hazards[i].hazard, causes[i])

    def _play_msel(self) -> Generator[simpy.Event, Any, None]:
        timed = [e for e in self.bundle.scenario.injects if e.at is not None]
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
        c.clear_damage(a, cause, lambda key, _r: key == IDLE_STANDBY)

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
        try:
            duration = sample(spec.time, self.streams(f"restore/{name}"))
            while True:
                for r in required:
                    while c.cap[r] <= EPSILON:
                        yield c.when_up(r)
                if spec.team is None:
                    self.note(EVENT_RESTORE_START, name, "restore", None)
                    yield self.env.timeout(duration)
                    break
                with self.teams[spec.team].request(priority=self._restore_priority(a)) as turn:
                    yield turn
                    # What it requires may have gone down while it queued: then
                    # give the team member back and wait again.
                    if any(c.cap[r] <= EPSILON for r in required):
                        continue
                    self.note(EVENT_RESTORE_START, name, "restore", spec.team)
                    yield self.env.timeout(duration)
                    break
            self.note(EVENT_RESTORE_DONE, name, "restore", spec.team)
            c.clear_damage(a, "restore", lambda _key, restorable: restorable)
        except simpy.Interrupt:
            pass
        finally:
            if self._restoring.get(a) is self.env.active_process:
                del self._restoring[a]

    def _restore_priority(self, a: int) -> int:
        """The shortest RTO among the business processes that stand on `a`,
        directly or through restores that require it (the backup server that
        every restore needs goes first); found by one walk, then cached."""
        if a in self._priority:
            return self._priority[a]
        m = self.model
        best, seen, todo = NO_PRIORITY, {a}, [a]
        while todo:
            x = todo.pop()
            bia = m.bia.get(x)
            if bia is not None and bia.rto < best:
                best = bia.rto
            for owner in [m.need_owner[n] for n in m.dependents(x)] + m.required_by.get(x, []):
                if owner not in seen:
                    seen.add(owner)
                    todo.append(owner)
        self._priority[a] = best
        return best

    def _data_loss(self, a: int, cause: str, compromised: frozenset[str]) -> None:
        """Record the hours of data `a` loses now: back to its last good backup."""
        backup, now = self.model.backup.get(a), self.now
        if backup is None:
            lost = now  # no backup: everything since the start
        elif backup.domain is not None and backup.domain in compromised:
            # The backup store was encrypted too; only offline copies are good.
            lost = now if backup.offline_interval is None else now % backup.offline_interval
        elif now < backup.offset:
            lost = now
        else:
            lost = (now - backup.offset) % backup.interval
        self.note(EVENT_DATA_LOSS, self.model.ids[a], cause, str(round(lost / 3600, 4)))

    def on_detect(self, cause: str, detected: Callable[[], None]) -> None:
        """Let a `detect` command for the hazard `cause` call `detected`."""
        self._detectors[cause] = detected

    def set_team_availability(self, team: str, share: float) -> None:
        """Only `share` of `team` can work (staff absence); rounds to whole people."""
        self._team_share[team] = share
        self._resize(team)

    def _resize(self, team: str) -> None:
        size = round(self._team_size[team] * self._team_share.get(team, 1.0))
        self.teams[team].resize(size)

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

