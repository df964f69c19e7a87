"""End-to-end: `run_bot.py` as a process, talking HTTP to the strict Bot API emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.sandbox.emulator import BotApiEmulator
from tests.support.configs import hotline_config

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E-SECRET-TOKEN"


class BotProcess:
    def __init__(self, config: Path, base_url: str, log: Path) -> None:
        self.config = config
        self.base_url = base_url
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": self.base_url,
               "PYTHONUNBUFFERED": "1"}
        out = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "run_bot.py"), "--config", str(self.config),
            cwd=ROOT, env=env, stdout=out, stderr=out,
        )

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.proc and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self) -> int:
        """SIGTERM: the clean way out."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode if self.proc.returncode is not None else -1

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(TOKEN)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "hotline.toml"
    path.write_text(hotline_config(), encoding="utf-8")
    return path


StartBot = Callable[[], Awaitable[BotProcess]]


@pytest.fixture
async def start_bot(
    emu: BotApiEmulator, config_file: Path, tmp_path: Path
) -> AsyncIterator[StartBot]:
    procs: list[BotProcess] = []

    async def start() -> BotProcess:
        proc = BotProcess(config_file, emu.base_url, tmp_path / "bot.log")
        await proc.start()
        procs.append(proc)
        return proc

    yield start
    for p in procs:
        await p.kill()
    log = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace") if (
        tmp_path / "bot.log").exists() else ""
    assert TOKEN not in log, "the bot token appeared in the bot's output"
    assert "Traceback" not in log, log[-4000:]
