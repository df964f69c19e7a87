"""Column values: times as fixed-width UTC text (see `db.ts`), read back as aware datetimes."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.storage.db import from_ts, ts


def dt(row: aiosqlite.Row, name: str) -> datetime | None:
    return from_ts(row[name])


def req_dt(row: aiosqlite.Row, name: str) -> datetime:
    value = from_ts(row[name])
    assert value is not None
    return value


def opt_ts(at: datetime | None) -> str | None:
    return None if at is None else ts(at)
