"""The contract's clocks in a real process, in real time, against the strict emulator.

A policy with second-scale targets: respond 6 s (warned at 50%), arrive and repair 20 s, the
escalation climbing every 4 s. Arrival times are measured on the emulator's side, against the
ticket's reported time in the bot's database plus the target.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import join_customer, press, start_staff
from tests.support.configs import hotline_config, people, policy_toml, project_toml

ENG1, CM, PM, LEAD = 1001, 1011, 1012, 1013
CUSTOMER = 5001
RESPOND, WARN_AT, ESCALATE_EVERY = 6.0, 3.0, 4.0
SLACK = 1.0  # scheduling slack allowed between a due time and the message's arrival
RESPOND_WARNING = "的响应时限还剩"

CONFIG = hotline_config(
    staff=[p._replace(phone="") for p in people("eng1", "cm", "pm", "lead")],
    projects=[
        project_toml(
            policy="fast",
            on_duty=["eng1"],
            escalation=["cm", "pm", "lead"],
            # paging the chain is not what these tests measure
            extra='ack_timeout = "1h"\n',
        )
    ],
    policies=policy_toml(
        "fast",
        respond=f"{RESPOND:g}s",
        arrive="20s",
        repair="20s",
        warn=["50%"],
        escalate_every=f"{ESCALATE_EVERY:g}s",
    ),
)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "hotline.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


class Arrivals:
    """When each bot message arrived at the emulator (real time), per chat."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self.seen: list[tuple[float, int, str]] = []
        emu.add_listener(self._on_event)

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        if event == "message" and payload.get("from_bot"):
            self.seen.append((time.time(), int(payload["chat_id"]), str(payload["text"])))

    def of(self, chat: int, marker: str) -> list[tuple[float, str]]:
        return [(at, text) for at, c, text in self.seen if c == chat and marker in text]


async def sleep_until(epoch: float) -> None:
    await asyncio.sleep(max(0.0, epoch - time.time()))


async def team_and_report(emu: BotApiEmulator) -> None:
    """Staff open the bot; the customer joins and reports an A fault (ticket #1).

    A-level faults open as soon as the site is known: few messages, so the customer's chat
    stays within Telegram's per-chat burst and nothing waits out a 429 here."""
    for uid in (ENG1, CM, PM, LEAD):
        await start_staff(emu, uid)
    await join_customer(emu)
    emu.send_text(CUSTOMER, "/report")
    question = await emu.wait_for_message(CUSTOMER, "整个系统")
    press(emu, CUSTOMER, "是")
    await emu.wait_for_message(CUSTOMER, "故障地点", after=question.message_id)
    emu.send_text(CUSTOMER, "Village 3 office")
    await emu.wait_for_message(ENG1, "新故障 #1")


def ticket_time(db: Path, column: str, ticket: int = 1) -> float:
    """A time the bot stored for the ticket (epoch seconds)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(f"SELECT {column} FROM tickets WHERE id = ?", (ticket,)).fetchone()
    assert row is not None and row[0] is not None
    return datetime.strptime(row[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()


async def test_warning_survives_sigkill_once_and_breach_is_on_time(
    emu: BotApiEmulator, start_bot: StartBot, tmp_path: Path
) -> None:
    arrivals = Arrivals(emu)
    bot = await start_bot()
    await team_and_report(emu)
    t0 = ticket_time(tmp_path / "hotline.db", "reported_at")
    assert time.time() < t0 + WARN_AT - 1.0, "the report took too long to kill the bot in time"
    await bot.kill()  # SIGKILL before the respond warning is due
    assert arrivals.of(ENG1, RESPOND_WARNING) == []
    await sleep_until(t0 + WARN_AT + 0.3)  # down while the warning falls due
    bot = await start_bot()
    # The breach, to the engineer on duty and escalation level 1, on time.
    await emu.wait_for_message(CM, "🔴", timeout=RESPOND + 5)
    await emu.wait_for_message(PM, "升级", timeout=ESCALATE_EVERY + 5)
    await sleep_until(t0 + RESPOND + ESCALATE_EVERY + 1.5)
    warnings = arrivals.of(ENG1, RESPOND_WARNING)
    assert len(warnings) == 1, warnings  # once, although it fell due while the bot was down
    warned_at, warning = warnings[0]
    assert warning.startswith("⏰ 工单 #1（A 特大故障，Village 3 office）") and "截止" in warning
    assert "迟发" not in warning  # late by less than 60 s: not called late
    assert warned_at >= t0 + WARN_AT
    for chat in (ENG1, CM):
        missed = arrivals.of(chat, "🔴")
        assert len(missed) == 1, (chat, missed)
        at, text = missed[0]
        assert "已超过响应时限" in text and "迟发" not in text
        assert t0 + RESPOND <= at <= t0 + RESPOND + SLACK, (chat, at - t0)
    sorry = arrivals.of(CUSTOMER, "很抱歉")
    assert len(sorry) == 1 and t0 + RESPOND <= sorry[0][0] <= t0 + RESPOND + SLACK
    escalated = arrivals.of(PM, "升级")
    assert len(escalated) == 1
    assert t0 + RESPOND + ESCALATE_EVERY <= escalated[0][0], escalated[0][0] - t0
    assert escalated[0][0] <= t0 + RESPOND + ESCALATE_EVERY + SLACK, escalated[0][0] - t0
    assert await bot.stop() == 0


async def test_accepting_before_the_warning_silences_it(
    emu: BotApiEmulator, start_bot: StartBot, tmp_path: Path
) -> None:
    arrivals = Arrivals(emu)
    bot = await start_bot()
    await team_and_report(emu)
    t0 = ticket_time(tmp_path / "hotline.db", "reported_at")
    page = await emu.wait_for_message(ENG1, "新故障 #1")
    emu.press(ENG1, page.message_id, "tk:acc:1")
    await emu.wait_for_message(ENG1, "已接单")
    accepted = ticket_time(tmp_path / "hotline.db", "accepted_at")
    assert accepted < t0 + WARN_AT - 1.0, "accepted too late for this test to mean anything"
    # Past the warning point (3 s) and the due time (6 s), with a margin; before the arrive
    # clock's own warning (10 s).
    await sleep_until(t0 + RESPOND + 2.0)
    assert arrivals.of(ENG1, RESPOND_WARNING) == []
    for chat in (ENG1, CM, PM, LEAD, CUSTOMER):
        assert arrivals.of(chat, "🔴") == [] and arrivals.of(chat, "很抱歉") == []
    # The clocks do run: the arrive warning comes at 10 s, to the owner.
    await sleep_until(t0 + 10.0 + SLACK)
    arrive = arrivals.of(ENG1, "的到场时限还剩")
    assert len(arrive) == 1
    assert t0 + 10.0 <= arrive[0][0] <= t0 + 10.0 + SLACK
    assert await bot.stop() == 0
