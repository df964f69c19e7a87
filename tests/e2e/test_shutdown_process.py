"""Stopping as a deployment does: SIGTERM (systemd's stop) takes no new updates, finishes the
ones in hand, sends what is queued for up to shutdown_grace and exits 0; SIGKILL (a crash, an
OOM kill) loses nothing either: the outbox is in SQLite and the rest goes out at the next start,
each message once."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sandbox.emulator import BotApiEmulator
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from tests.e2e.conftest import BotProcess
from tests.e2e.test_bot_process import start_staff
from tests.support.configs import hotline_config

STAFF = (1001, 1002, 1003)
StartBot = Callable[[], Awaitable[BotProcess]]


def config_with_grace(grace: str) -> str:
    # A top-level key: it goes before the tables.
    return hotline_config().replace(
        'database = "hotline.db"\n', f'database = "hotline.db"\nshutdown_grace = "{grace}"\n'
    )


@pytest.fixture
def grace() -> str:
    return "30s"


@pytest.fixture
def config_file(tmp_path: Path, grace: str) -> Path:  # the conftest's start_bot uses it
    path = tmp_path / "hotline.toml"
    path.write_text(config_with_grace(grace), encoding="utf-8")
    return path


@pytest.fixture
async def queued(
    emu: BotApiEmulator, start_bot: StartBot, tmp_path: Path
) -> AsyncIterator[Callable[[int], Awaitable[list[str]]]]:
    """Staff who started the bot, then `per_chat` messages to each in the stopped bot's outbox
    (as a storm of pages would leave them)."""

    async def queue(per_chat: int) -> list[str]:
        bot = await start_bot()
        for uid in STAFF:
            await start_staff(emu, uid)
        assert await bot.stop() == 0
        db = Database(tmp_path / "hotline.db")
        await db.open()
        texts = []
        try:
            async with unit_of_work(db) as uow:
                for i in range(per_chat):
                    for uid in STAFF:
                        text = f"queued {uid} #{i:02d}"
                        payload = {"chat_id": uid, "text": text}
                        await uow.outbox.add(uid, "sendMessage", payload, datetime.now(UTC))
                        texts.append(text)
        finally:
            await db.close()
        return texts

    yield queue


def delivered(emu: BotApiEmulator) -> list[str]:
    return [
        m.text for uid in STAFF for m in emu.bot_messages(uid) if m.text.startswith("queued ")
    ]


async def until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        await asyncio.sleep(0.05)


def each_once_in_order(emu: BotApiEmulator, texts: list[str]) -> None:
    got = delivered(emu)
    twice = [t for t, n in Counter(got).items() if n > 1]
    assert twice == [], f"delivered more than once: {twice}"
    assert sorted(got) == sorted(texts), f"missing: {sorted(set(texts) - set(got))}"
    for uid in STAFF:  # and in order in each chat
        mine = [t for t in got if t.startswith(f"queued {uid} ")]
        assert mine == sorted(mine)


def sigterm(bot: BotProcess) -> None:
    assert bot.proc is not None
    bot.proc.send_signal(signal.SIGTERM)


async def test_sigterm_sends_what_is_queued_then_exits_0(
    emu: BotApiEmulator, start_bot: StartBot, queued: Callable[[int], Awaitable[list[str]]]
) -> None:
    texts = await queued(15)  # 45: past each chat's burst, about 6 s of paced sending
    bot = await start_bot()
    await until(lambda: len(delivered(emu)) > 0, 30, "the first queued message")
    sigterm(bot)
    assert len(delivered(emu)) < len(texts)  # most were still queued when it was told to stop
    assert await bot.stop() == 0
    each_once_in_order(emu, texts)  # all of them, before the process ended
    assert "stopping: no new updates" in bot.output()


@pytest.mark.parametrize("grace", ["1s"])
async def test_a_short_grace_ends_in_time_and_the_rest_goes_out_at_the_next_start(
    emu: BotApiEmulator, start_bot: StartBot, queued: Callable[[int], Awaitable[list[str]]]
) -> None:
    texts = await queued(20)  # 60: about 11 s of paced sending
    bot = await start_bot()
    await until(lambda: len(delivered(emu)) > 0, 30, "the first queued message")
    sigterm(bot)
    stopping = time.monotonic()
    assert await bot.stop() == 0
    assert time.monotonic() - stopping < 8  # 1 s of sending, then the process's own stop
    left = len(texts) - len(delivered(emu))
    assert left > 0, "everything went out: the grace was not what ended the sending"
    bot = await start_bot()
    await until(lambda: len(delivered(emu)) >= len(texts), 30, "the rest after the restart")
    await asyncio.sleep(1)  # a duplicate would have come by now
    each_once_in_order(emu, texts)
    assert await bot.stop() == 0


async def test_sigkill_mid_queue_loses_nothing_and_sends_nothing_twice(
    emu: BotApiEmulator, start_bot: StartBot, queued: Callable[[int], Awaitable[list[str]]]
) -> None:
    texts = await queued(20)
    bot = await start_bot()
    await until(lambda: len(delivered(emu)) >= 12, 30, "a dozen queued messages")
    # Telegram asks for a pause in each chat (429): every chat's next message is deferred in
    # the database and nothing is in flight when the kill comes. (A kill during a call to
    # Telegram can repeat that one message: the Bot API has no idempotency key.)
    refused = len(emu.refusals)
    emu.inject_flood(len(STAFF), retry_after=3, method="sendMessage")
    await until(lambda: len(emu.refusals) - refused >= len(STAFF), 10, "the 429s")
    await asyncio.sleep(0.5)  # each deferral committed
    sent_before = len(delivered(emu))
    await bot.kill()
    assert 0 < sent_before < len(texts)
    bot = await start_bot()
    await until(lambda: len(delivered(emu)) >= len(texts), 30, "the rest after the restart")
    await asyncio.sleep(1)
    each_once_in_order(emu, texts)
    assert await bot.stop() == 0


async def test_an_update_in_hand_at_sigterm_is_answered_once(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await start_staff(emu, 1001)
    greetings = len(emu.bot_messages(1001))
    emu.send_text(1001, "/start")
    await asyncio.sleep(0.05)  # taken by the bot, or not yet: either way answered once
    sigterm(bot)
    assert await bot.stop() == 0
    bot = await start_bot()
    await until(lambda: len(emu.bot_messages(1001)) > greetings, 30, "the answer")
    await start_staff(emu, 1002)  # the restarted bot is through with what was pending
    await asyncio.sleep(0.5)
    assert len(emu.bot_messages(1001)) == greetings + 1
    assert await bot.stop() == 0
