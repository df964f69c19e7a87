"""The auditor's export (审计导出): /export [PROJECT] FROM TO sends an XLSX workbook of every
ticket a project was told of in a range of days, with every field, every deadline (computed as
the service report computes it), the pauses and the whole timeline. The operator's command line
(`run_bot.py export`) collects the same book through `collect`.

The command only checks and records a document job ("preparing your export…"); `ExportJob` is
that job's kind: the document worker collects the book from a read-only snapshot and makes the
workbook after the transaction, so a big export never holds the write lock (services/jobs.py).

Who may: the project managers and project leads of their projects, and the admins (all
projects). Customer managers and engineers may not: the export holds every customer's contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings
from bot.config.schema import Role
from bot.domain.export import ExportBook, ExportedTicket, History, day_range, parse_day
from bot.domain.jobs import DocumentJob
from bot.domain.reports import engineers_of
from bot.domain.warranty import charges_of
from bot.services.access import Access
from bot.services.jobs import Archived, DocumentJobs, OpenRead
from bot.services.notices import Notice, Outcome, Params
from bot.services.records import deadlines_of
from bot.services.sla import Sla
from bot.services.uow import UnitOfWork

EXPORT_ROLES: tuple[Role, ...] = ("project_manager", "project_lead", "admin")


class WorkbookMaker(Protocol):
    """Makes the workbook of a book in a reader's language (None: the default); returns the
    bytes and the language it chose."""

    def __call__(self, book: ExportBook, language: str | None) -> tuple[bytes, str]: ...


@dataclass(frozen=True)
class ExportProjects(Params):
    """export.no_project: the projects the asker may export (keys, comma separated)."""

    projects: str


@dataclass(frozen=True)
class ExportRequested(Params):
    """export.preparing: the export asked for, being made."""

    project: str
    first: str
    last: str


@dataclass(frozen=True)
class ExportFile(Params):
    """export.file: the workbook, by its archived file (name and SHA-256, which the sender
    checks), and what it holds (for the caption)."""

    path: str
    sha256: str
    file_name: str
    project: str
    first: date
    last: date
    count: int


class Export:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        sla: Sla,
        make: WorkbookMaker,
        jobs: DocumentJobs | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.sla = sla
        self.make = make
        self.jobs = jobs  # None for the command line, which only collects

    async def collect(
        self, uow: UnitOfWork, project: ProjectConfig, first: date, last: date
    ) -> ExportBook:
        """Every ticket of the project reported on the local days `first` to `last`."""
        tz = self.settings.tz  # the customers' (projects') time zone
        start, end = day_range(first, last, tz)
        histories = await uow.audit.reported_between(project.key, start, end)
        clocks = self.settings.sla_policy(project.key).clocks
        kinds = dict.fromkeys(h.ticket.kind for h in histories if h.ticket.is_request)
        for kind in kinds:  # a service request's own clocks (resolve), after the faults'
            names = {c.name for c in clocks}
            own = self.settings.sla_policy(project.key, kind).clocks
            clocks += tuple(c for c in own if c.name not in names)
        return ExportBook(
            project_key=project.key,
            project_name=project.name,
            timezone=self.settings.timezone,
            first=first,
            last=last,
            clocks=clocks,
            tickets=tuple(self._exported(h) for h in histories),
        )

    def _exported(self, h: History) -> ExportedTicket:
        t = h.ticket
        timeline = list(h.timeline)
        return ExportedTicket(
            ticket=t,
            deadlines=deadlines_of(t, self.sla.views_of(t, list(h.clocks))),
            pauses=h.pauses,
            timeline=h.timeline,
            engineers=engineers_of(t, timeline),
            survey=h.survey,
            charges=charges_of(timeline),
        )

    async def export(
        self, uow: UnitOfWork, uid: int, project_key: str | None, first: str, last: str
    ) -> Outcome:
        """/export [PROJECT] FROM TO: checked now; the workbook (in the asker's language) is a
        document job, made and sent after this transaction ("preparing" meanwhile)."""
        staff = self.access.staff(uid)
        if staff is None or not staff.has_role(*EXPORT_ROLES):
            return Outcome([Notice(uid, "export.managers_only")])
        mine = self.access.staff_projects(staff)
        key = project_key or (mine[0] if len(mine) == 1 else "")
        project = self.settings.find_project(key)
        if project is None or key not in mine:
            choices = ExportProjects(", ".join(mine))
            return Outcome([Notice(uid, "export.no_project", params=choices)])
        try:
            start, end = parse_day(first), parse_day(last)
            day_range(start, end, self.settings.tz)
        except ValueError:
            return Outcome([Notice(uid, "usage.export")])
        assert self.jobs is not None
        params = {"project": key, "first": start.isoformat(), "last": end.isoformat()}
        await self.jobs.request(uow, "export", uid, uid, params)
        asked = ExportRequested(project.name, start.isoformat(), end.isoformat())
        return Outcome([Notice(uid, "export.preparing", params=asked)])


@dataclass(frozen=True)
class Collected:
    """An export job's book and the language of the one who asked."""

    book: ExportBook
    language: str | None


class ExportJob:
    """The auditor's export as a document job (kind "export")."""

    what = "export.what"

    def __init__(self, export: Export) -> None:
        self.export = export

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> Collected:
        e = self.export
        project = e.settings.find_project(str(job.params["project"]))
        if project is None:  # the config dropped the project since it was asked for
            raise LookupError(f"project {job.params['project']!r} is no longer configured")
        first, last = parse_day(job.params["first"]), parse_day(job.params["last"])
        book = await e.collect(uow, project, first, last)
        asker = await uow.users.get(job.requester)
        return Collected(book, asker.language if asker else None)

    def make(self, job: DocumentJob, collected: Collected) -> dict[str, bytes]:
        data, _ = self.export.make(collected.book, collected.language)
        return {".xlsx": data}

    def delivered(
        self, job: DocumentJob, collected: Collected, files: dict[str, Archived]
    ) -> list[Notice]:
        b, f = collected.book, files[".xlsx"]
        done = ExportFile(f.path, f.sha256, b.file_name, b.project_name, b.first, b.last,
                          len(b.tickets))  # fmt: skip
        return [Notice(job.chat, "export.file", params=done)]
