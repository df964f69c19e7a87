"""Major events added from chat (重大活动), their standby engineers, and who to tell of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import aiosqlite

from bot.domain.events import ALL, Event, Standby
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, req_dt


class Events:
    """Events change by conditional updates (a project is chosen once, an event ends once)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _event(r: aiosqlite.Row) -> Event:
        project = r["project_key"] or ""
        return Event(
            r["id"],
            () if project in (ALL, "") else (project,),
            r["name"],
            date.fromisoformat(r["start_day"]),
            date.fromisoformat(r["end_day"]),
            r["created_by"],
            req_dt(r, "created_at"),
            r["ended_by"] or "",
            dt(r, "ended_at"),
        )

    async def add(
        self, project_key: str | None, name: str, start: date, end: date, by: str, at: datetime
    ) -> Event:
        """A new event; `project_key` None: its creator has yet to pick the project."""
        cur = await self.conn.execute(
            """INSERT INTO events (project_key, name, start_day, end_day, created_by,
                   created_at) VALUES (?,?,?,?,?,?)""",
            (project_key, name, start.isoformat(), end.isoformat(), by, ts(at)),
        )
        assert cur.lastrowid is not None
        found = await self.get(cur.lastrowid)
        assert found is not None
        return found

    async def get(self, event_id: int) -> Event | None:
        """The event, also one whose project is not chosen yet (see `chosen`)."""
        async with self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._event(row)

    async def chosen(self, event_id: int) -> bool:
        async with self.conn.execute(
            "SELECT project_key IS NOT NULL FROM events WHERE id = ?", (event_id,)
        ) as cur:
            row = await cur.fetchone()
        return bool(row and row[0])

    async def choose_project(self, event_id: int, project_key: str) -> bool:
        """Set the project of an event still waiting for it (once)."""
        cur = await self.conn.execute(
            "UPDATE events SET project_key = ? WHERE id = ? AND project_key IS NULL",
            (project_key, event_id),
        )
        return cur.rowcount == 1

    async def end(self, event_id: int, by: str, at: datetime) -> bool:
        """End an event now (once)."""
        cur = await self.conn.execute(
            "UPDATE events SET ended_by = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL",
            (by, ts(at), event_id),
        )
        return cur.rowcount == 1

    async def ending_since(self, day: date) -> list[Event]:
        """Events (with a project) whose last day is `day` or later, by start day."""
        async with self.conn.execute(
            """SELECT * FROM events WHERE end_day >= ? AND project_key IS NOT NULL
               ORDER BY start_day, id""",
            (day.isoformat(),),
        ) as cur:
            rows = await cur.fetchall()
        return [self._event(r) for r in rows]

    async def add_standby(self, s: Standby) -> bool:
        """False when they already stand by for this event (nothing changes)."""
        cur = await self.conn.execute(
            """INSERT OR IGNORE INTO event_standby (event_id, staff_key, named_by, at)
               VALUES (?,?,?,?)""",
            (s.event_id, s.staff_key, s.named_by, ts(s.at)),
        )
        return cur.rowcount == 1

    async def standby(self, event_ids: Sequence[int]) -> list[Standby]:
        """The standby engineers of these events, in the order they were named."""
        if not event_ids:
            return []
        marks = ",".join("?" * len(event_ids))
        async with self.conn.execute(
            f"SELECT * FROM event_standby WHERE event_id IN ({marks}) ORDER BY at, rowid",
            list(event_ids),
        ) as cur:
            rows = await cur.fetchall()
        return [
            Standby(r["event_id"], r["staff_key"], r["named_by"], req_dt(r, "at")) for r in rows
        ]

    async def customers(self, project_keys: Sequence[str]) -> list[int]:
        """Customers who joined these projects by invite and can be reached."""
        if not project_keys:
            return []
        marks = ",".join("?" * len(project_keys))
        async with self.conn.execute(
            f"""SELECT telegram_id FROM users WHERE project_key IN ({marks})
                AND started_at IS NOT NULL AND unreachable_at IS NULL ORDER BY telegram_id""",
            list(project_keys),
        ) as cur:
            rows = await cur.fetchall()
        return [int(r[0]) for r in rows]
