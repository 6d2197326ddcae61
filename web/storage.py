"""Exercise storage (SQLAlchemy): exercises and their append-only command log.

Every accepted command is written here before it is applied, so an exercise
can always be rebuilt from its scenario, seed and log. SQLite by default,
PostgreSQL with a postgresql:// URL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from simulator.exercise.log import Checkpoint


class StorageUnavailable(Exception):
    """The database cannot take a write (disk full, file gone, server away)
    or cannot be opened; the message says which."""


class Base(DeclarativeBase):
    pass


class Exercise(Base):
    __tablename__ = "exercises"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(500))  # path under scenarios/ or "upload:<name>"
    bundle: Mapped[str] = mapped_column(Text)  # the validated scenario + company, as JSON
    # Seeds go up to 2^63 - 1 (simulator.model.schema.MAX_SEED), past PostgreSQL's
    # 32-bit INTEGER; simulated time fits (durations end at ten years) but is
    # 64-bit too, so no value the engine accepts overflows a column.
    seed: Mapped[int] = mapped_column(BigInteger)
    speed: Mapped[float] = mapped_column(Float)
    clock: Mapped[str] = mapped_column(String(16), default="paused")
    sim_time: Mapped[int] = mapped_column(BigInteger, default=0)  # last persisted, in seconds
    facilitator_hash: Mapped[str] = mapped_column(String(64))
    participant_hash: Mapped[str] = mapped_column(String(64))
    observer_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Entry(Base):
    """One accepted command of an exercise, in order (`seq` from 1)."""

    __tablename__ = "log"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    sim_time: Mapped[int] = mapped_column(BigInteger)
    wall_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Status(Base):
    """An exercise that is not live: archived (idle too long) or damaged (it
    could not be rebuilt at start-up). A table of its own, so databases from
    before it need no migration; an exercise without a row here is live."""

    __tablename__ = "exercise_status"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # archived, damaged
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


ARCHIVED, DAMAGED, LIVE = "archived", "damaged", "live"


class RequestKey(Base):
    """The Idempotency-Key of a request that was logged: a retried request
    (a double click, a lost answer) gets the first answer, even after a
    restart, and logs nothing new."""

    __tablename__ = "request_keys"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)


class EngineCheckpoint(Base):
    """The engine that runs an exercise, and its records at the last saved
    clock (count and digest): an engine of another version rebuilds the
    exercise only if it reproduces them. A table of its own (no migration);
    an exercise without a row was run by this version's predecessors."""

    __tablename__ = "engine_checkpoints"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    engine: Mapped[str] = mapped_column(String(40))
    sim_time: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(64))


class ExerciseToken(Base):
    """The hash of a further role's secret token (the manager's), beside the
    three kept in `exercises`. A table of its own, so databases from before it
    need no migration: their exercises simply have no manager link."""

    __tablename__ = "exercise_tokens"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))


class PersonToken(Base):
    """A named person's secret link (its token's hash) with what it grants:
    their role and team, and when they first opened it (attendance). Who the
    person is (name, function) is in the log's `person` entry; this table only
    maps a token to them. A table of its own: older databases need no migration."""

    __tablename__ = "exercise_people"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    person: Mapped[str] = mapped_column(String(24), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(80), nullable=True)
    hash: Mapped[str] = mapped_column(String(64))
    joined: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True)
class Known:
    """A stored exercise as start-up learns it, without reading its log."""

    id: str
    created: datetime
    last_active: datetime  # the last command's wall time, else the creation
    state: str | None  # archived, damaged, or None (live)


