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
    func,
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

    def append(self, exercise_id: str, entry: LogEntry) -> None:
        """Write one command durably (committed) before it is applied."""
        with Session(self.engine) as s, s.begin():
            s.add(Entry(exercise_id=exercise_id, seq=entry.seq, sim_time=entry.sim_time,
                        wall_time=entry.wall_time, role=entry.role, kind=entry.kind,
                        payload=entry.payload))  # fmt: skip

    def log(self, exercise_id: str) -> Iterator[LogEntry]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(Entry).where(Entry.exercise_id == exercise_id).order_by(Entry.seq)
            )
            for r in rows:
                yield LogEntry(r.seq, r.sim_time, _utc(r.wall_time), r.role, r.kind,
                               dict(r.payload))  # fmt: skip

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
        """Every exercise that is not live, by id."""
        with Session(self.engine, expire_on_commit=False) as s:
            return {row.exercise_id: row for row in s.scalars(select(Status))}

    def set_status(self, exercise_id: str, state: str | None, reason: str = "") -> None:
        """Mark an exercise archived or damaged (`state`), or live again (None)."""
        with Session(self.engine) as s, s.begin():
            row = s.get(Status, exercise_id)
            if state is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(Status(exercise_id=exercise_id, state=state, reason=reason, at=now_utc()))
            else:
                row.state, row.reason, row.at = state, reason, now_utc()

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


def _utc(wall: datetime) -> datetime:
    # SQLite keeps no time zone: its datetimes are naive, written in UTC.
    return wall.astimezone(UTC) if wall.tzinfo else wall.replace(tzinfo=UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
