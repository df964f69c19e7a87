"""Shared helpers of the benchmarks (not a benchmark itself): bot subprocesses, CPU sampling
from /proc, a temporary hotline config, and a cheap per-user inbox on top of the emulator.

The benchmarks import ``bot.sandbox.emulator`` from the project root; run them from anywhere
as ``python benchmarks/bench_x.py``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.sandbox.emulator import BotApiEmulator, FloodLimits  # noqa: E402
from tests.support.configs import (  # noqa: E402
    INVITE,
    STANDARD_STAFF,
    VILLAGE_PROJECT,
    hotline_config,
    people,
)

__all__ = [
    "BENCH_DIR",
    "ROOT",
    "TOKEN",
    "BotApiEmulator",
    "BotProcess",
    "CpuTimes",
    "FloodLimits",
    "Inbox",
    "machine_description",
    "percentile",
    "write_config",
]

TOKEN = "123456:BENCH-SECRET-TOKEN"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STAFF_IDS = tuple(p.telegram_id for p in people(*STANDARD_STAFF))


def write_config(directory: Path, messages_per_second: float) -> Path:
    """The dialog tests' config with the village project only and the sending rate as a knob,
    in ``directory``; its database is ``directory/hotline.db``."""
    text = hotline_config(projects=[VILLAGE_PROJECT], messages_per_second=messages_per_second)
    path = directory / "hotline.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- CPU


@dataclass(frozen=True)
class CpuTimes:
    """CPU seconds (user + system) of a process, and of its main thread alone."""

    total: float
    main_thread: float

    def __sub__(self, other: CpuTimes) -> CpuTimes:
        return CpuTimes(self.total - other.total, self.main_thread - other.main_thread)

    @property
    def other_threads(self) -> float:
        return self.total - self.main_thread


def _stat_cpu(path: str) -> float:
    with open(path, encoding="ascii") as f:
        raw = f.read()
    # Field 2 (comm) is in parentheses and may contain spaces: split after the last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def read_cpu(pid: int) -> CpuTimes:
    """utime+stime of the whole process (all threads) and of its main thread."""
    return CpuTimes(_stat_cpu(f"/proc/{pid}/stat"), _stat_cpu(f"/proc/{pid}/task/{pid}/stat"))


# --------------------------------------------------------------------------- processes


class BotProcess:
    """A bot as a subprocess talking to the emulator; output goes to a log file."""

    def __init__(self, argv: list[str], base_url: str, log: Path, name: str) -> None:
        self.argv = argv
        self.base_url = base_url
        self.log = log
        self.name = name
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.base_url,
            "PYTHONUNBUFFERED": "1",
        }
        # Only loopback traffic: never let a proxy setting route the emulator's URL elsewhere.
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                    "all_proxy"):
            env.pop(key, None)
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                *self.argv, cwd=ROOT, env=env, stdout=out, stderr=out,
                stdin=asyncio.subprocess.DEVNULL,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def cpu(self) -> CpuTimes:
        if not self.running():
            raise RuntimeError(f"{self.name} exited early; see {self.log}")
        return read_cpu(self.pid)

    async def stop(self, grace: float = 15.0) -> int:
        """SIGTERM (the bot shuts down cleanly), then SIGKILL after ``grace`` seconds."""
        if self.proc is None:
            return -1
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except TimeoutError:
                print(f"  {self.name} ignored SIGTERM for {grace:g}s: killing it")
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode if self.proc.returncode is not None else -1

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def hotline_argv(config: Path, profile: Path | None = None) -> list[str]:
    run_bot = str(ROOT / "run_bot.py")
    if profile is not None:
        return [sys.executable, "-m", "cProfile", "-o", str(profile), run_bot, "--config",
                str(config)]
    return [sys.executable, run_bot, "--config", str(config)]


# --------------------------------------------------------------------------- inbox

Message = dict[str, Any]


class Inbox:
    """The bot's new messages per user, pushed by an emulator listener.

    ``BotApiEmulator.wait_for_message`` rescans a chat on every emulator event, for every
    waiter; with hundreds of waiting users that costs the benchmark process more than the bot
    under test. Here each event wakes only the waiters of its own chat.
    """

    def __init__(self, emu: BotApiEmulator) -> None:
        self.messages: dict[int, list[Message]] = {}
        self._waiters: dict[int, list[asyncio.Future[None]]] = {}
        emu.add_listener(self._on_event)

    def _on_event(self, event: str, payload: Message) -> None:
        if event != "message" or not payload.get("from_bot"):
            return
        uid = int(payload["chat_id"])
        self.messages.setdefault(uid, []).append(payload)
        for waiter in self._waiters.pop(uid, ()):
            if not waiter.done():
                waiter.set_result(None)

    def count(self, uid: int) -> int:
        return len(self.messages.get(uid, ()))

    def total(self) -> int:
        return sum(len(m) for m in self.messages.values())

    async def wait(
        self, uid: int, start: int, match: Callable[[Message], bool], seconds: float
    ) -> tuple[int, Message]:
        """The first bot message to ``uid`` at index >= ``start`` that matches; returns the
        index after it and the message. ``TimeoutError`` after ``seconds``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        index = start
        while True:
            box = self.messages.setdefault(uid, [])
            while index < len(box):
                message = box[index]
                index += 1
                if match(message):
                    return index, message
            remaining = deadline - loop.time()
            if remaining <= 0:
                texts = [m.get("text", "")[:60] for m in box[start:]]
                raise TimeoutError(f"user {uid}: no matching bot message in {seconds:g}s; "
                                   f"got since #{start}: {texts}")
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.setdefault(uid, []).append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass

    async def wait_count(self, uid: int, count: int, seconds: float) -> None:
        """Until ``uid`` has received at least ``count`` bot messages in total."""
        await self.wait(uid, max(0, count - 1), lambda m: True, seconds)


