"""Records of one service: the service report (售后服务报告), issued when a ticket is resolved,
re-issued at the customer's sign-off, when it closes unconfirmed after `confirm_within`, and
once the satisfaction survey is complete ("rated": it prints the stars and the comment);
/doc N sends the latest one. Every version is archived and never changed.

A version is issued in two steps, so that the database is not held while a PDF is typeset
(~0.3 s): in its transaction the report is laid out as HTML from the data as they are then and
kept as a job (`report_jobs`), and the document is queued as waiting for it; after the commit
(and at start-up, for jobs a stop left) `typeset_next` makes the PDF, archives it with its
SHA-256 and releases the waiting messages (bot/telegram/typesetting.py runs it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import User
from bot.domain.reports import (
    Deadline,
    IssuedReport,
    ReportJob,
    ReportKind,
    ServiceReport,
    archive_name,
    close_unconfirmed,
    content_hash,
    engineers_of,
    sign_off_of,
)
from bot.domain.ticket import Ticket, TransitionError
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params, TicketNumber
from bot.services.sla import ClockView, Sla
from bot.services.uow import Timer, UnitOfWork

CONFIRM_TIMER = "confirm_timeout"
# Stars given, the comment asked: the rated version waits for it at most this timer.
RATED_TIMER = "survey_report"
DEFAULT_CONFIRM_WITHIN = timedelta(days=3)


class Typesetter(Protocol):
    """Makes the PDF of a report in a reader's language (None: the default); returns the
    bytes and the language it chose."""

    def __call__(self, report: ServiceReport, language: str | None) -> tuple[bytes, str]: ...


class Layout(Protocol):
    """Lays a report out as HTML in a reader's language (None: the default), cheaply; returns
    the HTML and the language it chose."""

    def __call__(self, report: ServiceReport, language: str | None) -> tuple[str, str]: ...


class Pdf(Protocol):
    """Typesets a laid-out report (HTML) as a PDF: the slow part, run outside transactions."""

    def __call__(self, html: str) -> bytes: ...


class Archive(Protocol):
    """Where issued reports' files live (written once, read after)."""

    def store(self, name: str, data: bytes) -> str: ...

    def read(self, name: str) -> bytes: ...


Stored = tuple[str, str]  # a file in the archive: its name there and its SHA-256


def verified(archive: Archive, found: Stored) -> Stored | None:
    """An archived document's file as it was first made (it is sent as it is, never made
    again); None when it is gone or changed: said, never silently made again."""
    try:
        data = archive.read(found[0])
    except OSError:
        return None
    return found if content_hash(data) == found[1] else None


@dataclass(frozen=True)
class ReportFile(Params):
    """records.report: an issued report as a document: its archived file (the name in the
    archive and its SHA-256, which the sender checks) and what version it is; or, while it is
    being typeset, the job it waits for (`job`, path and hash empty). The outbox row refers to
    the file rather than carrying its bytes."""

    path: str
    sha256: str
    version: int
    kind: ReportKind
    job: str = ""


def deadlines_of(ticket: Ticket, views: list[ClockView]) -> tuple[Deadline, ...]:
    """Each clock as a promised deadline: target, due, when it was met, missed by how much
    (counted seconds beyond the target) and how long it stood paused. The one definition of
    met/missed that the service report and the auditor's export share."""
    out = []
    for v in views:
        over = max(0.0, v.elapsed - v.state.target_seconds) if v.met is False else 0.0
        out.append(
            Deadline(
                v.spec,
                v.spec.target_for(ticket.level),
                v.due_at,
                v.state.stopped_at,
                v.met,
                over,
                v.paused,
            )
        )
    return tuple(out)


