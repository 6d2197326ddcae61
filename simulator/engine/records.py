"""The engine's output: a flat, append-only stream of named records (Ciw style).

Every change the engine makes is one `Record`; summaries and plots are built
from the stream outside the engine.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

State = Literal["up", "degraded", "down", "standby"]

EVENT_STATE = "state"  # an asset's capacity changed
EVENT_INJECT = "inject"  # a scheduled or facilitator inject was applied
EVENT_DECISION = "decision"  # a player decision was applied
EVENT_BUFFER_EMPTY = "buffer_empty"  # a buffer ran dry
EVENT_RESUPPLY = "resupply"  # a delivery refilled a buffer
EVENT_RESTORE_START = "restore_start"  # a recovery team began restoring an asset
EVENT_RESTORE_DONE = "restore_done"
EVENT_DATA_LOSS = "data_loss"  # a data asset lost the changes since its last backup

EPSILON = 1e-9


def state_of(capacity: float) -> State:
    """up at full capacity, down at none, degraded in between."""
    if capacity >= 1 - EPSILON:
        return "up"
    if capacity <= EPSILON:
        return "down"
    return "degraded"


class Record(NamedTuple):
    """One thing that happened, at `t` whole seconds after the scenario start.

    For `event == "state"`: `asset` went from `before` to `after` capacity and
    is now in `state`. `cause` names what did it: "inject:<id>", "decision:<n>",
    "hazard:<n>", "asset:<id>" (an upstream asset), "restore", "restart",
    "buffer:<asset>/<buffer>", ... `detail` carries free text or a figure
    (hours of data lost, buffer name). A named tuple: the engine makes one per
    change, and tuples are the cheapest immutable records Python builds.
    """

    seq: int
    t: int
    event: str
    asset: str | None = None
    before: float | None = None
    after: float | None = None
    state: State | None = None
    cause: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with a stable key order, for JSON Lines."""
        return {
            "seq": self.seq,
            "t": self.t,
            "event": self.event,
            "asset": self.asset,
            "before": self.before,
            "after": self.after,
            "state": self.state,
            "cause": self.cause,
            "detail": self.detail,
        }
