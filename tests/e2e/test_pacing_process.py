"""Telegram's flood limits, kept by the bot itself: the emulator's limits are on (as Telegram's
are) and a customer answers every question the moment it arrives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, start_staff

REPORTS = 4


async def report_at_once(cust: Person) -> None:
    """A level C report, each answer given as soon as its question is shown."""
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("否")
    await cust.expect("故障地点")
    cust.send("Village 7, crossroads camera")
    await cust.expect("故障现象")
    cust.send("Camera offline since this morning")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("已受理")


def sent_in_order(db: Path) -> dict[int, list[int]]:
    """Each chat's delivered messages in the order the bot queued them: their message ids."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            """SELECT chat_id, message_id FROM outbox WHERE status = 'sent'
               AND method LIKE 'send%' AND message_id IS NOT NULL ORDER BY id"""
        ).fetchall()
    chats: dict[int, list[int]] = {}
    for chat_id, message_id in rows:
        chats.setdefault(chat_id, []).append(message_id)
    return chats


async def test_instant_answers_provoke_no_flood_control(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path
) -> None:
    assert emu.flood.enabled  # Telegram's limits, as the emulator models them
    bot = await start_bot()
    await start_staff(emu, 1001)
    await start_staff(emu, 1002, lang="en")
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    for _ in range(REPORTS):
        await report_at_once(cust)
    for number in range(1, REPORTS + 1):
        await emu.wait_for_message(1001, f"新故障 #{number}", timeout=30)
        await emu.wait_for_message(1002, f"New fault #{number}", timeout=30)
    assert await bot.stop() == 0

    floods = [r for r in emu.refusals if r["error_code"] == 429]
    assert floods == [], f"{len(floods)} answers of 429, e.g. {floods[0]}"
    receipts = [m for m in emu.bot_messages(CUSTOMER) if "已受理" in m.text]
    assert len(receipts) == REPORTS
    # Every chat got its messages in the order the bot queued them.
    chats = sent_in_order(config_file.parent / "hotline.db")
    assert set(chats) >= {CUSTOMER, 1001, 1002}
    for chat_id, ids in chats.items():
        assert ids == sorted(ids), f"chat {chat_id} got messages out of order: {ids}"
