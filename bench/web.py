"""Live server benchmark: how fast an inject reaches every viewer.

    .venv/bin/python bench/web.py [--clients 1,50,200] [--injects 20] [--db sqlite|URL]

One `tabletop serve` subprocess on 127.0.0.1 (SQLite in a temporary folder,
or the database URL given), one exercise of scenarios/dairy/ransomware.yaml
with its clock running at 60x (so the pacer publishes its regular updates
too). For each viewer count, one client process opens that many SSE streams
(asyncio, raw sockets) and waits for each stream's full state; then this
process sends `--injects` message injects, 50-150 ms apart, each with a
unique marker. The latency of one inject at one viewer is the time from the
POST's response (its acceptance: written to the database and applied) to the
arrival of the event carrying the marker at that viewer; both sides read
CLOCK_MONOTONIC, which all processes share. Printed: p50, p95, p99 and max
over every (inject, viewer) pair, and the p99 ratio to the 1-viewer baseline
measured in the same run. Everything is bounded: at most ~60 s per viewer
count, then the server is stopped.

    .venv/bin/python bench/web.py --startup 300

Start-up with that many stored exercises (copies of one with a short log,
SQLite): the time from starting `tabletop serve` to its first /healthz
answer (the interpreter's imports included; beside the same with an empty
database, measured in the same run), and from the first request for
one exercise to its answer (it is rebuilt from its log on first use).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TABLETOP = Path(sys.executable).with_name("tabletop")
SCENARIO = "dairy/ransomware.yaml"
MARK = b"bench-mk-"
GOAL_P99_MS = 50.0
GOAL_AT = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, db: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [str(TABLETOP), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--db", db, "--scenarios", str(ROOT / "scenarios")]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit("the server exited")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --- the viewers (one client process) ------------------------------------------


async def _viewer(port: int, path: str, ready: asyncio.Event, count: list[int], n: int,
                  arrivals: dict[bytes, float], done: asyncio.Event,
                  mark: bytes) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                 "\r\n".encode())  # fmt: skip
    tail = b""
    initialised = False
    try:
        while not done.is_set():
            chunk = await reader.read(1 << 16)
            now = time.monotonic()
            if not chunk:
                return
            data = tail + chunk
            if not initialised and b'"type":"init"' in data:
                initialised = True
                count[0] += 1
                if count[0] == n:
                    ready.set()
            start = 0
            while (i := data.find(mark, start)) >= 0 and i + len(mark) + 2 <= len(data):
                arrivals.setdefault(data[i : i + len(mark) + 2], now)
                start = i + 1
            tail = data[-(len(mark) + 2) :]
    finally:
        writer.close()


def viewers_process(port: int, path: str, n: int, markers: int, mark: str, conn: Any) -> None:
    """Open `n` streams, report ready, collect the arrivals of markers
    `mark` + two digits, send them back."""

    async def main() -> None:
        ready, done = asyncio.Event(), asyncio.Event()
        count = [0]
        arrivals: list[dict[bytes, float]] = [{} for _ in range(n)]
        tasks = [asyncio.create_task(_viewer(port, path, ready, count, n, arrivals[i], done,
                                             mark.encode())) for i in range(n)]  # fmt: skip
        await asyncio.wait_for(ready.wait(), 60)
        conn.send("ready")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if all(len(a) >= markers for a in arrivals):
                break
            await asyncio.sleep(0.05)
        done.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        conn.send([{k.decode(): v for k, v in a.items()} for a in arrivals])

    asyncio.run(main())


# --- one measurement ----------------------------------------------------------------


def measure(server: Server, exercise: str, tokens: dict[str, str], n: int, injects: int,
            round_: int) -> list[float]:  # fmt: skip
    """Latencies in ms of `injects` injects at `n` viewers."""
    path = f"/api/exercises/{exercise}/stream?token={tokens['observer']}"
    mark = f"{MARK.decode()}{round_}-"
    parent, child = mp.Pipe()
    process = mp.Process(target=viewers_process, args=(server.port, path, n, injects, mark, child))
    process.start()
    try:
        if not parent.poll(90) or parent.recv() != "ready":
            raise SystemExit(f"{n} viewers did not connect")
        accepted: dict[str, float] = {}
        rng = random.Random(n)
        with httpx.Client(base_url=f"{server.base}/api/exercises/{exercise}/",
                          headers={"Authorization": f"Bearer {tokens['facilitator']}"},
                          timeout=10) as http:  # fmt: skip
            for k in range(injects):
                time.sleep(rng.uniform(0.05, 0.15))
                marker = f"{mark}{k:02d}"
                r = http.post("injects", json={"message": marker})
                accepted[marker] = time.monotonic()
                r.raise_for_status()
        if not parent.poll(90):
            raise SystemExit(f"{n} viewers sent no results")
        arrivals: list[dict[str, float]] = parent.recv()
    finally:
        process.join(10)
        if process.is_alive():
            process.kill()
    latencies = []
    missing = 0
    for viewer in arrivals:
        for marker, t0 in accepted.items():
            if marker in viewer:
                latencies.append((viewer[marker] - t0) * 1000)
            else:
                missing += 1
    if missing:
        print(f"  {missing} of {len(accepted) * n} arrivals missing (viewers timed out)")
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def startup(n: int) -> None:
    """Start-up time of a server with `n` stored exercises (see the docstring)."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="tabletop-bench-") as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        started = time.perf_counter()
        server = Server(db)
        empty = time.perf_counter() - started  # the baseline: imports, uvicorn
        try:
            r = httpx.post(f"{server.base}/api/exercises", json={"scenario": SCENARIO}, timeout=30)
            r.raise_for_status()
            source, tokens = r.json()["id"], r.json()["tokens"]
            auth = {"Authorization": f"Bearer {tokens['facilitator']}"}
            for body in ({"action": "jump", "by": "2h"}, {"action": "jump", "by": "4h"}):
                httpx.post(f"{server.base}/api/exercises/{source}/clock", json=body,
                           headers=auth, timeout=30).raise_for_status()  # fmt: skip
        finally:
            server.stop()
        cols = ("scenario, bundle, seed, speed, clock, sim_time, facilitator_hash, "
                "participant_hash, observer_hash, created")  # fmt: skip
        with sqlite3.connect(f"{tmp}/bench.db") as c:
            for i in range(n - 1):
                c.execute(f"INSERT INTO exercises (id, {cols}) SELECT ?, {cols} FROM exercises "
                          "WHERE id = ?", (f"copy{i:06d}", source))  # fmt: skip
                c.execute("INSERT INTO log SELECT ?, seq, sim_time, wall_time, role, kind, "
                          "payload FROM log WHERE exercise_id = ?",
                          (f"copy{i:06d}", source))  # fmt: skip
        started = time.perf_counter()
        server = Server(db)
        ready = time.perf_counter() - started
        try:
            started = time.perf_counter()
            httpx.get(f"{server.base}/api/exercises/copy000000/state", headers=auth,
                      timeout=60).raise_for_status()  # fmt: skip
            first = time.perf_counter() - started
        finally:
            server.stop()
        print(f"start-up to /healthz ({SCENARIO}, SQLite): {empty:.2f} s with no exercise, "
              f"{ready:.2f} s with {n} stored ({ready - empty:+.2f} s); first use of one "
              f"exercise (rebuilt from its log): {first * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,50,200",
                        help="viewer counts; the first is the baseline")  # fmt: skip
    parser.add_argument("--injects", type=int, default=20, help="at most 100")
    parser.add_argument("--db", default="sqlite", help="'sqlite' (a temporary file) or a URL")
    parser.add_argument("--startup", type=int, default=0, metavar="N",
                        help="measure start-up with N stored exercises instead")  # fmt: skip
    args = parser.parse_args()
    if args.startup > 0:
        startup(min(args.startup, 10_000))
        return
    counts = [int(c) for c in args.clients.split(",")]
    args.injects = min(args.injects, 100)

    with tempfile.TemporaryDirectory(prefix="tabletop-bench-") as tmp:
        db = f"sqlite:///{tmp}/bench.db" if args.db == "sqlite" else args.db
        server = Server(db)
        try:
            r = httpx.post(f"{server.base}/api/exercises",
                           json={"scenario": SCENARIO, "speed": 60}, timeout=30)  # fmt: skip
            r.raise_for_status()
            exercise, tokens = r.json()["id"], r.json()["tokens"]
            httpx.post(f"{server.base}/api/exercises/{exercise}/clock", json={"action": "start"},
                       headers={"Authorization": f"Bearer {tokens['facilitator']}"}
                       ).raise_for_status()  # fmt: skip
            print(f"Inject to viewer latency, {args.injects} injects, clock running at 60x "
                  f"({SCENARIO}, {'SQLite' if args.db == 'sqlite' else args.db})")  # fmt: skip
            print(f"{'viewers':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                  f"{'p99 / base':>10}")  # fmt: skip
            base = None
            results = {}
            for i, n in enumerate(counts):
                lat = measure(server, exercise, tokens, n, args.injects, i)
                if not lat:
                    raise SystemExit("no arrivals measured")
                p50, p95, p99 = (percentile(lat, p) for p in (50, 95, 99))
                base = base or p99
                results[n] = p99
                print(f"{n:>8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {max(lat):>8.1f} "
                      f"{p99 / base:>9.1f}x", flush=True)  # fmt: skip
                if statistics.median(lat) < 0:
                    print("  (negative: events arrive before the POST's response is read)")
            if GOAL_AT in results:
                verdict = "met" if results[GOAL_AT] <= GOAL_P99_MS else "MISSED"
                print(f"goal: p99 <= {GOAL_P99_MS:.0f} ms at {GOAL_AT} viewers: "
                      f"{results[GOAL_AT]:.1f} ms, {verdict}")  # fmt: skip
        finally:
            server.stop()


if __name__ == "__main__":
    main()
