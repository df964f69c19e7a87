"""The sandbox starts with last month's demo history: /monthly from the demo project manager
shows a real summary at once; a database that holds tickets is left alone."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import aiohttp
from openpyxl import load_workbook
from PIL import Image

from bot.sandbox.run import Sandbox, SandboxOptions
from bot.storage.uow import unit_of_work
from tests.sandbox.test_web import LiveSandbox

PROJECT_MANAGER = 2012
ENGINEER_A = 2001
CUSTOMER_MANAGER = 2011


async def test_monthly_from_the_demo_manager_shows_last_months_demo_history(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.db"
    sandbox = Sandbox(SandboxOptions(port=0, db=db))
    try:
        await sandbox.start()
        async with aiohttp.ClientSession() as session:
            live = LiveSandbox(sandbox, session)
            await live.post("/api/send", {"user_id": PROJECT_MANAGER, "text": "/monthly"})
            head = await live.wait_for(PROJECT_MANAGER, "每月维护报告汇总 · Demo Village")
            assert "报修数量：60（" in head["html"] and "满意度：" in head["html"]
            assert "月末未解决：" in head["html"]
            assert "投诉：收到 2，办结 1，超时 1" in head["html"]
            photo = await live.wait_for(PROJECT_MANAGER, "Demo Village", after=head["id"],
                                        kind="photo")
            png = Image.open(io.BytesIO(await live.media(PROJECT_MANAGER, photo)))
            colours = png.convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is not None and len(colours) > 50
            book = await live.wait_for(PROJECT_MANAGER, "XLSX", after=photo["id"],
                                       kind="document")
            sheets = load_workbook(io.BytesIO(await live.media(PROJECT_MANAGER, book)))
            tickets = list(sheets["工单"].iter_rows(values_only=True))
            assert len(tickets) == 61
            reasons = {r[0] for r in list(sheets["未解决"].iter_rows(values_only=True))[1:]}
            assert len(reasons) >= 3  # a realistic mix of blocking reasons
        assert sandbox.bot is not None
        async with unit_of_work(sandbox.bot.db) as uow:
            async with uow.conn.execute("SELECT count(*) FROM tickets") as cur:
                row = await cur.fetchone()
        assert row is not None and row[0] == 90  # 60 + 30 (the rollout project)
    finally:
        await sandbox.stop()
    # Started again on the same database: nothing is added.
    again = Sandbox(SandboxOptions(port=0, db=db))
    try:
        await again.start()
        assert again.bot is not None
        async with unit_of_work(again.bot.db) as uow:
            async with uow.conn.execute("SELECT count(*) FROM tickets") as cur:
                row = await cur.fetchone()
        assert row is not None and row[0] == 90
    finally:
        await again.stop()


async def test_the_demo_engineer_and_customer_manager_have_a_task_due_within_days(
    tmp_path: Path,
) -> None:
    sandbox = Sandbox(SandboxOptions(port=0, db=tmp_path / "sandbox.db"))
    try:
        await sandbox.start()
        assert sandbox.bot is not None
        today = sandbox.bot.clock.now().astimezone(sandbox.bot.settings.tz).date()
        in_2, in_3 = (str(today + timedelta(days=n)) for n in (2, 3))
        async with aiohttp.ClientSession() as session:
            live = LiveSandbox(sandbox, session)
            await live.post("/api/send", {"user_id": ENGINEER_A, "text": "/tasks"})
            mine = await live.wait_for(ENGINEER_A, "合同任务")
            assert f"定期巡检 · Demo Village Query Service · 截止 {in_3}" in mine["html"]
            await live.post("/api/send", {"user_id": CUSTOMER_MANAGER, "text": "/tasks"})
            visits = await live.wait_for(CUSTOMER_MANAGER, "合同任务")
            assert f"电话回访 · Demo Equipment Rollout · 截止 {in_2}" in visits["html"]
            assert "记录结果" in str(visits)
    finally:
        await sandbox.stop()
