"""A background task that drains its work from the database when woken after a commit, and
once a minute anyway (the database is the truth; a missed wake-up only delays the work).

The report typesetting and the document worker are both such tasks: each says what draining
means; this class keeps the task's life (start, wake, stop) and its loop, which logs a failed
round and tries again a second later rather than dying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


async def woken_within(wake: asyncio.Event, seconds: float) -> bool:
    """Wait until `wake` is set or `seconds` pass; True if woken.

    Not `asyncio.wait_for`: on Python 3.11 it swallows a cancel that lands as the event is
    set, and a stopping task then sleeps on for its whole timeout (a Ctrl-C that hung).
    """
    try:
        async with asyncio.timeout(seconds):
            await wake.wait()
    except TimeoutError:
        return False
    return True


class Drainer:
    """Runs `drain()` at start, after each `wake()`, and every `IDLE_SECONDS`."""

    NAME = "drainer"
    IDLE_SECONDS = 60.0

    def __init__(self) -> None:
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.NAME)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def drain(self) -> int:
        """Do every piece of work waiting now; returns how many were done."""
        raise NotImplementedError

    async def _run(self) -> None:
        while True:
            try:
                self._wake.clear()
                await self.drain()
                await woken_within(self._wake, self.IDLE_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed; retrying in 1 s", self.NAME)
                await asyncio.sleep(1)
