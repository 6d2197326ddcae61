"""Browser tests' shared parts: headless Debian chromium driven by Playwright
(never `playwright install`). The `browser` and `server` fixtures
(tests/conftest.py) use them; a test opens a console page with
`open_console`. Without /usr/bin/chromium browser tests are skipped, but
fail when CI is set."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must install chromium (see .ci/run)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium, closed afterwards (what the `browser` fixture yields)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_console(browser: Any, url: str, errors: list[str], width: int = 1440,
                 height: int = 1000) -> Any:  # fmt: skip
    """A console page at `url`, drawn once (`body[data-ready]`); its script
    errors and console errors go to `errors`."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.set_default_timeout(15_000)
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    return page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`tabletop serve` on a fixed port and SQLite file, so it can be restarted."""

    def __init__(self, folder: Path, db: str = "e2e.db") -> None:
        self.folder, self.db = folder, db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = (folder / "server.log").open("ab")

    def start(self) -> None:
        command = [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--db", f"sqlite:///{self.folder}/{self.db}"]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.flush()
                pytest.fail("server did not start:\n" + (self.folder / "server.log").read_text())
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def serving(folder: Path, db: str = "e2e.db") -> Iterator[Served]:
    """A started `Served` in `folder`, stopped afterwards (the `server`
    fixture yields its base URL)."""
    server = Served(folder, db)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.log.close()
