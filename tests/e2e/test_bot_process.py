"""The bot as a process against the strict emulator: what a real deployment does."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator, ChatMessage
from tests.e2e.conftest import ROOT, TOKEN, StartBot

CUSTOMER = 5001


class Person:
    """One user in the emulator; `expect` only looks at what came after the last action."""

    def __init__(self, emu: BotApiEmulator, uid: int) -> None:
        self.emu = emu
        self.uid = uid
        self.mark = 0

    def _remember(self) -> None:
        chat = self.emu.chat(self.uid)
        self.mark = max((m.message_id for m in chat), default=0)

    def send(self, text: str) -> None:
        self._remember()
        self.emu.send_text(self.uid, text)

    def press(self, label: str) -> str:
        self._remember()
        return press(self.emu, self.uid, label)

    async def expect(self, text: str) -> ChatMessage:
        return await self.emu.wait_for_message(self.uid, text, after=self.mark)


async def join_customer(emu: BotApiEmulator, uid: int = CUSTOMER, lang: str = "zh") -> None:
    emu.add_user(uid, "Customer", language_code=lang)
    emu.send_text(uid, "/start VILLAGE2026")
    await emu.wait_for_message(uid, "姓名" if lang == "zh" else "name")
    emu.send_text(uid, "Customer One")
    await emu.wait_for_message(uid, "单位" if lang == "zh" else "unit")
    emu.send_text(uid, "Village Police Station")
    await emu.wait_for_message(uid, "电话" if lang == "zh" else "phone")
    emu.send_text(uid, "13900000000")
    await emu.wait_for_message(uid, "已保存" if lang == "zh" else "Saved")


async def start_staff(emu: BotApiEmulator, uid: int, lang: str = "zh") -> None:
    emu.add_user(uid, f"Staff{uid}", language_code=lang)
    emu.send_text(uid, "/start")
    # Engineers and managers are greeted differently; both greetings end with /help.
    await emu.wait_for_message(uid, "/help")


def not_flood(emu: BotApiEmulator) -> list[dict[str, object]]:
    """Refused calls other than flood control (429: Telegram pacing us, retried, not lost) and
    pages to staff who never opened the bot (reported to their managers)."""
    return [
        r for r in emu.refusals
        if r["error_code"] not in (429, 403) and "chat not found" not in str(r["description"])
    ]


def press(emu: BotApiEmulator, uid: int, label: str) -> str:
    """Press the newest button whose label contains `label` in that user's chat."""
    for m in reversed(emu.bot_messages(uid)):
        for text, data in m.buttons():
            if label in text:
                return emu.press(uid, m.message_id, data)
    raise AssertionError(f"no button {label!r} for {uid}")


