"""Read-only views: /my (a customer's open tickets), /status N (one ticket's timeline),
/queue and /mine (staff's lists), /sla N (a ticket's clocks)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.pauses import Pause
from bot.domain.people import User
from bot.domain.ticket import Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params, TicketNumber
from bot.services.sla import ClockView, Sla
from bot.services.uow import UnitOfWork


@dataclass(frozen=True)
class TicketList(Params):
    """A list of tickets (`list.my`, `list.queue`, `list.mine`)."""

    tickets: list[Ticket]


@dataclass(frozen=True)
class TicketHistory(Params):
    """One ticket's timeline (`ticket.status`); staff also see the internal notes."""

    events: list[TimelineEntry]
    for_staff: bool = False


@dataclass(frozen=True)
class ClocksView(Params):
    """A ticket's contract clocks and its pause, if any (`sla.view`)."""

    views: list[ClockView]
    pause: Pause | None = None


class Views:
    def __init__(self, access: Access, sla: Sla) -> None:
        self.access = access
        self.sla = sla

    async def my_tickets(self, uow: UnitOfWork, user: User) -> Outcome:
        """/my: the customer's open tickets."""
        tickets = await uow.tickets.open_of_customer(user.telegram_id)
        return Outcome([Notice(user.telegram_id, "list.my", params=TicketList(tickets))])

    async def status(self, uow: UnitOfWork, user: User, ticket_id: int) -> Outcome:
        """/status N: one ticket's timeline, for its customer or staff of its project."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        staff = self.access.staff(uid)
        allowed = ticket is not None and (
            ticket.customer_id == uid
            or (staff is not None and self.access.can_work(staff, ticket.project_key))
        )
        if ticket is None or not allowed:
            # The same answer for "no such ticket" and "not yours": numbers leak nothing.
            return Outcome([Notice(uid, "ticket.not_found", params=TicketNumber(ticket_id))])
        events = await uow.timeline.of_ticket(ticket.id)
        return Outcome(
            [
                Notice(
                    uid,
                    "ticket.status",
                    ticket=ticket,
                    params=TicketHistory(events, for_staff=staff is not None),
                )
            ]
        )

    async def queue(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/queue: open tickets of the staff member's projects."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        tickets = await uow.tickets.open_of_projects(self.access.staff_projects(staff))
        return Outcome([Notice(uid, "list.queue", params=TicketList(tickets))])

    async def mine(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/mine: the tickets the staff member owns."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        tickets = await uow.tickets.open_of_owner(staff.key)
        return Outcome([Notice(uid, "list.mine", params=TicketList(tickets))])

    async def sla_view(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/sla N: each clock's target, elapsed, remaining, paused time, met or missed."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False)
        if isinstance(found, Outcome):
            return found
        _, ticket = found
        views = await self.sla.views(uow, ticket)
        pause = await uow.pauses.current(ticket.id)
        return Outcome([Notice(uid, "sla.view", ticket=ticket, params=ClocksView(views, pause))])
