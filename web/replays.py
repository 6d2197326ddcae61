"""Replays of stored exercises for the replay page, kept between requests.

A replay page asks for one simulated second after another (a slider, play
at some speed), mostly forwards. Replaying the log from the start for each
would cost a full replay per request, so the last few exercises replayed
keep a `Scrubber` (simulator.exercise.scrub), which plays on from where it
stands and starts over only when asked for an earlier second.

Memory: at most `kept` scrubbers (least recently used dropped), each one
exercise's engine state — as much as one live exercise — so the cache
holds at most `kept` exercises' worth (default 4).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from simulator.exercise.audience import FULL
from simulator.exercise.log import LogEntry, LogHeader
from simulator.exercise.scrub import Scrubber
from simulator.exercise.views import Publication

KEPT = 4


class Replays:
    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._lock = threading.Lock()  # guards the dict; each scrubber has its own
        self._scrubbers: OrderedDict[str, tuple[threading.Lock, Scrubber]] = OrderedDict()

    def _slot(self, key: str, header: LogHeader,
              entries: Sequence[LogEntry]) -> tuple[threading.Lock, Scrubber, bool]:  # fmt: skip
        with self._lock:
            slot = self._scrubbers.get(key)
            if slot is not None:
                self._scrubbers.move_to_end(key)
                return slot[0], slot[1], False
        scrubber = Scrubber(header, entries)  # may raise LogError: outside the lock
        with self._lock:
            slot = self._scrubbers.setdefault(key, (threading.Lock(), scrubber))
            self._scrubbers.move_to_end(key)
            while len(self._scrubbers) > self.kept:
                self._scrubbers.popitem(last=False)
            return slot[0], slot[1], slot[1] is scrubber

    def forget(self, key: str) -> None:
        with self._lock:
            self._scrubbers.pop(key, None)

    def moment(self, key: str, header: LogHeader, entries: Sequence[LogEntry], t: int,
               end: int) -> dict[str, Any]:  # fmt: skip
        """The full-audience state message of the exercise at second `t`
        (as the live console's stream sends it), with the asset states and
        where the exercise stands (`end`). Runs in a worker thread."""
        lock, scrubber, new = self._slot(key, header, entries)
        with lock:
            if not new:
                scrubber.extend(entries)
            exercise = scrubber.at(t)
            publication = Publication(exercise, init_feed=len(exercise.log) + 1)
            publication.sent()
            message = publication.message(FULL, full=True)
            c = exercise.sim.cascade
            message["assets"] = [{"id": asset, "state": c.state(a), "capacity": c.cap[a]}
                                 for a, asset in enumerate(exercise.sim.model.ids)]  # fmt: skip
            message["clock"] = "ended" if exercise.ended else "replay"
        message["speed"] = 0
        message["end"] = end
        return message
