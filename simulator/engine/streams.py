"""Independent, reproducible random streams.

Each source of randomness (a restore time, a hazard) draws from its own
`random.Random`, seeded from the run's seed and the source's name through
BLAKE2b. Streams therefore do not shift when another source draws more or
less, results are identical in any process (unlike `hash()`, which is salted
per process), and Monte Carlo replications get common random numbers.
"""

from __future__ import annotations

import hashlib
import random


def stream_seed(seed: int, name: str) -> int:
    """A 64-bit seed for the stream `name` of a run seeded with `seed`."""
    digest = hashlib.blake2b(f"{seed}/{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Streams:
    """The random streams of one run, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        rng = self._streams.get(name)
        if rng is None:
            rng = self._streams[name] = random.Random(stream_seed(self.seed, name))
        return rng
