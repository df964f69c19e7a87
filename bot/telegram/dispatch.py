"""The one dispatch path: every use case runs the same way, whoever started it.

Handlers (an update), the timer waker (a due timer), start-up, and the sender's hooks (a
message refused or sent) all call `Dispatcher.run`: the use case runs in one transaction, its
Outcome goes to the outbox through the Postman in that transaction, it commits, the sender is
woken, and the timer waker hears of the earliest timer the transaction scheduled (it wakes
earlier if that is earlier than what it waits for). So no path can forget a step.

An update's id is claimed in that same transaction: Telegram re-delivers an update when the bot
died after handling it but before its next getUpdates confirmed it, and the repeat must not take
effect twice (a note recorded twice, a dialog answer taken for the next question).

Group commit: use cases that arrive while a transaction is being written wait for it, then run
together in the next one: one BEGIN, one COMMIT and one fsync for all of them, each with its
own unit of work. Should one of them fail, that transaction is rolled back and each use case of
it runs again in a transaction of its own, so one failing use case costs only itself (use cases
only change the database, so running one again after a rollback is safe). A batch, once begun,
is not torn by a caller's cancellation: it is shielded, and a cancelled caller only stops
waiting for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.domain.delivery import Priority
from bot.services.notices import Outcome
from bot.services.uow import UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import SqliteUnitOfWork, unit_of_work
from bot.telegram.postman import Postman, Pressed

log = logging.getLogger(__name__)

UseCase = Callable[[UnitOfWork], Awaitable[Outcome]]

# The most use cases one transaction takes: bounds how long the write lock is held at once.
BATCH_LIMIT = 32


@dataclass
class _Job:
    """One use case waiting for its transaction, and what `run` was told about it."""

    use_case: UseCase
    source: Pressed | None
    update_id: int | None
    reply_to: int | None
    priority: Priority
    user_id: int | None
    done: asyncio.Future[Outcome] = field(default_factory=lambda: asyncio.get_running_loop()
                                          .create_future())
    uow: SqliteUnitOfWork | None = None
    outcome: Outcome = field(default_factory=Outcome)


def _nothing(uow: UnitOfWork) -> None:
    pass


def _ignore(due_at: datetime | None) -> None:
    pass


class Dispatcher:
    def __init__(self, db: Database, postman: Postman, clock: Clock) -> None:
        self.db = db
        self.postman = postman
        self.clock = clock
        self.after_commit: Callable[[UnitOfWork], None] = _nothing
        self.consider_timer: Callable[[datetime | None], None] = _ignore
        self._queued: list[_Job] = []
        self._turn = asyncio.Lock()

    def connect(
        self,
        *,
        after_commit: Callable[[UnitOfWork], None],
        consider_timer: Callable[[datetime | None], None],
    ) -> None:
        """The sender and the timer waker run their transactions through this dispatcher, so
        the composition root connects them after building all three."""
        self.after_commit = after_commit
        self.consider_timer = consider_timer

    async def run(
        self,
        use_case: UseCase,
        *,
        source: Pressed | None = None,
        update_id: int | None = None,
        reply_to: int | None = None,
        priority: Priority = Priority.PAGE,
        user_id: int | None = None,
    ) -> Outcome:
        """Run a use case and queue what it says in one transaction; then wake the sender and
        the timer waker. `source` is the button pressed (its chat, message and data); an update
        (`update_id`) handled before is skipped: nothing changes, nothing is said. What it
        says to `reply_to` (the chat of the person who acted) goes out first; the rest in the
        class `priority` (bot/domain/delivery.py). `user_id`: who acted, for the log.
        Use cases queued meanwhile share the transaction (group commit, see the module)."""
        job = _Job(use_case, source, update_id, reply_to, priority, user_id)
        self._queued.append(job)
        try:
            while not job.done.done():
                async with self._turn:  # one batch at a time, callers in order
                    if job in self._queued:
                        batch = self._queued[:BATCH_LIMIT]
                        del self._queued[:BATCH_LIMIT]
                        if batch == [job]:  # alone: a cancel rolls back only its own work
                            await self._commit(batch)
                        else:
                            await asyncio.shield(self._commit(batch))
                        continue
                if not job.done.done():
                    await asyncio.wait({job.done})  # in a batch another caller began
        except asyncio.CancelledError:
            if job in self._queued:
                self._queued.remove(job)  # not begun: it never takes effect
            raise
        return job.done.result()

    async def _commit(self, batch: list[_Job]) -> None:
        """Run a batch in one transaction; after a failure, each of it in its own."""
        try:
            if len(batch) > 1:
                try:
                    async with self.db.transaction() as conn:
                        for job in batch:
                            job.uow = SqliteUnitOfWork(conn)
                            await self._perform(job, job.uow)
                except Exception:
                    log.warning("a transaction of %d use cases failed; each runs on its own",
                                len(batch), exc_info=True)
                else:
                    for job in batch:
                        self._committed(job)
                    return
            for job in batch:
                try:
                    async with unit_of_work(self.db) as uow:
                        job.uow = uow
                        await self._perform(job, uow)
                except Exception as e:
                    _settle(job.done, error=e)
                else:
                    self._committed(job)
        finally:
            for job in batch:  # cut short (the loop is closing): nobody waits for ever
                _settle(job.done, error=RuntimeError("the transaction was not written"))

    async def _perform(self, job: _Job, uow: SqliteUnitOfWork) -> None:
        uow.outbox.priority, uow.outbox.reply_to = job.priority, job.reply_to
        if job.update_id is not None and not await uow.handled_updates.claim(
            job.update_id, self.clock.now()
        ):
            log.info("update %d was handled before: skipped (user %s)", job.update_id,
                     job.user_id)
            job.uow = None  # nothing to tell anyone after the commit
            return
        outcome = await job.use_case(uow)
        await self.postman.post(uow, outcome, source=job.source)
        job.outcome = outcome

    def _committed(self, job: _Job) -> None:
        """After the commit: wake who has work, log the events, answer the caller."""
        uow = job.uow
        if uow is not None:
            try:
                self.after_commit(uow)
                self.consider_timer(uow.timers.earliest_scheduled)
                _log_events(uow.timeline.appended, job.update_id, job.user_id)
            except Exception:  # written all the same: the others of the batch are answered
                log.exception("after the commit of a use case")
        _settle(job.done, result=job.outcome)


def _settle(
    done: asyncio.Future[Outcome], result: Outcome | None = None, error: Exception | None = None
) -> None:
    """Answer a caller once (a caller that stopped waiting has cancelled its future)."""
    if done.done():
        return
    if error is not None:
        done.set_exception(error)
        done.add_done_callback(lambda f: f.exception())  # retrieved: no "never retrieved" noise
    else:
        done.set_result(result or Outcome())


def _log_events(
    events: list[tuple[int, str, str]], update_id: int | None, user_id: int | None
) -> None:
    """One line per committed timeline event, naming the ticket and who acted."""
    if not log.isEnabledFor(logging.INFO):
        return
    cause = "" if update_id is None else f" (update {update_id})"
    for ticket_id, actor, kind in events:
        if user_id is None:
            log.info("ticket #%d: %s by %s%s", ticket_id, kind, actor, cause,
                     extra={"ticket": ticket_id})
        else:
            log.info("ticket #%d: %s by %s, user %d%s", ticket_id, kind, actor, user_id, cause,
                     extra={"ticket": ticket_id, "user": user_id})
