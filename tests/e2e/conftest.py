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
        self.env: dict[str, str] = {}  # more environment (e.g. TELEGRAM_WEBHOOK_SECRET)

    async def start(self) -> None:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": self.base_url,
               "PYTHONUNBUFFERED": "1", **self.env}
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


def _press(emu: BotApiEmulator, uid: int, label: str) -> None:
    """Press the newest button whose label contains `label` in that user's chat."""
    for m in reversed(emu.bot_messages(uid)):
        for text, data in m.buttons():
            if label in text:
                emu.press(uid, m.message_id, data)
                return
    raise AssertionError(f"no button {label!r} for {uid}")


async def report_b_fault(
    emu: BotApiEmulator,
    uid: int,
    *,
    site: str | tuple[float, float] = "Village 3 office",
    symptom: str = "黑屏",
    model: str | None = None,
) -> None:
    """A joined (zh) customer reports a B-level fault (part of the devices down) through the
    /report form: the site as text or a shared location, no photo, the model or none, the
    profile's phone; returns once the receipt has come."""

    async def answer(expect: str, act: Callable[[], object]) -> None:
        mark = max((m.message_id for m in emu.chat(uid)), default=0)
        act()
        await emu.wait_for_message(uid, expect, after=mark)

    await answer("整个系统", lambda: emu.send_text(uid, "/report"))
    await answer("部分设备", lambda: _press(emu, uid, "否"))
    await answer("故障地点", lambda: _press(emu, uid, "是"))
    if isinstance(site, str):
        await answer("故障现象", lambda: emu.send_text(uid, site))
    else:
        await answer("故障现象", lambda: emu.send_location(uid, *site))
    await answer("照片", lambda: emu.send_text(uid, symptom))
    await answer("型号", lambda: _press(emu, uid, "完成"))
    if model is None:
        await answer("联系电话", lambda: _press(emu, uid, "跳过"))
    else:
        await answer("联系电话", lambda: emu.send_text(uid, model))
    await answer("请确认", lambda: _press(emu, uid, "使用"))
    await answer("已受理", lambda: _press(emu, uid, "确认提交"))
