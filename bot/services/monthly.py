"""The monthly summary (每月维护报告汇总) of a project: `/monthly [PROJECT] [YYYY-MM]` for its
project managers, leads and the admins, and automatically on the 1st of each month at the
project's `monthly_report_at` to its manager(s) and lead(s) and the customer contacts in its
`report_to`.

The command and the timer only check and record a document job (kind "monthly",
services/jobs.py); `MonthlyJob` is that job's kind. The document worker reads the numbers
(storage's SQL aggregates, bot/storage/monthly.py, as bot/domain/monthly.py defines them) and
the rows behind them from a read-only snapshot, makes the files (chart PNG, XLSX workbook, PDF)
once per reader's language in a worker thread, archives them, and one notice per reader names
them by path and SHA-256: the write lock is never held while a month is summed up or drawn.
The automatic summary is a timer per project and month (`monthly_report`, keyed by both):
it fires once, also after a restart, requests the job and arms the next month's.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.config.schema import parse_hhmm
from bot.domain.jobs import DocumentJob
from bot.domain.monthly import (
    MonthlyDetails,
    MonthlySummary,
    Period,
    month_period,
    next_sending,
    parse_month,
    previous_month,
)
from bot.services.access import Access
from bot.services.jobs import Archived, DocumentJobs, OpenRead
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork

log = logging.getLogger(__name__)

TIMER = "monthly_report"


@dataclass(frozen=True)
class MonthlyFiles(Params):
    """`monthly.report`: a project's month summed up, with its files in the reader's
    language (the chart, the workbook and the printable PDF), each by its archived name and
    SHA-256 (which the sender checks): the outbox rows stay small however big the month."""

    summary: MonthlySummary
    project_name: str
    chart: Archived
    workbook: Archived
    pdf: Archived
    automatic: bool  # sent on the 1st (not asked for with /monthly)


@dataclass(frozen=True)
class MonthlyRequested(Params):
    """`monthly.preparing`: the summary asked for, being made."""

    project: str
    month: str


@dataclass(frozen=True)
class MonthlyRefusal(Params):
    """Why /monthly sent nothing: the projects the asker may choose from."""

    projects: str


class MonthlyTypesetter(Protocol):
    """Makes the summary's files in a reader's language."""

    def language(self, telegram_code: str | None) -> str: ...

    def prepare(self, reported: int) -> None:
        """A month of this many faults is about to be drawn (a large one may want a process
        of its own, started while the month is read)."""
        ...

    def done(self) -> None:
        """The month is drawn (a process may be kept a while for the next one)."""
        ...

    def close(self) -> None: ...

    def pictures(self, summary: MonthlySummary, lang: str) -> tuple[bytes, bytes]:
        """The chart (PNG) and the printable PDF with it: the numbers alone (thread-safe)."""
        ...

    def workbook(self, summary: MonthlySummary, details: MonthlyDetails, lang: str) -> bytes:
        """The workbook (XLSX): the numbers and the rows behind them."""
        ...


class Monthly:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        typeset: MonthlyTypesetter,
        jobs: DocumentJobs,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.typeset = typeset
        self.jobs = jobs

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
        month_key = f"{year:04d}-{number:02d}"
        await self.jobs.request(uow, "monthly", uid, uid, {"project": key, "month": month_key})
        asked = MonthlyRequested(project.name, month_key)
        return Outcome([Notice(uid, "monthly.preparing", params=asked)])

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
        """The 1st of the month: a job (requester 0, no chat) for last month's summary to the
        project's managers, leads and listed customer contacts; the next month's is armed."""
        project = self.settings.find_project(str(timer.payload.get("project", "")))
        parsed = parse_month(str(timer.payload.get("month", "")))
        if project is None or parsed is None:
            return Outcome()  # the project left the config: nothing to sum up
        await self._arm(uow, project)
        if not await self._readers(uow, project, warn=False):  # the job warns, once
            return Outcome()  # nobody to send it to
        params = {"project": project.key, "month": f"{parsed[0]:04d}-{parsed[1]:02d}",
                  "automatic": True}  # fmt: skip
        await self.jobs.request(uow, "monthly", 0, 0, params)
        return Outcome()

    async def _readers(
        self, uow: UnitOfWork, project: ProjectConfig, *, warn: bool = True
    ) -> list[int]:
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
                if warn:
                    log.warning("monthly summary of %s: report_to %s has not joined it",
                                project.key, uid)
                continue
            out.append(uid)
        return out


@dataclass(frozen=True)
class Collected:
    """What a monthly job shows: the numbers, the rows behind them, and who reads it in which
    language."""

    summary: MonthlySummary
    details: MonthlyDetails
    project_name: str
    readers: tuple[tuple[int, str], ...]  # (Telegram id, language)
    automatic: bool
    pictures: dict[str, tuple[bytes, bytes]]  # language → (chart PNG, PDF)
    books: dict[str, bytes] = field(default_factory=dict)  # language → workbook (XLSX)

    def languages(self, default: str) -> list[str]:
        """Each language once, in the readers' order (the default one when nobody reads)."""
        return list(dict.fromkeys(lang for _, lang in self.readers)) or [default]


