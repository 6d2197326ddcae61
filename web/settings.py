"""Settings of the web app, passed to `create_app` (nothing is read at import)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.readwrite.bundled import BUNDLED_SCENARIOS

DEFAULT_SCENARIOS: Path = BUNDLED_SCENARIOS


@dataclass(frozen=True)
class Settings:
    db_url: str = "sqlite:///tabletop.db"
    scenarios_dir: Path = DEFAULT_SCENARIOS
    tick_s: float = 0.1  # pacer period: an inject takes effect within one tick
    publish_s: float = 0.25  # at most this often a combined update per exercise
    max_speed: float = 1440.0  # a simulated day per real minute
    history: int = 2000  # stream events kept for Last-Event-ID resumption
    queue: int = 64  # events buffered per viewer; a slower one gets a full state instead
    save_s: float = 1.0  # a running clock's simulated time is saved this often
    ping_s: float = 15.0  # a comment line to every viewer this often (idle connections)
    demo: str | None = None  # create an exercise on this scenario at start-up, print its links
    # The links handed out (API `links`, the created page) start with this
    # base URL; without one they are relative (the browser completes them),
    # never built from the request's Host header.
    public_url: str | None = None
    server_url: str = "http://127.0.0.1:8000"  # where serve listens: printed demo links
    # The administrator's secret (the archive of every exercise, /admin). Never
    # in the repository: `tabletop serve` takes --admin-token or
    # TABLETOP_ADMIN_TOKEN, else makes one per start and prints the link.
    # Without one (tests), the archive is closed to everyone.
    admin_token: str | None = None
    # Limits (README "Limits"): anonymous visitors may create exercises, so
    # their number in memory is capped, and an idle one is archived (kept in
    # the database with its log, no longer in memory).
    max_exercises: int = 50  # live exercises at once; one more is refused (429)
    idle_s: float = 48 * 3600.0  # no command and no viewer this long: archived
    sweep_s: float = 60.0  # how often the pacer looks for idle exercises
    # --- limits: what one request or one exercise may cost (documented in README.md)
    upload_bytes: int = 32 * 1024 * 1024  # a start-page upload (scenario + company)
    body_bytes: int = 256 * 1024  # any other request body (413 beyond)
    load_timeout_s: float = 20.0  # checking an uploaded scenario, in a child process
    load_memory_mb: int = 2048  # ... which is killed beyond this address space
    load_workers: int = 2  # uploads checked at once; more wait their turn
    open_proposals: int = 50  # a participant's proposals awaiting the facilitator
    log_entries: int = 20_000  # commands per exercise (the log is kept whole)
    history_bytes: int = 8 * 1024 * 1024  # resume history kept per audience
    init_feed: int = 200  # newest feed entries in a viewer's first message; older are paged
    # --- what-if forks and decision values (POST .../whatif, GET .../decisions):
    # each replays the log a few times in a worker thread; more at once are told
    # to come back (503 with Retry-After)
    whatif_replications: int = 200  # n of one what-if (each: two replays)
    whatif_at_once: int = 2  # what-ifs and decision values worked out at once
    valued_decisions: int = 100  # decisions whose value one request works out (2 replays each)
