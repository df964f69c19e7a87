"""The SQLite unit of work: one transaction's repositories, one module per aggregate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import aiosqlite

from bot.storage.audit import Audit
from bot.storage.complaints import Complaints
from bot.storage.daily import DailyReports
from bot.storage.db import Database
from bot.storage.devices import Devices
from bot.storage.events import Events
from bot.storage.jobs import DocumentJobs
from bot.storage.monthly import Monthly
from bot.storage.outbox import Outbox
from bot.storage.records import Records
from bot.storage.retention import Retention
from bot.storage.roster import Rosters
from bot.storage.sla import Clocks, Pauses
from bot.storage.surveys import Surveys
from bot.storage.tasks import ContractTasks
from bot.storage.tickets import Tickets, Timeline
from bot.storage.timers import Timers
from bot.storage.updates import HandledUpdates
from bot.storage.users import Drafts, Users

if TYPE_CHECKING:
    from bot.services.uow import UnitOfWork


class SqliteUnitOfWork:
    """The repositories of one transaction (`conn` is for tests and benchmarks only). Each is
    made when first used: a transaction uses two or three of these twenty, and every update
    and sent round opens one."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    @cached_property
    def users(self) -> Users:
        return Users(self.conn)

    @cached_property
    def tickets(self) -> Tickets:
        return Tickets(self.conn)

    @cached_property
    def timeline(self) -> Timeline:
        return Timeline(self.conn)

    @cached_property
    def drafts(self) -> Drafts:
        return Drafts(self.conn)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.conn)

    @cached_property
    def timers(self) -> Timers:
        return Timers(self.conn)

    @cached_property
    def clocks(self) -> Clocks:
        return Clocks(self.conn)

    @cached_property
    def pauses(self) -> Pauses:
        return Pauses(self.conn)

    @cached_property
    def rosters(self) -> Rosters:
        return Rosters(self.conn)

    @cached_property
    def handled_updates(self) -> HandledUpdates:
        return HandledUpdates(self.conn)

    @cached_property
    def surveys(self) -> Surveys:
        return Surveys(self.conn)

    @cached_property
    def complaints(self) -> Complaints:
        return Complaints(self.conn)

    @cached_property
    def records(self) -> Records:
        return Records(self.conn)

    @cached_property
    def daily(self) -> DailyReports:
        return DailyReports(self.conn)

    @cached_property
    def audit(self) -> Audit:
        return Audit(self.conn)

    @cached_property
    def monthly(self) -> Monthly:
        return Monthly(self.conn)

    @cached_property
    def document_jobs(self) -> DocumentJobs:
        return DocumentJobs(self.conn)

    @cached_property
    def contract_tasks(self) -> ContractTasks:
        return ContractTasks(self.conn)

    @cached_property
    def events(self) -> Events:
        return Events(self.conn)

    @cached_property
    def retention(self) -> Retention:
        return Retention(self.conn)

    @cached_property
    def devices(self) -> Devices:
        return Devices(self.conn)


if TYPE_CHECKING:
    # mypy checks here that these repositories still satisfy the services' port.
    _satisfies_the_port: type[UnitOfWork] = SqliteUnitOfWork


@asynccontextmanager
async def unit_of_work(db: Database) -> AsyncIterator[SqliteUnitOfWork]:
    """Open a transaction (BEGIN IMMEDIATE); commit when the block ends, roll back on error."""
    async with db.transaction() as conn:
        yield SqliteUnitOfWork(conn)


@asynccontextmanager
async def reading(db: Database) -> AsyncIterator[SqliteUnitOfWork]:
    """Repositories for one-statement lookups on the writer connection, outside a transaction
    (the sender's next round: it runs several times a second). Never write through these."""
    async with db.reading() as conn:
        yield SqliteUnitOfWork(conn)


@asynccontextmanager
async def snapshot(path: Path | str) -> AsyncIterator[SqliteUnitOfWork]:
    """A read-only unit of work on its own connection to the database file: one consistent
    snapshot (a deferred read transaction; WAL) that never takes the write lock, so the bot's
    one writer connection keeps writing meanwhile. Nothing is migrated or created."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA query_only=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("BEGIN")  # deferred: the snapshot starts at the first read
        try:
            yield SqliteUnitOfWork(conn)
        finally:
            await conn.execute("ROLLBACK")
    finally:
        await conn.close()
