"""Pausing Python's cyclic garbage collector around bulk building.

Loading or compiling a large company creates millions of objects without
reference cycles; the collector's repeated scans of the growing heap took
3/4 of the load time of a 100k-asset company. Reference counting still
frees everything as usual.

When a block has built in bulk, what it built is moved to the oldest
generation at once (`gc.freeze()` then `gc.unfreeze()`: the permanent
generation is emptied into the oldest), instead of the collector's next pass
over the young generation walking those millions of objects (half a second
at 100k assets). Nothing stays frozen: the oldest generation is scanned by
the full collections as usual, so cyclic garbage is still found, only later.
A small block (a what-if variant compiling the dairy) leaves the young
generation alone: moving it would also age the young garbage of the
simulations before it, which a server or a Monte Carlo loop makes often.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

BULK = 100_000
"""Objects a block must have left in the young generation (allocations less
releases, as `gc.get_count()` counts them) to have them aged at once: a
thousand-asset company's load, not a small one's."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (also as a decorator)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] > BULK:
                gc.freeze()
                gc.unfreeze()  # all in the oldest generation, none left frozen
            gc.enable()