class MonthlyJob:
    """The monthly summary as a document job (kind "monthly"): asked for with /monthly (the
    asker reads it) or by the 1st-of-month timer (requester 0, "automatic": the project's
    readers, each once by the notices' dedupe)."""

    what = "monthly.what"

    def __init__(self, monthly: Monthly) -> None:
        self.monthly = monthly

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> Collected:
        m = self.monthly
        project = m.settings.find_project(str(job.params["project"]))
        parsed = parse_month(str(job.params["month"]))
        if project is None or parsed is None:  # the config dropped the project since
            raise LookupError(f"project {job.params['project']!r} is no longer configured")
        period = month_period(project.key, *parsed, m.settings.tz)
        automatic = bool(job.params.get("automatic"))
        uids = await m._readers(uow, project) if automatic else [job.requester]
        readers = []
        for uid in uids:
            user = await uow.users.get(uid)
            readers.append((uid, m.typeset.language(user.language if user else None)))
        langs = list(dict.fromkeys(lang for _, lang in readers)) or [m.settings.default_language]
        # A large month's chart and PDF are drawn in a process of their own, started now (its
        # imports overlap the reading).
        m.typeset.prepare(await uow.monthly.reported(period))
        try:
            summary, details = await self._read(uow, open_read, period, job)
            pictures, books = await self._make(summary, details, langs)
        finally:
            m.typeset.done()
        return Collected(summary, details, project.name, tuple(readers), automatic, pictures,
                         books)  # fmt: skip

    async def _read(
        self, uow: UnitOfWork, open_read: OpenRead, period: Period, job: DocumentJob
    ) -> tuple[MonthlySummary, MonthlyDetails]:
        """The numbers, as of when they were asked for (a job made after a restart shows the
        same), and the rows behind them, read beside them on a second snapshot (each query on
        its own core): a busy month must go out in 5 s."""
        async with open_read() as rows:
            reading = asyncio.ensure_future(rows.monthly.details(period))
            try:
                summary = await uow.monthly.summary(
                    period, period.days(self.monthly.settings.tz), job.requested_at
                )
            finally:
                details = await reading
        if len(details.tickets) != summary.reported:
            # A fault was reported into the month between the two snapshots began (a month
            # still running): the rows are read again where the numbers were.
            details = await uow.monthly.details(period)
        return summary, details

    async def _make(
        self, summary: MonthlySummary, details: MonthlyDetails, langs: list[str]
    ) -> tuple[dict[str, tuple[bytes, bytes]], dict[str, bytes]]:
        """Each language's chart and PDF, drawn while its workbook is written."""
        typeset = self.monthly.typeset
        drawing = asyncio.gather(
            *(asyncio.to_thread(typeset.pictures, summary, lang) for lang in langs)
        )
        writing = asyncio.gather(
            *(asyncio.to_thread(typeset.workbook, summary, details, lang) for lang in langs)
        )
        drawn, written = await drawing, await writing
        return dict(zip(langs, drawn, strict=True)), dict(zip(langs, written, strict=True))

    def make(self, job: DocumentJob, collected: Collected) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        typeset, c = self.monthly.typeset, collected
        for lang in c.languages(self.monthly.settings.default_language):
            chart, pdf = c.pictures.get(lang) or typeset.pictures(c.summary, lang)
            files[f".{lang}.png"] = chart
            files[f".{lang}.xlsx"] = c.books.get(lang) or typeset.workbook(
                c.summary, c.details, lang
            )
            files[f".{lang}.pdf"] = pdf
        return files

    def delivered(
        self, job: DocumentJob, collected: Collected, files: dict[str, Archived]
    ) -> list[Notice]:
        c = collected
        out = []
        for uid, lang in c.readers:
            made = MonthlyFiles(c.summary, c.project_name, files[f".{lang}.png"],
                                files[f".{lang}.xlsx"], files[f".{lang}.pdf"],
                                automatic=c.automatic)  # fmt: skip
            # Once per reader and month, also if the job were ever made twice.
            dedupe = f"monthly:{c.summary.period.project_key}:{c.summary.period.month}:{uid}"
            out.append(Notice(uid, "monthly.report", params=made,
                              dedupe=dedupe if c.automatic else None))
        return out
