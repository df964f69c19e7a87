"""Handing a ticket over: the owner picks another engineer of the project, who takes it over
or declines; or a manager of the project gives it to another engineer at once (/assign), when
the owner is absent. The customer learns who works on it now."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.ticket import Status, TransitionError
from bot.services.access import Access, refusal, staff_actor
from bot.services.notices import Notice, Outcome, Params
from bot.services.shifts import UnknownStaff
from bot.services.tracking import Tracking
from bot.services.uow import UnitOfWork
from bot.services.work import EngineerNamed


@dataclass(frozen=True)
class Candidates(Params):
    """work.ask_handover: the engineers of the project the owner may hand the ticket to."""

    candidates: list[StaffConfig]


@dataclass(frozen=True)
class HandoverTarget(Params):
    """work.handover_sent, work.handover_accepted, work.handover_declined: to whom."""

    target: StaffConfig


@dataclass(frozen=True)
class HandoverOwner(Params):
    """work.handover_offer: who offers the ticket."""

    owner: StaffConfig


@dataclass(frozen=True)
class Assigned(Params):
    """work.assigned, work.assigned_away, work.assigned_to_you: the manager who reassigned the
    ticket, its old owner and its new one (names)."""

    by: str
    frm: str
    to: str


@dataclass(frozen=True)
class StaffNamed(Params):
    """refuse.assign_not_engineer, refuse.assign_same: the staff member /assign was given."""

    name: str


@dataclass(frozen=True)
class Reassigned(Params):
    """customer.reassigned: the engineer who handles the ticket now."""

    engineer: str
    phone: str


class Handover:
    def __init__(
        self, settings: Settings, clock: Clock, access: Access, tracking: Tracking
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.tracking = tracking

    async def begin(
        self, uow: UnitOfWork, uid: int, ticket_id: int, *, source_message_id: int | None = None
    ) -> Outcome:
        """Hand over: the owner picks another engineer of the project."""
        via_button = source_message_id is not None
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if ticket.owner_key != staff.key or ticket.status not in (
            Status.ACCEPTED,
            Status.ON_WAY,
            Status.ON_SITE,
        ):
            return refusal(uid, "not_owner", ticket_id, via_button)
        project = self.settings.find_project(ticket.project_key)
        candidates = [
            s
            for s in (self.access.project_staff(project) if project is not None else [])
            if s.has_role("engineer") and s.key != staff.key
        ]
        if not candidates:
            return refusal(uid, "no_candidates", ticket_id, via_button)
        return Outcome(
            [Notice(uid, "work.ask_handover", ticket=ticket, params=Candidates(candidates))],
            toast="toast.ok",
        )

    async def propose(self, uow: UnitOfWork, uid: int, ticket_id: int, to_key: str) -> Outcome:
        """The owner's pick: the offer goes to that engineer."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        try:
            target = self.settings.staff_by_key(to_key)
        except KeyError:
            return Outcome(toast="button.stale")
        if ticket is None or not self.access.can_take(target, ticket):
            return Outcome(toast="button.stale")
        if ticket.handover_to == target.key and ticket.owner_key == staff.key:
            # A double tap: the offer is out already (and this list's buttons are gone).
            return Outcome(toast="refuse.handover_pending")
        try:
            ticket = await uow.tickets.save(ticket.propose_handover(staff.key, target.key))
        except TransitionError as e:
            return Outcome(toast=f"refuse.{e.reason}", toast_alert=True)
        await uow.timeline.append(
            ticket.id, self.clock.now(), staff_actor(staff), "handover_proposed", to=target.key
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        out.add(Notice(uid, "work.handover_sent", ticket=ticket, params=HandoverTarget(target)))
        return out.add(
            Notice(
                target.telegram_id,
                "work.handover_offer",
                ticket=ticket,
                params=HandoverOwner(staff),
            )
        )

    async def answer(self, uow: UnitOfWork, uid: int, ticket_id: int, take: bool) -> Outcome:
        """The offered engineer takes the ticket over, or declines."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        if ticket is None or ticket.handover_to != staff.key or ticket.owner_key is None:
            return Outcome(toast="button.stale")
        previous = self.settings.staff_by_key(ticket.owner_key)
        try:
            changed = ticket.take_over(staff.key) if take else ticket.decline_handover(staff.key)
        except TransitionError:
            return Outcome(toast="button.stale")
        ticket = await uow.tickets.save(changed)
        kind = "handover_accepted" if take else "handover_declined"
        await uow.timeline.append(
            ticket.id,
            self.clock.now(),
            staff_actor(staff),
            kind,
            **({"from": previous.key} if take else {}),
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        out.add(
            Notice(
                previous.telegram_id, f"work.{kind}", ticket=ticket, params=HandoverTarget(staff)
            )
        )
        if take:
            out.add(await self.tracking.card(uow, uid, ticket))
            out.add(
                Notice(
                    ticket.customer_id,
                    "customer.accepted",
                    ticket=ticket,
                    params=EngineerNamed(staff),
                )
            )
        return out

    async def assign(self, uow: UnitOfWork, uid: int, ticket_id: int, to_key: str) -> Outcome:
        """/assign N STAFF: a manager of the project takes the ticket off its (absent) owner and
        gives it to another engineer at once, without the owner's answer."""
        staff = self.access.staff(uid)
        if staff is None:
            return refusal(uid, "staff_only", ticket_id, False)
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        if ticket is None:
            return refusal(uid, "not_found", ticket_id, False)
        if not staff.is_manager:
            return Outcome([Notice(uid, "refuse.managers_only_assign")])
        try:
            target = self.settings.staff_by_key(to_key)
        except KeyError:
            return Outcome([Notice(uid, "roster.unknown_staff", params=UnknownStaff(to_key))])
        if not self.access.can_take(target, ticket):
            return Outcome(
                [
                    Notice(
                        uid,
                        "refuse.assign_not_engineer",
                        ticket=ticket,
                        params=StaffNamed(target.name),
                    )
                ]
            )
        if not ticket.is_open:
            return refusal(uid, "not_open", ticket_id, False)
        if ticket.owner_key is None:
            return Outcome([Notice(uid, "refuse.assign_unowned", ticket=ticket)])
        if ticket.owner_key == target.key:
            return Outcome(
                [Notice(uid, "refuse.assign_same", ticket=ticket, params=StaffNamed(target.name))]
            )
        previous = self.settings.staff_by_key(ticket.owner_key)
        try:  # the same change as a hand-over the owner offered and the target took
            changed = ticket.propose_handover(previous.key, target.key).take_over(target.key)
        except TransitionError as e:
            return refusal(uid, e.reason, ticket_id, False)
        ticket = await uow.tickets.save(changed)
        await uow.timeline.append(
            ticket.id,
            self.clock.now(),
            staff_actor(staff),
            "assigned",
            **{"from": previous.key, "to": target.key},
        )
        names = Assigned(staff.name, previous.name, target.name)
        out = Outcome([Notice(uid, "work.assigned", ticket=ticket, params=names)])
        out.add(Notice(previous.telegram_id, "work.assigned_away", ticket=ticket, params=names))
        out.add(Notice(target.telegram_id, "work.assigned_to_you", ticket=ticket, params=names))
        out.add(await self.tracking.card(uow, target.telegram_id, ticket))
        return out.add(
            Notice(
                ticket.customer_id,
                "customer.reassigned",
                ticket=ticket,
                params=Reassigned(target.name, target.phone or "—"),
            )
        )
