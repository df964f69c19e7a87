"""Operations: the daily backup's timer, a failed backup told to the admins, /health.

The backup itself is made off the write lock by the adapter (bot/telegram/backups.py): the
timer's transaction only re-arms the next day and asks for it. The timer is in the database
like every other, so it survives a restart and fires once a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.config.schema import parse_hhmm
from bot.domain.health import HealthFacts, Problem
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupFailed(Params):
    """The daily backup failed (`backup.failed`): why, and where it should have gone."""

    error: str
    folder: str


@dataclass(frozen=True)
class HealthReport(Params):
    """/health (`health.report`): the same facts as /healthz and /metrics, and the verdict."""

    facts: HealthFacts
    problems: tuple[Problem, ...]


def _nothing() -> None:
    pass


class Operations:
    def __init__(self, settings: Settings, clock: Clock, access: Access) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        # Starts a backup off the write lock; the composition root connects the runner.
        self.start_backup: Callable[[], None] = _nothing

    # ------------------------------------------------------------------ backups
    def next_backup(self) -> datetime:
        """The next `backup_at` (local time) after now."""
        tz = self.settings.tz
        local = self.clock.now().astimezone(tz)
        nxt = datetime.combine(local.date(), parse_hhmm(self.settings.backup_at), tzinfo=tz)
        if nxt <= local:
            nxt = datetime.combine(
                local.date() + timedelta(days=1), parse_hhmm(self.settings.backup_at), tzinfo=tz
            )
        return nxt

    async def arm(self, uow: UnitOfWork) -> None:
        """The next day's backup timer (a fired one stays fired: once a day)."""
        nxt = self.next_backup()
        await uow.timers.schedule_once(f"backup:{nxt.date().isoformat()}", "backup", nxt)

    async def fire(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """The daily backup's time: arm tomorrow's, and start this one."""
        await self.arm(uow)
        self.start_backup()
        return Outcome()

    def backup_failed(self, error: str, folder: str) -> Outcome:
        """Tell the admins (with none configured: every manager) that the backup failed."""
        out = Outcome()
        for person in self.access.keepers(None):
            failed = BackupFailed(error, folder)
            out.add(Notice(person.telegram_id, "backup.failed", params=failed))
        return out

    # ------------------------------------------------------------------ /health
    async def health(
        self, uow: UnitOfWork, user_id: int, facts: HealthFacts, found: list[Problem]
    ) -> Outcome:
        """/health: for admins only (the bot's own state, every project's numbers)."""
        staff = self.access.staff(user_id)
        if staff is None:
            return Outcome([Notice(user_id, "refuse.staff_only")])
        if not staff.has_role("admin"):
            return Outcome([Notice(user_id, "refuse.admins_only")])
        return Outcome(
            [Notice(user_id, "health.report", params=HealthReport(facts, tuple(found)))]
        )
