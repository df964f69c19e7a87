"""Typesets issued service reports after their transaction: the database is not held while a
PDF is made (~0.3 s of CPU, in a worker thread).

A version's transaction lays the report out (HTML) and keeps it as a job; its document waits
in the outbox. This task takes each job, makes and archives the PDF, then in a short
transaction records the version with its SHA-256 and releases the waiting messages (and wakes
the sender). Jobs a stop or a crash left are done at start-up. A job whose typesetting fails is
kept with its error, and its messages fail, so that the chats they hold up go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.services.records import Records
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.background import Drainer

log = logging.getLogger(__name__)


class ReportTypesetting(Drainer):
    NAME = "report-typesetting"

    def __init__(self, db: Database, records: Records, wake_sender: Callable[[], None]) -> None:
        super().__init__()
        self.db = db
        self.records = records
        self.wake_sender = wake_sender

    async def drain(self) -> int:
        """Typeset every job waiting now; returns how many were archived."""
        done = 0
        while True:
            async with unit_of_work(self.db) as uow:
                job = await self.records.next_job(uow)
            if job is None:
                return done
            try:
                path, sha = await asyncio.to_thread(self.records.typeset, job)
            except Exception as e:  # a document that cannot be made must not stop the rest
                log.exception("service report %s of ticket #%d could not be typeset", job.key,
                              job.ticket_id)
                async with unit_of_work(self.db) as uow:
                    await self.records.failed(uow, job, f"{type(e).__name__}: {e}")
                self.wake_sender()
                continue
            async with unit_of_work(self.db) as uow:
                await self.records.archived(uow, job, path, sha)
            done += 1
            self.wake_sender()
