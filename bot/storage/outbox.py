"""The outbox: Bot API calls written with the change that causes them, drained by the sender."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.delivery import Priority, round_order
from bot.services.uow import OutboxRow
from bot.storage.connection import Connection
from bot.storage.db import from_ts, ts
from bot.storage.rows import every, one


class Outbox:
    """Messages waiting to be sent; written in the same transaction as the change causing them."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.priority: int = Priority.PAGE
        self.reply_to: int | None = None
        self.urgent: int | None = None
        self.queued = False  # a row became due here (added or released): wake the sender
        self.behind = 0  # after due(): how many due rows that round left for a later one
        self.waiting = 0  # after due(): how many rows were due (this round's and the rest)

    async def add(
        self,
        chat_id: int,
        method: str,
        payload: dict[str, Any],
        at: datetime,
        *,
        ticket_id: int | None = None,
        purpose: str = "",
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue a Bot API call. With a dedupe_key, a second add of the same key is a no-op.
        Its class is the transaction's, or a reply in the chat of the person who acted."""
        priority = Priority.REPLY if chat_id == self.reply_to else self.priority
        cur = await self.conn.execute(
            """INSERT INTO outbox (chat_id, method, payload, dedupe_key, ticket_id, purpose,
                   next_attempt_at, created_at, priority) VALUES (?,?,?,?,?,?,?,?,?)
               ON CONFLICT(dedupe_key) DO NOTHING""",
            (
                chat_id,
                method,
                json.dumps(payload, ensure_ascii=False),
                dedupe_key,
                ticket_id,
                purpose,
                ts(at),
                ts(at),
                int(priority),
            ),
        )
        if not cur.rowcount:
            return None
        self.queued = True
        if self.urgent is None or priority < self.urgent:
            self.urgent = priority
        return cur.lastrowid

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> OutboxRow:
        return OutboxRow(
            r["id"],
            r["chat_id"],
            r["method"],
            json.loads(r["payload"]),
            r["ticket_id"],
            r["purpose"],
            r["status"],
            r["attempts"],
            r["message_id"],
            r["priority"],
        )

    async def due(
        self, now: datetime, limit: int = 50, skip: Collection[int] = (), *, long: bool = False
    ) -> list[OutboxRow]:
        """This round's messages: the first waiting message of each chat, if it is due (a
        chat whose first message waits for a retry waits as a whole: order per chat), in the
        order to send them (bot/domain/delivery.py). Chats in `skip` (the sender's pacing
        holds them back for a moment) are left out, so they do not take the round's places.
        `long`: the queue was long last time. The query reads every waiting row (10 000 take
        about 10 ms), so then it runs on aiosqlite's thread, not on the event loop."""
        rows = await every(
            self.conn,
            """WITH h AS MATERIALIZED (
                   SELECT o.id, o.priority, x.n FROM (SELECT MIN(id) AS head, COUNT(*) AS n
                       FROM outbox WHERE status = 'pending' GROUP BY chat_id) x
                   JOIN outbox o ON o.id = x.head WHERE o.next_attempt_at <= ?
                       AND o.chat_id NOT IN (SELECT value FROM json_each(?))
               ), pick AS (
                   SELECT id FROM (SELECT id FROM h ORDER BY priority, id LIMIT ?)
                   UNION SELECT MIN(id) FROM h GROUP BY priority  -- each class's oldest
               )
               SELECT o.*, (SELECT SUM(n) FROM h) AS waiting
               FROM outbox o JOIN pick ON o.id = pick.id""",
            (ts(now), json.dumps(list(skip)), limit),
            off_loop=long,
        )
        heads = round_order([self._from_row(r) for r in rows], limit)
        # Due rows this round leaves behind: a chat's later rows, heads past the limit.
        self.waiting = int(rows[0]["waiting"]) if rows else 0
        self.behind = self.waiting - len(heads)
        return heads

    async def next_attempt_at(self, after: datetime | None = None) -> datetime | None:
        """The earliest retry time of a pending row (only those later than `after`)."""
        params: tuple[str, ...] = ()
        if after is None:
            sql = "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
        else:
            sql = """SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'
                     AND next_attempt_at > ?"""
            params = (ts(after),)
        row = await one(self.conn, sql, params)
        return from_ts(row[0]) if row else None

    async def get(self, row_id: int) -> OutboxRow | None:
        row = await one(self.conn, "SELECT * FROM outbox WHERE id = ?", (row_id,))
        return None if row is None else self._from_row(row)

    async def mark_sent(self, row_id: int, at: datetime, message_id: int | None) -> str:
        """Record success; returns the status the row had (it may have been cancelled)."""
        cur = await self.conn.execute(
            """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,
               attempts = attempts + 1 WHERE id = ? AND status = 'pending'""",
            (ts(at), message_id, row_id),
        )
        if cur.rowcount == 1:
            return "pending"  # the usual case: one statement
        row = await one(self.conn, "SELECT status FROM outbox WHERE id = ?", (row_id,))
        previous = row["status"] if row else "missing"
        await self.conn.execute(
            """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,
               attempts = attempts + 1 WHERE id = ?""",
            (ts(at), message_id, row_id),
        )
        return str(previous)

    async def retry_later(self, row_id: int, when: datetime, error: str) -> None:
        await self.conn.execute(
            """UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, error = ?
               WHERE id = ? AND status = 'pending'""",
            (ts(when), error, row_id),
        )

    async def mark_failed(self, row_id: int, error: str) -> None:
        await self.conn.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = ? WHERE id = ?",
            (error, row_id),
        )

    async def cancel_pages(self, ticket_id: int) -> None:
        """Pages not yet sent for a ticket someone has taken are not sent at all."""
        await self.conn.execute(
            """UPDATE outbox SET status = 'cancelled' WHERE ticket_id = ?
               AND purpose IN ('page', 'group_page') AND status = 'pending'""",
            (ticket_id,),
        )

    async def sent_pages(self, ticket_id: int) -> list[OutboxRow]:
        rows = await every(
            self.conn,
            # Only the pages themselves: the edits that kept a page up to date carry its purpose.
            """SELECT * FROM outbox WHERE ticket_id = ? AND purpose IN ('page', 'group_page')
               AND method = 'sendMessage' AND status = 'sent' AND message_id IS NOT NULL
               ORDER BY id""",
            (ticket_id,)
        )
        return [self._from_row(r) for r in rows]

    async def kept(
        self, ticket_id: int, purpose: str, chat_id: int | None = None
    ) -> list[OutboxRow]:
        """The calls of one purpose about a ticket (a card, a page: sent, their edits) that are
        sent or still to be sent, oldest first; of one chat, or of every chat."""
        sql = """SELECT * FROM outbox WHERE ticket_id = ? AND purpose = ?
                 AND status IN ('pending', 'sent')"""
        params: tuple[int | str, ...] = (ticket_id, purpose)
        if chat_id is not None:
            sql += " AND chat_id = ?"
            params += (chat_id,)
        rows = await every(self.conn, sql + " ORDER BY id", params)
        return [self._from_row(r) for r in rows]

    async def shown(self, chat_id: int, message_id: int) -> OutboxRow | None:
        """The last sent call that set a message's text (its send or its latest edit)."""
        row = await one(
            self.conn,
            """SELECT * FROM outbox WHERE chat_id = ? AND status = 'sent' AND message_id = ?
               AND method IN ('sendMessage', 'editMessageText') ORDER BY id DESC LIMIT 1""",
            (chat_id, message_id)
        )
        return None if row is None else self._from_row(row)

    async def rewrite(self, row_id: int, payload: dict[str, Any]) -> bool:
        """A message not sent yet says something else when it goes; False once it has gone."""
        cur = await self.conn.execute(
            "UPDATE outbox SET payload = ? WHERE id = ? AND status = 'pending'",
            (json.dumps(payload, ensure_ascii=False), row_id),
        )
        return cur.rowcount > 0

    async def awaiting_document(self, job: str) -> list[OutboxRow]:
        """Pending rows whose document is still being typeset (payload `document_job`)."""
        rows = await every(
            self.conn,
            "SELECT * FROM outbox WHERE status = 'pending'"
            " AND json_extract(payload, '$.document_job') = ? ORDER BY id",
            (job,)
        )
        return [self._from_row(r) for r in rows]

    async def release(self, row_id: int, payload: dict[str, Any], now: datetime) -> None:
        """A row that waited for its document: its final payload, due now."""
        await self.conn.execute(
            "UPDATE outbox SET payload = ?, next_attempt_at = ?"
            " WHERE id = ? AND status = 'pending'",
            (json.dumps(payload, ensure_ascii=False), ts(now), row_id),
        )
        self.queued = True

    async def pending_count(self) -> int:
        row = await one(
            self.conn,
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
        )
        return int(row[0]) if row else 0
