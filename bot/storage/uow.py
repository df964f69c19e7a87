"""The SQLite unit of work: one transaction's repositories, one module per aggregate."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, overload

import aiosqlite

from bot.storage.audit import Audit
from bot.storage.complaints import Complaints
from bot.storage.connection import Connection
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

R = TypeVar("R")


class _Repository(Generic[R]):
    """A repository made on first use and kept on the unit of work (then read as a plain
    attribute). Lighter than functools.cached_property, which takes a lock on each first use."""

    def __init__(self, make: Callable[[Connection], R]) -> None:
        self.make = make
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[R]: ...

    @overload
    def __get__(self, uow: SqliteUnitOfWork, owner: type | None = None) -> R: ...

    def __get__(
        self, uow: SqliteUnitOfWork | None, owner: type | None = None
    ) -> R | _Repository[R]:
        if uow is None:
            return self  # read on the class itself
        repository = self.make(uow.conn)
        uow.__dict__[self.name] = repository
        return repository


class SqliteUnitOfWork:
    """The repositories of one transaction (`conn` is for tests and benchmarks only). Each is
    made when first used: a transaction uses two or three of these twenty, and every update
    and sent round opens one."""

    users = _Repository(Users)
    tickets = _Repository(Tickets)
    timeline = _Repository(Timeline)
    drafts = _Repository(Drafts)
    outbox = _Repository(Outbox)
    timers = _Repository(Timers)
    clocks = _Repository(Clocks)
    pauses = _Repository(Pauses)
    rosters = _Repository(Rosters)
    handled_updates = _Repository(HandledUpdates)
    surveys = _Repository(Surveys)
    complaints = _Repository(Complaints)
    records = _Repository(Records)
    daily = _Repository(DailyReports)
    audit = _Repository(Audit)
    monthly = _Repository(Monthly)
    document_jobs = _Repository(DocumentJobs)
    contract_tasks = _Repository(ContractTasks)
    events = _Repository(Events)
    retention = _Repository(Retention)
    devices = _Repository(Devices)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn


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
            # Its long reads run on the connection's own thread, never on the event loop.
            yield SqliteUnitOfWork(Connection(conn, inline=False))
        finally:
            await conn.execute("ROLLBACK")
    finally:
        await conn.close()
