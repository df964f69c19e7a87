"""The sandbox: the Bot API emulator, the real bot and the web chat page in one process.

``python run_bot.py --sandbox`` comes here. Nothing leaves the machine: the emulator and the
page listen on 127.0.0.1 only, and the bot talks to the emulator over HTTP exactly as it talks
to Telegram in production (PTB long polling, the same composition root, the same outbox).
The token is a fake constant the emulator accepts; a real ``TELEGRAM_BOT_TOKEN`` in the
environment is never read.

``--speed N`` gives the bot a clock running N times faster (``ScaledClock``), and its timer
wake-ups are armed in real seconds ``s / N``; the emulator keeps real time, so Telegram's flood
limits stay as strict as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import os
import signal
import sys
import tempfile
import tomllib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

from bot.app import ALLOWED_UPDATES, HotlineBot, build
from bot.clock import Clock, ScaledClock, SystemClock
from bot.config import ConfigError, EnvSettings, Settings
from bot.sandbox.demo_devices import seed_devices
from bot.sandbox.demo_history import Customer, seed_if_empty
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.personas import Persona
from bot.sandbox.web import SandboxWeb
from bot.serving import Polling, Serving, stop_step
from bot.startup import StartupError
from bot.storage.db import Database
from bot.storage.uow import unit_of_work

__all__ = [
    "DEFAULT_CONFIG",
    "SANDBOX_TOKEN",
    "Sandbox",
    "SandboxOptions",
    "load_sandbox",
    "main",
]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = ROOT / "config" / "sandbox.toml"
# Not a real token: the emulator accepts any "<digits>:<letters>" and it is never sent anywhere.
SANDBOX_TOKEN = "5000000000:SANDBOX-fake-token"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class SandboxOptions:
    config: Path = DEFAULT_CONFIG
    port: int = 8080
    speed: float = 1.0
    db: Path | None = None  # None: a fresh temporary database, removed at exit
    # An empty database starts with last month's demo history (tests start from nothing).
    demo_history: bool = True


def load_sandbox(path: Path, database: Path) -> tuple[Settings, list[Persona]]:
    """The bot's settings from the sandbox config (with ``database`` replaced) and the
    personas: every staff member, then the demo customers of its ``[sandbox]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read the config: {exc}"]) from None
    table = data.pop("sandbox", {})
    data["database"] = str(database)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{path}: {'.'.join(str(p) for p in error['loc']) or '(top level)'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise ConfigError(problems) from None
    return settings, _personas(path, settings, table)


def _personas(path: Path, settings: Settings, table: Any) -> list[Persona]:
    if not isinstance(table, dict):
        raise ConfigError([f"{path}: sandbox: must be a table"])
    default = settings.default_language
    languages = table.get("staff_languages", {})
    if not isinstance(languages, dict):
        raise ConfigError([f"{path}: sandbox.staff_languages: must be a table"])
    personas: list[Persona] = []
    for staff in settings.staff:
        projects = tuple(p.name for p in settings.projects_of_staff(staff.key))
        personas.append(
            Persona(
                user_id=staff.telegram_id,
                name=staff.name,
                kind="staff",
                roles=tuple(staff.roles),
                language=str(languages.get(staff.key, default)),
                projects=projects,
                phone=staff.phone,
            )
        )
    taken = {p.user_id for p in personas}
    problems: list[str] = []
    for index, raw in enumerate(table.get("customers", [])):
        where = f"{path}: sandbox.customers[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a table")
            continue
        try:
            user_id = int(raw["telegram_id"])
            name = str(raw["name"])
            project = settings.project(str(raw["project"]))
        except KeyError as exc:
            problems.append(f"{where}: missing or unknown {exc}")
            continue
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        if user_id <= 0 or user_id in taken:
            problems.append(f"{where}.telegram_id: {user_id} is not a free positive id")
            continue
        taken.add(user_id)
        personas.append(
            Persona(
                user_id=user_id,
                name=name,
                kind="customer",
                roles=(),
                language=str(raw.get("language", default)),
                projects=(project.name,),
                invite=project.invite,
                unit=str(raw.get("unit", "")),
                phone=str(raw.get("phone", "")),
            )
        )
    if problems:
        raise ConfigError(problems)
    return personas


