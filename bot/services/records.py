"""Records of one service: the service report (售后服务报告), issued when a ticket is resolved,
re-issued at the customer's sign-off and when it closes unconfirmed after `confirm_within`;
/doc N sends the latest one. Every version is archived and never changed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import User
from bot.domain.reports import (
    Deadline,
    IssuedReport,
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
DEFAULT_CONFIRM_WITHIN = timedelta(days=3)


class Typesetter(Protocol):
    """Makes the PDF of a report in a reader's language (None: the default); returns the
    bytes and the language it chose."""

    def __call__(self, report: ServiceReport, language: str | None) -> tuple[bytes, str]: ...


class Archive(Protocol):
    """Where issued reports' files live (written once, read after)."""

    def store(self, name: str, data: bytes) -> str: ...

    def read(self, name: str) -> bytes: ...


@dataclass(frozen=True)
class ReportFile(Params):
    """records.report: an issued report as a document (its bytes and what version it is)."""

    data: bytes
    version: int
    kind: ReportKind


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
        typeset: Typesetter,
        archive: Archive,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.sla = sla
        self.typeset = typeset
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
        )

    async def issue(
        self, uow: UnitOfWork, ticket: Ticket, kind: ReportKind
    ) -> tuple[IssuedReport, bytes]:
        """A new version: typeset in the customer's language, archived, its hash recorded."""
        before = await uow.records.latest(ticket.id)
        version = before.version + 1 if before else 1
        report = await self.report_of(uow, ticket, version, kind)
        customer = await uow.users.get(ticket.customer_id)
        # Typesetting takes a moment of CPU: off the event loop, so other chats keep going.
        data, lang = await asyncio.to_thread(
            self.typeset, report, customer.language if customer else None
        )
        sha = content_hash(data)
        path = self.archive.store(archive_name(ticket.id, version, sha), data)
        issued = IssuedReport(ticket.id, version, kind, report.issued_at, lang, path, sha)
        await uow.records.add(issued)
        return issued, data

    async def resolved(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """Resolved: the report goes to the customer; unconfirmed, it closes in time."""
        issued, data = await self.issue(uow, ticket, "issued")
        assert ticket.resolved_at is not None
        await uow.timers.schedule(
            f"confirm:{ticket.id}",
            CONFIRM_TIMER,
            ticket.resolved_at + self.confirm_within(ticket),
            ticket_id=ticket.id,
            payload={"resolved_at": ticket.resolved_at.isoformat()},
        )
        return [self._document(ticket.customer_id, ticket, issued, data)]

    async def confirmed(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """The customer's sign-off: the report re-issued, marked confirmed by them."""
        await uow.timers.cancel(f"confirm:{ticket.id}")
        issued, data = await self.issue(uow, ticket, "confirmed")
        return [self._document(ticket.customer_id, ticket, issued, data)]

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
        issued, data = await self.issue(uow, ticket, "closed_unconfirmed")
        out = Outcome([Notice(ticket.customer_id, "records.closed_unconfirmed", ticket=ticket)])
        out.add(self._document(ticket.customer_id, ticket, issued, data))
        owner = self.access.owner(ticket)
        if owner is not None:
            out.add(Notice(owner.telegram_id, "records.closed_unconfirmed_owner", ticket=ticket))
        return out

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
        issued = await uow.records.latest(ticket.id)
        if issued is None:
            return Outcome([Notice(uid, "records.none", params=TicketNumber(ticket.id))])
        data = self.archive.read(issued.path)
        if content_hash(data) != issued.sha256:  # never send a file that changed after issue
            return Outcome([Notice(uid, "records.damaged", params=TicketNumber(ticket.id))])
        return Outcome([self._document(uid, ticket, issued, data)])

    @staticmethod
    def _document(to: int, ticket: Ticket, issued: IssuedReport, data: bytes) -> Notice:
        return Notice(
            to,
            "records.report",
            ticket=ticket,
            params=ReportFile(data, issued.version, issued.kind),
        )
