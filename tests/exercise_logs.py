"""Exercise logs written by hand for tests: entries from short rows."""

from __future__ import annotations

from typing import Any

from simulator.exercise.log import LogEntry, entry


def log(*rows: tuple[Any, ...]) -> list[LogEntry]:
    """Entries numbered from 1, each row (sim_time, kind, payload) — a
    participant's, through the role's link — or (sim_time, actor, kind,
    payload)."""
    out = []
    for seq, row in enumerate(rows, 1):
        t, actor, kind, payload = row if len(row) == 4 else (row[0], "participant", *row[1:])
        out.append(entry({"seq": seq, "sim_time": t, "actor": actor, "kind": kind,
                          "payload": payload}))  # fmt: skip
    return out