class Sandbox:
    """One running sandbox: start() brings everything up, stop() takes it down in reverse."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.emulator = BotApiEmulator(SANDBOX_TOKEN, host=HOST, port=0)
        self.bot: HotlineBot | None = None
        self.web: SandboxWeb | None = None
        self.personas: list[Persona] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._emulator_up = False
        self._serving: Serving | None = None

    @property
    def url(self) -> str:
        assert self.web is not None
        return self.web.url

    @property
    def database(self) -> Path:
        if self.options.db is not None:
            return self.options.db
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="hotline-sandbox-")
        return Path(self._tmp.name) / "sandbox.db"

    def clock(self) -> tuple[Clock, Callable[[float], float] | None]:
        speed = self.options.speed
        if speed == 1:
            return SystemClock(), None
        return ScaledClock(speed), lambda seconds: seconds / speed

    async def start(self) -> None:
        database = self.database
        database.parent.mkdir(parents=True, exist_ok=True)
        settings, self.personas = load_sandbox(self.options.config, database)
        clock, real_seconds = self.clock()
        if self.options.demo_history:
            await self._seed(settings, clock)
        await self.emulator.start()
        self._emulator_up = True
        for persona in self.personas:
            self.emulator.add_user(persona.user_id, persona.name, language_code=persona.language)
        env = EnvSettings(
            telegram_bot_token=SecretStr(SANDBOX_TOKEN),
            telegram_api_base_url=self.emulator.base_url,
        )
        bot = self.bot = build(settings, env, clock=clock, real_seconds=real_seconds)
        self.web = SandboxWeb(
            self.emulator, bot, self.personas, speed=self.options.speed, host=HOST,
            port=self.options.port,
        )
        await self.web.start()  # first: a busy port stops us before the bot starts
        # Staff pressed Start once, as real staff do: now pages can reach them.
        for persona in self.personas:
            if persona.kind == "staff":
                self.emulator.send_text(persona.user_id, "/start")
        # The bot's one start-up path (bot/serving.py), polling, in our own event loop.
        self._serving = Serving(bot, Polling(), ALLOWED_UPDATES)
        await self._serving.start()
        await self._welcome_back_known_customers(bot)

    async def _seed(self, settings: Settings, clock: Clock) -> None:
        """An empty database starts with last month's demo history, so that /monthly shows
        a real summary at once (bot/sandbox/demo_history.py)."""
        project_of = {p.invite: p.key for p in settings.projects}
        customers: dict[str, list[Customer]] = {}
        for persona in self.personas:
            if persona.kind == "customer" and persona.invite in project_of:
                customers.setdefault(project_of[persona.invite], []).append(
                    Customer(persona.user_id, persona.name, persona.unit, persona.phone)
                )
        db = Database(settings.database)
        await db.open()
        try:
            written = await seed_if_empty(db, settings, customers, clock.now())
            await seed_devices(db, settings, clock.now())
        finally:
            await db.close()
        if written:
            log.info("sandbox: wrote a demo history of %d tickets for last month", written)

    async def _welcome_back_known_customers(self, bot: HotlineBot) -> None:
        """With --db, customers who joined in an earlier run open the chat again."""
        async with unit_of_work(bot.db) as uow:
            for persona in self.personas:
                if persona.kind != "customer":
                    continue
                user = await uow.users.get(persona.user_id)
                if user is not None and user.project_key is not None:
                    self.emulator.send_text(persona.user_id, "/start")

    async def stop(self) -> None:
        """Reverse order of start(); every step runs even if an earlier one failed."""
        if self.web is not None:
            await _step("web page", self.web.stop())
        if self._serving is not None:
            await _step("bot", self._serving.stop())  # each of its steps runs on its own
            self._serving = None
        if self._emulator_up:
            await _step("emulator", self.emulator.stop())
            self._emulator_up = False
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.cleanup()
            self._tmp = None


async def _step(what: str, step: Awaitable[Any]) -> None:
    # A slow sandbox stop is a bug to find: a warning, which the sandbox's log level shows.
    await stop_step(what, step, doing="stopping the sandbox", slow=logging.WARNING)


def _dump_tasks() -> None:
    """SIGUSR1: print every asyncio task's stack and every thread's, to find what hangs."""
    print(f"--- {len(asyncio.all_tasks())} asyncio tasks ---", file=sys.stderr, flush=True)
    for task in asyncio.all_tasks():
        task.print_stack(file=sys.stderr)
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)


def _banner(sandbox: Sandbox) -> str:
    options = sandbox.options
    customers = [p for p in sandbox.personas if p.kind == "customer"]
    staff = [p for p in sandbox.personas if p.kind == "staff"]
    speed = "real time" if options.speed == 1 else f"{options.speed:g}× faster than real time"
    database = str(options.db) if options.db is not None else "a fresh temporary database"
    lines = [
        f"Hotline Bot sandbox is running: {sandbox.url}",
        "  open it in a browser: pick a customer on the left and an engineer on the right",
        f"  customers: {', '.join(p.name for p in customers) or '-'}",
        f"  staff:     {', '.join(p.name for p in staff)}",
        f"  bot clock: {speed}; database: {database}",
        "  nothing leaves this machine; Ctrl-C stops everything",
    ]
    return "\n".join(lines)


async def serve(options: SandboxOptions) -> int:
    """Run until SIGINT/SIGTERM; 0 on a clean stop, 1 if it could not start."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = 0

    def on_signal() -> None:
        nonlocal signals
        signals += 1
        if signals > 1:  # a second Ctrl-C: the user does not want to wait
            os._exit(130)
        stop.set()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal)
            installed.append(sig)
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        loop.add_signal_handler(signal.SIGUSR1, _dump_tasks)
        installed.append(signal.SIGUSR1)
    sandbox = Sandbox(options)
    try:
        try:
            await sandbox.start()
        except ConfigError as exc:
            print(f"configuration error:\n{exc}", file=sys.stderr)
            return 2
        except StartupError as exc:  # e.g. another bot holds the --db database
            print(exc, file=sys.stderr)
            return 2
        except OSError as exc:
            print(
                f"the sandbox could not start: {exc}\n"
                f"(is port {options.port} in use? choose another with --port)",
                file=sys.stderr,
            )
            return 1
        print(_banner(sandbox), flush=True)
        await stop.wait()
        print("stopping the sandbox…", flush=True)
        return 0
    finally:
        await sandbox.stop()
        for sig in installed:
            loop.remove_signal_handler(sig)


def main(options: SandboxOptions) -> int:
    try:
        return asyncio.run(serve(options))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were in place
        return 0
