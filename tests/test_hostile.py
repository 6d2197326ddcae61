"""The hostile-input corpus (tests/data/hostile/manifest.yaml): every item
gets its expected exit code or HTTP status and message, never a traceback or
a 500. `python tests/hostile_corpus.py` prints the tried / clean counts."""

from __future__ import annotations

from typing import Any

import pytest
from hostile_corpus import items, run


@pytest.mark.parametrize("item", items(), ids=lambda item: str(item["id"]))
def test_hostile_input_is_answered_cleanly(item: dict[str, Any]) -> None:
    outcome = run(item)
    assert outcome.clean, f"{outcome.problems}\n{outcome.output[-3000:]}"
