"""Timers: due events in the database; the JobQueue only wakes the bot to fire them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.services.uow import Timer
from bot.storage.connection import Connection
from bot.storage.db import from_ts, ts
from bot.storage.rows import req_dt


class Timers:
    """Due events. The JobQueue only wakes the bot; these rows are the truth."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # The earliest due time this transaction scheduled: the waker re-arms only if it is
        # earlier than what it waits for (no extra query per update).
        self.earliest_scheduled: datetime | None = None

    def _note(self, due_at: datetime) -> None:
        if self.earliest_scheduled is None or due_at < self.earliest_scheduled:
            self.earliest_scheduled = due_at

    async def schedule(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Create or move the timer with this key (a fired or cancelled one is re-armed)."""
        self._note(due_at)
        await self.conn.execute(
            """INSERT INTO timers (key, kind, ticket_id, user_id, due_at, payload)
               VALUES (?,?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at, state = 'pending',
                   payload = excluded.payload, fired_at = NULL""",
            (key, kind, ticket_id, user_id, ts(due_at), json.dumps(payload or {})),
        )

    async def schedule_once(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Like `schedule`, but a timer that already fired stays fired (exactly once)."""
        self._note(due_at)
        cur = await self.conn.execute(
            """INSERT INTO timers (key, kind, ticket_id, due_at, payload) VALUES (?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at, state = 'pending',
                   payload = excluded.payload
               WHERE timers.state != 'fired'""",
            (key, kind, ticket_id, ts(due_at), json.dumps(payload or {})),
        )
        return cur.rowcount > 0

    async def cancel(self, key: str) -> None:
        await self.conn.execute(
            "UPDATE timers SET state = 'cancelled' WHERE key = ? AND state = 'pending'", (key,)
        )

    async def cancel_prefix(self, ticket_id: int, prefix: str) -> None:
        """Cancel a ticket's pending timers whose key starts with `prefix`."""
        await self.conn.execute(
            """UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND state = 'pending'
               AND substr(key, 1, ?) = ?""",
            (ticket_id, len(prefix), prefix),
        )

    async def cancel_for_ticket(self, ticket_id: int, kind: str | None = None) -> None:
        if kind is None:
            await self.conn.execute(
                "UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND state = 'pending'",
                (ticket_id,),
            )
        else:
            await self.conn.execute(
                """UPDATE timers SET state = 'cancelled' WHERE ticket_id = ? AND kind = ?
                   AND state = 'pending'""",
                (ticket_id, kind),
            )

    async def count_fired(self, ticket_id: int, prefix: str) -> int:
        """How many of a ticket's timers whose key starts with `prefix` have fired."""
        async with self.conn.execute(
            """SELECT COUNT(*) FROM timers WHERE ticket_id = ? AND state = 'fired'
               AND substr(key, 1, ?) = ?""",
            (ticket_id, len(prefix), prefix),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def due(self, now: datetime, limit: int = 100) -> list[Timer]:
        async with self.conn.execute(
            """SELECT * FROM timers WHERE state = 'pending' AND due_at <= ?
               ORDER BY due_at, id LIMIT ?""",
            (ts(now), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            Timer(
                r["id"],
                r["key"],
                r["kind"],
                r["ticket_id"],
                r["user_id"],
                req_dt(r, "due_at"),
                json.loads(r["payload"]),
            )
            for r in rows
        ]

    async def mark_fired(self, timer_id: int, at: datetime) -> bool:
        """Claim a due timer; False if it was already fired or cancelled (fires once)."""
        cur = await self.conn.execute(
            "UPDATE timers SET state = 'fired', fired_at = ? WHERE id = ? AND state = 'pending'",
            (ts(at), timer_id),
        )
        return cur.rowcount == 1

    async def mark_failed(self, timer_id: int, at: datetime, error: str) -> None:
        """A pending timer whose handler raised: never due again; the error is kept."""
        await self.conn.execute(
            """UPDATE timers SET state = 'failed', failed_at = ?, error = ?
               WHERE id = ? AND state = 'pending'""",
            (ts(at), error[:1000], timer_id),
        )

    async def earliest(self) -> datetime | None:
        async with self.conn.execute(
            "SELECT MIN(due_at) FROM timers WHERE state = 'pending'"
        ) as cur:
            row = await cur.fetchone()
        return from_ts(row[0]) if row else None
