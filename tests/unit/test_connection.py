"""The repositories' connection: the writer's statements run on the event loop's thread,
`off_loop` ones and a snapshot's on aiosqlite's thread, and both give the same results."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.storage.connection import Connection
from bot.storage.db import Database
from bot.storage.uow import snapshot


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "c.db")
    await database.open()
    # A SQL function that says which thread runs the statement calling it.
    database.conn._conn.create_function("thread_id", 0, threading.get_ident)
    yield database
    await database.close()


async def thread_of(conn: Connection, **kw: bool) -> int:
    rows = await conn.execute_fetchall("SELECT thread_id()", **kw)
    return int(rows[0][0])


async def test_the_writers_statements_run_on_the_loop_and_off_loop_ones_on_the_thread(
    db: Database,
) -> None:
    here = threading.get_ident()
    async with db.transaction() as conn:
        assert await thread_of(conn) == here
        async with conn.execute("SELECT thread_id() AS t") as cur:
            assert (await cur.fetchone())["t"] == here
        assert await thread_of(conn, off_loop=True) != here
    async with db.reading() as conn:
        assert await thread_of(conn) == here


async def test_a_snapshot_reads_off_the_loop_on_its_own_connection(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO handled_updates (update_id, handled_at) VALUES (1, 'x')")
    async with snapshot(db.path) as uow:
        assert not uow.conn.inline
        rows = await uow.conn.execute_fetchall("SELECT count(*) FROM handled_updates")
    assert rows[0][0] == 1


@pytest.mark.parametrize("off_loop", [False, True])
async def test_both_ways_give_the_same_rows_rowcount_and_lastrowid(
    db: Database, off_loop: bool
) -> None:
    async with db.transaction() as conn:
        first = await conn.run(
            "INSERT INTO handled_updates (update_id, handled_at) VALUES (5, 'a')",
            off_loop=off_loop,
        )
        assert (first.rowcount, first.lastrowid) == (1, 5)
        many = await conn.executemany(
            "INSERT INTO handled_updates (update_id, handled_at) VALUES (?, 'b')",
            [(6,), (7,)],
        )
        assert many.rowcount == 2
        changed = await conn.run(
            "UPDATE handled_updates SET handled_at = 'c' WHERE update_id > 5 RETURNING update_id",
            off_loop=off_loop,
        )
        assert sorted(r[0] for r in await changed.fetchall()) == [6, 7]
        assert changed.rowcount == 2
        cur = await conn.run("SELECT update_id FROM handled_updates ORDER BY 1", off_loop=off_loop)
        assert (await cur.fetchone())[0] == 5
        assert [r[0] for r in await cur.fetchall()] == [6, 7]  # the rest, once
        assert await cur.fetchone() is None
        assert await conn.fetch_tuples("SELECT update_id, handled_at FROM handled_updates "
                                       "WHERE update_id = 5") == [(5, "a")]
