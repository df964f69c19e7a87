"""The equipment register's devices, and which tickets belong to which device."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import aiosqlite

from bot.domain.equipment import Device, DeviceTicket
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Devices:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _device(r: aiosqlite.Row) -> Device:
        return Device(
            code=r["code"],
            project_key=r["project_key"],
            name=r["name"],
            model=r["model"],
            serial=r["serial"],
            site=r["site"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            installed_on=_day(r["installed_on"]),
            warranty_until=_day(r["warranty_until"]),
            notes=r["notes"],
            label=r["label"],
        )

    async def get(self, code: str) -> Device | None:
        async with self.conn.execute("SELECT * FROM devices WHERE code = ?", (code,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._device(row)

    async def by_label(self, label: str) -> Device | None:
        async with self.conn.execute("SELECT * FROM devices WHERE label = ?", (label,)) as cur:
            row = await cur.fetchone()
        return None if row is None else self._device(row)

    async def by_codes(self, codes: Sequence[str]) -> dict[str, Device]:
        """The stored devices among these codes (an import's rows), by code."""
        found: dict[str, Device] = {}
        for start in range(0, len(codes), 500):  # SQLite's limit of parameters
            chunk = list(codes[start : start + 500])
            marks = ",".join("?" * len(chunk))
            async with self.conn.execute(
                f"SELECT * FROM devices WHERE code IN ({marks})", chunk
            ) as cur:
                for row in await cur.fetchall():
                    found[row["code"]] = self._device(row)
        return found

    async def of_projects(self, project_keys: Sequence[str]) -> list[Device]:
        """The devices of these projects, by project and code."""
        if not project_keys:
            return []
        marks = ",".join("?" * len(project_keys))
        async with self.conn.execute(
            f"SELECT * FROM devices WHERE project_key IN ({marks}) ORDER BY project_key, code",
            list(project_keys),
        ) as cur:
            rows = await cur.fetchall()
        return [self._device(r) for r in rows]

    async def save(self, device: Device, at: datetime) -> None:
        """Add a device (with its label) or update one's content (its label is kept)."""
        values = (
            device.project_key, device.name, device.model, device.serial, device.site,
            device.latitude, device.longitude,
            device.installed_on.isoformat() if device.installed_on else None,
            device.warranty_until.isoformat() if device.warranty_until else None,
            device.notes,
        )
        await self.conn.execute(
            """INSERT INTO devices (code, project_key, name, model, serial, site, latitude,
                   longitude, installed_on, warranty_until, notes, label, added_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(code) DO UPDATE SET project_key = excluded.project_key,
                   name = excluded.name, model = excluded.model, serial = excluded.serial,
                   site = excluded.site, latitude = excluded.latitude,
                   longitude = excluded.longitude, installed_on = excluded.installed_on,
                   warranty_until = excluded.warranty_until, notes = excluded.notes,
                   updated_at = excluded.updated_at""",
            (device.code, *values, device.label, ts(at), ts(at)),
        )

    async def link(self, ticket_id: int, code: str) -> None:
        """The ticket belongs to this device from now on."""
        await self.conn.execute("UPDATE tickets SET device = ? WHERE id = ?", (code, ticket_id))

    async def of_ticket(self, ticket_id: int) -> Device | None:
        async with self.conn.execute(
            """SELECT d.* FROM tickets t JOIN devices d ON d.code = t.device
               WHERE t.id = ?""",
            (ticket_id,),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else self._device(row)

    async def tickets(self, code: str, limit: int = 50) -> list[DeviceTicket]:
        """The device's tickets, newest first."""
        async with self.conn.execute(
            """SELECT id, status, level, kind, reported_at, resolved_at, cause,
                   blocking_reason, symptom
               FROM tickets WHERE device = ? ORDER BY id DESC LIMIT ?""",
            (code, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [
            DeviceTicket(
                r["id"], r["status"], r["level"], r["kind"], dt(r, "reported_at") or datetime.min,
                dt(r, "resolved_at"), r["cause"] or "", r["blocking_reason"] or "",
                r["symptom"] or "",
            )
            for r in rows
        ]

    async def most_faults(
        self, project_key: str, since: datetime, until: datetime, limit: int = 10
    ) -> list[tuple[Device, int]]:
        """The project's devices with the most faults reported in [since, until)."""
        async with self.conn.execute(
            """SELECT d.*, COUNT(*) AS faults FROM tickets t JOIN devices d ON d.code = t.device
               WHERE t.project_key = ? AND t.kind = 'fault' AND t.reported_at >= ?
                   AND t.reported_at < ? AND t.device != ''
               GROUP BY d.code ORDER BY faults DESC, d.code LIMIT ?""",
            (project_key, ts(since), ts(until), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [(self._device(r), int(r["faults"])) for r in rows]
