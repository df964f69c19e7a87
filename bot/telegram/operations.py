"""The operator's side of a running bot, wired in one place: the database's lock file, the
health facts and metrics, the [http] server, the daily backup runner and /health in chat.

The composition root makes one `Ops`; `HotlineBot.startup` takes the lock before it opens the
database and starts the rest once the bot runs; `shutdown` undoes it in reverse.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import Update
from telegram.ext import ContextTypes

from bot.clock import Clock
from bot.config import Settings
from bot.domain.health import HealthLimits
from bot.services.notices import Outcome
from bot.services.operations import Operations
from bot.services.uow import UnitOfWork
from bot.startup import StartupError
from bot.storage.db import Database
from bot.storage.lock import DatabaseLock, DatabaseLocked
from bot.telegram.backups import BackupRunner
from bot.telegram.dispatch import Dispatcher
from bot.telegram.handlers import Updates
from bot.telegram.http_server import HealthServer
from bot.telegram.metrics import BackupState, FetchWatch, Monitor

log = logging.getLogger(__name__)


def backup_folder(settings: Settings) -> Path:
    """`backup_dir`, or backups/ next to the database (beside the documents' reports/)."""
    return settings.backup_dir or Path(settings.database).parent / "backups"


class Ops:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        db: Database,
        operations: Operations,
        dispatcher: Dispatcher,
        fetches: FetchWatch | None,
    ) -> None:
        self.settings = settings
        self.operations = operations
        self.dispatcher = dispatcher
        self.lock = DatabaseLock(db.path) if isinstance(db.path, Path) else None
        self.state = BackupState(backup_folder(settings))
        limits = HealthLimits(settings.http.updates_max_age, settings.http.outbox_max_age)
        staff_ids = [s.telegram_id for s in settings.staff]
        self.monitor = Monitor(db, clock, limits, staff_ids, fetches, self.state)
        self.metrics = self.monitor.metrics
        self.backups = BackupRunner(
            Path(settings.database), settings.backup_keep, clock, operations, dispatcher,
            self.state, self.metrics,
        )  # fmt: skip
        operations.start_backup = self.backups.request
        listen = settings.http.listen
        self.server = HealthServer(self.monitor, listen) if listen else None
        self.updates: Updates | None = None

    # ------------------------------------------------------------------ life
    def take_lock(self) -> None:
        """Before the database is opened: one bot per database, and no restore under it."""
        if self.lock is None:
            return
        try:
            self.lock.acquire("bot")
        except DatabaseLocked as e:
            raise StartupError(
                f"{self.settings.database} is in use ({e}; lock file {self.lock.path}): "
                "another bot runs on this database, or a restore is under way"
            ) from None

    async def start(self) -> None:
        """Arm the daily backup; serve /healthz and /metrics when [http] listen is set."""
        await self.dispatcher.run(lambda uow: self._arm(uow))
        if self.server is not None:
            try:
                await self.server.start()
            except OSError as e:
                raise StartupError(
                    f"[http] listen = {self.settings.http.listen!r}: cannot listen there ({e})"
                ) from None

    async def _arm(self, uow: UnitOfWork) -> Outcome:
        await self.operations.arm(uow)
        return Outcome()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
        await self.backups.stop()

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()

    # ------------------------------------------------------------------ chat
    async def count_update(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update the application handles (a handler in a group of its own, first)."""
        self.monitor.update_handled()

    async def health(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/health: the bot's own state for admins (as /healthz and /metrics show it)."""
        assert self.updates is not None
        facts = await self.monitor.facts()
        found = self.monitor.judge(facts)
        operations = self.operations
        await self.updates.perform(
            update, lambda uow, u: operations.health(uow, u.telegram_id, facts, found)
        )

