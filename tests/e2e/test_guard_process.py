"""The bot as a process, added to a group that is no team group: it says so once and leaves
(the emulator delivers my_chat_member only when the bot asked for it in allowed_updates)."""

from __future__ import annotations

import asyncio

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot

GROUP = -100555
FOREIGN = "本机器人只服务于已配置的项目群组，现在退出此群。"


async def test_added_to_a_random_group_the_bot_leaves(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    emu.add_user(5001, "Someone", started=True)
    await start_bot()
    emu.send_text(5001, "/whoami")  # the bot is up and polling
    await emu.wait_for_message(5001, "5001")
    emu.add_bot_to_group(5001, GROUP, "Elsewhere")
    for _ in range(200):
        if not emu.in_group(GROUP):
            break
        await asyncio.sleep(0.05)
    assert not emu.in_group(GROUP)
    assert emu.group_texts(GROUP) == [FOREIGN]
    assert [c["ok"] for c in emu.calls if c["method"] == "leaveChat"] == [True]
