"""Tickets (a conditional save per version) and their timeline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.ticket import OPEN_STATUSES, Deadlines, Level, Status, Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.uow import ConcurrentUpdate
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, opt_ts, req_dt

_TICKET_COLUMNS = (
    "project_key customer_id level status reported_at respond_due arrive_due repair_due site "
    "latitude longitude symptom model contact_name contact_unit contact_phone photos owner_key "
    "handover_to accepted_at on_way_at on_site_at resolved_at closed_at cause resolution "
    "reopen_count arrival_distance_m serial blocking_reason channel closed_unconfirmed "
    "relay_staff billing kind preferred"
).split()


class Tickets:
    """Tickets; a save applies only to the version that was read (else ConcurrentUpdate)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _values(t: Ticket) -> list[Any]:
        d = t.deadlines
        return [
            t.project_key,
            t.customer_id,
            t.level.value,
            t.status.value,
            ts(t.reported_at),
            ts(d.respond_due),
            ts(d.arrive_due),
            opt_ts(d.repair_due),
            t.site,
            t.latitude,
            t.longitude,
            t.symptom,
            t.model,
            t.contact_name,
            t.contact_unit,
            t.contact_phone,
            json.dumps(list(t.photos)),
            t.owner_key,
            t.handover_to,
            opt_ts(t.accepted_at),
            opt_ts(t.on_way_at),
            opt_ts(t.on_site_at),
            opt_ts(t.resolved_at),
            opt_ts(t.closed_at),
            t.cause,
            t.resolution,
            t.reopen_count,
            t.arrival_distance_m,
            t.serial,
            t.blocking_reason,
            t.channel,
            int(t.closed_unconfirmed),
            t.relay_staff,
            t.billing,
            t.kind,
            t.preferred,
        ]

    @staticmethod
    def _from_row(row: aiosqlite.Row) -> Ticket:
        return Ticket(
            id=row["id"],
            project_key=row["project_key"],
            customer_id=row["customer_id"],
            level=Level(row["level"]),
            status=Status(row["status"]),
            reported_at=req_dt(row, "reported_at"),
            deadlines=Deadlines(
                respond_due=req_dt(row, "respond_due"),
                arrive_due=req_dt(row, "arrive_due"),
                repair_due=dt(row, "repair_due"),
            ),
            site=row["site"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            symptom=row["symptom"],
            model=row["model"],
            serial=row["serial"],
            contact_name=row["contact_name"],
            contact_unit=row["contact_unit"],
            contact_phone=row["contact_phone"],
            photos=tuple(json.loads(row["photos"])),
            owner_key=row["owner_key"],
            handover_to=row["handover_to"],
            accepted_at=dt(row, "accepted_at"),
            on_way_at=dt(row, "on_way_at"),
            on_site_at=dt(row, "on_site_at"),
            resolved_at=dt(row, "resolved_at"),
            closed_at=dt(row, "closed_at"),
            cause=row["cause"],
            resolution=row["resolution"],
            reopen_count=row["reopen_count"],
            arrival_distance_m=row["arrival_distance_m"],
            blocking_reason=row["blocking_reason"],
            channel=row["channel"],
            closed_unconfirmed=bool(row["closed_unconfirmed"]),
            relay_staff=row["relay_staff"],
            billing=row["billing"],
            kind=row["kind"],
            preferred=row["preferred"],
            version=row["version"],
        )

    async def add(self, ticket: Ticket) -> Ticket:
        """Insert a new ticket; its number comes from the one sequence of the deployment."""
        marks = ",".join("?" * len(_TICKET_COLUMNS))
        cur = await self.conn.execute(
            f"INSERT INTO tickets ({','.join(_TICKET_COLUMNS)}) VALUES ({marks})",
            self._values(ticket),
        )
        assert cur.lastrowid is not None
        stored = await self.get(cur.lastrowid)
        assert stored is not None
        return stored

    async def get(self, ticket_id: int) -> Ticket | None:
        async with self.conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._from_row(row)

    async def save(self, ticket: Ticket) -> Ticket:
        """Conditional update: applies only if nobody changed the ticket since it was read."""
        sets = ",".join(f"{c} = ?" for c in _TICKET_COLUMNS)
        cur = await self.conn.execute(
            f"UPDATE tickets SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
            [*self._values(ticket), ticket.id, ticket.version],
        )
        if cur.rowcount != 1:
            raise ConcurrentUpdate(ticket.id)
        stored = await self.get(ticket.id)
        assert stored is not None
        return stored

    async def _list(self, where: str, params: Sequence[Any], limit: int) -> list[Ticket]:
        async with self.conn.execute(
            f"SELECT * FROM tickets WHERE {where} ORDER BY id LIMIT ?", [*params, limit]
        ) as cur:
            rows = await cur.fetchall()
        return [self._from_row(r) for r in rows]

    async def open_of_customer(self, customer_id: int, limit: int = 50) -> list[Ticket]:
        marks = ",".join("?" * len(OPEN_STATUSES) + "?")
        return await self._list(
            f"customer_id = ? AND status IN ({marks})",
            [customer_id, *OPEN_STATUSES, Status.RESOLVED],
            limit,
        )

    async def open_of_projects(self, project_keys: Sequence[str], limit: int = 50) -> list[Ticket]:
        if not project_keys:
            return []
        pk = ",".join("?" * len(project_keys))
        st = ",".join("?" * len(OPEN_STATUSES))
        return await self._list(
            f"project_key IN ({pk}) AND status IN ({st})", [*project_keys, *OPEN_STATUSES], limit
        )

    async def open_of_owner(self, staff_key: str, limit: int = 50) -> list[Ticket]:
        st = ",".join("?" * len(OPEN_STATUSES))
        return await self._list(
            f"owner_key = ? AND status IN ({st})", [staff_key, *OPEN_STATUSES], limit
        )

    async def all_open(self, limit: int = 10_000) -> list[Ticket]:
        st = ",".join("?" * len(OPEN_STATUSES))
        return await self._list(f"status IN ({st})", [*OPEN_STATUSES], limit)


class Timeline:
    """What happened to each ticket, appended, never changed."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # (ticket, actor, kind) appended in this transaction: one log line each after commit.
        self.appended: list[tuple[int, str, str]] = []

    async def append(
        self, ticket_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None:
        self.appended.append((ticket_id, actor, kind))
        await self.conn.execute(
            "INSERT INTO ticket_events (ticket_id, at, actor, kind, detail) VALUES (?,?,?,?,?)",
            (ticket_id, ts(at), actor, kind, json.dumps(detail, ensure_ascii=False)),
        )

    async def of_ticket(self, ticket_id: int) -> list[TimelineEntry]:
        async with self.conn.execute(
            "SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [
            TimelineEntry(
                r["ticket_id"], req_dt(r, "at"), r["actor"], r["kind"], json.loads(r["detail"])
            )
            for r in rows
        ]
