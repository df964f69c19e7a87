"""The sandbox's demo register and the page's "scan a label" button: a demo customer who never
joined scans a label, joins the device's project and is in a report for it; staff cannot scan;
the demo faults of last month belong to the demo devices."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.sandbox.run import Sandbox, SandboxOptions
from bot.storage.uow import unit_of_work
from tests.sandbox.test_web import CUSTOMER, ENGINEER_A, LiveSandbox


async def test_scan_a_label_from_the_page(tmp_path: Path) -> None:
    sandbox = Sandbox(SandboxOptions(port=0, db=tmp_path / "sandbox.db"))
    try:
        await sandbox.start()
        async with aiohttp.ClientSession() as session:
            live = LiveSandbox(sandbox, session)
            scanned = (await live.post("/api/scan", {"user_id": CUSTOMER}))["result"]
            assert scanned["code"].endswith("-01") and scanned["model"] == "QT-200"
            found = await live.wait_for(CUSTOMER, "您扫描了")
            assert "QT-200" in found["html"]
            await live.wait_for(CUSTOMER, "整个系统", after=found["id"])
            chat = (await live.get(f"/api/chat/{CUSTOMER}"))
            assert chat["joined"]
            again = (await live.post("/api/scan", {"user_id": CUSTOMER}))["result"]
            assert again["code"].endswith("-02")  # the next device
            async with session.post(live.url + "/api/scan", json={"user_id": ENGINEER_A}) as r:
                assert r.status == 400
        bot = sandbox.bot
        assert bot is not None
        async with unit_of_work(bot.db) as uow:
            async with uow.conn.execute(
                "SELECT count(*) FROM tickets WHERE device != ''"
            ) as cur:
                row = await cur.fetchone()
            assert row is not None and row[0] > 5
            devices = await uow.devices.of_projects([p.key for p in bot.settings.projects])
            assert len(devices) == 8 and len({d.label for d in devices}) == 8
    finally:
        await sandbox.stop()


async def test_a_manager_uploads_a_register_from_the_page(tmp_path: Path) -> None:
    import base64
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["project", "code", "name", "model"])
    sheet.append(["demo-village", "UP-1", "查询终端", "QT-300"])
    out = io.BytesIO()
    book.save(out)
    manager = 2012  # Demo Project Manager
    sandbox = Sandbox(SandboxOptions(port=0, db=tmp_path / "sandbox.db", demo_history=False))
    try:
        await sandbox.start()
        async with aiohttp.ClientSession() as session:
            live = LiveSandbox(sandbox, session)
            body = {"user_id": manager, "file_name": "台账.xlsx",
                    "data_b64": base64.b64encode(out.getvalue()).decode()}
            sent = (await live.post("/api/document", body))["result"]
            assert sent["kind"] == "document"
            await live.wait_for(manager, "新增 1 台")
            async with session.post(live.url + "/api/document",
                                    json={**body, "data_b64": "not base64!"}) as r:
                assert r.status == 400
    finally:
        await sandbox.stop()