async def test_report_to_resolution(emu: BotApiEmulator, start_bot: StartBot) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    await start_staff(emu, 1002, lang="en")
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("否")
    await cust.expect("故障地点")
    emu.send_location(CUSTOMER, 30.5, 114.3)
    await cust.expect("故障现象")
    cust.send("<script>alert(1)</script> & 屏幕 *_[]()~`>#+-=|{}.! 黑屏 🙂")
    await cust.expect("照片")
    emu.send_photo(CUSTOMER)
    await cust.expect("1 张照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.send("DS-2CD Model X / SN 0001")
    await cust.expect("联系电话")
    cust.press("使用")
    summary = await cust.expect("请确认")
    assert "<script>alert(1)</script> &" in summary.text
    cust.press("确认提交")
    receipt = await cust.expect("已受理")
    assert "#1" in receipt.text and "C 一般故障" in receipt.text
    page_zh = await emu.wait_for_message(1001, "新故障 #1")
    page_en = await emu.wait_for_message(1002, "New fault #1")
    assert "<script>" in page_zh.text and "30.50000" in page_en.text
    emu.press(1002, page_en.message_id, "tk:acc:1")
    await emu.wait_for_message(1001, "Engineer Two", after=page_zh.message_id - 1)
    await cust.expect("Engineer Two")
    card = await emu.wait_for_message(1002, "Ticket #1")
    # A late press on the old page is refused politely, the ticket stays with Engineer Two.
    qid = emu.press(1001, page_zh.message_id, "tk:acc:1", forge=True)
    answer = await emu.wait_for_callback_answer(qid)
    assert answer["text"] == "这张工单已被其他工程师接单。"
    emu.press(1002, card.message_id, "tk:onw:1")
    await cust.expect("已出发")
    emu.press(1002, card.message_id, "tk:arr:1")
    await cust.expect("已到场")
    emu.press(1002, card.message_id, "tk:res:1")
    await emu.wait_for_message(1002, "choose the cause")
    press(emu, 1002, "Transmission")
    await emu.wait_for_message(1002, "what was done")
    emu.send_text(1002, "Re-spliced the fibre")
    resolved = await cust.expect("Re-spliced the fibre")
    assert "传输" in resolved.text
    # The service report arrived as a PDF document just before the resolved message.
    [report] = [m for m in emu.bot_messages(CUSTOMER) if m.kind == "document"]
    assert report.file_name == "service-report-1.pdf" and report.message_id < resolved.message_id
    assert report.file_data is not None and report.file_data.startswith(b"%PDF")
    assert "售后服务报告" in (report.text or "")
    cust.press("已恢复")
    await cust.expect("已关闭")
    # The sign-off re-issues it: version 2, confirmed.
    await cust.expect("第 2 版")
    signed = [m for m in emu.bot_messages(CUSTOMER) if m.kind == "document"][-1]
    assert signed.file_name == "service-report-1.pdf" and "客户已确认" in (signed.text or "")
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_draft_and_outbox_survive_sigkill(emu: BotApiEmulator, start_bot: StartBot) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    await bot.kill()
    # While the bot is down the customer keeps answering; Telegram keeps the updates.
    cust.press("是")
    cust.send("Village 7, crossroads camera")
    bot = await start_bot()
    await cust.expect("故障现象")
    cust.send("Camera offline")
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("#1")
    await emu.wait_for_message(1001, "新故障 #1")
    # Each message exactly once, although the bot was killed in the middle.
    level_msgs = [m for m in emu.bot_messages(CUSTOMER) if m.text.startswith("故障级别")]
    assert len(level_msgs) == 1
    pages = [m for m in emu.bot_messages(1001) if "新故障 #" in m.text]
    assert len(pages) == 1
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_flood_control_and_server_errors_lose_nothing(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    emu.inject_flood(2, retry_after=1)
    emu.inject_server_error(2)
    for _ in range(5):
        emu.send_text(1001, "/whoami")
        await asyncio.sleep(0)
    for _ in range(50):
        answers = [m for m in emu.bot_messages(1001) if "1001" in m.text]
        if len(answers) == 5:
            break
        await asyncio.sleep(0.2)
    answers = [m for m in emu.bot_messages(1001) if "1001" in m.text]
    assert len(answers) == 5
    assert any(r["error_code"] == 429 for r in emu.refusals)
    assert await bot.stop() == 0


async def test_unreachable_staff_named_to_managers(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    # The customer manager started the bot; engineers 1002 and 1003 never did.
    bot = await start_bot()
    await start_staff(emu, 1011, lang="en")
    assert await bot.stop() == 0
    bot = await start_bot()  # the check runs at every start-up
    note = await emu.wait_for_message(1011, "cannot receive messages")
    assert "Engineer Two" in note.text and "Engineer Three" in note.text
    assert await bot.stop() == 0


async def test_bad_config_exits_non_zero_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'timezone = "Asia/Shanghai"\ndatabase = "x.db"\n'
        '[[staff]]\nkey = "eng1"\nname = "E"\ntelegram_id = 1\nroles = ["engineer"]\n'
        '[[projects]]\nkey = "p"\nname = "P"\ninvite = "I"\npolicy = "abc"\n'
        'on_duty = ["engX"]\n'
        '[policies.abc]\nrespond = { A = "15m", B = "15m", C = "15m" }\n'
        'arrive = { A = "1h", B = "2h", C = "2h" }\nrepair = { A = "4h", B = "3h", C = "2h" }\n',
        encoding="utf-8",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "run_bot.py"), "--config", str(bad), cwd=ROOT,
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 2
    text = (out + err).decode()
    assert "projects[0].on_duty" in text and "engX" in text
    assert TOKEN not in text


async def test_missing_token_exits_non_zero(config_file: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "run_bot.py"), "--config", str(config_file), cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode == 2
    assert b"TELEGRAM_BOT_TOKEN" in err
