"""Start-up as an operator meets it: each failure is one line on stderr and a non-zero exit, the
token never appears, and a bot that starts before its network waits for it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import ROOT, TOKEN, BotProcess
from tests.e2e.test_bot_process import start_staff

WRONG_TOKEN = "123456:WRONG-SECRET-of-another-bot"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR) \S+: ")


async def run_until_exit(
    config: Path, *, token: str, base_url: str, cwd: Path = ROOT
) -> tuple[int, str]:
    """run_bot.py to its end: (exit code, stdout and stderr together)."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url,
           "PYTHONUNBUFFERED": "1"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "run_bot.py"), "--config", str(config), cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError("the bot did not stop on a start-up failure") from None
    assert proc.returncode is not None
    return proc.returncode, out.decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def lines_containing(bot: BotProcess, text: str, count: int, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if bot.output().count(text) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {count} lines with {text!r}:\n{bot.output()}")


async def test_a_rejected_token_is_one_line_saying_where_to_get_one(
    emu: BotApiEmulator, config_file: Path
) -> None:
    code, out = await run_until_exit(config_file, token=WRONG_TOKEN, base_url=emu.base_url)
    assert code == 2
    assert len(out.strip().splitlines()) == 1, out
    assert "rejected the bot token" in out and "@BotFather" in out
    assert WRONG_TOKEN not in out and WRONG_TOKEN.split(":")[1] not in out


async def test_a_malformed_token_is_one_line_and_never_sent(
    emu: BotApiEmulator, config_file: Path
) -> None:
    malformed = "not-a-token-E2E-SECRET"
    code, out = await run_until_exit(config_file, token=malformed, base_url=emu.base_url)
    assert code == 2
    assert len(out.strip().splitlines()) == 1, out
    assert "TELEGRAM_BOT_TOKEN is not a bot token" in out and "@BotFather" in out
    assert malformed not in out
    assert emu.calls == []  # the token went into no URL


async def test_a_missing_config_says_to_copy_the_example(tmp_path: Path) -> None:
    missing = tmp_path / "hotline.toml"
    code, out = await run_until_exit(missing, token=TOKEN, base_url="http://127.0.0.1:9/bot")
    assert code == 2
    assert len(out.strip().splitlines()) == 1, out
    assert f"{missing}: config file not found" in out
    assert "copy config/hotline.example.toml to" in out
    assert TOKEN not in out


async def test_a_bot_started_before_its_network_comes_up(
    config_file: Path, tmp_path: Path
) -> None:
    port = free_port()
    emu = BotApiEmulator(TOKEN, port=port)
    bot = BotProcess(config_file, f"http://127.0.0.1:{port}/bot", tmp_path / "bot.log")
    await bot.start()
    try:
        # Nothing listens yet: the bot keeps trying, one line per attempt, and does not die.
        await lines_containing(bot, "cannot reach Telegram", 2, 10)
        assert bot.proc is not None and bot.proc.returncode is None
        await emu.start()
        await start_staff(emu, 1001)  # it came up: it answers
        assert await bot.stop() == 0
    finally:
        await bot.kill()
        await emu.stop()
    out = bot.output()
    assert TOKEN not in out and "Traceback" not in out
    lines = out.strip().splitlines()
    assert all(LOG_LINE.match(line) for line in lines), out
    attempts = [line for line in lines if "cannot reach Telegram" in line]
    assert len(attempts) >= 2
    assert all(f"127.0.0.1:{port}" in line and "next in" in line for line in attempts)


async def test_stopping_while_waiting_for_the_network_is_quiet(
    config_file: Path, tmp_path: Path
) -> None:
    bot = BotProcess(config_file, f"http://127.0.0.1:{free_port()}/bot", tmp_path / "bot.log")
    await bot.start()
    try:
        await lines_containing(bot, "cannot reach Telegram", 1, 10)
        assert bot.proc is not None
        bot.proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.proc.wait(), 10) == 0
    finally:
        await bot.kill()
    out = bot.output()
    assert "Traceback" not in out and TOKEN not in out
    assert all(LOG_LINE.match(line) for line in out.strip().splitlines()), out
