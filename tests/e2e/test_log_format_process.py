"""`--log-format json`: the bot as a process writes one JSON object per line, with the ticket
and the user of each ticket event, and never the token or a customer's phone number."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import ROOT, TOKEN, report_b_fault
from tests.e2e.test_bot_process import join_customer

CUSTOMER = 5001


async def test_json_lines_with_ticket_and_user(
    emu: BotApiEmulator, config_file: Path, tmp_path: Path
) -> None:
    log_path = tmp_path / "bot.log"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": emu.base_url,
           "TELEGRAM_WEBHOOK_SECRET": "e2e-webhook-secret", "PYTHONUNBUFFERED": "1"}
    with log_path.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "run_bot.py"), "--config", str(config_file),
            "--log-format", "json", "--log-level", "DEBUG",
            cwd=ROOT, env=env, stdout=out, stderr=out,
        )
    try:
        await join_customer(emu, CUSTOMER)  # the profile's phone: 13900000000
        await report_b_fault(emu, CUSTOMER)
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 15)
    text = log_path.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines, "the bot logged nothing"
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line), line
    reported = [x for x in lines if x["message"].startswith("ticket #1: reported")]
    assert len(reported) == 1, [x["message"] for x in lines if "ticket" in x]
    assert reported[0]["ticket"] == 1 and reported[0]["user"] == CUSTOMER
    assert reported[0]["logger"] == "bot.telegram.dispatch" and reported[0]["level"] == "INFO"
    # DEBUG lets every library speak (httpx names each request URL): nothing secret shows.
    assert TOKEN not in text and TOKEN.partition(":")[2] not in text
    assert "13900000000" not in text and "e2e-webhook-secret" not in text
