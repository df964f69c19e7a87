"""Complaints (numbered on their own, C-N) and their timeline, appended, never changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.complaints import COMPLAINT_STATUSES, Complaint, ComplaintEntry
from bot.domain.literals import one_of
from bot.services.uow import ConcurrentUpdate
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, opt_ts, req_dt

_COLUMNS = (
    "project_key", "customer_id", "ticket_id", "content", "photos", "status", "owner_key",
    "received_at", "taken_at", "first_response_at", "closed_at", "result", "satisfied",
)


def _values(c: Complaint) -> list[Any]:
    return [
        c.project_key, c.customer_id, c.ticket_id, c.content, json.dumps(list(c.photos)),
        c.status, c.owner_key, ts(c.received_at), opt_ts(c.taken_at),
        opt_ts(c.first_response_at), opt_ts(c.closed_at), c.result,
        None if c.satisfied is None else int(c.satisfied),
    ]


def _from_row(r: aiosqlite.Row) -> Complaint:
    return Complaint(
        id=r["id"],
        project_key=r["project_key"],
        customer_id=r["customer_id"],
        content=r["content"],
        received_at=req_dt(r, "received_at"),
        ticket_id=r["ticket_id"],
        photos=tuple(json.loads(r["photos"])),
        status=one_of(r["status"], COMPLAINT_STATUSES, "complaint status"),
        owner_key=r["owner_key"],
        taken_at=dt(r, "taken_at"),
        first_response_at=dt(r, "first_response_at"),
        closed_at=dt(r, "closed_at"),
        result=r["result"],
        satisfied=None if r["satisfied"] is None else bool(r["satisfied"]),
        version=r["version"],
    )


class Complaints:
    """Complaints and their timeline."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add(self, c: Complaint) -> Complaint:
        marks = ",".join("?" * len(_COLUMNS))
        cur = await self.conn.execute(
            f"INSERT INTO complaints ({','.join(_COLUMNS)}) VALUES ({marks})", _values(c)
        )
        assert cur.lastrowid is not None
        return replace(c, id=cur.lastrowid, version=0)

    async def get(self, complaint_id: int) -> Complaint | None:
        async with self.conn.execute(
            "SELECT * FROM complaints WHERE id = ?", (complaint_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _from_row(row)

    async def save(self, c: Complaint) -> Complaint:
        """Raises ConcurrentUpdate if the complaint changed since it was read."""
        sets = ",".join(f"{name} = ?" for name in _COLUMNS)
        cur = await self.conn.execute(
            f"UPDATE complaints SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
            [*_values(c), c.id, c.version],
        )
        if cur.rowcount != 1:
            raise ConcurrentUpdate(c.id)
        return replace(c, version=c.version + 1)

    async def open_of_projects(self, project_keys: list[str], limit: int = 50) -> list[Complaint]:
        if not project_keys:
            return []
        marks = ",".join("?" * len(project_keys))
        return await self._list(
            f"project_key IN ({marks}) AND status != 'closed'", project_keys, limit
        )

    async def received_between(
        self, project_key: str, start: datetime, end: datetime
    ) -> list[Complaint]:
        return await self._list(
            "project_key = ? AND received_at >= ? AND received_at < ?",
            [project_key, ts(start), ts(end)],
            100_000,
        )

    async def _list(self, where: str, params: list[Any], limit: int) -> list[Complaint]:
        async with self.conn.execute(
            f"SELECT * FROM complaints WHERE {where} ORDER BY id LIMIT ?", [*params, limit]
        ) as cur:
            rows = await cur.fetchall()
        return [_from_row(r) for r in rows]

    async def recent_ticket_ids(self, customer_id: int, limit: int = 5) -> list[int]:
        """The customer's latest tickets (open or not), newest first: what a complaint may be
        about."""
        async with self.conn.execute(
            "SELECT id FROM tickets WHERE customer_id = ? ORDER BY id DESC LIMIT ?",
            (customer_id, limit),
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def append(
        self, complaint_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None:
        await self.conn.execute(
            "INSERT INTO complaint_events (complaint_id, at, actor, kind, detail) "
            "VALUES (?,?,?,?,?)",
            (complaint_id, ts(at), actor, kind, json.dumps(detail, ensure_ascii=False)),
        )

    async def timeline(self, complaint_id: int) -> list[ComplaintEntry]:
        async with self.conn.execute(
            "SELECT * FROM complaint_events WHERE complaint_id = ? ORDER BY id", (complaint_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [
            ComplaintEntry(
                r["complaint_id"], req_dt(r, "at"), r["actor"], r["kind"], json.loads(r["detail"])
            )
            for r in rows
        ]
