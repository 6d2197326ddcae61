"""How much data a destroyed data asset loses: back to its last good backup.

The backup schedule (`backup:` of a data asset):

- backups are taken at `offset + k × interval` for every whole k — the
  schedule runs before the scenario start too, so the start itself is a
  backup only if the schedule puts one there (`offset` 0 or a multiple of the
  interval). With `interval: 24h, offset: 2h`, an asset destroyed at 1 h lost
  23 h (since the backup at −22 h), not 1 h;
- offline copies are taken at `offset + k × offline_interval`, on the same
  offset (the weekly tape is written by the same nightly job);
- a backup falls due only while the asset is up: none is taken while it is
  down (flooded, its host dark, encrypted). A backup due in the very second
  the asset goes down is taken (it ran in that second);
- a destroyed asset loses what changed between its last good backup and the
  moment it went down — not the moment the water falls or its restore
  starts: nothing is written while it is down. If it was destroyed before and
  came back after that backup, only what changed since its return is lost
  now (the earlier loss was counted then);
- without a backup (or with every copy in a compromised trust domain and no
  offline copies), everything since the scenario start is lost: the run
  knows nothing older, so the figure is a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.engine.records import EPSILON, EVENT_STATE, Record
from simulator.model.schema import Backup

Stretch = tuple[int, int]  # [start, end) seconds an asset was down


def scheduled_at_or_before(t: int, interval: int, offset: int) -> int:
    """The last time of the schedule `offset + k × interval` at or before `t`
    (negative before the scenario start)."""
    return t - (t - offset) % interval


def last_taken(t: int, interval: int, offset: int, down: Sequence[Stretch]) -> int:
    """The last scheduled backup at or before `t` that fell while the asset
    was up; `down` are the earlier down stretches in time order, all before `t`."""
    b = scheduled_at_or_before(t, interval, offset)
    for start, end in reversed(down):
        if b >= end:
            break  # up at b: earlier stretches ended even before
        if start < b:  # b fell while down: the one before the stretch began
            b = scheduled_at_or_before(start, interval, offset)
    return b


def down_history(
    records: Iterable[Record], asset: str, down_now: bool
) -> tuple[list[Stretch], int | None]:
    """The finished down stretches of `asset` from the state records, and the
    start of the current one (None if it is not down now; 0 if it has been
    down since the start without a record, as an idle standby)."""
    stretches: list[Stretch] = []
    start: int | None = None
    for r in records:
        if r.event != EVENT_STATE or r.asset != asset or r.before is None or r.after is None:
            continue
        if r.before > EPSILON >= r.after:
            start = r.t
        elif r.after > EPSILON >= r.before:
            stretches.append((0 if start is None else start, r.t))
            start = None
    if down_now and start is None:
        start = 0
    return stretches, (start if down_now else None)


def seconds_lost(
    backup: Backup | None,
    compromised: bool,
    went_down: int,
    down: Sequence[Stretch],
    returned: int | None,
) -> int:
    """Seconds of data lost by an asset destroyed at `went_down` (the start of
    its current down stretch). `compromised`: its backup store was encrypted
    too, only offline copies count. `returned`: when it came back after its
    previous destruction, if it was destroyed before."""
    good: int | None = None
    if backup is not None:
        interval = backup.offline_interval if compromised else backup.interval
        if interval is not None:
            good = last_taken(went_down, interval, backup.offset, down)
    since = 0 if good is None else good
    if returned is not None:
        since = max(since, returned)
    return went_down - since
