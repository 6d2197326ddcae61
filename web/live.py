"""Live exercises: the engine driven by a wall clock, commands and viewers.

One pacer coroutine advances every running exercise each tick (a plain
simpy.Environment, never simpy.rt). Handlers never touch the engine between
awaits: a command is validated, written to the database, then applied, all in
one step on the event loop, so the loop is the single writer. Viewers get
combined updates over server-sent events; a slow viewer loses updates (and gets
a fresh full state) instead of slowing the engine.

An exercise is always scenario + seed + command log: `LiveExercise.restore`
replays the log to rebuild it after a crash, exactly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from pydantic import ValidationError

from simulator.engine.simulation import Simulation
from simulator.exercise.audience import AUDIENCES, FULL, audience_of
from simulator.exercise.log import (
    ENGINE_VERSION,
    KINDS,
    Checkpoint,
    ClockEntry,
    LogEntry,
    LogError,
    RecordDigest,
    payload_dict,
)
from simulator.exercise.log import entry as entry_of
from simulator.exercise.session import Exercise, Limits, MselItem, Proposal, Rejected
from simulator.exercise.views import Publication, feed_item
from simulator.model.schema import ScenarioBundle
from web.clock import ENDED, PAUSED, RUNNING, Clock
from web.settings import Settings
from web.storage import (
    ARCHIVED,
    DAMAGED,
    StorageUnavailable,
    Store,
    now_utc,
    token_hash,
)
from web.storage import Exercise as Exercise_
from web.storage import LogEntry as StoredEntry

log = logging.getLogger("tabletop.live")
ROLES = ("facilitator", "participant", "observer")
# Roles whose token hashes live in their own table (web/storage.ExerciseToken):
# the manager reads the whole exercise (replay, after-action) and sends no command.
MANAGER = "manager"
EXTRA_ROLES = (MANAGER,)
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"  # of a person's id, "p-" + 10 of them
MAX_REFUSALS = 1000  # refused requests whose Idempotency-Key is remembered


class Damaged(Exception):
    """A stored exercise that cannot be rebuilt; the message says why."""


__all__ = ["Rejected"]  # routes catch it from here


class Event(NamedTuple):
    """One stream message: its id, its JSON, and its server-sent-events frame
    (encoded once for every viewer of the audience)."""

    id: int
    data: str
    frame: bytes


def event(event_id: int, data: str) -> Event:
    return Event(event_id, data, f"id: {event_id}\ndata: {data}\n\n".encode())


PING = Event(-1, "", b": ping\n\n")  # keeps idle connections (and proxies) open
RETRY_MS = 1000  # browsers reconnect this soon after a dropped stream
Viewer = asyncio.Queue[Event | None]


class Hub:
    """Fan-out of one exercise's stream to its viewers, per audience.

    The resume history keeps at most `history` events and `history_bytes`
    bytes per audience: a viewer who missed more gets a fresh full state."""

    def __init__(self, history: int, start: int | None = None,
                 history_bytes: int = 8 * 1024 * 1024) -> None:  # fmt: skip
        # Event ids go on from the wall clock in ms: after a restart they are
        # past any id a browser kept from before, so it gets a full state.
        self.next_id = int(time.time() * 1000) if start is None else start
        # Audiences come and go with the teams ("player:<team>"): made on first use.
        self._history_len = history
        self.history: dict[str, deque[Event]] = {}
        self.history_bytes = history_bytes
        self._kept_bytes: dict[str, int] = {}
        self.viewers: dict[str, set[Viewer]] = {a: set() for a in AUDIENCES}

    def _keep(self, audience: str, item: Event) -> None:
        kept = self.history.setdefault(audience, deque(maxlen=self._history_len))
        self._kept_bytes.setdefault(audience, 0)
        if len(kept) == kept.maxlen:
            self._kept_bytes[audience] -= len(kept[0].frame)
        kept.append(item)
        self._kept_bytes[audience] += len(item.frame)
        while self._kept_bytes[audience] > self.history_bytes and kept:
            self._kept_bytes[audience] -= len(kept.popleft().frame)

    def publish(self, payloads: dict[str, str]) -> int:
        self.next_id += 1
        for audience, data in payloads.items():
            item = event(self.next_id, data)
            self._keep(audience, item)
            for queue in self.viewers.get(audience, ()):
                if queue.full():  # a slow viewer: drop its backlog, it will resync
                    _drain(queue)
                    queue.put_nowait(None)
                else:
                    queue.put_nowait(item)
        return self.next_id

    def ping(self) -> None:
        for viewers in self.viewers.values():
            for queue in viewers:
                if not queue.full():
                    queue.put_nowait(PING)

    def missed(self, audience: str, last_id: int) -> list[Event] | None:
        """Events after `last_id`, or None if they are no longer kept."""
        kept = self.history.get(audience, ())
        if last_id == self.next_id:
            return []
        if not kept or last_id < kept[0].id - 1 or last_id > self.next_id:
            return None  # too old (or from before a restart): a full state instead
        return [item for item in kept if item.id > last_id]


class Access(NamedTuple):
    """What a named person's link grants: acting as `role`, in `team`."""

    hash: str
    role: str
    team: str | None


