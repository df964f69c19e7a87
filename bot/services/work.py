"""The engineers' work on a ticket: accept (首问负责制), on my way, arrived, resolve (cause, then
what was done), notes, re-grading, the promised steps of the contract, and the customer's
verdict on a resolved ticket."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.drafts import MAX_NOTE, WorkDraft
from bot.domain.people import User
from bot.domain.ticket import Level, Status, Ticket, TransitionError
from bot.domain.warranty import CHARGES_EVENT
from bot.services.access import Access, customer_actor, refusal, staff_actor
from bot.services.arrival import LOCATION_STEP, Arrivals
from bot.services.drafts import Drafts, Input
from bot.services.notices import Limit, Notice, Outcome, Params, TicketNumber
from bot.services.pauses import Pauses
from bot.services.records import Records
from bot.services.roster import Roster
from bot.services.sla import Sla, promised
from bot.services.surveys import COMMENT_STEP, Surveys
from bot.services.tracking import GroupStatus, Tracking
from bot.services.uow import UnitOfWork
from bot.services.warranty import (
    CHARGE_STEPS,
    CORRECTION,
    ChargesRecorded,
    drafted_charges,
    take_charge_answer,
)

# The engineer's progress on the way to the site, in the order of the work.
Progress = Literal["on_way", "arrived"]
# The steps the contract promises after a breach or for a hard fault, recorded by the owner.
PromisedStep = Literal["proposal", "part_needed", "spare_provided", "loaner_provided"]


@dataclass(frozen=True)
class EngineerNamed(Params):
    """The customer learns who works on their ticket: accepted, on the way, arrived, taken
    over, a promised step done."""

    engineer: StaffConfig


@dataclass(frozen=True)
class OnTheWay(EngineerNamed):
    """customer.on_way: when the engineer expects to arrive, if they said (/onway N 30m)."""

    eta: datetime | None = None


@dataclass(frozen=True)
class Regraded(Params):
    """work.regraded, customer.regraded: the level the ticket had before."""

    old: Level


@dataclass(frozen=True)
class StillWrong(Params):
    """reopen.still_wrong: what the customer says is still wrong after a reopen."""

    text: str


@dataclass(frozen=True)
class EventRecorded(Params):
    """work.event_recorded: the promised step the owner recorded."""

    event: PromisedStep


class Work:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        drafts: Drafts,
        roster: Roster,
        sla: Sla,
        tracking: Tracking,
        pauses: Pauses,
        records: Records,
        surveys: Surveys | None = None,
        arrivals: Arrivals | None = None,
    ) -> None:
        self.surveys = surveys  # the satisfaction survey after the customer confirms
        self.arrivals = arrivals  # the proof of arrival: the engineer's shared location
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts
        self.roster = roster
        self.sla = sla
        self.tracking = tracking
        self.pauses = pauses
        self.records = records

    async def accept(
        self, uow: UnitOfWork, uid: int, ticket_id: int, *, source_message_id: int | None = None
    ) -> Outcome:
        """接单: the first engineer to accept owns the ticket (首问负责制)."""
        via_button = source_message_id is not None
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if not self.access.can_take(staff, ticket):
            return refusal(uid, "engineers_only", ticket_id, via_button)
        now = self.clock.now()
        try:
            ticket = await uow.tickets.save(ticket.accept(staff.key, now))
        except TransitionError as e:
            if e.reason == "already_taken" and ticket.owner_key == staff.key:
                return refusal(uid, "already_yours", ticket_id, via_button)
            return refusal(uid, e.reason, ticket_id, via_button)
        await uow.timeline.append(ticket.id, now, staff_actor(staff), "accepted")
        ticket, sla_notices = await self.tracking.event(uow, ticket, "accepted")
        await uow.outbox.cancel_pages(ticket.id)
        await self.roster.stop_paging(uow, ticket.id)
        project = self.settings.find_project(ticket.project_key)
        sla_notices += self.tracking.group(
            project, ticket, "group.status", GroupStatus("accepted", staff.name)
        )
        out = Outcome(sla_notices, toast="toast.accepted")
        # Every sent page (including the acceptor's own) becomes "taken by X", without button.
        for page in await uow.outbox.sent_pages(ticket.id):
            out.add(
                Notice(
                    page.chat_id,
                    "ticket.page_taken",
                    ticket=ticket,
                    edit_message_id=page.message_id,
                )
            )
        out.add(await self.tracking.card(uow, uid, ticket))
        customer = Notice(
            ticket.customer_id, "customer.accepted", ticket=ticket, params=EngineerNamed(staff)
        )
        return out.add(customer)

    async def progress(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        action: Progress,
        *,
        source_message_id: int | None = None,
        eta: timedelta | None = None,
    ) -> Outcome:
        """On my way / Arrived: owner only, in the order of the work. On the way, the engineer
        may say how long the journey takes (`eta`): the customer is told that time."""
        via_button = source_message_id is not None
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        now = self.clock.now()
        try:
            if action == "on_way":
                changed = ticket.set_on_way(staff.key, now)
            elif self.access.retired(ticket) or ticket.is_request:
                # No contract left to recompute deadlines with; or a request, whose clocks
                # do not depend on the arrival.
                changed = ticket.arrive(staff.key, now, ticket.deadlines)
            else:
                policy = self.settings.sla_policy(ticket.project_key)
                changed = ticket.arrive(
                    staff.key, now, promised(policy, ticket.level, ticket.reported_at, now)
                )
        except TransitionError as e:
            return refusal(uid, e.reason, ticket_id, via_button)
        ticket = await uow.tickets.save(changed)
        await uow.timeline.append(ticket.id, now, staff_actor(staff), action)
        ticket, sla_notices = await self.tracking.event(
            uow, ticket, "on_site" if action == "arrived" else action
        )
        out = Outcome(sla_notices, toast=f"toast.{action}")
        out.notices += self.tracking.group(
            self.settings.find_project(ticket.project_key),
            ticket,
            "group.status",
            GroupStatus(action, staff.name),
        )
        if action == "arrived" and self.arrivals is not None:
            # Before the card, so that the card stays the newest message of the chat.
            out.notices += await self.arrivals.ask(uow, uid, ticket)
        out.add(await self.tracking.card(uow, uid, ticket, source_message_id))
        named = OnTheWay(staff, now + eta if eta else None) if action == "on_way" else None
        return out.add(
            Notice(
                ticket.customer_id,
                f"customer.{action}",
                ticket=ticket,
                params=named or EngineerNamed(staff),
            )
        )

    # ------------------------------------------------------------------ resolve
    async def begin_resolve(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        resolution: str = "",
        *,
        source_message_id: int | None = None,
    ) -> Outcome:
        """Resolved: ask for the cause category (buttons; not for a service request), then
        what was done."""
        via_button = source_message_id is not None
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button, owner=True)
        if isinstance(found, Outcome):
            return found
        _, ticket = found
        if len(resolution) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NOTE))])
        draft = WorkDraft(ticket_id=ticket.id, step="cause", resolution=resolution.strip())
        if ticket.is_request:
            # A service request has no fault cause: what was done is all there is to say.
            if draft.resolution:
                return await self._resolution_done(uow, uid, draft)
            draft.step = "resolution"
            await self.drafts.put(uow, uid, draft)
            return Outcome(
                [Notice(uid, "work.ask_resolution", params=TicketNumber(ticket.id))],
                toast="toast.ok",
            )
        await self.drafts.put(uow, uid, draft)
        return Outcome([Notice(uid, "work.ask_cause", ticket=ticket)], toast="toast.ok")

    async def choose_cause(self, uow: UnitOfWork, uid: int, ticket_id: int, cause: str) -> Outcome:
        """A cause button of the resolve dialog."""
        draft = await self.drafts.of(uow, uid)
        if (
            not isinstance(draft, WorkDraft)
            or draft.ticket_id != ticket_id
            or draft.step != "cause"
            or cause not in {c.key for c in self.settings.causes}
        ):
            return Outcome(toast="button.stale")
        draft.cause = cause
        if draft.resolution:
            res = await self._resolution_done(uow, uid, draft)
            res.clear_buttons = True
            return res
        draft.step = "resolution"
        await self.drafts.put(uow, uid, draft)
        return Outcome(
            [Notice(uid, "work.ask_resolution", params=TicketNumber(ticket_id))],
            clear_buttons=True,
        )

    async def _resolution_done(self, uow: UnitOfWork, uid: int, draft: WorkDraft) -> Outcome:
        """What was done is known: after the warranty (a paid ticket) the charges come next."""
        ticket = await uow.tickets.get(draft.ticket_id)
        if ticket is None or ticket.billing != "paid":
            return await self._finish_resolve(uow, uid, draft)
        draft.step = "charge_parts"
        await self.drafts.put(uow, uid, draft)
        return Outcome([Notice(uid, "work.ask_parts", params=TicketNumber(draft.ticket_id))])

    async def _charge_answer(
        self, uow: UnitOfWork, uid: int, draft: WorkDraft, typed: str
    ) -> Outcome:
        """The parts charged (one a line, the amount last), then the labour; "无" skips."""
        hint = take_charge_answer(uid, draft, typed)
        return Outcome([hint]) if hint is not None else await self._charge_next(uow, uid, draft)

    async def _charge_next(self, uow: UnitOfWork, uid: int, draft: WorkDraft) -> Outcome:
        if draft.step == "charge_parts":
            draft.step = "charge_labour"
            await self.drafts.put(uow, uid, draft)
            return Outcome([Notice(uid, "work.ask_labour", params=TicketNumber(draft.ticket_id))])
        if draft.about == CORRECTION:
            return await self._correct_charges(uow, uid, draft)
        return await self._finish_resolve(uow, uid, draft)

    async def skip_charge(self, uow: UnitOfWork, uid: int, ticket_id: int, step: str) -> Outcome:
        """The Skip button of a charges question (only the question still asked)."""
        draft = await self.drafts.of(uow, uid)
        if not isinstance(draft, WorkDraft) or draft.ticket_id != ticket_id or draft.step != step:
            return Outcome(toast="button.stale")
        res = await self._charge_next(uow, uid, draft)
        res.clear_buttons = True
        return res

    async def _finish_resolve(self, uow: UnitOfWork, uid: int, draft: WorkDraft) -> Outcome:
        staff = self.access.staff(uid)
        assert staff is not None
        await self.drafts.drop(uow, uid)
        ticket = await self.access.ticket_for_staff(uow, staff, draft.ticket_id)
        if ticket is None:
            return refusal(uid, "not_found", draft.ticket_id, False)
        now = self.clock.now()
        try:
            ticket = await uow.tickets.save(
                ticket.resolve(staff.key, now, draft.cause, draft.resolution)
            )
        except TransitionError as e:
            return refusal(uid, e.reason, draft.ticket_id, False)
        await uow.timeline.append(
            ticket.id,
            now,
            staff_actor(staff),
            "resolved",
            cause=draft.cause,
            note=draft.resolution,
        )
        # Recorded before the report is laid out, which prints them; never changed after.
        charges = drafted_charges(draft)
        if not charges.empty:
            await uow.timeline.append(
                ticket.id, now, staff_actor(staff), CHARGES_EVENT, **charges.detail()
            )
        await self.pauses.end(uow, ticket, staff, quiet=True)
        ticket, sla_notices = await self.tracking.event(uow, ticket, "resolved")
        await uow.timers.cancel_for_ticket(ticket.id)
        out = Outcome(sla_notices)
        out.notices += self.tracking.group(
            self.settings.find_project(ticket.project_key),
            ticket,
            "group.status",
            GroupStatus("resolved", staff.name),
        )
        if not charges.empty:
            saved = ChargesRecorded(ticket.id, charges)
            out.add(Notice(uid, "work.charges_saved", ticket=ticket, params=saved))
        out.add(await self.tracking.card(uow, uid, ticket))
        # The service report first, then the resolved message with its buttons right under it.
        out.notices += await self.records.resolved(uow, ticket)
        return out.add(Notice(ticket.customer_id, "customer.resolved", ticket=ticket))

    # ------------------------------------------------------------------ charges corrected
    async def begin_charges(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/charges N: the owner or a manager corrects a resolved paid ticket's charges (a new
        entry; the earlier ones stay in the record)."""
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        if ticket is None or not (staff.is_manager or ticket.owner_key == staff.key):
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(ticket_id))])
        if ticket.billing != "paid" or ticket.is_open:
            return Outcome([Notice(uid, "charge.not_now", params=TicketNumber(ticket_id))])
        draft = WorkDraft(ticket_id=ticket.id, step="charge_parts", about=CORRECTION)
        await self.drafts.put(uow, uid, draft)
        return Outcome([Notice(uid, "work.ask_parts", params=TicketNumber(ticket.id))])

    async def _correct_charges(self, uow: UnitOfWork, uid: int, draft: WorkDraft) -> Outcome:
        """The corrected charges recorded (all skipped: "nothing charged", recorded too)."""
        await self.drafts.drop(uow, uid)
        staff = self.access.staff(uid)
        ticket = await uow.tickets.get(draft.ticket_id)
        if staff is None or ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(draft.ticket_id))])
        charges = drafted_charges(draft)
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, staff_actor(staff), CHARGES_EVENT, **charges.detail()
        )
        saved = ChargesRecorded(ticket.id, charges)
        return Outcome([Notice(uid, "work.charges_saved", ticket=ticket, params=saved)])

    # ------------------------------------------------------------------ notes
    async def begin_note(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        text: str = "",
        *,
        source_message_id: int | None = None,
    ) -> Outcome:
        """Add note: with text (/note N text) at once, from the button by asking for it."""
        via_button = source_message_id is not None
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if text.strip():
            return await self._save_note(uow, staff, ticket, text.strip())
        await self.drafts.put(uow, uid, WorkDraft(ticket_id=ticket.id, step="note"))
        return Outcome([Notice(uid, "work.ask_note", ticket=ticket)], toast="toast.ok")

    async def _save_note(
        self, uow: UnitOfWork, staff: StaffConfig, ticket: Ticket, text: str
    ) -> Outcome:
        uid = staff.telegram_id
        if len(text) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NOTE))])
        await uow.timeline.append(
            ticket.id, self.clock.now(), staff_actor(staff), "note", text=text
        )
        return Outcome([Notice(uid, "work.note_saved", ticket=ticket)])

    async def work_input(
        self, uow: UnitOfWork, user: User, draft: WorkDraft, inp: Input
    ) -> Outcome:
        """A message while the resolve or note dialog waits."""
        uid = user.telegram_id
        if draft.step == "still_wrong":
            return await self._still_wrong(uow, user, draft, inp)
        if draft.step == COMMENT_STEP and self.surveys is not None:
            return await self.surveys.comment(uow, user, draft, inp)
        staff = self.access.staff(uid)
        if staff is None:  # removed from the config while a draft was open
            await self.drafts.drop(uow, uid)
            return Outcome([Notice(uid, "refuse.staff_only")])
        if draft.step == LOCATION_STEP and self.arrivals is not None:
            return await self.arrivals.answer(uow, staff, draft, inp)
        if draft.step == "cause":
            return Outcome([Notice(uid, "hint.use_buttons")])
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([Notice(uid, "hint.want_text")])
        if len(inp.text) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NOTE))])
        if draft.step == "resolution":
            draft.resolution = inp.text.strip()
            return await self._resolution_done(uow, uid, draft)
        if draft.step in CHARGE_STEPS:
            return await self._charge_answer(uow, uid, draft, inp.text)
        await self.drafts.drop(uow, uid)
        ticket = await self.access.ticket_for_staff(uow, staff, draft.ticket_id)
        if ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(draft.ticket_id))])
        return await self._save_note(uow, staff, ticket, inp.text.strip())

    # ------------------------------------------------------------------ managers, the contract
    async def regrade(self, uow: UnitOfWork, uid: int, ticket_id: int, level_text: str) -> Outcome:
        """/regrade N A|B|C (managers): recomputes the deadlines; recorded."""
        staff = self.access.staff(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "refuse.managers_only")])
        try:
            level = Level(level_text.strip().upper())
        except ValueError:
            return Outcome([Notice(uid, "usage.regrade")])
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        if ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(ticket_id))])
        if self.access.retired(ticket):
            return refusal(uid, "retired", ticket_id, via_button=False)
        if ticket.is_request:  # a service request has no level to change
            return refusal(uid, "request_no_level", ticket_id, via_button=False)
        policy = self.settings.sla_policy(ticket.project_key)
        old = ticket.level
        try:
            ticket = await uow.tickets.save(
                ticket.regrade(
                    level, promised(policy, level, ticket.reported_at, ticket.on_site_at)
                )
            )
        except TransitionError as e:
            return Outcome([Notice(uid, f"refuse.{e.reason}", params=TicketNumber(ticket_id))])
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, staff_actor(staff), "regraded", old=old.value, new=level.value
        )
        gained = await self.sla.regrade(uow, ticket)
        ticket = await self.tracking.sync_deadlines(uow, ticket)
        was = Regraded(old)
        out = Outcome([Notice(uid, "work.regraded", ticket=ticket, params=was), *gained])
        for worker in await self.access.workers_of(uow, ticket):
            if worker.telegram_id != uid:
                out.add(Notice(worker.telegram_id, "work.regraded", ticket=ticket, params=was))
        return out.add(Notice(ticket.customer_id, "customer.regraded", ticket=ticket, params=was))

    async def record_event(
        self, uow: UnitOfWork, uid: int, ticket_id: int, event: PromisedStep
    ) -> Outcome:
        """/proposal N, /part N, /spare N, /loaner N: the owner records a promised step as done."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False, owner=True)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        now = self.clock.now()
        await uow.timeline.append(ticket.id, now, staff_actor(staff), event)
        ticket, notices = await self.tracking.event(uow, ticket, event)
        out = Outcome(notices)
        out.add(Notice(uid, "work.event_recorded", ticket=ticket, params=EventRecorded(event)))
        out.add(await self.tracking.card(uow, uid, ticket))
        return out.add(
            Notice(
                ticket.customer_id, f"customer.{event}", ticket=ticket, params=EngineerNamed(staff)
            )
        )

    # ------------------------------------------------------------------ the customer
    async def customer_verdict(
        self, uow: UnitOfWork, user: User, ticket_id: int, fixed: bool
    ) -> Outcome:
        """The customer confirms a resolved ticket, or says it is not fixed (reopens it)."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None:
            return Outcome(toast="button.stale")
        now = self.clock.now()
        try:
            changed = ticket.confirm(uid, now) if fixed else ticket.reopen(uid)
        except TransitionError as e:
            return Outcome(toast=f"refuse.{e.reason}", toast_alert=True)
        ticket = await uow.tickets.save(changed)
        kind = "confirmed" if fixed else "reopened"
        # Confirming is the customer's sign-off: their Telegram name is kept with it.
        signed = {"name": user.first_name} if fixed else {}
        await uow.timeline.append(ticket.id, now, customer_actor(uid), kind, **signed)
        out = Outcome(clear_buttons=True)
        if not fixed:
            return await self._reopened(uow, uid, ticket, out)
        out.add(Notice(uid, f"customer.{kind}", ticket=ticket))
        out.notices += await self.records.confirmed(uow, ticket)
        owner = self.access.owner(ticket)
        if owner is not None:
            out.add(Notice(owner.telegram_id, f"owner.{kind}", ticket=ticket))
        if self.surveys is not None:
            out.add(self.surveys.ask(ticket))
        return out

    async def _reopened(self, uow: UnitOfWork, uid: int, ticket: Ticket, out: Outcome) -> Outcome:
        """Not fixed: the repair clock counts again from now (the respond clock too, and the
        team is paged, when the owner has left the config); the customer is asked what is
        still wrong."""
        owner = self.access.owner(ticket)
        if owner is None:
            ticket = await uow.tickets.save(
                replace(ticket, status=Status.NEW, owner_key=None, accepted_at=None)
            )
        await self.sla.reopen(uow, ticket, owner_gone=owner is None)
        ticket = await self.tracking.sync_deadlines(uow, ticket)
        if owner is not None:
            out.add(Notice(owner.telegram_id, "owner.reopened", ticket=ticket))
            out.add(await self.tracking.card(uow, owner.telegram_id, ticket))
        else:
            # Paged anew: a page's dedupe key names the ticket and the person, so this
            # reopening's pages get their own.
            out.notices += [
                replace(n, dedupe=f"{n.dedupe}:reopen:{ticket.reopen_count}") if n.dedupe else n
                for n in await self.roster.start_paging(uow, ticket)
            ]
        if await self.drafts.of(uow, uid) is not None:  # never overwrite a form in progress
            return out.add(Notice(uid, "customer.reopened", ticket=ticket))
        await self.drafts.put(uow, uid, WorkDraft(ticket_id=ticket.id, step="still_wrong"))
        return out.add(Notice(uid, "work.ask_still_wrong", ticket=ticket))

    async def _still_wrong(
        self, uow: UnitOfWork, user: User, draft: WorkDraft, inp: Input
    ) -> Outcome:
        """The customer's answer to "what is still wrong": recorded, sent to the engineer."""
        uid = user.telegram_id
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([Notice(uid, "hint.want_text")])
        if len(inp.text) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_NOTE))])
        await self.drafts.drop(uow, uid)
        ticket = await uow.tickets.get(draft.ticket_id)
        if ticket is None or ticket.customer_id != uid:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(draft.ticket_id))])
        said = inp.text.strip()
        await uow.timeline.append(
            ticket.id, self.clock.now(), customer_actor(uid), "still_wrong", text=said
        )
        out = Outcome([Notice(uid, "reopen.thanks", ticket=ticket)])
        told = StillWrong(said)
        for worker in await self.access.workers_of(uow, ticket):
            out.add(Notice(worker.telegram_id, "reopen.still_wrong", ticket=ticket, params=told))
        return out
