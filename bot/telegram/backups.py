"""The daily backup, made off the write lock while the bot runs.

The backup timer's transaction asks for it (services/operations.py); this runner makes it in a
worker thread (SQLite's online backup API on a connection of its own, then the documents: see
bot/storage/backup.py), keeps the newest `backup_keep`, and when anything fails tells the
admins through the dispatcher (and the health facts show the error until a backup succeeds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from bot.clock import Clock
from bot.services.notices import Outcome
from bot.services.operations import Operations
from bot.storage import backup
from bot.telegram.dispatch import Dispatcher
from bot.telegram.metrics import BackupState, Metrics

log = logging.getLogger(__name__)


class BackupRunner:
    def __init__(
        self,
        database: Path,
        keep: int,
        clock: Clock,
        operations: Operations,
        dispatcher: Dispatcher,
        state: BackupState,
        metrics: Metrics,
    ) -> None:
        self.database = Path(database)
        self.keep = keep
        self.clock = clock
        self.operations = operations
        self.dispatcher = dispatcher
        self.state = state
        self.metrics = metrics
        self._task: asyncio.Task[None] | None = None

    def request(self) -> None:
        """Start a backup now, unless one is being made."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name="backup")

    async def wait(self) -> None:
        """Until the backup being made (if any) is done."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Stop waiting for the backup being made (its thread finishes on its own; a half-made
        backup is a .part file, never taken for a backup, and the thread removes it)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def run(self) -> None:
        folder = self.state.folder
        try:
            made = await asyncio.to_thread(
                backup.make_backup, self.database, folder, self.clock.now()
            )
            removed = await asyncio.to_thread(backup.prune, folder, self.keep)
        except Exception as e:
            error = str(e) if isinstance(e, backup.BackupError) else f"{type(e).__name__}: {e}"
            log.error("the daily backup into %s failed: %s", folder, error)
            self.state.error = error
            self.metrics.backups_failed.inc()
            try:
                await self.dispatcher.run(
                    lambda uow: _outcome(self.operations, error, str(folder))
                )
            except Exception:
                log.exception("the admins could not be told that the backup failed")
            return
        self.state.error = ""
        log.info(
            "backup %s: %d bytes, %d documents; %d old backups removed",
            made.path, made.size, made.documents, len(removed),
        )  # fmt: skip


async def _outcome(operations: Operations, error: str, folder: str) -> Outcome:
    return operations.backup_failed(error, folder)
