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
