"""Everything a link can fetch of an exercise: for the tests that prove a
player never receives what is not theirs (another team's injects, the
script's control columns, hidden hazard parameters)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx
from liveserver import read_events
from test_web_triggers import EXERCISE_GETS


def everything(base: str, exercise: str, token: str, then: Callable[[], Any],
               extra: Iterable[str] = ()) -> dict[str, str]:  # fmt: skip
    """Each exercise GET route's answer to `token` (and `extra` API calls),
    the console page in German and English, and the stream: a full state,
    then the update `then()` causes. Keyed by call, "page de|en", "stream"."""
    seen: dict[str, str] = {}
    api, auth = f"{base}/api/exercises/{exercise}", {"Authorization": f"Bearer {token}"}
    for calls, status in [*EXERCISE_GETS.values(), (list(extra), 200)]:
        for call in calls:
            r = httpx.get(f"{api}/{call}", headers=auth)
            assert r.status_code == status, (call, r.text)
            seen[call] = r.text
    for lang in ("de", "en"):
        page = httpx.get(f"{base}/exercises/{exercise}?token={token}&lang={lang}")
        assert page.status_code == 200
        seen[f"page {lang}"] = page.text
    events = read_events(base, exercise, token, 2, then=then)
    assert events[1][1]["type"] == "update"
    seen["stream"] = json.dumps([m for _, m in events], ensure_ascii=False)
    return seen
