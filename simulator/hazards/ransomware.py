"""Cyberattack / ransomware: intrusion, lateral movement, encryption.

The attacker gets in at `entry` and moves laterally through trust domains
(a shared Active Directory domain, a flat network): once a host of a domain
is compromised, every other member falls after an exponential time with mean
`spread_time` (an SI epidemic on the trust layer, after Chernikova et al.
2023, kept separate from the functional dependencies). After the `dwell`
time the attacker detonates: every compromised host is encrypted
`encrypt_time` later and stays down until restored; hosts reached after that
are encrypted as they fall. Data loses everything since its last good
backup, and a backup store inside a compromised domain is encrypted too.

Only IT assets (kinds it_system, application, data) can be compromised:
production equipment (a cheese vat, a UHT plant, a boiler) is not a host;
it stops when the process control it needs is encrypted, through the
cascade. The validation rejects `trust` domains on other kinds and an
`entry` that is not an IT asset; `infect` ignores them as well.

Containment is the players' move: an asset isolated from cyber dependencies
can neither be reached nor reach further (and its dependents lose it —
isolation often hurts more than the encryption: Norsk Hydro 2019,
Südwestfalen-IT 2023). Detection — after `detect_after`, or when a `detect`
command names the hazard's id (the facilitator's inject) — evicts the
attacker: no further spread, but what is compromised still detonates.

Defaults and the figures behind them (shared/reference/bcm-model-reference.md §2.1):
- `dwell` 4 days: Mandiant M-Trends median ransomware dwell ~4 days (2021);
  Anhalt-Bitterfeld 2021: planted 2 Jul, detected 6 Jul.
- `encrypt_time` 45 min: Splunk SURGE, median variant encrypts ~100k files in
  42 min 52 s.
- `spread_time` 6 h: an assumption; Norsk Hydro lost 22,000 computers at 170
  sites within a night once AD was taken, so hours, not days, inside a domain.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from simulator.hazards.draw import fixed
from simulator.terms.durations import Duration, DurationOrDist
from simulator.terms.kinds import IT_KINDS

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target

EVENT_COMPROMISED = "compromised"
EVENT_DETECTED = "detected"
EVENT_ENCRYPTED = "encrypted"


class Ransomware(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    type: Literal["ransomware"]
    entry: Annotated[str, Field(min_length=1)]
    dwell: DurationOrDist = 4 * 86400
    spread_time: Duration = Field(default=6 * 3600, gt=0)
    encrypt_time: DurationOrDist = 45 * 60
    detect_after: DurationOrDist | None = None


class _Attack:
    """The state of one attack: who is compromised, what is encrypted."""

    def __init__(self, sim: Target, spec: Ransomware, cause: str) -> None:
        self.sim, self.spec, self.cause = sim, spec, cause
        self.rng = sim.streams(f"{cause}/spread")
        self.compromised: set[str] = set()
        self.domains: set[str] = set()
        self.detonated = False
        self.evicted = False
        self.encrypted: set[str] = set()

    def detect(self) -> None:
        """The attack is found: the attacker is evicted and spreads no further;
        what is compromised still detonates."""
        if not self.evicted:
            self.evicted = True
            self.sim.note(EVENT_DETECTED, self.spec.entry, self.cause,
                          f"{len(self.compromised)} compromised")  # fmt: skip

    def infect(self, asset: str) -> None:
        sim = self.sim
        if asset in self.compromised or self.evicted or sim.is_isolated(asset):
            return
        m = sim.model
        if m.kinds[m.index[asset]] not in IT_KINDS:  # equipment is no host
            return
        self.compromised.add(asset)
        sim.note(EVENT_COMPROMISED, asset, self.cause, None)
        if self.detonated:
            self._encrypt_later(asset)
        for domain in m.trust.get(m.index[asset], ()):
            if domain not in self.domains:
                self.domains.add(domain)
                for member in m.domains[domain]:
                    name = m.ids[member]
                    if name not in self.compromised:
                        delay = round(self.rng.expovariate(1 / self.spec.spread_time))
                        self._after(delay, self._reach, name, domain)

    def _reach(self, asset: str, domain: str) -> None:
        """The attacker reaches `asset` from inside `domain` if some
        compromised member of it is still connected."""
        m = self.sim.model
        if any(
            m.ids[x] in self.compromised and not self.sim.is_isolated(m.ids[x])
            for x in m.domains[domain]
        ):
            self.infect(asset)

    def detonate(self) -> None:
        self.detonated = True
        for asset in sorted(self.compromised, key=self.sim.model.index.__getitem__):
            self._encrypt_later(asset)

    def _encrypt_later(self, asset: str) -> None:
        self._after(fixed(self.spec.encrypt_time), self._encrypt, asset)

    def _encrypt(self, asset: str) -> None:
        if asset in self.encrypted:
            return
        self.encrypted.add(asset)
        self.sim.note(EVENT_ENCRYPTED, asset, self.cause, None)
        self.sim.damage(
            asset, 0.0, self.cause, until_restored=True, compromised=frozenset(self.domains)
        )

    def _after(self, delay: int, fn: Any, *args: str) -> None:
        timer = self.sim.env.timeout(delay)
        timer.callbacks.append(lambda _e: fn(*args))


def run(sim: Target, spec: Ransomware, cause: str) -> Generator[simpy.Event, Any, None]:
    """Compromise `entry` now, detect and detonate at their times."""
    attack = _Attack(sim, spec, cause)
    sim.on_detect(cause, attack.detect)
    attack.infect(spec.entry)
    milestones = [(fixed(spec.dwell), "detonate")]
    if spec.detect_after is not None:
        milestones.append((fixed(spec.detect_after), "detect"))
    start = sim.now
    for at, what in sorted(milestones):
        if start + at > sim.now:
            yield sim.env.timeout(start + at - sim.now)
        if what == "detect":
            attack.detect()
        else:
            attack.detonate()
