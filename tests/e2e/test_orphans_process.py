"""A config change never stops the hotline, with the bot as a process: restarted with the
engineer who owns an open ticket removed, it starts, answers, pages the ticket again and gives
the managers the list."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff
from tests.support.configs import OTHER_PROJECT, hotline_config, people, project_toml

ENG1, ENG2, PM = 1001, 1002, 1012


def configure(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


async def test_restart_without_the_owner_of_an_open_ticket(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path
) -> None:
    bot = await start_bot()
    for uid in (ENG1, ENG2, PM):
        await start_staff(emu, uid)
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("是")
    await cust.expect("故障地点")
    cust.send("Village 3 office")
    await cust.expect("故障现象")
    cust.send("Terminal freezes")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("已受理")
    page = await emu.wait_for_message(ENG1, "新故障 #1")
    emu.press(ENG1, page.message_id, "tk:acc:1")
    await cust.expect("Engineer One")
    assert await bot.stop() == 0

    # Engineer One leaves: the operator removes him from the config and starts the bot again.
    village = project_toml(on_duty=["eng2"], members=["eng3"], escalation=["cm", "pm"])
    configure(
        config_file,
        hotline_config(
            staff=people("eng2", "eng3", "cm", "pm"), projects=[village, OTHER_PROJECT]
        ),
    )
    eng2, pm = Person(emu, ENG2), Person(emu, PM)
    eng2._remember()
    pm._remember()
    bot = await start_bot()
    listed = await pm.expect("以下未关闭工单的负责人、项目或时限已不在配置中")
    assert "#1：负责人 eng1 已移除，工单退回待接单，已通知值班工程师。" in listed.text
    again = await eng2.expect("新故障 #1")
    assert ("接单", "tk:acc:1") in again.buttons()
    # The bot answers: the ticket's status, and the acceptance by the on-duty engineer.
    eng2.send("/status 1")
    status = await eng2.expect("工单 #1 · 待接单")
    assert "负责人 eng1 已不在配置中" in status.text
    emu.press(ENG2, again.message_id, "tk:acc:1")
    await cust.expect("Engineer Two")
    assert not_flood(emu) == []
    assert await bot.stop() == 0
