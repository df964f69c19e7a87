"""Each confirmed ticket's satisfaction survey and the call-back after a low score."""

from __future__ import annotations

import aiosqlite

from bot.domain.survey import Survey
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, opt_ts, req_dt


class Surveys:
    """One survey per ticket: the first answer is kept, a second one is refused."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _from_row(r: aiosqlite.Row) -> Survey:
        return Survey(
            ticket_id=r["ticket_id"],
            customer_id=r["customer_id"],
            stars=r["stars"],
            at=req_dt(r, "at"),
            comment=r["comment"],
            callback_by=r["callback_by"],
            callback_at=dt(r, "callback_at"),
            callback_note=r["callback_note"],
        )

    async def get(self, ticket_id: int) -> Survey | None:
        async with self.conn.execute(
            "SELECT * FROM surveys WHERE ticket_id = ?", (ticket_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def add(self, survey: Survey) -> bool:
        """Store the ticket's answer; False when it was answered before (nothing changes)."""
        cur = await self.conn.execute(
            "INSERT OR IGNORE INTO surveys (ticket_id, customer_id, stars, comment, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (survey.ticket_id, survey.customer_id, survey.stars, survey.comment, ts(survey.at)),
        )
        return cur.rowcount == 1

    async def update(self, survey: Survey) -> None:
        """The comment and the call-back, added later to a stored answer."""
        await self.conn.execute(
            "UPDATE surveys SET comment = ?, callback_by = ?, callback_at = ?, callback_note = ?"
            " WHERE ticket_id = ?",
            (
                survey.comment,
                survey.callback_by,
                opt_ts(survey.callback_at),
                survey.callback_note,
                survey.ticket_id,
            ),
        )
