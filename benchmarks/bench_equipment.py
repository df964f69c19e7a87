"""Equipment register: how long an import is checked and stored, and how long the labels' PDF
takes to typeset, by size.

Run by hand: `python benchmarks/bench_equipment.py [LABELS ...]` (default 8 100 400). The
import: a 5 000-row XLSX (the limit) read, checked and stored in one transaction, as the bot
does it; the labels: the same PDF maker as the labels job (WeasyPrint, segno), per count.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from bot.documents.equipment_labels import LabelFace, LabelPage, labels_pdf
from bot.documents.equipment_sheet import read_table
from bot.domain.equipment import MAX_ROWS, ImportPlan, Table, plan_import
from bot.services.equipment import new_label
from bot.storage.db import Database
from bot.storage.uow import unit_of_work


def register(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["project", "code", "name", "model", "serial", "site", "installed_on"])
    for i in range(rows):
        sheet.append(["village", f"T-{i:05d}", "查询终端", "QT-200", f"SN{i:07d}",
                      f"{i % 300} 号村警务室", "2026-01-05"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def bench_import() -> None:
    data = register(MAX_ROWS)
    t0 = time.perf_counter()
    table = read_table(data, "register.xlsx")
    assert isinstance(table, Table)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.db")
        await db.open()
        at = datetime(2026, 11, 23, tzinfo=UTC)
        try:
            t2 = time.perf_counter()
            async with unit_of_work(db) as uow:
                existing = await uow.devices.by_codes([r[1].upper() for r in table.rows])
                plan = plan_import(table, projects=frozenset({"village"}),
                                   allowed=frozenset({"village"}), existing=existing)
                assert isinstance(plan, ImportPlan) and plan.accepted
                for device in plan.added:
                    await uow.devices.save(replace(device, label=new_label()), at)
            t3 = time.perf_counter()
        finally:
            await db.close()
    print(f"import {MAX_ROWS} rows ({len(data) // 1024} KiB XLSX): read {t1 - t0:.2f} s, "
          f"checked and stored in one transaction {t3 - t2:.2f} s")


def bench_labels(counts: list[int]) -> None:
    for n in counts:
        faces = [
            LabelFace(f"查询终端 {i}", [("编号", f"T-{i:05d}"), ("型号", "QT-200"),
                                        ("序列号", f"SN{i:07d}"), ("地点", "三号村警务室"),
                                        ("项目", "County Police Village Query Service"),
                                        ("客户经理", "Customer Manager 13800000011")],
                      f"https://t.me/hotline_test_bot?start={new_label()}")
            for i in range(n)
        ]
        page = LabelPage("示例服务有限公司", "7×24 报障热线 400-000-0000", "扫码报障", faces)
        t0 = time.perf_counter()
        pdf = labels_pdf(page)
        took = time.perf_counter() - t0
        print(f"labels {n:5d}: {took:6.2f} s ({took / n * 1000:.0f} ms a label), "
              f"{len(pdf) // 1024} KiB, {(n + 7) // 8} pages")


if __name__ == "__main__":
    asyncio.run(bench_import())
    bench_labels([int(a) for a in sys.argv[1:]] or [8, 100, 400])
