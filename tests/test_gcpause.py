"""Pausing the cyclic collector around bulk building (simulator/model/gcpause.py)."""

from __future__ import annotations

import gc
import weakref

from simulator.model.gcpause import BULK, paused_gc


class Node:
    """A tracked object; `other` makes cycles."""

    other: Node | None = None


def test_the_collector_is_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer block restores it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_a_block_built_is_old_at_once_and_nothing_stays_frozen() -> None:
    gc.collect()
    with paused_gc():
        built = [Node() for _ in range(BULK + 1)]
        assert gc.get_count()[0] > BULK  # the young generation's count, unscanned
    assert gc.get_freeze_count() == 0
    assert any(o is built for o in gc.get_objects(generation=2))


def test_a_small_block_leaves_the_young_generation_alone() -> None:
    """Young garbage from before (a finished simulation's cycles) must not
    be aged by every small block, e.g. each what-if variant's compile."""
    gc.collect()
    with paused_gc():
        built = [Node() for _ in range(1_000)]
    assert not any(o is built for o in gc.get_objects(generation=2))


def test_cyclic_garbage_of_a_block_is_still_collected() -> None:
    with paused_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # a cycle: reference counting cannot free it
    gc.collect()
    assert gone() is None
