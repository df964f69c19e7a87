"""The monthly summary (每月维护报告汇总) of a project: `/monthly [PROJECT] [YYYY-MM]` for its
project managers, leads and the admins, and automatically on the 1st of each month at the
project's `monthly_report_at` to its manager(s) and lead(s) and the customer contacts in its
`report_to`.

The numbers come from storage's SQL aggregates (bot/storage/monthly.py) as the domain defines
them (bot/domain/monthly.py). The files (chart PNG, XLSX workbook, PDF) are made by the
injected typesetter once per reader's language and go out as one notice per reader.
The automatic summary is a timer per project and month (`monthly_report`, keyed by both):
it fires once, also after a restart, and arms the next month's.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.config.schema import parse_hhmm
from bot.domain.monthly import (
    MonthlyDetails,
    MonthlySummary,
    month_period,
    next_sending,
    parse_month,
    previous_month,
)
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork

log = logging.getLogger(__name__)

TIMER = "monthly_report"


@dataclass(frozen=True)
class MonthlyFiles(Params):
    """`monthly.report`: a project's month summed up, with its files in the reader's
    language: the chart, the workbook and the printable PDF."""

    summary: MonthlySummary
    project_name: str
    chart_png: bytes
    workbook: bytes
    pdf: bytes
    automatic: bool  # sent on the 1st (not asked for with /monthly)


@dataclass(frozen=True)
class MonthlyRefusal(Params):
    """Why /monthly sent nothing: the projects the asker may choose from."""

    projects: str


class MonthlyTypesetter(Protocol):
    """Makes the summary's files in a reader's language."""

    def language(self, telegram_code: str | None) -> str: ...

    def pictures(self, summary: MonthlySummary, lang: str) -> tuple[bytes, bytes]:
        """The chart (PNG) and the printable PDF with it: the numbers alone (thread-safe)."""
        ...

    def workbook(self, summary: MonthlySummary, details: MonthlyDetails, lang: str) -> bytes:
        """The workbook (XLSX): the numbers and the rows behind them."""
        ...


class Monthly:
    def __init__(
        self, settings: Settings, clock: Clock, access: Access, typeset: MonthlyTypesetter
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.typeset = typeset

    # ------------------------------------------------------------------ /monthly
    def may_ask(self, staff: StaffConfig | None) -> bool:
        return staff is not None and staff.has_role("project_manager", "project_lead", "admin")

    async def command(
        self, uow: UnitOfWork, uid: int, project_key: str | None, month: str | None
    ) -> Outcome:
        """/monthly [PROJECT] [YYYY-MM]: the summary of a project's month (last month by
        default) for its project managers and leads, and the admins."""
        staff = self.access.staff(uid)
        if staff is None or not self.may_ask(staff):
            return Outcome([Notice(uid, "monthly.not_allowed")])
        mine = self.access.staff_projects(staff)
        key = project_key or (mine[0] if mine else "")  # as /ledger: their first project
        project = self.settings.find_project(key)
        if project is None or key not in mine:
            names = ", ".join(mine)
            return Outcome([Notice(uid, "monthly.no_project", params=MonthlyRefusal(names))])
        if month is None:
            year, number = previous_month(self.clock.now(), self.settings.tz)
        else:
            parsed = parse_month(month)
            if parsed is None:
                return Outcome([Notice(uid, "usage.monthly")])
            year, number = parsed
        user = await uow.users.get(uid)
        lang = self.typeset.language(user.language if user else None)
        summary, details, pictures = await self._sum_up(uow, project, year, number, lang)
        chart, pdf = pictures
        book = self.typeset.workbook(summary, details, lang)
        files = MonthlyFiles(summary, project.name, chart, book, pdf, automatic=False)
        return Outcome([Notice(uid, "monthly.report", params=files)])

    async def _sum_up(
        self, uow: UnitOfWork, project: ProjectConfig, year: int, month: int, lang: str
    ) -> tuple[MonthlySummary, MonthlyDetails, tuple[bytes, bytes]]:
        """The numbers; then the rows behind them, read by SQLite (in aiosqlite's thread)
        while the chart and the PDF of `lang` are drawn in another: a month of 100 000
        tickets is sent a second sooner."""
        tz = self.settings.tz
        period = month_period(project.key, year, month, tz)
        summary = await uow.monthly.summary(period, period.days(tz), self.clock.now())
        details, pictures = await asyncio.gather(
            uow.monthly.details(period),
            asyncio.to_thread(self.typeset.pictures, summary, lang),
        )
        return summary, details, pictures

    # ------------------------------------------------------------------ on the 1st
    async def arm(self, uow: UnitOfWork) -> None:
        """Each project's next automatic summary (start-up, and after each one is sent)."""
        for project in self.settings.projects:
            await self._arm(uow, project)

    async def _arm(self, uow: UnitOfWork, project: ProjectConfig) -> None:
        at = parse_hhmm(project.monthly_report_at)
        due, (year, month) = next_sending(self.clock.now(), self.settings.tz, at)
        # Once per project and month, even when the config's time moves after it was sent.
        await uow.timers.schedule_once(
            f"monthly:{project.key}:{year:04d}-{month:02d}",
            TIMER,
            due,
            payload={"project": project.key, "month": f"{year:04d}-{month:02d}"},
        )

    async def fire(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """The 1st of the month: last month's summary to the project's managers, leads and
        listed customer contacts; then the next month's is armed."""
        project = self.settings.find_project(str(timer.payload.get("project", "")))
        parsed = parse_month(str(timer.payload.get("month", "")))
        if project is None or parsed is None:
            return Outcome()  # the project left the config: nothing to sum up
        await self._arm(uow, project)
        readers = []
        for uid in await self._readers(uow, project):
            user = await uow.users.get(uid)
            readers.append((uid, self.typeset.language(user.language if user else None)))
        first = readers[0][1] if readers else self.settings.default_language
        summary, details, pictures = await self._sum_up(uow, project, *parsed, first)
        out = Outcome()
        made: dict[str, tuple[bytes, bytes, bytes]] = {}  # the files, once per language
        for uid, lang in readers:
            if lang not in made:
                chart, pdf = pictures if lang == first else self.typeset.pictures(summary, lang)
                made[lang] = (chart, self.typeset.workbook(summary, details, lang), pdf)
            chart, book, pdf = made[lang]
            files = MonthlyFiles(summary, project.name, chart, book, pdf, automatic=True)
            out.add(Notice(uid, "monthly.report", params=files,
                           dedupe=f"monthly:{project.key}:{summary.period.month}:{uid}"))
        return out

    async def _readers(self, uow: UnitOfWork, project: ProjectConfig) -> list[int]:
        """Who gets the automatic summary (Telegram ids): the project's managers and leads,
        and the customers in `report_to` if they joined this very project (no one reads
        another's data)."""
        staff = self.access.project_staff(project)
        chain = [s for s in staff if s.has_role("project_manager", "project_lead")]
        people = chain or self.access.keepers(project)
        out = [s.telegram_id for s in people]
        for uid in project.report_to:
            user = await uow.users.get(uid)
            if user is None or user.project_key != project.key:
                log.warning("monthly summary of %s: report_to %s has not joined it",
                            project.key, uid)
                continue
            out.append(uid)
        return out
