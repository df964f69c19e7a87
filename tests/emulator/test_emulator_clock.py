"""The emulator's one clock: Telegram's own times (message dates, edit dates, member updates,
getWebhookInfo's last_error_date) and the 48 h delete window follow the clock a test gives it."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.clock import FakeClock
from bot.sandbox.emulator import BotApiEmulator

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456:TEST-TOKEN"
USER = 1001
START = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)  # far from the wall clock: no coincidence


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN, clock=clock) as emulator:
        emulator.add_user(USER, "Tester")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url) as ptb_bot:
        yield ptb_bot


def unix(when: datetime) -> int:
    return int(when.timestamp())


async def test_message_dates_follow_the_clock(
    emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    sent = emu.send_text(USER, "/start")
    assert sent["date"] == unix(START)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.date == START

    clock.advance(timedelta(minutes=5))
    reply = await bot.send_message(USER, "hello")
    assert reply.date == START + timedelta(minutes=5)
    clock.advance(timedelta(seconds=90))
    edited = await bot.edit_message_text("hello again", chat_id=USER, message_id=reply.message_id)
    assert isinstance(edited, type(reply)) and edited.edit_date == clock.now()
    [message] = emu.bot_messages(USER)
    assert (message.date, message.edit_date) == (unix(reply.date), unix(clock.now()))

    clock.advance(timedelta(hours=1))
    emu.block(USER)
    [member] = await bot.get_updates(offset=update.update_id + 1)
    assert member.my_chat_member is not None and member.my_chat_member.date == clock.now()


async def test_the_delete_window_is_on_the_clock(
    emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    emu.send_text(USER, "/start")
    old = await bot.send_message(USER, "old")
    clock.advance(timedelta(hours=47))
    fresh = await bot.send_message(USER, "fresh")
    clock.advance(timedelta(hours=2))  # "old" is 49 h old, "fresh" 2 h
    with pytest.raises(BadRequest, match="can't be deleted for everyone"):
        await bot.delete_message(USER, old.message_id)
    assert await bot.delete_message(USER, fresh.message_id)
    assert [m.text for m in emu.chat(USER) if m.from_bot] == ["old"]


def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_last_error_date_is_on_the_clock(
    emu: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await bot.set_webhook(f"http://127.0.0.1:{closed_port()}/hook")
    emu.send_text(USER, "nobody takes this")

    async def last_error() -> datetime:
        for _ in range(100):
            info = await bot.get_webhook_info()
            if info.last_error_date is not None:
                assert info.last_error_message
                return info.last_error_date
            await asyncio.sleep(0.02)
        raise AssertionError("the webhook never failed")

    assert await last_error() == START
    clock.advance(timedelta(days=2))
    for _ in range(200):  # the next retry (after a short real back-off) fails on the new day
        if await last_error() == START + timedelta(days=2):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("last_error_date did not move with the clock")
    assert emu.webhook is not None and emu.webhook.failures >= 2
    assert emu.pending_updates()  # kept until a receiver takes it
