"""Daily maintenance reports: the work items engineers add, the signed parts (insert-only) and
their archived PDF files per language. Nothing here updates or deletes a row."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.daily import DailyContent, Signature, SignedPart, WorkItem, staff_actor_of
from bot.storage.connection import Connection
from bot.storage.db import from_ts, ts


class DailyReports:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------ what the day holds
    async def touched_tickets(
        self, staff_key: str, project_key: str, start: datetime, end: datetime
    ) -> list[int]:
        """Tickets of the project with a timeline entry of this staff member in [start, end)."""
        async with self.conn.execute(
            "SELECT DISTINCT e.ticket_id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
            " WHERE e.actor = ? AND e.at >= ? AND e.at < ? AND t.project_key = ?"
            " ORDER BY e.ticket_id",
            (staff_actor_of(staff_key), ts(start), ts(end), project_key),
        ) as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def add_work(
        self, staff_key: str, project_key: str, day: date, at: datetime, text: str
    ) -> WorkItem:
        cur = await self.conn.execute(
            "INSERT INTO daily_work (staff_key, project_key, day, at, text) VALUES (?,?,?,?,?)",
            (staff_key, project_key, day.isoformat(), ts(at), text),
        )
        assert cur.lastrowid is not None
        return WorkItem(cur.lastrowid, at, text)

    async def work_of(self, staff_key: str, project_key: str, day: date) -> list[WorkItem]:
        async with self.conn.execute(
            "SELECT id, at, text FROM daily_work WHERE staff_key = ? AND project_key = ?"
            " AND day = ? ORDER BY id",
            (staff_key, project_key, day.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        items = []
        for r in rows:
            at = from_ts(r["at"])
            assert at is not None
            items.append(WorkItem(r["id"], at, r["text"]))
        return items

    # ------------------------------------------------------------------ signed parts
    async def signed(self, staff_key: str, project_key: str, day: date) -> list[SignedPart]:
        async with self.conn.execute(
            "SELECT * FROM daily_reports WHERE staff_key = ? AND project_key = ? AND day = ?"
            " ORDER BY part",
            (staff_key, project_key, day.isoformat()),
        ) as cur:
            rows = await cur.fetchall()
        parts = []
        for r in rows:
            at = from_ts(r["signed_at"])
            assert at is not None
            parts.append(
                SignedPart(
                    DailyContent.from_json(r["content"]),
                    Signature(at, r["signed_by_id"], r["signed_by_name"]),
                    r["sha256"],
                )
            )
        return parts

    async def sign(self, part: SignedPart) -> bool:
        """Archive a signed part; False when that part was signed before (nothing changes)."""
        c, s = part.content, part.signature
        cur = await self.conn.execute(
            "INSERT OR IGNORE INTO daily_reports (staff_key, project_key, day, part, signed_at,"
            " signed_by_id, signed_by_name, content, sha256) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                c.staff_key,
                c.project_key,
                c.day.isoformat(),
                c.part,
                ts(s.at),
                s.by_id,
                s.by_name,
                c.to_json(),
                part.sha256,
            ),
        )
        return cur.rowcount == 1

    # ------------------------------------------------------------------ archived files
    async def add_file(
        self, content: DailyContent, language: str, path: str, sha256: str
    ) -> None:
        await self.conn.execute(
            "INSERT OR IGNORE INTO daily_report_files (staff_key, project_key, day, part,"
            " language, path, sha256) VALUES (?,?,?,?,?,?,?)",
            (
                content.staff_key,
                content.project_key,
                content.day.isoformat(),
                content.part,
                language,
                path,
                sha256,
            ),
        )

    async def file(self, content: DailyContent, language: str) -> tuple[str, str] | None:
        """The archived PDF of a signed part in a language: (path, sha256), if made."""
        async with self.conn.execute(
            "SELECT path, sha256 FROM daily_report_files WHERE staff_key = ? AND project_key = ?"
            " AND day = ? AND part = ? AND language = ?",
            (
                content.staff_key,
                content.project_key,
                content.day.isoformat(),
                content.part,
                language,
            ),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else (row["path"], row["sha256"])
