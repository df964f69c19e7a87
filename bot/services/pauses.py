"""Pausing the SLA clocks, only by agreement (双方协商): the owner proposes force majeure or
waiting for the customer; the customer answers with a button, and force majeure also needs a
project manager's approval. The clocks stop once every side has agreed; the first refusal ends
the proposal. Waiting for the customer is told to the customer managers. The owner or a manager
resumes; resolving ends any pause."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.drafts import MAX_NOTE
from bot.domain.pauses import Pause, PauseKind
from bot.domain.people import User
from bot.domain.ticket import Ticket
from bot.services.access import Access, customer_actor, refusal, staff_actor
from bot.services.notices import NO_PARAMS, Limit, Notice, Outcome, Params, TicketNumber
from bot.services.sla import Sla
from bot.services.tracking import Tracking
from bot.services.uow import UnitOfWork


@dataclass(frozen=True)
class PauseReason(Params):
    """pause.proposed, pause.wait_proposed (to the owner), pause.customer_agreed, pause.refused:
    the reason the owner gave."""

    reason: str


@dataclass(frozen=True)
class ApprovalAsked(Params):
    """pause.approve: a project manager is asked to approve a force-majeure pause."""

    reason: str
    owner: StaffConfig
    pause_id: int


@dataclass(frozen=True)
class ConsentAsked(Params):
    """customer.pause_ask (with the buttons), pause.waiting_asked (to the customer managers):
    the owner's proposal, which the customer answers."""

    kind: PauseKind
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


@dataclass(frozen=True)
class Approved(Params):
    """pause.approved_pending: the project manager approved; the customer has not answered."""

    by: str
    reason: str


