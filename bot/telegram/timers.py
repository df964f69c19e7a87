"""Wakes the bot when a timer in the database falls due.

The database holds every due event. One JobQueue job is armed for the earliest due time and
re-armed after every change, and a periodic sweep catches anything else; on start the bot fires
what fell due while it was down, once (each timer is claimed with a conditional update).

Each timer fires in its own transaction through the dispatcher: a handler that raises rolls
back only its own timer, which is then marked failed (never due again) and logged with its
key, while every other due timer still fires.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram.ext import Application, ContextTypes, Job

from bot.clock import Clock
from bot.domain.delivery import Priority
from bot.services.notices import Outcome
from bot.services.uow import Timer, UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.dispatch import Dispatcher

log = logging.getLogger(__name__)

TimerHandler = Callable[[UnitOfWork, Timer], Awaitable[Outcome]]


class TimerWaker:
    SWEEP_SECONDS = 30.0
    BATCH = 50

    def __init__(
        self,
        db: Database,
        clock: Clock,
        handlers: dict[str, TimerHandler],
        dispatcher: Dispatcher,
        *,
        real_seconds: Callable[[float], float] = lambda s: s,
    ) -> None:
        self.db = db
        self.clock = clock
        self.handlers = handlers
        self.dispatcher = dispatcher
        self.real_seconds = real_seconds
        self._job: Job[Any] | None = None
        self._armed_at: datetime | None = None
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.fired = 0
        self.failed = 0

    def start(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._app = app
        assert app.job_queue is not None
        # The first sweep fires what fell due while the bot was down, right after polling
        # begins. No misfire grace: a slow start must not skip it (APScheduler's default grace
        # of 1 s would leave those timers for the next sweep).
        app.job_queue.run_repeating(
            self._sweep,
            interval=self.SWEEP_SECONDS,
            first=0.1,
            name="timer-sweep",
            job_kwargs={"misfire_grace_time": None},
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
        tried: set[int] = set()
        while True:
            async with unit_of_work(self.db) as uow:
                timers = await uow.timers.due(self.clock.now(), limit=self.BATCH)
            fresh = [t for t in timers if t.id not in tried]
            for timer in fresh:
                if self._stopping:
                    # The bot is stopping (the JobQueue waits for this job): the rest stay
                    # pending and fire once at the next start.
                    self.fired += fired
                    return fired
                tried.add(timer.id)
                if await self._fire(timer):
                    fired += 1
            # Each fired timer woke the sender as it committed: a long batch sends as it goes.
            if len(timers) < self.BATCH or not fresh:
                break
        self.fired += fired
        await self.rearm()
        return fired

    @property
    def _stopping(self) -> bool:
        return self._app is not None and not self._app.running

    async def _fire(self, timer: Timer) -> bool:
        """Claim, handle and post one timer in its own transaction; True if it fired."""
        handler = self.handlers.get(timer.kind)
        handled = False

        async def fire(uow: UnitOfWork) -> Outcome:
            nonlocal handled
            if not await uow.timers.mark_fired(timer.id, self.clock.now()):
                return Outcome()  # fired or cancelled meanwhile
            if handler is None:
                log.debug("timer %s (%s) has no behaviour yet", timer.key, timer.kind)
                return Outcome()
            handled = True
            return await handler(uow, timer)

        try:
            await self.dispatcher.run(fire, priority=Priority.REMINDER)
        except Exception as e:
            # Its transaction rolled back (the claim too): mark it failed so that it is never
            # due again, instead of being retried by every sweep.
            log.exception("timer %s (%s) of ticket #%s, user %s failed; it will not fire again",
                          timer.key, timer.kind, timer.ticket_id or "-", timer.user_id or "-")
            async with unit_of_work(self.db) as uow:
                await uow.timers.mark_failed(
                    timer.id, self.clock.now(), f"{type(e).__name__}: {e}"
                )
            self.failed += 1
            return False
        return handled

    async def rearm(self) -> None:
        """Arm one job for the earliest pending timer (replacing the previous one)."""
        if self._app is None or self._app.job_queue is None:
            return
        async with unit_of_work(self.db) as uow:
            earliest = await uow.timers.earliest()
        self._arm_at(earliest)

    @property
    def armed_at(self) -> datetime | None:
        """When the armed job wakes the bot (None: only the sweep will)."""
        return self._armed_at

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
