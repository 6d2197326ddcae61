"""The exercise log as exported: what `GET /api/exercises/{id}/log` returns.

One function makes its text, for the download and for the after-action
report's hash, so the SHA-256 the report prints is the SHA-256 of the file
the same page offers (`sha256sum` on the download proves the report is of
that log). JSON Lines: the header (scenario, seed, engine, bundle hash and
the checkpoint of now), then every entry in the caller's view.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from simulator.exercise.audience import FULL, Numbering, header_view
from simulator.exercise.log import LogHeader, make_header
from simulator.model.schema import ScenarioBundle
from web.live import Manager, typed_entry
from web.storage import Exercise
from web.storage import LogEntry as StoredEntry


def export_header(manager: Manager, row: Exercise, bundle: ScenarioBundle | None,
                  hashed: bool = True) -> LogHeader:  # fmt: skip
    """The header of the exported log. A live exercise's ends at now (its
    checkpoint, taken on the event loop); a stored one's at its saved
    checkpoint; a damaged one's says what is known. `hashed=False` leaves the
    bundle's hash to be added later (`with_bundle_hash`, in a worker thread)."""
    about = {"exercise": row.id, "scenario": row.scenario}
    live = manager.exercises.get(row.id)
    if live is not None:
        header = make_header(live.bundle, row.seed, hashed=hashed, **about)
        return header.model_copy(update={"checkpoint": live.exercise.checkpoint()})
    if bundle is not None:
        saved = manager.store.checkpoint(row.id)
        return make_header(bundle, row.seed, hashed=hashed, **about).model_copy(update={
            "engine": saved[0] if saved else None, "checkpoint": saved[1] if saved else None})
    return LogHeader(seed=row.seed, scenario_id=scenario_id(row.bundle), exercise=row.id,
                     scenario=row.scenario)  # fmt: skip


def with_bundle_hash(header: LogHeader) -> LogHeader:
    """The header with its bundle's hash (a canonical dump of the company: seconds)."""
    if header.bundle is None or header.bundle_hash is not None:
        return header
    return header.model_copy(update={"bundle_hash": make_header(header.bundle, 0).bundle_hash})


def export_text(header: LogHeader, rows: Iterable[StoredEntry], audience: str,
                bundle: ScenarioBundle | None) -> str:  # fmt: skip
    """The log's JSON Lines in `audience`'s view: the header, then each stored
    row (an unreadable one marked with `error`, for the full view only). A
    player's entries are numbered 1, 2, 3 … among those they see, as in their
    feed (audience.Numbering): the log's seq would count the hidden ones."""
    lines = [header_view(audience, header).model_dump_json(exclude_none=True)]
    numbering = Numbering(audience, bundle) if bundle is not None else None
    for stored in rows:
        if stored.error is not None or bundle is None:
            if audience == FULL:  # an unreadable row, marked
                lines.append(json.dumps(stored.to_dict(), ensure_ascii=False, allow_nan=False))
            continue
        try:
            entry = typed_entry(stored)
        except ValueError as e:
            if audience == FULL:
                lines.append(json.dumps({**stored.to_dict(), "error": str(e)[:300]},
                                        ensure_ascii=False, allow_nan=False))  # fmt: skip
            continue
        assert numbering is not None  # bundle is not None
        if entry.seq <= numbering.taken:  # a row out of order (a damaged log): not shown
            continue
        numbering.pass_over(entry.seq - 1)  # unreadable rows before it: not shown
        numbering.take(entry.to_dict())
        view = numbering.view(entry.to_dict())
        if view is not None:
            lines.append(json.dumps(view, ensure_ascii=False, allow_nan=False))
    return "\n".join(lines) + "\n"


def export_sha256(text: str) -> str:
    """The SHA-256 of the exported log's bytes (UTF-8), as the report prints it."""
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_id(bundle_json: str) -> str | None:
    """The scenario's id from a stored bundle, None if it cannot be read."""
    try:
        found = json.loads(bundle_json)["scenario"]["scenario"]["id"]
    except (ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None
