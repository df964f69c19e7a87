"""A SQLite connection as the repositories see it: the writer's statements run on the event loop.

aiosqlite runs each call on its own thread. That hand-over there and back costs about 70 µs of
CPU and two turns of the event loop, far more than the statement itself: a lookup by key or an
insert of one row takes SQLite a few µs, from pages the OS has cached. An update used to make
ten such hand-overs. So the writer connection's statements run right here, synchronously, and
only what waits for the disk goes to aiosqlite's thread: COMMIT, whose fsync
(`synchronous=FULL`) takes milliseconds (see `Database.transaction`). A snapshot's statements
(exports, reports: long scans on their own connection) keep running on that connection's
thread, so they never hold up the loop. A writer's statement that scans a lot (a manager's
summary of a month) holds the loop for as long as it takes, tens of ms at most in the tests; the
sender's read of a long queue asks for the thread (`off_loop`).

Both kinds look the same to a repository: `await conn.execute(sql, params)` (or
`async with conn.execute(...) as cur`) gives every row at once, with `rowcount` and
`lastrowid`; `execute_fetchall`, `executemany` and `fetch_tuples` do what they say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable, Sequence
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]


class Rows:
    """A statement's result: all its rows (fetched at once), its rowcount and lastrowid."""

    __slots__ = ("_next", "_rows", "lastrowid", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Any]:
        rows, self._next = self._rows[self._next:], len(self._rows)
        return rows

    async def __aenter__(self) -> Rows:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def _run(conn: sqlite3.Connection, sql: str, params: Params, tuples: bool = False) -> Rows:
    cur = conn.cursor()
    try:
        if tuples:
            cur.row_factory = None  # this cursor only: plain tuples, a third of the time
        cur.execute(sql, params)
        rows = cur.fetchall()
        return Rows(rows, cur.rowcount, cur.lastrowid)
    finally:
        cur.close()


def _run_many(conn: sqlite3.Connection, sql: str, seq: Iterable[Params]) -> Rows:
    cur = conn.executemany(sql, seq)
    try:
        return Rows([], cur.rowcount, cur.lastrowid)
    finally:
        cur.close()


class _Statement:
    """What `execute` gives: await it for the Rows, or use it in `async with`."""

    __slots__ = ("_conn", "_params", "_sql")

    def __init__(self, conn: Connection, sql: str, params: Params) -> None:
        self._conn = conn
        self._sql = sql
        self._params = params

    def __await__(self) -> Generator[Any, None, Rows]:
        return self._conn.run(self._sql, self._params).__await__()

    async def __aenter__(self) -> Rows:
        return await self._conn.run(self._sql, self._params)

    async def __aexit__(self, *exc: object) -> None:
        return None


class Connection:
    """An aiosqlite connection whose statements run on the event loop (`inline`, the writer)
    or on aiosqlite's thread (a snapshot's long reads)."""

    def __init__(self, aio: aiosqlite.Connection, *, inline: bool) -> None:
        self.aio = aio
        self.inline = inline
        # The sqlite3 connection itself; inline use needs it opened with check_same_thread off.
        self.sqlite: sqlite3.Connection = aio._conn

    def execute(self, sql: str, parameters: Params = ()) -> _Statement:
        return _Statement(self, sql, parameters)

    async def run(
        self, sql: str, parameters: Params = (), *, tuples: bool = False, off_loop: bool = False
    ) -> Rows:
        """Run one statement; `off_loop`: on aiosqlite's thread even on the writer (a scan
        long enough to hold up the loop)."""
        if self.inline and not off_loop:
            return _run(self.sqlite, sql, parameters, tuples)
        result: Rows = await self.aio._execute(_run, self.sqlite, sql, parameters, tuples)
        return result

    async def execute_fetchall(
        self, sql: str, parameters: Params = (), *, off_loop: bool = False
    ) -> list[Any]:
        return await (await self.run(sql, parameters, off_loop=off_loop)).fetchall()

    async def fetch_tuples(self, sql: str, parameters: Params = ()) -> list[tuple[Any, ...]]:
        """All rows as plain tuples, not Row objects (100 000 rows read in a third of the
        time)."""
        return await (await self.run(sql, parameters, tuples=True)).fetchall()

    async def executemany(
        self, sql: str, seq: Iterable[Params], *, off_loop: bool = False
    ) -> Rows:
        if self.inline and not off_loop:
            return _run_many(self.sqlite, sql, seq)
        result: Rows = await self.aio._execute(_run_many, self.sqlite, sql, list(seq))
        return result
