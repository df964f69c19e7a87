"""The emulator's webhook, as Telegram's: setWebhook, delivery with the secret header until a
2xx, getUpdates refused with 409 meanwhile, deleteWebhook back to polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.sandbox.emulator import BotApiEmulator

TOKEN = "123456:TEST-TOKEN"
USER = 1001
SECRET = "s3cret_-token"


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records what it got and answers `statuses` in turn
    (then 200)."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, Any], str | None]] = []
        self.statuses: list[int] = []
        self.arrived = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.got.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        self.arrived.set()
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"

    async def taken(self, count: int, seconds: float = 5) -> None:
        async with asyncio.timeout(seconds):
            while len(self.got) < count:
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.add_user(USER, "Tester")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.start()
    yield r
    assert r.runner is not None
    await r.runner.cleanup()


async def test_updates_are_posted_with_the_secret_and_get_updates_is_refused(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    emu.send_text(USER, "before the webhook")  # queued: the webhook gets it first
    assert await bot.set_webhook(receiver.url, secret_token=SECRET, allowed_updates=["message"])
    emu.send_text(USER, "after")
    await receiver.taken(2)
    texts = [update["message"]["text"] for update, _ in receiver.got]
    assert texts == ["before the webhook", "after"]
    assert {secret for _, secret in receiver.got} == {SECRET}
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.allowed_updates == ("message",)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()


async def test_an_update_is_posted_again_until_the_receiver_takes_it(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    receiver.statuses = [403, 500]
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    emu.send_text(USER, "hello")
    emu.send_text(USER, "second")
    await receiver.taken(4)
    texts = [update["message"]["text"] for update, _ in receiver.got]
    assert texts == ["hello", "hello", "hello", "second"]  # in order, none lost or skipped
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_a_receiver_that_is_down_keeps_the_update_queued(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    down = receiver.url.replace("/hook", "/nowhere")  # 404
    await bot.set_webhook(down)
    emu.send_text(USER, "kept")
    for _ in range(50):
        info = await bot.get_webhook_info()
        if info.last_error_message:
            break
        await asyncio.sleep(0.05)
    assert info.pending_update_count == 1 and "404" in str(info.last_error_message)
    await bot.set_webhook(receiver.url)  # fixed: now it arrives
    await receiver.taken(1)
    assert receiver.got[0][0]["message"]["text"] == "kept"
    assert receiver.got[0][1] is None  # no secret set: no header


async def test_delete_webhook_goes_back_to_polling(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    emu.send_text(USER, "by polling")
    await asyncio.sleep(0.2)
    assert receiver.got == []
    updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates if u.message] == ["by polling"]


async def test_a_waiting_get_updates_ends_when_a_webhook_is_set(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    async with Bot(TOKEN, base_url=emu.base_url) as other:
        poll = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
        await asyncio.sleep(0.2)
        await other.set_webhook(receiver.url)
        with pytest.raises(Conflict, match="terminated by setWebhook"):
            await poll


@pytest.mark.parametrize(
    ("url", "secret", "refusal"),
    [
        ("http://example.org/hook", None, "An HTTPS URL must be provided"),
        ("https://example.org:8080/hook", None, "ports 80, 88, 443 or 8443"),
        ("https://example.org/hook", "has space", "unallowed characters"),
        ("https://example.org/hook", "x" * 257, "unallowed characters"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    emu: BotApiEmulator, bot: Bot, url: str, secret: str | None, refusal: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){refusal}"):
        await bot.set_webhook(url, secret_token=secret)
    assert emu.webhook is None
