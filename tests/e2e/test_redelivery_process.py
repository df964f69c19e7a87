"""Each update takes effect once, with a real process: the bot is SIGKILLed after handling an
update but before a getUpdates confirmed it, so Telegram (the emulator, confirmations held)
delivers it again to the restarted bot."""

from __future__ import annotations

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import BotProcess, StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff


async def die_before_the_confirmation(emu: BotApiEmulator, bot: BotProcess) -> None:
    """The update was handled and answered; the bot dies before its next poll confirmed it."""
    await bot.kill()
    assert emu.pending_updates(), "nothing left to re-deliver: the test would prove nothing"


async def test_a_redelivered_dialog_answer_is_not_taken_for_the_next_question(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("否")
    await cust.expect("故障地点")

    # The site answer is handled (the next question came), then the bot dies unconfirmed.
    emu.hold_confirmations()
    cust.send("Village 3 office")
    await cust.expect("故障现象")
    await die_before_the_confirmation(emu, bot)
    bot = await start_bot()
    emu.hold_confirmations(False)
    cust.send("Camera offline")  # handled after the re-delivered site: sent after it
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    summary = await cust.expect("请确认")
    assert "地点: Village 3 office\n现象: Camera offline" in summary.text, summary.text
    cust.press("确认提交")
    await cust.expect("#1")
    page = await emu.wait_for_message(1001, "新故障 #1")
    assert "Camera offline" in page.text
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_a_redelivered_note_is_recorded_once(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    eng = Person(emu, 1001)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("是")  # A: the ticket opens at the site
    await cust.expect("故障地点")
    cust.send("Village 3 office")
    await emu.wait_for_message(1001, "#1")
    eng.send("/take 1")
    await eng.expect("已接单")

    # The note is recorded (and confirmed), then the bot dies unconfirmed.
    emu.hold_confirmations()
    eng.send("/note 1 Cable was loose")
    await eng.expect("备注已加入工单 #1")
    await die_before_the_confirmation(emu, bot)
    bot = await start_bot()
    emu.hold_confirmations(False)
    eng.send("/status 1")  # handled after the re-delivered note: sent after it
    status = await eng.expect("Cable was loose")
    assert status.text.count("Cable was loose") == 1, status.text
    assert not_flood(emu) == []
    assert await bot.stop() == 0
