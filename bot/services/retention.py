"""Retention: every night the delivery log and fired timers older than `retention` go, in
small batches (each a timer of its own, so updates are answered between two batches), and
a database that vacuums incrementally gives the freed pages back to the file system."""

from __future__ import annotations

import logging
from datetime import time

from bot.clock import Clock
from bot.config import Settings
from bot.domain.daily import local_day, next_at
from bot.services.notices import Outcome
from bot.services.uow import Timer, UnitOfWork

log = logging.getLogger(__name__)

TIMER = "prune"
# Local time: a quiet hour, after the night's backup and before the morning check.
PRUNE_AT = time(4, 0)
# Rows per table and batch: a few milliseconds of the write lock each.
BATCH = 1000
# Pages (4 KiB) given back per batch: moving pages is the slow part of a batch.
VACUUM_PAGES = 500


class Retention:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def arm(self, uow: UnitOfWork) -> None:
        """The next night's pruning (once per night, also across restarts)."""
        due = next_at(self.clock.now(), PRUNE_AT, self.settings.tz)
        night = local_day(due, self.settings.tz).isoformat()
        await uow.timers.schedule_once(f"{TIMER}:{night}", TIMER, due)

    async def fire(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """One batch; the next one is due at once until nothing old is left."""
        now = self.clock.now()
        before = now - self.settings.retention
        messages = await uow.retention.prune_outbox(before, BATCH)
        timers = await uow.retention.prune_timers(before, BATCH)
        more = messages == BATCH or timers == BATCH
        if not more:
            free = await uow.retention.free_pages()
            if free:
                await uow.retention.give_back(min(free, VACUUM_PAGES))
                more = free > VACUUM_PAGES
        done = timer.payload
        step = int(done.get("step", 0)) + 1
        total = (int(done.get("messages", 0)) + messages, int(done.get("timers", 0)) + timers)
        if more:
            night = timer.key.split("#")[0]
            await uow.timers.schedule_once(
                f"{night}#{step}",
                TIMER,
                now,
                payload={"step": step, "messages": total[0], "timers": total[1]},
            )
            return Outcome()
        log.info(
            "retention: %d sent messages and %d fired timers older than %s pruned in %d steps",
            *total,
            self.settings.retention,
            step,
        )
        await self.arm(uow)
        return Outcome()
