"""Exercise storage (SQLAlchemy): exercises and their append-only command log.

Every accepted command is written here before it is applied, so an exercise
can always be rebuilt from its scenario, seed and log. SQLite by default,
PostgreSQL with a postgresql:// URL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Exercise(Base):
    __tablename__ = "exercises"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(500))  # path under scenarios/ or "upload:<name>"
    bundle: Mapped[str] = mapped_column(Text)  # the validated scenario + company, as JSON
    seed: Mapped[int] = mapped_column(Integer)
    speed: Mapped[float] = mapped_column(Float)
    clock: Mapped[str] = mapped_column(String(16), default="paused")
    sim_time: Mapped[int] = mapped_column(Integer, default=0)  # last persisted, in seconds
    facilitator_hash: Mapped[str] = mapped_column(String(64))
    participant_hash: Mapped[str] = mapped_column(String(64))
    observer_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Entry(Base):
    """One accepted command of an exercise, in order (`seq` from 1)."""

    __tablename__ = "log"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    sim_time: Mapped[int] = mapped_column(Integer)
    wall_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class RequestKey(Base):
    """The Idempotency-Key of a request that was logged: a retried request
    (a double click, a lost answer) gets the first answer, even after a
    restart, and logs nothing new."""

    __tablename__ = "request_keys"
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "sim_time": self.sim_time,
            "wall_time": self.wall_time.isoformat(),
            "role": self.role,
            "kind": self.kind,
            "payload": self.payload,
        }


class Store:
    """The database behind the app; sync SQLAlchemy, short transactions."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def create(self, row: Exercise) -> None:
        with Session(self.engine) as s, s.begin():
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
        with Session(self.engine) as s, s.begin():
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
        with Session(self.engine) as s:
            rows = s.scalars(
                select(Entry).where(Entry.exercise_id == exercise_id).order_by(Entry.seq)
            )
            for r in rows:
                wall = r.wall_time.astimezone(UTC) if r.wall_time.tzinfo else r.wall_time.replace(
                    tzinfo=UTC)  # fmt: skip
                yield LogEntry(r.seq, r.sim_time, wall, r.role, r.kind, dict(r.payload))

    def save_clock(self, exercise_id: str, clock: str, sim_time: int, speed: float) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(Exercise)
                .where(Exercise.id == exercise_id)
                .values(clock=clock, sim_time=sim_time, speed=speed)
            )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers do not block the writer; synchronous=FULL: a commit survives
    # a killed process (and power loss) before the command is applied.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def now_utc() -> datetime:
    return datetime.now(UTC)


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
