"""Requests that create something, made once per Idempotency-Key.

A double click or a retried request after a lost answer carries the same key:
it gets the first request's answer — also while the first is still being
worked on (it waits for it) — and nothing is created twice. Commands on an
exercise keep their keys with their log entries (LiveExercise.request_keys);
this covers creating exercises, in memory, for the newest `keep` keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Answer = tuple[int, Any]  # HTTP status and JSON body


class OnceByKey:
    def __init__(self, keep: int = 1000) -> None:
        self.keep = keep
        self._answers: dict[str, asyncio.Future[Answer]] = {}

    async def run(self, key: str | None, make: Callable[[], Awaitable[Answer]]) -> Answer:
        if key is None:
            return await make()
        known = self._answers.get(key)
        if known is not None:
            return await asyncio.shield(known)
        answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._answers[key] = answer
        while len(self._answers) > self.keep:  # forget the oldest finished ones
            oldest = next(iter(self._answers))
            if not self._answers[oldest].done():
                break
            del self._answers[oldest]
        try:
            result = await make()
        except BaseException as e:  # a crash is not an answer: a retry may try again
            del self._answers[key]
            answer.set_exception(e)
            answer.exception()  # retrieved: no "never retrieved" warning
            raise
        answer.set_result(result)
        return result