class Records:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        sla: Sla,
        layout: Layout,
        pdf: Pdf,
        archive: Archive,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.sla = sla
        self.layout = layout
        self.pdf = pdf
        self.archive = archive

    def confirm_within(self, ticket: Ticket) -> timedelta:
        project = self.settings.find_project(ticket.project_key)
        return project.confirm_within if project is not None else DEFAULT_CONFIRM_WITHIN

    # ------------------------------------------------------------------ issuing
    async def report_of(
        self, uow: UnitOfWork, ticket: Ticket, version: int, kind: ReportKind
    ) -> ServiceReport:
        """The report's data as the database has it now."""
        timeline = await uow.timeline.of_ticket(ticket.id)
        deadlines = deadlines_of(ticket, await self.sla.views(uow, ticket))
        return ServiceReport(
            ticket=ticket,
            version=version,
            kind=kind,
            issued_at=self.clock.now(),
            timeline=tuple(timeline),
            deadlines=tuple(deadlines),
            engineers=engineers_of(ticket, timeline),
            sign_off=sign_off_of(timeline),
            survey=await uow.surveys.get(ticket.id),
        )

    async def _versions(self, uow: UnitOfWork, ticket_id: int) -> list[tuple[int, ReportKind]]:
        """Every version of a ticket's report, archived or still being typeset."""
        archived = [(r.version, r.kind) for r in await uow.records.of_ticket(ticket_id)]
        pending = [(j.version, j.kind) for j in await uow.records.jobs_of(ticket_id)]
        return sorted(archived + pending)

    async def issue(self, uow: UnitOfWork, ticket: Ticket, kind: ReportKind) -> ReportJob:
        """A new version: laid out now in the customer's language (the data as they are in
        this transaction), typeset and archived after the commit."""
        versions = await self._versions(uow, ticket.id)
        version = versions[-1][0] + 1 if versions else 1
        report = await self.report_of(uow, ticket, version, kind)
        customer = await uow.users.get(ticket.customer_id)
        html, lang = self.layout(report, customer.language if customer else None)
        job = ReportJob(ticket.id, version, kind, report.issued_at, lang, html)
        await uow.records.add_job(job)
        return job

    # ------------------------------------------------------------------ after the commit
    async def next_job(self, uow: UnitOfWork) -> ReportJob | None:
        jobs = await uow.records.jobs()
        return jobs[0] if jobs else None

    def typeset(self, job: ReportJob) -> tuple[str, str]:
        """The slow part, outside any transaction (in a worker thread): the PDF, archived
        (written once; a retry after a crash writes the same name or a new one). Returns the
        archive's name for it and its SHA-256."""
        data = self.pdf(job.html)
        sha = content_hash(data)
        return self.archive.store(archive_name(job.ticket_id, job.version, sha), data), sha

    async def archived(self, uow: UnitOfWork, job: ReportJob, path: str, sha: str) -> None:
        """The job's PDF is archived: the version is recorded with its hash, and the messages
        waiting for it are released, due now."""
        await uow.records.add(
            IssuedReport(job.ticket_id, job.version, job.kind, job.issued_at, job.language,
                         path, sha)
        )
        await uow.records.job_done(job)
        now = self.clock.now()
        for row in await uow.outbox.awaiting_document(job.key):
            payload = {k: v for k, v in row.payload.items() if k != "document_job"}
            await uow.outbox.release(
                row.id, {**payload, "document_path": path, "document_sha256": sha}, now
            )

    async def failed(self, uow: UnitOfWork, job: ReportJob, error: str) -> None:
        """Typesetting failed: kept with the error for an administrator; the messages waiting
        for it fail too, so that the chats they hold up go on."""
        await uow.records.job_failed(job, error)
        for row in await uow.outbox.awaiting_document(job.key):
            await uow.outbox.mark_failed(row.id, f"service report not typeset: {error}")

    async def resolved(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """Resolved: the report goes to the customer; unconfirmed, it closes in time."""
        issued = await self.issue(uow, ticket, "issued")
        assert ticket.resolved_at is not None
        await uow.timers.schedule(
            f"confirm:{ticket.id}",
            CONFIRM_TIMER,
            ticket.resolved_at + self.confirm_within(ticket),
            ticket_id=ticket.id,
            payload={"resolved_at": ticket.resolved_at.isoformat()},
        )
        return [self._document(ticket.customer_id, ticket, issued)]

    async def confirmed(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """The customer's sign-off: the report re-issued, marked confirmed by them."""
        await uow.timers.cancel(f"confirm:{ticket.id}")
        issued = await self.issue(uow, ticket, "confirmed")
        return [self._document(ticket.customer_id, ticket, issued)]

    async def confirm_timeout(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """Nobody confirmed within `confirm_within`: closed without the customer's
        confirmation, recorded, and the report re-issued saying so."""
        ticket = await uow.tickets.get(timer.ticket_id or 0)
        if ticket is None or "resolved_at" not in timer.payload:
            return Outcome()
        resolved_at = datetime.fromisoformat(str(timer.payload["resolved_at"]))
        now = self.clock.now()
        try:
            ticket = await uow.tickets.save(close_unconfirmed(ticket, resolved_at, now))
        except TransitionError:
            return Outcome()  # confirmed, reopened or closed meanwhile
        await uow.timeline.append(ticket.id, now, "system", "closed_unconfirmed")
        issued = await self.issue(uow, ticket, "closed_unconfirmed")
        out = Outcome([Notice(ticket.customer_id, "records.closed_unconfirmed", ticket=ticket)])
        out.add(self._document(ticket.customer_id, ticket, issued))
        owner = self.access.owner(ticket)
        if owner is not None:
            out.add(Notice(owner.telegram_id, "records.closed_unconfirmed_owner", ticket=ticket))
        return out

    # ------------------------------------------------------------------ the survey
    async def await_comment(self, uow: UnitOfWork, ticket: Ticket, until: datetime) -> None:
        """Stars given, the comment asked: the rated version is issued when the comment comes
        or is skipped, else at `until` (the comment's draft expired or another dialog dropped
        it), with the stars alone."""
        await uow.timers.schedule(f"rated:{ticket.id}", RATED_TIMER, until, ticket_id=ticket.id)

    async def rated(self, uow: UnitOfWork, ticket_id: int, *, commented: bool = False) -> None:
        """The survey is complete: the report re-issued with it, archived, and not pushed to
        the customer (they had the signed copy a moment ago; /doc N sends this one). Once
        per survey; a comment that comes after a stars-only version makes one more."""
        await uow.timers.cancel(f"rated:{ticket_id}")
        ticket = await uow.tickets.get(ticket_id)
        versions = await self._versions(uow, ticket_id)
        if ticket is None or not versions or await uow.surveys.get(ticket_id) is None:
            return
        if not commented and any(kind == "rated" for _, kind in versions):
            return
        await self.issue(uow, ticket, "rated")

    async def comment_timeout(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """No comment in time: the rated version with the stars alone."""
        await self.rated(uow, timer.ticket_id or 0)
        return Outcome()

    # ------------------------------------------------------------------ /doc
    async def latest(self, uow: UnitOfWork, user: User, ticket_id: int) -> Outcome:
        """/doc N: the latest report, for its customer, staff of its project and admins."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        staff = self.access.staff(uid)
        allowed = ticket is not None and (
            ticket.customer_id == uid
            or (staff is not None and self.access.can_work(staff, ticket.project_key))
        )
        if ticket is None or not allowed:
            # The same answer as /status: "no such ticket" and "not yours" look alike.
            return Outcome([Notice(uid, "ticket.not_found", params=TicketNumber(ticket_id))])
        jobs = [j for j in await uow.records.jobs_of(ticket.id) if j.error is None]
        issued = await uow.records.latest(ticket.id)
        if jobs and (issued is None or jobs[-1].version > issued.version):
            return Outcome([self._document(uid, ticket, jobs[-1])])  # sent once typeset
        if issued is None:
            return Outcome([Notice(uid, "records.none", params=TicketNumber(ticket.id))])
        data = self.archive.read(issued.path)
        if content_hash(data) != issued.sha256:  # never send a file that changed after issue
            return Outcome([Notice(uid, "records.damaged", params=TicketNumber(ticket.id))])
        return Outcome([self._document(uid, ticket, issued)])

    @staticmethod
    def _document(to: int, ticket: Ticket, issued: IssuedReport | ReportJob) -> Notice:
        if isinstance(issued, ReportJob):
            params = ReportFile("", "", issued.version, issued.kind, job=issued.key)
        else:
            params = ReportFile(issued.path, issued.sha256, issued.version, issued.kind)
        return Notice(to, "records.report", ticket=ticket, params=params)
