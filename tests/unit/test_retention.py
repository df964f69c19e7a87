"""Retention in storage: what the nightly pruning deletes, what it keeps, and the file's
free pages given back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.storage.db import Database
from bot.storage.uow import SqliteUnitOfWork, unit_of_work
from tests.unit.storage_helpers import T0, draft_ticket, scalar_uow

OLD = T0 - timedelta(days=200)
CUTOFF = T0 - timedelta(days=90)


async def sent(uow: SqliteUnitOfWork, at: object, ticket_id: int | None = None) -> int:
    row = await uow.outbox.add(7001, "sendMessage", {"text": "x"}, at, ticket_id=ticket_id)
    assert row is not None
    await uow.outbox.mark_sent(row, at, 1)
    return row


async def ids(uow: SqliteUnitOfWork, table: str) -> set[int]:
    async with uow.conn.execute(f"SELECT id FROM {table}") as cur:
        return {int(r[0]) for r in await cur.fetchall()}


async def test_old_messages_go_but_pending_recent_and_open_tickets_stay(
    uow: SqliteUnitOfWork,
) -> None:
    closed = await uow.tickets.add(draft_ticket())
    still_open = await uow.tickets.add(draft_ticket(customer_id=501))
    await uow.conn.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", (closed.id,))
    gone = {
        await sent(uow, OLD),
        await sent(uow, OLD, closed.id),
    }
    failed = await uow.outbox.add(7001, "sendMessage", {"text": "y"}, OLD)
    assert failed is not None
    await uow.outbox.mark_failed(failed, "Forbidden")
    gone.add(failed)
    kept = {
        await sent(uow, T0 - timedelta(days=10)),  # recent
        await sent(uow, OLD, still_open.id),  # its pages are still edited
    }
    pending = await uow.outbox.add(7001, "sendMessage", {"text": "z"}, OLD)  # never sent
    assert pending is not None
    kept.add(pending)

    assert await uow.retention.prune_outbox(CUTOFF, 1000) == len(gone)
    assert await ids(uow, "outbox") == kept
    assert await uow.retention.prune_outbox(CUTOFF, 1000) == 0


async def test_old_fired_and_cancelled_timers_go_pending_stay(uow: SqliteUnitOfWork) -> None:
    open_ticket = await uow.tickets.add(draft_ticket())
    for key in ("fired", "cancelled", "pending", "recent", "of-open-ticket"):
        due = T0 - timedelta(days=1) if key == "recent" else OLD
        ticket = open_ticket.id if key == "of-open-ticket" else None
        await uow.timers.schedule(key, "sla_warn", due, ticket_id=ticket)
    async with uow.conn.execute("SELECT key, id FROM timers") as cur:
        by_key = {r[0]: r[1] for r in await cur.fetchall()}
    for key in ("fired", "recent", "of-open-ticket"):
        assert await uow.timers.mark_fired(by_key[key], T0)
    await uow.timers.cancel("cancelled")

    assert await uow.retention.prune_timers(CUTOFF, 1000) == 2
    assert await ids(uow, "timers") == {
        by_key["pending"], by_key["recent"], by_key["of-open-ticket"]
    }


async def test_batches_are_bounded(uow: SqliteUnitOfWork) -> None:
    for _ in range(25):
        await sent(uow, OLD)
    assert [await uow.retention.prune_outbox(CUTOFF, 10) for _ in range(4)] == [10, 10, 5, 0]


async def test_a_new_database_gives_freed_pages_back(tmp_path: Path) -> None:
    db = Database(tmp_path / "bot.db")
    await db.open()
    try:
        async with unit_of_work(db) as uow:
            assert await scalar_uow(uow, "PRAGMA auto_vacuum") == 2  # incremental
            for _ in range(2000):
                await sent(uow, OLD)
        async with unit_of_work(db) as uow:
            while await uow.retention.prune_outbox(CUTOFF, 500):
                pass
        async with unit_of_work(db) as uow:
            pages = int(await scalar_uow(uow, "PRAGMA page_count"))  # type: ignore[call-overload]
            free = await uow.retention.free_pages()
            assert free > 10
            await uow.retention.give_back(free)
        async with unit_of_work(db) as uow:
            assert await uow.retention.free_pages() == 0
            after = int(await scalar_uow(uow, "PRAGMA page_count"))  # type: ignore[call-overload]
        assert after <= pages - free
    finally:
        await db.close()


async def test_an_old_file_without_incremental_vacuum_reports_nothing_to_give_back(
    tmp_path: Path,
) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()  # mode chosen: none
    db = Database(path)
    await db.open()
    try:
        async with unit_of_work(db) as uow:
            assert await scalar_uow(uow, "PRAGMA auto_vacuum") == 0
            for _ in range(500):
                await sent(uow, OLD)
        async with unit_of_work(db) as uow:
            assert await uow.retention.prune_outbox(CUTOFF, 1000) == 500
        async with unit_of_work(db) as uow:
            assert await uow.retention.free_pages() == 0  # reused by new rows instead
    finally:
        await db.close()
