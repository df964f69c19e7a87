"""Column values: times as fixed-width UTC text (see `db.ts`), read back as aware datetimes."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.storage.connection import Connection, Params
from bot.storage.db import from_ts, ts


def dt(row: aiosqlite.Row, name: str) -> datetime | None:
    return from_ts(row[name])


def req_dt(row: aiosqlite.Row, name: str) -> datetime:
    value = from_ts(row[name])
    assert value is not None
    return value


def opt_ts(at: datetime | None) -> str | None:
    return None if at is None else ts(at)


async def one(
    conn: Connection, sql: str, params: Params = ()
) -> aiosqlite.Row | None:
    """The first row of a query (the query should find at most one)."""
    rows = list(await conn.execute_fetchall(sql, params))
    return rows[0] if rows else None


async def every(
    conn: Connection, sql: str, params: Params = (), *, off_loop: bool = False
) -> list[aiosqlite.Row]:
    """All rows of a query (`off_loop`: see `Connection.run`)."""
    return list(await conn.execute_fetchall(sql, params, off_loop=off_loop))
