"""The emulator serves files its users send: the document in the update, getFile, the file URL
beside the API (as Telegram and a self-hosted Bot API server do), and /_emu/document."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox.emulator import BotApiEmulator
from bot.telegram.files import file_url_of

TOKEN = "123456:TEST-TOKEN"
USER = 1001


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.add_user(USER, "Tester")
        emulator.send_text(USER, "/start")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=file_url_of(emu.base_url)) as b:
        yield b


def test_the_file_url_sits_beside_the_api() -> None:
    assert file_url_of("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_of("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


async def test_a_users_document_is_fetched_with_get_file(emu: BotApiEmulator, bot: Bot) -> None:
    data = "项目,编号\nvillage,T-1\n".encode()
    sent = emu.send_document(USER, "台账.csv", data, caption="register")
    updates = await bot.get_updates()
    document = updates[-1].message.document  # type: ignore[union-attr]
    assert document is not None
    assert (document.file_name, document.file_size) == ("台账.csv", len(data))
    assert document.file_id == sent["document"]["file_id"]
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == data
    assert [c["method"] for c in emu.calls][-1] == "getFile"
    with pytest.raises(BadRequest):
        await bot.get_file("made-up")


async def test_the_file_url_wants_the_token(emu: BotApiEmulator) -> None:
    file_id = emu.send_document(USER, "a.csv", b"x")["document"]["file_id"]
    async with httpx.AsyncClient() as client:
        good = await client.get(f"{emu.url}/file/bot{TOKEN}/documents/{file_id}")
        bad = await client.get(f"{emu.url}/file/bot1:WRONG/documents/{file_id}")
        missing = await client.get(f"{emu.url}/file/bot{TOKEN}/documents/nothing")
    assert (good.status_code, good.content) == (200, b"x")
    assert (bad.status_code, missing.status_code) == (401, 404)


async def test_a_document_sent_through_the_control_api(emu: BotApiEmulator) -> None:
    body = {"user_id": USER, "file_name": "r.xlsx",
            "data_b64": base64.b64encode(b"PK\x03\x04...").decode()}
    async with httpx.AsyncClient() as client:
        ok = await client.post(f"{emu.url}/_emu/document", json=body)
        bad = await client.post(f"{emu.url}/_emu/document", json={**body, "data_b64": "!!"})
    assert ok.json()["ok"] and bad.status_code == 400
    last = emu.chat(USER)[-1]
    assert (last.kind, last.file_name, last.file_data) == ("document", "r.xlsx", b"PK\x03\x04...")
