"""The sandbox's demo equipment register: a few devices per project, written into an empty
database, and some of last month's demo faults belonging to them (so that /equipment CODE has
a history and /monthly a "devices with most faults" table at once). Labels are random, as
everywhere: the page's "scan a label" button reads them from the database."""

from __future__ import annotations

from datetime import date, datetime

from bot.config import Settings
from bot.domain.equipment import Device
from bot.services.equipment import new_label
from bot.storage.db import Database
from bot.storage.uow import unit_of_work

# (code suffix, name, model, serial prefix, site): the same kinds of device for each project.
DEMO_DEVICES = (
    ("01", "查询终端 Query terminal", "QT-200", "QT2024", "一号村警务室 Village 1 office"),
    ("02", "查询终端 Query terminal", "QT-200", "QT2024", "三号村警务室 Village 3 office"),
    ("03", "交换机 Switch", "SW-24G", "SW2023", "乡镇机房 Township server room"),
    ("04", "激光打印机 Laser printer", "LP-9", "LP2025", "三号村警务室 Village 3 office"),
)


async def seed_devices(db: Database, settings: Settings, now: datetime) -> int:
    """The demo devices, if the register is empty; returns how many were written."""
    async with unit_of_work(db) as uow:
        async with uow.conn.execute("SELECT count(*) FROM devices") as cur:
            row = await cur.fetchone()
        if row is not None and row[0]:
            return 0
        written = 0
        for p_index, project in enumerate(settings.projects):
            prefix = "".join(ch for ch in project.key.upper() if ch.isalnum())[:6] or "DEV"
            codes = []
            for suffix, name, model, serial, site in DEMO_DEVICES:
                code = f"{prefix}-{suffix}"
                device = Device(
                    code=code, project_key=project.key, name=name, model=model,
                    serial=f"{serial}{p_index:02d}{suffix}", site=site,
                    installed_on=date(2025, 6, 1),
                    # One device bought later than the rest: its own warranty.
                    warranty_until=date(2028, 6, 30) if suffix == "04" else None,
                    label=new_label(),
                )
                await uow.devices.save(device, now)
                codes.append(code)
                written += 1
            # Some of the demo faults were of these devices, the first one most often.
            async with uow.conn.execute(
                "SELECT id FROM tickets WHERE project_key = ? AND kind = 'fault' ORDER BY id",
                (project.key,),
            ) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            for i, ticket_id in enumerate(ids):
                if i % 3 == 0:
                    await uow.devices.link(ticket_id, codes[(i // 3) % 5 % len(codes)])
    return written
