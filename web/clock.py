"""The exercise clock: simulated time as a function of wall time.

An anchor pair (wall₀, sim₀) and a speed give `target = sim₀ + (wall − wall₀) ·
speed`; pause, resume, speed changes and jumps only re-anchor. Nothing inside
SimPy changes, and nothing here sleeps (never simpy.rt in a server: it blocks
in time.sleep and stamps injects late).
"""

from __future__ import annotations

from dataclasses import dataclass

RUNNING, PAUSED, ENDED = "running", "paused", "ended"


@dataclass
class Clock:
    sim0: int  # simulated seconds at the anchor
    wall0: float  # monotonic wall seconds at the anchor
    speed: float  # simulated seconds per real second
    state: str = PAUSED
    horizon: int | None = None

    def target(self, wall: float) -> int:
        """Simulated time the exercise should have reached at `wall`."""
        if self.state != RUNNING:
            return self.sim0
        t = self.sim0 + int(max(0.0, wall - self.wall0) * self.speed)
        return t if self.horizon is None else min(t, self.horizon)

    def start(self, wall: float) -> None:
        """Run from where the clock stands (start and resume are the same)."""
        if self.state == PAUSED:
            self.wall0, self.state = wall, RUNNING

    def pause(self, wall: float) -> None:
        if self.state == RUNNING:
            self.sim0, self.wall0, self.state = self.target(wall), wall, PAUSED

    def end(self, wall: float) -> None:
        self.sim0, self.wall0, self.state = self.target(wall), wall, ENDED

    def set_speed(self, wall: float, speed: float) -> None:
        self.sim0, self.wall0, self.speed = self.target(wall), wall, speed

    def jump(self, wall: float, to: int) -> None:
        """Move on to `to` (never back); a running clock keeps running from there."""
        self.sim0, self.wall0 = max(self.target(wall), to), wall
        if self.horizon is not None:
            self.sim0 = min(self.sim0, self.horizon)
