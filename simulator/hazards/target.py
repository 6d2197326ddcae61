"""What a hazard sees of the simulated company and may do to it.

Hazards are SimPy processes that play on a `Target`: the engine's
`Target` is one, by its shape (a `Protocol`), so the hazards never import
the engine and the engine imports the hazard catalogue without a circle. The
interface is kept small on purpose: a hazard damages and heals assets, notes
its milestones, reads the company's topology and draws from its own random
stream; everything else (the cascade, records, teams) stays the engine's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from simulator.terms.kinds import AssetKind

if TYPE_CHECKING:
    import simpy


class Topology(Protocol):
    """The compiled company as far as hazards read it (indices are asset numbers)."""

    @property
    def ids(self) -> Sequence[str]: ...
    @property
    def index(self) -> Mapping[str, int]: ...
    @property
    def kinds(self) -> Sequence[AssetKind]: ...
    @property
    def recovery(self) -> Collection[int]:
        """Assets a recovery team restores."""
        ...
    @property
    def trust(self) -> Mapping[int, tuple[str, ...]]:
        """Asset -> the trust domains it belongs to (an attacker's way in)."""
        ...
    @property
    def domains(self) -> Mapping[str, Sequence[int]]:
        """Trust domain -> its members."""
        ...
    @property
    def flood(self) -> Mapping[int, tuple[str, float, int]]:
        """Asset -> (gauge, water level in m at which it floods, cleanup s)."""
        ...


class Target(Protocol):
    """The running simulation a hazard acts on."""

    @property
    def env(self) -> simpy.Environment: ...
    @property
    def now(self) -> int: ...
    @property
    def model(self) -> Topology: ...
    @property
    def streams(self) -> Callable[[str], random.Random]:
        """The run's random stream of a name (a hazard draws from its own)."""
        ...

    def damage(self, asset: str, capacity: float, cause: str, *, until_restored: bool,
               compromised: frozenset[str] = frozenset(),
               destroys: bool | None = None) -> None: ...  # fmt: skip
    def heal(self, asset: str, cause: str) -> None: ...
    def note(self, event: str, asset: str | None, cause: str, detail: str | None) -> None: ...
    def milestone(self, cause: str, what: str) -> None: ...
    def trigger(self, inject_id: str) -> None: ...
    def on_detect(self, cause: str, detected: Callable[[], None]) -> None: ...
    def set_team_absence(self, team: str, absence: float) -> None: ...
    def is_isolated(self, asset: str, dep_type: str = "cyber") -> bool: ...
