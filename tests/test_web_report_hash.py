"""The web report's log hash is the SHA-256 of the log file the same page
offers for download (GET .../log): web.logexport makes the text of both, so
`sha256sum` of the download checks the printed report. Live and stored
exercises, HTML and PDF."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from starlette.testclient import TestClient
from test_report import require_pdf
from test_web_api import Ex, new_exercise, settings

from web.app import create_app

HASH = re.compile(r"SHA-256[^:]*:\s*(?:<code>)?([0-9a-f]{64})")


def played(ex: Ex) -> None:
    """Named and anonymous entries, an observation, a plan item, umlauts."""
    ex.ok("people", {"name": "Jörg Müller", "team": "krisenstab", "role": "participant"})
    ex.ok("clock", {"action": "jump", "by": "2h"})
    ex.ok("decisions", {"action": "activate_dr"})
    ex.ok("decisions", {"text": "Presse informieren – „sofort“"}, "participant")
    ex.ok("observations", {"text": "Übergabe zögerlich", "rating": "S"}, "observer")
    ex.ok("plan", {"issue": "Übergabe", "action": "Checkliste", "status": "open"})


def download(ex: Ex, role: str = "facilitator") -> bytes:
    r = ex.client.get(ex.url("log"), headers=ex.auth(role))
    assert r.status_code == 200, r.text
    return r.content


def printed(ex: Ex, query: str, role: str = "facilitator") -> str:
    r = ex.client.get(ex.url(f"report?{query}"), headers=ex.auth(role))
    assert r.status_code == 200, r.text
    found = HASH.findall(r.text)
    assert len(found) == 1, found
    return str(found[0])


def test_the_report_prints_the_hash_of_the_downloaded_log(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/hash.db"
    with TestClient(create_app(settings(db))) as client:
        ex = new_exercise(client, seed=1, speed=60)
        played(ex)
        log = download(ex)
        assert b'"checkpoint"' in log and b'"bundle_hash"' in log  # the header as exported
        digest = hashlib.sha256(log).hexdigest()
        for role in ("facilitator", "observer", "manager"):
            assert download(ex, role) == log, role
            assert printed(ex, "format=html&lang=de", role) == digest, role
        assert printed(ex, "format=html&lang=en") == digest
    # after a restart: a stored exercise, reported from the database
    with TestClient(create_app(settings(db))) as client:
        ex = Ex(client, ex.id, ex.tokens)
        log = download(ex, "manager")
        assert printed(ex, "format=html&lang=en", "manager") == hashlib.sha256(log).hexdigest()


def test_the_pdf_prints_the_hash_of_the_downloaded_log(tmp_path: Path) -> None:
    require_pdf()
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/pdf.db"))) as client:
        ex = new_exercise(client, seed=1, speed=60)
        played(ex)
        digest = hashlib.sha256(download(ex)).hexdigest()
        r = client.get(ex.url("report?format=pdf&lang=de"), headers=ex.auth("facilitator"))
        assert r.status_code == 200, r.text
        (tmp_path / "r.pdf").write_bytes(r.content)
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert digest in "".join(text.split())  # a long word may wrap