def button_data(message: Message, prefix: str) -> str | None:
    """The callback_data of the message's button that is ``prefix`` or ``prefix:...`` (the
    bot may append a version, e.g. ``rep:confirm:ok:0``)."""
    for _, data in message.get("buttons") or ():
        if data == prefix or data.startswith(prefix + ":"):
            return str(data)
    return None


def has_button(prefix: str) -> Callable[[Message], bool]:
    def match(message: Message) -> bool:
        return button_data(message, prefix) is not None

    return match


def contains(needle: str) -> Callable[[Message], bool]:
    def match(message: Message) -> bool:
        return needle in (message.get("text") or "")

    return match


# --------------------------------------------------------------------------- reporting


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine_description() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import platform

    import aiohttp
    import telegram

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "bot", "run_bot.py"],
            capture_output=True, timeout=10, check=False,
        ).returncode
        if dirty:
            commit += " + uncommitted changes in bot/"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown (not a git checkout)"
    return (
        f"bot code: {ROOT} at commit {commit}\n"
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"python-telegram-bot {telegram.__version__}; aiohttp {aiohttp.__version__}; "
        f"{platform.system()} {platform.release()}"
    )


async def join_staff(emu: BotApiEmulator, inbox: Inbox, seconds: float) -> None:
    """Every configured staff member opens the bot (pages can reach them)."""

    async def one(uid: int) -> None:
        emu.add_user(uid, f"Staff{uid}", language_code="zh")
        start = inbox.count(uid)
        emu.send_text(uid, "/start")
        await inbox.wait(uid, start, lambda m: True, seconds)  # greeted (for their role)

    await asyncio.gather(*(one(uid) for uid in STAFF_IDS))


async def join_customer(emu: BotApiEmulator, inbox: Inbox, uid: int, seconds: float) -> None:
    """/start INVITE, then name, unit and phone, as in tests/e2e/test_bot_process.py."""
    emu.add_user(uid, f"Customer{uid}", language_code="zh")
    steps = [
        (f"/start {INVITE}", "姓名"),
        (f"Customer {uid}", "单位"),
        ("Village Police Station", "电话"),
        (f"139{uid:08d}", "已保存"),
    ]
    for text, expected in steps:
        start = inbox.count(uid)
        emu.send_text(uid, text)
        await inbox.wait(uid, start, contains(expected), seconds)
