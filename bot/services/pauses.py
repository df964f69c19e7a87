"""Pausing the SLA clocks: force majeure (a project manager approves) or waiting for the
customer (at once); the owner or a manager resumes, and resolving ends any pause."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.drafts import MAX_NOTE
from bot.domain.pauses import PauseKind
from bot.domain.ticket import Ticket
from bot.services.access import Access, staff_actor
from bot.services.notices import Limit, Notice, Outcome, Params, TicketNumber
from bot.services.sla import Sla
from bot.services.tracking import Tracking
from bot.services.uow import UnitOfWork


@dataclass(frozen=True)
class PauseReason(Params):
    """pause.proposed: the owner's reason, now awaiting a project manager."""

    reason: str


@dataclass(frozen=True)
class ApprovalAsked(Params):
    """pause.approve: a project manager is asked to approve a force-majeure pause."""

    reason: str
    owner: StaffConfig
    pause_id: int


@dataclass(frozen=True)
class PauseNews(Params):
    """pause.started, customer.paused (with the reason), pause.ended, customer.resumed
    (with how long the clocks stood still)."""

    kind: PauseKind
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Rejected(Params):
    """pause.rejected: the project manager who rejected the pause."""

    by: StaffConfig


class Pauses:
    def __init__(
        self, settings: Settings, clock: Clock, access: Access, sla: Sla, tracking: Tracking
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.sla = sla
        self.tracking = tracking

    async def propose(
        self, uow: UnitOfWork, uid: int, ticket_id: int, kind: PauseKind, reason: str
    ) -> Outcome:
        """Force majeure (needs a project manager's approval) or waiting for the customer."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False, owner=True)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        reason = reason.strip()
        if not reason:
            return Outcome(
                [Notice(uid, f"usage.{'pause' if kind == 'force_majeure' else 'wait'}")]
            )
        if len(reason) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NOTE))])
        if await uow.pauses.current(ticket.id) is not None:
            return Outcome([Notice(uid, "refuse.already_paused", params=TicketNumber(ticket_id))])
        now = self.clock.now()
        actor = staff_actor(staff)
        if kind == "waiting":
            pause = await uow.pauses.add(ticket.id, kind, reason, "active", actor, now)
            return await self._start(uow, ticket, pause.kind, reason, actor)
        pause = await uow.pauses.add(ticket.id, kind, reason, "proposed", actor, now)
        await uow.timeline.append(ticket.id, now, actor, "pause_proposed", reason=reason)
        project = self.settings.project(ticket.project_key)
        out = Outcome([Notice(uid, "pause.proposed", ticket=ticket, params=PauseReason(reason))])
        for approver in self.access.approvers(project):
            out.add(
                Notice(
                    approver.telegram_id,
                    "pause.approve",
                    ticket=ticket,
                    params=ApprovalAsked(reason, staff, pause.id),
                )
            )
        return out

    async def _start(
        self, uow: UnitOfWork, ticket: Ticket, kind: PauseKind, reason: str, actor: str
    ) -> Outcome:
        now = self.clock.now()
        await self.sla.pause(uow, ticket)
        await uow.timeline.append(ticket.id, now, actor, "paused", pause=kind, reason=reason)
        out = Outcome()
        params = PauseNews(kind, reason=reason)
        for worker in await self.access.workers_of(uow, ticket):
            out.add(Notice(worker.telegram_id, "pause.started", ticket=ticket, params=params))
        return out.add(Notice(ticket.customer_id, "customer.paused", ticket=ticket, params=params))

    async def decide(self, uow: UnitOfWork, uid: int, pause_id: int, approve: bool) -> Outcome:
        """The project manager's Approve / Reject on a force-majeure pause."""
        staff = self.access.staff(uid)
        pause = await uow.pauses.get(pause_id)
        if staff is None or pause is None:
            return Outcome(toast="button.stale")
        ticket = await self.access.ticket_for_staff(uow, staff, pause.ticket_id)
        if ticket is None or staff not in self.access.approvers(
            self.settings.project(ticket.project_key)
        ):
            return Outcome(toast="refuse.approvers_only", toast_alert=True)
        if not ticket.is_open:
            return Outcome(toast="refuse.not_open", toast_alert=True)
        now = self.clock.now()
        actor = staff_actor(staff)
        if not await uow.pauses.decide(pause.id, "active" if approve else "rejected", actor, now):
            return Outcome(toast="button.stale")  # decided already (double press, another PM)
        out = Outcome(clear_buttons=True, toast="toast.ok")
        if approve:
            res = await self._start(uow, ticket, pause.kind, pause.reason, actor)
            out.notices.extend(res.notices)
            return out
        await uow.timeline.append(ticket.id, now, actor, "pause_rejected")
        for worker in await self.access.workers_of(uow, ticket):
            out.add(
                Notice(worker.telegram_id, "pause.rejected", ticket=ticket, params=Rejected(staff))
            )
        return out

    async def resume(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/resume N: the owner or a manager ends the pause; the clocks run again."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if ticket.owner_key != staff.key and not staff.is_manager:
            return Outcome([Notice(uid, "refuse.not_owner", params=TicketNumber(ticket_id))])
        notices = await self.end(uow, ticket, staff, quiet=False)
        if not notices:
            return Outcome([Notice(uid, "refuse.not_paused", params=TicketNumber(ticket_id))])
        return Outcome(notices)

    async def end(
        self, uow: UnitOfWork, ticket: Ticket, staff: StaffConfig, *, quiet: bool
    ) -> list[Notice]:
        """End a proposed or active pause; returns what to say (nothing when quiet)."""
        pause = await uow.pauses.current(ticket.id)
        if pause is None:
            return []
        now = self.clock.now()
        if pause.state == "proposed":
            await uow.pauses.decide(pause.id, "rejected", staff_actor(staff), now)
            return []
        await uow.pauses.end(pause.id, now)
        await self.sla.resume(uow, ticket)
        ticket = await self.tracking.sync_deadlines(uow, ticket)
        paused = (now - (pause.started_at or now)).total_seconds()
        await uow.timeline.append(
            ticket.id, now, staff_actor(staff), "resumed", pause=pause.kind, seconds=round(paused)
        )
        if quiet:
            return []
        params = PauseNews(pause.kind, seconds=paused)
        notices = [
            Notice(w.telegram_id, "pause.ended", ticket=ticket, params=params)
            for w in await self.access.workers_of(uow, ticket)
        ]
        notices.append(
            Notice(ticket.customer_id, "customer.resumed", ticket=ticket, params=params)
        )
        return notices
