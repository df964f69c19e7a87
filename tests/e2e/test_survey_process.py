"""The survey and the proof of arrival as a process against the strict emulator: the reply
keyboard with "share my location", a location message, the stars, a low score told to the
customer manager."""

from __future__ import annotations

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot, report_b_fault
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

CM = 1011


async def test_arrival_location_then_a_low_score_reaches_the_customer_manager(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    await start_staff(emu, CM)
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    await report_b_fault(emu, CUSTOMER, site=(30.5, 114.3))
    eng = Person(emu, 1001)
    eng.send("/take 1")
    await cust.expect("接单")
    eng.send("/arrive 1")
    ask = await eng.expect("作为到场凭证")
    assert ask.reply_markup is not None
    assert ask.reply_markup["keyboard"][0][0]["request_location"] is True
    eng.mark = ask.message_id
    emu.send_location(1001, 30.5, 114.31)  # about 958 m east
    recorded = await eng.expect("已记录到场位置")
    assert recorded.text == "已记录到场位置：距现场约 958 米。"
    await emu.wait_for_message(CM, "距现场约 958 米")
    eng.send("/resolve 1 更换电源")
    await eng.expect("原因")
    eng.press("电源")
    await cust.expect("更换电源")
    cust.press("已恢复")
    await cust.expect("请为本次服务打分")
    cust.press("⭐⭐")
    await cust.expect("还有什么想对我们说的")
    told = await emu.wait_for_message(CM, "服务评分为 2 星")
    assert "/callback 1" in told.text
    cust.send("<b>太慢</b> *_[]")
    comment = await emu.wait_for_message(CM, "客户留言")
    assert "<b>太慢</b> *_[]" in comment.text
    cust_offer = await cust.expect("感谢您的评价")
    assert cust_offer.text == "感谢您的评价，我们会继续改进服务。"
    assert not_flood(emu) == []
    assert await bot.stop() == 0
