"""Handled updates: the update_ids whose effects are committed, so a re-delivery is skipped."""

from __future__ import annotations

from datetime import datetime

from bot.storage.connection import Connection
from bot.storage.db import ts


class HandledUpdates:
    """Telegram re-delivers an update until a later getUpdates confirms it; a bot killed in
    between gets it again after the restart. Claiming its id in the transaction of its effects
    makes the second delivery a no-op."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Remember the update as handled; False if it was handled before."""
        cur = await self.conn.execute(
            """INSERT INTO handled_updates (update_id, handled_at) VALUES (?, ?)
               ON CONFLICT(update_id) DO NOTHING""",
            (update_id, ts(at)),
        )
        return cur.rowcount == 1

    async def forget_before(self, at: datetime) -> int:
        """Drop the ids handled before `at` (Telegram no longer re-delivers them)."""
        cur = await self.conn.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (ts(at),)
        )
        return cur.rowcount
