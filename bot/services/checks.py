"""Reachability and the daily checks.

Telegram refuses messages to staff who blocked the bot or never started it: the managers are
told, and a refused page moves to the next tier at once. At start-up and every morning the
managers learn who cannot be reached, which business calendars lack a coming year's official
working days, where the roster has gaps, and which open tickets the config changed under (see
services/orphans.py). Every morning the ids of old updates are forgotten.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.domain.calendar import missing_years
from bot.domain.ticket import Status
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params
from bot.services.orphans import Orphans
from bot.services.roster import Roster
from bot.services.uow import OutboxRow, UnitOfWork

log = logging.getLogger(__name__)

# Outbox purposes of pages: an acceptance turns each into "taken by X".
PAGES = ("page", "group_page")

# How long a handled update's id is remembered. Telegram re-delivers only unconfirmed updates and
# keeps them at most 24 hours; after a week without updates it may start ids anew at random, so
# remembering far longer could skip a new update.
HANDLED_UPDATES_KEPT = timedelta(days=2)


@dataclass(frozen=True)
class Unreachable(Params):
    """Staff of a project who cannot be reached, and the ticket whose page was refused, if any
    (`staff.unreachable`)."""

    names: list[str]
    project: str
    ticket_id: int | None = None


@dataclass(frozen=True)
class MissingCalendar(Params):
    """A business calendar lacks official working days of coming years (`calendar.missing`:
    the catalog text names them all)."""

    years: str
    project: str
    calendar: str


class Checks:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        roster: Roster,
        orphans: Orphans | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.roster = roster
        self.orphans = orphans

    # ------------------------------------------------------------------ the sender's news
    async def message_refused(self, uow: UnitOfWork, row: OutboxRow, reason: str) -> Outcome:
        """Telegram refused a message (blocked, never started): a refused page is a failed page."""
        ticket_id = row.ticket_id if row.purpose == "page" else None
        return await self.page_failed(uow, row.chat_id, reason, ticket_id)

    async def message_sent(
        self, uow: UnitOfWork, row: OutboxRow, message_id: int | None, previous: str
    ) -> Outcome:
        """A page that was in flight while someone accepted: turn it into "taken by X" too."""
        if row.purpose not in PAGES or previous != "cancelled" or message_id is None:
            return Outcome()
        ticket = await uow.tickets.get(row.ticket_id or 0)
        if ticket is None or ticket.status == Status.NEW:
            return Outcome()
        return Outcome(
            [Notice(row.chat_id, "ticket.page_taken", ticket=ticket, edit_message_id=message_id)]
        )

    async def page_failed(
        self, uow: UnitOfWork, chat_id: int, reason: str, ticket_id: int | None
    ) -> Outcome:
        """A message to staff was refused (blocked / never started): tell the managers."""
        staff = self.access.staff(chat_id)
        news = await uow.users.mark_unreachable(chat_id, self.clock.now(), reason)
        out = Outcome()
        if ticket_id is not None:
            # The page reached nobody in that tier: the next person is paged at once.
            out.notices.extend(await self.roster.page_refused(uow, ticket_id, chat_id))
        if staff is None or not (news or ticket_id):
            return out
        projects = self.settings.projects_of_staff(staff.key)
        for project in projects:
            for manager in self.access.managers(project):
                if manager.key != staff.key:
                    out.add(
                        Notice(
                            manager.telegram_id,
                            "staff.unreachable",
                            params=Unreachable([staff.name], project.name, ticket_id),
                        )
                    )
        return out

    # ------------------------------------------------------------------ start-up and mornings
    async def orphans_report(self, uow: UnitOfWork) -> Outcome:
        """Open tickets whose owner, project or clock the config no longer has: settle them
        and tell their keepers (start-up runs this first, in its own transaction)."""
        if self.orphans is None:
            return Outcome()
        return await self.orphans.settle_all(uow)

    async def at_startup(self, uow: UnitOfWork) -> Outcome:
        """Start-up: who cannot be reached, missing calendar years, roster gaps; arm the daily
        check and the roster's hand-offs and reminders."""
        out = await self.unreachable_report(uow)
        out.notices.extend((await self.calendar_report(uow)).notices)
        await self.arm_daily_check(uow)
        await self.roster.arm(uow)
        out.notices.extend((await self.roster.gaps_report(uow)).notices)
        return out

    async def unreachable_report(self, uow: UnitOfWork) -> Outcome:
        """Name the staff who never started the bot or blocked it."""
        now: datetime = self.clock.now()
        everyone = await uow.users.many(s.telegram_id for s in self.settings.staff)
        out = Outcome()
        for project in self.settings.projects:
            missing = [
                s
                for s in self.access.project_staff(project)
                if (u := everyone.get(s.telegram_id)) is None
                or u.started_at is None
                or u.unreachable_at is not None
            ]
            if not missing:
                continue
            names = [s.name for s in missing]
            digest = hashlib.sha1("|".join(sorted(names)).encode()).hexdigest()[:10]
            day = now.astimezone(self.settings.tz).date().isoformat()
            for manager in self.access.managers(project):
                if manager in missing:
                    continue
                out.add(
                    Notice(
                        manager.telegram_id,
                        "staff.unreachable",
                        params=Unreachable(names, project.name),
                        dedupe=f"unreachable:{project.key}:{manager.key}:{day}:{digest}",
                    )
                )
        return out

    async def calendar_report(self, uow: UnitOfWork) -> Outcome:
        """Business calendars lacking the official working days of a coming year: say so.

        The official calendar of a year is published each November; until the package that
        carries it is updated, Monday–Friday plus the config's extra days is used instead.
        """
        now = self.clock.now()
        today = now.astimezone(self.settings.tz).date()
        years = {today.year, (today + timedelta(days=90)).year}
        out = Outcome()
        for project in self.settings.projects:
            policy = self.settings.sla_policy(project.key)
            days = getattr(policy.calendar, "days", None)
            if days is None or not getattr(days, "official", False):
                continue  # 24x7, or plain Monday–Friday by choice
            missing = missing_years(years)
            if not missing:
                continue
            log.warning(
                "no official working-day calendar for %s (project %s): using Monday-Friday "
                "plus the config's extra days; update the chinesecalendar package",
                ", ".join(map(str, missing)),
                project.key,
            )
            people = [
                s
                for s in self.access.project_staff(project)
                if s.has_role("project_manager", "admin")
            ]
            people += [s for s in self.settings.staff if s.has_role("admin")]
            for person in {p.telegram_id: p for p in people}.values():
                out.add(
                    Notice(
                        person.telegram_id,
                        "calendar.missing",
                        params=MissingCalendar(
                            ", ".join(map(str, missing)), project.name, policy.calendar.name
                        ),
                        dedupe=f"calendar:{project.key}:{person.key}:{today.isoformat()}",
                    )
                )
        return out

    async def arm_daily_check(self, uow: UnitOfWork) -> None:
        """The daily check runs every morning at 08:00 local time (a timer in the database)."""
        tz = self.settings.tz
        local = self.clock.now().astimezone(tz)
        nxt = datetime.combine(local.date(), time(8, 0), tzinfo=tz)
        if nxt <= local:
            nxt += timedelta(days=1)
        await uow.timers.schedule(f"daily:{nxt.date().isoformat()}", "daily_check", nxt)

    async def daily_check(self, uow: UnitOfWork) -> Outcome:
        """Every morning: unreachable staff, roster gaps, missing calendar years; forget old
        update ids; re-arm."""
        await uow.handled_updates.forget_before(self.clock.now() - HANDLED_UPDATES_KEPT)
        out = await self.orphans_report(uow)
        out.notices.extend((await self.unreachable_report(uow)).notices)
        out.notices.extend((await self.calendar_report(uow)).notices)
        out.notices.extend((await self.roster.gaps_report(uow)).notices)
        await self.roster.arm(uow)
        await self.arm_daily_check(uow)
        return out
