"""A fault phoned in (/log) in a real process against the strict emulator: its clocks start at
the call (set back 10 minutes), the on-duty engineer is paged at once, and the respond clock's
breach and escalation come on time counted from the call, not from the logging.

The respond target is the 10 minutes set back plus a few seconds, so that the breach falls due
shortly after the ticket opens; it is measured on the emulator's side against the reported
time stored in the bot's database.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import press, start_staff
from tests.e2e.test_sla_process import Arrivals, sleep_until, ticket_time
from tests.support.configs import hotline_config, people, policy_toml, project_toml

ENG1, CM, PM, LEAD = 1001, 1011, 1012, 1013
BACK = timedelta(minutes=10).total_seconds()
AFTER_OPENING = 15.0  # the breach falls due this long after the call time was typed
RESPOND = BACK + AFTER_OPENING
ESCALATE_EVERY = 4.0
SLACK = 1.0

CONFIG = hotline_config(
    staff=[p._replace(phone="") for p in people("eng1", "cm", "pm", "lead")],
    projects=[
        project_toml(
            policy="fast",
            on_duty=["eng1"],
            escalation=["cm", "pm", "lead"],
            extra='ack_timeout = "1h"\n',  # paging the chain is not what is measured
        )
    ],
    policies=policy_toml(
        "fast",
        respond=f"{RESPOND:g}s",
        arrive="2h",
        repair="2h",
        warn=[],
        escalate_every=f"{ESCALATE_EVERY:g}s",
    ),
)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "hotline.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


async def test_phoned_in_a_fault_counts_from_the_call(
    emu: BotApiEmulator, start_bot: StartBot, tmp_path: Path
) -> None:
    arrivals = Arrivals(emu)
    bot = await start_bot()
    for uid in (ENG1, CM, PM, LEAD):
        await start_staff(emu, uid)
    # The project lead takes the call and logs it for a caller without Telegram.
    emu.send_text(LEAD, "/log")
    await emu.wait_for_message(LEAD, "登记什么")
    press(emu, LEAD, "故障报修")
    await emu.wait_for_message(LEAD, "来电人是谁")
    press(emu, LEAD, "新联系人")
    await emu.wait_for_message(LEAD, "来电人姓名")
    emu.send_text(LEAD, "演示联系人")
    await emu.wait_for_message(LEAD, "来电人单位")
    emu.send_text(LEAD, "演示单位")
    await emu.wait_for_message(LEAD, "来电人电话")
    emu.send_text(LEAD, "13700000000")
    await emu.wait_for_message(LEAD, "什么时候打进来")
    typed_at = time.time()
    emu.send_text(LEAD, "-10m")
    await emu.wait_for_message(LEAD, "为什么晚登记")
    emu.send_text(LEAD, "先处理了另一个电话")
    question = await emu.wait_for_message(LEAD, "整个系统")
    press(emu, LEAD, "是")
    await emu.wait_for_message(LEAD, "故障地点", after=question.message_id)
    emu.send_text(LEAD, "Village 3 office")
    await emu.wait_for_message(ENG1, "新故障 #1")
    t0 = ticket_time(tmp_path / "hotline.db", "reported_at")
    # The clocks start at the call: 10 minutes before the time was typed.
    assert typed_at - BACK - 1.0 <= t0 <= typed_at - BACK + 1.0, typed_at - t0
    assert time.time() < t0 + RESPOND - 3.0, "the dialog took too long for the test to mean it"
    paged = arrivals.of(ENG1, "新故障 #1")
    assert paged and paged[0][0] < t0 + RESPOND
    # The caller's receipt goes to the lead as a call to make.
    await emu.wait_for_message(LEAD, "请致电 演示联系人（电话 13700000000）")
    # The breach, counted from the call, to the engineer on duty and escalation level 1.
    await emu.wait_for_message(CM, "🔴", timeout=AFTER_OPENING + 5)
    await emu.wait_for_message(PM, "升级", timeout=ESCALATE_EVERY + 5)
    await sleep_until(t0 + RESPOND + ESCALATE_EVERY + 1.5)
    for chat in (ENG1, CM):
        missed = arrivals.of(chat, "🔴")
        assert len(missed) == 1, (chat, missed)
        at, text = missed[0]
        assert "已超过响应时限" in text
        assert t0 + RESPOND <= at <= t0 + RESPOND + SLACK, (chat, at - t0)
    escalated = arrivals.of(PM, "升级")
    assert len(escalated) == 1
    assert t0 + RESPOND + ESCALATE_EVERY <= escalated[0][0] <= (
        t0 + RESPOND + ESCALATE_EVERY + SLACK), escalated[0][0] - t0
    # The caller's apology for the breach is relayed to the lead as well.
    assert arrivals.of(LEAD, "很抱歉")
    assert await bot.stop() == 0