@dataclass(frozen=True)
class Summary:
    """A stored exercise as the archive lists it (no scenario text, no log)."""

    id: str
    scenario: str
    created: datetime
    clock: str  # the last saved clock state
    sim_time: int  # the last saved simulated time
    seed: int
    commands: int
    status: Status | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LogEntry:
    seq: int
    sim_time: int
    wall_time: datetime
    role: str
    kind: str
    payload: dict[str, Any]
    error: str | None = None  # an unreadable row: why (its payload is then {})

    def to_dict(self) -> dict[str, Any]:
        out = {
            "seq": self.seq,
            "sim_time": self.sim_time,
            "wall_time": self.wall_time.isoformat(),
            "role": self.role,
            "kind": self.kind,
            "payload": self.payload,
        }
        if self.error is not None:
            out["error"] = self.error
        return out


class Store:
    """The database behind the app; sync SQLAlchemy, short transactions."""

    def __init__(self, url: str, create: bool = True) -> None:
        """`create`: make missing tables (the server); a reader passes False.
        A database that cannot be opened raises StorageUnavailable."""
        self.engine: Engine = create_engine(url)
        self.file: Path | None = None  # an SQLite database's file
        self._identity: tuple[int, int] | None = None
        self._tables: set[str] = set()  # optional tables known to exist
        if self.engine.url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            name = self.engine.url.database
            if name and name != ":memory:" and not name.startswith("file:"):
                self.file = Path(name).resolve()
        try:
            if create:
                Base.metadata.create_all(self.engine)
            with self.engine.connect() as c:  # a file that is no database fails here
                c.execute(select(func.count()).select_from(Exercise))
        except SQLAlchemyError as e:
            self.engine.dispose()
            raise StorageUnavailable(f"cannot open the database: {_reason(e)}") from None
        if self.file is not None:
            st = self.file.stat()
            self._identity = (st.st_dev, st.st_ino)

    def check(self) -> None:
        """SQLite's quick integrity check (a damaged page deep in the file is
        found before the server starts, not in the middle of an exercise);
        StorageUnavailable with its first finding."""
        if self.engine.url.get_backend_name() != "sqlite":
            return
        try:
            with self.engine.connect() as c:
                found = [str(r[0]) for r in c.exec_driver_sql("PRAGMA quick_check(5)")]
        except SQLAlchemyError as e:
            raise StorageUnavailable(f"the database file is damaged: {_reason(e)}") from None
        if found != ["ok"]:
            findings = " ".join(" ".join(found).split())  # one line
            raise StorageUnavailable(f"the database file is damaged: {findings[:300]}")

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction, or StorageUnavailable: the caller refuses the
        command (503) instead of acknowledging what is not stored.

        SQLite keeps writing into a database file that was deleted or
        replaced under it (its open descriptor still works) and all of it
        would vanish at the next start; so the file's identity (device,
        inode) is checked before each write. A full disk or a database
        server that is away raises from the commit."""
        self._check_file()
        try:
            with Session(self.engine) as s, s.begin():
                yield s
        except SQLAlchemyError as e:
            raise StorageUnavailable(f"the database refused the write: {_reason(e)}") from None

    def _check_file(self) -> None:
        if self.file is None or self._identity is None:
            return
        try:
            st = self.file.stat()
        except OSError:
            raise StorageUnavailable(f"the database file {self.file} is gone") from None
        if (st.st_dev, st.st_ino) != self._identity:
            raise StorageUnavailable(f"the database file {self.file} was replaced")

    def close(self) -> None:
        self.engine.dispose()

    def create(self, row: Exercise) -> None:
        with self._writing() as s:
            s.add(row)

    def exercise(self, exercise_id: str) -> Exercise | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(Exercise, exercise_id)

    def exercises(self) -> list[Exercise]:
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(Exercise).order_by(Exercise.created)))

    def append(self, exercise_id: str, entry: LogEntry, key: str | None = None) -> None:
        """Write one command durably (committed) before it is applied, with
        the Idempotency-Key of its request in the same transaction."""
        with self._writing() as s:
            s.add(Entry(exercise_id=exercise_id, seq=entry.seq, sim_time=entry.sim_time,
                        wall_time=entry.wall_time, role=entry.role, kind=entry.kind,
                        payload=entry.payload))  # fmt: skip
            if key is not None:
                s.add(RequestKey(exercise_id=exercise_id, key=key, seq=entry.seq))

    def request_keys(self, exercise_id: str) -> dict[str, int]:
        """Idempotency-Key -> seq of the entry its request logged."""
        with Session(self.engine) as s:
            rows = s.execute(select(RequestKey.key, RequestKey.seq)
                             .where(RequestKey.exercise_id == exercise_id))  # fmt: skip
            return {key: seq for key, seq in rows}

    def log(self, exercise_id: str) -> Iterator[LogEntry]:
        """The log in order. A row whose payload is not a JSON object comes
        with `error` set (and an empty payload) instead of failing the read:
        the rest of the log stays readable."""
        # payload and wall time parsed here, where a fault is caught
        raw_wall, raw_payload = type_coerce(Entry.wall_time, Text), type_coerce(Entry.payload, Text)
        columns = (Entry.seq, Entry.sim_time, raw_wall, Entry.role, Entry.kind, raw_payload)
        with Session(self.engine) as s:
            rows = s.execute(
                select(*columns).where(Entry.exercise_id == exercise_id).order_by(Entry.seq)
            )
            for seq, sim_time, wall, role, kind, raw in rows:
                payload, error = _payload(raw)
                when = _wall_time(wall)
                if when is None:
                    when, error = EPOCH, error or f"wall time {str(wall)[:40]!r} is not a time"
                yield LogEntry(seq, sim_time, when, role, kind, payload, error)

    def known(self) -> list[Known]:
        """Every stored exercise with its creation, last command and status,
        oldest first: two queries, however many exercises and commands."""
        last = (select(Entry.exercise_id, func.max(Entry.wall_time).label("last"))
                .group_by(Entry.exercise_id).subquery())  # fmt: skip
        statuses = self.statuses()
        with Session(self.engine) as s:
            rows = s.execute(select(Exercise.id, Exercise.created, last.c.last)
                             .outerjoin(last, last.c.exercise_id == Exercise.id)
                             .order_by(Exercise.created))  # fmt: skip
            out = []
            for exercise_id, created, wall in rows:
                created = _utc(created)
                when = _wall_time(wall) if wall is not None else None
                status = statuses.get(exercise_id)
                out.append(Known(exercise_id, created, max(created, when or created),
                                 status.state if status else None))  # fmt: skip
            return out

    def summaries(self, exercise_id: str | None = None) -> list[Summary]:
        """Every stored exercise (or the one given) for the archive, oldest
        first, without its scenario text or log: two queries."""
        counts = select(Entry.exercise_id, func.count().label("n")).group_by(Entry.exercise_id)
        query = select(Exercise.id, Exercise.scenario, Exercise.created, Exercise.clock,
                       Exercise.sim_time, Exercise.seed)  # fmt: skip
        if exercise_id is not None:
            counts = counts.where(Entry.exercise_id == exercise_id)
            query = query.where(Exercise.id == exercise_id)
        n = counts.subquery()
        statuses = self.statuses()
        with Session(self.engine) as s:
            rows = s.execute(query.add_columns(n.c.n)
                             .outerjoin(n, n.c.exercise_id == Exercise.id)
                             .order_by(Exercise.created))  # fmt: skip
            return [Summary(i, scenario, _utc(created), clock, sim_time, seed, n or 0,
                            statuses.get(i))
                    for i, scenario, created, clock, sim_time, seed, n in rows]  # fmt: skip

    def add_token(self, exercise_id: str, role: str, digest: str) -> None:
        with self._writing() as s:
            s.add(ExerciseToken(exercise_id=exercise_id, role=role, hash=digest))

    def tokens(self, exercise_id: str) -> dict[str, str]:
        """role -> token hash of the roles beyond the three in `exercises`
        (none in a database from before the table, read without creating it)."""
        if not self._has(ExerciseToken.__tablename__):
            return {}
        with Session(self.engine) as s:
            rows = s.execute(select(ExerciseToken.role, ExerciseToken.hash)
                             .where(ExerciseToken.exercise_id == exercise_id))  # fmt: skip
            return {role: digest for role, digest in rows}

    def add_person(self, exercise_id: str, person: str, role: str, team: str | None,
                   digest: str) -> None:  # fmt: skip
        with self._writing() as s:
            s.add(PersonToken(exercise_id=exercise_id, person=person, role=role, team=team,
                              hash=digest))  # fmt: skip

    def person_token(self, exercise_id: str, person: str, role: str, team: str | None,
                     digest: str) -> None:  # fmt: skip
        """A person's link anew: the new token's hash replaces the old one
        (the old link opens nothing from now on); a person without a row (one
        a fork copied) gets one. Attendance (`joined`) is the person's: kept."""
        with self._writing() as s:
            done = s.execute(update(PersonToken)
                             .where(PersonToken.exercise_id == exercise_id,
                                    PersonToken.person == person)
                             .values(hash=digest))  # fmt: skip
            if not getattr(done, "rowcount", 0):
                s.add(PersonToken(exercise_id=exercise_id, person=person, role=role, team=team,
                                  hash=digest))  # fmt: skip

    def people(self, exercise_id: str) -> list[PersonToken]:
        """The named people's token rows of an exercise (none in a database
        from before the table, read without creating it)."""
        if not self._has(PersonToken.__tablename__):
            return []
        with Session(self.engine, expire_on_commit=False) as s:
            rows = list(s.scalars(select(PersonToken)
                                  .where(PersonToken.exercise_id == exercise_id)))  # fmt: skip
        for row in rows:  # SQLite gives naive datetimes back
            if row.joined is not None:
                row.joined = _utc(row.joined)
        return rows

    def person_joined(self, exercise_id: str, person: str, when: datetime) -> None:
        """Record when a person first opened their link (kept if already set)."""
        with self._writing() as s:
            s.execute(update(PersonToken)
                      .where(PersonToken.exercise_id == exercise_id,
                             PersonToken.person == person, PersonToken.joined.is_(None))
                      .values(joined=when))  # fmt: skip

    def with_token(self, role: str) -> set[str]:
        """The exercises that have a token for `role` in `exercise_tokens`."""
        if not self._has(ExerciseToken.__tablename__):
            return set()
        with Session(self.engine) as s:
            return set(s.scalars(select(ExerciseToken.exercise_id)
                                 .where(ExerciseToken.role == role)))  # fmt: skip

    def _has(self, table: str) -> bool:
        if table not in self._tables:
            if not inspect(self.engine).has_table(table):
                return False
            self._tables.add(table)
        return True

    def delete(self, exercise_id: str) -> bool:
        """Remove an exercise and everything stored of it, in one
        transaction; whether there was one (deleting twice is harmless)."""
        with self._writing() as s:
            found = s.get(Exercise, exercise_id) is not None
            for table in (RequestKey, Status, ExerciseToken, PersonToken, Entry):
                if self._has(table.__tablename__):
                    s.execute(delete(table).where(table.exercise_id == exercise_id))
            s.execute(delete(Exercise).where(Exercise.id == exercise_id))
        return found

    def fork(self, row: Exercise, entries: list[LogEntry], tokens: dict[str, str]) -> None:
        """A new exercise `row` with `entries` as its log and `tokens` (role ->
        hash) for the roles beyond the three in `row`, in one transaction."""
        with self._writing() as s:
            s.add(row)
            s.flush()  # the exercise row first: the others refer to it
            for entry in entries:
                s.add(Entry(exercise_id=row.id, seq=entry.seq, sim_time=entry.sim_time,
                            wall_time=entry.wall_time, role=entry.role, kind=entry.kind,
                            payload=entry.payload))  # fmt: skip
            for role, digest in tokens.items():
                s.add(ExerciseToken(exercise_id=row.id, role=role, hash=digest))

    def exercise_ids(self) -> list[str]:
        with Session(self.engine) as s:
            return list(s.scalars(select(Exercise.id).order_by(Exercise.created)))

    def commands(self, exercise_id: str) -> int:
        """The number of log entries of an exercise."""
        with Session(self.engine) as s:
            count = s.scalar(select(func.count()).where(Entry.exercise_id == exercise_id))
        return count or 0

    def last_active(self, exercise_id: str) -> datetime | None:
        """The wall time of the last command, or None without one."""
        with Session(self.engine) as s:
            wall = s.scalar(select(func.max(Entry.wall_time))
                            .where(Entry.exercise_id == exercise_id))  # fmt: skip
        return None if wall is None else _utc(wall)

    def status(self, exercise_id: str) -> Status | None:
        """Why an exercise is not live (archived, damaged), or None."""
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(Status, exercise_id)

    def statuses(self) -> dict[str, Status]:
        """Every exercise that is not live, by id (none in a database from
        before the table, read without creating it)."""
        if not inspect(self.engine).has_table(Status.__tablename__):
            return {}
        with Session(self.engine, expire_on_commit=False) as s:
            return {row.exercise_id: row for row in s.scalars(select(Status))}

    def set_status(self, exercise_id: str, state: str | None, reason: str = "") -> None:
        """Mark an exercise archived or damaged (`state`), or live again (None)."""
        with self._writing() as s:
            row = s.get(Status, exercise_id)
            if state is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(Status(exercise_id=exercise_id, state=state, reason=reason, at=now_utc()))
            else:
                row.state, row.reason, row.at = state, reason, now_utc()

    def save_clock(self, exercise_id: str, clock: str, sim_time: int, speed: float,
                   checkpoint: tuple[str, Checkpoint] | None = None) -> None:  # fmt: skip
        """The clock (and the engine's checkpoint there) in one transaction."""
        with self._writing() as s:
            s.execute(
                update(Exercise)
                .where(Exercise.id == exercise_id)
                .values(clock=clock, sim_time=sim_time, speed=speed)
            )
            if checkpoint is not None:
                engine, cp = checkpoint
                s.merge(EngineCheckpoint(exercise_id=exercise_id, engine=engine,
                                         sim_time=cp.sim_time, records=cp.records,
                                         digest=cp.digest))  # fmt: skip

    def checkpoint(self, exercise_id: str) -> tuple[str, Checkpoint] | None:
        """The engine version and checkpoint last saved for an exercise."""
        with Session(self.engine) as s:
            row = s.get(EngineCheckpoint, exercise_id)
            if row is None:
                return None
            return row.engine, Checkpoint(sim_time=row.sim_time, records=row.records,
                                          digest=row.digest)  # fmt: skip


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers do not block the writer; synchronous=FULL: a commit survives
    # a killed process (and power loss) before the command is applied.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _reason(error: SQLAlchemyError) -> str:
    """The driver's own message, one line (no SQL, no traceback)."""
    orig = getattr(error, "orig", None)
    return " ".join(str(orig or error).split())[:300]


def _payload(raw: Any) -> tuple[dict[str, Any], str | None]:
    """A stored payload as a dict, or ({}, why not). PostgreSQL's driver hands
    over JSON parsed, SQLite's the text."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as e:
            return {}, f"payload is not valid JSON ({e})"
    if not isinstance(raw, dict):
        return {}, f"payload is not a JSON object but {type(raw).__name__}"
    return raw, None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _wall_time(raw: Any) -> datetime | None:
    if isinstance(raw, datetime):
        return _utc(raw)
    try:
        return _utc(datetime.fromisoformat(str(raw)))
    except ValueError:
        return None


def _utc(wall: datetime) -> datetime:
    # SQLite keeps no time zone: its datetimes are naive, written in UTC.
    return wall.astimezone(UTC) if wall.tzinfo else wall.replace(tzinfo=UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
