"""Retention: the delivery log (sent outbox rows) and fired timers are pruned after a while.

Tickets, timelines, reports, signatures and ledgers are kept for ever (they are the
evidence); what goes is the machinery's trace. Rows of a ticket that is not closed stay
whatever their age: its pages are edited when it is taken, its escalations counted.
"""

from __future__ import annotations

from datetime import datetime

from bot.storage.connection import Connection
from bot.storage.db import ts

# Rows of these states are history; pending or in-flight rows are never touched.
DONE_MESSAGES = ("sent", "failed", "cancelled")
DONE_TIMERS = ("fired", "cancelled")


class Retention:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def prune_outbox(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` finished messages queued before `before`; how many went."""
        return await self._prune(
            "outbox", "status", DONE_MESSAGES, "next_attempt_at", before, limit
        )

    async def prune_timers(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` fired or cancelled timers due before `before`."""
        return await self._prune("timers", "state", DONE_TIMERS, "due_at", before, limit)

    async def _prune(
        self, table: str, state: str, done: tuple[str, ...], at: str, before: datetime, limit: int
    ) -> int:
        """One batch of a table's finished rows older than `before`, none of an open ticket.
        On aiosqlite's thread: deleting a thousand rows is too long to hold up the loop."""
        cur = await self.conn.run(
            f"""DELETE FROM {table} WHERE id IN (
                   SELECT r.id FROM {table} r LEFT JOIN tickets t ON t.id = r.ticket_id
                   WHERE r.{state} IN ({_marks(done)}) AND r.{at} < ?
                     AND (r.ticket_id IS NULL OR t.id IS NULL OR t.status = 'closed')
                   LIMIT ?)""",
            (*done, ts(before), limit),
            off_loop=True,
        )
        return cur.rowcount

    async def free_pages(self) -> int:
        """Pages the file could give back: 0 unless the database vacuums incrementally."""
        async with self.conn.execute("PRAGMA auto_vacuum") as cur:
            row = await cur.fetchone()
        if row is None or int(row[0]) != INCREMENTAL:
            return 0
        async with self.conn.execute("PRAGMA freelist_count") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def give_back(self, pages: int) -> None:
        """Return up to `pages` free pages to the file system (the file shrinks)."""
        # Each step of the statement frees one page, and Python's sqlite3 steps a statement
        # that returns no rows once per execution: run it once per page, in one call.
        # On aiosqlite's thread: a batch of pages is too long to hold up the loop.
        await self.conn.executemany(
            "PRAGMA incremental_vacuum", [()] * max(0, pages), off_loop=True
        )


INCREMENTAL = 2  # PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))
