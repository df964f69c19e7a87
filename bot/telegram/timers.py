"""Wakes the bot when a timer in the database falls due.

The database holds every due event. One JobQueue job is armed for the earliest due time and
re-armed after every change, and a periodic sweep catches anything else; on start the bot fires
what fell due while it was down, once (each timer is claimed with a conditional update).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram.ext import Application, ContextTypes, Job

from bot.clock import Clock
from bot.services.notices import Outcome
from bot.services.uow import Timer, UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import unit_of_work

log = logging.getLogger(__name__)

TimerHandler = Callable[[UnitOfWork, Timer], Awaitable[Outcome]]
Post = Callable[[UnitOfWork, Outcome], Awaitable[Any]]


class TimerWaker:
    SWEEP_SECONDS = 30.0

    def __init__(
        self,
        db: Database,
        clock: Clock,
        handlers: dict[str, TimerHandler],
        post: Post,
        after_fire: Callable[[], None],
        *,
        real_seconds: Callable[[float], float] = lambda s: s,
    ) -> None:
        self.db = db
        self.clock = clock
        self.handlers = handlers
        self.post = post
        self.after_fire = after_fire
        self.real_seconds = real_seconds
        self._job: Job[Any] | None = None
        self._armed_at: datetime | None = None
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.fired = 0

    def start(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._app = app
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            self._sweep, interval=self.SWEEP_SECONDS, first=0.1, name="timer-sweep"
        )

    async def _sweep(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.fire_due()

    async def _wake(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._job = None
        self._armed_at = None
        await self.fire_due()

    async def fire_due(self) -> int:
        """Fire every timer that is due now, each exactly once; then re-arm."""
        fired = 0
        while True:
            async with unit_of_work(self.db) as uow:
                timers = await uow.timers.due(self.clock.now(), limit=50)
                for timer in timers:
                    if not await uow.timers.mark_fired(timer.id, self.clock.now()):
                        continue
                    handler = self.handlers.get(timer.kind)
                    if handler is None:
                        log.debug("timer %s (%s) has no behaviour yet", timer.key, timer.kind)
                        continue
                    outcome = await handler(uow, timer)
                    await self.post(uow, outcome)
                    fired += 1
            if fired:
                self.after_fire()  # send each committed batch now, not after the whole loop
            if len(timers) < 50:
                break
        if fired:
            self.fired += fired
            self.after_fire()
        await self.rearm()
        return fired

    async def rearm(self) -> None:
        """Arm one job for the earliest pending timer (replacing the previous one)."""
        if self._app is None or self._app.job_queue is None:
            return
        async with unit_of_work(self.db) as uow:
            earliest = await uow.timers.earliest()
        self._arm_at(earliest)

    def consider(self, due_at: datetime | None) -> None:
        """A transaction scheduled a timer due at `due_at`: wake earlier if it is earlier."""
        if due_at is None or (self._armed_at is not None and due_at >= self._armed_at):
            return
        self._arm_at(due_at)

    def _arm_at(self, earliest: datetime | None) -> None:
        if self._app is None or self._app.job_queue is None:
            return
        if self._job is not None:
            self._job.schedule_removal()
            self._job = None
        self._armed_at = earliest
        if earliest is None:
            return
        delay = max(0.0, (earliest - self.clock.now()).total_seconds())
        self._job = self._app.job_queue.run_once(
            self._wake,
            when=self.real_seconds(delay) + 0.01,
            name="timer-wake",
            job_kwargs={"misfire_grace_time": None},
        )
