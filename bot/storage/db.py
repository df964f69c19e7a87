"""The database: one writer connection, WAL, migrations by PRAGMA user_version (the
migrations themselves: bot/storage/migrations.py).

All access goes through `Database.transaction()`, which holds an asyncio lock and a
`BEGIN IMMEDIATE` transaction: handlers run concurrently, but SQLite sees one writer at a time, so
there is no "database is locked" and a state change commits together with its outbox rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.connection import Connection
from bot.storage.migrations import MIGRATIONS  # read here by _migrate (tests replace it here)

log = logging.getLogger(__name__)

TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def ts(dt: datetime) -> str:
    """Store aware datetimes as fixed-width UTC text, so text order is time order."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime reached the database")
    return dt.astimezone(UTC).strftime(TS_FORMAT)


def from_ts(text: str | None) -> datetime | None:
    if text is None:
        return None
    # fromisoformat reads our fixed-width "…Z" text about ten times faster than strptime (it
    # matters when the auditor's export reads 100 000 timestamps).
    at = datetime.fromisoformat(text)
    if at.tzinfo is not UTC or len(text) != 27:
        raise ValueError(f"not a stored UTC time: {text!r}")
    return at


class Database:
    """The single connection to the SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._conn: aiosqlite.Connection | None = None
        self._writer: Connection | None = None
        # A COMMIT on aiosqlite's thread whose caller stopped waiting for it (cancelled).
        self._in_flight: asyncio.Future[None] | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        # check_same_thread=False: the writer's statements run on the event loop's thread,
        # COMMIT on aiosqlite's (bot/storage/connection.py); the lock keeps them one at a time.
        # cached_statements: the bot has more than the default 128 statements (each length of
        # an `IN (?, …)` list counts as one): all of them stay prepared.
        self._conn = await aiosqlite.connect(
            str(self.path), isolation_level=None, check_same_thread=False, cached_statements=512
        )
        self._conn.row_factory = aiosqlite.Row
        self._writer = Connection(self._conn, inline=True)
        # A new file gives pruned pages back to the file system (bot/storage/retention.py);
        # the mode can only be chosen before the first table is created.
        await self._conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA busy_timeout=5000",
            "PRAGMA foreign_keys=ON",
        ):
            await self._conn.execute(pragma)
        await self._migrate()

    async def close(self) -> None:
        if self._conn is not None:
            await self._settled()
            await self._conn.close()
            self._conn = None
            self._writer = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            log.info("migrating database to version %d", number)
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in script.split(";"):
                    if statement.strip():
                        await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version={number}")
                await self.conn.execute("COMMIT")
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise

    async def schema_version(self) -> int:
        async with self.reading() as conn:
            rows = await conn.execute_fetchall("PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    @property
    def writer(self) -> Connection:
        """The connection as repositories use it: statements run on the event loop."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Connection]:
        """The connection for one-statement lookups outside any transaction (each statement
        reads its own snapshot): no BEGIN and COMMIT around a single read. Never write here."""
        async with self._lock:
            await self._settled()
            yield self.writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """One writer at a time; commits on success, rolls back on any error.

        BEGIN and the body's statements run on the event loop; COMMIT waits for the disk on
        aiosqlite's thread, shielded: a caller cancelled meanwhile still waits for it (the
        connection must be settled), and one cancelled again leaves, after which whoever takes
        the connection next waits for that COMMIT to end first (`_settled`)."""
        async with self._lock:
            await self._settled()
            writer = self.writer
            # Never waits: this is the only writer of the file (bot/storage/lock.py), and in
            # WAL mode readers (snapshots, backups) do not block it.
            writer.sqlite.execute("BEGIN IMMEDIATE")
            try:
                yield writer
                commit = writer.aio._execute(_commit, writer.sqlite)
                self._in_flight = asyncio.ensure_future(commit)
                await asyncio.shield(self._in_flight)
                self._in_flight = None
            except BaseException:
                # Whatever failed — the body, the COMMIT, or a cancel while it was written —
                # the connection must leave here outside any transaction, or every later BEGIN
                # fails.
                await self._settled()
                raise

    async def _settled(self) -> None:
        """Wait for a COMMIT still running on aiosqlite's thread (its caller was cancelled),
        then roll back whatever transaction is still open: the connection is free to use."""
        while self._in_flight is not None:
            in_flight = self._in_flight
            with contextlib.suppress(Exception):
                await asyncio.shield(in_flight)
            if self._in_flight is in_flight:  # (another waiter may have cleared it)
                self._in_flight = None
        if self._writer is not None and self._writer.sqlite.in_transaction:
            self._writer.sqlite.execute("ROLLBACK")


def _commit(conn: sqlite3.Connection) -> None:
    conn.execute("COMMIT")