class Pauses:
    def __init__(
        self, settings: Settings, clock: Clock, access: Access, sla: Sla, tracking: Tracking
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.sla = sla
        self.tracking = tracking

    def _customer_managers(self, ticket: Ticket) -> list[StaffConfig]:
        project = self.settings.find_project(ticket.project_key)
        if project is None:
            return []
        return [s for s in self.access.project_staff(project) if s.has_role("customer_manager")]

    async def propose(
        self, uow: UnitOfWork, uid: int, ticket_id: int, kind: PauseKind, reason: str
    ) -> Outcome:
        """/pause (force majeure) or /wait (waiting for the customer): the customer is asked
        to agree, and for force majeure the project managers to approve."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False, owner=True)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if self.access.retired(ticket):  # no contract, no clocks to pause
            return refusal(uid, "retired", ticket_id, via_button=False)
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
        pause = await uow.pauses.add(ticket.id, kind, reason, "proposed", actor, now)
        proposed = "pause_proposed" if kind == "force_majeure" else "wait_proposed"
        await uow.timeline.append(ticket.id, now, actor, proposed, reason=reason)
        told = "pause.proposed" if kind == "force_majeure" else "pause.wait_proposed"
        out = Outcome([Notice(uid, told, ticket=ticket, params=PauseReason(reason))])
        asked = ConsentAsked(kind, reason, staff, pause.id)
        out.add(Notice(ticket.customer_id, "customer.pause_ask", ticket=ticket, params=asked))
        if kind == "waiting":
            for cm in self._customer_managers(ticket):
                out.add(Notice(cm.telegram_id, "pause.waiting_asked", ticket=ticket, params=asked))
            return out
        project = self.settings.project(ticket.project_key)
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

    async def consent(self, uow: UnitOfWork, user: User, pause_id: int, agree: bool) -> Outcome:
        """The customer's Agree / Refuse on a proposed pause (双方协商)."""
        uid = user.telegram_id
        pause = await uow.pauses.get(pause_id)
        ticket = None if pause is None else await uow.tickets.get(pause.ticket_id)
        if pause is None or ticket is None or ticket.customer_id != uid:
            return Outcome(toast="button.stale")
        if not ticket.is_open:
            return Outcome(toast="refuse.not_open", toast_alert=True)
        now = self.clock.now()
        actor = customer_actor(uid)
        answered = await uow.pauses.answer(pause.id, "customer", agree, actor, now)
        if answered is None:
            return Outcome(toast="button.stale")  # answered already, withdrawn or rejected
        await uow.timeline.append(
            ticket.id, now, actor, "pause_agreed" if agree else "pause_refused"
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        if answered.state == "active":
            out.notices.extend(await self._start(uow, ticket, answered, actor))
            return out
        reason = PauseReason(answered.reason)
        owners = await self.access.workers_of(uow, ticket)
        if not agree:
            told = owners + (self._customer_managers(ticket) if pause.kind == "waiting" else [])
            for staff in told:
                out.add(Notice(staff.telegram_id, "pause.refused", ticket=ticket, params=reason))
            return out.add(Notice(uid, "customer.pause_refused", ticket=ticket))
        for owner in owners:
            out.add(
                Notice(owner.telegram_id, "pause.customer_agreed", ticket=ticket, params=reason)
            )
        return out.add(Notice(uid, "customer.pause_pending", ticket=ticket))

    async def decide(self, uow: UnitOfWork, uid: int, pause_id: int, approve: bool) -> Outcome:
        """The project manager's Approve / Reject on a force-majeure pause."""
        staff = self.access.staff(uid)
        pause = await uow.pauses.get(pause_id)
        if staff is None or pause is None:
            return Outcome(toast="button.stale")
        ticket = await self.access.ticket_for_staff(uow, staff, pause.ticket_id)
        project = None if ticket is None else self.settings.find_project(ticket.project_key)
        if ticket is None or project is None or staff not in self.access.approvers(project):
            return Outcome(toast="refuse.approvers_only", toast_alert=True)
        if not ticket.is_open:
            return Outcome(toast="refuse.not_open", toast_alert=True)
        now = self.clock.now()
        actor = staff_actor(staff)
        answered = await uow.pauses.answer(pause.id, "manager", approve, actor, now)
        if answered is None:
            return Outcome(toast="button.stale")  # decided already (double press, another PM)
        await uow.timeline.append(
            ticket.id, now, actor, "pause_approved" if approve else "pause_rejected"
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        if answered.state == "active":
            out.notices.extend(await self._start(uow, ticket, answered, actor))
            return out
        workers = await self.access.workers_of(uow, ticket)
        if approve:  # the customer has not agreed yet: the clocks keep running until they do
            approved = Approved(staff.name, answered.reason)
            for worker in workers:
                out.add(
                    Notice(
                        worker.telegram_id,
                        "pause.approved_pending",
                        ticket=ticket,
                        params=approved,
                    )
                )
            return out
        for worker in workers:
            out.add(
                Notice(worker.telegram_id, "pause.rejected", ticket=ticket, params=Rejected(staff))
            )
        if answered.customer_answer is None or answered.customer_answer == "agreed":
            out.add(Notice(ticket.customer_id, "customer.pause_dropped", ticket=ticket))
        return out

    async def _start(
        self, uow: UnitOfWork, ticket: Ticket, pause: Pause, actor: str
    ) -> list[Notice]:
        """Every side agreed: the clocks stop now, and everyone concerned is told."""
        now = self.clock.now()
        await self.sla.pause(uow, ticket)
        await uow.timeline.append(
            ticket.id, now, actor, "paused", pause=pause.kind, reason=pause.reason
        )
        params = PauseNews(pause.kind, reason=pause.reason)
        told = await self.access.workers_of(uow, ticket)
        if pause.kind == "waiting":
            told += self._customer_managers(ticket)
        notices = [
            Notice(staff.telegram_id, "pause.started", ticket=ticket, params=params)
            for staff in told
        ]
        notices.append(Notice(ticket.customer_id, "customer.paused", ticket=ticket, params=params))
        return notices

    async def resume(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/resume N: the owner or a manager ends the pause (or takes the proposal back)."""
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
        """End an active pause, or withdraw a proposed one; returns what to say (nothing when
        quiet)."""
        pause = await uow.pauses.current(ticket.id)
        if pause is None:
            return []
        now = self.clock.now()
        actor = staff_actor(staff)
        if pause.state == "proposed":
            await uow.pauses.withdraw(pause.id, now)
            await uow.timeline.append(ticket.id, now, actor, "pause_withdrawn")
            if quiet:
                return []
            return [
                Notice(staff.telegram_id, "pause.withdrawn", ticket=ticket, params=NO_PARAMS),
                Notice(ticket.customer_id, "customer.pause_dropped", ticket=ticket),
            ]
        await uow.pauses.end(pause.id, now)
        await self.sla.resume(uow, ticket)
        ticket = await self.tracking.sync_deadlines(uow, ticket)
        paused = (now - (pause.started_at or now)).total_seconds()
        await uow.timeline.append(
            ticket.id, now, actor, "resumed", pause=pause.kind, seconds=round(paused)
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
