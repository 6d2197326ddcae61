"""A real `tabletop serve` in a subprocess for the web tests: 127.0.0.1 and a
free port, its own process group (so SIGKILL takes everything it started),
ready once /healthz answers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx
from pgcluster import free_port

DATA = Path(__file__).resolve().parent / "data" / "web"


def tabletop() -> list[str]:
    script = Path(sys.executable).with_name("tabletop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


def cli_url(db_url: str) -> str:
    """The URL a user gives `--db` (the CLI picks the psycopg driver itself)."""
    return db_url.replace("postgresql+psycopg://", "postgresql://")


def post(url: str, body: dict[str, Any], token: str | None = None) -> Any:
    """POST JSON (with a bearer token) and return the JSON answer."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


class Server:
    def __init__(self, db_url: str, scenarios: Path = DATA) -> None:
        self.db = cli_url(db_url)
        self.scenarios = scenarios
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.output = tempfile.TemporaryFile()  # noqa: SIM115  (closed by stop)

    def start(self, timeout: float = 30.0) -> Server:
        self.process = subprocess.Popen(
            [*tabletop(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--db", self.db, "--scenarios", str(self.scenarios)],
            stdout=self.output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the server did not start:\n{self.log()}")
            time.sleep(0.05)

    def log(self) -> str:
        if self.output.closed:
            return ""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group and wait for the server to go."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        try:
            self.kill(signal.SIGTERM)
        finally:
            self.output.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def read_events(base: str, exercise: str, token: str, n: int, last_event_id: int | None = None,
                then: Any = None) -> list[tuple[int, dict[str, Any]]]:  # fmt: skip
    """The first `n` events (id, message) of an exercise's stream; `then()`
    is called once the first has arrived."""
    headers = {"Authorization": f"Bearer {token}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    out: list[tuple[int, dict[str, Any]]] = []
    url = f"{base}/api/exercises/{exercise}/stream"
    with httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(10, read=20)) as r:
        assert r.status_code == 200, r.read()
        event_id, data = 0, []
        for line in r.iter_lines():
            if line.startswith("id:"):
                event_id = int(line[3:])
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif line == "" and data:
                out.append((event_id, json.loads("\n".join(data))))
                data = []
                if len(out) == n:
                    break
                if len(out) == 1 and then is not None:
                    then()
    return out
