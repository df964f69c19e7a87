"""The document worker: makes the documents that commands asked for (document_jobs) after
their transaction, one at a time, without holding the write lock.

Woken after a commit that recorded a job (like the report typesetting) and at start-up (jobs a
stop or a crash left pending). For each pending job it opens a read-only snapshot of the
database on a second connection (WAL: the writer keeps writing) in a worker thread, lets the
job's kind collect what it shows there and make the document (in a worker thread too) and
archive it, then runs one short transaction through the dispatcher that marks the job done and
queues the document (by its archived path and SHA-256). A job that fails is marked failed and
its requester told; the next job goes on.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.domain.delivery import Priority
from bot.domain.jobs import DocumentJob
from bot.services.jobs import DocumentJobs
from bot.services.notices import Outcome
from bot.services.uow import UnitOfWork
from bot.storage.uow import snapshot, unit_of_work
from bot.telegram.background import Drainer
from bot.telegram.dispatch import Dispatcher

log = logging.getLogger(__name__)


class DocumentWorker(Drainer):
    NAME = "document-jobs"

    def __init__(self, database: Path | str, jobs: DocumentJobs, dispatcher: Dispatcher) -> None:
        super().__init__()
        self.database = database
        self.jobs = jobs
        self.dispatcher = dispatcher
        self._busy: set[int] = set()  # jobs being made now (a second drain leaves them)

    async def drain(self) -> int:
        """Make every job pending now (not already being made); returns how many were done."""
        done = 0
        while True:
            # Asked on the writer connection: a short read, and no connection to open (or to
            # leave half-open when a stop cancels this) just to learn there is nothing to do.
            async with unit_of_work(self.dispatcher.db) as uow:
                waiting = [j for j in await self.jobs.pending(uow) if j.id not in self._busy]
            if not waiting:
                return done
            done += await self._take(waiting[0])

    async def _take(self, job: DocumentJob) -> int:
        self._busy.add(job.id)
        try:
            try:
                collected = await asyncio.to_thread(asyncio.run, self._collect(job))
                produced = await self.jobs.make(job, collected)
            except Exception as e:  # a document that cannot be made must not stop the rest
                log.exception("document job %d (%s) of user %d failed", job.id, job.kind,
                              job.requester)
                error = f"{type(e).__name__}: {e}"

                async def failed(uow: UnitOfWork) -> Outcome:
                    return await self.jobs.fail(uow, job, error)

                await self.dispatcher.run(failed, reply_to=job.chat or None)
                return 0

            async def delivered(uow: UnitOfWork) -> Outcome:
                return await self.jobs.deliver(uow, job, produced)

            await self.dispatcher.run(delivered, priority=Priority.BULK)
            return 1
        finally:
            self._busy.discard(job.id)

    async def _collect(self, job: DocumentJob) -> object:
        """What the job shows, read in one snapshot. Run on its own event loop in a worker
        thread: turning 10 000 tickets' rows into deadlines is seconds of CPU that must not
        stall the bot's loop. The snapshot ends before the document is made."""
        async with snapshot(self.database) as read:
            return await self.jobs.collect(read, job, lambda: snapshot(self.database))