def accepted_body(entry: LogEntry | StoredEntry) -> dict[str, Any]:
    """The API's answer to an accepted command (AcceptedPublic)."""
    return {"seq": entry.seq, "kind": entry.kind, "sim_time_h": round(entry.sim_time / 3600, 4)}


def _drain(queue: asyncio.Queue[Any]) -> None:
    while not queue.empty():
        queue.get_nowait()


@dataclass
class LiveExercise:
    """An exercise (simulator.exercise.Exercise) with a wall clock, its
    database rows and its viewers. The exercise object decides what a command
    does and what each audience sees; this class paces it, logs every entry
    before applying it, and streams what changed."""

    id: str
    scenario: str
    bundle: ScenarioBundle
    seed: int
    store: Store
    settings: Settings
    exercise: Exercise = field(init=False)
    clock: Clock = field(init=False)
    token_hashes: dict[str, str] = field(default_factory=dict)
    # Named people's links: person id -> (token hash, role, team); and when
    # each first opened it (attendance, also in the database).
    people_tokens: dict[str, Access] = field(default_factory=dict)
    joined: dict[str, datetime] = field(default_factory=dict)
    # Idempotency-Key -> answer of POST /people (a person with their link):
    # kept apart from the commands' keys, and in memory only (the link is secret).
    people_keys: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        limits = Limits(self.settings.log_entries, self.settings.open_proposals)
        self.exercise = Exercise(self.bundle, self.seed, limits)
        self.clock = Clock(0, time.monotonic(), 60.0, PAUSED, self.exercise.horizon)
        self.publication = Publication(self.exercise, self.settings.init_feed)
        self.hub = Hub(self.settings.history, history_bytes=self.settings.history_bytes)
        self._last_publish = 0.0
        self._last_saved: tuple[int, str, float] = (-1, "", 0.0)
        self._last_save = 0.0
        self._dirty = False  # something to publish (viewers start from a full state)
        self._flush_pending = False
        # Idempotency-Key -> (status, body) of the first answer: accepted ones
        # are stored with their entry, refusals kept for the last MAX_REFUSALS.
        self.request_keys: dict[str, tuple[int, Any]] = {}
        self._refusal_keys: deque[str] = deque()

    # The exercise object's state, read by routes and tests.
    @property
    def sim(self) -> Simulation:
        return self.exercise.sim

    @property
    def seq(self) -> int:
        return self.exercise.seq

    @property
    def msel(self) -> dict[str, MselItem]:
        return self.exercise.msel

    @property
    def proposals(self) -> dict[int, Proposal]:
        return self.exercise.proposals

    @property
    def feed(self) -> list[dict[str, Any]]:
        """Every log entry as the console's feed shows it (facilitator's view)."""
        return [feed_item(e) for e in self.exercise.log]

    def next_due(self) -> MselItem | None:
        return self.exercise.next_due()

    # --- creation and recovery ------------------------------------------------

    @classmethod
    def create(
        cls, store: Store, settings: Settings, scenario: str, bundle: ScenarioBundle,
        seed: int, speed: float,
    ) -> tuple[LiveExercise, dict[str, str]]:  # fmt: skip
        """A new exercise and its three secret tokens (only their hashes are stored)."""
        tokens = {role: secrets.token_urlsafe(18) for role in ROLES}
        exercise_id = secrets.token_hex(6)
        live = cls(exercise_id, scenario, bundle, seed, store, settings)
        store.create(Exercise_(
            id=exercise_id, scenario=scenario, bundle=bundle.model_dump_json(), seed=seed,
            speed=speed, clock=PAUSED, sim_time=0, created=now_utc(),
            facilitator_hash=token_hash(tokens["facilitator"]),
            participant_hash=token_hash(tokens["participant"]),
            observer_hash=token_hash(tokens["observer"]),
        ))  # fmt: skip
        live.clock.speed = speed
        live.token_hashes = {role: token_hash(t) for role, t in tokens.items()}
        live._save_clock(force=True)  # records the engine that runs it
        return live, tokens

    @classmethod
    def restore(cls, row: Exercise_, store: Store, settings: Settings) -> LiveExercise:
        """Rebuild an exercise from scenario, seed and log: the same records,
        paused at the last saved simulated time (or the last command's).

        A jump cut short by a crash is completed: the scheduled injects it
        passed are released (and logged) as the live exercise would have.
        An exercise saved by another engine version is rebuilt only if this
        engine reproduces its checkpoint; Damaged says why otherwise."""
        try:
            bundle = ScenarioBundle.model_validate_json(row.bundle)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "scenario"
            raise Damaged(f"the stored scenario is not valid ({e.error_count()} problems, "
                          f"first: {where}: {first['msg']})") from None  # fmt: skip
        live = cls(row.id, row.scenario, bundle, row.seed, store, settings)
        live.token_hashes = {"facilitator": row.facilitator_hash,
                             "participant": row.participant_hash, "observer": row.observer_hash}
        live.clock.speed = row.speed
        accepted: dict[int, StoredEntry] = {}
        for stored in store.log(row.id):
            if stored.error is not None:
                raise Damaged(f"log entry {stored.seq}: {stored.error}")
            if stored.kind not in KINDS:
                raise Damaged(f"log entry {stored.seq}: unknown kind {stored.kind[:40]!r}")
            try:
                live.exercise.apply(typed_entry(stored))
            except ValidationError as e:
                raise Damaged(f"log entry {stored.seq}: {_first_error(e)}") from None
            except LogError as e:
                raise Damaged(str(e)) from None
            live._apply_clock(live.exercise.log[-1], None)
            accepted[stored.seq] = stored
        for key, seq in store.request_keys(row.id).items():
            if seq in accepted:
                live.request_keys[key] = (200, accepted_body(accepted[seq]))
        target = max(row.sim_time, live.exercise.jump_floor)
        saved = store.checkpoint(row.id)
        live.clock = Clock(live.sim.now, time.monotonic(), live.clock.speed,
                           ENDED if row.clock == ENDED else PAUSED, live.sim.horizon)  # fmt: skip
        live._advance_to(target, time.monotonic())
        if saved is not None and saved[0] != ENGINE_VERSION:
            live._verify(saved[0], saved[1])
        if live.sim.now >= live.sim.horizon:
            live.clock.state = ENDED
        live.clock.sim0 = live.sim.now
        live._save_clock(force=True)
        live.publication.skip_to_now()
        return live

    def _verify(self, engine: str, checkpoint: Checkpoint) -> None:
        """Damaged unless this engine's records match those another engine
        version saved (compared at the checkpoint's record count)."""
        records = self.sim.records
        digest = RecordDigest()
        digest.feed(records, min(len(records), checkpoint.records))
        if self.sim.now < checkpoint.sim_time or len(records) < checkpoint.records or \
                digest.hexdigest() != checkpoint.digest:  # fmt: skip
            raise Damaged(f"it was run by engine {engine}; this engine ({ENGINE_VERSION}) "
                          "plays its log differently, so it cannot go on here (its log can "
                          f"be downloaded and replayed with Tabletop {engine})")  # fmt: skip

    # --- commands ---------------------------------------------------------------

    def submit(
        self, role: str, kind: str, payload: dict[str, Any], wall: float | None = None,
        key: str | None = None,
    ) -> LogEntry:  # fmt: skip
        """Check, persist, then apply one command — no await in between.

        A running exercise first catches up with its clock, so the command
        takes effect at the current simulated time (not the last tick's).
        `key` (the request's Idempotency-Key) is stored with the entry."""
        wall = time.monotonic() if wall is None else wall
        self.sync(wall)
        entry = self.exercise.command(role, kind, payload, now_utc())
        self._commit(entry, wall, key)
        if kind == "clock":
            # Other commands need no clock row: a replay reaches their time anyway.
            self._save_clock(force=True)
        self._changed(urgent=True)
        return entry

    def _commit(self, entry: LogEntry, wall: float, key: str | None = None) -> None:
        """Write one checked entry to the log (committed), then apply it."""
        self.store.append(self.id, stored_entry(entry), key)
        self.exercise.apply(entry)
        self._apply_clock(entry, wall)

    def add_person(self, name: str, function: str | None, team: str | None, role: str,
                   actor: str = "facilitator") -> tuple[LogEntry, str]:  # fmt: skip
        """Log a named person (an id the server makes) and give them a
        secret link: its token is returned, only its hash is stored. The
        token row is written before the log entry: a failure in between
        leaves a token for nobody (it grants nothing), never a person
        without a link."""
        self.sync(time.monotonic())
        self.exercise.check_team(team)  # the company's teams only (Rejected names the field)
        person_id = "p-" + "".join(secrets.choice(ID_CHARS) for _ in range(10))
        payload = {"id": person_id, "name": name, "role": role,
                   **({"function": function} if function else {}),
                   **({"team": team} if team else {})}  # fmt: skip
        entry = self.exercise.command(actor, "person", payload, now_utc())
        token = secrets.token_urlsafe(18)
        digest = token_hash(token)
        self.store.add_person(self.id, person_id, role, team, digest)
        self.people_tokens[person_id] = Access(digest, role, team)
        self._commit(entry, time.monotonic())
        self._changed(urgent=True)
        return entry, token

    def reissue_link(self, person_id: str) -> str:
        """A new personal link for a logged person: the old token stops
        working at once (requests and open streams), the new one is returned
        and only its hash stored. Not a log entry: the log holds what happened
        in the exercise and stays free of secrets; who may open it is the
        token table's. KeyError for someone not in the log."""
        person = self.exercise.people[person_id]
        token = secrets.token_urlsafe(18)
        digest = token_hash(token)
        self.store.person_token(self.id, person_id, person.role, person.team, digest)
        self.people_tokens[person_id] = Access(digest, person.role, person.team)
        self._changed(urgent=True)  # an update ends the old link's open streams
        return token

    def load_people(self) -> None:
        """The named people's links and attendance, from the database."""
        for row in self.store.people(self.id):
            self.people_tokens[row.person] = Access(row.hash, row.role, row.team)
            if row.joined is not None:
                self.joined[row.person] = row.joined

    def attend(self, person: str) -> None:
        """A person opened their link (stream or console page): the first
        time is kept, in memory and the database."""
        if person in self.joined:
            return
        when = now_utc()
        self.store.person_joined(self.id, person, when)
        self.joined[person] = when

    def remember(self, key: str, status: int, body: Any) -> None:
        """The answer to a request with an Idempotency-Key, for its retries."""
        self.request_keys[key] = (status, body)
        if status != 200:
            self._refusal_keys.append(key)
            if len(self._refusal_keys) > MAX_REFUSALS:
                self.request_keys.pop(self._refusal_keys.popleft(), None)

    def _apply_clock(self, entry: LogEntry, wall: float | None) -> None:
        """What a clock entry does to the wall clock: live (`wall` given) or
        replayed (`wall` None: a rebuilt exercise is always paused)."""
        if not isinstance(entry, ClockEntry):
            return
        action, clock, payload = entry.payload.action, self.clock, entry.payload
        if action == "speed" and payload.speed is not None:
            if wall is None:
                clock.speed = payload.speed
            else:
                clock.set_speed(wall, payload.speed)
        elif action == "jump":
            if wall is not None:
                self._advance_to(payload.to or 0, wall)
                clock.jump(wall, self.sim.now)
        elif action == "extend":
            # The engine's horizon is model state; the clock only follows. An
            # ended exercise is paused, ready to resume.
            clock.horizon = self.sim.horizon
            if clock.state == ENDED:
                clock.state = PAUSED
                if wall is not None:
                    clock.wall0 = wall
        elif wall is None:
            pass  # start, pause, resume: a rebuilt exercise is always paused
        elif action in ("start", "resume"):
            clock.start(wall)
        elif action == "pause":
            clock.pause(wall)

    # --- the pacer's tick --------------------------------------------------------

    def sync(self, wall: float) -> None:
        """Bring the engine to the clock's time at `wall`."""
        if self.clock.state == RUNNING:
            self._advance_to(self.clock.target(wall), wall)

    def _advance_to(self, target: int, wall: float) -> None:
        """Advance the engine to `target`, logging the scheduled injects due on
        the way at their times; end at the horizon."""
        before = self.sim.now
        while (entry := self.exercise.step(target, now_utc())) is not None:
            self._commit(entry, wall)
            self._changed(urgent=True)
        if self.sim.now > before:
            self._changed(urgent=False)
        if self.exercise.ended and self.clock.state != ENDED:
            self.clock.end(wall)
            self.clock.sim0 = self.sim.now
            self._save_clock(force=True)
            self._changed(urgent=True)

    def tick(self, wall: float) -> None:
        """The pacer's step: catch up with the clock, save it now and then,
        publish the changes (at most every publish_s)."""
        if self.clock.state == RUNNING:
            self.sync(wall)
            if wall - self._last_save >= self.settings.save_s:
                self._save_clock()
        if self._dirty and wall - self._last_publish >= self.settings.publish_s:
            self.publish(wall)

    def _save_clock(self, force: bool = False) -> None:
        state = (self.sim.now, self.clock.state, self.clock.speed)
        if force or state != self._last_saved:
            self.store.save_clock(self.id, self.clock.state, self.sim.now, self.clock.speed,
                                  (ENGINE_VERSION, self.exercise.checkpoint()))  # fmt: skip
            self._last_saved = state
            self._last_save = time.monotonic()

    def _changed(self, urgent: bool) -> None:
        """Something viewers should see: publish it right after the current
        step (a command), or with the next tick (the clock moving on)."""
        self._dirty = True
        if not urgent or self._flush_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # driven without a loop (tests, a restore): the next tick publishes
            return
        self._flush_pending = True
        loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        if self._dirty:
            try:
                self.publish(time.monotonic())
            except Exception:
                log.exception("exercise %s: cannot publish", self.id)

    # --- what viewers see ---------------------------------------------------------

    def state(self, lang: str = "en") -> dict[str, Any]:
        """The current state (the API's /state)."""
        sim, c = self.sim, self.sim.cascade
        return {
            "id": self.id,
            "sim_time_h": round(sim.now / 3600, 4),
            "sim_time": sim.now,
            "horizon": sim.horizon,
            "clock": self.clock.state,
            "speed": self.clock.speed,
            "assets": [
                {"id": asset_id, "state": c.state(a), "capacity": c.cap[a]}
                for a, asset_id in enumerate(sim.model.ids)
            ],
            "processes": self.publication.board(lang),
        }

    def update(
        self, audience: str, full: bool, board: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """A stream message in `audience`'s view (simulator.exercise.views)
        with the wall clock's state."""
        message = self.publication.message(audience, full, board)
        message["clock"], message["speed"] = self.clock.state, self.clock.speed
        return message

    def feed_page(self, audience: str, before: int, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` feed entries older than number `before` (the log's
        seq; a player's own numbers for players), oldest first."""
        return self.publication.feed_page(audience, before, limit)

    def answer_for(self, audience: str, status: int, body: Any) -> Any:
        """An accepted command's answer (kept with the log's seq, for retries)
        as `audience` gets it: a player learns its entry's number among those
        they see, never the log's seq (it counts the entries hidden from them)."""
        if audience == FULL or status != 200 or not isinstance(body, dict):
            return body
        return {**body, "seq": self.publication.numbering(audience).number_of(body["seq"])}

    def audiences(self) -> tuple[str, ...]:
        """Everyone's audiences: the full view, anonymous players, and one
        per team that has people (each sees the injects addressed to it)."""
        teams = sorted(self.exercise.teams())
        return (*AUDIENCES, *(audience_of("participant", team) for team in teams))

    def publish(self, wall: float) -> None:
        """One combined update per audience that has news, serialized once for
        all its viewers."""
        board = self.publication.board()
        # An audience that sees nothing new gets nothing (views.Publication.news_for).
        payloads = {
            audience: json.dumps(self.update(audience, False, board), separators=(",", ":"),
                                  allow_nan=False)
            for audience in self.audiences() if self.publication.news_for(audience)
        }
        self.publication.sent()
        self.hub.publish(payloads)
        self._last_publish = wall
        self._dirty = False

    async def stream(self, audience: str, last_id: int | None) -> AsyncIterator[tuple[int, str]]:
        """Stream messages (id, JSON) for one viewer: missed ones (or a full
        state), then live. A full state stands for every event up to its id;
        events already covered are never sent twice."""
        async for item in self.events(audience, last_id):
            if item is not PING:
                yield item.id, item.data

    async def frames(self, audience: str, last_id: int | None) -> AsyncIterator[bytes]:
        """The same as server-sent-event frames, with a ping now and then.
        The first frame asks the browser to reconnect within RETRY_MS when
        the connection drops (a server restart), not after its default 3 s
        or more."""
        yield f"retry: {RETRY_MS}\n\n".encode()
        async for item in self.events(audience, last_id):
            yield item.frame

    async def events(self, audience: str, last_id: int | None) -> AsyncIterator[Event]:
        queue: Viewer = asyncio.Queue(maxsize=self.settings.queue)
        self.hub.viewers.setdefault(audience, set()).add(queue)
        try:
            missed = None if last_id is None else self.hub.missed(audience, last_id)
            if missed is None:
                sent = self.hub.next_id
                yield event(sent, self.init_message(audience))
            else:
                sent = last_id if last_id is not None else 0
                for item in missed:
                    sent = item.id
                    yield item
            while True:
                got = await queue.get()
                if got is None:  # fell behind: start over from the full state
                    sent = self.hub.next_id
                    yield event(sent, self.init_message(audience))
                elif got.id > sent or got is PING:
                    sent = max(sent, got.id)
                    yield got
        finally:
            self.hub.viewers[audience].discard(queue)

    def init_message(self, audience: str) -> str:
        """A full state as JSON (with the company's graph for drawing)."""
        return json.dumps(self.update(audience, full=True), separators=(",", ":"),
                          allow_nan=False)  # fmt: skip


def typed_entry(stored: StoredEntry) -> LogEntry:
    """A stored row as a typed entry (pydantic's ValidationError if malformed)."""
    return entry_of({"seq": stored.seq, "sim_time": stored.sim_time,
                     "wall_time": stored.wall_time, "actor": stored.role,
                     "kind": stored.kind, "payload": stored.payload})  # fmt: skip


def stored_entry(entry: LogEntry) -> StoredEntry:
    """A typed entry as a database row."""
    assert entry.wall_time is not None  # the server stamps every entry
    return StoredEntry(entry.seq, entry.sim_time, entry.wall_time, entry.actor, entry.kind,
                       payload_dict(entry.payload))  # fmt: skip


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("function"))
    return f"{where}: {first['msg']}"

class QuotaExceeded(Exception):
    """No room for one more live exercise (→ 429)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the server already runs its limit of {limit} live exercises")
        self.limit = limit


@dataclass
class Dormant:
    """A stored live exercise not rebuilt since start-up: rebuilt on first use."""

    last: float  # epoch seconds of its last use (last command, else creation)
    damaged: bool  # it could not be rebuilt at an earlier attempt: tried again


class Manager:
    """All live exercises of the app, and the pacer that drives them.

    Start-up only learns which exercises are stored (`load`); each is rebuilt
    from its log when it is first used (`get`), so a server with hundreds of
    stored exercises starts at once. The pacer drives the rebuilt ones.

    Live exercises (rebuilt or not) are capped (`settings.max_exercises`);
    one without a command and without a viewer for `settings.idle_s` is
    archived: dropped from memory, marked in the database, its log kept.
    `now` is the wall clock in epoch seconds (tests pass their own)."""

    def __init__(self, store: Store, settings: Settings,
                 now: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.store, self.settings, self.now = store, settings, now
        self.exercises: dict[str, LiveExercise] = {}  # rebuilt: in memory, paced
        self.dormant: dict[str, Dormant] = {}  # stored, live, not rebuilt yet
        self._rebuilding = threading.Lock()  # Manager.get may run in worker threads
        self.damaged: dict[str, str] = {}  # exercises that could not be rebuilt: why
        self._task: asyncio.Task[None] | None = None
        self._pending = 0  # creations admitted but not added yet
        # per exercise: (log length, viewers seen, wall time of the last activity)
        self._activity: dict[str, tuple[int, bool, float]] = {}

    def load(self) -> None:
        """Learn the stored live exercises (two queries, no log read): each is
        rebuilt on first use. One damaged at an earlier start is tried again
        then (a fixed bug); an archived one waits for its facilitator."""
        for known in self.store.known():
            if known.state == ARCHIVED:
                continue
            self.dormant[known.id] = Dormant(_utc_seconds(known.last_active),
                                             known.state == DAMAGED)  # fmt: skip

    def get(self, exercise_id: str) -> LiveExercise | None:
        """The live exercise, rebuilt from its log if this is its first use
        since start-up; None if it is unknown, archived or damaged (marked so
        with the reason when the rebuild fails)."""
        live = self.exercises.get(exercise_id)
        if live is not None:
            return live
        # Sync routes and dependencies run in worker threads: one rebuild at a
        # time, so a second first use waits for it instead of finding nothing.
        with self._rebuilding:
            live = self.exercises.get(exercise_id)
            if live is not None or exercise_id not in self.dormant:
                return live
            return self._rebuild(exercise_id)

    def _rebuild(self, exercise_id: str) -> LiveExercise | None:
        dormant = self.dormant.pop(exercise_id)
        try:
            row = self.store.exercise(exercise_id)
            if row is None:  # deleted behind the server's back
                return None
            live = LiveExercise.restore(row, self.store, self.settings)
            live.token_hashes.update(self.store.tokens(exercise_id))
            live.load_people()
        except Exception as e:  # one broken exercise must not stop the others
            self._damaged(exercise_id, e)
            return None
        if dormant.damaged:  # damaged before, rebuilt now (a fixed bug)
            self.store.set_status(exercise_id, None)
        self.add(live, dormant.last)
        return live

    def live_ids(self) -> set[str]:
        """Every live exercise, rebuilt or not."""
        return set(self.exercises) | set(self.dormant)

    def _live_count(self) -> int:
        return len(self.exercises) + sum(not d.damaged for d in list(self.dormant.values()))

    def _damaged(self, exercise_id: str, error: Exception) -> None:
        reason = str(error) if isinstance(error, Damaged) else \
            f"cannot be rebuilt: {type(error).__name__}: {str(error)[:300]}"  # fmt: skip
        if not isinstance(error, Damaged):
            log.error("exercise %s", exercise_id, exc_info=error)
        log.warning("exercise %s is damaged: %s", exercise_id, reason)
        self.damaged[exercise_id] = reason
        try:
            self.store.set_status(exercise_id, DAMAGED, reason)
        except Exception:  # the database refuses even that: the reason stays in memory
            log.exception("exercise %s: cannot mark it damaged", exercise_id)

    def add(self, live: LiveExercise, active: float | None = None) -> None:
        """A new or rebuilt exercise joins the pacer; `active` is when it was
        last used (now for a new one)."""
        self.exercises[live.id] = live
        self._activity[live.id] = (live.seq, False, self.now() if active is None else active)

    def issue_tokens(self, live: LiveExercise) -> dict[str, str]:
        """The secret tokens of the roles beyond the three LiveExercise.create
        makes (the manager's): their hashes stored, the tokens returned."""
        tokens = {role: secrets.token_urlsafe(18) for role in EXTRA_ROLES}
        for role, token in tokens.items():
            self.store.add_token(live.id, role, token_hash(token))
            live.token_hashes[role] = token_hash(token)
        return tokens

    def has_room(self) -> bool:
        """Whether one more exercise may be created now (idle ones are
        archived to make room)."""
        if self._live_count() + self._pending >= self.settings.max_exercises:
            self.sweep()
        return self._live_count() + self._pending < self.settings.max_exercises

    @contextlib.contextmanager
    def admit(self) -> Iterator[None]:
        """Room for one more exercise while it is being created, or
        QuotaExceeded. Check and count happen without an await in between."""
        if not self.has_room():
            raise QuotaExceeded(self.settings.max_exercises)
        self._pending += 1
        try:
            yield
        finally:
            self._pending -= 1

    def sweep(self) -> list[str]:
        """Archive the exercises idle for `settings.idle_s`; their ids. One
        not used since start-up is idle from its last command on."""
        now, archived = self.now(), []
        for exercise_id, live in list(self.exercises.items()):
            seq, _, last = self._activity.get(exercise_id, (live.seq, False, now))
            watched = any(live.hub.viewers.values())
            if live.seq != seq or watched:
                self._activity[exercise_id] = (live.seq, watched, now)
            elif now - last >= self.settings.idle_s:
                self.archive(exercise_id)
                archived.append(exercise_id)
        for exercise_id, dormant in list(self.dormant.items()):
            if not dormant.damaged and now - dormant.last >= self.settings.idle_s:
                # Its saved clock is what a rebuild starts from: nothing to save.
                self.store.set_status(exercise_id, ARCHIVED, "idle")
                del self.dormant[exercise_id]
                log.info("exercise %s archived (idle)", exercise_id)
                archived.append(exercise_id)
        return archived

    def archive(self, exercise_id: str) -> None:
        """Drop an exercise from memory, saving its clock (paused) and marking
        it archived; its rows stay. Reopening rebuilds it from its log."""
        live = self.exercises[exercise_id]
        if live.clock.state == RUNNING:
            wall = time.monotonic()
            live.sync(wall)
            live.clock.pause(wall)
        self.store.save_clock(live.id, live.clock.state, live.sim.now, live.clock.speed)
        self.store.set_status(exercise_id, ARCHIVED, "idle")
        del self.exercises[exercise_id]
        self._activity.pop(exercise_id, None)
        log.info("exercise %s archived (idle)", exercise_id)

    def reopen(self, row: Exercise_) -> LiveExercise:
        """An archived exercise live again (counts against the limit);
        Damaged (and marked so) if it cannot be rebuilt."""
        with self.admit():
            try:
                live = LiveExercise.restore(row, self.store, self.settings)
                live.token_hashes.update(self.store.tokens(row.id))
                live.load_people()
            except Exception as e:
                self._damaged(row.id, e)
                raise Damaged(self.damaged[row.id]) from None
            self.store.set_status(row.id, None)
            self.add(live)
        return live

    def delete(self, exercise_id: str) -> bool:
        """Remove an exercise everywhere: its rows in every table, and from
        memory; its viewers get a `closed` message and their streams end.
        Whether it existed (deleting twice is harmless)."""
        found = self.store.delete(exercise_id)
        live = self.exercises.pop(exercise_id, None)
        self.dormant.pop(exercise_id, None)
        self.damaged.pop(exercise_id, None)
        self._activity.pop(exercise_id, None)
        if live is not None:
            if live.clock.state == RUNNING:
                live.clock.pause(time.monotonic())
            closed = json.dumps({"type": "closed", "t": live.sim.now}, separators=(",", ":"))
            live.hub.publish(dict.fromkeys(live.audiences(), closed))
        return found or live is not None

    def start(self) -> None:
        self._task = asyncio.create_task(self._pace())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _pace(self) -> None:
        last_ping = last_sweep = time.monotonic()
        while True:
            wall = time.monotonic()
            if wall - last_ping >= self.settings.ping_s:
                last_ping = wall
                # Snapshots: a worker thread may add a rebuilt exercise meanwhile.
                for exercise in list(self.exercises.values()):
                    exercise.hub.ping()
            if wall - last_sweep >= self.settings.sweep_s:
                last_sweep = wall
                try:
                    self.sweep()
                except Exception:  # the database may be away; try again next time
                    log.exception("cannot archive idle exercises")
            for exercise in list(self.exercises.values()):
                try:
                    exercise.tick(wall)
                except StorageUnavailable as e:
                    halt(exercise, str(e))
                except Exception:  # an engine fault stops that exercise's clock, not the server
                    log.exception("exercise %s: engine fault", exercise.id)
                    exercise.clock.pause(wall)
                    exercise.clock.sim0 = exercise.sim.now  # where the engine stands
            await asyncio.sleep(self.settings.tick_s)


FAULT = {
    "de": "Die Datenbank nimmt nichts mehr an; die Uhr ist angehalten und Befehle werden "
    "abgelehnt, bis sie wieder schreibbar ist (Betrieb verständigen).",
    "en": "The database takes no more writes; the clock is paused and commands are refused "
    "until it can be written again (tell the operator).",
}


def halt(live: LiveExercise, reason: str) -> None:
    """The database refused a write: pause the clock (nothing runs on that
    cannot be logged) and tell the facilitator and observers why, in the
    stream. The pause itself is not logged: a rebuilt exercise starts paused."""
    log.error("exercise %s: %s", live.id, reason)
    if live.clock.state == RUNNING:
        live.clock.pause(time.monotonic())
        live.clock.sim0 = live.sim.now  # where the engine stands
    message = {"type": "fault", "t": live.sim.now, "clock": live.clock.state,
               "message": FAULT, "detail": reason}  # fmt: skip
    live.hub.publish({"full": json.dumps(message, separators=(",", ":"))})


def _utc_seconds(wall: datetime) -> float:
    return (wall if wall.tzinfo else wall.replace(tzinfo=UTC)).timestamp()
