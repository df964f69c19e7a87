"""Webhook mode as a deployment runs it: run_bot.py as a process with [webhook], the emulator
delivering each update to the bot's listener with the secret header, as Telegram does; forged
requests straight to the listener refused; back to polling deletes the webhook."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import TOKEN, BotProcess
from tests.e2e.test_bot_process import CUSTOMER, join_customer, not_flood, start_staff
from tests.e2e.test_startup_process import free_port, run_until_exit
from tests.support.configs import hotline_config

SECRET = "e2e-WEBHOOK-secret_0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
StartBot = Callable[[str], Awaitable[BotProcess]]


def webhook_config(port: int) -> str:
    # Plain http to 127.0.0.1: the emulator stands in for Telegram and nginx at once.
    return hotline_config(
        extra=f'\n[webhook]\nurl = "http://127.0.0.1:{port}/hotline"\n'
        f'listen = "127.0.0.1:{port}"\n'
    )


@pytest.fixture
async def start(emu: BotApiEmulator, tmp_path: Path) -> AsyncIterator[StartBot]:
    procs: list[BotProcess] = []
    config = tmp_path / "hotline.toml"

    async def start(text: str) -> BotProcess:
        config.write_text(text, encoding="utf-8")
        proc = BotProcess(config, emu.base_url, tmp_path / "bot.log")
        proc.env["TELEGRAM_WEBHOOK_SECRET"] = SECRET
        await proc.start()
        procs.append(proc)
        return proc

    yield start
    for p in procs:
        await p.kill()
    log = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")
    assert TOKEN not in log and SECRET not in log, "a secret appeared in the bot's output"
    assert "Traceback" not in log, log[-4000:]


async def webhook_set(emu: BotApiEmulator, seconds: float = 30) -> str:
    for _ in range(int(seconds * 10)):
        if emu.webhook is not None:
            return emu.webhook.url
        await asyncio.sleep(0.1)
    raise AssertionError("the bot did not set its webhook")


def get_updates_calls(emu: BotApiEmulator) -> int:
    return sum(1 for c in emu.calls if c["method"] == "getUpdates")


def count(db: Path, sql: str, *args: object) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


async def test_updates_arrive_by_webhook_and_are_answered(
    emu: BotApiEmulator, start: StartBot
) -> None:
    port = free_port()
    bot = await start(webhook_config(port))
    assert await webhook_set(emu) == f"http://127.0.0.1:{port}/hotline"
    assert emu.webhook is not None and emu.webhook.secret == SECRET
    await start_staff(emu, 1001)
    await join_customer(emu)  # a customer's messages, each through the webhook, answered
    emu.send_text(CUSTOMER, "/report")
    await emu.wait_for_message(CUSTOMER, "整个系统")
    assert emu.webhook.delivered >= 6
    assert get_updates_calls(emu) == 0  # nothing by polling
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_a_forged_request_is_refused_and_changes_nothing(
    emu: BotApiEmulator, start: StartBot, tmp_path: Path
) -> None:
    port = free_port()
    bot = await start(webhook_config(port))
    await webhook_set(emu)
    await start_staff(emu, 1001)
    await join_customer(emu)
    stranger = 7777
    emu.add_user(stranger, "Stranger", started=True)  # a reply would reach them
    db = tmp_path / "hotline.db"
    users = count(db, "SELECT COUNT(*) FROM users")
    # What a forger would post: a new user joining, a joined customer reporting an A fault.
    forged = [
        {"update_id": 900001, "message": {
            "message_id": 1, "date": 1_700_000_000, "text": "/start VILLAGE2026",
            "chat": {"id": stranger, "type": "private", "first_name": "Stranger"},
            "from": {"id": stranger, "is_bot": False, "first_name": "Stranger"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}},
        {"update_id": 900002, "message": {
            "message_id": 99, "date": 1_700_000_000, "text": "/report",
            "chat": {"id": CUSTOMER, "type": "private", "first_name": "Customer"},
            "from": {"id": CUSTOMER, "is_bot": False, "first_name": "Customer"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}},
    ]
    before = len(emu.bot_messages(CUSTOMER))
    url = f"http://127.0.0.1:{port}/hotline"
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: SECRET[:-1]}):
            for update in forged:
                async with http.post(url, data=json.dumps(update), headers={
                    "Content-Type": "application/json", **headers
                }) as response:
                    assert response.status == 403, (headers, response.status)
    await asyncio.sleep(1.5)  # what a taken update would have caused has come by now
    assert emu.bot_messages(stranger) == []
    assert len(emu.bot_messages(CUSTOMER)) == before
    assert count(db, "SELECT COUNT(*) FROM users") == users
    assert count(db, "SELECT COUNT(*) FROM users WHERE telegram_id = ?", stranger) == 0
    assert count(db, "SELECT COUNT(*) FROM tickets") == 0
    # The same customer, through Telegram (the secret), is answered.
    emu.send_text(CUSTOMER, "/report")
    await emu.wait_for_message(CUSTOMER, "整个系统")
    # And the forged join, had it carried the secret, would have been taken: the refusal above
    # was the header's doing, not a malformed update's.
    async with aiohttp.ClientSession() as http, http.post(
        url, json=forged[0], headers={SECRET_HEADER: SECRET}
    ) as response:
        assert response.status == 200
    await emu.wait_for_message(stranger, "姓名")
    assert count(db, "SELECT COUNT(*) FROM users WHERE telegram_id = ?", stranger) == 1
    assert await bot.stop() == 0


async def test_back_to_polling_deletes_the_webhook(
    emu: BotApiEmulator, start: StartBot
) -> None:
    port = free_port()
    bot = await start(webhook_config(port))
    await webhook_set(emu)
    await start_staff(emu, 1001)
    assert await bot.stop() == 0
    # Telegram keeps the webhook while the bot is down; a message sent now waits there.
    assert emu.webhook is not None
    emu.send_text(1001, "/start")
    for _ in range(50):
        if emu.webhook.last_error_message:
            break
        await asyncio.sleep(0.1)
    assert emu.webhook.last_error_message  # the listener is gone: not delivered, kept
    assert len(emu.pending_updates()) == 1

    bot = await start(hotline_config())  # [webhook] removed: long polling
    await emu.wait_for_message(1001, "/help", after=max(m.message_id for m in emu.chat(1001)))
    assert emu.webhook is None
    assert any(c["method"] == "deleteWebhook" for c in emu.calls)
    assert get_updates_calls(emu) > 0
    await start_staff(emu, 1002)  # and so on, by polling
    assert await bot.stop() == 0


async def test_webhook_mode_without_its_secret_is_one_line_and_no_call(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    config = tmp_path / "hotline.toml"
    config.write_text(webhook_config(free_port()), encoding="utf-8")
    code, out = await run_until_exit(config, token=TOKEN, base_url=emu.base_url)
    assert code == 2
    assert len(out.strip().splitlines()) == 1, out
    assert "TELEGRAM_WEBHOOK_SECRET is not set" in out
    assert emu.calls == []


async def test_a_url_telegram_refuses_is_one_line_at_once(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    config = tmp_path / "hotline.toml"
    config.write_text(hotline_config(extra='\n[webhook]\nurl = "https://127.0.0.1:9999/h"\n'
                                     f'listen = "127.0.0.1:{free_port()}"\n'), encoding="utf-8")
    code, out = await run_until_exit(config, token=TOKEN, base_url=emu.base_url)
    assert code == 2
    assert out.strip().splitlines()[-1] == (
        "Telegram refused the webhook https://127.0.0.1:9999/h: Bad webhook: webhook can be set "
        "up only on ports 80, 88, 443 or 8443"
    )
    assert "Traceback" not in out and SECRET not in out and TOKEN not in out
    assert [c["method"] for c in emu.calls].count("setWebhook") == 1  # not retried


async def test_a_listen_address_in_use_is_one_line(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    config = tmp_path / "hotline.toml"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config.write_text(webhook_config(port), encoding="utf-8")
        code, out = await run_until_exit(config, token=TOKEN, base_url=emu.base_url)
    assert code == 2
    assert out.strip().splitlines()[-1].startswith(
        f"cannot listen on 127.0.0.1:{port} for the webhook ("
    )
    assert "Traceback" not in out and SECRET not in out
